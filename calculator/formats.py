"""The one place that chooses a page language's notation.

``formats_for("de")`` is ``calculator.german`` (``1.500,00 €``, ``19 %``,
``01.12.2026``, ``11:30 Uhr``), ``formats_for("en")`` is
``calculator.english`` (``€1,500.00``, ``19%``, ``1 Dec 2026``, ``11:30``).
Both modules have the functions of ``Formats``, so a view takes a language
code, asks here once and never branches on the language itself. The words
(messages, weekday and zone names) come from the catalog of that language.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Protocol

from . import english, german
from .errors import CalculatorError

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"


class Formats(Protocol):
    """What a language module offers (``calculator.german``, ``calculator.english``)."""

    def format_number(self, value: Decimal, places: int) -> str: ...
    def format_eur(self, amount: Decimal, *, cents: bool = True) -> str: ...
    def format_percent(self, rate: Decimal, places: int | None = None) -> str: ...
    def format_date(self, day: date) -> str: ...
    def format_time(self, moment: time | datetime) -> str: ...
    def format_zoned_time(self, moment: time | datetime, zone: str) -> str: ...
    def typed_amount(self, amount: Decimal) -> str: ...
    def parse_usage(self, text: str) -> Decimal: ...


_BY_LANGUAGE: dict[str, Formats] = {"de": german, "en": english}


def formats_for(lang: str = DEFAULT_LANGUAGE) -> Formats:
    """The notation of ``lang`` (one of LANGUAGES); CalculatorError (code
    ``lang``) for any other value."""
    if not isinstance(lang, str) or lang not in _BY_LANGUAGE:
        raise CalculatorError(f"unknown language {lang!r:.20}, expected one of {', '.join(LANGUAGES)}",
                              code="lang")
    return _BY_LANGUAGE[lang]
