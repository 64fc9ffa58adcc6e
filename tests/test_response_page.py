"""The response-time calculator page (``reaktionszeit/``) in real Chromium.

The page runs ``calculator.response_view`` in Pyodide inside a Web Worker
and keeps its state in the URL fragment
(``#plan=basic&schweregrad=3&eingang=2026-11-27T17:30``). These tests open
links and use the form, and compare what the page shows with CPython's
``response_view`` for the same input, plus literal texts from the issue:

- the issue's link shows "Di., 01.12.2026, 11:30 Uhr" (German time), the
  form preset to it, the counted business hours and the plan's promise;
- the due time in the visitor's own zone (America/New_York), not when the
  visitor's clock shows German time; the remaining time, exact with a fixed
  browser clock and "noch …" with the real one;
- a round-the-clock link across the switch to summer time, a plan without
  a target, an unreadable ``eingang`` (and a cleared time field): the
  data's message at the fields, no result;
- the form writes the fragment without adding history entries; a link
  pasted into the same tab (only the fragment changes) is read too;
- each severity page links to the calculator preset to its severity;
- nothing leaves the local server, no console error, no serious axe
  violation; a runtime that cannot load leaves the static targets table.

Pyodide boots in 3–5 s: the tests share a few pages (module-scoped, one
boot each) and move between links by changing the fragment.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from calculator.response_view import response_view
from calculator import formats_for
from tests.catalog import EDITIONS, edition_catalog, edition_page, edition_ui, real_catalog
from tests.response_time_cases import CASES
from tests.helpers import (
    PageLog,
    axe_problems,
    axe_violations,
    log_problems,
    record_page,
    serve_sitemap_for,
)

CALCULATOR = "reaktionszeit/"
ISSUE = "#plan=basic&schweregrad=3&eingang=2026-11-27T17:30"
# The fixed browser clock: Friday, 27.11.2026, 17:30 in Berlin.
FIXED_NOW = "2026-11-27T16:30:00.000Z"
FIXED_WALL = ("2026-11-27", "17:30")
BAD_SUBMITTED = "Bitte Datum und Uhrzeit des Ticketeingangs angeben, z. B. 27.11.2026, 17:30 Uhr."
# Cold boot of Pyodide (with tzdata) on a slow machine; later answers take milliseconds.
BOOT_TIMEOUT_MS = 30_000
ANSWER_TIMEOUT_MS = 20_000
# A failed file ends the start at once; allow for a slow machine.
FAILURE_TIMEOUT_MS = 25_000
WASM = "/pyodide.asm.wasm"


# ─── What the page shows, what CPython expects ─────────────────────────────

# The calculator's visible state; hidden elements count as not shown.
SHOWN_JS = """root => {
    const visible = (element) => element.checkVisibility();
    const slot = (name) => root.querySelector(`[data-slot="${name}"]`).textContent;
    const when = (name) => visible(root.querySelector(`[data-when="${name}"]`));
    return {
        results: visible(root.querySelector('[data-state="results"]')),
        error: slot("error"),
        due: when("target") ? slot("due") : null,
        due_zone: when("target") ? slot("due_zone") : null,
        entry_zone: visible(root.querySelector('[data-state="results"]')) ? slot("entry_zone") : null,
        entry_note: slot("entry_note"),
        choices: when("choices")
            ? [...root.querySelectorAll('input[name="offset"]')].map((radio) =>
                [radio.closest("label").textContent.trim(), radio.value, radio.checked])
            : [],
        visitor: when("visitor")
            ? [slot("visitor_zone") + (when("visitor_offset") ? ` (UTC${slot("visitor_offset")})` : ""),
               slot("visitor_due")]
            : null,
        remaining: when("remaining") ? slot("remaining") : null,
        clock_waits: when("clock_waits") ? [slot("submitted"), slot("starts")] : null,
        targets: [...root.querySelectorAll("[data-target]")].filter(visible).map((e) => e.dataset.target),
        counted: when("counted")
            ? [...root.querySelectorAll('[data-list="counted"] > li')].map((item) =>
                ["day", "from", "to", "duration"].map((name) =>
                    item.querySelector(`[data-slot="${name}"]`).textContent))
            : [],
        no_target: when("no-target") ? slot("no_target") : null,
    };
}"""

ROOT = '[data-cci-calculator="response"]'

# Material's instant navigation re-renders the page whenever its location$
# gets a pathname it has not rendered yet. Its location$ is a plain Subject,
# so that includes the first fragment-only navigation in a page's life (a
# pasted link, a jump to #zusagen): the old calculator may show the answer
# a moment before the new one replaces it. This follows Material's rule
# (distinctUntilKeyChanged("pathname") until document$ emits), so that a
# wait does not end on the old page. Install it before the first navigation.
TRACK_MATERIAL_JS = """() => {
    let rendered = null;
    window.__cciRendering = false;
    location$.subscribe((url) => {
        if (url.pathname !== rendered) {
            rendered = url.pathname;
            window.__cciRendering = true;
        }
    });
    document$.subscribe(() => { window.__cciRendering = false; });
}"""

# True once the page shows `want` (and, if given, the fragment `hash`) and
# Material is not about to replace it; the keys in `skip` are not compared.
SHOWS_JS = f"""([want, hash, skip]) => {{
    if (window.__cciRendering) return false;
    const root = document.querySelector('{ROOT}');
    const shown = ({SHOWN_JS})(root);
    for (const key of skip) {{ delete shown[key]; delete want[key]; }}
    return JSON.stringify(shown) === JSON.stringify(want) && (hash === null || location.hash === hash);
}}"""

FORM_JS = """root => ({
    plan: root.querySelector('input[name="plan"]:checked')?.value ?? null,
    severity: root.querySelector('input[name="schweregrad"]:checked')?.value ?? null,
    date: root.querySelector("#cci-submitted-date").value,
    time: root.querySelector("#cci-submitted-time").value,
})"""


def view_of(plan: str, severity: int, submitted: str, zone: str = "Europe/Berlin",
            now: str | None = FIXED_NOW, lang: str = "de") -> dict[str, Any]:
    """CPython's answer, as the page of edition ``lang`` asks for it."""
    return response_view(edition_catalog(lang), plan, severity, submitted, now=now, visitor_zone=zone,
                         lang=lang)


def expected_shown(view: dict[str, Any]) -> dict[str, Any]:
    """What the page must show for ``view`` (same keys and order as SHOWN_JS)."""
    entry = view.get("entry")
    shown: dict[str, Any] = {
        "results": view["ok"], "error": "" if view["ok"] else view["message"],
        "due": None, "due_zone": None,
        "entry_zone": entry["zone"] if entry else None,
        "entry_note": (entry["note"] or "") if entry else "",
        "choices": [[choice["label"], choice["offset"], choice["offset"] == entry["offset"]]
                    for choice in entry["choices"]] if entry else [],
        "visitor": None, "remaining": None, "clock_waits": None,
        "targets": [], "counted": [], "no_target": None,
    }
    if view["ok"] and not view["has_target"]:
        shown["no_target"] = view["message"]
    elif view["ok"]:
        visitor = view["due_visitor"]
        shown.update(
            due=view["due"],
            due_zone=view["due_zone"],
            visitor=None if visitor is None else [zone_in_words(visitor["zone"], view["due_iso"]), visitor["due"]],
            remaining=view["remaining"],
            clock_waits=[view["submitted"], view["starts"]] if view["clock_waits"] else None,
            targets=[f"{view['plan']}-{view['severity']}"],
            counted=[[line[name] for name in ("day", "from", "to", "duration")] for line in view["counted"]],
        )
    return shown


def zone_in_words(zone: str, instant: str) -> str:
    """``New York (UTC−5)``: the zone's city and its offset at ``instant``."""
    offset = datetime.fromisoformat(instant).astimezone(ZoneInfo(zone)).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    hours, rest = divmod(abs(minutes), 60)
    sign = "" if minutes == 0 else "\u2212" if minutes < 0 else "+"
    number = "" if minutes == 0 else f"{hours}:{rest:02d}" if rest else f"{hours}"
    return f"{zone.split('/')[-1].replace('_', ' ')} (UTC{sign}{number})"


def shown(page: Page) -> dict[str, Any]:
    return page.locator(ROOT).evaluate(SHOWN_JS)


def form(page: Page) -> dict[str, Any]:
    return page.locator(ROOT).evaluate(FORM_JS)


def wait_for_view(page: Page, view: dict[str, Any], fragment: str | None = None,
                  timeout_ms: float = ANSWER_TIMEOUT_MS, skip: tuple[str, ...] = ()) -> None:
    """Wait until the page shows ``view`` (and the URL has ``fragment``);
    ``skip`` names parts not compared (e.g. "remaining" with the real clock)."""
    want = expected_shown(view)
    hash_ = None if fragment is None else "#" + fragment.lstrip("#")
    try:
        page.wait_for_function(SHOWS_JS, arg=[want, hash_, list(skip)], timeout=timeout_ms)
    except PlaywrightTimeoutError:
        pytest.fail(
            f"the page did not show the expected answer within {timeout_ms} ms\n"
            f"  expected {want} at {hash_}\n  shown    {shown(page)} at {href(page)}",
            pytrace=False,
        )


def href(page: Page) -> str:
    """The address bar now (``page.url`` lags behind history.replaceState)."""
    return page.evaluate("() => location.href")


def open_in_same_tab(page: Page, fragment: str) -> None:
    """A link to this page pasted into the address bar: only the fragment
    changes, so the page does not load again."""
    page.evaluate("fragment => { location.hash = fragment; }", fragment)


def norm(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


# ─── Pages ─────────────────────────────────────────────────────────────────


@dataclass
class Calculator:
    page: Page
    log: PageLog
    base_url: str


def new_page(browser: Browser, timezone_id: str, fixed_now: str | None) -> tuple[Page, PageLog]:
    """A recorded page like the ``page`` fixture's, in ``timezone_id``, with
    the browser clock fixed at ``fixed_now`` (timers keep running)."""
    context = browser.new_context(locale="de-DE", timezone_id=timezone_id, service_workers="block")
    context.set_default_timeout(ANSWER_TIMEOUT_MS)
    page = context.new_page()
    log = record_page(context, page)
    if fixed_now is not None:
        page.clock.set_fixed_time(fixed_now)
    return page, log


@pytest.fixture(scope="module")
def berlin(browser: Browser, site_server: str) -> Iterator[Calculator]:
    """The issue's link in a German browser at Friday 17:30, booted once."""
    page, log = new_page(browser, "Europe/Berlin", FIXED_NOW)
    try:
        page.goto(site_server + CALCULATOR + ISSUE)
        page.evaluate(TRACK_MATERIAL_JS)
        wait_for_view(page, view_of("basic", 3, "2026-11-27T17:30"), ISSUE, BOOT_TIMEOUT_MS)
        yield Calculator(page, log, site_server)
    finally:
        page.context.close()


def reopen_issue_link(calc: Calculator) -> dict[str, Any]:
    """The issue's link again, in another order of keys: the fragment always
    changes (the page writes it back in its canonical order)."""
    open_in_same_tab(calc.page, "#schweregrad=3&eingang=2026-11-27T17:30&plan=basic")
    view = view_of("basic", 3, "2026-11-27T17:30")
    wait_for_view(calc.page, view, ISSUE)
    return view


# ─── 1. The issue's link ───────────────────────────────────────────────────


def test_the_issues_link_shows_the_due_time(berlin: Calculator) -> None:
    page = berlin.page
    if href(page) != berlin.base_url + CALCULATOR + ISSUE:  # not the freshly loaded page
        reopen_issue_link(berlin)
    root = page.locator(ROOT)
    assert root.locator('[data-slot="due"]').text_content() == "Di., 01.12.2026, 11:30\u00a0Uhr"
    expect(root.locator(".cci-due")).to_have_text(re.compile(r"^Di\., 01\.12\.2026, 11:30\sUhr \(deutsche Zeit, MEZ\)$"))
    assert form(page) == {"plan": "basic", "severity": "3", "date": "2026-11-27", "time": "17:30"}
    assert shown(page) == {
        "results": True,
        "error": "",
        "due": "Di., 01.12.2026, 11:30\u00a0Uhr",
        "due_zone": "MEZ",
        "entry_zone": "MEZ",
        "entry_note": "",
        "choices": [],
        "visitor": None,  # the visitor's clock shows German time
        "remaining": "noch 3\u00a0Tage, 18\u00a0Stunden",
        "clock_waits": None,  # 17:30 on a Friday is within business hours
        "targets": ["basic-3"],
        "counted": [
            ["Fr., 27.11.2026", "17:30", "18:00", "30\u00a0Minuten"],
            ["Mo., 30.11.2026", "09:00", "18:00", "9\u00a0Stunden"],
            ["Di., 01.12.2026", "09:00", "11:30", "2\u00a0Stunden, 30\u00a0Minuten"],
        ],
        "no_target": None,
    }
    # the plan's promise, the other plans' and levels' hidden
    promise = root.locator('[data-target="basic-3"]')
    expect(promise).to_be_visible()
    assert norm(promise.text_content()) == "< 12 Arbeitsstunden, während der Geschäftszeiten"
    expect(root.locator("[data-target]:visible")).to_have_count(1)
    assert root.locator("[data-target]").count() == 9  # one per target in the data
    expect(root.locator('[data-list="counted"] > li').nth(1)).to_have_text(
        re.compile(r"^Mo\., 30\.11\.2026: 09:00–18:00\sUhr \(9\sStunden\)$")
    )
    expect(root.locator('[data-when="visitor"]')).to_be_hidden()
    expect(root.locator('[data-when="notes"]')).to_be_hidden()
    assert href(page) == berlin.base_url + CALCULATOR + ISSUE


def test_issue10_without_a_link_the_example_ticket_until_the_visitor_changes_it(
        browser: Browser, site_server: str) -> None:
    """No link: the build-time example (Basic, severity 3, Fr., 27.11.2026,
    17:30) is the runtime's answer too, without a remaining time and without
    a link in the address bar; "Jetzt" leaves the example."""
    page, log = new_page(browser, "Europe/Berlin", "2026-12-01T08:00:00.000Z")
    try:
        page.goto(site_server + CALCULATOR)
        example = page.locator('[data-when="example"]')
        expect(example).to_have_text(
            "Ein Beispiel: ein Ticket, das am Fr., 27.11.2026, 17:30\u00a0Uhr eingeht. "
            "Für ein Ticket, das gerade eingeht, wählen Sie „Jetzt“.")
        page.wait_for_selector(f"{ROOT}[data-answered]", state="attached", timeout=BOOT_TIMEOUT_MS)
        wait_for_view(page, view_of("basic", 3, "2026-11-27T17:30", now=None))
        assert shown(page)["remaining"] is None  # an example, not a ticket of the visitor's
        assert form(page) == {"plan": "basic", "severity": "3", "date": "2026-11-27", "time": "17:30"}
        assert href(page) == site_server + CALCULATOR
        expect(example).to_be_visible()
        # Another plan keeps the example's time and writes the link.
        page.locator('input[name="plan"][value="premium"]').check()
        wait_for_view(page, view_of("premium", 3, "2026-11-27T17:30", now=None),
                      "plan=premium&schweregrad=3&eingang=2026-11-27T17:30")
        page.locator('[data-action="now"]').click()
        wait_for_view(page, view_of("premium", 3, "2026-12-01T09:00", now="2026-12-01T08:00:00.000Z"),
                      "plan=premium&schweregrad=3&eingang=2026-12-01T09:00")
        assert shown(page)["remaining"] == "noch 12\u00a0Stunden"
        expect(example).to_be_hidden()
        problems = log_problems(log, site_server)
        assert not problems, "\n".join(problems)
    finally:
        page.context.close()


# ─── Issue 13: every case of the table, in both editions ──────────────────


@pytest.fixture(scope="module")
def edition_calculators(browser: Browser, site_server: str) -> Iterator[Callable[[str], Calculator]]:
    """The calculator of an edition ("de": reaktionszeit/, "en":
    en/response-time/) opened once with the issue's link at Friday 17:30
    in a German browser, shared by the cases."""
    opened: dict[str, Calculator] = {}

    def calculator(lang: str) -> Calculator:
        if lang not in opened:
            page, log = new_page(browser, "Europe/Berlin", FIXED_NOW)
            opened[lang] = Calculator(page, log, site_server)
            page.goto(site_server + edition_page(lang, CALCULATOR) + ISSUE)
            page.evaluate(TRACK_MATERIAL_JS)
            wait_for_view(page, view_of("basic", 3, "2026-11-27T17:30", lang=lang), ISSUE, BOOT_TIMEOUT_MS)
        return opened[lang]

    try:
        yield calculator
    finally:
        for calc in opened.values():
            problems = log_problems(calc.log, calc.base_url)
            calc.page.context.close()
            assert not problems, "\n".join(problems)


def due_in_words(due: str, lang: str) -> tuple[str, str]:
    """The due instant ``due`` (ISO with its Berlin offset) as the edition
    ``lang`` writes it, from its words and notation, and its zone's name:
    ("Di., 01.12.2026, 11:30 Uhr", "MEZ") | ("Tue, 1 Dec 2026, 11:30", "CET")."""
    moment, fmt = datetime.fromisoformat(due), formats_for(lang)
    messages = edition_catalog(lang).messages
    weekday = messages["weekdays"][moment.strftime("%A").lower()]
    summer = moment.utcoffset().total_seconds() == 2 * 3600
    zone = messages["response_time"]["zone_summer" if summer else "zone_standard"]
    return f"{weekday}, {fmt.format_date(moment)}, {fmt.format_time(moment)}", zone


def test_due_in_words_reads_as_written() -> None:
    """The issue's due time, to the character, in both editions."""
    assert due_in_words("2026-12-01T11:30+01:00", "de") == ("Di., 01.12.2026, 11:30\u00a0Uhr", "MEZ")
    assert due_in_words("2026-12-01T11:30+01:00", "en") == ("Tue, 1 Dec 2026, 11:30", "CET")
    assert due_in_words("2026-03-29T06:30+02:00", "en") == ("Sun, 29 Mar 2026, 06:30", "CEST")


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize(("what", "plan", "severity", "submitted", "due"), CASES, ids=[c[0] for c in CASES])
def test_issue13_each_case_in_each_edition(edition_calculators: Callable[[str], Calculator], lang: str,
                                           what: str, plan: str, severity: int, submitted: str,
                                           due: str | None) -> None:
    """Each case of tests/response_time_cases.py as a link to the page of
    edition ``lang``: the page shows CPython's answer, and its due time is
    the case's instant written the edition's way, with the zone named."""
    page = edition_calculators(lang).page
    # The page's time field, and so its link, holds minutes: 10:00:30 is read as 10:00.
    submitted = re.sub(r"(T\d\d:\d\d):\d\d", r"\1", submitted)
    open_in_same_tab(page, f"#plan={plan}&schweregrad={severity}&eingang={quote(submitted, safe=':')}")
    view = view_of(plan, severity, submitted, lang=lang)
    wait_for_view(page, view)
    state = shown(page)
    if due is None:
        message = edition_catalog(lang).messages["response_time"]["no_target"]
        plan_name = edition_catalog(lang).plan(plan).name
        assert state["no_target"] == message.format(plan=plan_name, severity=severity)
        assert state["due"] is None
        return
    text, zone = due_in_words(due, lang)
    assert (state["due"], state["due_zone"]) == (text, zone), what
    german_time = edition_ui(lang)["response_calculator"]["german_time"]
    assert norm(page.locator(".cci-due").text_content()) == norm(f"{text} ({german_time} {zone})")


def test_issue13_the_issues_link_in_english(edition_calculators: Callable[[str], Calculator]) -> None:
    """The issue's link on en/response-time/: the same instants as on the
    German page, every text written out in English, to the character."""
    page = edition_calculators("en").page
    open_in_same_tab(page, "#schweregrad=3&eingang=2026-11-27T17:30&plan=basic")
    wait_for_view(page, view_of("basic", 3, "2026-11-27T17:30", lang="en"), ISSUE)
    assert shown(page) == {
        "results": True, "error": "",
        "due": "Tue, 1 Dec 2026, 11:30", "due_zone": "CET", "entry_zone": "CET", "entry_note": "",
        "choices": [], "visitor": None,
        "remaining": "3\u00a0days, 18\u00a0hours left",
        "clock_waits": None, "targets": ["basic-3"],
        "counted": [
            ["Fri, 27 Nov 2026", "17:30", "18:00", "30\u00a0minutes"],
            ["Mon, 30 Nov 2026", "09:00", "18:00", "9\u00a0hours"],
            ["Tue, 1 Dec 2026", "09:00", "11:30", "2\u00a0hours, 30\u00a0minutes"],
        ],
        "no_target": None,
    }
    root = page.locator(ROOT)
    assert norm(root.locator(".cci-due").text_content()) == "Tue, 1 Dec 2026, 11:30 (German time, CET)"
    assert norm(root.locator('[data-target="basic-3"]').text_content()) == (
        "< 12 business hours, during business hours")
    expect(root.locator('[data-list="counted"] > li').nth(1)).to_have_text(
        re.compile(r"^Mon, 30 Nov 2026: 09:00–18:00 \(9\shours\)$"))


# ─── 2. Other links ────────────────────────────────────────────────────────


def test_round_the_clock_across_the_switch_to_summer_time(berlin: Calculator) -> None:
    page = berlin.page
    fragment = "#plan=advanced&schweregrad=2&eingang=2026-03-29T01:30"
    open_in_same_tab(page, fragment)
    view = view_of("advanced", 2, "2026-03-29T01:30")
    wait_for_view(page, view, fragment)
    state = shown(page)
    assert state["due"] == "So., 29.03.2026, 06:30\u00a0Uhr"
    assert state["targets"] == ["advanced-2"] and state["counted"] == []
    assert state["remaining"].endswith(" überfällig")  # the fixed clock is months later
    assert norm(page.locator('[data-target="advanced-2"]').text_content()) == "< 4 Stunden, rund um die Uhr"
    expect(page.locator('[data-when="counted"]')).to_be_hidden()
    assert form(page) == {"plan": "advanced", "severity": "2", "date": "2026-03-29", "time": "01:30"}


def test_a_plan_without_a_target_says_so(berlin: Calculator) -> None:
    page = berlin.page
    open_in_same_tab(page, "#plan=basic&schweregrad=1")
    # no eingang: the ticket arrives now (the fixed clock), written into the link
    view = view_of("basic", 1, "T".join(FIXED_WALL))
    wait_for_view(page, view, "plan=basic&schweregrad=1&eingang=2026-11-27T17:30")
    assert shown(page)["no_target"] == "Der Plan Basic sagt für Schweregrad 1 keine Reaktionszeit zu."
    expect(page.locator('[data-when="no-target"]')).to_be_visible()
    expect(page.locator('[data-when="target"]')).to_be_hidden()
    expect(page.locator(".cci-due")).to_be_hidden()
    assert form(page) == {"plan": "basic", "severity": "1", "date": FIXED_WALL[0], "time": FIXED_WALL[1]}


def assert_bad_submission_shown(page: Page) -> None:
    """The data's message at the fields, both fields invalid, no result."""
    error = page.locator("#cci-submitted-error")
    expect(error).to_have_text(BAD_SUBMITTED)
    assert error.text_content() == BAD_SUBMITTED
    for field in ("#cci-submitted-date", "#cci-submitted-time"):
        expect(page.locator(field)).to_have_attribute("aria-invalid", "true")
        expect(page.locator(field)).to_have_attribute("aria-describedby", "cci-submitted-error")
    expect(page.locator('[data-state="results"]')).to_be_hidden()
    expect(page.locator(".cci-due")).to_be_hidden()


def test_an_unreadable_eingang_shows_the_message_and_no_result(berlin: Calculator) -> None:
    page = berlin.page
    reopen_issue_link(berlin)  # a result shown before, which must not stay
    open_in_same_tab(page, "#plan=advanced&schweregrad=3&eingang=gestern")
    wait_for_view(page, view_of("advanced", 3, ""), "plan=advanced&schweregrad=3")
    assert_bad_submission_shown(page)
    assert form(page) == {"plan": "advanced", "severity": "3", "date": "", "time": ""}


def test_clearing_the_time_field_shows_the_message_until_it_is_filled(berlin: Calculator) -> None:
    page = berlin.page
    view = reopen_issue_link(berlin)
    time_field = page.locator("#cci-submitted-time")
    time_field.click()
    time_field.press("Backspace")  # clears the hour, so the field has no value
    wait_for_view(page, view_of("basic", 3, ""), "plan=basic&schweregrad=3")
    assert_bad_submission_shown(page)
    assert form(page)["time"] == ""

    time_field.fill("17:30")
    wait_for_view(page, view, ISSUE)
    expect(page.locator("#cci-submitted-error")).to_have_text("")
    for field in ("#cci-submitted-date", "#cci-submitted-time"):
        assert page.locator(field).get_attribute("aria-invalid") is None


def test_a_link_with_unknown_values_shows_the_notes(berlin: Calculator) -> None:
    page = berlin.page
    open_in_same_tab(page, "#plan=gold&schweregrad=7&eingang=2026-11-27T17:30")
    wait_for_view(page, view_of("basic", 3, "2026-11-27T17:30"), ISSUE)
    notes = page.locator('[data-list="notes"] > li')
    expect(notes).to_have_text([
        "Den Plan „gold“ aus dem Link gibt es nicht; angezeigt wird Basic.",
        "Den Schweregrad „7“ aus dem Link gibt es nicht; angezeigt wird Schweregrad 3.",
    ])
    expect(page.locator('[data-when="notes"]')).to_be_visible()
    reopen_issue_link(berlin)
    expect(page.locator('[data-when="notes"]')).to_be_hidden()


# ─── 3. The form writes the fragment ───────────────────────────────────────


def test_the_form_updates_the_fragment_without_history_entries(berlin: Calculator) -> None:
    page = berlin.page
    reopen_issue_link(berlin)
    entries = page.evaluate("() => history.length")
    root = page.locator(ROOT)

    root.locator('input[name="plan"][value="advanced"]').check()
    fragment = "plan=advanced&schweregrad=3&eingang=2026-11-27T17:30"
    wait_for_view(page, view_of("advanced", 3, "2026-11-27T17:30"), fragment)
    assert href(page) == berlin.base_url + CALCULATOR + "#" + fragment

    root.locator('input[name="schweregrad"][value="2"]').check()
    wait_for_view(page, view_of("advanced", 2, "2026-11-27T17:30"), "plan=advanced&schweregrad=2&eingang=2026-11-27T17:30")

    root.locator("#cci-submitted-date").fill("2026-03-29")
    root.locator("#cci-submitted-time").fill("01:30")
    fragment = "plan=advanced&schweregrad=2&eingang=2026-03-29T01:30"
    wait_for_view(page, view_of("advanced", 2, "2026-03-29T01:30"), fragment)
    assert shown(page)["due"] == "So., 29.03.2026, 06:30\u00a0Uhr"
    assert href(page) == berlin.base_url + CALCULATOR + "#" + fragment
    assert page.evaluate("() => history.length") == entries, "the form added history entries"


def test_the_remaining_time_and_the_now_button_use_the_browser_clock(berlin: Calculator) -> None:
    page = berlin.page
    fragment = "#plan=premium&schweregrad=1&eingang=2026-11-27T16:00"
    open_in_same_tab(page, fragment)
    wait_for_view(page, view_of("premium", 1, "2026-11-27T16:00"), fragment)
    assert shown(page)["remaining"] == "1\u00a0Stunde überfällig"

    page.locator('[data-action="now"]').click()
    wait_for_view(page, view_of("premium", 1, "2026-11-27T17:30"), "plan=premium&schweregrad=1&eingang=2026-11-27T17:30")
    assert shown(page)["remaining"] == "noch 30\u00a0Minuten"
    assert form(page)["date"] == FIXED_WALL[0] and form(page)["time"] == FIXED_WALL[1]


# ─── 4. Clean and accessible ───────────────────────────────────────────────


def test_the_page_is_clean_and_accessible(berlin: Calculator) -> None:
    """No request leaves the local server, no console or page error (page
    and worker), no serious axe violation with a result or the message shown."""
    page = berlin.page
    reopen_issue_link(berlin)
    # At rest: no focused or hovered button (Material's indigo hover colours
    # are not this page's; see the report).
    page.mouse.move(0, 0)
    page.evaluate("() => document.activeElement?.blur()")
    with_result = axe_violations(page)
    open_in_same_tab(page, "#plan=basic&schweregrad=3&eingang=gestern")
    wait_for_view(page, view_of("basic", 3, ""), "plan=basic&schweregrad=3")
    with_error = axe_violations(page)

    problems = log_problems(berlin.log, berlin.base_url)
    problems += axe_problems({"result shown": with_result, "message shown": with_error})
    assert not problems, "\n".join(problems)
    wasm = [url for url in berlin.log.requests if url.endswith(WASM)]
    assert len(wasm) == 1, f"the runtime was fetched {len(wasm)} times"
    assert any("/tzdata-" in url for url in berlin.log.requests), "tzdata was never loaded"


# ─── 5. The visitor's zone, the real clock ─────────────────────────────────


def test_issue8_the_visitors_zone_in_words_and_the_real_clock(browser: Browser, site_server: str) -> None:
    """In New York the due time shows in German time and in the visitor's;
    a jump to the table of all targets keeps the calculator's state; with
    the real clock a ticket that arrives now has "noch …" left."""
    page, log = new_page(browser, "America/New_York", None)
    try:
        page.goto(site_server + CALCULATOR + ISSUE)
        page.evaluate(TRACK_MATERIAL_JS)
        view = view_of("basic", 3, "2026-11-27T17:30", zone="America/New_York", now=None)
        wait_for_view(page, view, ISSUE, BOOT_TIMEOUT_MS, skip=("remaining",))
        visitor = page.locator('[data-when="visitor"]')
        expect(visitor).to_be_visible(timeout=BOOT_TIMEOUT_MS)
        expect(page.locator('[data-slot="due"]')).to_have_text("Di., 01.12.2026, 11:30\u00a0Uhr")
        # issue 8: the visitor's zone in words, with its offset at the due time
        assert shown(page)["visitor"] == ["New York (UTC\u22125)", "Di., 01.12.2026, 05:30\u00a0Uhr"]
        assert norm(visitor.inner_text()) == "Bei Ihnen in New York (UTC\u22125): Di., 01.12.2026, 05:30 Uhr"
        # the fields stay German wall time
        assert form(page) == {"plan": "basic", "severity": "3", "date": "2026-11-27", "time": "17:30"}

        # The table of contents' "Alle Zusagen": the first jump to an anchor
        # makes Material render the page again; the state stays.
        page.locator('nav.md-nav--secondary a[href$="#zusagen"]:visible').click()
        wait_for_view(page, view, ISSUE, skip=("remaining",))
        assert form(page) == {"plan": "basic", "severity": "3", "date": "2026-11-27", "time": "17:30"}
        expect(page.locator("#zusagen")).to_be_in_viewport()

        # Premium, severity 1, arriving now: 30 minutes, rounded down.
        open_in_same_tab(page, "#plan=premium&schweregrad=1")
        remaining = page.locator('[data-slot="remaining"]')
        expect(remaining).to_have_text(re.compile(r"^noch (29|30)\u00a0Minuten$"))
        assert remaining.text_content().startswith("noch ")
        expect(visitor).to_be_visible()
        submitted = "T".join((form(page)["date"], form(page)["time"]))
        expected = view_of("premium", 1, submitted, zone="America/New_York", now=None)
        assert shown(page)["due"] == expected["due"]
        assert shown(page)["visitor"] == [zone_in_words("America/New_York", expected["due_iso"]),
                                          expected["due_visitor"]["due"]]

        problems = log_problems(log, site_server)
        assert not problems, "\n".join(problems)
    finally:
        page.context.close()


# ─── 6. The severity pages link to the preset calculator ────────────────────


def test_severity_link_texts_read_as_written() -> None:
    """The link texts the test below follows, to the character."""
    assert edition_ui("de")["severity_page"]["calculate"].format(level=2) == (
        "Reaktionszeit für ein Ticket mit Schweregrad 2 berechnen")
    assert edition_ui("en")["severity_page"]["calculate"].format(level=2) == (
        "Calculate the response time for a ticket of severity 2")
    assert edition_ui("en")["response_calculator"]["more_severity"].format(level=2) == "More on severity 2"


# A link with a severity but no plan shows the first plan with a target.
FIRST_PLAN = {1: "premium", 2: "advanced", 3: "basic", 4: "basic"}


@pytest.mark.parametrize("lang", EDITIONS)
def test_each_severity_page_links_to_the_preset_calculator(browser: Browser, site_server: str, lang: str) -> None:
    """Schweregrad N → "Reaktionszeit … berechnen" → the calculator with N
    checked; back to N+1 through the calculator's own link; in each edition
    with its link texts, to its own pages. Material's instant navigation
    keeps the worker warm (one boot)."""
    calculate = edition_ui(lang)["severity_page"]["calculate"]
    more = edition_ui(lang)["response_calculator"]["more_severity"]
    calculator_page = edition_page(lang, CALCULATOR)
    page, log = new_page(browser, "Europe/Berlin", FIXED_NOW)
    try:
        serve_sitemap_for(page, site_server)
        # Material intercepts a click only once its sitemap has arrived; an
        # earlier click reloads the page (seen under load): wait for it.
        page.goto(site_server + edition_page(lang, "schweregrade/1/"), wait_until="networkidle")
        page.evaluate(TRACK_MATERIAL_JS)
        page.evaluate("() => { window.__marker = 1; }")
        levels = [severity.level for severity in real_catalog().severities]
        assert levels == [1, 2, 3, 4]
        for level in levels:
            link = page.get_by_role("link", name=calculate.format(level=level))
            # (Material makes the relative href absolute)
            assert link.get_attribute("href").endswith(f"/{calculator_page}#schweregrad={level}")
            link.click()
            page.wait_for_url(site_server + calculator_page + "**")
            view = view_of(FIRST_PLAN[level], level, "T".join(FIXED_WALL), lang=lang)
            wait_for_view(page, view, f"plan={FIRST_PLAN[level]}&schweregrad={level}&eingang=2026-11-27T17:30",
                          BOOT_TIMEOUT_MS)
            expect(page.locator('input[name="schweregrad"]:checked')).to_have_value(str(level))
            expect(page.locator('input[name="plan"]:checked')).to_have_value(FIRST_PLAN[level])
            if level < levels[-1]:
                page.get_by_role("link", name=more.format(level=level + 1), exact=True).click()
                page.wait_for_url(site_server + edition_page(lang, f"schweregrade/{level + 1}/"))
        assert page.evaluate("() => window.__marker") == 1, "a link reloaded the page"
        wasm = [url for url in log.requests if url.endswith(WASM)]
        assert len(wasm) == 1, f"the runtime was fetched {len(wasm)} times"
        problems = log_problems(log, site_server)
        assert not problems, "\n".join(problems)
    finally:
        page.context.close()


# ─── 7. The runtime cannot start ───────────────────────────────────────────


def test_a_runtime_that_cannot_load_leaves_the_targets_table(
    site_server: str, page: Page, page_log: PageLog
) -> None:
    page.context.route("**/assets/pyodide/**", lambda route: route.abort())
    page.goto(site_server + CALCULATOR + ISSUE)
    failed = page.locator('[data-state="failed"]')
    expect(failed).to_be_visible(timeout=FAILURE_TIMEOUT_MS)
    expect(failed.locator('[data-reason="error"]')).to_be_visible()
    expect(failed.locator("[data-reason]:visible")).to_have_count(1)
    expect(failed.locator('a[href$="#zusagen"]')).to_be_visible()
    expect(failed.get_by_role("button", name="Erneut versuchen")).to_be_visible()
    expect(page.locator("form.cci-calc-form")).to_be_visible()
    for hidden in ('[data-state="loading"]', '[data-state="results"]'):
        expect(page.locator(hidden)).to_be_hidden()
    # the static table of all targets still answers
    expect(page.locator("#zusagen")).to_be_visible()
    table = page.locator("#zusagen ~ .cci-table-wrap table")
    expect(table).to_be_visible()
    expect(table.locator("tbody > tr")).to_have_count(len(real_catalog().severities))
    expect(table.locator("tbody > tr").nth(2)).to_contain_text("12\u00a0Arbeitsstunden")
    assert page_log.blocked == []
    assert any("/assets/pyodide/" in url for url in page_log.failed_requests)


# ─── 8. Issue 9: the night clocks go back; issue 8: MEZ or MESZ ────────────

# Sunday 25.10.2026, 01:45 UTC: the second 02:45 of that night (MEZ).
SWITCH_NOW = "2026-10-25T01:45:00.000Z"
REPEATED = "Den 25.10.2026, 02:{minute}\u00a0Uhr gibt es zweimal, weil die Uhren in dieser Nacht " \
           "zurückgestellt werden. Gerechnet wird mit 02:{minute}\u00a0Uhr {zone}; bitte wählen Sie, " \
           "welche Uhrzeit gemeint ist."


@pytest.fixture(scope="module")
def switch_night(browser: Browser, site_server: str) -> Iterator[Calculator]:
    """The calculator opened without a time at 01:45 UTC on 25.10.2026."""
    page, log = new_page(browser, "Europe/Berlin", SWITCH_NOW)
    try:
        page.goto(site_server + CALCULATOR + "#plan=premium&schweregrad=1")
        page.evaluate(TRACK_MATERIAL_JS)
        wait_for_view(page, view_of("premium", 1, SWITCH_NOW, now=SWITCH_NOW),
                      "plan=premium&schweregrad=1&eingang=2026-10-25T02:45%2B01:00", BOOT_TIMEOUT_MS)
        yield Calculator(page, log, site_server)
    finally:
        page.context.close()


def test_issue9_01_now_in_the_repeated_hour_is_due_at_0315(switch_night: Calculator) -> None:
    """"Jetzt" in the second 02:45: due 03:15, not 02:15 and overdue."""
    page = switch_night.page
    state = shown(page)
    assert (state["due"], state["due_zone"]) == ("So., 25.10.2026, 03:15\u00a0Uhr", "MEZ")
    assert state["remaining"] == "noch 30\u00a0Minuten"
    assert state["entry_note"] == REPEATED.format(minute="45", zone="MEZ")
    assert state["choices"] == [["02:45 MESZ", "+02:00", False], ["02:45 MEZ", "+01:00", True]]
    assert form(page) == {"plan": "premium", "severity": "1", "date": "2026-10-25", "time": "02:45"}
    expect(page.locator(".cci-due")).to_have_text(re.compile(r"^So\., 25\.10\.2026, 03:15\sUhr \(deutsche Zeit, MEZ\)$"))
    # the button does the same
    open_in_same_tab(page, "#plan=premium&schweregrad=1&eingang=2026-11-27T17:30")
    wait_for_view(page, view_of("premium", 1, "2026-11-27T17:30", now=SWITCH_NOW),
                  "plan=premium&schweregrad=1&eingang=2026-11-27T17:30")
    page.locator('[data-action="now"]').click()
    wait_for_view(page, view_of("premium", 1, SWITCH_NOW, now=SWITCH_NOW),
                  "plan=premium&schweregrad=1&eingang=2026-10-25T02:45%2B01:00")
    assert shown(page)["due"] == "So., 25.10.2026, 03:15\u00a0Uhr"
    problems = log_problems(switch_night.log, switch_night.base_url)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("eingang", ["2026-10-25T01:30Z", "2026-10-25T02:30%2B01:00"])
def test_issue9_01_a_link_into_the_repeated_hour_keeps_its_offset(switch_night: Calculator, eingang: str) -> None:
    page = switch_night.page
    open_in_same_tab(page, f"#plan=premium&schweregrad=1&eingang={eingang}")
    fragment = "plan=premium&schweregrad=1&eingang=2026-10-25T02:30%2B01:00"
    wait_for_view(page, view_of("premium", 1, "2026-10-25T02:30+01:00", now=SWITCH_NOW), fragment)
    state = shown(page)
    assert (state["due"], state["due_zone"]) == ("So., 25.10.2026, 03:00\u00a0Uhr", "MEZ")
    assert state["choices"] == [["02:30 MESZ", "+02:00", False], ["02:30 MEZ", "+01:00", True]]
    assert form(page)["time"] == "02:30"


def test_issue9_01_the_form_chooses_mesz_or_mez_in_the_repeated_hour(switch_night: Calculator) -> None:
    page = switch_night.page
    open_in_same_tab(page, "#plan=premium&schweregrad=1&eingang=2026-11-27T17:30")
    wait_for_view(page, view_of("premium", 1, "2026-11-27T17:30", now=SWITCH_NOW),
                  "plan=premium&schweregrad=1&eingang=2026-11-27T17:30")
    expect(page.locator('[data-when="choices"]')).to_be_hidden()
    page.locator("#cci-submitted-date").fill("2026-10-25")
    page.locator("#cci-submitted-time").fill("02:30")
    # typed: the first 02:30 (MESZ), said so, with the choice
    wait_for_view(page, view_of("premium", 1, "2026-10-25T02:30", now=SWITCH_NOW),
                  "plan=premium&schweregrad=1&eingang=2026-10-25T02:30%2B02:00")
    state = shown(page)
    assert (state["due"], state["due_zone"]) == ("So., 25.10.2026, 02:00\u00a0Uhr", "MEZ")
    assert state["entry_note"] == REPEATED.format(minute="30", zone="MESZ")
    assert state["entry_zone"] == "MESZ"
    choice = page.get_by_role("group", name="Welche Uhrzeit ist gemeint?")
    expect(choice).to_be_visible()
    # Off the buttons, and without Material's colour transition, so that axe
    # never measures a button halfway between its hover and normal colours.
    page.add_style_tag(content=".md-typeset .md-button { transition: none !important; }")
    page.mouse.move(0, 0)
    problems = axe_problems({"reading choice shown": axe_violations(page)})
    assert not problems, "\n".join(problems)
    choice.get_by_label("02:30 MEZ").check()
    wait_for_view(page, view_of("premium", 1, "2026-10-25T02:30+01:00", now=SWITCH_NOW),
                  "plan=premium&schweregrad=1&eingang=2026-10-25T02:30%2B01:00")
    assert shown(page)["due"] == "So., 25.10.2026, 03:00\u00a0Uhr"
    assert shown(page)["entry_zone"] == "MEZ"
    # another plan keeps the chosen reading
    page.locator('input[name="plan"][value="advanced"]').check()
    wait_for_view(page, view_of("advanced", 1, "2026-10-25T02:30+01:00", now=SWITCH_NOW),
                  "plan=advanced&schweregrad=1&eingang=2026-10-25T02:30%2B01:00")
    page.locator('input[name="schweregrad"][value="2"]').check()
    wait_for_view(page, view_of("advanced", 2, "2026-10-25T02:30+01:00", now=SWITCH_NOW),
                  "plan=advanced&schweregrad=2&eingang=2026-10-25T02:30%2B01:00")
    assert shown(page)["due"] == "So., 25.10.2026, 06:30\u00a0Uhr"
    # a time outside the repeated hour: no choice, no note, no offset in the link
    page.locator("#cci-submitted-time").fill("03:30")
    wait_for_view(page, view_of("advanced", 2, "2026-10-25T03:30", now=SWITCH_NOW),
                  "plan=advanced&schweregrad=2&eingang=2026-10-25T03:30")
    assert shown(page)["choices"] == [] and shown(page)["entry_note"] == ""


def test_issue9_01_a_skipped_time_gets_a_note_and_keeps_its_offset(switch_night: Calculator) -> None:
    page = switch_night.page
    open_in_same_tab(page, "#plan=premium&schweregrad=1&eingang=2027-03-28T02:30")
    wait_for_view(page, view_of("premium", 1, "2027-03-28T02:30", now=SWITCH_NOW),
                  "plan=premium&schweregrad=1&eingang=2027-03-28T02:30%2B01:00")
    state = shown(page)
    assert state["entry_note"] == (
        "Den 28.03.2027, 02:30\u00a0Uhr gibt es nicht, weil die Uhren in dieser Nacht vorgestellt werden. "
        "Gerechnet wird mit 03:30\u00a0Uhr MESZ (= 02:30\u00a0Uhr MEZ)."
    )
    assert (state["due"], state["due_zone"], state["choices"]) == ("So., 28.03.2027, 04:00\u00a0Uhr", "MESZ", [])
    assert form(page)["time"] == "02:30"  # not silently shifted


def test_issue8_the_label_says_mez_or_mesz_for_the_date_entered(switch_night: Calculator) -> None:
    page = switch_night.page
    legend = page.locator("form.cci-calc-form > fieldset").nth(2).locator("legend").first
    for eingang, zone in (("2026-07-01T10:00", "MESZ"), ("2026-12-01T10:00", "MEZ")):
        fragment = f"plan=basic&schweregrad=3&eingang={eingang}"
        open_in_same_tab(page, "#" + fragment)
        wait_for_view(page, view_of("basic", 3, eingang, now=SWITCH_NOW), fragment)
        expect(legend).to_have_text(f"Eingang des Tickets (deutsche Zeit, {zone})")
        assert shown(page)["due_zone"] == zone
