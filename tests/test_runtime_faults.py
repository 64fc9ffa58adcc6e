"""Faults of the calculators' runtime in real Chromium (issue 9, points 2, 12, 13).

- 9.2: the worker stops (``self.close()``), throws, rejects or never
  answers a request: both calculators hide their results at once or
  within their answer limit, say that they stopped, keep the visitor's
  input and start again with "Neu starten" (the fault is injected into
  the worker's script through a route, once; the restart loads it clean).
- 9.12: the tzdata wheel answers 404: ``reaktionszeit/`` fails visibly
  instead of loading forever, an edit leaves the note, the retry works.
- 9.13: a Content-Security-Policy without ``'wasm-unsafe-eval'`` (on the
  page and on the worker's script, whose own headers govern it): both
  calculators say that WebAssembly was blocked, at once; the same policy
  with ``'wasm-unsafe-eval'`` runs the calculator (negative control).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path


import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.helpers import PageLog, axe_problems, axe_violations
from tests.test_calculator_page import (
    CALCULATOR as PRICE_CALCULATOR,
    assert_examples_shown,
    open_calculator,
    view_of as price_view_of,
    wait_for_answer,
)
from tests.test_response_page import (
    BOOT_TIMEOUT_MS,
    CALCULATOR as RESPONSE_CALCULATOR,
    FIXED_NOW,
    ISSUE,
    ROOT as RESPONSE_ROOT,
    new_page,
    view_of as response_view_of,
    wait_for_view,
)

WORKER = "**/assets/calculator/worker.mjs"
# A request without an answer counts as a dead worker after the page's 8 s.
STOPPED_TIMEOUT_MS = 25_000
# Failures that need no waiting for a limit, on a busy machine.
FAILED_TIMEOUT_MS = 25_000

# Prepended to the worker's script: this listener runs before the worker's
# own onmessage, for the requests that `trigger` picks (a JS expression
# over `message`); `code` may stop them from reaching the worker.
INJECTED_LISTENER = """self.addEventListener("message", (event) => {{
  const message = event.data;
  if ({trigger}) {{ {code} }}
}});
"""
STOP = "event.stopImmediatePropagation();"
FAULTS = {
    "close": f"{STOP} self.close();",
    "throw": f'{STOP} throw new Error("injected fault");',
    "reject": f'{STOP} self.postMessage({{ id: message.id, type: "error", reason: "failed", message: "injected" }});',
    "hang": STOP,  # no answer ever
}


def inject_into_worker_once(page: Page, trigger: str, code: str) -> list[str]:
    """Serve the worker's script with ``code`` run for the requests that
    match ``trigger``, the first time only (a restart loads it clean).
    Returns the list of worker script URLs fetched, which grows."""
    fetched: list[str] = []

    def serve(route: Route) -> None:
        fetched.append(route.request.url)
        if len(fetched) > 1:
            route.fallback()
            return
        response = route.fetch()
        body = INJECTED_LISTENER.format(trigger=trigger, code=code) + response.text()
        route.fulfill(response=response, body=body)

    page.context.route(WORKER, serve)
    return fetched


def assert_stopped(page: Page, what: str) -> None:
    """The stop note of calculator ``what`` with "Neu starten", no results."""
    stopped = page.locator('[data-state="stopped"]')
    expect(stopped).to_be_visible(timeout=STOPPED_TIMEOUT_MS)
    expect(stopped.locator("strong")).to_have_text(f"{what} wurde unerwartet angehalten.")
    expect(stopped.get_by_role("button", name="Neu starten")).to_be_visible()
    expect(page.locator('[data-state="results"]')).to_be_hidden()
    expect(page.locator("[data-cci-calculator]")).not_to_have_attribute("aria-busy", "true")


# ─── 9.2 The worker dies ───────────────────────────────────────────────────


@pytest.mark.parametrize("fault", list(FAULTS))
def test_issue9_02_price_calculator_stops_instead_of_a_stale_price(
    site_server: str, page: Page, page_log: PageLog, fault: str
) -> None:
    """Typing 50.000 into a dead worker does not leave 2.300,00 € (the
    price for 10.000): the results go, the note says the calculator
    stopped, the input stays, and "Neu starten" prices 50.000."""
    fetched = inject_into_worker_once(
        page, 'message.type === "update" && message.fields.usage === "50.000"', FAULTS[fault]
    )
    advanced = page.locator('.cci-result[data-plan="advanced"] [data-slot="monthly"]')
    open_calculator(page, site_server)
    expect(advanced).to_have_text("2.300,00\u00a0€")

    page.locator("#cci-usage").fill("50.000")
    assert_stopped(page, "Der Preisrechner")
    expect(page.locator("#cci-usage")).to_have_value("50.000")
    assert "2.300,00" not in page.locator("[data-cci-calculator]").inner_text()
    # Typing into the stopped calculator shows nothing either.
    page.locator("#cci-usage").press("Enter")
    page.wait_for_timeout(1_000)
    assert_stopped(page, "Der Preisrechner")
    assert_examples_shown(page)
    assert not axe_problems({"stopped": axe_violations(page)})

    page.get_by_role("button", name="Neu starten").click()
    wait_for_answer(page, price_view_of("50.000"), BOOT_TIMEOUT_MS)
    expect(advanced).to_have_text("5.800,00\u00a0€")
    expect(page.locator('[data-state="stopped"]')).to_be_hidden()
    assert len(fetched) == 2, f"the restart must start a new worker: {fetched}"
    assert page_log.page_errors == []
    assert page_log.blocked == []


def test_issue9_02_slow_answer_hides_the_stale_price(site_server: str, page: Page) -> None:
    """While the answer for 50.000 is late, the price for 10.000 goes
    after a second, long before the calculator counts as stopped."""
    inject_into_worker_once(page, 'message.type === "update" && message.fields.usage === "50.000"', FAULTS["hang"])
    open_calculator(page, site_server)
    results = page.locator('[data-state="results"]')
    expect(results).to_be_visible()

    page.locator("#cci-usage").fill("50.000")
    expect(results).to_be_hidden(timeout=5_000)
    expect(page.locator('[data-state="stopped"]')).to_be_hidden()
    expect(page.locator("[data-cci-calculator]")).to_have_attribute("aria-busy", "true")
    assert_stopped(page, "Der Preisrechner")  # then, after the answer limit


@pytest.mark.parametrize("fault", ["close", "throw"])
def test_issue9_02_response_calculator_stops_instead_of_a_stale_due_time(
    browser: Browser, site_server: str, fault: str
) -> None:
    """Choosing Premium with a dead worker does not leave Basic's due time:
    the note says the calculator stopped, Premium stays chosen, and "Neu
    starten" shows Premium's due time for the same ticket."""
    page, log = new_page(browser, "Europe/Berlin", FIXED_NOW)
    try:
        fetched = inject_into_worker_once(
            page, 'message.type === "response" && message.plan === "premium"', FAULTS[fault]
        )
        page.goto(site_server + RESPONSE_CALCULATOR + ISSUE)
        wait_for_view(page, response_view_of("basic", 3, "2026-11-27T17:30"), ISSUE, BOOT_TIMEOUT_MS)
        due = page.locator(f'{RESPONSE_ROOT} [data-slot="due"]')
        expect(due).to_have_text("Di., 01.12.2026, 11:30\u00a0Uhr")

        premium = page.locator('input[name="plan"][value="premium"]')
        premium.check()
        assert_stopped(page, "Der Reaktionszeit-Rechner")
        expect(due).to_be_hidden()
        expect(premium).to_be_checked()

        page.get_by_role("button", name="Neu starten").click()
        wait_for_view(page, response_view_of("premium", 3, "2026-11-27T17:30"), None, BOOT_TIMEOUT_MS)
        expect(premium).to_be_checked()
        assert len(fetched) == 2, f"the restart must start a new worker: {fetched}"
        assert log.page_errors == []
    finally:
        page.context.close()


# ─── 9.12 An extra wheel is missing ────────────────────────────────────────


def wheel_without_package(wheel: Path) -> bytes:
    """``wheel`` without its package folder (its ``.dist-info`` only): a
    valid wheel that installs, but whose module is missing."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(buffer, "w") as out:
        for info in source.infolist():
            if ".dist-info/" in info.filename:
                out.writestr(info, source.read(info))
    return buffer.getvalue()


def serve_wrong_wheel(page: Page, site: Path, wheel: str) -> list[str]:
    """Serve the tzdata wheel without its ``tzdata`` folder, with its sha256
    in the lock file: it installs, but ``import tzdata`` fails (only the
    import check after the load can notice). Returns the wheel URLs served."""
    body = wheel_without_package(next(site.glob("assets/calculator/*/tzdata-*.whl")))
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert names and all(name.startswith("tzdata-") and ".dist-info/" in name for name in names), names
    served: list[str] = []

    def lock(route: Route) -> None:
        response = route.fetch()
        data = response.json()
        data["packages"]["tzdata"]["sha256"] = hashlib.sha256(body).hexdigest()
        route.fulfill(response=response, body=json.dumps(data))

    def serve(route: Route) -> None:
        served.append(route.request.url)
        route.fulfill(status=200, body=body, content_type="application/zip")

    page.context.route("**/pyodide-lock.json", lock)
    page.context.route(wheel, serve)
    return served


@pytest.mark.parametrize("fault", ["missing", "wrong"])
def test_issue9_12_missing_tzdata_wheel_fails_visibly(
    site_server: str, built_site: Path, page: Page, page_log: PageLog, fault: str
) -> None:
    """A 404 for the tzdata wheel, or a wheel that installs but does not
    provide its module, ends the start with the files note and "Erneut
    versuchen" (not "wird geladen" forever); an edit leaves the note; with
    the wheel back the retry shows a due time."""
    wheel = "**/tzdata-*.whl"
    served: list[str] = []

    def missing(route: Route) -> None:
        served.append(route.request.url)
        route.fulfill(status=404, body="not found")

    if fault == "missing":
        page.context.route(wheel, missing)
    else:
        served = serve_wrong_wheel(page, built_site, wheel)
    warnings: list[str] = []
    page.on("console", lambda message: warnings.append(message.text) if message.type == "warning" else None)
    page.goto(site_server + RESPONSE_CALCULATOR + ISSUE)
    failed = page.locator('[data-state="failed"]')
    expect(failed).to_be_visible(timeout=FAILED_TIMEOUT_MS)
    expect(failed.locator("[data-reason]:visible")).to_have_text("Seine Dateien konnten nicht geladen werden.")
    expect(page.locator('[data-state="loading"]')).to_be_hidden()
    assert len(served) == 1, served
    if fault == "wrong":  # the import check found it
        assert any("tzdata did not load" in text for text in warnings), warnings

    page.locator('input[name="plan"][value="advanced"]').check()
    page.wait_for_timeout(1_000)
    expect(failed).to_be_visible()
    expect(page.locator('[data-state="results"]')).to_be_hidden()
    expect(page.locator("#zusagen ~ .cci-table-wrap table")).to_be_visible()

    page.context.unroute(wheel)
    page.context.unroute("**/pyodide-lock.json")
    page.get_by_role("button", name="Erneut versuchen").click()
    due = page.locator(f'{RESPONSE_ROOT} [data-slot="due"]')
    expect(due).to_be_visible(timeout=BOOT_TIMEOUT_MS)
    expect(failed).to_be_hidden()
    assert page_log.page_errors == []


# ─── 9.13 WebAssembly blocked by a Content-Security-Policy ─────────────────

# What the site allows besides scripts (Material has inline scripts).
POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; script-src 'self' 'unsafe-inline'"
BLOCKED_TEXT = (
    "Ihr Browser oder eine Sicherheitsrichtlinie dieser Website hat WebAssembly blockiert, "
    "das der Rechner braucht."
)


def serve_with_policy(page: Page, base_url: str, path: str, policy: str) -> None:
    """Send ``policy`` as the Content-Security-Policy of the page ``path``
    and of the worker's script (a worker is governed by its own headers)."""

    def add_policy(route: Route) -> None:
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": policy})

    page.route(base_url + path, add_policy)
    page.context.route(WORKER, add_policy)


@pytest.mark.parametrize(
    ("path", "what"),
    [(PRICE_CALCULATOR, "Der Preisrechner"), (RESPONSE_CALCULATOR, "Der Reaktionszeit-Rechner")],
    ids=["price", "response"],
)
def test_issue9_13_blocked_webassembly_is_named(
    site_server: str, page: Page, page_log: PageLog, path: str, what: str
) -> None:
    """Without 'wasm-unsafe-eval' the calculator says at once that the
    browser or the site's policy blocked WebAssembly (no retry: it cannot
    help), not that it timed out; the runtime is never fetched."""
    serve_with_policy(page, site_server, path, POLICY)
    page.goto(site_server + path)
    failed = page.locator('[data-state="failed"]')
    expect(failed).to_be_visible(timeout=FAILED_TIMEOUT_MS)
    expect(failed.locator("strong")).to_have_text(f"{what} konnte nicht starten:")
    expect(failed.locator("[data-reason]:visible")).to_have_text(BLOCKED_TEXT)
    expect(failed.get_by_role("button", name="Erneut versuchen")).to_be_hidden()
    assert not any(url.endswith("/pyodide.asm.wasm") for url in page_log.requests)
    assert page_log.page_errors == []


def test_issue9_13_policy_with_wasm_unsafe_eval_runs(site_server: str, page: Page) -> None:
    """Negative control: the same policy plus 'wasm-unsafe-eval' runs the
    price calculator, so the policy above blocks nothing else it needs."""
    serve_with_policy(page, site_server, PRICE_CALCULATOR, POLICY + " 'wasm-unsafe-eval'")
    open_calculator(page, site_server)
    expect(page.locator('.cci-result[data-plan="advanced"] [data-slot="monthly"]')).to_have_text("2.300,00\u00a0€")
