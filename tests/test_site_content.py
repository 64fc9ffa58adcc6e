"""The real site, built by MkDocs, shows every fact of data/plans.yaml.

The expected texts are written out here (an oracle independent of the
templates), and a negative control proves that the pages follow the data.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from calculator import Clock
from calculator.model import ResponseTarget
from tests.catalog import real_catalog
from tests.helpers import build_output, build_with_data_edits

PLANS = ("basic", "advanced", "premium")


def text_of(node: Tag) -> str:
    """Visible text with whitespace (no-break spaces too) collapsed.

    Elements are joined by a space, except before punctuation, so that
    ``<a>Systemstörung</a>: …`` reads "Systemstörung: …".
    """
    text = re.sub(r"\s+", " ", node.get_text(" ")).strip()
    return re.sub(r" ([:,.])", r"\1", text)


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "html.parser")


def article(site: Path, page: str) -> Tag:
    node = soup(site, page).select_one("article")
    assert node is not None, page
    return node


def expected_target(target: ResponseTarget | None) -> str:
    """How a target must read: "< 36 Arbeitsstunden", "< 30 Minuten"…"""
    if target is None:
        return "keine zugesagte Reaktionszeit"
    business = target.clock is Clock.BUSINESS_HOURS
    if target.minutes % 60:
        unit = "Minute" if target.minutes == 1 else "Minuten"
        count = target.minutes
    else:
        count = target.minutes // 60
        unit = "Stunde" if count == 1 else "Stunden"
    if business:
        unit = "Arbeits" + unit.lower()
    return f"< {count} {unit}"


def comparison_cells(site: Path) -> dict[str, dict[str, str]]:
    """Row label → plan name → cell text, from the rendered comparison table."""
    table = article(site, "vergleich").select_one("table.cci-compare")
    assert table is not None
    plans = [text_of(th) for th in table.select("thead th")][1:]
    rows: dict[str, dict[str, str]] = {}
    for tr in table.select("tbody tr"):
        label = text_of(tr.select_one("th"))
        rows[label] = dict(zip(plans, (text_of(td) for td in tr.select("td")), strict=True))
    return rows


# ─── The comparison table ─────────────────────────────────────────────────


def test_comparison_has_every_row_in_data_order(built_site: Path) -> None:
    labels = list(comparison_cells(built_site))
    assert labels == [row.label for row in real_catalog().comparison]
    assert len(labels) == 11


def test_every_comparison_cell_of_the_data_is_on_the_page(built_site: Path) -> None:
    cells = comparison_cells(built_site)
    catalog = real_catalog()
    checked = 0
    for row in catalog.comparison:
        for plan in catalog.plans:
            shown = cells[row.label][plan.name]
            if row.generated == "description":
                wanted = [plan.description]
            elif row.generated == "response_targets":
                wanted = [
                    f"{s.name}: {expected_target(plan.target_for(s.level))}" for s in catalog.severities
                ]
            elif row.generated == "price":
                continue  # checked literally below
            else:
                wanted = list(row.cells[plan.id].lines)
            for line in wanted:
                assert line in shown, (row.label, plan.name, line, shown)
                checked += 1
    assert checked >= 40


def test_comparison_cells_read_as_on_the_vendors_page(built_site: Path) -> None:
    cells = comparison_cells(built_site)
    assert cells["Kontaktform für technischen Support"] == {
        "Basic": "Ticket",
        "Advanced": "Ticket, Telefon",
        "Premium": "Ticket, Telefon, Chat",
    }
    assert cells["Preis"] == {
        "Basic": "Ist bereits enthalten",
        "Advanced": "Ab 1.500 € "
        "+ 19 % bei einer monatlichen CCI-Nutzungsgebühr von 5.000 € – 7.000 € "
        "+ 14 % bei einer monatlichen CCI-Nutzungsgebühr von 7.000 € – 10.000 € "
        "+ 11 % bei einer monatlichen CCI-Nutzungsgebühr von 10.000 € – 20.000 € "
        "+ 8 % bei einer monatlichen CCI-Nutzungsgebühr von über 20.000 €",
        "Premium": "Wählen Sie einen Support für mind. 10.000 € / Monat",
    }
    assert cells["Reaktionszeit"]["Premium"] == (
        "Ausfall eines geschäftskritischen Systems: < 30 Minuten "
        "Defektes Produktionssystem: < 1 Stunde "
        "Systemstörung: < 12 Stunden "
        "Allgemeine Beratung: < 24 Stunden"
    )
    assert cells["Reaktionszeit"]["Basic"].endswith(
        "Systemstörung: < 12 Arbeitsstunden Allgemeine Beratung: < 36 Arbeitsstunden"
    )
    assert cells["Technischer Support"]["Basic"] == (
        "Kontakt zum technischen Supportteam während der Geschäftszeiten *"
    )
    footnote = text_of(soup(built_site, "vergleich").select_one("#fussnote-business_hours"))
    assert footnote == "* Geschäftszeit von 09:00 bis 18:00 Uhr MEZ, ausgenommen an Feiertagen und Wochenenden"


# ─── Plan and severity pages ──────────────────────────────────────────────


@pytest.mark.parametrize("plan_id", PLANS)
def test_plan_page_shows_its_column_and_targets(built_site: Path, plan_id: str) -> None:
    catalog = real_catalog()
    plan = catalog.plan(plan_id)
    page = article(built_site, f"plaene/{plan_id}")
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
        assert targets[f"{severity.level} – {severity.name}"] == expected_target(plan.target_for(severity.level))


EXPECTED_TARGETS = {
    # severity: (Basic, Advanced, Premium), as the vendor's table reads
    1: ("keine zugesagte Reaktionszeit", "keine zugesagte Reaktionszeit", "< 30 Minuten rund um die Uhr"),
    2: ("keine zugesagte Reaktionszeit", "< 4 Stunden rund um die Uhr", "< 1 Stunde rund um die Uhr"),
    3: (
        "< 12 Arbeitsstunden während der Geschäftszeiten",
        "< 12 Stunden rund um die Uhr",
        "< 12 Stunden rund um die Uhr",
    ),
    4: (
        "< 36 Arbeitsstunden während der Geschäftszeiten",
        "< 24 Stunden rund um die Uhr",
        "< 24 Stunden rund um die Uhr",
    ),
}


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_severity_page_shows_definition_example_and_every_plans_target(built_site: Path, level: int) -> None:
    severity = real_catalog().severity(level)
    page = article(built_site, f"schweregrade/{level}")
    assert text_of(page.select_one("h1")).startswith(f"Schweregrad {level}: {severity.name}")
    text = text_of(page)
    assert severity.definition in text and severity.example in text
    row = page.select_one("table tbody tr")
    assert tuple(text_of(td) for td in row.select("td")) == EXPECTED_TARGETS[level]


def test_severity_overview_lists_all_levels_and_the_agreement(built_site: Path) -> None:
    catalog = real_catalog()
    page = article(built_site, "schweregrade")
    text = text_of(page)
    assert catalog.severity_intro in text and catalog.severity_agreement in text
    items = page.select("ol.cci-severities > li")
    assert [item["value"] for item in items] == ["1", "2", "3", "4"]
    assert "(auch: Störung des Produktionssystems)" in text_of(items[1])
    matrix = [[text_of(td) for td in tr.select("td")] for tr in page.select("table tbody tr")]
    assert matrix == [list(EXPECTED_TARGETS[level]) for level in (1, 2, 3, 4)]


# ─── Prices ───────────────────────────────────────────────────────────────

EXAMPLES = [
    # usage fee, Basic, Advanced (with effective rate), Premium
    ("3.000,00 €", "inklusive", "1.500,00 € 50,0 % der Nutzungsgebühr", "ab 10.000,00 €"),
    ("5.000,00 €", "inklusive", "1.500,00 € 30,0 % der Nutzungsgebühr", "ab 10.000,00 €"),
    ("6.000,00 €", "inklusive", "1.690,00 € 28,2 % der Nutzungsgebühr", "ab 10.000,00 €"),
    ("10.000,00 €", "inklusive", "2.300,00 € 23,0 % der Nutzungsgebühr", "ab 10.000,00 €"),
    ("25.000,00 €", "inklusive", "3.800,00 € 15,2 % der Nutzungsgebühr", "ab 10.000,00 €"),
    ("50.000,00 €", "inklusive", "5.800,00 € 11,6 % der Nutzungsgebühr", "ab 10.000,00 €"),
    ("100.000,00 €", "inklusive", "9.800,00 € 9,8 % der Nutzungsgebühr", "ab 10.000,00 €"),
    ("250.000,00 €", "inklusive", "21.800,00 € 8,7 % der Nutzungsgebühr", "ab 10.000,00 €"),
]


def test_price_page_examples_are_computed_to_the_cent(built_site: Path) -> None:
    table = article(built_site, "preise").select_one("table.cci-examples")
    rows = [tuple(text_of(cell) for cell in tr.select("th, td")) for tr in table.select("tbody tr")]
    assert rows == EXAMPLES


def test_price_page_band_table(built_site: Path) -> None:
    page = article(built_site, "preise")
    text = text_of(page)
    assert "Preisliste 2026-01, gültig ab 01.01.2026" in text
    band_rows = [[text_of(td) for td in tr.select("td")] for tr in page.select("table")[0].select("tbody tr")]
    assert band_rows == [
        ["bis 5.000,00 €", "–", "Grundgebühr 1.500,00 €", "1.500,00 €"],
        ["5.000,00 € – 7.000,00 €", "19 %", "380,00 €", "1.880,00 €"],
        ["7.000,00 € – 10.000,00 €", "14 %", "420,00 €", "2.300,00 €"],
        ["10.000,00 € – 20.000,00 €", "11 %", "1.100,00 €", "3.400,00 €"],
        ["über 20.000,00 €", "8 %", "8 % vom Teil über 20.000,00 €", "–"],
    ]


def test_start_and_contact_pages(built_site: Path) -> None:
    catalog = real_catalog()
    start = text_of(article(built_site, "."))
    assert catalog.product["intro"] in start
    for plan in catalog.plans:
        assert plan.name in start and plan.description in start
    contact = article(built_site, "kontakt")
    assert catalog.plan_change["text"] in text_of(contact)
    button = contact.select_one("a.md-button")
    assert (text_of(button), button["href"]) == ("Kontaktieren Sie uns", "https://infraspace.comarch.com/")


def test_links_between_pages_are_relative_and_resolve(built_site: Path) -> None:
    for page in ("vergleich", "plaene/basic", "schweregrade/3", "preise"):
        for link in article(built_site, page).select("a[href]"):
            href = link["href"]
            if href.startswith(("http", "#")):
                continue
            target = (built_site / page / href.split("#")[0]).resolve()
            assert (target / "index.html").is_file() or target.is_file(), (page, href)


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
