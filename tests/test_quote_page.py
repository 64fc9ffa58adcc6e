"""Quote links on the calculator page (``rechner/``) in real Chromium.

A quote for sales lives entirely in the fragment of the calculator's
address (``rechner/#nutzung=25000&plan=advanced&kunde=…``, see
docs/angebotslinks.md). The page asks the worker for
``calculator.quote_view`` and shows exactly its texts, so every check here
compares the whole visible quote (form, quote head, notes, cards, the
side-by-side table) with what CPython's ``quote_view`` gives for the same
fragment, plus literal amounts so the page is not only compared to itself:

- a link opens with its exact amounts, its plan chosen and its form filled;
- a link built by typing and copied opens identically in a new browser
  context, and typing adds no history entries;
- texts from a link are shown as text, never run as HTML;
- an unknown old price list says that prices changed; a price list the
  data keeps shows the quote's amounts beside today's (one extra build);
- invalid values are named in notes and ignored, unknown keys silently;
- the printed quote is one A4 page with the quote and nothing to click;
- editing rewrites the link (current price list, no history entries), a
  pasted link is read again, an in-page anchor keeps the quote, and so
  does leaving the page and coming back;
- no request leaves the local server, no console error, no dialog, no
  serious axe violation.

Pyodide boots in 3–6 s, so the tests that paste or type share one page
(``quote_page``, module-scoped) and open links in it the way a link pasted
into an open tab opens (a ``hashchange``, the worker stays warm). Opening a
link in a new browser uses a new context (``fresh_page``), which checks its
own log. Material's instant navigation renders the page anew on the first
history change after a full load, even one of the fragment only; ``paste``
and the anchor tests wait for that (``wait_for_new_render``).
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from calculator import Catalog
from calculator.price_view import price_view
from calculator.pricing import price_fingerprint
from calculator.quote_view import current_fingerprint, link_for, quote_view
from macros.plans_file import load_plans
from calculator import formats_for
from tests.catalog import EDITIONS, edition_catalog, edition_page, real_catalog
from tests.helpers import (
    PageLog,
    axe_problems,
    axe_violations,
    build_output,
    copy_project,
    format_violations,
    log_problems,
    serve_sitemap_for,
    origin,
    record_page,
    run_build,
    serve_directory,
)

CALCULATOR = "rechner/"
# The usage field's value in the page's HTML: what a link without a
# (valid) fee is priced with.
DEFAULT_USAGE = "10.000"
# Cold boot of Pyodide on a slow machine; later answers take milliseconds.
BOOT_TIMEOUT_MS = 30_000
ANSWER_TIMEOUT_MS = 20_000
WASM = "/pyodide.asm.wasm"

# The German-form link of the issue: fee with thousands dot and decimal
# comma, a customer with umlauts and an ampersand.
GERMAN_LINK = (
    "nutzung=25.000,50&plan=premium&kunde=M%C3%BCller%20%26%20S%C3%B6hne"
    "&ref=A-17&gueltig=2026-12-31"
)
# A price list the repository's data does not know.
UNKNOWN_PRICE_LIST = "2020-01"
# The past price list added to the project copy: Advanced's base was 1.400 €
# (so 25.000 € usage cost 3.700 € instead of 3.800 €), Premium's minimum
# 9.000 €.
OLD_VERSION = "2025-01"
PAST_PRICE_LISTS = f"""past_price_lists:
  - version: "{OLD_VERSION}"
    effective: "2025-01-01"
    ends: "2025-12-31"
    prices:
      basic: {{included: true}}
      advanced:
        base: 1400
        bands:
          - {{from: 5000, to: 7000, rate: 19}}
          - {{from: 7000, to: 10000, rate: 14}}
          - {{from: 10000, to: 20000, rate: 11}}
          - {{from: 20000, rate: 8}}
      premium: {{minimum: 9000, from: true}}
"""


# ─── What CPython expects, what the page shows ─────────────────────────────


def norm(text: str | None) -> str | None:
    """``text`` with runs of whitespace (also U+00A0) as one plain space."""
    return None if text is None else " ".join(text.split())


def with_from(plan: dict[str, Any]) -> str:
    """A plan's monthly amount as a table cell shows it ("ab " if a minimum)."""
    return norm(("ab " if plan["starts_from"] else "") + plan["monthly"])


def expected_shown(
    view: dict[str, Any],
    catalog: Catalog | None = None,
    *,
    editing: bool = False,
    edit_note: str | None = None,
    lang: str = "de",
) -> dict[str, Any]:
    """The visible quote for CPython's ``quote_view`` answer ``view``, in the
    shape of ``shown``: the form filled from the link (the default fee if it
    has none), shown only while ``editing`` or for a link that is no quote
    for a customer (a quote opens read-only); the quote head with its date
    and the link's texts (only for a quote), the notes (``edit_note`` while
    editing a quote of another price list, the link's, then those on the
    quote as a document), every card with the headline amounts and the
    chosen plan, and the side-by-side table only for a price list the data
    keeps (not while editing: the edited quote is under today's list)."""
    catalog = catalog or edition_catalog(lang)
    default_usage = formats_for(lang).typed_amount(Decimal(10000)) if lang != "de" else DEFAULT_USAGE
    prices = view["prices"] or price_view(catalog, default_usage, lang=lang)
    today = view["today"] or prices
    head = view["is_quote"]
    facts = {name: (view[name] or None) if head else None for name in ("customer", "reference", "valid_until")}
    quoted = None if editing else view["quoted"]
    return {
        "busy": False,
        "read_only": head and not editing,
        "date": view["date"] if head else None,
        "form": {
            "usage": view["usage"] or default_usage,
            "plan": view["plan"] or "",
            "customer": view["customer"],
            "reference": view["reference"],
            "valid_until": view["valid_until_iso"] or "",
        },
        "head": head,
        "facts": facts,
        "notes": [m for m in [edit_note if editing else None] if m] + view["notes"] + view["quote_notes"],
        "error": "",
        "usage": prices["usage"],
        "plans": {
            plan["plan"]: {
                "monthly": plan["monthly"],
                "annual": plan["annual"],
                "chosen": plan["plan"] == view["plan"],
                "badge": plan["plan"] == view["plan"],
            }
            for plan in prices["plans"]
        },
        "quoted": None
        if not (quoted and quoted["plans"])
        else {
            "version": quoted["version"],
            "rows": {
                plan["plan"]: [
                    next((with_from(q) for q in quoted["plans"] if q["plan"] == plan["plan"]), ""),
                    with_from(plan),
                ]
                for plan in today["plans"]
            },
        },
    }


# The visible quote; hidden elements count as not shown. Texts are exact
# (U+00A0 included) except the side-by-side table's cells (innerText).
SHOWN_JS = """() => {
    const root = document.querySelector("[data-cci-calculator]");
    if (!root) return null;
    const one = (selector) => root.querySelector(selector);
    const shown = (element) => element.checkVisibility();
    const fact = (name) => {
        const dd = one(`.cci-quote-head dd[data-slot="${name}"]`);
        return shown(dd) ? dd.textContent : null;
    };
    const table = one('[data-when="quoted"]');
    return {
        busy: root.hasAttribute("aria-busy"),
        read_only: !shown(one("form.cci-calc-form")) && shown(one('[data-action="edit"]')),
        date: shown(one(".cci-quote-head")) ? one('.cci-quote-head [data-slot="date"]').textContent : null,
        form: {
            usage: one("#cci-usage").value,
            plan: one("#cci-plan").value,
            customer: one("#cci-customer").value,
            reference: one("#cci-reference").value,
            valid_until: one("#cci-valid-until").value,
        },
        head: shown(one(".cci-quote-head")),
        facts: {customer: fact("customer"), reference: fact("reference"), valid_until: fact("valid_until")},
        notes: shown(one('[data-when="notes"]'))
            ? [...one('[data-list="notes"]').children].map((item) => item.textContent) : [],
        error: one('[data-slot="error"]').textContent,
        usage: shown(one('[data-state="results"]'))
            ? one('.cci-calc-summary [data-slot="usage"]').textContent : null,
        plans: Object.fromEntries([...root.querySelectorAll(".cci-result")].map((card) => [
            card.dataset.plan, {
                monthly: card.querySelector('[data-slot="monthly"]').textContent,
                annual: card.querySelector('[data-slot="annual"]').textContent,
                chosen: card.hasAttribute("data-chosen"),
                badge: shown(card.querySelector(".cci-chosen-badge")),
            }])),
        quoted: shown(table) ? {
            version: table.querySelector('[data-slot="quoted_version"]').textContent,
            rows: Object.fromEntries([...table.querySelectorAll("tbody tr")].map((row) => [
                row.dataset.plan, [...row.cells].slice(1).map((cell) => cell.innerText)])),
        } : null,
    };
}"""

# Mark the slots the page fills on every answer, so that waiting for their
# new texts proves that the answer for *this* link arrived.
BLANK_JS = """() => {
    for (const element of document.querySelectorAll(
        '[data-cci-calculator] [data-slot="usage"], [data-cci-calculator] [data-slot="customer"]'
    )) element.textContent = "(waiting)";
}"""


def shown(page: Page) -> dict[str, Any] | None:
    """What the page shows of the quote (see ``expected_shown``); None
    without a calculator on the page."""
    state = page.evaluate(SHOWN_JS)
    if state and state["quoted"]:
        state["quoted"]["rows"] = {
            plan: [norm(cell) for cell in cells] for plan, cells in state["quoted"]["rows"].items()
        }
    return state


def wait_for_shown(page: Page, expected: dict[str, Any], timeout_ms: float) -> dict[str, Any]:
    """Wait until the page shows ``expected``; on timeout fail with the diff."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        state = shown(page)
        if state == expected or time.monotonic() > deadline:
            break
        page.wait_for_timeout(50)
    assert state == expected, f"{page.evaluate('location.href')} does not show the expected quote"
    return state


def hash_of(page: Page) -> str:
    """The page's fragment as the page reads it (``location.hash``).

    Playwright's ``page.url`` lags behind ``history.replaceState``.
    """
    return page.evaluate("() => location.hash")


def open_link(page: Page, url: str, catalog: Catalog | None = None, lang: str = "de") -> dict[str, Any]:
    """Open ``url`` in a new page (``fresh_page``: the runtime boots), wait
    until the quote shows and return CPython's view (in edition ``lang``)."""
    page.goto(url)
    view = quote_view(catalog or edition_catalog(lang), hash_of(page), lang=lang)
    wait_for_shown(page, expected_shown(view, catalog, lang=lang), BOOT_TIMEOUT_MS)
    return view


# Counts the page's own fetches of its address (``window.__pageFetches``):
# Material's instant navigation fetches a page with XMLHttpRequest when it
# renders it anew, which it does (synchronously starting the request) for the
# first history change after a full load, even one of the fragment only.
COUNT_PAGE_FETCHES_JS = """(() => {
    window.__pageFetches = 0;
    const open = XMLHttpRequest.prototype.open;
    XMLHttpRequest.prototype.open = function (method, url, ...rest) {
        if (new URL(String(url), location.href).pathname === location.pathname) window.__pageFetches += 1;
        return open.call(this, method, url, ...rest);
    };
})();"""

# Remember the calculator's root and the fetch count before an action.
MARK_JS = """() => {
    window.__oldRoot = document.querySelector("[data-cci-calculator]");
    return window.__pageFetches;
}"""


def wait_for_new_render(page: Page, fetches_before: int) -> None:
    """If the last action made Material fetch the page to render it anew,
    wait until the old calculator is gone and a new one is in place."""
    if page.evaluate("() => window.__pageFetches") > fetches_before:
        page.wait_for_function(
            """() => {
                const root = document.querySelector("[data-cci-calculator]");
                return root !== null && root !== window.__oldRoot;
            }"""
        )


def paste(page: Page, fragment: str, catalog: Catalog | None = None) -> dict[str, Any]:
    """Open the link ``#fragment`` in the open calculator, as pasting it into
    the address bar does (a hashchange, the worker stays warm); return
    CPython's view once the page shows it."""
    page.evaluate(BLANK_JS)
    before = page.evaluate(MARK_JS)
    page.evaluate("fragment => { location.hash = fragment; }", fragment)
    wait_for_new_render(page, before)
    view = quote_view(catalog or real_catalog(), hash_of(page))
    wait_for_shown(page, expected_shown(view, catalog), ANSWER_TIMEOUT_MS)
    return view


def wait_for_hash(page: Page, fragment: str) -> None:
    """Wait until the address bar's fragment is ``#fragment``."""
    page.wait_for_function("want => location.hash === want", arg=f"#{fragment}")


def start_editing(page: Page) -> None:
    """Click "Angebot bearbeiten" if the page shows a quote read-only; wait
    until the sales form is open."""
    edit = page.locator('[data-action="edit"]')
    if edit.is_visible():
        edit.click()
    expect(page.locator("form.cci-calc-form")).to_be_visible()
    expect(edit).to_be_hidden()


def german_today() -> str:
    """Today in Europe/Berlin as the quote head writes it (``27.11.2026``)."""
    return datetime.now(ZoneInfo("Europe/Berlin")).strftime("%d.%m.%Y")


def history_length(page: Page) -> int:
    return page.evaluate("() => history.length")


def plan_in(view: dict[str, Any], plan_id: str) -> dict[str, Any]:
    """Today's ``plan_view`` of plan ``plan_id`` in a ``quote_view`` answer."""
    return next(plan for plan in view["prices"]["plans"] if plan["plan"] == plan_id)


def card(page: Page, plan_id: str, slot: str) -> str | None:
    """A card's slot text, whitespace normalised."""
    return norm(page.locator(f'.cci-result[data-plan="{plan_id}"] [data-slot="{slot}"]').text_content())


# ─── Pages, logs, dialogs ──────────────────────────────────────────────────


def new_recorded_page(browser: Browser, **options: Any) -> tuple[Page, PageLog]:
    """A page in a fresh context like the ``page`` fixture's, recorded."""
    context = browser.new_context(
        locale="de-DE", timezone_id="Europe/Berlin", service_workers="block", **options
    )
    context.set_default_timeout(ANSWER_TIMEOUT_MS)
    context.add_init_script(COUNT_PAGE_FETCHES_JS)
    page = context.new_page()
    return page, record_page(context, page)


def watch_dialogs(page: Page) -> list[str]:
    """Record (and dismiss) every alert/confirm/prompt the page opens."""
    seen: list[str] = []

    def on_dialog(dialog: Any) -> None:
        seen.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return seen


@contextlib.contextmanager
def fresh_page(browser: Browser, base_url: str, *, clipboard: bool = False) -> Iterator[Page]:
    """A page in a new browser context, as a link opened by a customer
    (``clipboard``: allowed to use the clipboard). When the block ends
    without error, the page must have had no request leave the local
    server, no console or page error and no dialog."""
    page, log = new_recorded_page(browser)
    if clipboard:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin(base_url))
    dialogs = watch_dialogs(page)
    try:
        yield page
        problems = log_problems(log, base_url)
        if dialogs:
            problems.append(f"dialogs: {dialogs}")
        assert not problems, "\n".join(problems)
    finally:
        page.context.close()


@dataclass
class QuotePage:
    """The calculator page with a warm worker, shared by this module."""

    page: Page
    log: PageLog
    base_url: str
    dialogs: list[str]


@pytest.fixture(scope="module")
def quote_page(browser: Browser, site_server: str) -> Iterator[QuotePage]:
    """``rechner/`` booted once, allowed to use the clipboard, its dialogs
    recorded, Material's instant navigation working on the test port."""
    page, log = new_recorded_page(browser)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin(site_server))
    dialogs = watch_dialogs(page)
    serve_sitemap_for(page, site_server)
    try:
        page.goto(site_server + CALCULATOR)
        # Without a link the page prices the default and writes its link.
        start = link_for(real_catalog(), {"usage": DEFAULT_USAGE})
        wait_for_hash(page, start)
        wait_for_shown(page, expected_shown(quote_view(real_catalog(), start)), BOOT_TIMEOUT_MS)
        yield QuotePage(page, log, site_server, dialogs)
    finally:
        page.context.close()


# ─── 1. A link opens with its exact amounts ────────────────────────────────


def test_link_opens_with_exact_amounts(browser: Browser, site_server: str) -> None:
    """A link opened in a new browser shows its fee's amounts, its plan
    chosen (card marked, badge shown, only there), its form fields filled
    and its quote head; all exactly CPython's ``quote_view`` texts."""
    with fresh_page(browser, site_server) as page:
        check_plain_link(page, site_server)
    with fresh_page(browser, site_server) as page:
        check_german_link(page, site_server)


def check_plain_link(page: Page, base: str) -> None:
    view = open_link(page, base + CALCULATOR + "#nutzung=25000&plan=advanced")
    assert card(page, "advanced", "monthly") == "3.800,00 €"
    assert card(page, "advanced", "annual") == "45.600,00 €"
    assert card(page, "advanced", "monthly") == norm(plan_in(view, "advanced")["monthly"])
    expect(page.locator(".cci-result[data-chosen]")).to_have_count(1)
    expect(page.locator('.cci-result[data-plan="advanced"]')).to_have_attribute("data-chosen", "")
    expect(page.locator('.cci-result[data-plan="advanced"] .cci-chosen-badge')).to_be_visible()
    expect(page.locator('.cci-result[data-plan="advanced"] .cci-chosen-badge')).to_have_text("gewählt")
    for other in ("basic", "premium"):
        expect(page.locator(f'.cci-result[data-plan="{other}"] .cci-chosen-badge')).to_be_hidden()
    expect(page.locator("#cci-usage")).to_have_value("25.000")
    expect(page.locator("#cci-plan")).to_have_value("advanced")
    # A chosen plan makes it a quote: its head, dated today (the link has no
    # issue date), shown read-only.
    expect(page.locator('.cci-quote-head [data-slot="date"]')).to_have_text(german_today())
    expect(page.locator("form.cci-calc-form")).to_be_hidden()
    expect(page.locator('[data-action="edit"]')).to_be_visible()
    assert hash_of(page) == "#nutzung=25000&plan=advanced", "opening must not rewrite the link"


def check_german_link(page: Page, base: str) -> None:
    view = open_link(page, base + CALCULATOR + "#" + GERMAN_LINK)
    assert view["customer"] == "Müller & Söhne" and view["plan"] == "premium"
    head = page.locator(".cci-quote-head")
    expect(head).to_be_visible()
    expect(head.locator('[data-slot="customer"]')).to_have_text("Müller & Söhne")
    expect(head.locator('[data-slot="reference"]')).to_have_text("A-17")
    expect(head.locator('[data-slot="valid_until"]')).to_have_text("31.12.2026")
    expect(head.locator('[data-slot="date"]')).to_have_text(german_today())
    expect(page.locator('.cci-result[data-plan="premium"]')).to_have_attribute("data-chosen", "")
    expect(page.locator(".cci-result[data-chosen]")).to_have_count(1)
    expect(page.locator("#cci-usage")).to_have_value("25.000,50")
    expect(page.locator("#cci-plan")).to_have_value("premium")
    expect(page.locator("#cci-customer")).to_have_value("Müller & Söhne")
    expect(page.locator("#cci-valid-until")).to_have_value("2026-12-31")
    assert card(page, "advanced", "monthly") == "3.800,04 €"  # 3.800 + 8 % × 0,50
    start_editing(page)
    expect(page.locator(".cci-quote-fields")).to_have_attribute("open", "")
    assert norm(page.locator('.cci-calc-summary [data-slot="usage"]').text_content()) == "25.000,50 €"


# ─── 2. Copy the link, open it elsewhere ───────────────────────────────────


def test_copied_link_reproduces_quote_in_new_context(
    quote_page: QuotePage, browser: Browser
) -> None:
    """A quote typed into the form is in the address bar (without history
    entries); "Link kopieren" puts exactly that address on the clipboard;
    the copied link opens in a new browser context with the same amounts
    for every plan, the same chosen plan and the same quote head."""
    page, catalog = quote_page.page, real_catalog()
    before = history_length(page)

    start_editing(page)
    details = page.locator("details.cci-quote-fields")
    if details.get_attribute("open") is None:
        details.locator("summary").click()  # "Angebot für einen Kunden (Vertrieb)"
    usage = page.locator("#cci-usage")
    usage.press("Control+a")
    usage.press_sequentially("12.345,67")
    page.locator("#cci-plan").select_option("advanced")
    customer = page.locator("#cci-customer")
    customer.press("Control+a")
    customer.press_sequentially("Bäckerei Groß & Söhne")
    reference = page.locator("#cci-reference")
    reference.press("Control+a")
    reference.press_sequentially("Q-2026/17")
    page.locator("#cci-valid-until").fill("2027-03-31")

    fields = {
        "usage": "12.345,67",
        "plan": "advanced",
        "customer": "Bäckerei Groß & Söhne",
        "reference": "Q-2026/17",
        "valid_until": "2027-03-31",
    }
    fragment = link_for(catalog, fields)
    assert fragment.startswith(
        "nutzung=12345.67&plan=advanced&kunde=B%C3%A4ckerei%20Gro%C3%9F%20%26%20S%C3%B6hne"
        f"&ref=Q-2026%2F17&gueltig=2027-03-31&preisliste={catalog.price_list.version}&datum="
    )
    wait_for_hash(page, fragment)
    typed = wait_for_shown(page, expected_shown(quote_view(catalog, fragment), editing=True), ANSWER_TIMEOUT_MS)
    assert history_length(page) == before, "typing added history entries"
    assert card(page, "advanced", "monthly") == "2.558,02 €"
    assert card(page, "advanced", "annual") == "30.696,24 €"
    address = page.evaluate("() => location.href")
    expect(page.locator('.cci-quote-link [data-slot="link"]')).to_have_text(address)

    page.locator('[data-action="copy-link"]').click()
    expect(page.locator('[data-slot="copied"]')).to_have_text("Link kopiert.")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == address
    expect(page.locator('[data-when="copy-failed"]')).to_be_hidden()

    with fresh_page(browser, quote_page.base_url) as other:
        view = open_link(other, copied)
        assert view["fragment"] == fragment
        opened = shown(other)
        assert opened == {**typed, "read_only": True}  # the customer sees it read-only
        assert opened["plans"]["advanced"]["chosen"]
        assert opened["facts"] == {
            "customer": "Bäckerei Groß & Söhne",
            "reference": "Q-2026/17",
            "valid_until": "31.03.2027",
        }


# ─── 3. Texts from a link are never HTML ───────────────────────────────────

# Anything a link could have injected: event-handler attributes, images,
# scripts with alert(, javascript: links, and elements inside the slots the
# page fills with link texts (which must hold text only).
INJECTED_JS = """() => {
    const root = document.querySelector("[data-cci-calculator]");
    const slots = '[data-slot], [data-list="notes"] li, #cci-link';
    return [
        ...[...document.querySelectorAll("*")]
            .filter((e) => [...e.attributes].some((a) => a.name.toLowerCase().startsWith("on")))
            .map((e) => "handler: " + e.outerHTML.slice(0, 120)),
        ...[...document.querySelectorAll('img[src="x"], a[href^="javascript:" i], iframe')]
            .map((e) => "element: " + e.outerHTML.slice(0, 120)),
        ...[...document.scripts].filter((s) => s.textContent.includes("alert("))
            .map((s) => "script: " + s.outerHTML.slice(0, 120)),
        ...[...root.querySelectorAll(slots)].filter((e) => e.children.length)
            .map((e) => "markup in a slot: " + e.outerHTML.slice(0, 120)),
    ];
}"""

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "<script>alert(1)</script>"


def assert_shown_literally(page: Page, customer: str, reference: str) -> None:
    """The customer and reference appear as text in the quote head and in
    the form fields, and nothing was injected."""
    head = page.locator(".cci-quote-head")
    assert head.locator('[data-slot="customer"]').text_content() == customer
    assert head.locator('[data-slot="reference"]').text_content() == reference
    expect(page.locator("#cci-customer")).to_have_value(customer)
    expect(page.locator("#cci-reference")).to_have_value(reference)
    assert page.evaluate(INJECTED_JS) == []


def test_link_texts_are_never_html(quote_page: QuotePage, browser: Browser) -> None:
    """Markup and ``javascript:`` in a link, raw or percent-encoded, show
    literally; no element is injected, no dialog opens, nothing is logged.
    Negative control: markup put into a slot is caught by both detectors."""
    page, base = quote_page.page, quote_page.base_url
    assert page.evaluate(INJECTED_JS) == [], "the page has handlers before any link"

    # Raw in the fragment, opened in a new browser (Chromium escapes < > and
    # spaces in the address; the page decodes them back).
    with fresh_page(browser, base) as fresh:
        view = open_link(fresh, f"{base}{CALCULATOR}#nutzung=25000&kunde={XSS_IMG}&ref={XSS_SCRIPT}")
        assert (view["customer"], view["reference"]) == (XSS_IMG, XSS_SCRIPT)
        assert_shown_literally(fresh, XSS_IMG, XSS_SCRIPT)
        fresh.wait_for_timeout(300)  # an injected onerror would fire by now

    # Percent-encoded, pasted into the open calculator.
    cases = [
        ("kunde=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&ref=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
         XSS_IMG, XSS_SCRIPT),
        ("kunde=javascript:alert(1)&ref=javascript%3Aalert(document.domain)",
         "javascript:alert(1)", "javascript:alert(document.domain)"),
        ('kunde=%22%3E%3Csvg%20onload%3Dalert(1)%3E&ref=%3Ca%20href%3Djavascript%3Aalert(1)%3Ex%3C%2Fa%3E',
         '"><svg onload=alert(1)>', "<a href=javascript:alert(1)>x</a>"),
    ]
    for fragment, customer, reference in cases:
        paste(page, "nutzung=25000&" + fragment)
        assert_shown_literally(page, customer, reference)
        # The link paragraph shows the address as text, not as a link.
        expect(page.locator(".cci-quote-link a")).to_have_count(0)

    page.wait_for_timeout(300)  # an injected onerror/onload would fire by now
    assert quote_page.dialogs == [], f"a link opened dialogs: {quote_page.dialogs}"
    problems = log_problems(quote_page.log, base)
    assert not problems, "\n".join(problems)

    # Negative control: markup in a slot (no network: a data: image).
    page.locator('.cci-quote-head [data-slot="customer"]').evaluate(
        """dd => { dd.innerHTML = '<img src="data:," onerror="alert(\\'control\\')">'; }"""
    )
    deadline = time.monotonic() + 5
    while not quote_page.dialogs and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    found = page.evaluate(INJECTED_JS)
    assert quote_page.dialogs == ["alert: control"]
    assert any(item.startswith("handler: <img") for item in found), found
    assert any(item.startswith("markup in a slot:") for item in found), found
    quote_page.dialogs.clear()
    paste(page, "nutzung=25000&kunde=Kontrolle")  # the page repairs the slot
    assert page.evaluate(INJECTED_JS) == []


# ─── 4. A quote made under an older price list ─────────────────────────────


def test_unknown_price_list_says_prices_changed(quote_page: QuotePage) -> None:
    """A link naming a price list the data does not know shows the data's
    notice and today's prices; the side-by-side table stays hidden."""
    page, catalog = quote_page.page, real_catalog()
    assert catalog.past_price_list(UNKNOWN_PRICE_LIST) is None
    view = paste(page, f"nutzung=25000&plan=advanced&preisliste={UNKNOWN_PRICE_LIST}")
    assert view["price_list_status"] == "changed_unknown"
    message = view["price_list_message"]
    assert f"„{UNKNOWN_PRICE_LIST}“" in message and "heutigen Preise" in message
    notes = page.locator('[data-list="notes"] > li')
    expect(notes).to_have_text(view["quote_notes"])
    assert message in view["quote_notes"]
    expect(page.locator('[data-when="notes"]')).to_be_visible()
    expect(page.locator('[data-when="quoted"]')).to_be_hidden()
    assert card(page, "advanced", "monthly") == "3.800,00 €"


@dataclass
class OldPriceSite:
    """A build of a project copy whose data keeps a past price list."""

    base_url: str
    catalog: Catalog


@pytest.fixture(scope="module")
def old_price_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OldPriceSite]:
    """The project with ``past_price_lists`` holding OLD_VERSION, built and
    served (one extra build, about 5 s)."""
    project = copy_project(tmp_path_factory.mktemp("old-prices") / "project")
    plans = project / "data" / "plans.yaml"
    text, count = re.subn(
        r"^past_price_lists:[ \t]*\[\][ \t]*$", PAST_PRICE_LISTS.rstrip("\n"),
        plans.read_text(encoding="utf-8"), flags=re.MULTILINE,
    )
    assert count == 1, "data/plans.yaml has no `past_price_lists: []` line to replace"
    plans.write_text(text, encoding="utf-8")
    site = project.parent / "site"
    proc = run_build(project, site)
    assert proc.returncode == 0, build_output(proc)
    catalog = load_plans(plans, display_name="data/plans.yaml")
    with serve_directory(site) as base_url:
        yield OldPriceSite(base_url, catalog)


def test_known_old_price_list_shows_side_by_side(
    old_price_site: OldPriceSite, browser: Browser
) -> None:
    """A link naming a price list the data keeps shows the quote's old
    amounts beside today's, plus the data's notice; editing the quote then
    makes it a quote under today's price list, and the table goes."""
    site, catalog = old_price_site, old_price_site.catalog
    assert catalog.past_price_list(OLD_VERSION) is not None
    with fresh_page(browser, site.base_url) as page:
        view = open_link(
            page,
            f"{site.base_url}{CALCULATOR}#nutzung=25000&plan=advanced&preisliste={OLD_VERSION}",
            catalog,
        )
        assert view["price_list_status"] == "changed_known"
        table = page.locator('[data-when="quoted"]')
        expect(table).to_be_visible()
        expect(table.locator('[data-slot="quoted_version"]')).to_have_text(OLD_VERSION)
        rows = shown(page)["quoted"]["rows"]
        assert rows["advanced"] == ["3.700,00 €", "3.800,00 €"]
        assert rows["premium"] == ["ab 9.000,00 €", "ab 10.000,00 €"]
        expect(page.locator('[data-list="notes"] > li')).to_have_text(view["quote_notes"])
        assert "stehen neben den heutigen Preisen" in view["price_list_message"]
        violations = axe_violations(page)
        assert not violations, format_violations(violations)

        start_editing(page)
        page.locator("#cci-reference").press_sequentially("B-7")
        fragment = link_for(
            catalog, {"usage": "25.000", "plan": "advanced", "reference": "B-7"}
        )
        assert f"preisliste={catalog.price_list.version}" in fragment
        wait_for_hash(page, fragment)
        wait_for_shown(
            page,
            expected_shown(quote_view(catalog, fragment), catalog, editing=True, edit_note=view["edit_note"]),
            ANSWER_TIMEOUT_MS,
        )
        expect(table).to_be_hidden()


# ─── 5. Invalid values ─────────────────────────────────────────────────────


def test_invalid_link_values_are_named_and_ignored(browser: Browser, site_server: str) -> None:
    """Each invalid value leaves the data's note naming it and is ignored
    (the form keeps its defaults and prices the default fee); an unknown key
    leaves no note."""
    with fresh_page(browser, site_server) as page:
        check_invalid_link(page, site_server)


def check_invalid_link(page: Page, base: str) -> None:
    view = open_link(page, f"{base}{CALCULATOR}#nutzung=abc&plan=gold&gueltig=31.12.2026&foo=bar")
    notes = view["notes"]
    assert len(notes) == 3
    assert "„abc“" in notes[0] and "„gold“" in notes[1] and "„31.12.2026“" in notes[2]
    assert not any("foo" in note or "bar" in note for note in notes)
    expect(page.locator('[data-list="notes"] > li')).to_have_text(notes + view["quote_notes"])
    expect(page.locator('[data-when="notes"]')).to_be_visible()
    expect(page.locator("#cci-usage")).to_have_value(DEFAULT_USAGE)
    expect(page.locator("#cci-plan")).to_have_value("")
    expect(page.locator("#cci-valid-until")).to_have_value("")
    expect(page.locator("#cci-usage-error")).to_be_hidden()
    expect(page.locator('[data-state="results"]')).to_be_visible()
    assert norm(page.locator('.cci-calc-summary [data-slot="usage"]').text_content()) == "10.000,00 €"
    assert card(page, "advanced", "monthly") == "2.300,00 €"
    expect(page.locator(".cci-result[data-chosen]")).to_have_count(0)


# ─── 6. The printed quote ──────────────────────────────────────────────────

# Under print media: what shows and what does not. `displayed` is false for
# display: none on the element or an ancestor.
PRINTED_JS = """() => {
    const displayed = (element) => element.checkVisibility();
    const all = (selector) => [...document.querySelectorAll(selector)];
    return {
        head: displayed(document.querySelector(".cci-quote-head")),
        link: displayed(document.querySelector(".cci-quote-link")),
        results: displayed(document.querySelector('[data-state="results"]')),
        cards: Object.fromEntries(all(".cci-result").map((card) => [card.dataset.plan, displayed(card)])),
        form: displayed(document.querySelector("form.cci-calc-form")),
        buttons: all("[data-cci-calculator] button").some(displayed),
        sidebars: all(".md-sidebar").some(displayed),
        header: displayed(document.querySelector(".md-header")),
        footer: displayed(document.querySelector(".md-footer")),
        examples: displayed(document.querySelector("table.cci-examples")),
        examples_title: displayed(document.querySelector("#rechenbeispiele")),
        form_display: getComputedStyle(document.querySelector("form.cci-calc-form")).display,
        sidebar_display: all(".md-sidebar").map((e) => getComputedStyle(e).display),
        header_display: getComputedStyle(document.querySelector(".md-header")).display,
        footer_display: getComputedStyle(document.querySelector(".md-footer")).display,
        text: document.body.innerText,
    };
}"""


def pdf_pages(pdf: bytes) -> int:
    """The number of page objects in a PDF (``/Type /Page``, not ``/Pages``)."""
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))


def pdf_text(path: Path) -> str | None:
    """The PDF's text from poppler's ``pdftotext``, or None where it is not
    installed (the DOM checks under print media stand in for it)."""
    if shutil.which("pdftotext") is None:
        return None
    proc = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, timeout=60, check=True
    )
    return proc.stdout


def squeeze(text: str) -> str:
    """``text`` without any whitespace, for texts a printout may wrap."""
    return "".join(text.split())


def test_printed_quote_is_one_page(quote_page: QuotePage, tmp_path: Path) -> None:
    """"Angebot drucken" prints; the print stylesheet leaves the quote head,
    the chosen plan, the VAT note, the price list and the link, hides the
    form, buttons, navigation, header, footer, other plans and the worked
    examples, and the quote fits one A4 page, also with the longest texts
    a link allows and without a chosen plan."""
    page, catalog = quote_page.page, real_catalog()
    customer = "Müller & Söhne GmbH"
    view = paste(page, "nutzung=25000&plan=advanced&kunde=M%C3%BCller%20%26%20S%C3%B6hne%20GmbH"
                       "&ref=A-17&gueltig=2026-12-31")
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.locator('[data-action="print"]').click()
    page.wait_for_function("() => window.__printed === 1")  # the print button printed
    link = page.evaluate("() => location.href")
    monthly = norm(plan_in(view, "advanced")["monthly"])
    assert monthly == "3.800,00 €"

    long_customer = "Groß" * 30  # 120 characters, the most a link keeps
    long_reference = "R" * 60
    quotes = {
        "chosen": None,  # the quote above
        "longest": f"nutzung=999999999.99&plan=advanced&kunde={long_customer}"
        f"&ref={long_reference}&gueltig=2026-12-31",
        "no-plan": "nutzung=25000&kunde=M%C3%BCller%20%26%20S%C3%B6hne%20GmbH&ref=A-17&gueltig=2026-12-31",
        # No plan chosen (three cards), wrapping texts at their longest, and a
        # price-change note, which prints too.
        "longest-no-plan": "nutzung=999999999.99&kunde="
        + quote(("Müller & Söhne Handelsgesellschaft " * 4)[:120])
        + "&ref=" + quote(("Angebot 2026 Nummer " * 3)[:60])
        + "&gueltig=2026-12-31&preisliste=2020-01",
    }
    try:
        for name, fragment in quotes.items():
            if fragment:
                page.emulate_media(media="screen")
                paste(page, fragment)
            page.emulate_media(media="print")
            pdf_path = tmp_path / f"{name}.pdf"
            pdf = page.pdf(path=pdf_path, format="A4")
            assert pdf.startswith(b"%PDF-")
            assert pdf_pages(pdf) == 1, f"the {name} quote prints on {pdf_pages(pdf)} pages"
            if name.startswith("longest"):
                if name == "longest":
                    assert shown(page)["facts"]["customer"] == long_customer
                continue
            printed = page.evaluate(PRINTED_JS)
            plan = "advanced" if name == "chosen" else None
            assert printed["cards"] == {
                pid: plan in (None, pid) for pid in ("basic", "advanced", "premium")
            }, name
            if name != "chosen":
                continue

            # The chosen quote in detail: what shows, what does not.
            text = printed.pop("text")
            assert {k: v for k, v in printed.items() if not k.endswith("_display")} == {
                "head": True, "link": True, "results": True,
                "cards": {"basic": False, "advanced": True, "premium": False},
                "form": False, "buttons": False, "sidebars": False, "header": False,
                "footer": False, "examples": False, "examples_title": False,
            }
            assert printed["form_display"] == "none"
            assert printed["header_display"] == "none"
            assert printed["footer_display"] == "none"
            assert set(printed["sidebar_display"]) == {"none"}
            for expected in (customer, "A-17", "31.12.2026", monthly, "zzgl. gesetzlicher Umsatzsteuer",
                             f"Preisliste {catalog.price_list.version}"):
                assert expected in norm(text), f"{expected!r} is not printed"
            assert link in text
            for hidden in ("Link kopieren", "Angebot drucken", "Rechenbeispiele", "Preisrechner"):
                assert hidden not in text, f"{hidden!r} is printed"

            extracted = pdf_text(pdf_path)
            if extracted is not None:  # poppler-utils installed: read the PDF itself
                for expected in (customer, monthly, "zzgl. gesetzlicher Umsatzsteuer",
                                 f"Preisliste {catalog.price_list.version}"):
                    assert expected in norm(extracted), f"{expected!r} is not in the PDF"
                assert squeeze(link) in squeeze(extracted), "the link is not in the PDF"
                assert "Link kopieren" not in extracted
    finally:
        page.emulate_media(media="screen")


def test_page_count_can_fail() -> None:
    """Negative control for ``pdf_pages``: a page tree's ``/Pages`` does not
    count, each ``/Page`` does."""
    two = b"<</Type /Pages /Count 2>> <</Type /Page /Parent 2 0 R>> <</Type/Page>>"
    assert pdf_pages(two) == 2
    assert pdf_pages(b"<</Type /Pages /Count 1>> <</Type /Page>>") == 1


# ─── 7. Editing and pasting ────────────────────────────────────────────────


def test_editing_rewrites_link_and_pasting_rereads_it(quote_page: QuotePage) -> None:
    """After a link opened, editing writes the form's quote under today's
    price list into the address bar without history entries; a pasted link
    is read afresh (also back to the default fee); an in-page anchor from
    the table of contents keeps the quote and its address."""
    page, catalog = quote_page.page, real_catalog()
    current = catalog.price_list.version

    view = paste(page, f"nutzung=25000&plan=advanced&kunde=Alt%20GmbH&preisliste={UNKNOWN_PRICE_LIST}")
    assert view["notes"] == [] and view["price_list_message"]
    before = history_length(page)

    start_editing(page)
    page.locator("#cci-reference").press_sequentially("B-2")
    fragment = link_for(
        catalog, {"usage": "25.000", "plan": "advanced", "customer": "Alt GmbH", "reference": "B-2"}
    )
    assert fragment.startswith(f"nutzung=25000&plan=advanced&kunde=Alt%20GmbH&ref=B-2&preisliste={current}&")
    wait_for_hash(page, fragment)
    # The quote is today's now, and the page says so while it is edited.
    wait_for_shown(
        page, expected_shown(quote_view(catalog, fragment), editing=True, edit_note=view["edit_note"]),
        ANSWER_TIMEOUT_MS,
    )
    expect(page.locator('[data-list="notes"] > li')).to_have_text([view["edit_note"]])
    assert history_length(page) == before, "editing added history entries"

    # Pasting another link reads it: every field from the new link.
    paste(page, "nutzung=6000&plan=basic")
    expect(page.locator("#cci-customer")).to_have_value("")
    expect(page.locator("#cci-reference")).to_have_value("")
    assert card(page, "advanced", "monthly") == "1.690,00 €"
    assert history_length(page) == before + 1  # the paste itself is one navigation

    # A pasted link without a fee shows the default fee, as in a new tab,
    # not the fee typed before.
    start_editing(page)
    usage = page.locator("#cci-usage")
    usage.press("Control+a")
    usage.press_sequentially("50.000")
    wait_for_hash(page, link_for(catalog, {"usage": "50.000", "plan": "basic"}))
    paste(page, "plan=premium")
    expect(usage).to_have_value(DEFAULT_USAGE)

    # The table of contents' "Rechenbeispiele" is an in-page anchor, not a
    # quote link: the page scrolls there, the quote stays, and so does the
    # link that "Link kopieren" copies and the printout shows.
    paste(page, "nutzung=25000&plan=advanced&kunde=Anker%20AG")
    quote_address = page.evaluate("() => location.href")
    quote = shown(page)
    toc = page.locator('nav a.md-nav__link[href$="#rechenbeispiele"]:visible')
    for anchor in (toc.first, page.locator('a.headerlink[href$="#rechenbeispiele"]')):
        page.evaluate("() => window.scrollTo(0, 0)")
        before = page.evaluate(MARK_JS)
        anchor.click()
        wait_for_new_render(page, before)
        expect(page.locator("#rechenbeispiele")).to_be_in_viewport()
        assert hash_of(page) == "#rechenbeispiele"
        page.wait_for_timeout(300)  # a re-read of the fragment would have answered
        assert shown(page) == quote
        expect(page.locator('.cci-quote-link [data-slot="link"]')).to_have_text(quote_address)
    page.locator('[data-action="copy-link"]').click()
    assert page.evaluate("() => navigator.clipboard.readText()") == quote_address
    page.go_back()  # back to the quote's own address
    page.wait_for_function("want => location.href === want", arg=quote_address)
    assert shown(page) == quote


def test_first_anchor_after_opening_link_keeps_quote(browser: Browser, site_server: str) -> None:
    """The first in-page anchor followed after a link opened makes Material
    render the page anew (a fresh calculator, the address ``#rechenbeispiele``):
    the quote stays, with its link for "Link kopieren" and the printout."""
    with fresh_page(browser, site_server, clipboard=True) as page:
        serve_sitemap_for(page, site_server)
        open_link(page, site_server + CALCULATOR + "#nutzung=25000&plan=advanced&kunde=Erst%20AG")
        quote_address = page.evaluate("() => location.href")
        quote = shown(page)
        before = page.evaluate(MARK_JS)
        page.locator('nav a.md-nav__link[href$="#rechenbeispiele"]:visible').first.click()
        wait_for_new_render(page, before)
        page.wait_for_function("() => location.hash === '#rechenbeispiele'")
        assert wait_for_shown(page, quote, ANSWER_TIMEOUT_MS) == quote
        expect(page.locator('.cci-quote-link [data-slot="link"]')).to_have_text(quote_address)
        page.locator('[data-action="copy-link"]').click()
        assert page.evaluate("() => navigator.clipboard.readText()") == quote_address


def test_back_from_another_page_reopens_quote(quote_page: QuotePage) -> None:
    """Leaving the quote through the navigation (instant navigation, no
    reload) and coming back with the browser's Back shows the same quote."""
    page, base = quote_page.page, quote_page.base_url
    view = paste(page, "nutzung=7500&plan=advanced&kunde=Zur%C3%BCck%20KG")
    before = shown(page)
    page.evaluate("() => { window.__marker = 1; }")

    page.locator("nav.md-nav--primary").get_by_role("link", name="Preise", exact=True).click()
    page.wait_for_url(base + "preise/")
    assert page.evaluate("() => window.__marker") == 1, "instant navigation reloaded the page"

    page.go_back()
    page.wait_for_function("() => location.pathname.endsWith('/rechner/')")
    assert page.evaluate("() => window.__marker") == 1, "going back reloaded the page"
    assert wait_for_shown(page, expected_shown(view), ANSWER_TIMEOUT_MS) == before


# ─── 8. Clean and accessible ───────────────────────────────────────────────


def test_quote_page_is_clean_and_accessible(quote_page: QuotePage) -> None:
    """With the quote fields open, the quote head and notes shown: no
    serious or critical axe violation. Over the whole module's page: no
    request left the local server, no console or page error, no dialog."""
    page = quote_page.page
    paste(page, "nutzung=25000&plan=gold&kunde=M%C3%BCller&ref=A-17&gueltig=2026-12-31"
                f"&preisliste={UNKNOWN_PRICE_LIST}")
    read_only = axe_violations(page)  # the quote as its customer sees it
    start_editing(page)
    # Editing focuses the fee field; back at the top, let Material's header
    # finish fading its page title (axe flags a half-transparent title).
    # Its fade is a transition that may start after the scroll event; without
    # the transition the title is either shown or hidden, never half.
    page.add_style_tag(content='[data-md-component="header-topic"] { transition: none !important; }')
    page.evaluate("() => window.scrollTo(0, 0)")
    page.wait_for_function("""() => [...document.querySelectorAll('[data-md-component="header-topic"]')]
        .every((topic) => ["0", "1"].includes(getComputedStyle(topic).opacity))""")
    expect(page.locator(".cci-quote-fields")).to_have_attribute("open", "")
    expect(page.locator("#cci-customer")).to_be_visible()
    expect(page.locator('[data-when="notes"]')).to_be_visible()
    expect(page.locator(".cci-quote-head")).to_be_visible()
    # Off any link: a hovered link takes Material's accent colour (a nav
    # link may still be under the mouse after an earlier click).
    page.locator(".cci-calc-summary").hover()
    violations = axe_violations(page)

    problems = log_problems(quote_page.log, quote_page.base_url)
    problems += axe_problems({"quote read-only": read_only, "quote fields and notes shown": violations})
    if quote_page.dialogs:
        problems.append(f"dialogs: {quote_page.dialogs}")
    assert not problems, "\n".join(problems)
    wasm = [url for url in quote_page.log.requests if url.endswith(WASM)]
    assert wasm and all(urlsplit(url).hostname == "127.0.0.1" for url in wasm)


# ─── Issue 8: a quote link is binding ──────────────────────────────────────


def test_issue8_quote_is_read_only(browser: Browser, site_server: str) -> None:
    """A customer opening a quote sees it read-only: the sales form hidden,
    "Angebot bearbeiten" to change it (then the form opens with the quote
    fields); the quote head is dated by the link's issue date. Negative
    control: a link without plan, customer, reference or last valid day is
    no quote and stays editable."""
    fragment = f"nutzung=25000&plan=advanced&kunde=Lesen%20AG&preisliste=2026-01&datum=2026-11-20&preiscode={current_fingerprint(real_catalog())}"
    with fresh_page(browser, site_server) as page:
        view = open_link(page, f"{site_server}{CALCULATOR}#{fragment}")
        assert view["is_quote"] and view["date"] == "20.11.2026"
        form, edit = page.locator("form.cci-calc-form"), page.locator('[data-action="edit"]')
        expect(form).to_be_hidden()
        expect(edit).to_be_visible()
        expect(edit).to_have_text("Angebot bearbeiten")
        expect(page.locator('.cci-quote-head [data-slot="date"]')).to_have_text("20.11.2026")
        edit.click()
        expect(form).to_be_visible()
        expect(edit).to_be_hidden()
        expect(page.locator(".cci-quote-fields")).to_have_attribute("open", "")
        expect(page.locator("#cci-usage")).to_be_focused()
        assert hash_of(page) == f"#{fragment}", "opening and starting to edit must not rewrite the link"

        paste(page, "nutzung=7000")  # no quote: the calculator stays editable
        expect(form).to_be_visible()
        expect(edit).to_be_hidden()


def test_issue8_printed_quote_is_the_quote_sent(browser: Browser, site_server: str, tmp_path: Path) -> None:
    """The printout of an opened quote is what sales sent: the issue date
    from the link, "unverbindlich, netto, zzgl. USt", the issuer line from
    the data and the link; no form, no buttons."""
    catalog = real_catalog()
    fragment = (f"nutzung=25000&plan=advanced&kunde=Druck%20GmbH&ref=P-1&preisliste=2026-01"
                f"&datum=2026-11-20&preiscode={current_fingerprint(catalog)}")
    with fresh_page(browser, site_server) as page:
        open_link(page, f"{site_server}{CALCULATOR}#{fragment}")
        link = page.evaluate("() => location.href")
        page.emulate_media(media="print")
        printed = page.evaluate(PRINTED_JS)
        text = norm(printed["text"])
        assert printed["form"] is False and printed["buttons"] is False
        for expected in ("Datum 20.11.2026", "Kunde Druck GmbH", "Referenz P-1", "Gültig bis 19.12.2026",
                         "Unverbindliches Angebot; alle Beträge netto, zzgl. USt.",
                         f"Aussteller: {catalog.price_list.quote_issuer}", "3.800,00 € pro Monat"):
            assert expected in text, f"{expected!r} is not printed"
        assert catalog.price_list.quote_issuer == "Comarch Cloud Infraspace (CCI), infraspace.comarch.com"
        assert link in printed["text"]
        assert "Angebot bearbeiten" not in printed["text"]
        pdf = page.pdf(path=tmp_path / "sent.pdf", format="A4")
        assert pdf_pages(pdf) == 1


# ─── Issue 13: the quote in the language of its page ───────────────────────

# The printed calculator of SENT_QUOTE (whitespace collapsed), to the character.
PRINTED_QUOTE = {
    "de": "Angebot: Support für Comarch Cloud Infraspace Datum 20.11.2026 Kunde Druck GmbH Referenz P-1 "
    "Gültig bis 19.12.2026 Unverbindliches Angebot; alle Beträge netto, zzgl. USt. Aussteller: Comarch "
    "Cloud Infraspace (CCI), infraspace.comarch.com Bei einer monatlichen CCI-Nutzungsgebühr von "
    "25.000,00 €: Advanced gewählt 3.800,00 € pro Monat 45.600,00 € pro Jahr 15,2 % der Nutzungsgebühr "
    "Grundgebühr plus Aufschläge je Spanne. So setzt sich der Preis für Advanced zusammen Teil der "
    "Nutzungsgebühr Betrag dieses Teils Satz Preis bis 5.000,00 € – Grundgebühr 1.500,00 € 5.000,00 € – "
    "7.000,00 € 2.000,00 € 19 % 380,00 € 7.000,00 € – 10.000,00 € 3.000,00 € 14 % 420,00 € 10.000,00 € – "
    "20.000,00 € 10.000,00 € 11 % 1.100,00 € über 20.000,00 € 5.000,00 € 8 % 400,00 € Summe pro Monat "
    "3.800,00 € Summe pro Jahr 45.600,00 € Nettobeträge, zzgl. gesetzlicher Umsatzsteuer; Preisliste "
    "2026-01, gültig ab 01.01.2026. Link zu diesem Angebot: {link}",
    "en": "Quote: support for Comarch Cloud Infraspace Date 20 Nov 2026 Customer Druck GmbH Reference P-1 "
    "Valid until 19 Dec 2026 Non-binding quote; all amounts net, plus VAT. Issued by: Comarch Cloud "
    "Infraspace (CCI), infraspace.comarch.com For a monthly CCI usage fee of €25,000.00: Advanced chosen "
    "€3,800.00 per month €45,600.00 per year 15.2% of the usage fee Base fee plus a surcharge per band. "
    "How the price for Advanced is made up Part of the usage fee Amount of this part Rate Price up to "
    "€5,000.00 – Base fee €1,500.00 €5,000.00 – €7,000.00 €2,000.00 19% €380.00 €7,000.00 – €10,000.00 "
    "€3,000.00 14% €420.00 €10,000.00 – €20,000.00 €10,000.00 11% €1,100.00 over €20,000.00 €5,000.00 8% "
    "€400.00 Total per month €3,800.00 Total per year €45,600.00 Net amounts, plus statutory VAT; price "
    "list 2026-01, valid from 1 Jan 2026. Link to this quote: {link}",
}


def sent_quote() -> str:
    """The fragment of a quote as sales send it: issued 20.11.2026 under today's price list."""
    return (f"nutzung=25000&plan=advanced&kunde=Druck%20GmbH&ref=P-1&preisliste=2026-01"
            f"&datum=2026-11-20&preiscode={current_fingerprint(real_catalog())}")


@pytest.mark.parametrize("lang", EDITIONS)
def test_issue13_printed_quote_is_in_the_language_of_its_page(
    browser: Browser, site_server: str, tmp_path: Path, lang: str
) -> None:
    """A quote link opened in the calculator of an edition (rechner/,
    en/calculator/) prints in that edition's language and notation, every
    character as written above, on one A4 page; CPython's ``quote_view``
    in that language says the same amounts and dates."""
    with fresh_page(browser, site_server) as page:
        view = open_link(page, f"{site_server}{edition_page(lang, CALCULATOR)}#{sent_quote()}", lang=lang)
        link = page.evaluate("() => location.href")
        page.emulate_media(media="print")
        expect(page.locator("form.cci-calc-form")).to_be_hidden()
        expect(page.locator("[data-cci-calculator] button:visible")).to_have_count(0)
        for chrome in (".md-header", ".md-footer", "table.cci-examples"):
            expect(page.locator(chrome)).to_be_hidden()
        text = norm(page.locator("[data-cci-calculator]").inner_text())
        assert text == PRINTED_QUOTE[lang].format(link=link)
        for value in (view["date"], view["valid_until"], norm(plan_in(view, "advanced")["monthly"])):
            assert value in text
        pdf = page.pdf(path=tmp_path / f"sent-{lang}.pdf", format="A4")
        assert pdf_pages(pdf) == 1


def test_issue13_printed_quote_check_can_fail() -> None:
    """Negative control: the two printouts differ, and not only in the link."""
    german, english = (norm(PRINTED_QUOTE[lang].format(link="L")) for lang in EDITIONS)
    assert german != english
    assert "3.800,00 €" in german and "€3,800.00" not in german
    assert "€3,800.00" in english and "3.800,00 €" not in english


def amounts(page: Page, lang: str) -> dict[str, tuple[Decimal, Decimal]]:
    """Each card's monthly and annual amount, read back with the edition's notation."""
    parse = formats_for(lang).parse_usage
    return {plan: (parse(card(page, plan, "monthly")), parse(card(page, plan, "annual")))
            for plan in ("basic", "advanced", "premium")}


def test_issue13_a_quote_link_shows_the_same_amounts_in_both_editions(browser: Browser, site_server: str) -> None:
    """The same quote link in rechner/ and in en/calculator/: the same
    amounts to the cent (read back from each notation), the same chosen
    plan, the same customer; the fee, the amounts and the dates written
    each edition's way."""
    fragment = ("nutzung=12345.67&plan=premium&kunde=M%C3%BCller%20%26%20S%C3%B6hne&ref=Q-7"
                "&gueltig=2026-12-31&preisliste=2026-01&datum=2026-11-20"
                f"&preiscode={current_fingerprint(real_catalog())}")
    shown_in: dict[str, dict[str, Any]] = {}
    read: dict[str, dict[str, tuple[Decimal, Decimal]]] = {}
    for lang in EDITIONS:
        with fresh_page(browser, site_server) as page:
            open_link(page, f"{site_server}{edition_page(lang, CALCULATOR)}#{fragment}", lang=lang)
            shown_in[lang], read[lang] = shown(page), amounts(page, lang)
    assert read["de"] == read["en"] == {
        "basic": (Decimal(0), Decimal(0)),
        "advanced": (Decimal("2558.02"), Decimal("30696.24")),
        "premium": (Decimal(10000), Decimal(120000)),
    }
    de, en = shown_in["de"], shown_in["en"]
    assert de["plans"]["advanced"]["monthly"] == "2.558,02\u00a0€" and en["plans"]["advanced"]["monthly"] == "€2,558.02"
    assert (de["usage"], en["usage"]) == ("12.345,67\u00a0€", "€12,345.67")
    assert (de["date"], en["date"]) == ("20.11.2026", "20 Nov 2026")
    assert de["facts"] == {"customer": "Müller & Söhne", "reference": "Q-7", "valid_until": "31.12.2026"}
    assert en["facts"] == {"customer": "Müller & Söhne", "reference": "Q-7", "valid_until": "31 Dec 2026"}
    assert [p for p in de["plans"] if de["plans"][p]["chosen"]] == [p for p in en["plans"] if en["plans"][p]["chosen"]] == ["premium"]


def test_issue8_valid_old_quote_headlines_its_amounts(
    old_price_site: OldPriceSite, browser: Browser
) -> None:
    """A quote made under a kept older price list, still valid, shows its
    own amounts as the headline (cards and breakdown) with today's beside
    them; once expired it says "Abgelaufen am …" and shows today's prices."""
    site, catalog = old_price_site, old_price_site.catalog
    fingerprint = price_fingerprint(catalog.past_price_list(OLD_VERSION).prices)
    today = datetime.now(ZoneInfo("Europe/Berlin")).date()
    base = f"{site.base_url}{CALCULATOR}#nutzung=25000&plan=advanced&kunde=Alt%20AG&preisliste={OLD_VERSION}&preiscode={fingerprint}"
    with fresh_page(browser, site.base_url) as page:
        view = open_link(page, f"{base}&datum={today.isoformat()}", catalog)
        assert (view["headline"], view["validity"]) == ("quoted", "valid")
        assert card(page, "advanced", "monthly") == "3.700,00 €"  # the quote's amount
        assert card(page, "premium", "monthly") == "9.000,00 €"
        rows = shown(page)["quoted"]["rows"]
        assert rows["advanced"] == ["3.700,00 €", "3.800,00 €"]
        assert rows["premium"] == ["ab 9.000,00 €", "ab 10.000,00 €"]
        expect(page.locator('[data-slot="applied_version"]')).to_have_text(OLD_VERSION)
        last = (today + timedelta(days=29)).strftime("%d.%m.%Y")
        expect(page.locator('[data-list="notes"] > li')).to_have_text([
            f"Angebot nach Preisliste „{OLD_VERSION}“, gültig bis {last}: die Beträge des Angebots "
            "gelten; die heutigen Preise stehen daneben."
        ])

        issued = today - timedelta(days=30)  # day 31: expired today
        view = paste(page, f"{base.split('#', 1)[1]}&datum={issued.isoformat()}", catalog)
        assert (view["headline"], view["validity"]) == ("today", "expired")
        assert card(page, "advanced", "monthly") == "3.800,00 €"
        expect(page.locator('[data-slot="applied_version"]')).to_have_text(catalog.price_list.version)
        expect(page.locator('[data-list="notes"] > li').first).to_have_text(
            f"Abgelaufen am {today.strftime('%d.%m.%Y')} (gültig bis "
            f"{(today - timedelta(days=1)).strftime('%d.%m.%Y')}): angezeigt werden die heutigen Preise."
        )


def test_issue8_tampered_link_falls_back_and_says_so(quote_page: QuotePage) -> None:
    """A link whose fingerprint does not match its price list shows today's
    prices and says so in a note (as text)."""
    page = quote_page.page
    view = paste(page, "nutzung=25000&plan=advanced&preisliste=2026-01&datum=2026-11-20&preiscode=0badc0de")
    assert view["price_list_status"] == "mismatch"
    assert card(page, "advanced", "monthly") == "3.800,00 €"
    expect(page.locator('[data-list="notes"] > li')).to_have_text([view["price_list_message"]])
    assert "Prüfsumme im Link passt nicht" in view["price_list_message"]


# ─── Issue 9 ───────────────────────────────────────────────────────────────


def test_issue9_03_copy_and_print_use_the_last_keystroke(quote_page: QuotePage) -> None:
    """"Link kopieren" and "Angebot drucken" clicked right after a keystroke
    (no wait) copy and print the quote with that keystroke, every time."""
    page, catalog = quote_page.page, real_catalog()
    paste(page, "nutzung=25000&plan=advanced&kunde=Flush")
    start_editing(page)
    page.evaluate("""() => {
        window.__printed = [];
        window.print = () => window.__printed.push([
            location.hash, document.querySelector('.cci-quote-head [data-slot="customer"]').textContent]);
    }""")
    customer = page.locator("#cci-customer")
    copies, prints = [], []
    for round_ in range(6):
        page.evaluate("() => { document.querySelector('[data-slot=\"copied\"]').textContent = ''; }")
        customer.press("End")
        customer.press(str(round_))  # one keystroke, then click at once
        page.locator('[data-action="copy-link"]').click()
        page.wait_for_function("want => document.querySelector('[data-slot=\"copied\"]').textContent === want",
                               arg="Link kopiert.")
        copies.append(page.evaluate("() => navigator.clipboard.readText()"))
        customer.press("End")
        customer.press(str(round_))
        page.locator('[data-action="print"]').click()
        page.wait_for_function("n => window.__printed.length === n", arg=round_ + 1)
        prints.append(page.evaluate("() => window.__printed.at(-1)"))
    name = "Flush"
    for round_ in range(6):
        name += str(round_)
        fragment = link_for(catalog, {"usage": "25.000", "plan": "advanced", "customer": name})
        assert urlsplit(copies[round_]).fragment == fragment, f"copy {round_ + 1} of 6 copied an older quote"
        name += str(round_)
        fragment = link_for(catalog, {"usage": "25.000", "plan": "advanced", "customer": name})
        assert prints[round_] == [f"#{fragment}", name], f"print {round_ + 1} of 6 printed an older quote"


def test_issue9_04_editing_an_old_quote_says_which_list_applies(
    old_price_site: OldPriceSite, browser: Browser
) -> None:
    """Before editing a quote made under an older price list the page says
    that the edited quote uses today's list; after an edit it still says
    so (the old amounts and note do not vanish silently)."""
    site, catalog = old_price_site, old_price_site.catalog
    with fresh_page(browser, site.base_url) as page:
        view = open_link(page, f"{site.base_url}{CALCULATOR}#nutzung=25000&plan=advanced&preisliste={OLD_VERSION}", catalog)
        note = (f"Sie bearbeiten ein Angebot nach Preisliste „{OLD_VERSION}“. Das geänderte Angebot gilt "
                f"nach der heutigen Preisliste „{catalog.price_list.version}“; das ursprüngliche bleibt "
                "unter seinem bisherigen Link erhalten.")
        assert view["edit_note"] == note
        expect(page.locator("#cci-edit-note")).to_have_text(note)
        expect(page.locator('[data-action="edit"]')).to_have_attribute("aria-describedby", "cci-edit-note")
        start_editing(page)
        page.locator("#cci-customer").press_sequentially("Neu KG")
        fragment = link_for(catalog, {"usage": "25.000", "plan": "advanced", "customer": "Neu KG"})
        wait_for_hash(page, fragment)
        wait_for_shown(page, expected_shown(quote_view(catalog, fragment), catalog, editing=True, edit_note=note),
                       ANSWER_TIMEOUT_MS)
        expect(page.locator('[data-list="notes"] > li')).to_have_text([note])
        assert card(page, "advanced", "monthly") == "3.800,00 €"


def test_issue9_05_quote_date_is_german_in_new_york(browser: Browser, site_server: str) -> None:
    """At 23:30 on 26.11. in New York it is 05:30 on 27.11. in Berlin: the
    quote is dated 27.11.2026, in the head and in the link it writes; a
    link's own issue date wins."""
    context = browser.new_context(locale="de-DE", timezone_id="America/New_York", service_workers="block")
    context.set_default_timeout(ANSWER_TIMEOUT_MS)
    page = context.new_page()
    log = record_page(context, page)
    try:
        page.clock.set_fixed_time("2026-11-27T04:30:00Z")
        page.goto(f"{site_server}{CALCULATOR}#nutzung=25000&plan=advanced")
        head_date = page.locator('.cci-quote-head [data-slot="date"]')
        expect(head_date).to_have_text("27.11.2026", timeout=BOOT_TIMEOUT_MS)
        # Negative control: the visitor's own calendar still says 26.11.
        assert page.evaluate("() => new Date().toLocaleDateString('de-DE')") == "26.11.2026"
        start_editing(page)
        page.locator("#cci-reference").press_sequentially("NY-1")
        page.wait_for_function("() => location.hash.includes('ref=NY-1')")
        assert "&datum=2026-11-27&" in hash_of(page)
        expect(head_date).to_have_text("27.11.2026")
        page.evaluate("() => { location.hash = 'nutzung=25000&plan=advanced&datum=2026-11-20'; }")
        expect(head_date).to_have_text("20.11.2026")
        problems = log_problems(log, site_server)
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def test_issue9_14_longest_quotes_print_on_one_page(
    old_price_site: OldPriceSite, browser: Browser, tmp_path: Path
) -> None:
    """Every quote the form can produce fits one A4 page: the longest texts
    the form allows (customer 120, reference 60 characters), the largest
    fee, no plan chosen (three cards and the breakdown), a last valid day,
    edited from a quote under an older price list (a note); and a quote
    opened read-only with two notes (a customer name over 120 characters
    and an older price list) and the side-by-side table."""
    site, catalog = old_price_site, old_price_site.catalog
    fingerprint = price_fingerprint(catalog.past_price_list(OLD_VERSION).prices)
    today = datetime.now(ZoneInfo("Europe/Berlin")).date()
    customer = ("Müller & Söhne Handelsgesellschaft mbH " * 4)[:120]
    reference = ("Angebot 2026 Nummer " * 3)[:60]
    opened = (f"nutzung=999999999.99&kunde={quote(customer + ' und Partner')}&ref={quote(reference)}"
              f"&preisliste={OLD_VERSION}&datum={today.isoformat()}&preiscode={fingerprint}")
    with fresh_page(browser, site.base_url) as page:
        view = open_link(page, f"{site.base_url}{CALCULATOR}#{opened}", catalog)
        assert len(view["notes"] + view["quote_notes"]) == 2 and view["quoted"]["plans"]
        page.emulate_media(media="print")
        pdf = page.pdf(path=tmp_path / "opened.pdf", format="A4")
        assert pdf_pages(pdf) == 1, f"the opened quote prints on {pdf_pages(pdf)} pages"

        page.emulate_media(media="screen")
        start_editing(page)
        for selector, text in (("#cci-customer", customer + "xyz"), ("#cci-reference", reference + "xyz")):
            field = page.locator(selector)
            field.fill("")
            field.press_sequentially(text)  # maxlength keeps 120 and 60 characters
        usage = page.locator("#cci-usage")
        usage.fill("999.999.999,99")
        page.locator("#cci-valid-until").fill("2027-12-31")
        fields = {"usage": "999.999.999,99", "customer": customer, "reference": reference,
                  "valid_until": "2027-12-31"}
        fragment = link_for(catalog, fields)
        wait_for_hash(page, fragment)
        expect(page.locator("#cci-customer")).to_have_value(customer)
        expect(page.locator('[data-list="notes"] > li')).to_have_text([view["edit_note"]])
        page.emulate_media(media="print")
        pdf = page.pdf(path=tmp_path / "typed.pdf", format="A4")
        assert pdf_pages(pdf) == 1, f"the typed quote prints on {pdf_pages(pdf)} pages"
        page.emulate_media(media="screen")
