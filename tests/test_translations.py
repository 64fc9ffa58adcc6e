"""Issue 13: the English texts in ``data/plans.en.yaml``.

The English data is the German data with every text replaced: it passes
the same schema and ``build_catalog``, has exactly the German texts' paths,
keeps every fact, and the loader refuses a missing or extra translation, a
changed placeholder, a repeated fact, a text of the wrong kind, a glossary
term not used and YAML's anchors and tags, each with ``file:line:col``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from calculator import Catalog, build_catalog
from macros.plans_file import PlansFileError, format_path
from macros.translations import (
    GLOSSARY_KEY, glossary_form, load_edition, merge, text_paths,
)
from macros.yaml_source import parse
from tests.helpers import REPO_ROOT
from tests.test_data_validation import position_of

EN_NAME = "data/plans.en.yaml"
EN_TEXT = (REPO_ROOT / EN_NAME).read_text(encoding="utf-8")
SCHEMA = json.loads((REPO_ROOT / "data" / "plans.schema.json").read_text(encoding="utf-8"))
TEXT_COUNT = 402  # texts a visitor reads in data/plans.yaml, each translated (231 of them page texts, ui)

# English texts that are rightly the same words as the German ones.
SAME_IN_BOTH = {
    "advisor.channels[0].label": "Ticket",
    "advisor.channels[2].label": "Chat",
    "advisor.values.business_account_manager": "Business Account Manager",
    "advisor.questions[6].label": "Technical Account Manager",
    "advisor.questions[7].label": "Business Account Manager",
    "messages.response_time.choice": "{time} {zone}",
    "ui.severity_overview.definition": "Definition:",
    "ui.severity_page.definition": "Definition",
    "ui.price_calculator.plan_column": "Plan",
    "ui.advisor.plan": "Plan",
}


@pytest.fixture(scope="module")
def editions() -> tuple[dict, dict]:
    german, _ = load_edition("de", REPO_ROOT)
    english, _ = load_edition("en", REPO_ROOT)
    return german, english


def refusal(tmp_path: Path, english_text: str) -> list[str]:
    """The problem lines load_edition("en") gives with this English file."""
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    for name in ("plans.yaml", "plans.schema.json"):
        shutil.copy(REPO_ROOT / "data" / name, data / name)
    (data / "plans.en.yaml").write_text(english_text, encoding="utf-8")
    with pytest.raises(PlansFileError) as refused:
        load_edition("en", tmp_path)
    return refused.value.problems


def accepted(tmp_path: Path, english_text: str) -> tuple[dict, Catalog]:
    """What load_edition("en") gives with this English file (it must load)."""
    data = tmp_path / "data"
    data.mkdir()
    for name in ("plans.yaml", "plans.schema.json"):
        shutil.copy(REPO_ROOT / "data" / name, data / name)
    (data / "plans.en.yaml").write_text(english_text, encoding="utf-8")
    return load_edition("en", tmp_path)


def edited(old: str, new: str) -> str:
    assert EN_TEXT.count(old) == 1, old
    return EN_TEXT.replace(old, new)


def at(text: str, snippet: str, skip: int = 0) -> str:
    """``file:line:col`` of ``snippet`` (unique in ``text``), ``skip`` characters on."""
    line, column = position_of(text, snippet)
    return f"{EN_NAME}:{line}:{column + skip}"


# ─── The real English data ─────────────────────────────────────────────────


def test_english_data_passes_the_schema_and_builds_a_catalog_in_english(editions) -> None:
    german, english = editions
    plain = json.loads(json.dumps(english, default=str))
    assert list(Draft202012Validator(SCHEMA).iter_errors(plain)) == []
    catalog = build_catalog(english)
    assert [plan.title for plan in catalog.plans] == ["Basic support", "Advanced support", "Premium support"]
    assert [plan.name for plan in catalog.plans] == ["Basic", "Advanced", "Premium"]
    assert catalog.legal.operator == "Comarch AG – operator of this website"
    # Same facts: the English catalog prices a usage fee to the cent like the German one.
    assert english["plans"][1]["price"] == german["plans"][1]["price"]
    assert english["business_hours"]["holidays"][1] == {"name": "Good Friday", "easter": -2}


def test_every_german_text_has_one_english_text_and_nothing_else(editions) -> None:
    german, english = editions
    german_texts = dict(text_paths(german, SCHEMA))
    english_texts = dict(text_paths(english, SCHEMA))
    assert len(german_texts) == TEXT_COUNT
    assert list(english_texts) == list(german_texts)
    same = {format_path(path): text for path, text in english_texts.items() if text == german_texts[path]}
    assert same == SAME_IN_BOTH
    # Every other value is a fact, written once: swapping the German texts
    # back gives the German data exactly.
    assert merge(english, german_texts) == german
    assert english != german


def test_english_texts_are_not_german(editions) -> None:
    _, english = editions
    german_letters = [(format_path(path), text) for path, text in text_paths(english, SCHEMA)
                      if set(text) & set("äöüÄÖÜß„")]
    assert german_letters == []


def test_the_glossary_is_used_and_each_term_occurs(editions) -> None:
    german, english = editions
    glossary = parse(EN_TEXT).data[GLOSSARY_KEY]
    assert {"de": "Arbeitsstunde", "en": "business hour"} in glossary
    german_texts = dict(text_paths(german, SCHEMA))
    english_texts = dict(text_paths(english, SCHEMA))
    for entry in glossary:
        uses = [path for path, text in german_texts.items() if entry["de"] in text]
        assert uses, f"glossary term {entry['de']!r} occurs in no German text"
        assert all(glossary_form(entry["en"]) in glossary_form(english_texts[path]) for path in uses), entry
    assert english["advisor"]["values"]["work_hours"] == "business hours"


def test_german_edition_is_the_german_data(editions) -> None:
    german, _ = editions
    assert german["plans"][1]["title"] == "Erweiterter Support"
    assert GLOSSARY_KEY not in german


# ─── Refusals ──────────────────────────────────────────────────────────────


def test_missing_translation(tmp_path: Path) -> None:
    text = edited("    also_called: Production system disruption\n", "")
    assert refusal(tmp_path, text) == [
        f"{at(text, 'level: 2')}: severities[1].also_called: englische Übersetzung fehlt"]


def test_missing_translations_of_a_plan(tmp_path: Path) -> None:
    text = edited("    title: Advanced support\n", "")
    text = text.replace("    description: >-\n      Prioritised case handling and assistance tailored to your business\n"
                        "      needs\n", "")
    assert refusal(tmp_path, text) == [
        # Both at the plan's first line; same place, so ordered by path.
        f"{at(text, 'id: advanced')}: plans[1].description: englische Übersetzung fehlt",
        f"{at(text, 'id: advanced')}: plans[1].title: englische Übersetzung fehlt"]


def test_extra_key(tmp_path: Path) -> None:
    text = edited("    title: Advanced support\n", "    title: Advanced support\n    slogan: Fast help\n")
    assert refusal(tmp_path, text) == [
        f"{at(text, 'slogan')}: plans[1].slogan: englische Übersetzung ohne deutschen Text "
        "in data/plans.yaml; entfernen"]


def test_extra_list_item(tmp_path: Path) -> None:
    text = edited("    - name: Boxing Day\n", "    - name: Boxing Day\n    - name: Christmas Eve\n")
    assert refusal(tmp_path, text) == [
        f"{at(text, 'name: Christmas Eve')}: business_hours.holidays[9]: englische Übersetzung ohne "
        "deutschen Text in data/plans.yaml; entfernen"]


def test_page_texts_missing_and_extra(tmp_path: Path) -> None:
    """The ui section (page texts) is checked like every other text."""
    text = edited("    home: To the start page\n", "")
    text = text.replace("  update_notice:\n", "  update_notice:\n    later: Later\n")
    assert refusal(tmp_path, text) == [
        f"{at(text, 'not_found:')}: ui.not_found.home: englische Übersetzung fehlt",
        f"{at(text, 'later: Later')}: ui.update_notice.later: englische Übersetzung ohne deutschen Text "
        "in data/plans.yaml; entfernen"]


def test_page_text_placeholder_changed(tmp_path: Path) -> None:
    text = edited('counted_times: "{from}–{to}"', 'counted_times: "{from} to {end}"')
    assert refusal(tmp_path, text) == [
        f"{at(text, '\"{from} to')}: ui.response_calculator.counted_times: erwartet die Platzhalter "
        "{from}, {to} wie im deutschen Text, gefunden {end}, {from}"]


def test_changed_placeholder(tmp_path: Path) -> None:
    text = edited('"{plan}: no contact by {need} (only {value})"', '"{plan}: no contact by {needs} (only {value})"')
    assert refusal(tmp_path, text) == [
        f"{at(text, '\"{plan}: no contact by')}: advisor.questions[2].misses.miss: erwartet die Platzhalter "
        "{need}, {plan}, {value} wie im deutschen Text, gefunden {needs}, {plan}, {value}"]


def test_dropped_placeholder(tmp_path: Path) -> None:
    text = edited('remaining: "{duration} left"', "remaining: time left")
    assert refusal(tmp_path, text) == [
        f"{at(text, 'time left')}: messages.response_time.remaining: erwartet die Platzhalter "
        "{duration} wie im deutschen Text, gefunden keine"]


def test_repeated_fact(tmp_path: Path) -> None:
    text = edited("  zone_label: CET\n", '  zone_label: CET\n  opens: "09:00"\n')
    text = text.replace("    title: Advanced support\n", "    title: Advanced support\n    price: {base: 1500}\n")
    assert refusal(tmp_path, text) == [
        f"{at(text, 'base: 1500')}: plans[1].price.base: sprachunabhängige Angabe: steht nur in "
        "data/plans.yaml; hier entfernen",
        f"{at(text, 'opens:')}: business_hours.opens: sprachunabhängige Angabe: steht nur in "
        "data/plans.yaml; hier entfernen"]


def test_repeated_language_neutral_name(tmp_path: Path) -> None:
    """A plan's name is the same in every language: written once, in German."""
    text = edited("    title: Basic support\n", "    name: Basic\n    title: Basic support\n")
    assert refusal(tmp_path, text) == [
        f"{at(text, 'name: Basic')}: plans[0].name: sprachunabhängige Angabe: steht nur in "
        "data/plans.yaml; hier entfernen"]


def test_non_text_where_a_text_belongs(tmp_path: Path) -> None:
    text = edited("    days: days\n", "    days: 3\n").replace("    hours_one: hour\n", "    hours_one: [hour]\n")
    assert refusal(tmp_path, text) == [
        f"{at(text, 'days: 3', 6)}: messages.response_time.days: erwartet einen Text, gefunden 3",
        f"{at(text, '[hour]')}: messages.response_time.hours_one: erwartet einen Text, gefunden eine Liste"]


def test_empty_text(tmp_path: Path) -> None:
    text = edited("    days_one: day\n", '    days_one: ""\n')
    assert refusal(tmp_path, text) == [
        f"{at(text, '\"\"')}: messages.response_time.days_one: erwartet einen nicht leeren Text, gefunden \"\""]


def test_item_moved_to_another_plan(tmp_path: Path) -> None:
    text = edited("  - id: basic\n", "  - id: basik\n")
    assert refusal(tmp_path, text) == [
        f"{at(text, 'basik')}: plans[0].id: erwartet id: \"basic\" wie an dieser Stelle in data/plans.yaml, "
        "gefunden \"basik\""]


def test_item_without_its_level(tmp_path: Path) -> None:
    text = edited("  - level: 4\n    name: General guidance\n", "  - name: General guidance\n")
    assert refusal(tmp_path, text) == [
        f"{at(text, 'name: General guidance')}: severities[3]: Pflichtfeld \"level\" fehlt; erwartet level: 4 "
        "wie in data/plans.yaml"]


def test_alias_is_refused(tmp_path: Path) -> None:
    text = edited("      basic: Not included\n      advanced: Not included\n",
                  "      basic: &na Not included\n      advanced: *na\n")
    assert refusal(tmp_path, text) == [
        f"{at(text, '&na')}: Anker \"&na\" nicht erlaubt: die Daten kennen keine Anker und Aliase "
        "(&name, *name); den Wert ausschreiben"]


def test_tag_is_refused(tmp_path: Path) -> None:
    text = edited("    - {id: phone, label: Phone}\n", "    - {id: phone, label: !!str Phone}\n")
    assert refusal(tmp_path, text) == [
        f"{at(text, '!!str')}: Tag \"!!str\" nicht erlaubt: die Daten kennen keine Tags (!…, !!…); den Tag entfernen"]


def test_glossary_term_not_used(tmp_path: Path) -> None:
    text = edited("    label: Response time\n", "    label: Reaction time\n")
    assert refusal(tmp_path, text) == [
        f"{at(text, 'Reaction time')}: comparison[5].label: Glossar: der deutsche Text sagt \"Reaktionszeit\", "
        "die Übersetzung nicht \"response time\""]


def test_glossary_term_hyphenated_as_a_compound_is_used(tmp_path: Path) -> None:
    """"Reaktionszeit-Rechner" is the "response-time calculator": the hyphen
    joins the glossary's "response time" into a compound, as English writes it."""
    text = edited("    label: Response time\n", "    label: Response-time commitment\n")
    english, _ = accepted(tmp_path, text)
    assert english["comparison"][5]["label"] == "Response-time commitment"
    assert english["ui"]["response_calculator"]["what"] == "The response-time calculator"


def test_bad_glossary_entry(tmp_path: Path) -> None:
    text = edited("  - {de: Prüfsumme, en: checksum}\n", "  - {de: Prüfsumme}\n")
    assert refusal(tmp_path, text) == [
        f"{at(text, '{de: Prüfsumme}')}: glossary[12]: erwartet einen Eintrag {{de: Begriff, en: term}} mit zwei "
        "nicht leeren Texten, gefunden eine Zuordnung"]


def test_missing_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for name in ("plans.yaml", "plans.schema.json"):
        shutil.copy(REPO_ROOT / "data" / name, data / name)
    with pytest.raises(PlansFileError) as refused:
        load_edition("en", tmp_path)
    assert refused.value.problems == ["data/plans.en.yaml: Datei nicht gefunden"]


def test_unchanged_copy_is_accepted(tmp_path: Path) -> None:
    """Negative control for the refusals: the same setup with the real file loads."""
    data = tmp_path / "data"
    data.mkdir()
    for name in ("plans.yaml", "plans.schema.json", "plans.en.yaml"):
        shutil.copy(REPO_ROOT / "data" / name, data / name)
    english, catalog = load_edition("en", tmp_path)
    assert catalog.plans[2].title == "Premium support"
    assert english["messages"]["response_time"]["zone_summer"] == "CEST"


def test_glossary_check_ignores_a_term_the_german_text_lacks(tmp_path: Path) -> None:
    """Negative control: a glossary term only bites where German uses it."""
    text = edited("  - {de: MESZ, en: CEST}\n", "  - {de: MESZ, en: CEST}\n  - {de: Mondfinsternis, en: lunar eclipse}\n")
    assert accepted(tmp_path, text)[1].plans[0].title == "Basic support"


def test_unknown_edition_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown edition 'fr'"):
        load_edition("fr", REPO_ROOT)


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    text = EN_TEXT + "#" * (1_000_001 - len(EN_TEXT.encode("utf-8"))) + "\n"
    assert refusal(tmp_path, text) == [
        f"{EN_NAME}:1:1: die Datei ist 1.000.002 Bytes groß; erlaubt sind höchstens 1.000.000 Bytes (1 MB)"]


def test_readme_example_is_what_the_loader_says(tmp_path: Path) -> None:
    """The writer section's example line is the real message for that mistake."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    example = next(line for line in readme.splitlines() if line.startswith(f"{EN_NAME}:"))
    text = edited("    description: >-\n      Prioritised case handling and assistance tailored to your business\n"
                  "      needs\n", "")
    assert refusal(tmp_path, text) == [example]
    assert example == f"{at(text, 'id: advanced')}: plans[1].description: englische Übersetzung fehlt"
