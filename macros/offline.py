"""MkDocs hook (``hooks:`` in mkdocs.yml): the site's service worker.

After every build (and after mkdocs-macros has copied the calculator
runtime into the site, hence the low priority) this writes ``sw.js`` at the
site root, so that its scope is the whole site wherever it is served:

- ``OFFLINE.precache``: every small file of the build (pages, CSS,
  JavaScript, search index, sitemap, images) with a content hash as
  revision and a Subresource Integrity hash. Workbox precaches them when
  the worker installs, so every page works offline after one visit;
  the integrity hash makes the install fail rather than store a file of
  another build (a deploy while the worker installs).
- ``OFFLINE.runtime``: the calculator runtime (Pyodide, archive, wheel, data; about
  3.8 MB with brotli), cached only when a calculator page asks for it
  (``assets/offline.js``), in a cache named after the build.
- ``OFFLINE.build``: a hash of both lists. Any change of any file changes
  ``sw.js``, so the browser installs the new worker, which waits until the
  visitor reloads ("Neue Version verfügbar"); a page is served by exactly
  one worker, i.e. by the files of exactly one build.

Workbox (npm packages ``workbox-*``, pinned in package.json) is copied from
``node_modules`` into ``assets/workbox-<version>/``; nothing is loaded from
a CDN. URLs are relative to ``sw.js``, so the site works under a sub-path.

In the live preview (``mkdocs serve``) ``sw.js`` is a worker that removes
itself and its caches: a cached site would hide the edits being previewed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

WORKER_FILE = "sw.js"
WORKER_SOURCE = Path(__file__).with_name("service_worker.js")
REMOVER_SOURCE = Path(__file__).with_name("service_worker_remove.js")
WORKBOX_PACKAGES = ("workbox-sw", "workbox-core", "workbox-precaching", "workbox-routing",
                    "workbox-strategies")
NODE_MODULES = Path("node_modules")

# Files worth keeping offline, by suffix (not source maps, not sitemap.xml.gz).
PRECACHED_SUFFIXES = frozenset({".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg",
                                ".png", ".ico", ".woff2"})
# The calculator runtime: Pyodide and each bundle folder below assets/calculator/.
RUNTIME_DIRS = ("assets/pyodide/",)
BUNDLE_PARENT = "assets/calculator/"

_command = "build"


class OfflineError(Exception):
    """The service worker cannot be built; the message says what to do."""


@dataclass(frozen=True)
class Entry:
    """One file of the build: site-relative URL, content hash, SRI hash."""

    url: str
    revision: str
    integrity: str


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


# Last of all: after mkdocs-macros installed the calculator runtime and after
# deploy.py (-100) added script integrity to the HTML, so that the precache
# hashes are those of the files as served.
@event_priority(-110)
def on_post_build(config) -> None:
    site = Path(config["site_dir"])
    if _command == "serve":
        shutil.copyfile(REMOVER_SOURCE, site / WORKER_FILE)
        return
    project = Path(config["config_file_path"]).parent
    try:
        write_service_worker(site, project)
    except OfflineError as error:
        raise PluginError(f"service worker: {error}") from None
    precompress_own_files(site, project)


def precompress_own_files(site: Path, project: Path) -> None:
    """The .gz/.br twins of ``sw.js`` and Workbox: deploy.py (-100) wrote
    those of every other file before these existed."""
    # MkDocs loads hooks by path; mkdocs-macros has imported the `macros`
    # package (the project's module) by now.
    from macros import deploy

    own = [site / WORKER_FILE, *site.glob("assets/workbox-*/*")]
    deploy.precompress(site, project / deploy.CACHE_DIR, own)


def write_service_worker(site: Path, project: Path) -> str:
    """Copy Workbox into ``site`` and write ``site/sw.js``; returns the build id."""
    workbox_path = copy_workbox(project / NODE_MODULES, site)
    precache, runtime = [], []
    for entry in site_files(site):
        (runtime if is_runtime(entry.url) else precache).append(entry)
    manifest = {
        "build": build_id(precache + runtime),
        "workbox": workbox_path,
        "precache": [vars(e) for e in precache],
        "runtime": [{"url": e.url, "integrity": e.integrity} for e in runtime],
    }
    header = f"const OFFLINE = {json.dumps(manifest, separators=(',', ':'))};\n"
    source = WORKER_SOURCE.read_text(encoding="utf-8")
    (site / WORKER_FILE).write_text(header + source, encoding="utf-8")
    return manifest["build"]


def copy_workbox(node_modules: Path, site: Path) -> str:
    """Copy the production builds of WORKBOX_PACKAGES into the site; returns
    their site-relative folder (``assets/workbox-7.4.1/``)."""
    versions = {}
    for package in WORKBOX_PACKAGES:
        meta = node_modules / package / "package.json"
        if not meta.is_file():
            raise OfflineError(f"{meta.as_posix()} is missing: run `make build` (it runs `npm ci`)")
        versions[package] = json.loads(meta.read_text(encoding="utf-8"))["version"]
    if len(set(versions.values())) != 1:
        raise OfflineError(f"Workbox packages of different versions: {versions}")
    folder = f"assets/workbox-{versions['workbox-sw']}/"
    target = site / folder
    target.mkdir(parents=True, exist_ok=True)
    for package in WORKBOX_PACKAGES:
        name = "workbox-sw.js" if package == "workbox-sw" else f"{package}.prod.js"
        shutil.copyfile(node_modules / package / "build" / name, target / name)
    return folder


def site_files(site: Path) -> list[Entry]:
    """The build's files worth caching (see PRECACHED_SUFFIXES), sorted by
    URL; not ``sw.js`` and not Workbox (the browser keeps those with the
    worker). Material's unused search languages are not in the site
    (macros/search_languages.py)."""
    entries = []
    for path in sorted(site.rglob("*")):
        url = path.relative_to(site).as_posix()
        if path.is_file() and _cached(url):
            data = path.read_bytes()
            digest = hashlib.sha256(data)
            entries.append(Entry(url, digest.hexdigest()[:16],
                                 "sha256-" + base64.b64encode(digest.digest()).decode()))
    return entries


# Precompressed twins that deploy.py writes for the web server; the browser
# receives the file they compress, under its own name.
COMPRESSED_TWINS = (".gz", ".br")


def _cached(url: str) -> bool:
    if url == WORKER_FILE or url.startswith("assets/workbox-") or url.endswith(COMPRESSED_TWINS):
        return False
    return is_runtime(url) or PurePosixPath(url).suffix in PRECACHED_SUFFIXES


def is_runtime(url: str) -> bool:
    """True for files of the calculator runtime (fetched only on demand)."""
    if url.startswith(RUNTIME_DIRS):
        return True
    return url.startswith(BUNDLE_PARENT) and "/" in url[len(BUNDLE_PARENT):]


def build_id(entries: list[Entry]) -> str:
    """A hash of every cached file's URL and contents: names the build."""
    digest = hashlib.sha256()
    for entry in entries:
        digest.update(f"{entry.url}\0{entry.integrity}\n".encode())
    return digest.hexdigest()[:16]
