"""Issue 11: correct URLs on any host.

The public address comes from ``SITE_URL`` (canonical links, sitemap, the
server configuration's paths), and one built ``site/`` works wherever it is
served: Material's instant navigation keeps the calculator's warm worker on
another port and under a sub-path (``assets/site_root.js``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from macros import local_nginx
from tests.helpers import build_output, log_problems, run_build, serve_directory
from tests.test_calculator_page import (
    ANSWER_TIMEOUT_MS,
    CALCULATOR,
    INITIAL_INPUT,
    WASM,
    enter,
    mismatches,
    new_recorded_page,
    open_calculator,
    view_of,
    wait_for_answer,
)

PUBLIC = "https://support.example.com/hilfe/"
DEFAULT = "http://127.0.0.1:8000/"
SUB_PATH = "unter/pfad/"


def canonical(site: Path, page: str) -> str:
    """The ``<link rel="canonical">`` address of ``page`` (``rechner/``)."""
    html = (site / page / "index.html").read_text(encoding="utf-8")
    found = re.findall(r'<link rel="canonical" href="([^"]+)"', html)
    assert len(found) == 1, found
    return found[0]


def sitemap_locs(site: Path) -> list[str]:
    return re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def public_build(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository built with ``SITE_URL`` set, mkdocs.yml untouched."""
    site = tmp_path_factory.mktemp("public") / "site"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SITE_URL", PUBLIC)
        proc = run_build(repo_root, site)
    assert proc.returncode == 0, build_output(proc)
    return site


def test_issue11_site_url_comes_from_the_environment(public_build: Path, built_site: Path) -> None:
    assert canonical(public_build, "rechner/") == PUBLIC + "rechner/"
    locs = sitemap_locs(public_build)
    assert len(locs) > 10 and PUBLIC in locs and PUBLIC + "rechner/" in locs
    assert [loc for loc in locs if not loc.startswith(PUBLIC)] == []
    # Without SITE_URL: the address of `make serve`.
    assert canonical(built_site, "rechner/") == DEFAULT + "rechner/"
    assert [loc for loc in sitemap_locs(built_site) if not loc.startswith(DEFAULT)] == []


def test_issue11_server_configuration_follows_site_url(public_build: Path, built_site: Path) -> None:
    nginx = (public_build / "_deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert "\nlocation /hilfe/ {\n" in nginx
    assert "\nlocation = /hilfe/assets/calculator/worker.mjs {\n" in nginx
    assert "error_page 404 /hilfe/404.html;" in nginx
    assert 'add_header Service-Worker-Allowed "/hilfe/" always;' in nginx
    headers = (public_build / "_headers").read_text(encoding="utf-8").splitlines()
    assert headers[1] == "/hilfe/*"
    assert "/hilfe/assets/calculator/worker.mjs" in headers
    assert "\nlocation / {\n" in (built_site / "_deploy" / "nginx.conf").read_text(encoding="utf-8")


# ─── One site/, served anywhere ────────────────────────────────────────────


def under_sub_path(site: Path, folder: Path) -> Path:
    """A folder that holds ``site`` at ``SUB_PATH`` (a symlink)."""
    link = folder / SUB_PATH.rstrip("/")
    link.parent.mkdir(parents=True)
    link.symlink_to(site, target_is_directory=True)
    return folder


@pytest.fixture(params=["nginx", "another port", "sub-path"])
def served(request: pytest.FixtureRequest, built_site: Path, tmp_path: Path) -> Iterator[str]:
    """Base URL of the same site on three addresses other than the build's:
    nginx, the Python server on another port, and under a sub-path."""
    path = ""
    if request.param == "nginx":
        server = local_nginx.serve(built_site)
    elif request.param == "another port":
        server = serve_directory(built_site)
    else:
        server, path = serve_directory(under_sub_path(built_site, tmp_path)), SUB_PATH
    with server as base_url:
        yield base_url + path


def test_issue11_instant_navigation_keeps_the_worker_anywhere(browser: Browser, served: str) -> None:
    """Away from the calculator and back through the nav: no reload, the
    runtime fetched and the worker started once, the warm worker answers."""
    assert not served.startswith(DEFAULT)
    page, log = new_recorded_page(browser)
    try:
        open_calculator(page, served)
        page.evaluate("() => { window.__marker = 1; }")
        nav = page.locator("nav.md-nav--primary")
        nav.get_by_role("link", name="Preise", exact=True).click()
        page.wait_for_url(served + "preise/")
        assert page.evaluate("() => window.__marker") == 1, "instant navigation reloaded the page"

        nav.get_by_role("link", name="Preisrechner", exact=True).click()
        page.wait_for_url(served + CALCULATOR)
        assert page.evaluate("() => window.__marker") == 1, "instant navigation reloaded the page"
        start = time.monotonic()
        wait_for_answer(page, view_of(INITIAL_INPUT), ANSWER_TIMEOUT_MS)
        print(f"answer after coming back ({served}): {time.monotonic() - start:.3f} s")
        view = enter(page, "20.000,01")
        assert mismatches(page, "20.000,01", view) == []

        wasm = [url for url in log.requests if url.endswith(WASM)]
        workers = [url for url in log.requests if url.endswith("/worker.mjs")]
        assert len(wasm) == 1, f"the runtime was fetched {len(wasm)} times: {wasm}"
        assert len(workers) == 1, f"the worker was started {len(workers)} times: {workers}"
        problems = log_problems(log, served)
        assert not problems, "\n".join(problems)
    finally:
        page.context.close()
