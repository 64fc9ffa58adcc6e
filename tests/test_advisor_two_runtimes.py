"""Issue 12: the Planberater answers alike in CPython and in Pyodide under Node.

The same advice requests the page's worker sends (``{"type": "advice",
"fragment", "source"}``), built from the exhaustive test's combinations (every
tenth, plus tampered links and form input), go to the built site's archive and
catalog.json in Pyodide (tests/pyodide_node.mjs) and to CPython; every answer
must be identical, and CPython's must agree with the oracle.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from tests.test_advisor import ORACLE, PLAN_ORDER, count_combinations, discrete_combinations, oracle_choice, oracle_misses
from tests.test_response_two_runtimes import Run, run_in_cpython, run_in_pyodide
from tests.test_two_runtimes import _bundle_dir, mismatches, report, trimmed_stdlib_problems

COMBINATIONS = [*discrete_combinations(), *count_combinations()][::10]
HOSTILE = (
    "#sg1=7&kontakte=%3Cimg%20src%3Dx%3E&tam=ja", "%ff%fe=%00", "&&&==", "kanaele=,,,", "kontakte=１２",
    "nutzung=1,2,3", "nutzung=25.000,50&kanaele=phone", "sg1=" + "9" * 3000, "zeiten=rund&drittanbieter=none",
)
REQUESTS = (
    [{"type": "advice", "fragment": a.fragment(), "source": "link"} for a in COMBINATIONS]
    + [{"type": "advice", "fragment": f, "source": s} for f in HOSTILE for s in ("link", "form")]
)


def vectors(answers: list[Any]) -> list[dict[str, Any]]:
    return [{"input": r["fragment"], "expected": a} for r, a in zip(REQUESTS, answers)]


@pytest.fixture(scope="module")
def bundle(built_site: Path) -> Path:
    return _bundle_dir(built_site)


@pytest.fixture(scope="module")
def pyodide(bundle: Path) -> Run:
    return run_in_pyodide(bundle, REQUESTS, [])


@pytest.fixture(scope="module")
def cpython(bundle: Path) -> list[Any]:
    return run_in_cpython(bundle, REQUESTS)


def test_issue12_advice_is_identical_in_cpython_and_pyodide(pyodide: Run, cpython: list[Any]) -> None:
    assert len(REQUESTS) >= 1800
    found = mismatches(vectors(cpython), pyodide.results)
    assert not found, report(found, len(REQUESTS), f"Pyodide {pyodide.runtime.get('pyodide')} under Node")


def test_issue12_pyodide_ran_on_the_trimmed_stdlib_the_site_ships(pyodide: Run, bundle: Path) -> None:
    assert trimmed_stdlib_problems(pyodide.runtime, bundle) == []


def test_issue12_cpython_answers_of_the_vectors_agree_with_the_oracle(cpython: list[Any]) -> None:
    for answers, view in zip(COMBINATIONS, cpython):
        assert {p["plan"]: len(p["misses"]) for p in view["plans"]} == {
            plan: oracle_misses(ORACLE[plan], answers) for plan in PLAN_ORDER}, answers
        assert (view["recommended"], view["closest"]) == oracle_choice(answers), answers


def test_issue12_negative_control_a_changed_answer_is_reported(pyodide: Run, cpython: list[Any]) -> None:
    wrong = copy.deepcopy(cpython)
    wrong[3]["plans"][0]["misses"] = ["erfunden"]
    found = mismatches(vectors(wrong), pyodide.results)
    assert [m.index for m in found] == [3]
