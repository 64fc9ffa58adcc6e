"""One code, two runtimes: the calculator answers alike in CPython and Pyodide.

tests/vectors/pricing.json holds over 1.000 usage inputs (seeded random fees
from 0 to 10.000.000 € with cents, every price edge ±0,01 €, German
spellings, refused inputs) with CPython's ``price_view`` answer for each.

1. CPython recomputes every answer from data/plans.yaml: the file must be
   current (a change of data or code means: regenerate it, review the diff).
2. Pyodide, run under Node from the npm package the site copies, loads the
   built site's own lock file and catalog.json (tests/pyodide_node.mjs),
   boots with the site's trimmed standard library (python_stdlib.zip of
   the bundle) and imports the calculator's bytecode from it, as the
   page's worker does, and must give exactly the same answers.
3. Negative controls: the comparison reports a wrong expected value.
"""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

import pytest

from calculator import CalculatorError, parse_usage
from tests.catalog import real_catalog
from tests.helpers import REPO_ROOT
from tests.vectors.generate_pricing import (
    REGENERATE,
    VECTOR_FILE,
    edge_fees,
    expected,
    load,
    render,
)

HARNESS = REPO_ROOT / "tests" / "pyodide_node.mjs"
RUNTIME_PACKAGE = REPO_ROOT / "node_modules" / "pyodide"
# The files of the runtime the site ships (macros/browser_bundle.py); the
# standard library is the bundle's own (macros/stdlib_trim.py).
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
STDLIB_FILE = "python_stdlib.zip"
# Pyodide boots in about 3 s in Node; a hang (e.g. a fetch) must fail, not block.
NODE_TIMEOUT_S = 120
SHOWN_MISMATCHES = 5
STALE = (
    f"tests/vectors/pricing.json is out of date with the calculator or data/plans.yaml. "
    f"If the change is intended, regenerate it with `{REGENERATE}` and review "
    f"`git diff tests/vectors/pricing.json`."
)


# ─── Comparison (shared by every check, and proven by the negative controls) ──


@dataclass(frozen=True)
class Mismatch:
    index: int
    input: str
    differences: tuple[str, ...]

    def __str__(self) -> str:
        lines = "\n".join(f"    {line}" for line in self.differences)
        return f"  vector {self.index}, input {self.input!r}:\n{lines}"


def differences(want: Any, got: Any, path: str = "") -> Iterator[str]:
    """``path: expected X, got Y`` for every leaf where ``got`` differs."""
    if isinstance(want, dict) and isinstance(got, dict):
        for name in sorted(set(want) | set(got)):
            if name not in got:
                yield f"{path}.{name}: missing"
            elif name not in want:
                yield f"{path}.{name}: unexpected {got[name]!r}"
            else:
                yield from differences(want[name], got[name], f"{path}.{name}")
    elif isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        for index, (one, other) in enumerate(zip(want, got)):
            yield from differences(one, other, f"{path}[{index}]")
    elif want != got or type(want) is not type(got):
        yield f"{path or '(answer)'}: expected {want!r}, got {got!r}"


def mismatches(vectors: list[dict[str, Any]], results: list[Any]) -> list[Mismatch]:
    """The vectors whose result is not exactly the expected answer."""
    found = [
        Mismatch(index, vector["input"], diff)
        for index, (vector, result) in enumerate(zip(vectors, results))
        if (diff := tuple(differences(vector["expected"], result)))
    ]
    if len(results) != len(vectors):
        found.append(Mismatch(min(len(results), len(vectors)), "(end)",
                              (f"expected {len(vectors)} results, got {len(results)}",)))
    return found


def report(found: list[Mismatch], total: int, where: str) -> str:
    shown = "\n".join(str(m) for m in found[:SHOWN_MISMATCHES])
    more = f"\n  ... and {len(found) - SHOWN_MISMATCHES} more" if len(found) > SHOWN_MISMATCHES else ""
    return f"{where}: {len(found)} of {total} vectors differ\n{shown}{more}"


# ─── Fixtures ─────────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def vectors() -> list[dict[str, Any]]:
    return load()


def _bundle_dir(site: Path) -> Path:
    bundles = [p.parent for p in sorted((site / "assets" / "calculator").glob("*/pyodide-lock.json"))]
    if len(bundles) != 1:
        pytest.fail(f"expected one calculator bundle in {site}/assets/calculator, "
                    f"found {[str(b) for b in bundles]}", pytrace=False)
    return bundles[0]


@dataclass(frozen=True)
class NodeRun:
    runtime: dict[str, Any]
    results: list[Any]
    bundle: Path


@pytest.fixture(scope="module")
def node_run(built_site: Path) -> NodeRun:
    """The harness's answers for every vector, from the built site's bundle."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: install Node.js >= 18 (make test needs it for npm)",
                    pytrace=False)
    if not (RUNTIME_PACKAGE / "package.json").is_file():
        pytest.fail("node_modules/pyodide is missing: run `make test` or `npm ci`", pytrace=False)
    bundle = _bundle_dir(built_site)
    try:
        proc = subprocess.run(
            [node, str(HARNESS), str(bundle)],
            input=VECTOR_FILE.read_bytes(),
            capture_output=True,
            timeout=NODE_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        stderr = (error.stderr or b"").decode(errors="replace")
        pytest.fail(f"Pyodide under Node did not finish in {NODE_TIMEOUT_S} s "
                    f"(is it waiting for the network?)\n{stderr}", pytrace=False)
    stderr = proc.stderr.decode(errors="replace")
    if proc.returncode != 0:
        pytest.fail(f"{HARNESS.name} failed ({proc.returncode}):\n{stderr}", pytrace=False)
    answer = json.loads(proc.stdout)
    return NodeRun(answer["runtime"], answer["results"], bundle)


# ─── The vector file ──────────────────────────────────────────────────────


def test_vector_file_covers_the_required_inputs(vectors: list[dict[str, Any]]) -> None:
    inputs = [v["input"] for v in vectors]
    assert len(inputs) == len(set(inputs)) >= 1000
    fees = set()
    for typed in inputs:
        try:
            fees.add(parse_usage(typed))
        except CalculatorError:
            pass
    assert set(edge_fees(real_catalog())) <= fees, STALE
    in_range = [fee for fee in fees if fee <= 10_000_000]
    assert len(in_range) >= 1000
    assert sum(1 for fee in in_range if fee != fee.to_integral_value()) >= 500  # with cents
    assert max(in_range) >= Decimal("9_000_000") and min(in_range) == 0
    for typed in ("10.000,50", "10 000 €", "abc", "1,2,3"):
        assert typed in inputs
    refused = [v for v in vectors if not v["expected"]["ok"]]
    assert len(refused) >= 10


def test_vector_file_is_generated_by_the_current_generator() -> None:
    # Byte for byte: same inputs (e.g. new band edges), same answers, same layout.
    assert render(real_catalog()) == VECTOR_FILE.read_text(encoding="utf-8"), STALE


# ─── 1. CPython ───────────────────────────────────────────────────────────


def test_cpython_gives_the_answers_of_the_vector_file(vectors: list[dict[str, Any]]) -> None:
    catalog = real_catalog()
    results = [expected(catalog, v["input"]) for v in vectors]
    found = mismatches(vectors, results)
    assert not found, f"{report(found, len(vectors), 'CPython')}\n{STALE}"


# ─── 2. Pyodide under Node, with the site's archive ───────────────────────


def test_pyodide_in_node_gives_the_answers_of_the_vector_file(
    node_run: NodeRun, vectors: list[dict[str, Any]]
) -> None:
    found = mismatches(vectors, node_run.results)
    assert not found, report(
        found, len(vectors), f"Pyodide {node_run.runtime.get('pyodide')} under Node"
    )


def test_node_ran_the_archive_and_runtime_the_site_ships(
    node_run: NodeRun, built_site: Path
) -> None:
    runtime = node_run.runtime
    lock = json.loads((node_run.bundle / "pyodide-lock.json").read_text(encoding="utf-8"))
    # The browser loads no calculator wheel: the lock file does not name it.
    assert sorted(lock["packages"]) == ["tzdata"]
    assert not list(node_run.bundle.glob("cci_calculator*"))
    # Imported from the archive's bytecode, not from some other path.
    assert runtime["calculator"] == "/lib/python314.zip/calculator/__init__.pyc"
    assert runtime["python"] == lock["info"]["python"]
    shipped = built_site / "assets" / "pyodide" / runtime["pyodide"]
    for name in RUNTIME_FILES:
        assert _sha256(shipped / name) == _sha256(RUNTIME_PACKAGE / name), (
            f"{name} in the site differs from node_modules/pyodide's"
        )
    assert not (shipped / STDLIB_FILE).exists(), "the full standard library is still shipped"
    assert trimmed_stdlib_problems(runtime, node_run.bundle) == []


def trimmed_stdlib_problems(runtime: dict[str, Any], bundle: Path) -> list[str]:
    """Why the harness's ``runtime`` did not boot with ``bundle``'s trimmed
    standard library (none if it did)."""
    shipped = bundle / STDLIB_FILE
    used = runtime.get("stdlib") or {}
    problems = []
    if Path(used.get("path", "")).resolve() != shipped.resolve():
        problems.append(f"booted with {used.get('path')}, not {shipped}")
    elif used.get("sha256") != _sha256(shipped):
        problems.append(f"{shipped} changed while the harness ran")
    # The calculator's bytecode from that archive, beside the standard library's.
    archive = used.get("json", "").removesuffix("json/__init__.pyc")
    if runtime.get("calculator") != f"{archive}calculator/__init__.pyc":
        problems.append(f"imported the calculator from {runtime.get('calculator')}, not from {archive}")
    return problems


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ─── 3. Negative controls ─────────────────────────────────────────────────


def _advanced_vector(vectors: list[dict[str, Any]]) -> int:
    return next(i for i, v in enumerate(vectors)
                if v["expected"]["ok"] and v["expected"]["plans"][1]["lines"])


def test_a_wrong_expected_value_is_reported(
    node_run: NodeRun, vectors: list[dict[str, Any]]
) -> None:
    wrong = copy.deepcopy(vectors)
    index = _advanced_vector(wrong)
    plan = wrong[index]["expected"]["plans"][1]
    wrong_monthly = "1,00\u00a0€"
    right, plan["monthly"] = plan["monthly"], wrong_monthly
    wrong[-1]["expected"] = {"ok": True}  # a refusal or an answer, now wrong too

    found = mismatches(wrong, node_run.results)

    assert [m.index for m in found] == [index, len(wrong) - 1]
    assert found[0].input == vectors[index]["input"]
    assert found[0].differences == (
        f".plans[1].monthly: expected {wrong_monthly!r}, got {right!r}",
    )
    assert report(found, len(wrong), "control").startswith("control: 2 of ")


def test_missing_and_extra_results_are_reported(vectors: list[dict[str, Any]]) -> None:
    answers = [v["expected"] for v in vectors[:3]]
    assert not mismatches(vectors[:3], answers)
    assert [m.input for m in mismatches(vectors[:3], answers[:2])] == ["(end)"]
    assert [m.input for m in mismatches(vectors[:2], answers)] == ["(end)"]
    # A value of another type with an equal value (1 == True) still differs.
    flipped = copy.deepcopy(answers)
    flipped[0]["ok"] = 1
    assert [m.index for m in mismatches(vectors[:3], flipped)] == [0]
