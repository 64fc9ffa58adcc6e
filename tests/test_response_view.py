"""The response-time calculator's texts and links, in CPython (fast).

``calculator.response_view`` words the due time the German way (weekday
names from the data, a no-break space before "Uhr" and before each unit),
the remaining time (rounded down) and the counted business hours;
``calculator.response_link`` reads and writes the page's fragment
(``reaktionszeit/#plan=basic&schweregrad=3&eingang=2026-11-27T17:30``).
The due instants themselves are tested in tests/test_response_time.py.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime, timezone
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from calculator import CalculatorError
from calculator.browser_api import BrowserApi
from calculator.response_link import ResponseLink, make_response_link, parse_response_link
from calculator.response_view import response_view
from tests.catalog import real_catalog
from tests.response_time_cases import CASES

NBSP = "\u00a0"
BERLIN = ZoneInfo("Europe/Berlin")
BAD_SUBMITTED = "Bitte Datum und Uhrzeit des Ticketeingangs angeben, z. B. 27.11.2026, 17:30 Uhr."
ISSUE_FRAGMENT = "plan=basic&schweregrad=3&eingang=2026-11-27T17:30"
PLAN_IDS = [plan.id for plan in real_catalog().plans]
LEVELS = [severity.level for severity in real_catalog().severities]


def nb(text: str) -> str:
    """``text`` with the no-break spaces the calculator writes: before
    "Uhr" and between a number and its unit ("3 Tage" → "3\\u00a0Tage")."""
    return re.sub(r"(\d) (Uhr|Tage?|Stunden?|Minuten?)\b", rf"\1{NBSP}\2", text)


def view(plan: str, severity: int, submitted: str, **options: str | None) -> dict:
    return response_view(real_catalog(), plan, severity, submitted, **options)


def case(what: str) -> tuple[str, int, str, str | None]:
    """(plan, severity, submitted, due) of the case named ``what``."""
    return next(row[1:] for row in CASES if row[0] == what)


def minutes_iso(iso: str) -> str:
    """An ISO instant with its offset, to the minute (seconds only if any)."""
    moment = datetime.fromisoformat(iso)
    return moment.isoformat(timespec="minutes" if moment.second == 0 else "seconds")


# ─── The due time, worded ──────────────────────────────────────────────────


def test_the_issues_ticket_in_words() -> None:
    """Friday 17:30, Basic, severity 3: due Tuesday 11:30, German time."""
    answer = view("basic", 3, "2026-11-27T17:30")
    assert answer["due"] == "Di., 01.12.2026, 11:30\u00a0Uhr"
    assert answer == {
        "ok": True,
        "has_target": True,
        "plan": "basic",
        "severity": 3,
        "clock": "business_hours",
        "submitted": nb("Fr., 27.11.2026, 17:30 Uhr"),
        "entry": {"date": "2026-11-27", "time": "17:30", "zone": "MEZ", "kind": "ordinary", "offset": None,
                  "choices": [], "note": None},
        "eingang": "2026-11-27T17:30",
        "starts": nb("Fr., 27.11.2026, 17:30 Uhr"),
        "clock_waits": False,
        "due": nb("Di., 01.12.2026, 11:30 Uhr"),
        "due_zone": "MEZ",
        "due_iso": "2026-12-01T11:30:00+01:00",
        "due_visitor": None,
        "remaining": None,
        "counted": [
            {"day": "Fr., 27.11.2026", "from": "17:30", "to": "18:00", "duration": nb("30 Minuten")},
            {"day": "Mo., 30.11.2026", "from": "09:00", "to": "18:00", "duration": nb("9 Stunden")},
            {"day": "Di., 01.12.2026", "from": "09:00", "to": "11:30", "duration": nb("2 Stunden, 30 Minuten")},
        ],
    }


@pytest.mark.parametrize(
    ("what", "due"),
    [
        ("Saturday, 36 h end Thursday 18:00", "Do., 03.12.2026, 18:00 Uhr"),
        ("Monday 09:01, 36 h spill to Friday", "Fr., 04.12.2026, 09:01 Uhr"),
        ("on Christmas Day", "Di., 29.12.2026, 12:00 Uhr"),
        ("New Year's Eve", "Di., 05.01.2027, 10:00 Uhr"),
        ("before Easter 2027", "Di., 30.03.2027, 18:00 Uhr"),
        ("submitted with an offset (18:30 Berlin)", "Di., 01.12.2026, 12:00 Uhr"),
        ("Premium 30 minutes after closing", "Fr., 27.11.2026, 18:15 Uhr"),
        ("4 h across the spring switch (DESIGN.md)", "So., 29.03.2026, 06:30 Uhr"),
        ("4 h across the autumn switch", "So., 25.10.2026, 04:30 Uhr"),
        ("submitted in UTC", "Mi., 01.07.2026, 16:00 Uhr"),
    ],
)
def test_due_times_in_words(what: str, due: str) -> None:
    plan, severity, submitted, _ = case(what)
    assert view(plan, severity, submitted)["due"] == nb(due)


@pytest.mark.parametrize(("what", "plan", "severity", "submitted", "due"), CASES, ids=[c[0] for c in CASES])
def test_the_view_carries_the_tables_due_instant(
    what: str, plan: str, severity: int, submitted: str, due: str | None
) -> None:
    answer = view(plan, severity, submitted)
    assert answer["ok"]
    assert answer["has_target"] is (due is not None)
    if due is not None:
        assert minutes_iso(answer["due_iso"]) == due


def test_a_weekend_ticket_waits_for_monday_morning() -> None:
    answer = view("basic", 4, "2026-11-28T12:00")
    assert answer["clock_waits"] is True
    assert answer["submitted"] == nb("Sa., 28.11.2026, 12:00 Uhr")
    assert answer["starts"] == nb("Mo., 30.11.2026, 09:00 Uhr")
    assert answer["due"] == nb("Do., 03.12.2026, 18:00 Uhr")
    assert [(c["day"], c["from"], c["to"], c["duration"]) for c in answer["counted"]] == [
        (day, "09:00", "18:00", nb("9 Stunden"))
        for day in ("Mo., 30.11.2026", "Di., 01.12.2026", "Mi., 02.12.2026", "Do., 03.12.2026")
    ]


def test_a_ticket_before_opening_waits_and_a_holiday_is_skipped() -> None:
    early = view("basic", 3, "2026-11-25T07:15")
    assert early["clock_waits"] is True
    assert early["starts"] == nb("Mi., 25.11.2026, 09:00 Uhr")
    christmas = view("basic", 3, "2026-12-23T17:00")
    assert [c["day"] for c in christmas["counted"]] == [
        "Mi., 23.12.2026", "Do., 24.12.2026", "Mo., 28.12.2026",
    ]


def test_round_the_clock_counts_no_business_hours_and_never_waits() -> None:
    answer = view("premium", 2, "2026-11-29T03:00")  # Sunday night
    assert answer["clock"] == "round_the_clock"
    assert answer["clock_waits"] is False
    assert answer["counted"] == []
    assert answer["starts"] == answer["submitted"] == nb("So., 29.11.2026, 03:00 Uhr")


# ─── Remaining time ────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("now", "remaining"),
    [
        ("2026-11-27T17:30:00+01:00", "noch 3 Tage, 18 Stunden"),
        # rounded down: never more time than is left
        ("2026-11-27T17:30:30+01:00", "noch 3 Tage, 17 Stunden, 59 Minuten"),
        ("2026-11-27T16:30:00.000Z", "noch 3 Tage, 18 Stunden"),  # the page's toISOString()
        ("2026-11-30T20:00:00-05:00", "noch 9 Stunden, 30 Minuten"),  # 02:00 in Berlin
        ("2026-11-30T11:29:00+01:00", "noch 1 Tag, 1 Minute"),
        ("2026-12-01T11:28:59+01:00", "noch 1 Minute"),
        ("2026-12-01T11:29:01+01:00", "noch 0 Minuten"),
        ("2026-12-01T10:30:00Z", "noch 0 Minuten"),  # exactly due
        ("2026-12-01T12:31:00+01:00", "1 Stunde, 1 Minute überfällig"),
        ("2026-12-02T12:30:00+01:00", "1 Tag, 1 Stunde überfällig"),
    ],
)
def test_remaining_time(now: str, remaining: str) -> None:
    assert view("basic", 3, "2026-11-27T17:30", now=now)["remaining"] == nb(remaining)


@pytest.mark.parametrize("now", [None, "", "jetzt", "2026-13-01T10:00Z"])
def test_no_remaining_time_without_a_readable_now(now: str | None) -> None:
    answer = view("basic", 3, "2026-11-27T17:30", now=now)
    assert answer["ok"] and answer["remaining"] is None


# ─── The visitor's zone ────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        ("America/New_York", "Di., 01.12.2026, 05:30 Uhr"),
        ("Asia/Kolkata", "Di., 01.12.2026, 16:00 Uhr"),
        ("Pacific/Kiritimati", "Mi., 02.12.2026, 00:30 Uhr"),  # another day
        ("UTC", "Di., 01.12.2026, 10:30 Uhr"),
        # same clock as Berlin at that instant: German time only
        ("Europe/Berlin", None),
        ("Europe/Paris", None),
        ("Africa/Lagos", None),  # +01:00 all year, like Berlin in winter
        # not a zone: German time only, no error
        ("Mars/Olympus_Mons", None),
        ("../../etc/passwd", None),
        ("", None),
        (None, None),
    ],
)
def test_the_due_time_in_the_visitors_zone(zone: str | None, shown: str | None) -> None:
    answer = view("basic", 3, "2026-11-27T17:30", visitor_zone=zone)
    assert answer["due"] == nb("Di., 01.12.2026, 11:30 Uhr")
    expected = None if shown is None else {"zone": zone, "due": nb(shown)}
    assert answer["due_visitor"] == expected


def test_a_zone_with_berlins_winter_offset_differs_in_summer() -> None:
    answer = view("advanced", 2, "2026-07-01T10:00Z", visitor_zone="Africa/Lagos")
    assert answer["due_visitor"] == {"zone": "Africa/Lagos", "due": nb("Mi., 01.07.2026, 15:00 Uhr")}


# ─── No target, unreadable submissions ─────────────────────────────────────


@pytest.mark.parametrize(("plan", "name", "severity"), [("basic", "Basic", 1), ("basic", "Basic", 2), ("advanced", "Advanced", 1)])
def test_no_target_is_said_not_invented(plan: str, name: str, severity: int) -> None:
    assert view(plan, severity, "2026-11-27T10:00", now="2026-11-27T09:00Z", visitor_zone="America/New_York") == {
        "ok": True,
        "has_target": False,
        "message": f"Der Plan {name} sagt für Schweregrad {severity} keine Reaktionszeit zu.",
        "submitted": nb("Fr., 27.11.2026, 10:00 Uhr"),
        "entry": {"date": "2026-11-27", "time": "10:00", "zone": "MEZ", "kind": "ordinary", "offset": None,
                  "choices": [], "note": None},
        "eingang": "2026-11-27T10:00",
    }


@pytest.mark.parametrize(
    ("plan", "severity", "submitted"),
    [
        ("basic", 3, ""),
        ("basic", 3, "gestern"),
        ("basic", 3, "2026-11-27T"),
        ("basic", 3, "2026-02-30T10:00"),
        ("basic", 3, "27.11.2026 17:30"),
        ("basic", 1, "gestern"),  # also where the plan has no target
        # outside the years 1 to 9999 (once an OverflowError)
        ("premium", 1, "0001-01-01T00:00"),
        ("basic", 3, "9999-12-31T17:00"),
        ("premium", 1, "9999-12-31T23:59"),
    ],
)
def test_an_unreadable_submission_gets_the_datas_message(plan: str, severity: int, submitted: str) -> None:
    assert real_catalog().messages["response_time"]["bad_submitted"] == BAD_SUBMITTED
    assert view(plan, severity, submitted) == {"ok": False, "code": "submitted", "message": BAD_SUBMITTED}


def test_unknown_plan_or_severity_is_an_error_not_a_message() -> None:
    with pytest.raises(CalculatorError):
        view("gold", 3, "2026-11-27T10:00")
    with pytest.raises(CalculatorError):
        view("basic", 7, "2026-11-27T10:00")


def test_the_browser_api_adds_the_canonical_fragment() -> None:
    api = BrowserApi(real_catalog())
    request = {"type": "response", "plan": "basic", "severity": 3, "submitted": "2026-11-27T17:30",
               "now": "2026-11-27T16:30:00.000Z", "zone": "America/New_York"}
    answer = json.loads(api.handle(json.dumps(request)))
    assert answer["fragment"] == ISSUE_FRAGMENT
    assert answer["due_visitor"]["due"] == nb("Di., 01.12.2026, 05:30 Uhr")
    bad = json.loads(api.handle(json.dumps({**request, "submitted": ""})))
    assert bad == {"ok": False, "code": "submitted", "message": BAD_SUBMITTED, "fragment": "plan=basic&schweregrad=3"}


# ─── Reading links ─────────────────────────────────────────────────────────


def parse(fragment: str) -> ResponseLink:
    return parse_response_link(fragment, real_catalog())


@pytest.mark.parametrize("fragment", [ISSUE_FRAGMENT, "#" + ISSUE_FRAGMENT])
def test_the_issues_link(fragment: str) -> None:
    assert parse(fragment) == ResponseLink("basic", 3, "2026-11-27T17:30", "2026-11-27T17:30", ())


@pytest.mark.parametrize(
    ("eingang", "wall"),
    [
        ("2026-11-27T17:30%2B00:00", "2026-11-27T18:30"),
        ("2026-11-27T17:30+00:00", "2026-11-27T18:30"),  # "+" typed into a link, read as a space
        ("2026-11-27T16:30Z", "2026-11-27T17:30"),
        ("2026-07-01T10:00Z", "2026-07-01T12:00"),  # summer time
        ("2026-11-27T17:30-05:00", "2026-11-27T23:30"),
        ("2026-11-27T23:30-05:00", "2026-11-28T05:30"),  # another day in Berlin
        ("2026-11-27%2017:30", "2026-11-27T17:30"),
        ("2026-11-27+17:30", "2026-11-27T17:30"),
        ("2026-11-27T17:30:45", "2026-11-27T17:30"),  # the fields hold minutes
        # skipped by the spring switch: kept as entered, with the offset it was read with
        ("2026-03-29T02:30", "2026-03-29T02:30+01:00"),
        ("0100-01-05T10:00", "0100-01-05T10:00"),  # four-digit year in every runtime
    ],
)
def test_eingang_becomes_german_wall_time(eingang: str, wall: str) -> None:
    link = parse(f"plan=basic&schweregrad=3&eingang={eingang}")
    assert (link.plan, link.severity, link.submitted, link.notes) == ("basic", 3, wall, ())


@pytest.mark.parametrize(
    ("fragment", "plan", "severity", "notes"),
    [
        ("plan=gold", "basic", 3, ("Den Plan „gold“ aus dem Link gibt es nicht; angezeigt wird Basic.",)),
        ("schweregrad=5", "basic", 3,
         ("Den Schweregrad „5“ aus dem Link gibt es nicht; angezeigt wird Schweregrad 3.",)),
        ("plan=premium&schweregrad=0", "premium", 1,
         ("Den Schweregrad „0“ aus dem Link gibt es nicht; angezeigt wird Schweregrad 1.",)),
        ("plan=Gold&schweregrad=drei", "basic", 3,
         ("Den Plan „Gold“ aus dem Link gibt es nicht; angezeigt wird Basic.",
          "Den Schweregrad „drei“ aus dem Link gibt es nicht; angezeigt wird Schweregrad 3.")),
        # control characters leave the note, a long value is cut
        ("plan=go%00ld%0A%E2%80%AE", "basic", 3,
         ("Den Plan „gold“ aus dem Link gibt es nicht; angezeigt wird Basic.",)),
        ("plan=" + "x" * 100, "basic", 3,
         (f"Den Plan „{'x' * 59}…“ aus dem Link gibt es nicht; angezeigt wird Basic.",)),
    ],
)
def test_unknown_plan_or_severity_falls_back_with_the_exact_note(
    fragment: str, plan: str, severity: int, notes: tuple[str, ...]
) -> None:
    link = parse(fragment)
    assert (link.plan, link.severity, link.notes) == (plan, severity, notes)


@pytest.mark.parametrize(
    ("fragment", "plan", "severity"),
    [
        # a severity alone: the first plan that promises something for it
        ("schweregrad=1", "premium", 1),
        ("schweregrad=2", "advanced", 2),
        ("schweregrad=3", "basic", 3),
        ("schweregrad=4", "basic", 4),
        # a plan alone: its most severe level with a target
        ("plan=basic", "basic", 3),
        ("plan=ADVANCED", "advanced", 2),
        ("plan=%20premium%20", "premium", 1),
        # both named: as named, even without a target
        ("plan=basic&schweregrad=1", "basic", 1),
        ("", "basic", 3),
        ("#", "basic", 3),
    ],
)
def test_defaults(fragment: str, plan: str, severity: int) -> None:
    link = parse(fragment)
    assert (link.plan, link.severity, link.submitted, link.notes) == (plan, severity, None, ())


@pytest.mark.parametrize(
    ("eingang", "raw"),
    [("gestern", "gestern"), ("2026-02-30T10:00", "2026-02-30T10:00"), ("27.11.2026%2017:30", "27.11.2026 17:30"),
     ("0001-01-01T00:00", "0001-01-01T00:00"), ("9999-12-31T23:59-01:00", "9999-12-31T23:59-01:00")],
)
def test_an_unreadable_eingang_is_reported_not_replaced(eingang: str, raw: str) -> None:
    link = parse(f"plan=advanced&schweregrad=2&eingang={eingang}")
    assert link == ResponseLink("advanced", 2, "", raw, ())


def test_repeated_and_unknown_keys() -> None:
    assert parse("plan=premium&plan=basic&schweregrad=2&schweregrad=9") == ResponseLink("premium", 2, None, "", ())
    assert parse("eingang=2026-11-27T17:30&eingang=gestern") == ResponseLink("basic", 3, "2026-11-27T17:30", "2026-11-27T17:30", ())
    assert parse("foo=bar&Plan=premium&x&&=&nutzung=25000&eingang=") == ResponseLink("basic", 3, None, "", ())


# ─── Writing links ─────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("plan", "severity", "submitted", "fragment"),
    [
        ("basic", 3, "2026-11-27T17:30", ISSUE_FRAGMENT),
        ("premium", 1, None, "plan=premium&schweregrad=1"),
        ("premium", 1, "", "plan=premium&schweregrad=1"),
        ("advanced", 2, "2026-11-27T17:30+01:00", "plan=advanced&schweregrad=2&eingang=2026-11-27T17:30%2B01:00"),
    ],
)
def test_make_response_link(plan: str, severity: int, submitted: str | None, fragment: str) -> None:
    assert make_response_link(plan, severity, submitted) == fragment


def test_the_made_link_reads_back() -> None:
    assert parse(make_response_link("advanced", 2, "2026-11-27T17:30+01:00")).submitted == "2026-11-27T17:30"
    assert parse(make_response_link("basic", 1, None)) == ResponseLink("basic", 1, None, "", ())


WALL_TIMES = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 12, 31)).map(
    lambda moment: moment.replace(second=0, microsecond=0)
)


def exists_in_berlin(wall: datetime) -> bool:
    """False for a wall time that a spring switch skips."""
    there = wall.replace(tzinfo=BERLIN)
    return there.astimezone(timezone.utc).astimezone(BERLIN).replace(tzinfo=None) == wall


def repeated_in_berlin(wall: datetime) -> bool:
    """True for a wall time that an autumn switch repeats."""
    return wall.replace(tzinfo=BERLIN, fold=0).utcoffset() != wall.replace(tzinfo=BERLIN, fold=1).utcoffset()


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PLAN_IDS), st.sampled_from(LEVELS), WALL_TIMES)
@example("premium", 1, datetime(2026, 10, 25, 2, 30))  # repeated: the first 02:30 (MESZ)
def test_link_round_trip(plan: str, severity: int, wall: datetime) -> None:
    assume(exists_in_berlin(wall))
    first = wall.replace(tzinfo=BERLIN).isoformat(timespec="minutes")  # with its offset
    submitted = first if repeated_in_berlin(wall) else wall.isoformat(timespec="minutes")
    fragment = make_response_link(plan, severity, submitted)
    assert parse("#" + fragment) == ResponseLink(plan, severity, submitted, submitted, ())
    # and the same instant with its offset reads as the same wall time
    assert parse(make_response_link(plan, severity, first)).submitted == submitted
    # the second occurrence of a repeated wall time keeps its own offset
    second = wall.replace(tzinfo=BERLIN, fold=1).isoformat(timespec="minutes")
    assert parse(make_response_link(plan, severity, second)).submitted == (second if second != first else submitted)


ANY_CHARACTER = st.characters(exclude_categories=("Cs",))
KEYS = ("plan", "schweregrad", "eingang", "foo", "", "PLAN")
VALUES = st.one_of(
    st.text(ANY_CHARACTER),
    st.text(st.sampled_from("0123456789-:TZ+ .%&=#"), max_size=30),
    st.sampled_from(PLAN_IDS + ["Basic", " premium", "gold", "1", "4", "0", "-1", "١", "3.0", "%", "%zz", "%C3"]),
    st.datetimes(timezones=st.none() | st.timezones()).map(lambda moment: quote(moment.isoformat())),
)


@st.composite
def fragments(draw: st.DrawFn) -> str:
    """Links of known, unknown and repeated keys with any values, each
    percent-encoded or raw, or any text at all."""
    if draw(st.booleans()):
        return draw(st.text(ANY_CHARACTER))
    pairs = draw(st.lists(st.tuples(st.sampled_from(KEYS), VALUES, st.booleans()), max_size=6))
    text = "&".join(f"{key}={quote(value, safe='') if encode else value}" for key, value, encode in pairs)
    return draw(st.sampled_from(["", "#"])) + text


@settings(max_examples=400, deadline=None)
@given(fragments())
def test_no_fragment_breaks_the_link_reader(fragment: str) -> None:
    catalog = real_catalog()
    link = parse_response_link(fragment, catalog)  # never raises
    assert link.plan in PLAN_IDS and link.severity in LEVELS
    for note in link.notes:
        assert not any(unicodedata.category(char) in ("Cc", "Cf") for char in note), note
    if link.submitted:
        # German wall time; the offset only where a clock change repeats or skips it
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d([+-]0[12]:00)?", link.submitted, re.ASCII), link.submitted
        # what the page puts into its fields gives a due time or says "none"
        assert response_view(catalog, link.plan, link.severity, link.submitted)["ok"]
    else:
        assert link.submitted in ("", None)
    assert (link.submitted is None) == (link.submitted_raw == "")
    # the page's request for the same fragment answers in JSON
    json.loads(BrowserApi(catalog).handle(json.dumps({"type": "response_link", "fragment": fragment})))


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(PLAN_IDS),
    st.sampled_from(LEVELS),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59), timezones=st.none() | st.timezones()),
    st.none() | st.sampled_from(["America/New_York", "Pacific/Kiritimati", "Etc/GMT+12", "Europe/Berlin", "x"]),
)
# the ends of the datetime range (each once raised OverflowError)
@example("basic", 3, datetime(9999, 12, 31, 17, 0), None)
@example("premium", 1, datetime(9999, 12, 31, 20, 0), "Pacific/Kiritimati")
@example("premium", 1, datetime(1, 1, 1, 0, 0), None)
def test_no_submission_breaks_the_view(plan: str, severity: int, moment: datetime, zone: str | None) -> None:
    answer = response_view(real_catalog(), plan, severity, moment.isoformat(), now="2026-11-27T16:30Z", visitor_zone=zone)
    assert answer["ok"] or answer == {"ok": False, "code": "submitted", "message": BAD_SUBMITTED}
