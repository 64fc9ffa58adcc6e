"""Fixtures shared by all tests.

Plain helpers (copy_project, run_build, serve_directory, ...) live in
``tests/helpers.py``; import them with ``from tests.helpers import ...``.

Fixtures
--------
repo_root (session)
    ``Path`` of the repository root.
copy_project (session)
    The helper ``copy_project(dest: Path) -> Path``: copies mkdocs.yml,
    data/, docs/, macros/, calculator/, overrides/ (those that exist) into
    ``dest`` so a test can change e.g. the data file in the copy.
run_build (session)
    The helper ``run_build(project: Path, site_dir: Path) ->
    subprocess.CompletedProcess[str]``: ``<python> -m mkdocs build --strict``
    in ``project`` into ``site_dir``; never raises, check ``returncode``.
built_site (session)
    ``Path`` of the repository's site, built once per session into a
    temporary folder; fails (with the build output) if the build failed.
site_server (session)
    Base URL (``"http://127.0.0.1:<port>/"``, ending in ``/``) of a
    threaded static server for ``built_site``.
site_page (parametrized)
    Any test that takes ``site_page`` runs once per HTML page of the built
    site: a URL path relative to ``site_server`` (``""`` for the home page,
    ``"plaene/basic/"``, ...), test ids named after it.
browser (session)
    A Playwright ``Browser``: Debian's Chromium (``/usr/bin/chromium``, or
    ``$CHROMIUM_PATH``), headless, sandbox and background networking off.
page (function)
    A Playwright ``Page`` in a fresh context (locale de-DE, time zone
    Europe/Berlin), recording into ``page_log``. Requests to hosts other
    than loopback are aborted (nothing leaves the machine) but recorded.
page_log (function)
    The ``PageLog`` of that same ``page``: every request URL, blocked
    requests, console errors (page and its workers), uncaught page errors,
    failed requests and HTTP error responses.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from subprocess import CompletedProcess
from typing import TYPE_CHECKING

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
# `from tests.helpers import ...` and the project's packages (calculator,
# macros) must import however pytest was started.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests import helpers  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM_PATH = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
# Default timeout for Playwright actions and navigations, in milliseconds.
PAGE_TIMEOUT_MS = 20_000


# ─── Build and serve the real site ─────────────────────────────────────────


@dataclass(frozen=True)
class SiteBuild:
    """One build of the repository's site: where it went and how it went."""

    site: Path
    proc: CompletedProcess[str]

    @property
    def ok(self) -> bool:
        return self.proc.returncode == 0


_SITE_BUILD = pytest.StashKey[SiteBuild]()


def _build_real_site(config: pytest.Config) -> SiteBuild:
    # Once per session, shared by collection (site_page) and built_site.
    if _SITE_BUILD not in config.stash:
        tmp = Path(tempfile.mkdtemp(prefix="cci-site-"))
        config.add_cleanup(lambda: shutil.rmtree(tmp, ignore_errors=True))
        site = tmp / "site"
        config.stash[_SITE_BUILD] = SiteBuild(site, helpers.run_build(REPO_ROOT, site))
    return config.stash[_SITE_BUILD]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize ``site_page`` with the pages found in the built site."""
    if "site_page" not in metafunc.fixturenames:
        return
    build = _build_real_site(metafunc.config)
    pages = helpers.discover_pages(build.site) if build.ok else []
    if not pages:
        # One placeholder case, so the failure (via built_site) is reported
        # instead of the test being silently skipped as empty.
        metafunc.parametrize("site_page", [None], ids=["no-pages-built"])
        return
    metafunc.parametrize("site_page", pages, ids=[p.rstrip("/") or "index" for p in pages])


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def copy_project() -> Callable[[Path], Path]:
    """``copy_project(dest) -> dest``; see ``tests.helpers.copy_project``."""
    return helpers.copy_project


@pytest.fixture(scope="session")
def run_build() -> Callable[[Path, Path], CompletedProcess[str]]:
    """``run_build(project, site_dir)``; see ``tests.helpers.run_build``."""
    return helpers.run_build


@pytest.fixture(scope="session")
def built_site(pytestconfig: pytest.Config) -> Path:
    """The repository's site, built once per session (strict)."""
    build = _build_real_site(pytestconfig)
    if not build.ok:
        pytest.fail(
            f"mkdocs build of the repository failed\n{helpers.build_output(build.proc)}",
            pytrace=False,
        )
    return build.site


@pytest.fixture(scope="session")
def site_server(built_site: Path) -> Iterator[str]:
    """Base URL (ending in ``/``) of a local server for ``built_site``."""
    with helpers.serve_directory(built_site) as base_url:
        yield base_url


# ─── Browser ───────────────────────────────────────────────────────────────


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium driven by Playwright's sync API."""
    if not CHROMIUM_PATH.exists():
        pytest.fail(
            f"{CHROMIUM_PATH} not found: run the tests with `make test`, which "
            "installs Debian's chromium (never `playwright install`).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM_PATH), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def _recorded_page(browser: Browser) -> Iterator[tuple[Page, helpers.PageLog]]:
    context = browser.new_context(
        locale="de-DE", timezone_id="Europe/Berlin", service_workers="block"
    )
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        page = context.new_page()
        log = helpers.record_page(context, page)
        yield page, log
    finally:
        context.close()


@pytest.fixture
def page(_recorded_page: tuple[Page, helpers.PageLog]) -> Page:
    """A fresh Playwright page; its recordings are in ``page_log``."""
    return _recorded_page[0]


@pytest.fixture
def page_log(_recorded_page: tuple[Page, helpers.PageLog]) -> helpers.PageLog:
    """Requests, console errors and page errors of ``page``."""
    return _recorded_page[1]
