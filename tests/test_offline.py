"""Issue 11, offline and repeat visits: the service worker in real Chromium.

The site's ``sw.js`` (written by ``macros/offline.py``) precaches pages and
assets, keeps the calculator runtime only after a calculator page asked
for it, and serves one build at a time: a new deploy is offered with
"Neue Version verfügbar – neu laden". These tests serve a folder through a
symlink, so that a deploy is one swap of the link, and record on the server
what the browser really downloaded (service worker included). Unlike the
other browser tests, their contexts allow service workers.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.helpers import (
    PageLog,
    axe_violations,
    build_output,
    build_with_data_edits,
    discover_pages,
    format_violations,
    log_problems,
    problems_besides_cut_off_loads,
    record_page,
    serve_directory,
)
from tests.test_calculator_page import (
    BOOT_TIMEOUT_MS, INITIAL_INPUT, RUNTIME_ANSWERED_JS, enter, open_calculator, wait_for_answer,
)
from tests.test_calculator_page import view_of as price_of
from tests.test_quote_page import GERMAN_LINK, open_link
from tests.test_response_page import FIXED_NOW, view_of, wait_for_view

# Installing a worker precaches the site; the runtime is about 14 MB.
WORKER_TIMEOUT_MS = 90_000
UPDATE_TEXT = "Neue Version verfügbar – neu laden"
# The sites are served under a sub-path, as a deploy may be.
SUB_PATH = "cci/"
RESPONSE_LINK = "reaktionszeit/#plan=basic&schweregrad=3&eingang=2026-11-27T17:30"
# The edit of the second build: a calculator message, so its bundle (the
# data in catalog.json) differs from the first build's.
OLD_EMPTY = "Bitte geben Sie Ihre monatliche CCI-Nutzungsgebühr in Euro ein."
NEW_EMPTY = "Bitte geben Sie Ihre monatliche CCI-Nutzungsgebühr (netto) in Euro ein."


def offline_manifest(site: Path) -> dict[str, Any]:
    """The ``OFFLINE`` object that the build wrote at the top of ``sw.js``."""
    text = (site / "sw.js").read_text(encoding="utf-8")
    head = text.split("\n", 1)[0]
    assert head.startswith("const OFFLINE = ") and head.endswith(";"), head[:80]
    return json.loads(head.removeprefix("const OFFLINE = ").removesuffix(";"))


def runtime_urls(site: Path) -> list[str]:
    return [entry["url"] for entry in offline_manifest(site)["runtime"]]


# How many of `urls` the runtime cache of the active worker holds, and the
# names of all caches; resolves once a worker is active.
CACHED_JS = """async (urls) => {
    await navigator.serviceWorker.ready;
    const names = await caches.keys();
    const runtime = names.filter((name) => name.startsWith("cci-runtime-"));
    let held = 0;
    if (runtime.length === 1) {
        const cache = await caches.open(runtime[0]);
        for (const url of urls) if (await cache.match(url)) held += 1;
    }
    return { names, held };
}"""

# The revisions (?__WB_REVISION__=) of every file in Workbox's precache.
PRECACHED_JS = """async () => {
    const names = (await caches.keys()).filter((name) => name.includes("precache"));
    const revisions = [];
    for (const name of names) {
        for (const request of await (await caches.open(name)).keys()) {
            const url = new URL(request.url);
            revisions.push([url.pathname, url.searchParams.get("__WB_REVISION__")]);
        }
    }
    return revisions;
}"""


@dataclass
class Served:
    """A site served through the symlink ``link``; ``paths`` the server saw."""

    link: Path
    base_url: str
    paths: list[str]
    server: ExitStack

    def downloaded(self) -> list[str]:
        """The site's files requested so far, relative to the site (``rechner/index.html``)."""
        prefix = "/" + SUB_PATH
        return [path.removeprefix(prefix) for path in self.paths if path.startswith(prefix)]

    def stop(self) -> None:
        """Stop the server: really offline (Chromium's offline mode does not
        cover a service worker's own update checks)."""
        self.server.close()

    def deploy(self, site: Path) -> None:
        """Point the served folder at ``site`` in one step (a new deploy)."""
        tmp = self.link.with_name(self.link.name + ".new")
        tmp.symlink_to(site)
        os.replace(tmp, self.link)


@contextmanager
def served(site: Path, folder: Path) -> Iterator[Served]:
    """Serve ``site`` under the sub-path SUB_PATH, as ``folder/cci`` → site."""
    link = folder / SUB_PATH.rstrip("/")
    link.symlink_to(site)
    paths: list[str] = []
    with ExitStack() as server:
        base_url = server.enter_context(serve_directory(folder, paths)) + SUB_PATH
        yield Served(link, base_url, paths, server)


@contextmanager
def worker_page(browser: Browser) -> Iterator[tuple[Page, PageLog]]:
    """A recorded page in a fresh context that allows service workers."""
    context: BrowserContext = browser.new_context(
        locale="de-DE", timezone_id="Europe/Berlin", service_workers="allow"
    )
    context.set_default_timeout(WORKER_TIMEOUT_MS)
    try:
        page = context.new_page()
        log = record_page(context, page)
        yield page, log
    finally:
        context.close()


def wait_for_runtime(page: Page, base_url: str, urls: list[str]) -> dict[str, Any]:
    """Wait until the active worker's runtime cache holds all of ``urls``."""
    absolute = [base_url + url for url in urls]
    deadline = time.monotonic() + WORKER_TIMEOUT_MS / 1000
    while True:
        state = page.evaluate(CACHED_JS, absolute)
        if state["held"] == len(urls) or time.monotonic() > deadline:
            break
        page.wait_for_timeout(250)
    assert state["held"] == len(urls), f"runtime not cached in time: {state}"
    return state


def bundle_folders(manifest: dict[str, Any]) -> set[str]:
    """The calculator bundle folders (``assets/calculator/<id>/``) among the runtime files."""
    return {
        entry["url"].rsplit("/", 1)[0] + "/"
        for entry in manifest["runtime"] if entry["url"].startswith("assets/calculator/")
    }


def shown_bundle(page: Page) -> str:
    """The bundle folder the calculator of the page was built with."""
    return page.locator("[data-bundle]").first.get_attribute("data-bundle") or ""


def empty_field_message(page: Page) -> str:
    """Once the calculator has booted, the message it shows for an empty field."""
    # The build-time answer shows before the runtime: wait for the runtime's.
    page.wait_for_function(RUNTIME_ANSWERED_JS, timeout=BOOT_TIMEOUT_MS)
    wait_for_answer(page, price_of(INITIAL_INPUT), BOOT_TIMEOUT_MS)
    page.locator("#cci-usage").fill("")
    error = page.locator('.cci-calc [data-slot="error"]').first
    expect(error).not_to_be_empty()
    return error.inner_text()


def test_issue11_calculators_and_quote_link_offline_after_one_visit(
    browser: Browser, built_site: Path, tmp_path: Path
) -> None:
    runtime = runtime_urls(built_site)
    with served(built_site, tmp_path) as site, worker_page(browser) as (page, log):
        open_calculator(page, site.base_url)
        state = wait_for_runtime(page, site.base_url, runtime)
        # Runtime (3), lock, standard library (with the calculator), the tzdata
        # wheel, the data of both editions (catalog.json, catalog.en.json): no
        # calculator wheel.
        assert len(runtime) == 8 and state["held"] == 8, state
        assert not [url for url in runtime if "cci_calculator" in url], runtime
        scope = page.evaluate("async () => (await navigator.serviceWorker.ready).scope")
        assert scope == site.base_url

        page.context.set_offline(True)
        site.stop()
        page.goto(site.base_url + "preise/")
        expect(page.locator("h1")).to_have_id("preise")
        open_link(page, site.base_url + "rechner/#" + GERMAN_LINK)  # waits for the quote
        open_calculator(page, site.base_url)
        assert enter(page, "25.000,50")["ok"]
        page.clock.set_fixed_time(FIXED_NOW)  # the response tests' Friday 17:30
        page.goto(site.base_url + RESPONSE_LINK)
        wait_for_view(page, view_of("basic", 3, "2026-11-27T17:30"), RESPONSE_LINK.split("#")[1],
                      timeout_ms=WORKER_TIMEOUT_MS)
        expect(page.locator("h1")).to_have_id("reaktionszeit-rechner")
        # Each goto may cut off what the page left still loads (the search
        # worker's language files once did): aborted, not failed.
        assert problems_besides_cut_off_loads(log, site.base_url) == []


def test_issue11_runtime_not_downloaded_without_a_calculator(
    browser: Browser, built_site: Path, tmp_path: Path
) -> None:
    runtime = set(runtime_urls(built_site))
    with served(built_site, tmp_path) as site, worker_page(browser) as (page, log):
        page.goto(site.base_url + "preise/")
        state = page.evaluate(CACHED_JS, [])
        # The worker is active, so its precache is complete: the pages.
        assert "vergleich/index.html" in site.downloaded()
        page.goto(site.base_url + "vergleich/")
        page.wait_for_timeout(2000)  # time for a (wrong) prefetch to show
        assert not [name for name in state["names"] if name.startswith("cci-runtime-")], state
        assert sorted(set(site.downloaded()) & runtime) == []
        # Control: the calculator page does ask for the runtime.
        page.goto(site.base_url + "rechner/")
        wait_for_runtime(page, site.base_url, sorted(runtime))
        assert sorted(set(site.downloaded()) & runtime) == sorted(runtime)
        assert problems_besides_cut_off_loads(log, site.base_url) == []


def test_issue11_new_deploy_is_offered_and_replaces_the_old_build(
    browser: Browser, built_site: Path, tmp_path: Path
) -> None:
    new_site, proc = build_with_data_edits(tmp_path / "new", {OLD_EMPTY: NEW_EMPTY})
    assert proc.returncode == 0, build_output(proc)
    old, new = offline_manifest(built_site), offline_manifest(new_site)
    assert old["build"] != new["build"]
    (old_bundle,), (new_bundle,) = (bundle_folders(m) for m in (old, new))
    assert old_bundle != new_bundle, "the edit must change the calculator bundle"

    with served(built_site, tmp_path) as site, worker_page(browser) as (page, log):
        open_calculator(page, site.base_url)
        wait_for_runtime(page, site.base_url, runtime_urls(built_site))
        notice = page.locator("[data-cci-update]")
        expect(notice).to_be_hidden()

        site.deploy(new_site)
        page.reload()  # a navigation: the browser checks sw.js
        expect(notice).to_be_visible(timeout=WORKER_TIMEOUT_MS)
        assert " ".join(notice.inner_text().split()) == UPDATE_TEXT
        assert format_violations(axe_violations(page)) == ""
        # Until the visitor agrees, the page is the old build's, runtime included.
        assert shown_bundle(page).endswith(old_bundle)
        assert empty_field_message(page) == OLD_EMPTY

        with page.expect_navigation():
            page.get_by_role("button", name="neu laden").click()
        assert shown_bundle(page).endswith(new_bundle)
        expect(notice).to_be_hidden()
        assert empty_field_message(page) == NEW_EMPTY

        state = wait_for_runtime(page, site.base_url, runtime_urls(new_site))
        runtime_caches = [name for name in state["names"] if name.startswith("cci-runtime-")]
        assert runtime_caches == ["cci-runtime-" + new["build"]]
        wanted = {("/" + SUB_PATH + e["url"], e["revision"]) for e in new["precache"]}
        assert set(map(tuple, page.evaluate(PRECACHED_JS))) == wanted
        assert log_problems(log, site.base_url) == []


def test_issue11_every_page_precached_runtime_on_demand(built_site: Path) -> None:
    manifest = offline_manifest(built_site)
    precached = {entry["url"] for entry in manifest["precache"]}
    pages = {page + "index.html" for page in discover_pages(built_site)}
    assert pages <= precached
    assert {
        "rechner/index.html", "reaktionszeit/index.html", "angebotslinks/index.html", "404.html",
        "search/search_index.json", "sitemap.xml", "assets/offline.js",
    } <= precached
    heavy = {
        path.relative_to(built_site).as_posix()
        for folder in ("assets/pyodide", "assets/calculator")
        for path in (built_site / folder).rglob("*")
        if path.is_file() and path.parent != built_site / "assets/calculator"
        and path.suffix not in (".gz", ".br")  # the web server's precompressed twins
    }
    assert {entry["url"] for entry in manifest["runtime"]} == heavy
    assert not heavy & precached
    # Material's other search languages (wordcut.js alone is 680 kB) stay out.
    assert sorted(url for url in precached if "lunr" in url) == [
        "assets/javascripts/lunr/min/lunr.de.min.js",
        "assets/javascripts/lunr/min/lunr.stemmer.support.min.js",
    ]


def test_issue11_live_preview_worker_removes_itself(tmp_path: Path) -> None:
    from macros import offline

    offline.on_startup("serve", dirty=False)
    try:
        offline.on_post_build({"site_dir": str(tmp_path), "config_file_path": "mkdocs.yml"})
    finally:
        offline.on_startup("build", dirty=False)
    worker = (tmp_path / "sw.js").read_text(encoding="utf-8")
    assert "self.registration.unregister()" in worker and "OFFLINE" not in worker
