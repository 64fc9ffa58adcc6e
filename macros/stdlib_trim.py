"""The standard library the browser needs: traced, precompiled, uncompressed.

Pyodide's ``python_stdlib.zip`` holds the whole standard library as ``.py``
sources (9.6 MB raw, deflated), compiled on every start. The calculator
needs a small part of it. At build time this module

1. runs the real runtime under Node (``macros/trace_imports.mjs``) and does
   what the page's worker does: boot Pyodide, import
   ``calculator.browser_api``, send it every request type of every page
   (``TRACE_STEPS``), error paths and raised exceptions included (Pyodide
   formats their traceback), put the wheels from the bundle's lock file
   that the response-time page needs (tzdata) on ``sys.path``, as the
   worker does (zoneinfo then reads tzdata through importlib.resources);
2. takes every member of the archive that was imported (``sys.modules``) or
   read (zipimport's reads, e.g. data files) during that run, Pyodide's own
   start-up included;
3. writes them to a new archive, with every module of the ``calculator``
   package besides (``calculator/<module>.pyc``, traced or not: the worker
   imports the calculator from this archive, there is no calculator wheel):
   modules as bytecode compiled by that same
   runtime (unchecked hash-based ``.pyc``, PEP 552, no source beside it, so
   zipimport loads the bytecode without looking for a source; the code's
   file name is the source's path in the archive, so a traceback names the
   calculator's file and line), data files
   as they are; every member stored uncompressed (``ZIP_STORED``) so that
   the transport compression (brotli, gzip) compresses the whole archive,
   members sorted and dated 1980-01-01, so the same inputs give the same
   bytes on every machine.

There is no hand-kept list of modules. ``TRACE_STEPS`` must send every
request type ``calculator.browser_api`` knows (checked); a module the trace
never imports is missing in the browser (``ModuleNotFoundError``), which the
vector tests, run on the trimmed archive, would show.

The archive is cached in ``.cache/stdlib-trim/<key>/`` where the key hashes
every input (runtime, wheels and lock file, the calculator's sources, plan
data, this module and the Node script), so a rebuild with unchanged inputs takes no Node run.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Mapping

from calculator.browser_api import REQUEST_FIELDS

STDLIB_FILE = "python_stdlib.zip"
# The package the worker imports from the archive (all its modules).
PACKAGE = "calculator"
TRACE_SCRIPT = Path(__file__).with_name("trace_imports.mjs")
# The trace's module that puts wheels on sys.path as the worker does.
MOUNT_SCRIPT = Path(__file__).with_name("mount_wheels.mjs")
CACHE = Path(".cache") / "stdlib-trim"
# The earliest date a zip can hold: the archive must not depend on when it
# was built.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Pyodide boots in about 3 s under Node; the whole trace takes about 5 s.
NODE_TIMEOUT_S = 300
TODAY = "2026-11-27"
NOW = "2026-11-27T10:00:00Z"

# What the pages' worker does, in its order: the price, quote and advisor
# pages need only the calculator (in the archive); the response-time page
# loads the tzdata wheel as well. "requests" must be answered; "raising" are texts sent as they
# are, which must raise in Python and reach JavaScript as a PythonError
# (whose traceback formatting imports modules too).
TRACE_STEPS: tuple[dict[str, Any], ...] = (
    {
        "packages": [],
        "requests": [
            {"type": "price", "usage": "25.000"},
            {"type": "price", "usage": "10.000,50 €"},
            {"type": "price", "usage": "abc"},
            {"type": "price", "usage": ""},
            {"type": "link", "fragment": "#nutzung=25000&plan=advanced", "today": TODAY},
            {"type": "link", "fragment": "#nutzung=abc&plan=gold&gueltig=9999-99-99", "today": TODAY},
            {"type": "link", "fragment": "", "today": TODAY},
            {"type": "make_link", "fields": {"usage": "25.000", "plan": "advanced"}, "today": TODAY},
            {"type": "make_link", "fields": {"usage": "-1"}, "today": TODAY},
            {"type": "update", "fields": {"usage": "1.000.000", "plan": "basic"}, "today": TODAY},
            {"type": "update", "fields": {"usage": "x", "plan": "gold"}, "today": TODAY},
            {"type": "advice", "fragment": "#sg1=30&kontakte=8", "source": "link"},
            {"type": "advice", "fragment": "#sg1=-5&kontakte=abc", "source": "form"},
        ],
        "raising": ['{"type": "nope"}', '{"type": "price"}', "not json", "[1, 2]"],
    },
    {
        "packages": ["tzdata"],
        "requests": [
            {"type": "response_link", "fragment": "#plan=basic&schweregrad=3&eingang=2026-11-27T17:30"},
            {"type": "response_link", "fragment": "#plan=Gold&schweregrad=9&eingang=gestern"},
            {"type": "response", "plan": "basic", "severity": 3, "submitted": "2026-11-27T17:30",
             "now": NOW, "zone": "America/New_York"},
            {"type": "response", "plan": "premium", "severity": 1, "submitted": "2026-10-25T02:30",
             "now": NOW, "zone": "Europe/Berlin"},
            {"type": "response", "plan": "advanced", "severity": 2, "submitted": "2026-03-29T02:30+01:00",
             "now": NOW, "zone": "Asia/Kolkata"},
            {"type": "response", "plan": "basic", "severity": 3, "submitted": "gestern", "now": NOW,
             "zone": "Mars/Base"},
        ],
        "raising": ['{"type": "response", "plan": "basic"}'],
    },
)


class TrimError(Exception):
    """The trimmed standard library cannot be built; the message says why."""


def trimmed_stdlib(project: Path, runtime_dir: Path, bundle_files: list[Path], catalog_json: str) -> Path:
    """The trimmed archive for this bundle (built, or reused from the cache),
    with the package ``project/calculator`` compiled into it.

    ``bundle_files`` are the lock file and wheels the page loads;
    ``catalog_json`` the plan data it receives.
    """
    _check_steps()
    full = runtime_dir / STDLIB_FILE
    sources = package_sources(project / PACKAGE)
    key = _inputs_hash(full, bundle_files, sources, catalog_json)
    target = project / CACHE / key / STDLIB_FILE
    if target.is_file():
        return target
    target.parent.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent.parent) as scratch:
        work = Path(scratch)
        bundle = work / "bundle"
        bundle.mkdir()
        for path in bundle_files:
            shutil.copyfile(path, bundle / path.name)
        (bundle / "catalog.json").write_text(catalog_json, encoding="utf-8")
        for name, source in sources.items():
            (bundle / name).parent.mkdir(parents=True, exist_ok=True)
            (bundle / name).write_bytes(source)
        trace = _trace(runtime_dir, bundle)
        _check_package(trace["package"], sources)
        out = work / "out"
        out.mkdir()
        write_archive(full, _decoded({**trace["members"], **trace["package"]}), out / STDLIB_FILE)
        try:
            os.rename(out, target.parent)
        except OSError:
            if not target.is_file():
                raise
    return target


def package_sources(package: Path) -> dict[str, bytes]:
    """Every ``.py`` file of ``package`` (archive name such as
    ``calculator/pricing.py`` → source bytes), sorted by name."""
    files = sorted(package.rglob("*.py"))
    if not files:
        raise TrimError(f"{package} holds no Python sources")
    return {path.relative_to(package.parent).as_posix(): path.read_bytes() for path in files}


def write_archive(full: Path, members: dict[str, bytes | None], out: Path) -> None:
    """Write the archive: each ``.py`` member as its ``.pyc`` (the bytes
    given), each other member (bytes ``None``) copied from ``full``; with the
    folder entries, sorted, uncompressed, dated ``ZIP_DATE``."""
    files: dict[str, bytes] = {}
    with zipfile.ZipFile(full) as source:
        for name, pyc in members.items():
            if pyc is None:
                files[name] = source.read(name)
            else:
                files[name.removesuffix(".py") + ".pyc"] = pyc
    folders = {name.rsplit("/", depth)[0] + "/" for name in files for depth in range(1, name.count("/") + 1)}
    write_stored({name: files.get(name, b"") for name in sorted(files.keys() | folders)}, out)


def write_stored(files: Mapping[str, bytes], out: Path) -> None:
    """Write ``files`` (member name → bytes; a name ending in ``/`` is a
    folder) in their order to the zip ``out``: uncompressed, so that brotli
    compresses the whole archive on the wire, dated ``ZIP_DATE``."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.create_system = 3  # Unix, whatever the build machine
            info.external_attr = (0o40755 << 16) | 0x10 if name.endswith("/") else 0o100644 << 16
            archive.writestr(info, data, compress_type=zipfile.ZIP_STORED)


def _check_steps() -> None:
    sent = {request["type"] for step in TRACE_STEPS for request in step["requests"]}
    missing = sorted(set(REQUEST_FIELDS) - sent)
    if missing:
        raise TrimError(f"TRACE_STEPS in {__name__} sends no request of type {missing}: "
                        "add one, or the browser may miss a module that type imports")


def _inputs_hash(full: Path, bundle_files: list[Path], sources: Mapping[str, bytes], catalog_json: str) -> str:
    digest = hashlib.sha256()
    for name, source in sources.items():
        digest.update(name.encode())
        digest.update(hashlib.sha256(source).digest())
    scripts = [Path(__file__), TRACE_SCRIPT, MOUNT_SCRIPT]
    for part in (full.read_bytes(), *(script.read_bytes() for script in scripts),
                 json.dumps(TRACE_STEPS, sort_keys=True).encode(), catalog_json.encode()):
        digest.update(hashlib.sha256(part).digest())
    for path in sorted(bundle_files):
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def _trace(runtime_dir: Path, bundle: Path) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        raise TrimError("node is missing: the build runs Pyodide under Node.js (>= 18) to find "
                        "the standard library modules the calculator imports; install Node.js "
                        "(`make build` needs it for npm too)")
    try:
        proc = subprocess.run(
            [node, str(TRACE_SCRIPT), str(runtime_dir), str(bundle)],
            input=json.dumps({"steps": [
                {"packages": step["packages"], "requests": step["requests"] + step["raising"]}
                for step in TRACE_STEPS
            ]}).encode(),
            capture_output=True, timeout=NODE_TIMEOUT_S, check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise TrimError(f"tracing the standard library under Node took over {NODE_TIMEOUT_S} s") from error
    if proc.returncode != 0:
        raise TrimError(f"tracing the standard library under Node failed ({proc.returncode}):\n"
                        f"{proc.stderr.decode(errors='replace')}")
    trace = json.loads(proc.stdout)
    _check_answers(trace["answers"])
    return trace


def _check_package(compiled: Mapping[str, str], sources: Mapping[str, bytes]) -> None:
    """The trace compiled every source of the package, and nothing else."""
    if sorted(compiled) != sorted(sources):
        raise TrimError(f"the trace compiled {sorted(compiled)}, not the package's {sorted(sources)}")


def _check_answers(answers: list[Any]) -> None:
    """Every request was answered and every raising text raised (else the
    trace stopped short of the path it should have run)."""
    sent = [(request, raises) for step in TRACE_STEPS
            for raises, group in ((False, step["requests"]), (True, step["raising"])) for request in group]
    if len(answers) != len(sent):
        raise TrimError(f"the trace answered {len(answers)} of {len(sent)} requests")
    for (request, raises), answer in zip(sent, answers):
        if ("raised" in answer) != raises:
            raise TrimError(f"trace request {request!r} answered {answer!r}")


def _decoded(members: dict[str, str | None]) -> dict[str, bytes | None]:
    return {name: None if pyc is None else base64.b64decode(pyc) for name, pyc in members.items()}
