"""Issue 10: the calculator scripts load only on pages with a calculator.

Every page lists assets/calculator_loader.js (extra_javascript); it imports
assets/calculator/page.mjs only when the page has a [data-cci-calculator]
element, on the first load and after each instant navigation of Material.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.helpers import PageLog, discover_pages, log_problems, serve_sitemap_for
from tests.test_calculator_page import (
    ANSWER_TIMEOUT_MS,
    BOOT_TIMEOUT_MS,
    CALCULATOR,
    INITIAL_INPUT,
    RUNTIME_ANSWERED_JS,
    view_of,
    wait_for_answer,
)

STATIC_PAGE = "vergleich/"
LOADER = "/assets/calculator_loader.js"
# Files only a calculator needs: its scripts, its worker and the runtime.
CALCULATOR_FILES = ("/page.mjs", "/price_page.mjs", "/response_page.mjs", "/advisor_page.mjs",
                    "/worker.mjs", "/worker_client.mjs", "/pyodide.mjs", "/pyodide.asm.wasm")
ADVANCED_MONTHLY = '.cci-result[data-plan=advanced] [data-slot="monthly"]'


def calculator_requests(log: PageLog) -> list[str]:
    return [url for url in log.requests if urlsplit(url).path.endswith(CALCULATOR_FILES)]


def test_static_page_loads_no_calculator_code_until_a_calculator_is_opened(
    site_server: str, page: Page, page_log: PageLog
) -> None:
    """/vergleich/ fetches the loader but no calculator script, worker or
    runtime; after an instant navigation to /rechner/ the loader imports
    the calculator, which answers for the pre-filled 10.000."""
    serve_sitemap_for(page, site_server)
    page.goto(site_server + STATIC_PAGE, wait_until="load")
    page.wait_for_load_state("networkidle")
    loaders = [url for url in page_log.requests if urlsplit(url).path.endswith(LOADER)]
    assert len(loaders) == 1, f"the loader was fetched {len(loaders)} times: {loaders}"
    assert page.locator("[data-cci-calculator]").count() == 0
    assert calculator_requests(page_log) == []
    page.evaluate("() => { window.__marker = 1; }")

    page.locator("nav.md-nav--primary").get_by_role("link", name="Preisrechner", exact=True).click()
    page.wait_for_url(site_server + CALCULATOR)
    assert page.evaluate("() => window.__marker") == 1, "the navigation reloaded the page"
    page.wait_for_function(RUNTIME_ANSWERED_JS, timeout=BOOT_TIMEOUT_MS)
    view = view_of(INITIAL_INPUT)
    wait_for_answer(page, view, ANSWER_TIMEOUT_MS)
    advanced = next(plan for plan in view["plans"] if plan["plan"] == "advanced")
    assert advanced["monthly"] == "2.300,00\u00a0€"
    expect(page.locator(ADVANCED_MONTHLY)).to_have_text(advanced["monthly"])
    # Negative control: the same log does see the calculator's files now.
    paths = {urlsplit(url).path.rsplit("/", 1)[-1] for url in calculator_requests(page_log)}
    assert {"page.mjs", "price_page.mjs", "worker.mjs", "pyodide.asm.wasm"} <= paths
    problems = log_problems(page_log, site_server)
    assert not problems, "\n".join(problems)


def test_calculator_page_opened_directly_loads_its_scripts(
    site_server: str, page: Page, page_log: PageLog
) -> None:
    """/rechner/ opened directly (no instant navigation): the loader
    imports the calculator once and the runtime answers."""
    page.goto(site_server + CALCULATOR)
    page.wait_for_function(RUNTIME_ANSWERED_JS, timeout=BOOT_TIMEOUT_MS)
    wait_for_answer(page, view_of(INITIAL_INPUT), ANSWER_TIMEOUT_MS)
    entries = [url for url in page_log.requests if urlsplit(url).path.endswith("/calculator/page.mjs")]
    assert len(entries) == 1, f"page.mjs was fetched {len(entries)} times: {entries}"
    problems = log_problems(page_log, site_server)
    assert not problems, "\n".join(problems)


def test_english_static_page_loads_the_loader_but_no_calculator_code(
    site_server: str, page: Page, page_log: PageLog
) -> None:
    """/en/compare/, the English /vergleich/, fetches the shared loader
    (one level up, the German edition's file) and no calculator script;
    /en/calculator/ then, opened directly, fetches page.mjs once through it."""
    page.goto(site_server + "en/compare/", wait_until="load")
    page.wait_for_load_state("networkidle")
    loaders = [urlsplit(url).path for url in page_log.requests if urlsplit(url).path.endswith(LOADER)]
    assert loaders == [LOADER], f"the loader was fetched as {loaders}"
    assert calculator_requests(page_log) == []
    # Negative control: the same log sees the calculator's entry on a calculator page.
    page.goto(site_server + "en/calculator/", wait_until="load")
    entries = [urlsplit(url).path for url in calculator_requests(page_log)]
    assert entries.count("/assets/calculator/page.mjs") == 1, entries
    problems = log_problems(page_log, site_server)
    assert not problems, "\n".join(problems)


SCRIPT_TAG = re.compile(r"<script\b[^>]*\bsrc=\"([^\"]+)\"[^>]*>")
# The body's scripts, in the order they run (mkdocs.yml extra_javascript).
BODY_SCRIPTS = ("javascripts/bundle.", "calculator_loader.js", "offline.js", "language_switch.js")


def test_every_page_defers_materials_bundle_and_the_sites_scripts(built_site: Path) -> None:
    """overrides/main.html: the body's scripts carry ``defer`` (the page can
    paint before Material's bundle runs) and keep their order; site_root.js
    in <head> does not (Material's inline scripts in the body use it)."""
    pages = discover_pages(built_site)
    assert len(pages) > 30, pages
    for page in pages:
        html = (built_site / page / "index.html").read_text(encoding="utf-8")
        head, body = html.split("</head>", 1)
        (root_script,) = SCRIPT_TAG.findall(head)
        assert root_script.endswith("assets/site_root.js"), page
        assert " defer" not in SCRIPT_TAG.search(head)[0], page
        tags = list(SCRIPT_TAG.finditer(body))
        names = [next(name for name in BODY_SCRIPTS if name in tag[1]) for tag in tags]
        assert names == list(BODY_SCRIPTS), page
        undeferred = [tag[0] for tag in tags if not re.search(r"\sdefer[\s>]", tag[0])]
        assert not undeferred, f"{page}: {undeferred}"
