"""The price calculator page (``rechner/``) in real Chromium.

The page runs ``calculator.price_view`` in Pyodide inside a Web Worker and
puts its texts into the page's slots. These tests type into the real page
and compare what it shows with what CPython computes for the same input:

- every shown amount, rate, rule and breakdown row equals CPython's
  ``price_view`` (band edges, German number forms, zero, a huge amount),
  plus a few literal amounts, so the page is not only compared to itself;
- refused input shows the data file's German message, marks the field
  invalid and hides stale results;
- the warm worker survives Material's instant navigation (one wasm fetch);
- nothing leaves the local server, no console or page error, no serious
  axe violation with results or with an error shown;
- a runtime that cannot load leaves a note, "Erneut versuchen", the form
  and the static worked examples; without JavaScript, the examples too
  (stalls and faults: tests/test_slow_network.py, test_runtime_faults.py).

Pyodide boots in 3–5 s, so the tests that only type share one page
(``calc``, module-scoped) instead of booting it for every input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from calculator import formats_for, german
from calculator.price_view import price_view
from tests.catalog import EDITIONS, edition_catalog, edition_page, edition_ui, real_catalog
from tests.helpers import (
    PageLog,
    axe_problems,
    axe_violations,
    log_problems,
    record_page,
    serve_sitemap_for,
)

CALCULATOR = "rechner/"
# The field's value in the page's HTML, priced as soon as the worker is ready.
INITIAL_INPUT = "10.000"
# Cold boot of Pyodide on a slow machine; later answers take milliseconds.
BOOT_TIMEOUT_MS = 30_000
ANSWER_TIMEOUT_MS = 20_000
# A failed file ends the start at once; allow for a slow machine.
FAILURE_TIMEOUT_MS = 25_000

# Every Advanced band edge and a cent on either side, German input forms,
# zero and a huge amount.
VALID_INPUTS = (
    "4.999,99", "5000", "5.000,01",
    "6.999,99", "7.000", "7.000,01",
    "9.999,99", "10000", "10.000,01",
    "19.999,99", "20.000", "20.000,01",
    "5000,50", "4.000", "6.000", "25.000",
    "10.000", "10.000,50", "10 000 €", "7.500,00 EUR",
    "0", "999.999.999,99",
)
INVALID_INPUTS = ("abc", "-5", "1,2,3", "", "10000.50")

WASM = "/pyodide.asm.wasm"


# ─── What CPython expects, what the page shows ─────────────────────────────


def norm(text: str | None) -> str | None:
    """``text`` with runs of whitespace (also U+00A0) as one plain space."""
    return None if text is None else " ".join(text.split())


def view_of(typed: str, lang: str = "de") -> dict[str, Any]:
    """CPython's answer for ``typed`` on the page of edition ``lang``: the texts the page must show."""
    return price_view(edition_catalog(lang), typed, lang=lang)


def in_edition(typed: str, lang: str) -> str:
    """The German input ``typed`` as a visitor of edition ``lang`` types the
    same amount ("25.000" → "25,000"); German input unchanged."""
    return typed if lang == "de" else formats_for(lang).typed_amount(german.parse_usage(typed))


def expected_plan(plan: dict[str, Any]) -> dict[str, Any]:
    """One plan card as it must look, from one entry of ``view["plans"]``.

    The effective rate is hidden where it says nothing: for a plan included
    in the platform fee, and for a usage fee of 0 (no rate). Exactly one
    rule sentence shows; the two "ab " prefixes show only for a "from" price.
    """
    rate_shown = plan["effective_rate"] is not None and plan["rule"] != "included"
    return {
        "monthly": norm(plan["monthly"]),
        "annual": norm(plan["annual"]),
        "effective_rate": norm(plan["effective_rate"]) if rate_shown else None,
        "rules": [plan["rule"]],
        "from": [plan["starts_from"]] * 2,
        "from_note": norm(plan["from_note"]),
    }


def bands_of(plan_id: str) -> tuple[Any, ...]:
    """The price bands of plan ``plan_id`` in the real catalog."""
    return next(p for p in real_catalog().plans if p.id == plan_id).price.bands


def expected_breakdown(plan: dict[str, Any], lang: str = "de") -> dict[str, Any]:
    """The breakdown table of a banded plan: base row, one row per band line
    (``lower – upper`` or ``über lower``), and the total in the footer, with
    the words and notation of edition ``lang``."""
    bands, words = bands_of(plan["plan"]), edition_ui(lang)["price_calculator"]
    first = formats_for(lang).format_eur(bands[0].lower)
    rows = [[words["up_to"].format(amount=first), "–", words["base_fee"], plan["base"]]]
    for line in plan["lines"]:
        label = (
            f"{words['over']} {line['lower']}"
            if line["upper"] is None
            else f"{line['lower']} – {line['upper']}"
        )
        rows.append([label, line["portion"], line["rate"], line["amount"]])
    return {
        "rows": [[norm(cell) for cell in row] for row in rows],
        "total": norm(plan["monthly"]),
    }


# One card's visible state; hidden elements count as not shown.
SHOWN_PLAN_JS = """card => {
    const shown = (element) => element.checkVisibility();
    const slot = (name) => card.querySelector(`[data-slot="${name}"]`).textContent;
    const rate = card.querySelector('[data-has="effective_rate"]');
    return {
        monthly: slot("monthly"),
        annual: slot("annual"),
        effective_rate: shown(rate) ? slot("effective_rate") : null,
        rules: [...card.querySelectorAll(".cci-rule [data-rule]")]
            .filter(shown).map((element) => element.dataset.rule),
        from: [...card.querySelectorAll('[data-rule="from"]')].map(shown),
        from_note: shown(card.querySelector('[data-has="from_note"]')) ? slot("from_note") : null,
    };
}"""

# A breakdown table's visible rows (hidden spans excluded by innerText).
SHOWN_BREAKDOWN_JS = """breakdown => ({
    rows: [...breakdown.querySelectorAll("tbody > tr")]
        .filter((row) => row.checkVisibility())
        .map((row) => [...row.cells].map((cell) => cell.innerText)),
    total: breakdown.querySelector('tfoot [data-slot="monthly"]').textContent,
})"""


def shown_plan(page: Page, plan_id: str) -> dict[str, Any]:
    """What the card ``.cci-result[data-plan=plan_id]`` shows."""
    shown = page.locator(f'.cci-result[data-plan="{plan_id}"]').evaluate(SHOWN_PLAN_JS)
    for key in ("monthly", "annual", "effective_rate", "from_note"):
        shown[key] = norm(shown[key])
    return shown


def shown_breakdown(page: Page, plan_id: str) -> dict[str, Any]:
    """What the breakdown table ``[data-breakdown=plan_id]`` shows."""
    shown = page.locator(f'[data-breakdown="{plan_id}"]').evaluate(SHOWN_BREAKDOWN_JS)
    return {
        "rows": [[norm(cell) for cell in row] for row in shown["rows"]],
        "total": norm(shown["total"]),
    }


def mismatches(page: Page, typed: str, view: dict[str, Any], lang: str = "de") -> list[str]:
    """Differences between the page and ``view`` (CPython), as messages."""
    problems = []
    for plan in view["plans"]:
        pid = plan["plan"]
        shown, expected = shown_plan(page, pid), expected_plan(plan)
        if shown != expected:
            problems.append(f"{typed!r} {pid}: shown {shown}, expected {expected}")
        if bands_of(pid):  # only banded plans have a breakdown table
            shown, expected = shown_breakdown(page, pid), expected_breakdown(plan, lang)
            if shown != expected:
                problems.append(
                    f"{typed!r} {pid} breakdown: shown {shown}, expected {expected}"
                )
    return problems


# ─── Typing and waiting ────────────────────────────────────────────────────

# Blank the usage and error slots, so that waiting for their new text proves
# that the reply for *this* input arrived (two inputs may share a text).
BLANK_SLOTS_JS = """() => {
    for (const element of document.querySelectorAll(
        '[data-cci-calculator] [data-slot="usage"], [data-cci-calculator] [data-slot="error"]'
    )) element.textContent = "(waiting)";
}"""

# True once the page shows the answer `view` (exact text, U+00A0 included).
ANSWERED_JS = """view => {
    const root = document.querySelector("[data-cci-calculator]");
    if (!root || root.hasAttribute("aria-busy")) return false;
    const usage = root.querySelector('[data-slot="usage"]').textContent;
    const error = root.querySelector('[data-slot="error"]').textContent;
    return view.ok ? usage === view.usage && error === "" : error === view.message;
}"""


def slot_texts(page: Page) -> str:
    """The usage and error slots' texts, for failure messages."""
    return page.evaluate(
        """() => JSON.stringify([...document.querySelectorAll(
            '[data-slot="usage"], [data-slot="error"]')].map((e) => e.textContent))"""
    )


def wait_for_answer(page: Page, view: dict[str, Any], timeout_ms: float) -> None:
    """Wait until the page shows ``view``'s usage text (or error message)."""
    try:
        page.wait_for_function(ANSWERED_JS, arg=view, timeout=timeout_ms)
    except PlaywrightTimeoutError:
        want = view["usage"] if view["ok"] else view["message"]
        pytest.fail(
            f"the page did not show {want!r} within {timeout_ms} ms; "
            f"usage/error slots: {slot_texts(page)}",
            pytrace=False,
        )


def enter(page: Page, typed: str, lang: str = "de") -> dict[str, Any]:
    """Type ``typed`` into the field, wait for the page's answer and
    return CPython's view of the same input (on the page of edition ``lang``)."""
    view = view_of(typed, lang)
    page.evaluate(BLANK_SLOTS_JS)
    page.locator("#cci-usage").fill(typed)
    wait_for_answer(page, view, ANSWER_TIMEOUT_MS)
    return view


# True once the runtime runs and has answered (the build-time answer shows before).
RUNTIME_ANSWERED_JS = """() => {
    const root = document.querySelector("[data-cci-calculator]");
    return root?.dataset.status === "running" && !root.hasAttribute("aria-busy") && location.hash.length > 1;
}"""


def open_calculator(page: Page, base_url: str, lang: str = "de") -> None:
    """Open the calculator of edition ``lang`` and wait for the runtime's
    first answer (a cold boot)."""
    page.goto(base_url + edition_page(lang, CALCULATOR))
    page.wait_for_function(RUNTIME_ANSWERED_JS, timeout=BOOT_TIMEOUT_MS)
    wait_for_answer(page, view_of(in_edition(INITIAL_INPUT, lang), lang), BOOT_TIMEOUT_MS)


def new_recorded_page(browser: Browser, **options: Any) -> tuple[Page, PageLog]:
    """A page in a fresh context like the ``page`` fixture's, recorded."""
    context = browser.new_context(
        locale="de-DE", timezone_id="Europe/Berlin", service_workers="block", **options
    )
    context.set_default_timeout(ANSWER_TIMEOUT_MS)
    page = context.new_page()
    return page, record_page(context, page)


# ─── One booted calculator for the typing tests ───────────────────────────


@dataclass
class Calculator:
    """The calculator page, booted once for this module, and its log."""

    page: Page
    log: PageLog
    base_url: str


@pytest.fixture(scope="module")
def calculators(browser: Browser, site_server: str) -> Iterator[Callable[[str], Calculator]]:
    """The calculator of an edition (``rechner/``, ``en/calculator/``) with a
    warm worker, opened on first use and shared by the typing tests."""
    opened: dict[str, Calculator] = {}

    def calculator(lang: str) -> Calculator:
        if lang not in opened:
            page, log = new_recorded_page(browser)
            opened[lang] = Calculator(page, log, site_server)
            open_calculator(page, site_server, lang)
        return opened[lang]

    try:
        yield calculator
    finally:
        for calc in opened.values():
            calc.page.context.close()


@pytest.fixture
def calc(calculators: Callable[[str], Calculator]) -> Calculator:
    """``rechner/`` with a warm worker."""
    return calculators("de")


# ─── 1. The page shows exactly what CPython computes ───────────────────────


@pytest.mark.parametrize("lang", EDITIONS)
def test_shown_prices_equal_cpython(calculators: Callable[[str], Calculator], lang: str) -> None:
    """For every input, each card (monthly, annual, effective rate, rule
    sentence, "ab") and the Advanced breakdown show CPython's texts; on
    the English page the same amounts, typed the English way."""
    assert len(VALID_INPUTS) >= 20
    calc, problems = calculators(lang), []
    for typed in dict.fromkeys(in_edition(typed, lang) for typed in VALID_INPUTS):
        view = enter(calc.page, typed, lang)
        assert view["ok"], f"{typed!r} must be a valid input: {view}"
        expect(calc.page.locator('[data-state="results"]')).to_be_visible()
        problems += mismatches(calc.page, typed, view, lang)
    assert not problems, "\n".join(problems)


# Literal amounts from DESIGN.md, per edition, to the character.
KNOWN_AMOUNTS = {
    "de": {
        "usage": "25.000,00 €", "monthly": "3.800,00\u00a0€", "annual": "45.600,00 €",
        "premium": "ab 10.000,00 € pro Monat",
        "bands": [
            ["5.000,00 € – 7.000,00 €", "2.000,00 €", "19 %", "380,00 €"],
            ["7.000,00 € – 10.000,00 €", "3.000,00 €", "14 %", "420,00 €"],
            ["10.000,00 € – 20.000,00 €", "10.000,00 €", "11 %", "1.100,00 €"],
            ["über 20.000,00 €", "5.000,00 €", "8 %", "400,00 €"],
        ],
        "5000.50": "1.500,10 €", "6000": "1.690,00 €", "6000 line": "1.690,00 € pro Monat",
    },
    "en": {
        "usage": "€25,000.00", "monthly": "€3,800.00", "annual": "€45,600.00",
        "premium": "from €10,000.00 per month",
        "bands": [
            ["€5,000.00 – €7,000.00", "€2,000.00", "19%", "€380.00"],
            ["€7,000.00 – €10,000.00", "€3,000.00", "14%", "€420.00"],
            ["€10,000.00 – €20,000.00", "€10,000.00", "11%", "€1,100.00"],
            ["over €20,000.00", "€5,000.00", "8%", "€400.00"],
        ],
        "5000.50": "€1,500.10", "6000": "€1,690.00", "6000 line": "€1,690.00 per month",
    },
}


@pytest.mark.parametrize("lang", EDITIONS)
def test_known_amounts_literally(calculators: Callable[[str], Calculator], lang: str) -> None:
    """Literal amounts from DESIGN.md, independent of ``price_view``: the
    same amounts in each edition, written its way."""
    page, want = calculators(lang).page, KNOWN_AMOUNTS[lang]
    advanced = '.cci-result[data-plan="advanced"]'
    premium = '.cci-result[data-plan="premium"]'

    enter(page, in_edition("25.000", lang), lang)
    assert norm(page.locator('[data-slot="usage"]').text_content()) == want["usage"]
    # The amounts keep their no-break space before the euro sign (German).
    assert page.locator(f'{advanced} [data-slot="monthly"]').text_content() == want["monthly"]
    assert norm(page.locator(f'{advanced} [data-slot="annual"]').text_content()) == want["annual"]
    assert norm(page.locator(f"{premium} .cci-amount").inner_text()) == want["premium"]
    assert shown_breakdown(page, "advanced")["rows"][1:] == want["bands"]

    enter(page, in_edition("5000,50", lang), lang)
    assert norm(page.locator(f'{advanced} [data-slot="monthly"]').text_content()) == want["5000.50"]

    enter(page, in_edition("6.000", lang), lang)
    assert norm(page.locator(f'{advanced} [data-slot="monthly"]').text_content()) == want["6000"]
    assert norm(page.locator(f"{advanced} .cci-amount").inner_text()) == want["6000 line"]


def test_comparison_can_fail(calc: Calculator) -> None:
    """Negative control: a wrong amount or a second visible rule sentence
    on the page is reported by ``mismatches``."""
    page = calc.page
    view = enter(page, "25.000")
    assert mismatches(page, "25.000", view) == []
    page.locator('.cci-result[data-plan="advanced"] [data-slot="monthly"]').evaluate(
        "element => { element.textContent = '3.800,01\u00a0€'; }"
    )
    page.locator('.cci-result[data-plan="basic"] [data-rule="base"]').evaluate(
        "element => { element.hidden = false; }"
    )
    found = "\n".join(mismatches(page, "25.000", view))
    assert "3.800,01 €" in found
    assert "'rules': ['included', 'base']" in found
    # The next real answer repairs the page for the other tests.
    enter(page, "7.000")
    enter(page, "25.000")
    assert mismatches(page, "25.000", view) == []


# ─── Issue 8: prices that do not mislead ───────────────────────────────────


def test_issue8_premium_shows_no_rate_and_is_no_cheaper_option(calc: Calculator) -> None:
    """Premium ("ab 10.000 €") never shows an effective percentage; once
    Advanced's computed price exceeds Premium's minimum (above 102.500 €
    usage), Premium's card says that its price is agreed individually and
    is not a cheaper option by itself; at or below that, it says nothing."""
    page = calc.page
    premium = '.cci-result[data-plan="premium"]'
    note = page.locator(f'{premium} [data-has="from_note"]')
    for typed in ("25.000", "102.500"):
        enter(page, typed)
        assert shown_plan(page, "premium")["effective_rate"] is None
        expect(note).to_be_hidden()
    enter(page, "150.000")
    assert shown_plan(page, "advanced")["monthly"] == "13.800,00 €"
    assert shown_plan(page, "advanced")["effective_rate"] == "9,2 %"
    assert shown_plan(page, "premium")["effective_rate"] is None
    expect(note).to_be_visible()
    assert norm(note.text_content()) == (
        "Der Preis von Premium wird individuell vereinbart und beträgt mindestens 10.000,00 €; "
        "er ist für sich allein keine günstigere Alternative zu Advanced (13.800,00 €)."
    )
    enter(page, "50.000")  # back below: the note goes
    expect(note).to_be_hidden()


def test_issue8_rates_above_100_percent_are_hidden(calc: Calculator) -> None:
    """An effective percentage above 100 % (Advanced's 1.500 € base on a
    small usage fee) is not shown; 100 % and below is."""
    page = calc.page
    enter(page, "100")
    assert shown_plan(page, "advanced")["monthly"] == "1.500,00 €"
    assert shown_plan(page, "advanced")["effective_rate"] is None  # 1.500 %
    enter(page, "1.500")
    assert shown_plan(page, "advanced")["effective_rate"] == "100,0 %"
    enter(page, "3.000")
    assert shown_plan(page, "advanced")["effective_rate"] == "50,0 %"


def test_issue8_price_rules_state_no_rule_the_data_lacks(built_site: Path) -> None:
    """The price page does not claim that Premium's price is "independent
    of the usage fee": the data only holds a minimum (``from: true``)."""
    html = (built_site / "preise" / "index.html").read_text(encoding="utf-8")
    premium = real_catalog().plan("premium").price
    assert premium.starts_from and not premium.bands
    assert "unabhängig von der Nutzungsgebühr" not in html
    assert "individuell vereinbart" in html  # the Premium paragraph is still there


# ─── 2. Refused input ──────────────────────────────────────────────────────


def test_invalid_input_shows_message_and_hides_results(calc: Calculator) -> None:
    """Each refused input shows the data file's message, marks the field
    invalid and hides the results; a valid input then clears all that."""
    page = calc.page
    field = page.locator("#cci-usage")
    error = page.locator("#cci-usage-error")
    results = page.locator('[data-state="results"]')
    for typed in INVALID_INPUTS:
        enter(page, "25.000")  # results shown before, so they could go stale
        view = enter(page, typed)
        assert not view["ok"], f"{typed!r} must be refused: {view}"
        expect(error).to_have_text(view["message"])
        assert error.text_content() == view["message"], typed
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(results).to_be_hidden()

    view = enter(page, "7.500,00 EUR")
    expect(error).to_have_text("")
    expect(field).not_to_have_attribute("aria-invalid", "true")
    assert field.get_attribute("aria-invalid") is None
    expect(results).to_be_visible()
    assert mismatches(page, "7.500,00 EUR", view) == []


# ─── 4. Clean and accessible ───────────────────────────────────────────────


def test_calculator_page_is_clean_and_accessible(calc: Calculator) -> None:
    """No request leaves the local server, no console or page error (page
    and worker), and no serious or critical axe violation, neither with
    results nor with an error shown."""
    page = calc.page
    enter(page, "25.000")
    expect(page.locator('[data-state="results"]')).to_be_visible()
    with_results = axe_violations(page)
    enter(page, "abc")
    expect(page.locator("#cci-usage-error")).to_be_visible()
    with_error = axe_violations(page)

    problems = log_problems(calc.log, calc.base_url)
    problems += axe_problems({"results shown": with_results, "error shown": with_error})
    assert not problems, "\n".join(problems)
    assert any(url.endswith(WASM) for url in calc.log.requests), "the runtime never loaded"


# ─── 3. Instant navigation keeps the worker ────────────────────────────────


def test_worker_survives_instant_navigation(
    site_server: str, page: Page, page_log: PageLog
) -> None:
    """Leaving and coming back through the nav does not reload the page,
    the warm worker answers the new page, and the runtime is fetched once."""
    serve_sitemap_for(page, site_server)
    open_calculator(page, site_server)
    page.evaluate("() => { window.__marker = 1; }")
    nav = page.locator("nav.md-nav--primary")

    nav.get_by_role("link", name="Preise", exact=True).click()
    page.wait_for_url(site_server + "preise/")
    assert page.evaluate("() => window.__marker") == 1, "instant navigation reloaded the page"
    expect(page.locator("[data-cci-calculator]")).to_have_count(0)

    nav.get_by_role("link", name="Preisrechner", exact=True).click()
    page.wait_for_url(site_server + CALCULATOR)
    assert page.evaluate("() => window.__marker") == 1, "instant navigation reloaded the page"
    wait_for_answer(page, view_of(INITIAL_INPUT), ANSWER_TIMEOUT_MS)
    view = enter(page, "20.000,01")
    assert mismatches(page, "20.000,01", view) == []

    wasm = [url for url in page_log.requests if url.endswith(WASM)]
    workers = [url for url in page_log.requests if url.endswith("/worker.mjs")]
    assert len(wasm) == 1, f"the runtime was fetched {len(wasm)} times: {wasm}"
    assert len(workers) == 1, f"the worker was started {len(workers)} times: {workers}"
    problems = log_problems(page_log, site_server)
    assert not problems, "\n".join(problems)


# ─── 5. The runtime cannot start ───────────────────────────────────────────


def assert_failed_with_examples(page: Page, reason: str) -> None:
    """The failure note with ``reason`` only and "Erneut versuchen", the
    form with its input, the worked examples."""
    failed = page.locator('[data-state="failed"]')
    expect(failed).to_be_visible(timeout=FAILURE_TIMEOUT_MS)
    expect(failed.locator(f'[data-reason="{reason}"]')).to_be_visible()
    expect(failed.locator("[data-reason]:visible")).to_have_count(1)
    expect(failed.get_by_role("button", name="Erneut versuchen")).to_be_visible()
    expect(page.locator("form.cci-calc-form")).to_be_visible()
    expect(page.locator("#cci-usage")).to_have_value(INITIAL_INPUT)
    expect(page.locator('[data-state="loading"]')).to_be_hidden()
    expect(page.locator('[data-state="results"]')).to_be_hidden()
    assert_examples_shown(page)


def assert_examples_shown(page: Page) -> None:
    """The static worked-examples table shows one row per example fee."""
    examples = page.locator("table.cci-examples")
    expect(examples).to_be_visible()
    expect(examples.locator("tbody > tr")).to_have_count(len(real_catalog().price_list.examples))
    expect(examples.locator("tbody > tr")).to_have_count(8)


@pytest.mark.parametrize(
    ("pattern", "failure"),
    [
        ("**/assets/pyodide/**", "abort"),  # the runtime's module cannot load
        (f"**{WASM}", "abort"),  # network error on the wasm
        (f"**{WASM}", "404"),  # the wasm is missing
    ],
    ids=["runtime-aborted", "wasm-aborted", "wasm-404"],
)
def test_runtime_that_cannot_load_shows_error(
    site_server: str, page: Page, page_log: PageLog, pattern: str, failure: str
) -> None:
    """If the runtime's files fail to load, the page says so (reason
    "error", not "timeout": it does not wait for its own timeout) within
    25 s and keeps the worked examples."""

    def fail(route: Route) -> None:
        if failure == "abort":
            route.abort()
        else:
            route.fulfill(status=404, body="not found")

    page.context.route(pattern, fail)
    page.goto(site_server + CALCULATOR)
    assert_failed_with_examples(page, "error")
    assert page_log.blocked == []


# ─── 6. Without JavaScript ─────────────────────────────────────────────────


def test_without_javascript(browser: Browser, site_server: str) -> None:
    """Without JavaScript the noscript note and the worked examples show,
    the build-time answer for the default fee, and none of the calculator's
    interactive parts."""
    page, log = new_recorded_page(browser, java_script_enabled=False)
    try:
        page.goto(site_server + CALCULATOR)
        # Playwright's text locators skip <noscript>: find the note by CSS.
        note = page.locator("[data-cci-calculator] noscript p")
        expect(note).to_be_visible()
        expect(note).to_contain_text("Der Preisrechner braucht JavaScript.")
        expect(note.locator('a[href="#rechenbeispiele"]')).to_be_visible()
        assert_examples_shown(page)
        expect(page.locator("form.cci-calc-form")).to_be_hidden()
        for state in ("loading", "failed"):
            expect(page.locator(f'[data-state="{state}"]')).to_be_hidden()
        expect(page.locator('[data-state="results"]')).to_be_visible()
        assert mismatches(page, INITIAL_INPUT, view_of(INITIAL_INPUT)) == []
        assert not any(url.endswith(WASM) for url in log.requests)
        assert log.foreign_requests(site_server) == []
    finally:
        page.context.close()


# ─── Issue 10: the exact answer at first paint ─────────────────────────────


def results_text(page: Page) -> str:
    """The results area's rendered text (what a visitor reads)."""
    return page.locator('[data-cci-calculator] [data-state="results"]').inner_text()


def test_issue10_a_exact_answer_before_the_runtime(browser: Browser, site_server: str) -> None:
    """Without a fragment, rechner/ shows CPython's answer for the default
    fee while the runtime never loads (its files are held), and the
    runtime, once it answers, leaves every character as it was."""
    blocked, _ = new_recorded_page(browser)
    try:
        held: list[Route] = []
        blocked.context.route("**/assets/pyodide/**", lambda route: held.append(route))  # never answered
        blocked.goto(site_server + CALCULATOR)
        expect(blocked.locator('[data-state="results"]')).to_be_visible()
        expect(blocked.locator("[data-cci-calculator]")).to_have_attribute("data-status", "loading")
        for _ in range(100):
            if held:
                break
            blocked.wait_for_timeout(100)
        assert held, "the runtime was not requested, so not held"
        assert mismatches(blocked, INITIAL_INPUT, view_of(INITIAL_INPUT)) == []
        assert norm(blocked.locator('.cci-calc-summary [data-slot="usage"]').text_content()) == "10.000,00 €"
        before = results_text(blocked)
        assert "2.300,00\u00a0€ pro Monat" in before and "ab 10.000,00\u00a0€ pro Monat" in before
    finally:
        blocked.context.close()
    page, log = new_recorded_page(browser)
    try:
        open_calculator(page, site_server)
        assert results_text(page) == before
        assert mismatches(page, INITIAL_INPUT, view_of(INITIAL_INPUT)) == []
        assert log.foreign_requests(site_server) == []
    finally:
        page.context.close()


def test_issue10_a_typed_while_loading_hides_the_default_answer(browser: Browser, site_server: str) -> None:
    """The build-time answer is for the default fee only: typed while the
    runtime loads, it goes at once (never beside other input)."""
    page, _ = new_recorded_page(browser)
    try:
        page.context.route("**/assets/pyodide/**", lambda route: None)  # never answered
        page.goto(site_server + CALCULATOR)
        expect(page.locator('[data-state="results"]')).to_be_visible()
        page.locator("#cci-usage").fill("25.000")
        expect(page.locator('[data-state="results"]')).to_be_hidden()
        assert "2.300,00" not in page.locator("[data-cci-calculator]").inner_text()
    finally:
        page.context.close()


def test_issue10_a_quote_link_never_shows_the_default_answer(browser: Browser, site_server: str) -> None:
    """A quote link's amounts come from the runtime: while it loads, the
    build-time answer for the default fee (2.300,00 € for 10.000) is not
    shown beside a link for 25.000 €; its room stays reserved."""
    page, _ = new_recorded_page(browser)
    try:
        page.context.route("**/assets/pyodide/**", lambda route: None)  # never answered
        page.goto(site_server + CALCULATOR + "#nutzung=25000&plan=advanced")
        expect(page.locator('[data-state="loading"]')).to_be_visible()
        results = page.locator('[data-state="results"]')
        expect(results).to_have_css("visibility", "hidden")
        assert results.bounding_box()["height"] > 100  # no layout shift when it appears
        assert "2.300,00" not in page.locator("[data-cci-calculator]").inner_text()
    finally:
        page.context.close()
