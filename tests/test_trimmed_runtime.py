"""Issue 10, goal 3: the site ships the standard library cut to what the
calculator imports, as bytecode, stored uncompressed (macros/stdlib_trim.py),
with every module of the calculator compiled into it: the worker imports
the calculator from this archive (no wheel).

The vector tests (test_two_runtimes.py, test_response_two_runtimes.py,
test_advisor_two_runtimes.py) run every vector on this trimmed archive, as the
page's worker loads it; here: what the archive holds, that the harness really
boots with it (negative control: without a traced module a request fails
with ModuleNotFoundError), and that a build without Node says why it fails.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from macros import stdlib_trim
from tests.helpers import REPO_ROOT, build_output, copy_project, run_build
from tests.test_two_runtimes import HARNESS, NODE_TIMEOUT_S, _bundle_dir

FULL_STDLIB = REPO_ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"
# One request of each page's kind; the response request needs zoneinfo,
# which the price page never imports.
REQUESTS = [
    {"type": "price", "usage": "25.000"},
    {"type": "advice", "fragment": "#sg1=30&kontakte=8", "source": "link"},
    {"type": "response", "plan": "basic", "severity": 3, "submitted": "2026-11-27T17:30",
     "now": "2026-11-27T10:00:00Z"},
]
# PEP 552 flags of an unchecked hash-based .pyc: the source is never consulted.
UNCHECKED_HASH_PYC = 0b01


def run_harness(bundle: Path) -> dict[str, Any]:
    """tests/pyodide_node.mjs's output for REQUESTS (with tzdata) on ``bundle``."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: install Node.js >= 18", pytrace=False)
    payload = json.dumps({"requests": REQUESTS, "packages": ["tzdata"]}).encode()
    proc = subprocess.run([node, str(HARNESS), str(bundle)], input=payload, capture_output=True,
                          timeout=NODE_TIMEOUT_S, check=False)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def bundle(built_site: Path) -> Path:
    return _bundle_dir(built_site)


@pytest.fixture(scope="module")
def archive(bundle: Path) -> zipfile.ZipFile:
    return zipfile.ZipFile(bundle / stdlib_trim.STDLIB_FILE)


@pytest.fixture(scope="module")
def harness_run(bundle: Path) -> dict[str, Any]:
    return run_harness(bundle)


def test_issue10_archive_is_bytecode_only_and_stored_uncompressed(
    archive: zipfile.ZipFile, harness_run: dict[str, Any]
) -> None:
    infos = archive.infolist()
    names = [info.filename for info in infos]
    assert names == sorted(names)
    assert {info.compress_type for info in infos} == {zipfile.ZIP_STORED}
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    modules = [name for name in names if name.endswith(".pyc")]
    others = [name for name in names if not name.endswith((".pyc", "/"))]
    assert others == [], "a source or data file beside the bytecode"
    magic = bytes.fromhex(harness_run["runtime"]["magic"])
    for name in modules:
        header = archive.read(name)[:8]
        assert header[:4] == magic, f"{name} was not compiled for the runtime's Python"
        assert int.from_bytes(header[4:8], "little") == UNCHECKED_HASH_PYC, name


def test_issue10_archive_holds_what_the_calculator_and_pyodide_import(archive: zipfile.ZipFile) -> None:
    names = set(archive.namelist())
    needed = {
        "decimal.pyc", "json/__init__.pyc", "zoneinfo/__init__.pyc", "urllib/parse.pyc",  # calculator
        "encodings/__init__.pyc", "encodings/utf_8.pyc", "_pyodide/_base.pyc",  # Python and Pyodide start-up
        "pyodide/_package_loader.pyc", "zipfile/__init__.pyc",  # Pyodide's start-up
        "calculator/browser_api.pyc",  # the calculator itself
        # zoneinfo reading tzdata's files from the wheel on sys.path
        "importlib/resources/__init__.pyc", "importlib/readers.pyc", "zipfile/_path/__init__.pyc",
        "traceback.pyc", "linecache.pyc",  # a raised error's traceback
    }
    assert needed <= names, sorted(needed - names)
    unused = {"unittest/__init__.pyc", "sqlite3/__init__.pyc", "xml/dom/minidom.pyc", "argparse.pyc",
              "doctest.pyc", "http/client.pyc", "email/parser.pyc", "pydoc.pyc",
              # only Pyodide's loadPackage needs these; the worker puts wheels on sys.path
              "tarfile.pyc", "importlib/metadata/__init__.pyc"}
    assert not unused & names
    with zipfile.ZipFile(FULL_STDLIB) as full:
        sources = [name for name in full.namelist() if name.endswith(".py")]
    assert len(sources) > 500
    assert len([name for name in names if name.endswith(".pyc")]) < len(sources) / 3


def test_issue10_the_harness_boots_with_the_shipped_archive(
    bundle: Path, harness_run: dict[str, Any]
) -> None:
    stdlib = harness_run["runtime"]["stdlib"]
    assert Path(stdlib["path"]).resolve() == (bundle / stdlib_trim.STDLIB_FILE).resolve()
    # zipimport loaded the bytecode (there is no source to fall back on).
    assert stdlib["json"] == "/lib/python314.zip/json/__init__.pyc"
    price, advice, response = harness_run["results"]
    assert [plan["monthly"] for plan in price["plans"]] == ["0,00\u00a0€", "3.800,00\u00a0€", "10.000,00\u00a0€"]
    assert advice["recommended"] == "premium"
    assert response["ok"] is True and response["due_iso"] == "2026-12-01T11:30:00+01:00"


def test_issue10_negative_control_without_a_traced_module_a_request_fails(
    bundle: Path, archive: zipfile.ZipFile, harness_run: dict[str, Any], tmp_path: Path
) -> None:
    cut = tmp_path / "bundle"
    shutil.copytree(bundle, cut)
    with zipfile.ZipFile(cut / stdlib_trim.STDLIB_FILE, "w") as out:
        for info in archive.infolist():
            if not info.filename.startswith("zoneinfo/"):
                out.writestr(info, archive.read(info))

    run = run_harness(cut)

    price, advice, response = run["results"]
    assert (price, advice) == tuple(harness_run["results"][:2])
    assert response["exception"] == "ModuleNotFoundError: No module named 'zoneinfo'"


def calculator_problems(names: list[str]) -> list[str]:
    """What the archive's member ``names`` lack for the worker to import the
    whole calculator from it: every module of calculator/ as ``.pyc``, and
    no source beside (none if nothing)."""
    package = REPO_ROOT / "calculator"
    modules = {path.relative_to(REPO_ROOT).with_suffix(".pyc").as_posix() for path in package.rglob("*.py")}
    problems = [f"{name} is missing" for name in sorted(modules - set(names))]
    problems += [f"{name} is source" for name in names if name.startswith("calculator/") and name.endswith(".py")]
    return problems


def test_issue10_every_calculator_module_is_bytecode_in_the_archive(archive: zipfile.ZipFile) -> None:
    names = archive.namelist()
    assert len([name for name in names if name.startswith("calculator/")]) == 21  # 20 modules and the folder
    assert calculator_problems(names) == []
    # Negative controls: a module left out, a source shipped beside its bytecode.
    assert calculator_problems([n for n in names if n != "calculator/holidays.pyc"]) == [
        "calculator/holidays.pyc is missing"]
    assert calculator_problems([*names, "calculator/money.py"]) == ["calculator/money.py is source"]


def test_issue10_a_traceback_names_the_calculators_file_and_line(bundle: Path) -> None:
    source = (REPO_ROOT / "calculator" / "browser_api.py").read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(source, 1) if "unknown request type" in text)
    node = shutil.which("node")
    assert node is not None
    payload = json.dumps({"requests": [{"type": "nope"}]}).encode()
    proc = subprocess.run([node, str(HARNESS), str(bundle)], input=payload, capture_output=True,
                          timeout=NODE_TIMEOUT_S, check=False)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    assert json.loads(proc.stdout)["results"] == [{
        "exception": "CalculatorError: unknown request type 'nope'",
        "where": f"/lib/python314.zip/calculator/browser_api.py:{line}",
    }]


def stdlib_imports(package: Path) -> set[str]:
    """Every absolute module name that ``package``'s sources import, at the
    top or inside a function."""
    names = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
    return names


def missing_modules(imported: set[str], full: set[str], trimmed: set[str]) -> list[str]:
    """The modules of ``imported`` that the full archive holds as source but
    the trimmed one not as bytecode (built-in modules are in neither)."""
    def member(name: str, suffix: str) -> set[str]:
        path = name.replace(".", "/")
        return {path + suffix, f"{path}/__init__{suffix}"}

    return sorted(name for name in imported if member(name, ".py") & full and not member(name, ".pyc") & trimmed)


def test_issue10_every_stdlib_module_the_calculator_imports_is_shipped(archive: zipfile.ZipFile) -> None:
    # A cross-check of the trace by reading the code: a lazy import on a
    # path the trace never ran would show here.
    imported = stdlib_imports(REPO_ROOT / "calculator")
    assert {"decimal", "zoneinfo", "urllib.parse", "json", "unicodedata"} <= imported
    with zipfile.ZipFile(FULL_STDLIB) as full:
        full_names = set(full.namelist())
    trimmed = set(archive.namelist())
    assert missing_modules(imported, full_names, trimmed) == []
    # Negative control: the same check on an archive without zoneinfo.
    without = {name for name in trimmed if not name.startswith("zoneinfo/")}
    assert missing_modules(imported, full_names, without) == ["zoneinfo"]


def test_issue10_every_request_type_is_traced(monkeypatch: pytest.MonkeyPatch) -> None:
    stdlib_trim._check_steps()
    monkeypatch.setattr(stdlib_trim, "REQUEST_FIELDS", {**stdlib_trim.REQUEST_FIELDS, "invoice": {}})
    with pytest.raises(stdlib_trim.TrimError, match=r"sends no request of type \['invoice'\]"):
        stdlib_trim._check_steps()


def test_issue10_a_build_without_node_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "project")
    # The wheels may come from the cache; the trimmed archive must be traced.
    (project / ".cache").unlink()
    (project / ".cache").mkdir()
    for name in ("browser-wheels", "browser-bundle"):
        (project / ".cache" / name).symlink_to(REPO_ROOT / ".cache" / name)
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))

    proc = run_build(project, tmp_path / "site")

    assert proc.returncode != 0
    assert "node is missing: the build runs Pyodide under Node.js" in build_output(proc)
    assert not (project / ".cache" / "stdlib-trim").exists() or not any(
        (project / ".cache" / "stdlib-trim").iterdir())


def test_issue10_an_unchanged_bundle_reuses_the_cached_archive_without_node(
    bundle: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The build's inputs, as the site holds them: lock file, wheels, data.
    files = sorted(p for p in bundle.iterdir() if p.suffix == ".whl" or p.name == "pyodide-lock.json")
    assert [p.name.split("-")[0] for p in files] == ["pyodide", "tzdata"]
    catalog_json = (bundle / "catalog.json").read_text(encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path))  # no node: a trace would fail

    cached = stdlib_trim.trimmed_stdlib(REPO_ROOT, REPO_ROOT / "node_modules" / "pyodide", files, catalog_json)

    assert cached.read_bytes() == (bundle / stdlib_trim.STDLIB_FILE).read_bytes()
    with pytest.raises(stdlib_trim.TrimError, match="node is missing"):
        stdlib_trim.trimmed_stdlib(REPO_ROOT, REPO_ROOT / "node_modules" / "pyodide", files,
                                   catalog_json.replace("Basic", "Basis", 1))
