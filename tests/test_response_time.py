"""Due times of first responses: literal tables, to the minute."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import holidays as holidays_package
import pytest

from calculator import CalculatorError
from calculator.holidays import easter_sunday, holidays_in
from calculator.response_time import Due, NoTarget, due_time, normalise_submission, read_submission
from tests.catalog import real_catalog
from tests.response_time_cases import CASES

BERLIN = ZoneInfo("Europe/Berlin")


def elapsed(start: datetime, end: datetime) -> float:
    """Real seconds between two instants. (Subtracting two datetimes of the
    same tzinfo gives wall-clock time, which is wrong across a clock change.)"""
    return (end.astimezone(timezone.utc) - start.astimezone(timezone.utc)).total_seconds()


@pytest.mark.parametrize(("what", "plan", "severity", "submitted", "due"), CASES, ids=[c[0] for c in CASES])
def test_due_time(what: str, plan: str, severity: int, submitted: str, due: str | None) -> None:
    result = due_time(real_catalog(), plan, severity, submitted)
    if due is None:
        assert isinstance(result, NoTarget)
        return
    assert isinstance(result, Due)
    assert result.due.isoformat(timespec="minutes" if result.due.second == 0 else "seconds") == due
    assert result.due.tzinfo == BERLIN
    # The counted intervals add up to the target exactly.
    counted = sum((elapsed(start, end) for start, end in result.counted), 0.0)
    assert counted == result.target.minutes * 60


def test_the_counted_hours_of_a_friday_evening_ticket() -> None:
    result = due_time(real_catalog(), "basic", 3, "2026-11-27T17:30")
    assert [(a.strftime("%a %H:%M"), b.strftime("%a %H:%M")) for a, b in result.counted] == [
        ("Fri 17:30", "Fri 18:00"),
        ("Mon 09:00", "Mon 18:00"),
        ("Tue 09:00", "Tue 11:30"),
    ]
    assert result.starts == datetime(2026, 11, 27, 17, 30, tzinfo=BERLIN)


def test_a_weekend_ticket_starts_the_clock_at_the_next_opening() -> None:
    result = due_time(real_catalog(), "basic", 4, "2026-11-28T12:00")
    assert result.submitted == datetime(2026, 11, 28, 12, 0, tzinfo=BERLIN)
    assert result.starts == datetime(2026, 11, 30, 9, 0, tzinfo=BERLIN)


def test_round_the_clock_across_spring_switch_is_four_real_hours() -> None:
    result = due_time(real_catalog(), "advanced", 2, "2026-03-29T01:30")
    assert elapsed(result.submitted, result.due) == 4 * 3600
    assert result.due.strftime("%H:%M %Z") == "06:30 CEST"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-27T17:30", "2026-11-27T17:30:00+01:00"),
        ("  2026-11-27T17:30  ", "2026-11-27T17:30:00+01:00"),
        ("2026-11-27 17:30", "2026-11-27T17:30:00+01:00"),
        ("2026-11-27T16:30Z", "2026-11-27T17:30:00+01:00"),
        ("2026-07-01T12:00+02:00", "2026-07-01T12:00:00+02:00"),
        (datetime(2026, 11, 27, 17, 30), "2026-11-27T17:30:00+01:00"),
        (datetime(2026, 11, 27, 12, 30, tzinfo=ZoneInfo("America/New_York")), "2026-11-27T18:30:00+01:00"),
        # a wall time skipped by the spring switch: read with the offset before it
        ("2026-03-29T02:30", "2026-03-29T03:30:00+02:00"),
    ],
)
def test_every_submission_goes_through_one_normaliser(value: object, expected: str) -> None:
    assert normalise_submission(value, BERLIN).isoformat() == expected


@pytest.mark.parametrize("value", ["", "morgen", "2026-13-01T10:00", "27.11.2026 17:30", 1764261000, None])
def test_bad_submissions_are_refused(value: object) -> None:
    with pytest.raises(CalculatorError) as caught:
        due_time(real_catalog(), "basic", 3, value)
    assert caught.value.code == "submitted"


def test_unknown_plan_and_severity_are_refused() -> None:
    with pytest.raises(CalculatorError, match="unknown plan 'gold'"):
        due_time(real_catalog(), "gold", 3, "2026-11-27T10:00")
    with pytest.raises(CalculatorError, match="unknown severity level 5"):
        due_time(real_catalog(), "basic", 5, "2026-11-27T10:00")


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)),
     (2027, date(2027, 3, 28)), (2038, date(2038, 4, 25)), (2285, date(2285, 3, 22))],
)
def test_easter_sunday(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


def test_holiday_rules_match_the_german_nationwide_holidays_2000_to_2060() -> None:
    """Cross-check against the `holidays` package (national holidays only)."""
    rules = real_catalog().business_hours.holidays
    for year in range(2000, 2061):
        ours = set(holidays_in(rules, year))
        # Reformationstag 2017 was a one-off nationwide holiday.
        theirs = {day for day in holidays_package.country_holidays("DE", years=year) if day != date(2017, 10, 31)}
        assert ours == theirs, year


def test_holiday_names_come_from_the_data() -> None:
    names = holidays_in(real_catalog().business_hours.holidays, 2026)
    assert names[date(2026, 4, 3)] == "Karfreitag"
    assert names[date(2026, 12, 26)] == "2. Weihnachtstag"
    assert date(2026, 12, 24) not in names and date(2026, 12, 31) not in names


def test_negative_control_without_holidays_christmas_counts() -> None:
    """The holiday rules from the data are what moves the Christmas case."""
    catalog = real_catalog()
    hours = dataclasses.replace(catalog.business_hours, holidays=())
    bare = dataclasses.replace(catalog, business_hours=hours)
    assert due_time(bare, "basic", 3, "2026-12-23T17:00").due.isoformat() == "2026-12-25T11:00:00+01:00"
    assert due_time(catalog, "basic", 3, "2026-12-23T17:00").due.isoformat() == "2026-12-28T11:00:00+01:00"


@pytest.mark.parametrize(
    ("value", "wall", "moment", "kind"),
    [
        ("2026-10-25T02:30", "2026-10-25T02:30", "2026-10-25T02:30:00+02:00", "repeated"),  # the first
        ("2026-10-25T02:30+01:00", "2026-10-25T02:30", "2026-10-25T02:30:00+01:00", "repeated"),
        ("2026-10-25T01:30Z", "2026-10-25T02:30", "2026-10-25T02:30:00+01:00", "repeated"),
        ("2026-10-25T00:30Z", "2026-10-25T02:30", "2026-10-25T02:30:00+02:00", "repeated"),
        ("2026-10-25T03:00", "2026-10-25T03:00", "2026-10-25T03:00:00+01:00", "ordinary"),
        ("2027-03-28T02:30", "2027-03-28T02:30", "2027-03-28T03:30:00+02:00", "skipped"),
        ("2027-03-28T02:30+02:00", "2027-03-28T02:30", "2027-03-28T01:30:00+01:00", "skipped"),
        # an offset Berlin never has at that wall time: an instant from elsewhere
        ("2026-11-27T17:30+00:00", "2026-11-27T18:30", "2026-11-27T18:30:00+01:00", "ordinary"),
        ("2026-10-25T02:30+00:00", "2026-10-25T03:30", "2026-10-25T03:30:00+01:00", "ordinary"),
    ],
)
def test_issue9_01_read_submission_keeps_the_wall_time_and_the_instant(
    value: str, wall: str, moment: str, kind: str
) -> None:
    entry = read_submission(value, BERLIN)
    assert (entry.wall.isoformat(timespec="minutes"), entry.moment.isoformat(), entry.kind.value) == (wall, moment, kind)
