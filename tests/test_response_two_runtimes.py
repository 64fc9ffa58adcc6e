"""The response-time case table passes in CPython and in Pyodide.

Every case of tests/response_time_cases.py goes, as the page's worker sends
it (``{"type": "response", ...}``), through ``BrowserApi.handle`` twice:

1. in CPython, from the built site's catalog.json;
2. in Pyodide under Node (tests/pyodide_node.mjs), from the built site's
   lock file, trimmed standard library (with the calculator) and
   catalog.json, with the ``tzdata`` wheel the page loads too (Pyodide has no time zone database of its own).

Both must give each case's due instant, with its offset, to the minute;
a handful of full answers (fixed "now", visitor zones, links) must be equal
in both runtimes. Negative controls: a wrong expectation is reported, and
without tzdata Pyodide cannot answer at all.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from calculator.browser_api import BrowserApi
from tests.response_time_cases import CASES
from tests.test_response_clock_change import night_instants, oracle_due, oracle_text, targets
from tests.test_two_runtimes import (
    HARNESS, NODE_TIMEOUT_S, RUNTIME_PACKAGE, _bundle_dir, differences, trimmed_stdlib_problems,
)

Case = tuple[str, str, int, str, str | None]

# Full answers compared between the runtimes: remaining time and visitor
# zone (another day, a half-hour offset, an unknown zone), no target, an
# unreadable submission, and links.
NOW = "2026-11-27T16:30:00.000Z"  # as the page sends it: Friday 17:30 in Berlin
VIEW_REQUESTS: list[dict[str, Any]] = [
    {"type": "response", "plan": "basic", "severity": 3, "submitted": "2026-11-27T17:30", "now": NOW,
     "zone": "America/New_York"},
    {"type": "response", "plan": "basic", "severity": 4, "submitted": "2026-11-28T12:00", "now": NOW,
     "zone": "Asia/Kolkata"},
    {"type": "response", "plan": "basic", "severity": 3, "submitted": "2026-12-23T17:00", "now": NOW,
     "zone": "Pacific/Kiritimati"},
    {"type": "response", "plan": "advanced", "severity": 2, "submitted": "2026-03-29T01:30", "now": NOW,
     "zone": "Europe/Paris"},
    {"type": "response", "plan": "premium", "severity": 1, "submitted": "2026-11-27T17:45", "now": NOW,
     "zone": "Mars/Olympus_Mons"},
    {"type": "response", "plan": "premium", "severity": 3, "submitted": "2026-10-24T20:00", "now": NOW,
     "zone": "Africa/Lagos"},
    {"type": "response", "plan": "basic", "severity": 1, "submitted": "2026-11-27T10:00", "now": NOW,
     "zone": "America/New_York"},
    {"type": "response", "plan": "basic", "severity": 3, "submitted": "gestern", "now": NOW, "zone": "UTC"},
    {"type": "response", "plan": "basic", "severity": 3, "submitted": "9999-12-31T17:00", "now": NOW},
    {"type": "response_link", "fragment": "#plan=basic&schweregrad=3&eingang=2026-11-27T17:30"},
    {"type": "response_link", "fragment": "#schweregrad=1"},
    {"type": "response_link", "fragment": "#plan=Gold&schweregrad=9&eingang=2026-11-27T17:30+00:00"},
    {"type": "response_link", "fragment": "#eingang=2026-07-01T10:00Z"},
    {"type": "response_link", "fragment": "#eingang=0100-01-05T10:00"},
    {"type": "response_link", "fragment": "#eingang=gestern"},
]


# Issue 9, point 1: the nights the clocks change, every 5 minutes from 00:00
# to 03:00 UTC, every plan and severity, as "Jetzt" sends them (UTC), and
# links and wall times in the repeated and the skipped hour.
NIGHT_REQUESTS: list[dict[str, Any]] = [
    {"type": "response", "plan": plan, "severity": severity, "submitted": f"{arrived:%Y-%m-%dT%H:%M}Z",
     "now": "2026-10-25T01:45:00.000Z"}
    for arrived in night_instants()[::5]
    for plan, severity, _, _ in targets()
] + [
    {"type": "response_link", "fragment": f"#plan=premium&schweregrad=1&eingang={eingang}"}
    for eingang in ("2026-10-25T01:30Z", "2026-10-25T02:30%2B01:00", "2026-10-25T02:30", "2027-03-28T02:30",
                    "2027-03-28T02:30%2B02:00")
] + [
    {"type": "response", "plan": "premium", "severity": 1, "submitted": submitted, "now": "2026-10-25T01:45:00Z"}
    for submitted in ("2026-10-25T02:45", "2026-10-25T02:45+01:00", "2027-03-28T02:30", "2027-03-28T02:30+02:00")
]


def case_request(case: Case) -> dict[str, Any]:
    _, plan, severity, submitted, _ = case
    return {"type": "response", "plan": plan, "severity": severity, "submitted": submitted}


def to_the_minute(iso: str) -> str:
    """An ISO instant with its offset, to the minute (seconds only if any),
    as the table writes it: ``2026-12-01T11:30+01:00``."""
    moment = datetime.fromisoformat(iso)
    return moment.isoformat(timespec="minutes" if moment.second == 0 else "seconds")


def case_mismatches(cases: list[Case], answers: list[Any]) -> list[str]:
    """One message for each case whose answer is not its expected due time."""
    found = []
    for (what, plan, severity, submitted, due), answer in zip(cases, answers):
        label = f"{what!r} ({plan}, {severity}, {submitted})"
        if not isinstance(answer, dict) or "exception" in answer or not answer.get("ok"):
            found.append(f"{label}: expected {due}, got {answer}")
        elif due is None:
            if answer["has_target"]:
                found.append(f"{label}: expected no target, got {to_the_minute(answer['due_iso'])}")
        elif not answer["has_target"]:
            found.append(f"{label}: expected {due}, got no target")
        elif to_the_minute(answer["due_iso"]) != due:
            found.append(f"{label}: expected {due}, got {to_the_minute(answer['due_iso'])}")
    if len(answers) != len(cases):
        found.append(f"expected {len(cases)} answers, got {len(answers)}")
    return found


# ─── Running the requests ──────────────────────────────────────────────────


@dataclass(frozen=True)
class Run:
    runtime: dict[str, Any]
    results: list[Any]


def run_in_pyodide(bundle: Path, requests: list[dict[str, Any]], packages: list[str]) -> Run:
    """The harness's answers to ``requests`` (see tests/pyodide_node.mjs)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: install Node.js >= 18 (make test needs it for npm)", pytrace=False)
    if not (RUNTIME_PACKAGE / "package.json").is_file():
        pytest.fail("node_modules/pyodide is missing: run `make test` or `npm ci`", pytrace=False)
    payload = json.dumps({"requests": requests, "packages": packages}).encode()
    try:
        proc = subprocess.run([node, str(HARNESS), str(bundle)], input=payload, capture_output=True,
                              timeout=NODE_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as error:
        stderr = (error.stderr or b"").decode(errors="replace")
        pytest.fail(f"Pyodide under Node did not finish in {NODE_TIMEOUT_S} s\n{stderr}", pytrace=False)
    if proc.returncode != 0:
        pytest.fail(f"{HARNESS.name} failed ({proc.returncode}):\n{proc.stderr.decode(errors='replace')}",
                    pytrace=False)
    answer = json.loads(proc.stdout)
    return Run(answer["runtime"], answer["results"])


def run_in_cpython(bundle: Path, requests: list[dict[str, Any]]) -> list[Any]:
    """CPython's answers to ``requests``, from the same catalog.json."""
    api = BrowserApi.from_json((bundle / "catalog.json").read_text(encoding="utf-8"))
    answers = []
    for request in requests:
        try:
            answers.append(json.loads(api.handle(json.dumps(request))))
        except Exception as error:  # as the harness reports it
            answers.append({"exception": f"{type(error).__name__}: {error}"})
    return answers


ALL_REQUESTS = [case_request(case) for case in CASES] + VIEW_REQUESTS + NIGHT_REQUESTS


@pytest.fixture(scope="module")
def bundle(built_site: Path) -> Path:
    return _bundle_dir(built_site)


@pytest.fixture(scope="module")
def pyodide(bundle: Path) -> Run:
    return run_in_pyodide(bundle, ALL_REQUESTS, ["tzdata"])


@pytest.fixture(scope="module")
def cpython(bundle: Path) -> list[Any]:
    return run_in_cpython(bundle, ALL_REQUESTS)


# ─── The table in both runtimes ────────────────────────────────────────────


def test_pyodide_ran_on_the_trimmed_stdlib_the_site_ships(pyodide: Run, bundle: Path) -> None:
    assert trimmed_stdlib_problems(pyodide.runtime, bundle) == []


def test_the_case_table_passes_in_cpython(cpython: list[Any]) -> None:
    found = case_mismatches(CASES, cpython[: len(CASES)])
    assert not found, "CPython:\n" + "\n".join(found)


def test_the_case_table_passes_in_pyodide(pyodide: Run) -> None:
    found = case_mismatches(CASES, pyodide.results[: len(CASES)])
    assert not found, f"Pyodide {pyodide.runtime['pyodide']} under Node:\n" + "\n".join(found)


def test_full_answers_are_equal_in_both_runtimes(pyodide: Run, cpython: list[Any]) -> None:
    assert len(pyodide.results) == len(cpython) == len(ALL_REQUESTS)
    found = [
        f"{request}:\n    " + "\n    ".join(diff)
        for request, want, got in zip(ALL_REQUESTS, cpython, pyodide.results)
        if (diff := list(differences(want, got)))
    ]
    assert not found, "CPython and Pyodide differ:\n" + "\n".join(found)
    # the comparison saw real answers, not two equal failures
    assert not any("exception" in answer for answer in cpython)
    views = cpython[len(CASES):]
    assert views[0]["due_visitor"] == {"zone": "America/New_York", "due": "Di., 01.12.2026, 05:30\u00a0Uhr"}
    assert views[0]["remaining"] == "noch 3\u00a0Tage, 18\u00a0Stunden"
    # Kiritimati (+14:00): Monday 11:00 in Berlin is already Tuesday there
    assert views[2]["due"] == "Mo., 28.12.2026, 11:00\u00a0Uhr"
    assert views[2]["due_visitor"]["due"] == "Di., 29.12.2026, 00:00\u00a0Uhr"
    assert views[4]["due_visitor"] is None and views[3]["due_visitor"] is None


def test_issue9_01_the_switch_nights_in_pyodide_match_the_utc_oracle(pyodide: Run) -> None:
    """The night requests in Pyodide: each due instant, its words and MEZ/MESZ
    as the oracle says; the links and wall times keep their offsets."""
    answers = pyodide.results[-len(NIGHT_REQUESTS):]
    minutes = {(plan, severity): (length, business) for plan, severity, length, business in targets()}
    wrong = []
    for request, answer in zip(NIGHT_REQUESTS, answers):
        if request["type"] != "response" or not request["submitted"].endswith("Z"):
            continue
        length, business = minutes[request["plan"], request["severity"]]
        arrived = datetime.fromisoformat(request["submitted"])
        if length is None:
            expected: tuple[Any, ...] = (False,)
            got: tuple[Any, ...] = (answer.get("has_target"),)
        else:
            due = oracle_due(length, business, arrived)
            expected = (due, *oracle_text(due))
            got = (datetime.fromisoformat(answer["due_iso"]), answer["due"], answer["due_zone"])
        if got != expected:
            wrong.append(f"{request}: expected {expected}, got {got}")
    assert not wrong, "\n".join(wrong[:10])
    links = [answer["submitted"] for answer in answers if "submitted" in answer and "notes" in answer]
    assert links == ["2026-10-25T02:30+01:00", "2026-10-25T02:30+01:00", "2026-10-25T02:30+02:00",
                     "2027-03-28T02:30+01:00", "2027-03-28T02:30+02:00"]
    walls = [(answer["due"], answer["entry"]["kind"], answer["eingang"]) for answer in answers[-4:]]
    assert walls == [
        ("So., 25.10.2026, 02:15\u00a0Uhr", "repeated", "2026-10-25T02:45+02:00"),
        ("So., 25.10.2026, 03:15\u00a0Uhr", "repeated", "2026-10-25T02:45+01:00"),
        ("So., 28.03.2027, 04:00\u00a0Uhr", "skipped", "2027-03-28T02:30+01:00"),
        ("So., 28.03.2027, 03:00\u00a0Uhr", "skipped", "2027-03-28T02:30+02:00"),
    ]


def test_pyodide_ran_the_sites_wheels(pyodide: Run, bundle: Path) -> None:
    lock = json.loads((bundle / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert pyodide.runtime["calculator"] == "/lib/python314.zip/calculator/__init__.pyc"
    tzdata = pyodide.runtime["packages"]["tzdata"]
    assert tzdata == {"wheel": lock["packages"]["tzdata"]["file_name"],
                      "sha256": lock["packages"]["tzdata"]["sha256"]}
    assert pyodide.runtime["count"] == len(ALL_REQUESTS)


# ─── Negative controls ─────────────────────────────────────────────────────


def test_a_wrong_expectation_is_reported(pyodide: Run) -> None:
    wrong = copy.deepcopy(CASES)
    index = next(i for i, case in enumerate(wrong) if case[0] == "Friday evening (DESIGN.md)")
    wrong[index] = (*wrong[index][:4], "2026-12-01T11:31+01:00")  # one minute off
    summer = next(i for i, case in enumerate(wrong) if case[0] == "4 h across the spring switch (DESIGN.md)")
    wrong[summer] = (*wrong[summer][:4], "2026-03-29T06:30+01:00")  # right wall time, wrong offset
    none = next(i for i, case in enumerate(wrong) if case[4] is None)
    wrong[none] = (*wrong[none][:4], "2026-11-27T22:00+01:00")  # a target that does not exist

    found = case_mismatches(wrong, pyodide.results[: len(CASES)])

    assert found == [  # in the order of the table
        "'Friday evening (DESIGN.md)' (basic, 3, 2026-11-27T17:30): "
        "expected 2026-12-01T11:31+01:00, got 2026-12-01T11:30+01:00",
        "'4 h across the spring switch (DESIGN.md)' (advanced, 2, 2026-03-29T01:30): "
        "expected 2026-03-29T06:30+01:00, got 2026-03-29T06:30+02:00",
        "'Basic names no target for severity 1' (basic, 1, 2026-11-27T10:00): "
        "expected 2026-11-27T22:00+01:00, got no target",
    ]
    assert case_mismatches(CASES, pyodide.results[: len(CASES) - 1]) == [
        f"expected {len(CASES)} answers, got {len(CASES) - 1}"
    ]


def test_without_tzdata_pyodide_cannot_answer(bundle: Path) -> None:
    """Pyodide ships no time zone database: the page must load tzdata."""
    run = run_in_pyodide(bundle, [case_request(CASES[0])], [])
    [answer] = run.results
    assert answer["exception"].startswith("CalculatorError: time zone 'Europe/Berlin' is not available"), answer
    assert run.runtime["packages"] == {}
