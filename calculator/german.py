"""How Germans write amounts, percentages, dates and times.

``1.500,00 €``, ``19 %``, ``01.12.2026``, ``11:30 Uhr``. A no-break space
(U+00A0) stands between a number and its unit so that a line never breaks
inside an amount. The same functions and signatures as
``calculator.english`` (see ``calculator.formats``).
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from .money import exact_places, round_cents
from .usage_input import parse_usage

__all__ = [
    "format_date", "format_eur", "format_number", "format_percent", "format_time",
    "format_zoned_time", "parse_usage", "typed_amount",
]

NBSP = "\u00a0"


def format_number(value: Decimal, places: int) -> str:
    """``value`` with ``places`` decimals, dots between thousands, a decimal comma.

    The value must already be rounded to ``places``; this only writes it.
    """
    text = f"{value:,.{places}f}"  # 1,234.50 in Python's notation
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def format_eur(amount: Decimal, *, cents: bool = True) -> str:
    """``1.500,00 €`` (rounded to the cent, half up); ``1.500 €`` without cents."""
    rounded = round_cents(amount)
    if not cents and rounded == rounded.to_integral_value():
        return f"{format_number(rounded, 0)}{NBSP}€"
    return f"{format_number(rounded, 2)}{NBSP}€"


def format_percent(rate: Decimal, places: int | None = None) -> str:
    """``19 %``, ``12,5 %``; with ``places``, exactly that many decimals
    (``28,2 %``, ``50,0 %``; the rate must already be rounded to them).
    Without, a rate is written as exact as it is, with no trailing zeros."""
    if places is None:
        places = exact_places(rate)
    return f"{format_number(rate, places)}{NBSP}%"


def format_date(day: date) -> str:
    """``01.12.2026`` (four-digit year everywhere: strftime's ``%Y`` differs
    between C libraries for years before 1000)."""
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


def format_time(moment: time | datetime) -> str:
    """``11:30 Uhr``."""
    return f"{moment.strftime('%H:%M')}{NBSP}Uhr"


def format_zoned_time(moment: time | datetime, zone: str) -> str:
    """``11:30 Uhr MEZ``: the time and the zone's word (from the data)."""
    return f"{format_time(moment)} {zone}"


def typed_amount(amount: Decimal) -> str:
    """A fee as a German would type it, and the German input reads back:
    ``25.000``, ``5.000,50`` (cents only when there are some)."""
    rounded = round_cents(amount)
    return format_number(rounded, 0 if rounded == rounded.to_integral_value() else 2)
