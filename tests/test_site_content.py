"""The real site, built by MkDocs, shows every fact of data/plans.yaml.

Both editions (issue 13): each test runs for the German pages and for
their English translations (``lang``), against the same facts with each
edition's texts (data/plans.en.yaml) and notation (``calculator.formats``).
The expected texts are written out here (an oracle independent of the
templates), and a negative control proves that the pages follow the data.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from calculator import Clock, formats_for
from calculator.model import ResponseTarget
from tests.catalog import EDITIONS, edition_catalog, edition_page, edition_ui, real_catalog
from tests.helpers import build_output, build_with_data_edits

PLANS = ("basic", "advanced", "premium")


def text_of(node: Tag) -> str:
    """Visible text with whitespace (no-break spaces too) collapsed.

    Elements are joined by a space, except before punctuation, so that
    ``<a>Systemstörung</a>: …`` reads "Systemstörung: …".
    """
    text = re.sub(r"\s+", " ", node.get_text(" ")).strip()
    return re.sub(r" ([:,.])", r"\1", text)


def soup(site: Path, page: str, lang: str = "de") -> BeautifulSoup:
    """The German page ``page`` ("vergleich", "plaene/basic/", "." for the
    start page) or its translation in edition ``lang``."""
    german = page.strip("/") + "/" if page.strip("/.") else ""
    page = edition_page(lang, german)
    return BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "html.parser")


def article(site: Path, page: str, lang: str = "de") -> Tag:
    """The article of the German page ``page`` ("vergleich") in edition ``lang``."""
    node = soup(site, page, lang).select_one("article")
    assert node is not None, page
    return node


def expected_target(target: ResponseTarget | None, lang: str = "de") -> str:
    """How a target must read: "< 36 Arbeitsstunden", "< 30 Minuten"; in
    English "< 36 business hours", "< 30 minutes" (the edition's words)."""
    if target is None:
        return edition_ui(lang)["parts"]["no_target"]
    return target_text(target.minutes, target.clock, lang)


def target_text(minutes: int, clock: Clock, lang: str) -> str:
    """"< 12 Arbeitsstunden" for 720 minutes on the business-hours clock,
    with the words of edition ``lang``."""
    words = edition_ui(lang)["parts"]
    count, unit = (minutes, "minute") if minutes % 60 else (minutes // 60, "hour")
    if clock is Clock.BUSINESS_HOURS:
        unit = "business_" + unit
    return f"< {count} {words[unit if count == 1 else unit + 's']}"


def comparison_cells(site: Path, lang: str = "de") -> dict[str, dict[str, str]]:
    """Row label → plan name → cell text, from the rendered comparison table."""
    table = article(site, "vergleich", lang).select_one("table.cci-compare")
    assert table is not None
    plans = [text_of(th) for th in table.select("thead th")][1:]
    rows: dict[str, dict[str, str]] = {}
    for tr in table.select("tbody tr"):
        label = text_of(tr.select_one("th"))
        rows[label] = dict(zip(plans, (text_of(td) for td in tr.select("td")), strict=True))
    return rows


# ─── The comparison table ─────────────────────────────────────────────────


@pytest.mark.parametrize("lang", EDITIONS)
def test_comparison_has_every_row_in_data_order(built_site: Path, lang: str) -> None:
    labels = list(comparison_cells(built_site, lang))
    assert labels == [row.label for row in edition_catalog(lang).comparison]
    assert len(labels) == 11


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_comparison_cell_of_the_data_is_on_the_page(built_site: Path, lang: str) -> None:
    cells = comparison_cells(built_site, lang)
    catalog = edition_catalog(lang)
    checked = 0
    for row in catalog.comparison:
        for plan in catalog.plans:
            shown = cells[row.label][plan.name]
            if row.generated == "description":
                wanted = [plan.description]
            elif row.generated == "response_targets":
                wanted = [
                    f"{s.name}: {expected_target(plan.target_for(s.level), lang)}" for s in catalog.severities
                ]
            elif row.generated == "price":
                continue  # checked literally below
            else:
                wanted = list(row.cells[plan.id].lines)
            for line in wanted:
                assert line in shown, (row.label, plan.name, line, shown)
                checked += 1
    assert checked >= 40


# Cells as the vendor's page reads them, per edition (literal, to the character).
VENDOR_CELLS = {
    "de": {
        "contact": ("Kontaktform für technischen Support", {
            "Basic": "Ticket", "Advanced": "Ticket, Telefon", "Premium": "Ticket, Telefon, Chat"}),
        "price": ("Preis", {
            "Basic": "Ist bereits enthalten",
            "Advanced": "Ab 1.500 € "
            "+ 19 % bei einer monatlichen CCI-Nutzungsgebühr von 5.000 € – 7.000 € "
            "+ 14 % bei einer monatlichen CCI-Nutzungsgebühr von 7.000 € – 10.000 € "
            "+ 11 % bei einer monatlichen CCI-Nutzungsgebühr von 10.000 € – 20.000 € "
            "+ 8 % bei einer monatlichen CCI-Nutzungsgebühr von über 20.000 €",
            "Premium": "Wählen Sie einen Support für mind. 10.000 € / Monat",
        }),
        "response": ("Reaktionszeit", (
            "Ausfall eines geschäftskritischen Systems: < 30 Minuten "
            "Defektes Produktionssystem: < 1 Stunde "
            "Systemstörung: < 12 Stunden "
            "Allgemeine Beratung: < 24 Stunden"),
            "Systemstörung: < 12 Arbeitsstunden Allgemeine Beratung: < 36 Arbeitsstunden"),
        "support": ("Technischer Support", "Kontakt zum technischen Supportteam während der Geschäftszeiten *"),
        "footnote": "* Geschäftszeit von 09:00 bis 18:00 Uhr MEZ, ausgenommen an Feiertagen und Wochenenden",
    },
    "en": {
        "contact": ("Contact method for technical support", {
            "Basic": "Ticket", "Advanced": "Ticket, Phone", "Premium": "Ticket, Phone, Chat"}),
        "price": ("Price", {
            "Basic": "Already included",
            "Advanced": "From €1,500 "
            "+ 19% for a monthly CCI usage fee of €5,000 – €7,000 "
            "+ 14% for a monthly CCI usage fee of €7,000 – €10,000 "
            "+ 11% for a monthly CCI usage fee of €10,000 – €20,000 "
            "+ 8% for a monthly CCI usage fee of over €20,000",
            "Premium": "Choose a support plan for at least €10,000 / month",
        }),
        "response": ("Response time", (
            "Failure of a business-critical system: < 30 minutes "
            "Defective production system: < 1 hour "
            "System disruption: < 12 hours "
            "General guidance: < 24 hours"),
            "System disruption: < 12 business hours General guidance: < 36 business hours"),
        "support": ("Technical support", "Contact with the technical support team during business hours *"),
        "footnote": "* Business hours from 09:00 to 18:00 CET, except on public holidays and weekends",
    },
}


@pytest.mark.parametrize("lang", EDITIONS)
def test_comparison_cells_read_as_on_the_vendors_page(built_site: Path, lang: str) -> None:
    cells, want = comparison_cells(built_site, lang), VENDOR_CELLS[lang]
    for key in ("contact", "price"):
        label, row = want[key]
        assert cells[label] == row
    label, premium, basic_end = want["response"]
    assert cells[label]["Premium"] == premium
    assert cells[label]["Basic"].endswith(basic_end)
    label, basic = want["support"]
    assert cells[label]["Basic"] == basic
    footnote = text_of(soup(built_site, "vergleich", lang).select_one("#fussnote-business_hours"))
    assert footnote == want["footnote"]


# ─── Plan and severity pages ──────────────────────────────────────────────


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize("plan_id", PLANS)
def test_plan_page_shows_its_column_and_targets(built_site: Path, plan_id: str, lang: str) -> None:
    catalog = edition_catalog(lang)
    plan = catalog.plan(plan_id)
    page = article(built_site, f"plaene/{plan_id}", lang)
    assert text_of(page.select_one("h1")).startswith(plan.name)
    text = text_of(page)
    for snippet in (plan.title, plan.description, plan.intro, *plan.extras):
        assert snippet in text
    facts = {text_of(dt): text_of(dt.find_next_sibling("dd")) for dt in page.select("dl.cci-facts dt")}
    for row in catalog.comparison:
        if row.generated is None:
            for line in row.cells[plan_id].lines:
                assert line in facts[row.label]
    targets = {
        text_of(tr.select_one("th")): text_of(tr.select("td")[0]) for tr in page.select("table tbody tr")
        if tr.select_one("th") is not None
    }
    for severity in catalog.severities:
        assert targets[f"{severity.level} – {severity.name}"] == expected_target(plan.target_for(severity.level), lang)


BUSINESS, AROUND = Clock.BUSINESS_HOURS, Clock.ROUND_THE_CLOCK
# severity: (Basic, Advanced, Premium) as (minutes, clock) or None, as the vendor's table reads
TARGETS = {
    1: (None, None, (30, AROUND)),
    2: (None, (4 * 60, AROUND), (60, AROUND)),
    3: ((12 * 60, BUSINESS), (12 * 60, AROUND), (12 * 60, AROUND)),
    4: ((36 * 60, BUSINESS), (24 * 60, AROUND), (24 * 60, AROUND)),
}
# The same table written out, to the character.
EXPECTED_TARGETS = {
    "de": {
        1: ("keine zugesagte Reaktionszeit", "keine zugesagte Reaktionszeit", "< 30 Minuten rund um die Uhr"),
        3: ("< 12 Arbeitsstunden während der Geschäftszeiten", "< 12 Stunden rund um die Uhr",
            "< 12 Stunden rund um die Uhr"),
    },
    "en": {
        1: ("no committed response time", "no committed response time", "< 30 minutes around the clock"),
        3: ("< 12 business hours during business hours", "< 12 hours around the clock",
            "< 12 hours around the clock"),
    },
}
SEVERITY_HEADING = {"de": "Schweregrad {level}: {name}", "en": "Severity {level}: {name}"}
ALSO_CALLED = {"de": "(auch: Störung des Produktionssystems)", "en": "(also: Production system disruption)"}


def expected_targets(level: int, lang: str) -> tuple[str, ...]:
    """The row of severity ``level`` in the targets table of edition ``lang``."""
    words = edition_ui(lang)["parts"]
    clock_words = {BUSINESS: words["clock_business_hours"], AROUND: words["clock_around"]}
    return tuple(
        words["no_target"] if spec is None else f"{target_text(*spec, lang)} {clock_words[spec[1]]}"
        for spec in TARGETS[level]
    )


def test_expected_targets_read_as_written() -> None:
    """The table rendered with each edition's words is the literal table."""
    for lang, rows in EXPECTED_TARGETS.items():
        for level, row in rows.items():
            assert expected_targets(level, lang) == row
    assert expected_targets(2, "en")[2] == "< 1 hour around the clock"  # singular


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_severity_page_shows_definition_example_and_every_plans_target(
        built_site: Path, level: int, lang: str) -> None:
    severity = edition_catalog(lang).severity(level)
    page = article(built_site, f"schweregrade/{level}", lang)
    heading = SEVERITY_HEADING[lang].format(level=level, name=severity.name)
    assert text_of(page.select_one("h1")).startswith(heading)
    text = text_of(page)
    assert severity.definition in text and severity.example in text
    row = page.select_one("table tbody tr")
    assert tuple(text_of(td) for td in row.select("td")) == expected_targets(level, lang)


@pytest.mark.parametrize("lang", EDITIONS)
def test_severity_overview_lists_all_levels_and_the_agreement(built_site: Path, lang: str) -> None:
    catalog = edition_catalog(lang)
    page = article(built_site, "schweregrade", lang)
    text = text_of(page)
    assert catalog.severity_intro in text and catalog.severity_agreement in text
    items = page.select("ol.cci-severities > li")
    assert [item["value"] for item in items] == ["1", "2", "3", "4"]
    assert ALSO_CALLED[lang] in text_of(items[1])
    matrix = [[text_of(td) for td in tr.select("td")] for tr in page.select("table tbody tr")]
    assert matrix == [list(expected_targets(level, lang)) for level in (1, 2, 3, 4)]


# ─── Prices ───────────────────────────────────────────────────────────────

D = Decimal
# usage fee, Advanced's price and effective rate (Basic included, Premium from 10.000 €)
EXAMPLES = [
    (D(3000), D(1500), D("50.0")), (D(5000), D(1500), D("30.0")), (D(6000), D(1690), D("28.2")),
    (D(10000), D(2300), D("23.0")), (D(25000), D(3800), D("15.2")), (D(50000), D(5800), D("11.6")),
    (D(100000), D(9800), D("9.8")), (D(250000), D(21800), D("8.7")),
]
PREMIUM_MINIMUM = D(10000)
# The 6.000 € row written out, to the character.
EXAMPLE_ROW = {
    "de": ("6.000,00 €", "inklusive", "1.690,00 € 28,2 % der Nutzungsgebühr", "ab 10.000,00 €"),
    "en": ("€6,000.00", "included", "€1,690.00 28.2% of the usage fee", "from €10,000.00"),
}


def expected_example_rows(lang: str) -> list[tuple[str, str, str, str]]:
    """EXAMPLES in the notation and words of edition ``lang``."""
    fmt, words = formats_for(lang), edition_ui(lang)
    rate = words["price_examples"]["effective_rate"]
    return [
        (fmt.format_eur(usage), words["parts"]["amount_included"],
         f"{fmt.format_eur(advanced)} {rate.format(rate=fmt.format_percent(effective, 1))}",
         words["parts"]["amount_from"].format(amount=fmt.format_eur(PREMIUM_MINIMUM)))
        for usage, advanced, effective in EXAMPLES
    ]


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize("page", ["preise", "rechner"])
def test_price_page_examples_are_computed_to_the_cent(built_site: Path, page: str, lang: str) -> None:
    """The worked examples of the price page and of the calculator."""
    table = article(built_site, page, lang).select_one("table.cci-examples")
    rows = [tuple(text_of(cell) for cell in tr.select("th, td")) for tr in table.select("tbody tr")]
    assert rows == [tuple(" ".join(cell.split()) for cell in row) for row in expected_example_rows(lang)]
    assert rows[2] == EXAMPLE_ROW[lang]


# (lower, upper, rate, surcharge of the full band, price at its end); base fee 1.500 € up to 5.000 €
BANDS = [
    (D(5000), D(7000), D(19), D(380), D(1880)),
    (D(7000), D(10000), D(14), D(420), D(2300)),
    (D(10000), D(20000), D(11), D(1100), D(3400)),
]
OPEN_BAND = (D(20000), D(8))
PRICE_LIST_LINE = {"de": "Preisliste 2026-01, gültig ab 01.01.2026", "en": "Price list 2026-01, valid from 1 Jan 2026"}
FIRST_BAND_ROW = {
    "de": ["bis 5.000,00 €", "–", "Grundgebühr 1.500,00 €", "1.500,00 €"],
    "en": ["up to €5,000.00", "–", "Base fee €1,500.00", "€1,500.00"],
}


def expected_band_rows(lang: str) -> list[list[str]]:
    """The Advanced band table in the notation and words of edition ``lang``."""
    fmt, words = formats_for(lang), edition_ui(lang)["price_rules"]
    eur = fmt.format_eur
    rows = [[words["up_to"].format(amount=eur(D(5000))), "–", words["base_fee"].format(amount=eur(D(1500))),
             eur(D(1500))]]
    rows += [[f"{eur(lower)} – {eur(upper)}", fmt.format_percent(rate), eur(surcharge), eur(end)]
             for lower, upper, rate, surcharge, end in BANDS]
    lower, rate = OPEN_BAND
    rows.append([words["over"].format(amount=eur(lower)), fmt.format_percent(rate),
                 words["rate_over"].format(rate=fmt.format_percent(rate), amount=eur(lower)), "–"])
    return [[" ".join(cell.split()) for cell in row] for row in rows]


@pytest.mark.parametrize("lang", EDITIONS)
def test_price_page_band_table(built_site: Path, lang: str) -> None:
    page = article(built_site, "preise", lang)
    text = text_of(page)
    assert PRICE_LIST_LINE[lang] in text
    band_rows = [[text_of(td) for td in tr.select("td")] for tr in page.select("table")[0].select("tbody tr")]
    assert band_rows == expected_band_rows(lang)
    assert band_rows[0] == FIRST_BAND_ROW[lang]


@pytest.mark.parametrize("lang", EDITIONS)
def test_start_and_contact_pages(built_site: Path, lang: str) -> None:
    catalog = edition_catalog(lang)
    start = text_of(article(built_site, ".", lang))
    assert catalog.product["intro"] in start
    for plan in catalog.plans:
        assert plan.name in start and plan.description in start
    contact = article(built_site, "kontakt", lang)
    assert catalog.plan_change["text"] in text_of(contact)
    button = contact.select_one("a.md-button")
    label = {"de": "Kontaktieren Sie uns", "en": "Contact us"}[lang]
    assert (text_of(button), button["href"]) == (label, "https://infraspace.comarch.com/")


@pytest.mark.parametrize("lang", EDITIONS)
def test_links_between_pages_are_relative_and_resolve(built_site: Path, lang: str) -> None:
    for german in ("vergleich/", "plaene/basic/", "schweregrade/3/", "preise/"):
        page = edition_page(lang, german)
        for link in article(built_site, german, lang).select("a[href]"):
            href = link["href"]
            if href.startswith(("http", "#")):
                continue
            target = (built_site / page / href.split("#")[0]).resolve()
            assert (target / "index.html").is_file() or target.is_file(), (page, href)
            # Each edition links to its own pages (the assets are the root's),
            # except the link to the page's translation (hreflang).
            in_english = (built_site / "en").resolve() in [target, *target.parents]
            own = in_english == (lang == "en") or "/assets/" in target.as_posix()
            assert own or link.has_attr("hreflang"), (page, href)


# ─── Negative control: change the data, the pages change ──────────────────


def test_pages_follow_a_change_of_the_data(tmp_path: Path) -> None:
    site, result = build_with_data_edits(tmp_path, {
        "channels: [ticket, phone, chat]": "channels: [ticket, phone, chat, fax]",
        "    - {id: chat, label: Chat}\n": "    - {id: chat, label: Chat}\n    - {id: fax, label: Fax}\n",
        "{severity: 1, minutes: 30, clock: round_the_clock}": "{severity: 1, minutes: 15, clock: round_the_clock}",
        "base: 1500": "base: 1600",
        # New amounts need a new price list version (data/price_lists.lock).
        'version: "2026-01"': 'version: "2026-07"',
    }, english_edits={"    - {id: chat, label: Chat}\n": "    - {id: chat, label: Chat}\n    - {id: fax, label: Fax}\n"})
    assert result.returncode == 0, build_output(result)
    cells = comparison_cells(site)
    assert cells["Kontaktform für technischen Support"]["Premium"] == "Ticket, Telefon, Chat, Fax"
    assert cells["Reaktionszeit"]["Premium"].startswith("Ausfall eines geschäftskritischen Systems: < 15 Minuten")
    assert cells["Preis"]["Advanced"].startswith("Ab 1.600 €")
    examples = article(site, "preise").select_one("table.cci-examples")
    assert "3.900,00 €" in text_of(examples)  # 25.000 € usage: 1.600 + 2.300
