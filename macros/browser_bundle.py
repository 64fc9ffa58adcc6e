"""The calculator in the browser: Pyodide runtime, standard library with
the calculator, wheels, data.

The browser runs the very ``calculator`` package that renders the pages. At
build time this module

1. registers the pure wheels from PyPI that ``requirements-browser.txt``
   pins (``tzdata`` for ``zoneinfo``; ``make`` downloads them into
   ``.cache/browser-wheels/``) in a copy of Pyodide's lock file with
   ``pyodide lockfile add-wheels``: the worker loads them by name from
   it, with their sha256 as the fetch's integrity;
2. writes the validated plan data as JSON (the browser parses no YAML):
   ``catalog.json`` (German) and ``catalog.<lang>.json`` per further
   edition, which the worker loads when a page asks in that language;
3. copies only the runtime files the page needs from ``node_modules/pyodide``;
4. writes the standard library the calculator needs, traced under the real
   runtime and precompiled, with the ``calculator`` package compiled into
   it (``macros/stdlib_trim.py``), into the bundle folder, since it depends
   on the wheels; the worker loads it from there (``stdLibURL``) instead of
   the runtime's full ``python_stdlib.zip`` and imports the calculator from
   it: no calculator wheel to fetch and unpack.

Everything is self-hosted under ``assets/``: the runtime in
``assets/pyodide/<version>/``, the rest in ``assets/calculator/<id>/``,
where ``id`` is a hash of the contents, so a browser never mixes a cached
old file with a new one. The wheels and lock file are cached in ``.cache/``
by a hash of their inputs, so ``make serve`` rebuilds in milliseconds.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from . import deploy, stdlib_trim

RUNTIME_PACKAGE = Path("node_modules") / "pyodide"
# What the page loads from the runtime package: the module and its wasm.
# (pyodide-lock.json comes from our own copy, the standard library from
# stdlib_trim, both in the bundle folder.)
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
# Files that Pyodide fetches (and the progress bar counts): not the .mjs
# modules, which the worker imports.
FETCHED_RUNTIME_FILES = ("pyodide.asm.wasm",)
STDLIB_FILE = stdlib_trim.STDLIB_FILE
CACHE = Path(".cache") / "browser-bundle"
PYPI_WHEELS = Path(".cache") / "browser-wheels"
LOCK_FILE = "pyodide-lock.json"
CATALOG_FILE = "catalog.json"
EDITION_CATALOG_FILE = "catalog.{lang}.json"  # the data of a further edition ("en")


class BundleError(Exception):
    """The browser bundle cannot be built; the message says what to do."""


@dataclass(frozen=True)
class Bundle:
    """A prepared browser bundle, ready to be copied into a built site.

    ``wheel_dir`` holds the wheels and the lock file; ``stdlib`` is the
    trimmed standard library with the calculator; ``catalog_json`` is the plan data as the
    browser receives it (of the page's edition: its size counts in
    ``load_size``); ``editions`` the data of the further editions
    (language → JSON); ``id`` names the bundle's folder.
    """

    runtime_dir: Path
    runtime_version: str
    wheel_dir: Path
    stdlib: Path
    catalog_json: str
    id: str
    editions: Mapping[str, str] = field(default_factory=dict)
    precompress_cache: Path = deploy.CACHE_DIR
    """Where the deploy step keeps its compressed twins (``load_size``)."""

    def for_edition(self, lang: str) -> "Bundle":
        """The same bundle as seen from a page of edition ``lang`` (its data
        counts in ``load_size``)."""
        return replace(self, catalog_json=self.editions[lang]) if lang in self.editions else self

    @property
    def runtime_path(self) -> str:
        """Site-relative folder of the Pyodide runtime (ends with ``/``)."""
        return f"assets/pyodide/{self.runtime_version}/"

    @property
    def bundle_path(self) -> str:
        """Site-relative folder of lock file, wheels, standard library and
        data (ends with ``/``)."""
        return f"assets/calculator/{self.id}/"

    def load_size(self, packages: tuple[str, ...]) -> "LoadSize":
        """What the worker loads to start with ``packages`` (besides the
        runtime): ``fetched``, the bytes its fetches yield, as decoded (the
        progress bar's total), and ``download``, the bytes on the wire when
        the site serves its brotli twins (``_deploy/nginx.conf``), the
        runtime's modules included, which the worker imports."""
        fetched = [self.runtime_dir / name for name in FETCHED_RUNTIME_FILES]
        fetched += [self.stdlib, self.wheel_dir / LOCK_FILE]
        fetched += [path for path in self.wheel_dir.glob("*.whl") if _distribution(path) in packages]
        imported = [self.runtime_dir / name for name in RUNTIME_FILES if name not in FETCHED_RUNTIME_FILES]
        catalog = self.catalog_json.encode()
        return LoadSize(
            fetched=sum(path.stat().st_size for path in fetched) + len(catalog),
            download=sum(_served_bytes(path, self.precompress_cache) for path in fetched + imported)
            + deploy.served_bytes(catalog, self.precompress_cache),
        )

    def install(self, site_dir: Path) -> None:
        """Copy the runtime, the wheels, the lock file, the standard library
        and the data into ``site_dir``."""
        runtime = site_dir / self.runtime_path
        runtime.mkdir(parents=True, exist_ok=True)
        for name in RUNTIME_FILES:
            shutil.copyfile(self.runtime_dir / name, runtime / name)
        bundle = site_dir / self.bundle_path
        shutil.copytree(self.wheel_dir, bundle, dirs_exist_ok=True)
        shutil.copyfile(self.stdlib, bundle / STDLIB_FILE)
        (bundle / CATALOG_FILE).write_text(self.catalog_json, encoding="utf-8")
        for lang, data in self.editions.items():
            (bundle / EDITION_CATALOG_FILE.format(lang=lang)).write_text(data, encoding="utf-8")


def prepare(project: Path, plan_data: Mapping[str, Any],
            editions: Mapping[str, Mapping[str, Any]] | None = None) -> Bundle:
    """Build (or reuse from the cache) the bundle for ``project``'s data
    (German) and the data of the further ``editions`` (language → data)."""
    runtime_dir = project / RUNTIME_PACKAGE
    if not (runtime_dir / "package.json").is_file():
        raise BundleError(
            f"{RUNTIME_PACKAGE.as_posix()} is missing: run `make build` or `make serve` "
            "(they run `npm ci`), or `npm ci` yourself"
        )
    version = json.loads((runtime_dir / "package.json").read_text(encoding="utf-8"))["version"]
    pypi_wheels = sorted((project / PYPI_WHEELS).glob("*.whl"))
    if not pypi_wheels:
        raise BundleError(
            f"{PYPI_WHEELS.as_posix()}/ has no wheels: run `make build` or `make serve` "
            "(they download what requirements-browser.txt pins)"
        )
    wheel_dir = _cached_wheels(project, runtime_dir, version, pypi_wheels)
    catalog_json = catalog_to_json(plan_data)
    try:
        stdlib = stdlib_trim.trimmed_stdlib(project, runtime_dir, sorted(wheel_dir.iterdir()), catalog_json)
    except stdlib_trim.TrimError as error:
        raise BundleError(str(error)) from error
    edition_json = {lang: catalog_to_json(data) for lang, data in sorted((editions or {}).items())}
    digest = hashlib.sha256(catalog_json.encode())
    for text in edition_json.values():
        digest.update(text.encode())
    for path in [*sorted(wheel_dir.iterdir()), stdlib]:
        digest.update(path.read_bytes())
    return Bundle(runtime_dir, version, wheel_dir, stdlib, catalog_json, digest.hexdigest()[:16], edition_json,
                  project / deploy.CACHE_DIR)


@dataclass(frozen=True)
class LoadSize:
    """The size of a calculator's start, in bytes (``Bundle.load_size``)."""

    fetched: int
    """Decoded bytes of the files the worker fetches (the progress bar counts these)."""
    download: int
    """Bytes a visitor downloads for the start, compressed as the site serves them."""


@functools.lru_cache(maxsize=64)
def _served_bytes_of(path: Path, size: int, mtime_ns: int, cache: Path) -> int:
    return deploy.served_bytes(path.read_bytes(), cache)


def _served_bytes(path: Path, cache: Path) -> int:
    """``deploy.served_bytes`` of the file at ``path``; read and hashed once
    per version of the file (every calculator page of both editions asks)."""
    stat = path.stat()
    return _served_bytes_of(path, stat.st_size, stat.st_mtime_ns, cache)


def catalog_to_json(plan_data: Mapping[str, Any]) -> str:
    """The validated plan data as JSON; exact numbers (Decimal) become strings."""
    return json.dumps(plan_data, ensure_ascii=False, sort_keys=True, default=str)


def _cached_wheels(project: Path, runtime_dir: Path, version: str, pypi_wheels: list[Path]) -> Path:
    # The wheels and lock depend only on the PyPI wheels and the runtime.
    key = _sources_hash(version, pypi_wheels)
    target = project / CACHE / key
    if (target / LOCK_FILE).is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Build beside the target and rename, so a parallel build never sees a
    # half-written folder.
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        work = Path(scratch) / "bundle"
        work.mkdir()
        wheels = []
        for wheel in pypi_wheels:
            wheels.append(Path(shutil.copyfile(wheel, work / wheel.name)))
            _store_uncompressed(wheels[-1])
        _add_to_lock(runtime_dir / LOCK_FILE, work, wheels)
        try:
            os.rename(work, target)
        except OSError:
            if not (target / LOCK_FILE).is_file():
                raise
    return target


def _sources_hash(version: str, pypi_wheels: list[Path]) -> str:
    # This module's own bytes: how it writes the wheels and lock file.
    digest = hashlib.sha256(version.encode() + Path(__file__).read_bytes())
    for wheel in pypi_wheels:
        digest.update(wheel.name.encode())
    return digest.hexdigest()[:16]


def _store_uncompressed(wheel: Path) -> None:
    """Rewrite ``wheel`` with its members stored, in their order: the
    deflated members would reach the browser as they are (brotli gains
    nothing on them), stored ones are compressed by brotli as a whole."""
    with zipfile.ZipFile(wheel) as source:
        files = {name: source.read(name) for name in source.namelist()}
    stdlib_trim.write_stored(files, wheel)


def _add_to_lock(lock: Path, work: Path, wheels: list[Path]) -> None:
    pyodide_cli = Path(sys.executable).parent / "pyodide"
    _run(
        [str(pyodide_cli), "lockfile", "add-wheels", "--input", str(lock),
         "--output", str(work / LOCK_FILE), "--base-path", str(work), *map(str, wheels)],
        "registering the wheels in pyodide-lock.json",
    )
    lock_data = json.loads((work / LOCK_FILE).read_text(encoding="utf-8"))
    packages = lock_data["packages"]
    for wheel in wheels:
        entry = packages.get(_distribution(wheel))
        if entry is None or entry["file_name"] != wheel.name:
            raise BundleError(f"{wheel.name} is missing from the lock file written by pyodide")
    lock_data["packages"] = _reachable(packages, [_distribution(wheel) for wheel in wheels])
    (work / LOCK_FILE).write_text(json.dumps(lock_data, separators=(",", ":"), sort_keys=True),
                                  encoding="utf-8")


def _reachable(packages: Mapping[str, Any], names: list[str]) -> dict[str, Any]:
    """The lock entries of ``names`` and of everything they depend on: the
    page loads nothing else, and Pyodide's full list of its own packages
    (120 kB) would only travel."""
    kept: dict[str, Any] = {}
    todo = list(names)
    while todo:
        name = todo.pop()
        if name not in kept:
            kept[name] = packages[name]
            todo.extend(packages[name]["depends"])
    return dict(sorted(kept.items()))


def _distribution(wheel: Path) -> str:
    # tzdata-2026.6-py2.py3-none-any.whl → tzdata
    return wheel.name.split("-")[0].replace("_", "-").lower()


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BundleError(f"{what} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
