"""Issue 12: the Planberater's data — writer mistakes and one source of truth.

Each new data field refuses a writer's mistake in a real ``mkdocs build``
with ``data/plans.yaml:LINE:COL: path: message`` (the position is where a
snippet of the edited text stands, not a magic number). And a capability
changed in one place changes both the comparison table and the advisor.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from calculator.advisor import advice_view
from tests.catalog import real_catalog
from calculator.browser_api import BrowserApi
from tests.helpers import build_output, build_with_data_edits
from tests.test_data_validation import Build, Expected, Mistake, assert_refused, build_mistakes

CONTACTS_MISS = '      label: Wie viele Personen werden Tickets eröffnen?\n      misses:\n        miss: "{plan}: {value}, Sie brauchen {need}"'
TAM_MISS = '        miss: "{plan}: kein Technical Account Manager"\n'

MISTAKES = {
    "unknown-capability-of-a-plan": Mistake(
        (("      business_account_manager: false\n      quarterly_review: false\n",
          "      business_account_manager: false\n      quarterly_review: false\n      weekend_support: true\n"),),
        (Expected("weekend_support: true", "plans[0].capabilities.weekend_support",
                  'unbekanntes Feld "weekend_support"; erlaubt: around_the_clock, channels, contacts, '
                  "cases_per_quarter, third_party, technical_account_manager, business_account_manager, "
                  "quarterly_review"),)),
    "unknown-capability-of-a-question": Mistake(
        (("    - capability: quarterly_review\n", "    - capability: weekend_support\n"),),
        (Expected("weekend_support\n", "advisor.questions[8].capability",
                  "erwartet eine der Fähigkeiten response_time, support_hours, channels, contacts, "
                  "cases_per_quarter, third_party, technical_account_manager, business_account_manager, "
                  'quarterly_review, gefunden "weekend_support"'),)),
    "miss-text-without-its-placeholder": Mistake(
        ((CONTACTS_MISS, CONTACTS_MISS.replace("Sie brauchen {need}", "Sie brauchen mehr")),),
        (Expected('"{plan}: {value}, Sie brauchen mehr"', "advisor.questions[3].misses.miss",
                  'es fehlt der Platzhalter {need} im Text "{plan}: {value}, Sie brauchen mehr"'),)),
    "question-naming-an-unknown-plan": Mistake(
        ((TAM_MISS, TAM_MISS + '      misses_by_plan:\n        enterprise: "{plan}: nur auf Anfrage"\n'),),
        (Expected('"{plan}: nur auf Anfrage"', "advisor.questions[6].misses_by_plan.enterprise",
                  'erwartet eine der Plan-Ids basic, advanced, premium, gefunden "enterprise"'),)),
    "plan-naming-an-unknown-channel": Mistake(
        (("      channels: [ticket]\n", "      channels: [ticket, fax]\n"),),
        (Expected("fax]", "plans[0].capabilities.channels[1]",
                  'erwartet einen der Kontaktwege ticket, phone, chat, gefunden "fax"'),)),
}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Build]:
    return build_mistakes(tmp_path_factory.mktemp("advisor-mistakes"), MISTAKES)


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_issue12_writer_mistake_fails_the_build_with_file_and_line(name: str, builds: dict[str, Build]) -> None:
    assert_refused(builds[name], MISTAKES[name])


def test_issue12_one_value_changes_table_and_advisor(tmp_path: Path) -> None:
    """Advanced allowing 8 contacts: one edit, and both the table and the advisor follow."""
    site, result = build_with_data_edits(tmp_path, {"contacts: {from: 2, to: 5}": "contacts: {from: 2, to: 8}"})
    assert result.returncode == 0, build_output(result)
    table = BeautifulSoup((site / "vergleich" / "index.html").read_text(encoding="utf-8"), "html.parser")
    cell = table.select_one("#zeile-contacts_and_cases").select("td")[1]
    assert " ".join(cell.get_text(" ").split()) == "2-8 festgelegte Kontaktpersonen Unbegrenzte Anzahl an Fällen"
    catalog_json = next((site / "assets" / "calculator").glob("*/catalog.json")).read_text(encoding="utf-8")
    answer = json.loads(BrowserApi.from_json(catalog_json).handle(
        json.dumps({"type": "advice", "fragment": "kontakte=8"})))
    assert answer["recommended"] == "advanced"
    assert json.loads(BrowserApi.from_json(catalog_json).handle(
        json.dumps({"type": "advice", "fragment": "kontakte=9"})))["plans"][1]["misses"] == [
        "Advanced: 2-8 festgelegte Kontaktpersonen, Sie brauchen 9"]
    matrix = BeautifulSoup((site / "berater" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "Wie viele Personen werden Tickets eröffnen?: 9" in matrix.select_one("table.cci-advisor-matrix").get_text()
    # Negative control: the repository's own data still says 5.
    assert advice_view(real_catalog(), "kontakte=8")["recommended"] == "premium"
