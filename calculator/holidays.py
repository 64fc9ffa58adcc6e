"""Public holidays from yearly rules: a fixed day, or days after Easter.

The rules live in the data file (``business_hours.holidays``); this module
turns them into dates for any year, so neither the build nor the browser
needs a holiday library or a list of years.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class HolidayRule:
    """A holiday every year: on ``month``/``day``, or ``easter`` days after
    Easter Sunday (Gregorian; negative before it). Exactly one applies."""

    name: str
    month: int | None = None
    day: int | None = None
    easter: int | None = None

    def on(self, year: int) -> date | None:
        """The holiday's date in ``year``; None if it does not exist (29 Feb)."""
        if self.easter is not None:
            return easter_sunday(year) + timedelta(days=self.easter)
        try:
            return date(year, self.month, self.day)  # type: ignore[arg-type]
        except ValueError:
            return None


def easter_sunday(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def holidays_in(rules: tuple[HolidayRule, ...], year: int) -> dict[date, str]:
    """Every holiday of ``year``: date → name (the first rule wins a clash)."""
    found: dict[date, str] = {}
    for rule in rules:
        day = rule.on(year)
        if day is not None and day.year == year:
            found.setdefault(day, rule.name)
    return found
