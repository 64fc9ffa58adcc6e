"""Issue 9, point 1: the repeated hour and the skipped hour, in CPython.

On 25.10.2026 Berlin's clocks go back (02:00–02:59 happens twice: first in
summer time MESZ, UTC+2, then in MEZ, UTC+1); on 28.03.2027 they go forward
(02:00–02:59 does not exist). A time that crosses the page/worker or link
boundary carries the instant: "Jetzt" sends UTC, a link keeps its offset
where the wall time is ambiguous, and the form offers both readings.

The due times of every minute of both nights are checked against an
oracle written here, in UTC: the EU summer-time rule (last Sunday of March
to last Sunday of October, switching at 01:00 UTC), the business hours as
UTC windows and a literal list of holidays. It shares no code with
``calculator``.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from calculator.browser_api import BrowserApi
from calculator.response_link import ResponseLink, parse_response_link
from calculator.response_view import response_view
from tests.catalog import real_catalog

NBSP = "\u00a0"
UTC = timezone.utc
# The two nights: every minute from 00:00 to 03:00 UTC.
NIGHTS = (datetime(2026, 10, 25, tzinfo=UTC), datetime(2027, 3, 28, tzinfo=UTC))
NIGHT_MINUTES = 181
# Nationwide holidays on the business days that follow the two nights.
ORACLE_HOLIDAYS = {date(2026, 12, 25), date(2026, 12, 26), date(2027, 3, 26), date(2027, 3, 29)}
ORACLE_WEEKDAYS = ("Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So.")


def view(plan: str, severity: int, submitted: str, **options: str | None) -> dict:
    return response_view(real_catalog(), plan, severity, submitted, **options)


def api(request: dict) -> dict:
    return json.loads(BrowserApi(real_catalog()).handle(json.dumps(request)))


# ─── The oracle: UTC arithmetic only ───────────────────────────────────────


def last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() - 6) % 7)


def berlin_offset(instant: datetime) -> timedelta:
    """UTC+2 from the last Sunday of March to the last Sunday of October,
    01:00 UTC each; else UTC+1."""
    year = instant.year
    summer_from = datetime.combine(last_sunday(year, 3), datetime.min.time(), UTC) + timedelta(hours=1)
    summer_to = datetime.combine(last_sunday(year, 10), datetime.min.time(), UTC) + timedelta(hours=1)
    return timedelta(hours=2 if summer_from <= instant < summer_to else 1)


def utc_window(day: date) -> tuple[datetime, datetime] | None:
    """09:00–18:00 Berlin of a business day, in UTC (no switch happens by day)."""
    if day.weekday() >= 5 or day in ORACLE_HOLIDAYS:
        return None
    noon = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=12)
    offset = berlin_offset(noon)
    start = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=9) - offset
    return start, start + timedelta(hours=9)


def oracle_due(minutes: int, business: bool, arrived: datetime) -> datetime:
    """The due instant in UTC."""
    if not business:
        return arrived + timedelta(minutes=minutes)
    left = timedelta(minutes=minutes)
    day = (arrived + berlin_offset(arrived)).date()
    while True:
        window = utc_window(day)
        if window and arrived < window[1]:
            begin = max(arrived, window[0])
            if begin + left <= window[1]:
                return begin + left
            left -= window[1] - begin
        day += timedelta(days=1)


def oracle_text(instant: datetime) -> tuple[str, str]:
    """(``So., 25.10.2026, 03:15 Uhr``, MEZ or MESZ) of a UTC instant."""
    offset = berlin_offset(instant)
    wall = instant + offset
    text = f"{ORACLE_WEEKDAYS[wall.weekday()]}, {wall:%d.%m.%Y, %H:%M}{NBSP}Uhr"
    return text, "MESZ" if offset == timedelta(hours=2) else "MEZ"


def night_instants() -> list[datetime]:
    return [night + timedelta(minutes=m) for night in NIGHTS for m in range(NIGHT_MINUTES)]


def targets() -> list[tuple[str, int, int | None, bool]]:
    """(plan, severity, minutes or None, business clock) for every pair."""
    catalog = real_catalog()
    found = []
    for plan in catalog.plans:
        for severity in catalog.severities:
            target = plan.target_for(severity.level)
            found.append((plan.id, severity.level, target and target.minutes,
                          bool(target) and target.clock.value == "business_hours"))
    return found


def test_the_oracle_knows_the_switches() -> None:
    """Negative control for the oracle itself: the offsets around both switches."""
    assert berlin_offset(datetime(2026, 10, 25, 0, 59, tzinfo=UTC)) == timedelta(hours=2)
    assert berlin_offset(datetime(2026, 10, 25, 1, 0, tzinfo=UTC)) == timedelta(hours=1)
    assert berlin_offset(datetime(2027, 3, 28, 0, 59, tzinfo=UTC)) == timedelta(hours=1)
    assert berlin_offset(datetime(2027, 3, 28, 1, 0, tzinfo=UTC)) == timedelta(hours=2)
    assert oracle_text(datetime(2026, 10, 25, 2, 15, tzinfo=UTC)) == (f"So., 25.10.2026, 03:15{NBSP}Uhr", "MEZ")
    # Basic from the night before Ostermontag 2027: Tuesday 09:00 MESZ + 12 h
    assert oracle_due(12 * 60, True, datetime(2027, 3, 28, 1, 30, tzinfo=UTC)) == datetime(
        2027, 3, 31, 10, 0, tzinfo=UTC)
    assert len(targets()) == 12


# ─── The issue's reproductions ──────────────────────────────────────────────


def test_issue9_01_now_in_the_repeated_hour_is_due_one_hour_later() -> None:
    """"Jetzt" at 01:45 UTC (the second 02:45 of the night): due 03:15 MEZ,
    30 minutes left, and the link keeps the offset."""
    request = {"type": "response", "plan": "premium", "severity": 1, "submitted": "2026-10-25T01:45Z",
               "now": "2026-10-25T01:45:00.000Z", "zone": "Europe/Berlin"}
    answer = api(request)
    assert answer["due"] == f"So., 25.10.2026, 03:15{NBSP}Uhr"
    assert answer["due_zone"] == "MEZ"
    assert answer["remaining"] == f"noch 30{NBSP}Minuten"
    assert answer["fragment"] == "plan=premium&schweregrad=1&eingang=2026-10-25T02:45%2B01:00"
    assert answer["entry"] == {
        "date": "2026-10-25", "time": "02:45", "zone": "MEZ", "kind": "repeated", "offset": "+01:00",
        "choices": [{"offset": "+02:00", "label": "02:45 MESZ"}, {"offset": "+01:00", "label": "02:45 MEZ"}],
        "note": "Den 25.10.2026, 02:45\u00a0Uhr gibt es zweimal, weil die Uhren in dieser Nacht "
                "zurückgestellt werden. Gerechnet wird mit 02:45\u00a0Uhr MEZ; bitte wählen Sie, "
                "welche Uhrzeit gemeint ist.",
    }


def test_issue9_01_a_wall_time_in_the_repeated_hour_is_not_silently_the_first() -> None:
    """The issue's Python call: a plain 02:45 is read as the first (MESZ),
    says so and offers the second; with the second's offset: 03:15."""
    first = view("premium", 1, "2026-10-25T02:45", now="2026-10-25T01:45:00Z")
    assert (first["due"], first["due_zone"]) == (f"So., 25.10.2026, 02:15{NBSP}Uhr", "MEZ")
    assert first["remaining"] == f"30{NBSP}Minuten überfällig"
    assert first["entry"]["kind"] == "repeated" and first["entry"]["offset"] == "+02:00"
    assert first["entry"]["note"].startswith(f"Den 25.10.2026, 02:45{NBSP}Uhr gibt es zweimal")
    assert first["eingang"] == "2026-10-25T02:45+02:00"
    second = view("premium", 1, "2026-10-25T02:45+01:00", now="2026-10-25T01:45:00Z")
    assert (second["due"], second["remaining"]) == (f"So., 25.10.2026, 03:15{NBSP}Uhr", f"noch 30{NBSP}Minuten")
    assert second["eingang"] == "2026-10-25T02:45+01:00"


@pytest.mark.parametrize("eingang", ["2026-10-25T01:30Z", "2026-10-25T02:30%2B01:00", "2026-10-25T02:30+01:00"])
def test_issue9_01_a_link_into_the_repeated_hour_keeps_its_offset(eingang: str) -> None:
    link = parse_response_link(f"plan=premium&schweregrad=1&eingang={eingang}", real_catalog())
    assert link.submitted == "2026-10-25T02:30+01:00"
    answer = view("premium", 1, link.submitted)
    assert (answer["due"], answer["due_zone"]) == (f"So., 25.10.2026, 03:00{NBSP}Uhr", "MEZ")
    assert answer["eingang"] == "2026-10-25T02:30+01:00"


def test_issue9_01_the_first_reading_and_ordinary_times_keep_plain_links() -> None:
    """Backwards compatible: a link without offset still works; only the
    ambiguous hour gets an offset (negative control for the above)."""
    catalog = real_catalog()
    assert parse_response_link("eingang=2026-10-25T02:30", catalog).submitted == "2026-10-25T02:30+02:00"
    assert parse_response_link("eingang=2026-10-25T00:30Z", catalog).submitted == "2026-10-25T02:30+02:00"
    assert parse_response_link("eingang=2026-10-25T01:59", catalog).submitted == "2026-10-25T01:59"
    assert parse_response_link("eingang=2026-10-25T03:00", catalog).submitted == "2026-10-25T03:00"
    assert parse_response_link("eingang=2026-11-27T17:30", catalog) == ResponseLink(
        "basic", 3, "2026-11-27T17:30", "2026-11-27T17:30", ())


def test_issue9_01_a_skipped_time_is_answered_with_a_note() -> None:
    answer = view("premium", 1, "2027-03-28T02:30")
    assert answer["entry"]["kind"] == "skipped" and answer["entry"]["choices"] == []
    assert answer["entry"]["note"] == (
        f"Den 28.03.2027, 02:30{NBSP}Uhr gibt es nicht, weil die Uhren in dieser Nacht vorgestellt werden. "
        f"Gerechnet wird mit 03:30{NBSP}Uhr MESZ (= 02:30{NBSP}Uhr MEZ)."
    )
    assert (answer["due"], answer["due_zone"]) == (f"So., 28.03.2027, 04:00{NBSP}Uhr", "MESZ")
    assert answer["eingang"] == "2027-03-28T02:30+01:00"
    link = parse_response_link("eingang=2027-03-28T02:30", real_catalog())
    assert link.submitted == "2027-03-28T02:30+01:00"
    # the other reading, as a link may carry it: 02:30 at UTC+2 is 01:30 MEZ
    other = view("premium", 1, "2027-03-28T02:30+02:00")
    assert other["entry"]["note"].endswith(f"Gerechnet wird mit 01:30{NBSP}Uhr MEZ (= 02:30{NBSP}Uhr MESZ).")
    assert other["due"] == f"So., 28.03.2027, 03:00{NBSP}Uhr"


# ─── Every minute of both nights ───────────────────────────────────────────


def test_issue9_01_every_minute_of_both_switch_nights_matches_a_utc_oracle() -> None:
    """Every minute 00:00–03:00 UTC of both nights, every plan and severity:
    sent as "Jetzt" sends it (UTC), and through the link the page writes and
    reads back, the due instant, its words and MEZ/MESZ are the oracle's."""
    catalog = real_catalog()
    client = BrowserApi(catalog)
    wrong = []
    checked = 0
    for arrived in night_instants():
        for plan, severity, minutes, business in targets():
            request = {"type": "response", "plan": plan, "severity": severity,
                       "submitted": arrived.strftime("%Y-%m-%dT%H:%MZ")}
            answer = json.loads(client.handle(json.dumps(request)))
            relinked = parse_response_link(answer["fragment"], catalog).submitted
            again = response_view(catalog, plan, severity, relinked)
            if minutes is None:
                if answer["has_target"] or again["has_target"]:
                    wrong.append(f"{arrived} {plan} {severity}: a target where the data has none")
                continue
            due = oracle_due(minutes, business, arrived)
            text, label = oracle_text(due)
            for how, got in (("instant", answer), ("link", again)):
                shown = (datetime.fromisoformat(got["due_iso"]).astimezone(UTC), got["due"], got["due_zone"])
                if shown != (due, text, label):
                    wrong.append(f"{arrived:%Y-%m-%dT%H:%MZ} {plan} {severity} via {how}: "
                                 f"expected {(due, text, label)}, got {shown}")
            checked += 1
    assert not wrong, f"{len(wrong)} wrong, e.g.:\n" + "\n".join(wrong[:10])
    assert checked == 2 * NIGHT_MINUTES * 9  # 9 targets in the data
