"""Issue 8: phones (390 × 844 px) show every number.

Every page of the built site is opened in real Chromium at 390 × 844 px
(the calculator pages once they answered; the quote view with a long
customer name, also beside an older price list) and checked as a person
holding a phone would look at it:

- nothing scrolls sideways: ``scrollWidth <= innerWidth``;
- every table cell, every filled calculator slot and every definition lies
  fully inside the viewport and inside any box that scrolls or clips it
  (a column reached only by scrolling a table's region counts as cut), and
  no text is wider than its box;
- no word breaks inside without a hyphen: German text hyphenates
  (``<html lang="de">``, computed ``hyphens: auto``), nothing that is prose
  may break anywhere (``overflow-wrap: anywhere``, ``word-break:
  break-all``/``break-word``), and no word of the page's text actually
  spans two lines (Debian's Chromium has no hyphenation dictionaries, so
  there a word on two lines was broken without a hyphen);
- each radio button sits on the line of its label's first word, just
  before it.

Code, link addresses and form fields are not prose: they may break
anywhere. A screenshot of each page at 390 px goes to
``test-results/phone-390/`` (git-ignored) for people to look at.
A negative control proves the checks find a cut column and a broken word.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.catalog import real_catalog
from tests.helpers import REPO_ROOT, log_problems, record_page
from tests.test_quote_page import OLD_VERSION, OldPriceSite, old_price_site  # noqa: F401 (a fixture)

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = REPO_ROOT / "test-results" / "phone-390"
# Cold boot of Pyodide on a slow, shared machine.
BOOT_TIMEOUT_MS = 60_000

# The calculator pages are checked once they answered; the fragment makes
# the answer known: selector → its text, whitespace normalised.
ANSWERS: dict[str, tuple[str, dict[str, str]]] = {
    "rechner/": ("", {  # the field's preset, 10.000 €
        '.cci-result[data-plan="advanced"] [data-slot="annual"]': "27.600,00 €",
        '[data-breakdown="advanced"] tfoot [data-slot="monthly"]': "2.300,00 €",
    }),
    "reaktionszeit/": ("#plan=basic&schweregrad=3&eingang=2026-11-27T17:30", {
        '[data-slot="due"]': "Di., 01.12.2026, 11:30 Uhr",
    }),
}

# A long but real-looking customer; its longest word fits a phone's line.
LONG_CUSTOMER = "Stadtwerke Großröhrsdorf-Niederlausitz Versorgungs- und Verkehrsgesellschaft mbH & Co. KG"
QUOTE = (
    f"rechner/#nutzung=250000&plan=advanced&kunde={quote(LONG_CUSTOMER)}"
    "&ref=ANG-2026-000123-Rahmenvertrag&gueltig=2026-12-31"
)
QUOTE_ANSWER = {
    '[data-slot="customer"]': LONG_CUSTOMER,
    '.cci-result[data-plan="advanced"] [data-slot="monthly"]': "21.800,00 €",
    '.cci-result[data-plan="advanced"] [data-slot="annual"]': "261.600,00 €",
    '[data-breakdown="advanced"] tfoot [data-slot="annual"]': "261.600,00 €",
}
# With the quote's price list OLD_VERSION (Advanced's base 1.400 €, Premium
# from 9.000 €), old and today's prices stand side by side.
# A quote under a kept older price list headlines its own amounts (21.700 €
# under the old list) and shows today's prices (21.800 €) beside them.
OLD_QUOTE_ANSWER = {
    **QUOTE_ANSWER,
    '.cci-result[data-plan="advanced"] [data-slot="monthly"]': "21.700,00 €",
    '.cci-result[data-plan="advanced"] [data-slot="annual"]': "260.400,00 €",
    '[data-breakdown="advanced"] tfoot [data-slot="annual"]': "260.400,00 €",
    '[data-when="quoted"] tr[data-plan="advanced"] [data-slot="monthly"]': "21.800,00 €",
    '[data-when="quoted"] tr[data-plan="advanced"] [data-slot="quoted_monthly"]': "21.700,00 €",
    '[data-when="quoted"] tr[data-plan="premium"] [data-slot="quoted_monthly"]': "9.000,00 €",
}

# Text that is not prose and may break anywhere: code, link addresses,
# form fields.
NOT_PROSE = "code, pre, kbd, samp, input, select, option, textarea, button, .cci-quote-link"

# Helpers shared by the scripts below (evaluated in the page).
PAGE_HELPERS_JS = """
const content = document.querySelector(".md-content");
const describe = (el) => el.tagName.toLowerCase()
    + (el.id ? "#" + el.id : "") + [...el.classList].map((c) => "." + c).join("");
const textOf = (el) => el.textContent.replace(/\\s+/g, " ").trim();
// Visually hidden (a screen-reader-only header): inside a box of at most 1 × 1 px.
const visuallyHidden = (el) => {
    for (let box = el; box && box !== content; box = box.parentElement) {
        const r = box.getBoundingClientRect();
        if (r.width <= 1 && r.height <= 1) return true;
    }
    return false;
};
// How many lines the characters start…end of a text node take.
const linesOf = (node, start, end) => {
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, end);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0);
    const tops = [];
    for (const r of rects) {
        if (!tops.some((top) => Math.abs(top - r.top) < r.height / 2)) tops.push(r.top);
    }
    return tops.length;
};
"""

# Every table cell, filled slot and definition: where it is cut, if at all.
CUT_JS = f"""() => {{
{PAGE_HELPERS_JS}
    const problems = [], checked = [];
    for (const el of content.querySelectorAll("td, th, dd, [data-slot]")) {{
        if (!el.checkVisibility() || visuallyHidden(el)) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0) continue;
        checked.push(textOf(el));
        const why = [];
        if (r.left < -0.5 || r.right > innerWidth + 0.5)
            why.push(`lies at ${{Math.round(r.left)}}…${{Math.round(r.right)}} px`);
        for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {{
            if (getComputedStyle(box).overflowX === "visible") continue;
            const b = box.getBoundingClientRect();
            const left = b.left + box.clientLeft, right = left + box.clientWidth;
            if (r.left < left - 0.5 || r.right > right + 0.5)
                why.push(`cut by ${{describe(box)}} at ${{Math.round(left)}}…${{Math.round(right)}} px`);
        }}
        if (getComputedStyle(el).display !== "inline" && el.scrollWidth > el.clientWidth + 1)
            why.push(`its text is ${{el.scrollWidth - el.clientWidth}} px wider than its box`);
        if (why.length) problems.push(`${{describe(el)}} „${{textOf(el).slice(0, 50)}}“ ${{why.join(", ")}}`);
    }}
    return {{
        problems, checked,
        scrollWidth: document.documentElement.scrollWidth, innerWidth,
    }};
}}"""

# Words of prose that span two lines, and prose styled to break anywhere.
WORDS_JS = f"""(notProse) => {{
{PAGE_HELPERS_JS}
    // Can this browser hyphenate German at all? Debian's Chromium cannot.
    const probe = document.createElement("div");
    probe.lang = "de";
    probe.style.cssText = "position:absolute;width:3em;hyphens:auto;overflow-wrap:normal;word-break:normal";
    probe.textContent = "Nutzungsgebühr";
    document.body.append(probe);
    const hyphenates = linesOf(probe.firstChild, 0, probe.firstChild.length) > 1;
    probe.remove();

    const broken = [], styled = {{}};
    const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode());) {{
        const el = node.parentElement;
        if (!node.data.trim() || el.closest(notProse) || !el.checkVisibility() || visuallyHidden(el)) continue;
        const style = getComputedStyle(el);
        const wrong = [];
        if (style.hyphens !== "auto") wrong.push(`hyphens: ${{style.hyphens}}`);
        if (style.overflowWrap === "anywhere") wrong.push("overflow-wrap: anywhere");
        if (["break-all", "break-word"].includes(style.wordBreak)) wrong.push(`word-break: ${{style.wordBreak}}`);
        for (const rule of wrong) (styled[rule] ??= []).push(`${{describe(el)}} „${{textOf(el).slice(0, 30)}}“`);
        if (hyphenates && style.hyphens === "auto") continue;
        // A word may end a line after a space, a hyphen, a dash or a slash.
        for (const m of node.data.matchAll(/[^ \\t\\n\\r\\f\\-–—\\/\\u00ad\\u200b]+[\\-–—\\/\\u00ad\\u200b]*/g)) {{
            if (linesOf(node, m.index, m.index + m[0].length) > 1)
                broken.push(`${{describe(el)}}: „${{m[0]}}“`);
        }}
    }}
    return {{lang: document.documentElement.lang, hyphenates, broken, styled}};
}}"""

# Each radio button and the first word of its label, as boxes [l, t, r, b].
RADIOS_JS = """() => [...document.querySelectorAll(".md-content input[type=radio]")]
    .filter((radio) => radio.checkVisibility())
    .map((radio) => {
        const box = (r) => [r.left, r.top, r.right, r.bottom];
        const label = radio.labels[0];
        let word = null;
        const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
        for (let node; !word && (node = walker.nextNode());) {
            const m = node.data.match(/\\S+/);
            if (!m || !(radio.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
            const range = document.createRange();
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].length);
            word = {text: m[0], box: box(range.getClientRects()[0])};
        }
        return {radio: `${radio.name}=${radio.value}`, box: box(radio.getBoundingClientRect()), word};
    })"""


# ─── Checks ────────────────────────────────────────────────────────────────


def cut_problems(page: Page) -> tuple[list[str], list[str]]:
    """Problems of sideways scrolling and cut cells, and the texts checked."""
    found = page.evaluate(CUT_JS)
    problems = [f"cut: {p}" for p in found["problems"]]
    if found["innerWidth"] != PHONE["width"]:
        problems.append(f"the viewport is {found['innerWidth']} px wide, not {PHONE['width']} px")
    if found["scrollWidth"] > found["innerWidth"]:
        problems.append(f"the page scrolls sideways: {found['scrollWidth']} px > {found['innerWidth']} px")
    return problems, found["checked"]


def word_problems(page: Page) -> list[str]:
    """Problems of hyphenation and of words broken without a hyphen."""
    found = page.evaluate(WORDS_JS, NOT_PROSE)
    problems = [f"broken word: {w}" for w in found["broken"]]
    problems += [
        f"{rule} on {len(where)} prose elements, e.g. {', '.join(where[:3])}"
        for rule, where in found["styled"].items()
    ]
    expected = "en" if "/en/" in page.url else "de"  # the edition's language hyphenates
    if found["lang"] != expected:
        problems.append(f'<html lang="{found["lang"]}">, not "{expected}": no hyphenation for its language')
    return problems


def radio_problems(page: Page) -> tuple[list[str], int]:
    """Radio buttons not on the line of, or not just before, their label's
    first word; and how many radios were checked."""
    problems = []
    radios: list[dict[str, Any]] = page.evaluate(RADIOS_JS)
    for found in radios:
        left, top, right, bottom = found["box"]
        word = found["word"]
        if word is None:
            problems.append(f"radio {found['radio']}: no label text after it")
            continue
        w_left, w_top, _, w_bottom = word["box"]
        middle = (top + bottom) / 2
        if not (w_top <= middle <= w_bottom and right - 0.5 <= w_left <= right + 24):
            problems.append(
                f"radio {found['radio']} at {found['box']} is not beside "
                f"„{word['text']}“ at {word['box']}"
            )
    return problems, len(radios)


def phone_problems(page: Page) -> tuple[list[str], list[str]]:
    """Every check above on the page as shown now; and the texts checked."""
    cut, checked = cut_problems(page)
    radios, _ = radio_problems(page)
    return cut + word_problems(page) + radios, checked


def wait_for_texts(page: Page, wanted: dict[str, str]) -> None:
    """Wait until each selector's first element is shown with its text."""
    try:
        page.wait_for_function(
            """(wanted) => Object.entries(wanted).every(([selector, text]) => {
                const el = document.querySelector(selector);
                return el && el.checkVisibility()
                    && el.textContent.replace(/\\s+/g, " ").trim() === text;
            })""",
            arg=wanted,
            timeout=BOOT_TIMEOUT_MS,
        )
    except PlaywrightTimeoutError:
        shown = page.evaluate(
            "(sels) => sels.map((s) => document.querySelector(s)?.textContent ?? null)", list(wanted)
        )
        pytest.fail(f"the page did not show {wanted}\n  shown: {shown}", pytrace=False)


def screenshot(page: Page, name: str) -> None:
    """The whole page as a person would see it scrolling, for looking at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def check_on_phone(page: Page, url: str, wanted: dict[str, str], name: str) -> list[str]:
    """Open ``url`` at 390 px, wait for ``wanted``, screenshot it, return
    its problems; the texts of ``wanted`` must be among the checked cells."""
    page.set_viewport_size(PHONE)
    page.goto(url)
    wait_for_texts(page, wanted)
    screenshot(page, name)
    problems, checked = phone_problems(page)
    missing = [text for text in wanted.values() if text not in checked]
    assert not missing, f"not checked: {missing}"
    return problems


# ─── Tests ─────────────────────────────────────────────────────────────────


def test_issue8_every_page_fits_a_phone(site_page: str, page: Page, page_log, site_server: str) -> None:
    """At 390 × 844 px nothing scrolls sideways, no cell or amount is cut,
    no word breaks without a hyphen and radio labels stay beside their
    buttons; the calculator pages are checked with their answer shown."""
    fragment, wanted = ANSWERS.get(site_page, ("", {}))
    name = site_page.rstrip("/").replace("/", "-") or "index"
    problems = check_on_phone(page, site_server + site_page + fragment, wanted, name)
    if site_page == "reaktionszeit/":
        catalog = real_catalog()
        _, radios = radio_problems(page)
        assert radios == len(catalog.plans) + len(catalog.severities)
    problems += log_problems(page_log, site_server)
    assert not problems, f"{site_page or 'home page'} at 390 px:\n" + "\n".join(problems)


def test_issue8_quote_fits_a_phone(page: Page, page_log, site_server: str) -> None:
    """A quote link with a long customer name: the quote's facts, cards and
    breakdown fit 390 px, amounts to the cent."""
    problems = check_on_phone(page, site_server + QUOTE, QUOTE_ANSWER, "rechner-angebot")
    problems += log_problems(page_log, site_server)
    assert not problems, "quote at 390 px:\n" + "\n".join(problems)


def test_issue8_quote_beside_old_prices_fits_a_phone(
    old_price_site: OldPriceSite, browser: Browser  # noqa: F811 (the imported fixture)
) -> None:
    """A quote under an older price list shows old and today's prices side
    by side; that table fits 390 px too."""
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin", service_workers="block")
    try:
        page = context.new_page()
        log = record_page(context, page)
        base = old_price_site.base_url
        problems = check_on_phone(
            page, f"{base}{QUOTE}&preisliste={OLD_VERSION}", OLD_QUOTE_ANSWER, "rechner-angebot-alte-preise"
        )
        problems += log_problems(log, base)
        assert not problems, "quote with old prices at 390 px:\n" + "\n".join(problems)
    finally:
        context.close()


# A table that cannot stack (no data-label) with wide amounts, a prose
# paragraph that may break anywhere in a narrow box, and a radio whose
# label wraps away from it: what the checks must find.
BAD_LAYOUT_JS = """() => {
    const article = document.querySelector(".md-content article");
    const wrap = document.createElement("div");
    wrap.className = "cci-table-wrap";
    const cells = Array.from({length: 6}, (_, i) => `<td class="cci-number">${i + 1}00.000,00 €</td>`);
    wrap.innerHTML = `<table class="cci-table"><tbody><tr>${cells.join("")}</tr></tbody></table>`;
    const prose = document.createElement("p");
    prose.style.cssText = "width: 5em; overflow-wrap: anywhere";
    prose.textContent = "Nutzungsgebühr";
    const label = document.createElement("label");
    label.innerHTML = '<span style="display:inline-block;width:330px"></span><input type="radio" name="kontrolle"> Kontrolle';
    article.append(wrap, prose, label);
}"""


def test_issue8_checks_find_a_cut_column_and_a_broken_word(page: Page, site_server: str) -> None:
    """Negative control: a wide table without data-label, a word broken by
    overflow-wrap: anywhere and a radio split from its label are found."""
    page.set_viewport_size(PHONE)
    page.goto(site_server + "preise/")
    clean, _ = phone_problems(page)
    page.evaluate(BAD_LAYOUT_JS)
    problems, checked = phone_problems(page)
    new = [p for p in problems if p not in clean]
    assert "600.000,00 €" in checked
    assert any(p.startswith("cut: td.cci-number „600.000,00 €“") for p in new), new
    assert any(p.startswith("broken word: p: „Nutzungsgebühr“") for p in new), new
    assert any(p.startswith("overflow-wrap: anywhere on 1 prose elements, e.g. p „Nutzungsgebühr“") for p in new), new
    assert any(p.startswith("radio kontrolle=on") for p in new), new
