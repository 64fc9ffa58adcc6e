"""Plain helpers shared by the tests; no pytest fixtures here.

Import them in a test module with ``from tests.helpers import ...``
(``tests/conftest.py`` puts the repository root on ``sys.path``). The
fixtures that wrap them live in ``tests/conftest.py``.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import io
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import (
        BrowserContext,
        ConsoleMessage,
        Page,
        Request,
        Response,
        Route,
    )

REPO_ROOT = Path(__file__).resolve().parent.parent

# What a build needs, relative to the repository root; copy_project copies
# those that exist. Extend this when the build gains inputs.
PROJECT_ITEMS = ("mkdocs.yml", "mkdocs.en.yml", "pyproject.toml", "data", "docs", "macros", "calculator", "overrides")
# Installed build inputs: linked into a copy, not copied (npm packages,
# downloaded wheels and the content-addressed browser-bundle cache).
LINKED_ITEMS = ("node_modules", ".cache")

# Top-level folders of a built site whose index.html files are not pages.
NON_PAGE_DIRS = frozenset({"assets", "search"})

# URL schemes that never leave the page (no network request).
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})


def copy_project(dest: Path) -> Path:
    """Copy the build inputs (PROJECT_ITEMS that exist) into ``dest``.

    ``dest`` is created if needed; caches (``__pycache__``) are skipped;
    ``node_modules`` is linked, not copied.
    Returns ``dest``, a project that ``run_build`` can build, so a test can
    edit e.g. ``dest / "data" / "plans.yaml"`` without touching the repo.
    """
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in PROJECT_ITEMS:
        src = REPO_ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore)
        elif src.is_file():
            shutil.copy2(src, dest / name)
    for name in LINKED_ITEMS:
        if (REPO_ROOT / name).exists():
            (dest / name).symlink_to(REPO_ROOT / name)
    return dest


def run_build(project: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` for ``project`` into ``site_dir``.

    Uses the interpreter running the tests (``sys.executable -m mkdocs``),
    with ``cwd=project`` (so ``project``'s own ``macros``/``calculator``
    are imported, not the repository's) and ``NO_MKDOCS_2_WARNING=1``.
    Never raises on a failed build: check ``returncode``; stdout/stderr are
    captured as text (mkdocs logs to stderr). See ``build_output``.
    """
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    # The project's own modules must win over anything inherited.
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [
            sys.executable, "-m", "mkdocs", "build", "--strict",
            "-f", "mkdocs.yml", "-d", str(Path(site_dir).resolve()),
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def build_with_data_edits(
    folder: Path, edits: dict[str, str], english_edits: dict[str, str] | None = None
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """Copy the project into ``folder / "project"``, replace each snippet of
    its ``data/plans.yaml`` (and of ``english_edits`` in ``data/plans.en.yaml``,
    for a new text's translation; each must occur exactly once) and build it
    into ``folder / "site"``. Returns the site folder and the build's result."""
    project = copy_project(folder / "project")
    for name, file_edits in (("plans.yaml", edits), ("plans.en.yaml", english_edits or {})):
        data = project / "data" / name
        text = data.read_text(encoding="utf-8")
        for old, new in file_edits.items():
            assert text.count(old) == 1, f"snippet not found exactly once: {old!r}"
            text = text.replace(old, new)
        data.write_text(text, encoding="utf-8")
    site = folder / "site"
    return site, run_build(project, site)


def build_output(proc: subprocess.CompletedProcess[str]) -> str:
    """The exit code and both output streams of a build, for messages."""
    return (
        f"exit code {proc.returncode}\n"
        f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
    )


def discover_pages(site: Path) -> list[str]:
    """URL paths of the HTML pages of a built site, sorted, home page first.

    Every ``index.html`` counts except those under NON_PAGE_DIRS; the home
    page is ``""``, others end in ``/`` (``"plaene/basic/"``), ready to be
    appended to a base URL ending in ``/``. ``404.html`` is not a page here.
    """
    pages = []
    for index in site.rglob("index.html"):
        parts = index.parent.relative_to(site).parts
        if parts and parts[0] in NON_PAGE_DIRS:
            continue
        pages.append("/".join(parts) + "/" if parts else "")
    return sorted(pages, key=lambda p: (p != "", p))


def origin(url: str) -> str:
    """``scheme://host:port`` of a URL (``"http://127.0.0.1:8000"``)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def is_local_scheme(url: str) -> bool:
    """True for ``data:``, ``blob:`` and ``about:`` URLs, which fetch nothing."""
    return urlsplit(url).scheme in LOCAL_SCHEMES


def is_loopback(url: str) -> bool:
    """True if the URL fetches nothing or only from this machine."""
    if is_local_scheme(url):
        return True
    host = urlsplit(url).hostname or ""
    return host in {"localhost", "::1"} or host.startswith("127.")


def outside_origin(urls: list[str], base_url: str) -> list[str]:
    """The URLs that go to another origin than ``base_url``'s.

    ``data:``, ``blob:`` and ``about:`` URLs are fine (they fetch nothing).
    """
    allowed = origin(base_url)
    return [u for u in urls if not is_local_scheme(u) and origin(u) != allowed]


class QuietHandler(SimpleHTTPRequestHandler):
    """Static file handler without access logs and with wasm/mjs types."""

    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".json": "application/json",
        ".whl": "application/zip",
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


# What CompressingHandler sends gzipped (as a production server would; the
# stdlib zip and the wheels are zip files already).
COMPRESSED_SUFFIXES = frozenset({".html", ".css", ".js", ".mjs", ".json", ".map", ".xml", ".svg", ".wasm"})


@functools.lru_cache(maxsize=32)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    # mtime_ns is part of the cache key only.
    return gzip.compress(path.read_bytes(), compresslevel=6)


class CompressingHandler(QuietHandler):
    """QuietHandler that sends COMPRESSED_SUFFIXES files gzipped to clients
    that accept it (``Content-Encoding: gzip``, ``Content-Length`` of the
    compressed body), for tests that count bytes on the wire."""

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSED_SUFFIXES and path.is_file()):
            return super().send_head()
        body = _gzipped(path, path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve_directory(
    directory: Path, served: list[str] | None = None, *, compress: bool = False
) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 on a free port, in a thread;
    gzipped where the client accepts it if ``compress``.

    Yields the base URL, ending in ``/`` (``"http://127.0.0.1:41234/"``);
    the server stops when the block exits. If ``served`` is given, the
    path of every GET request is appended to it (what the browser really
    downloaded, service workers included).
    """
    base = CompressingHandler if compress else QuietHandler
    handler = functools.partial(
        base if served is None else _recording_handler(base, served), directory=str(directory)
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, name=f"serve {directory}", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _recording_handler(base: type[QuietHandler], served: list[str]) -> type[QuietHandler]:
    class RecordingHandler(base):  # type: ignore[valid-type,misc]
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            served.append(urlsplit(self.path).path)
            super().do_GET()

    return RecordingHandler


# ─── Browser recording (Playwright) ────────────────────────────────────────


@dataclass
class PageLog:
    """What one page did; every list is in event order."""

    requests: list[str] = field(default_factory=list)
    """Every request URL, including blocked ones (page and its workers)."""
    blocked: list[str] = field(default_factory=list)
    """Requests aborted because they would have left the machine."""
    console_errors: list[str] = field(default_factory=list)
    """``console.error`` messages of the page and its workers, and Chromium's
    own (e.g. for a 404), each with its source."""
    page_errors: list[str] = field(default_factory=list)
    """Uncaught exceptions and unhandled rejections."""
    failed_requests: list[str] = field(default_factory=list)
    """``"<url>: <reason>"`` for requests that failed, blocked ones excluded."""
    error_responses: list[str] = field(default_factory=list)
    """``"<status> <url>"`` for responses with status >= 400."""

    def foreign_requests(self, base_url: str) -> list[str]:
        """Requests to any origin but ``base_url``'s (``data:`` etc. are fine)."""
        return outside_origin(self.requests, base_url)


def record_page(context: BrowserContext, page: Page) -> PageLog:
    """Start recording ``page`` (and ``context``) into a new ``PageLog``.

    Also routes every request of ``context``: loopback ones go through,
    any other is aborted (so nothing leaves the machine) and recorded in
    ``blocked`` as well as ``requests``. Call before the first navigation.
    """
    log = PageLog()

    def route(route: Route) -> None:
        url = route.request.url
        if is_loopback(url):
            route.fallback()
        else:
            log.blocked.append(url)
            route.abort("blockedbyclient")

    # Chromium reports a dedicated worker's console on its page too.
    def console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            loc = msg.location or {}
            src = f"{loc.get('url', '')}:{loc.get('lineNumber', '')}"
            log.console_errors.append(f"{msg.text} ({src})")

    def failed(request: Request) -> None:
        if request.url not in log.blocked:
            log.failed_requests.append(f"{request.url}: {request.failure}")

    def response(resp: Response) -> None:
        if resp.status >= 400:
            log.error_responses.append(f"{resp.status} {resp.url}")

    context.route("**/*", route)
    context.on("request", lambda request: log.requests.append(request.url))
    context.on("requestfailed", failed)
    context.on("response", response)
    page.on("console", console)
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    return log


# ─── Accessibility (axe-core, bundled with axe-playwright-python) ──────────

SERIOUS_IMPACTS = ("serious", "critical")


def log_problems(log: PageLog, base_url: str) -> list[str]:
    """Everything in ``log`` that a clean page must not have, one text per kind."""
    problems = []
    for what, items in (
        ("blocked requests", log.blocked),
        ("requests to other origins", log.foreign_requests(base_url)),
        ("console errors (page and worker)", log.console_errors),
        ("page errors", log.page_errors),
        ("failed requests", log.failed_requests),
        ("HTTP error responses", log.error_responses),
    ):
        if items:
            problems.append(f"{what}:\n" + "\n".join(f"    {i}" for i in items))
    return problems


def problems_besides_cut_off_loads(log: PageLog, base_url: str) -> list[str]:
    """``log_problems`` without the requests a full page load cut off.

    For tests that load one page after another (``goto``, the language
    switch): leaving a page aborts what it still loads (the calculator's
    runtime, the search worker's language, the favicon), and only those
    aborted requests are allowed."""
    log.failed_requests[:] = [f for f in log.failed_requests if not f.endswith("net::ERR_ABORTED")]
    return log_problems(log, base_url)


def serve_sitemap_for(page: Page, base_url: str, paths: tuple[str, ...] = ("sitemap.xml",)) -> None:
    """Serve the sitemaps at ``paths`` with ``base_url``'s origin in their
    ``<loc>`` URLs and hreflang links.

    Material intercepts (navigates instantly) only links found in the
    sitemap, and adapts the sitemap's scheme and host to the page but not
    its port: the build writes ``site_url`` (port 8000) while the test
    server has a random port, so without this every click reloads the page.
    """
    from playwright.sync_api import Error as PlaywrightError

    def rewrite(route: Route) -> None:
        try:
            response = route.fetch()
            body = re.sub(r"(<loc>|href=\")https?://[^/<\"]+/", rf"\g<1>{base_url}", response.text())
            route.fulfill(response=response, body=body)
        except PlaywrightError as error:
            # The test is over and the request went with its page: closed,
            # or its context closing while the body was still on its way.
            if not (page.is_closed() or "Response has been disposed" in str(error)):
                raise

    for path in paths:
        page.route(base_url + path, rewrite)


# Waits for the page's running CSS transitions and animations that end
# (not a spinner's endless one).
TRANSITIONS_FINISHED_JS = """() => Promise.all(document.getAnimations()
    .filter((a) => a.playState === "running" && a.effect?.getComputedTiming().endTime !== Infinity)
    .map((a) => a.finished.catch(() => null)))"""


def axe_violations(
    page: Page, impacts: tuple[str, ...] = SERIOUS_IMPACTS
) -> list[dict[str, Any]]:
    """axe-core's violations on ``page`` whose impact is in ``impacts``,
    once the page is at rest: axe reads colours as they are, and a button
    the mouse just left is still white on clear for its 125 ms transition
    (a contrast failure seen under load)."""
    from axe_playwright_python.sync_playwright import Axe

    page.evaluate(TRANSITIONS_FINISHED_JS)
    results = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in impacts]


def axe_problems(shown: dict[str, list[dict[str, Any]]]) -> list[str]:
    """One text per page state (``"results shown"`` → its violations) that
    has violations, for a test that collects everything before asserting."""
    return [f"axe, {state}:\n{format_violations(found)}" for state, found in shown.items() if found]


def format_violations(violations: list[dict[str, Any]]) -> str:
    """One line per violation: id, impact, help URL, then its targets."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} <{v.get('helpUrl', '')}>")
        for node in v.get("nodes", []):
            lines.append(f"    target {node.get('target')}")
    return "\n".join(lines)
