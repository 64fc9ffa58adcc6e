"""Issue 8: the holidays that stop the business clock are shown.

The Schweregrade overview and the response-time calculator's page list
the holidays of the build year (in Europe/Berlin) and of the next year,
computed at build time from ``business_hours`` in the data. The expected
dates are written out here (the German nationwide holidays as a calendar
prints them), independent of calculator/holidays.py.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from macros import pages
from macros.pages import Context, build_year, business_holidays, holiday_years
from tests.catalog import real_catalog, real_ui
from tests.test_site_content import soup, text_of

# The nationwide holidays by year, from a printed calendar.
HOLIDAYS = {
    2026: ["Do., 01.01.2026: Neujahr", "Fr., 03.04.2026: Karfreitag", "Mo., 06.04.2026: Ostermontag",
           "Fr., 01.05.2026: Tag der Arbeit", "Do., 14.05.2026: Christi Himmelfahrt",
           "Mo., 25.05.2026: Pfingstmontag", "Sa., 03.10.2026: Tag der Deutschen Einheit",
           "Fr., 25.12.2026: 1. Weihnachtstag", "Sa., 26.12.2026: 2. Weihnachtstag"],
    2027: ["Fr., 01.01.2027: Neujahr", "Fr., 26.03.2027: Karfreitag", "Mo., 29.03.2027: Ostermontag",
           "Sa., 01.05.2027: Tag der Arbeit", "Do., 06.05.2027: Christi Himmelfahrt",
           "Mo., 17.05.2027: Pfingstmontag", "So., 03.10.2027: Tag der Deutschen Einheit",
           "Sa., 25.12.2027: 1. Weihnachtstag", "So., 26.12.2027: 2. Weihnachtstag"],
    2028: ["Sa., 01.01.2028: Neujahr", "Fr., 14.04.2028: Karfreitag", "Mo., 17.04.2028: Ostermontag",
           "Mo., 01.05.2028: Tag der Arbeit", "Do., 25.05.2028: Christi Himmelfahrt",
           "Mo., 05.06.2028: Pfingstmontag", "Di., 03.10.2028: Tag der Deutschen Einheit",
           "Mo., 25.12.2028: 1. Weihnachtstag", "Di., 26.12.2028: 2. Weihnachtstag"],
}


def listed(site: Path, page: str) -> dict[str, list[str]]:
    """Year → the lines listed under "Feiertage" on ``page``."""
    html = soup(site, page)
    heading = html.select_one("h2#feiertage")
    assert heading is not None, f"{page}: no heading Feiertage"
    box = heading.find_next_sibling("div", class_="cci-holidays")
    return {text_of(year.select_one("p")): [text_of(item) for item in year.select("li")]
            for year in box.select(".cci-holiday-year")}


@pytest.mark.parametrize("page", ["schweregrade", "reaktionszeit"])
def test_issue8_holidays_are_listed_for_this_year_and_the_next(built_site: Path, page: str) -> None:
    year = datetime.now(ZoneInfo("Europe/Berlin")).year
    if year + 1 not in HOLIDAYS:
        pytest.fail(f"extend HOLIDAYS to {year + 1}", pytrace=False)
    assert listed(built_site, page) == {str(year): HOLIDAYS[year], str(year + 1): HOLIDAYS[year + 1]}
    intro = soup(built_site, page).select_one("h2#feiertage").find_next_sibling("p")
    assert text_of(intro) == ("Arbeitsstunden zählen nur während der Geschäftszeit von 09:00 bis 18:00 Uhr MEZ, "
                              "ausgenommen an Feiertagen und Wochenenden. An diesen Feiertagen steht die Uhr:")


def test_issue8_the_list_follows_the_data() -> None:
    """Negative control: the list is computed from the data, not written."""
    catalog = real_catalog()
    hours = dataclasses.replace(catalog.business_hours, holidays=catalog.business_hours.holidays[:1],
                                extra_closed_days=(date(2027, 12, 24),))
    changed = dataclasses.replace(catalog, business_hours=hours)
    assert [(entry.year, entry.days) for entry in holiday_years(changed, 2027)] == [
        (2027, (("Fr., 01.01.2027", "Neujahr"), ("Fr., 24.12.2027", ""))),
        (2028, (("Sa., 01.01.2028", "Neujahr"),)),
    ]
    html = business_holidays(Context(changed, None, "", real_ui()))
    assert "<li><span class=\"cci-holiday-date\">Fr., 24.12.2027</span>: Betriebsruhe</li>" in html


@pytest.mark.parametrize(
    ("now", "year"),
    [
        (datetime(2026, 12, 31, 22, 59, tzinfo=timezone.utc), 2026),
        (datetime(2026, 12, 31, 23, 0, tzinfo=timezone.utc), 2027),  # already 2027 in Berlin
        (datetime(2027, 6, 30, 12, 0, tzinfo=timezone.utc), 2027),
    ],
)
def test_issue8_the_current_year_is_the_build_dates_year_in_berlin(now: datetime, year: int) -> None:
    assert build_year(real_catalog(), now) == year


def test_issue8_source_date_epoch_fixes_the_build_year(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2027, 12, 31, 23, 30, tzinfo=timezone.utc).timestamp())))
    assert build_year(real_catalog()) == 2028
    assert [entry.year for entry in pages.holiday_years(real_catalog())] == [2028, 2029]
