"""How English pages write amounts, percentages, dates and times.

``€1,500.00``, ``19%``, ``1 Dec 2026``, ``11:30``; a time of the business
zone is named with the zone's word from the data (``11:30 CET``,
``format_zoned_time``). The same functions and signatures as
``calculator.german`` (see ``calculator.formats``). The euro sign stands
before the amount with no space, a percent sign right after the number; a
no-break space (U+00A0) stands between a time and its zone so that a line
never breaks there. Month abbreviations are the notation's own, like the
German ``Uhr``; words (weekdays, zone names) come from the data.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from .money import exact_places, round_cents
from .usage_input import parse_english_usage as parse_usage

__all__ = [
    "format_date", "format_eur", "format_number", "format_percent", "format_time",
    "format_zoned_time", "parse_usage", "typed_amount",
]

NBSP = "\u00a0"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_number(value: Decimal, places: int) -> str:
    """``value`` with ``places`` decimals, commas between thousands, a decimal point.

    The value must already be rounded to ``places``; this only writes it.
    """
    return f"{value:,.{places}f}"


def format_eur(amount: Decimal, *, cents: bool = True) -> str:
    """``€1,500.00`` (rounded to the cent, half up); ``€1,500`` without cents.
    A negative amount has its sign before the euro sign: ``-€5.00``."""
    rounded = round_cents(amount)
    places = 0 if not cents and rounded == rounded.to_integral_value() else 2
    sign = "-" if rounded < 0 else ""
    return f"{sign}€{format_number(abs(rounded), places)}"


def format_percent(rate: Decimal, places: int | None = None) -> str:
    """``19%``, ``12.5%``; with ``places``, exactly that many decimals
    (``28.2%``, ``50.0%``; the rate must already be rounded to them).
    Without, a rate is written as exact as it is, with no trailing zeros."""
    if places is None:
        places = exact_places(rate)
    return f"{format_number(rate, places)}%"


def format_date(day: date) -> str:
    """``1 Dec 2026``: day without leading zero, the month's three-letter
    abbreviation, four-digit year (as ``german.format_date``)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year:04d}"


def format_time(moment: time | datetime) -> str:
    """``11:30`` (24-hour clock, as the business hours are written)."""
    return moment.strftime("%H:%M")


def format_zoned_time(moment: time | datetime, zone: str) -> str:
    """``11:30 CET``: the time and the zone's word (from the data)."""
    return f"{format_time(moment)}{NBSP}{zone}"


def typed_amount(amount: Decimal) -> str:
    """A fee as an English speaker would type it, and the English input
    reads back: ``25,000``, ``5,000.50`` (cents only when there are some)."""
    rounded = round_cents(amount)
    return format_number(rounded, 0 if rounded == rounded.to_integral_value() else 2)
