"""A bad ``data/plans.yaml`` fails the build with file, line and a plain message.

Each writer's mistake below is the real data file with one targeted edit
(the snippet must be found, so no case can pass vacuously). The expected
position is not a magic number: it is where a snippet of the *edited* text
stands. Every mistake is checked twice: fast, through ``load_plans``, and
through a real ``mkdocs build`` that must exit 1, print the exact problem
line and leave no site behind.
"""

from __future__ import annotations

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from macros.plans_file import PlansFileError, format_path, load_plans, parse_path
from macros.yaml_source import parse
from tests.helpers import REPO_ROOT, build_output, copy_project, run_build

DISPLAY_NAME = "data/plans.yaml"
DATA_FILE = REPO_ROOT / DISPLAY_NAME
SCHEMA_FILE = REPO_ROOT / "data" / "plans.schema.json"
REAL_TEXT = DATA_FILE.read_text(encoding="utf-8")


# ─── Mistakes: an edit and the problem lines it must produce ───────────────


@dataclass(frozen=True)
class Expected:
    """One expected problem line.

    ``at`` is a snippet that occurs exactly once in the edited text and
    starts where the problem points (None: line 1, column 1). ``message``
    may name ``{first_line}``, the line of the snippet ``first``.
    """

    at: str | None
    path: str
    message: str
    first: str | None = None

    def line(self, edited: str) -> str:
        """The full problem line, ``data/plans.yaml:LINE:COL: path: message``."""
        line, column = position_of(edited, self.at) if self.at else (1, 1)
        message = self.message
        if self.first:
            message = message.format(first_line=position_of(edited, self.first)[0])
        where = f"{DISPLAY_NAME}:{line}:{column}"
        return f"{where}: {self.path}: {message}" if self.path else f"{where}: {message}"


@dataclass(frozen=True)
class Mistake:
    """Edits of the real data file, (unique snippet, replacement) each."""

    edits: tuple[tuple[str, str], ...]
    expected: tuple[Expected, ...]
    whole_file: str | None = field(default=None)  # replaces the file instead

    def apply(self, text: str) -> str:
        """The edited text; fails if a snippet is not found exactly once."""
        if self.whole_file is not None:
            return self.whole_file
        for old, new in self.edits:
            assert text.count(old) == 1, f"snippet not found exactly once: {old!r}"
            text = text.replace(old, new)
        return text

    def lines(self, edited: str) -> list[str]:
        return [expected.line(edited) for expected in self.expected]


def position_of(text: str, snippet: str) -> tuple[int, int]:
    """1-based line and column where ``snippet`` (unique in ``text``) starts."""
    assert text.count(snippet) == 1, f"snippet not found exactly once: {snippet!r}"
    offset = text.index(snippet)
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def mistake(old: str, new: str, at: str | None, path: str, message: str, **kw: Any) -> Mistake:
    """A mistake made by one edit that causes one problem."""
    return Mistake(edits=((old, new),), expected=(Expected(at, path, message, **kw),))


RATE_AS_TEXT = ("{from: 10000, to: 20000, rate: 11}", "{from: 10000, to: 20000, rate: 19 Prozent}")
UNKNOWN_CLOCK = ("{severity: 4, hours: 36, clock: business_hours}",
                 "{severity: 4, hours: 36, clock: office_hours}")

MISTAKES = {
    # The twelve the issue asks for.
    "syntax-error": mistake(
        "    name: Basic\n", "    name: Basic: Planname\n", ": Planname", "",
        'YAML-Syntaxfehler: ein Doppelpunkt mit Leerzeichen ist hier nicht erlaubt; '
        'einen Text mit ": " in Anführungszeichen setzen'),
    "tab-indentation": mistake(
        "    name: Advanced\n", "\tname: Advanced\n", "\tname: Advanced", "",
        "Tabulator zum Einrücken verwendet; mit Leerzeichen einrücken"),
    "unknown-key": mistake(
        "      base: 1500\n", "      bse: 1500\n", "bse: 1500", "plans[1].price.bse",
        'unbekanntes Feld "bse"; erlaubt: base, minimum, from, bands'),
    "missing-plan-price": mistake(
        "    price:\n      included: true\n", "", "id: basic", "plans[0].price",
        'Pflichtfeld "price" fehlt'),
    "bands-out-of-order": Mistake(
        edits=(("        - {from: 7000, to: 10000, rate: 14}\n"
                "        - {from: 10000, to: 20000, rate: 11}\n",
                "        - {from: 10000, to: 20000, rate: 11}\n"
                "        - {from: 7000, to: 10000, rate: 14}\n"),),
        expected=(
            Expected("10000, to: 20000", "plans[1].price.bands[1].from",
                     "Lücke zwischen Spannen: erwartet 7000 (das `to` der vorigen Spanne), gefunden 10000"),
            Expected("7000, to: 10000", "plans[1].price.bands[2].from",
                     "Spannen müssen aufsteigen: erwartet 20000 (das `to` der vorigen Spanne), gefunden 7000"),
        ),
    ),
    "gap-between-bands": mistake(
        "{from: 7000, to: 10000, rate: 14}", "{from: 7500, to: 10000, rate: 14}", "7500",
        "plans[1].price.bands[1].from",
        "Lücke zwischen Spannen: erwartet 7000 (das `to` der vorigen Spanne), gefunden 7500"),
    "negative-rate": mistake(
        "rate: 19}", "rate: -19}", "-19}", "plans[1].price.bands[0].rate",
        "erwartet einen Prozentsatz zwischen 0 und 100, gefunden -19"),
    "rate-as-text": mistake(
        *RATE_AS_TEXT, "19 Prozent", "plans[1].price.bands[2].rate",
        'erwartet einen Prozentsatz zwischen 0 und 100, gefunden "19 Prozent"'),
    "duplicate-plan-id": mistake(
        "  - id: advanced\n    name: Advanced\n", "  - id: basic\n    name: Advanced\n",
        "basic\n    name: Advanced", "plans[1].id", 'id "basic" kommt doppelt vor; jeder Wert von id darf nur einmal vorkommen'),
    "unknown-severity": mistake(
        "{severity: 2, hours: 4, clock: round_the_clock}",
        "{severity: 5, hours: 4, clock: round_the_clock}", "5, hours: 4",
        "plans[1].response_targets[0].severity",
        "erwartet einen der Schweregrade 1, 2, 3, 4, gefunden 5"),
    "time-as-number": mistake(
        '  opens: "09:00"\n', "  opens: 9\n", "9\n", "business_hours.opens",
        'erwartet eine Uhrzeit in der Form "HH:MM", etwa "09:00", gefunden 9'),
    "empty-file": Mistake(
        edits=(), whole_file="",
        expected=(Expected(None, "", "die Datei ist leer; erwartet werden die Plandaten"),)),
    # More, where cheap.
    "duplicate-yaml-key": mistake(
        "  short_name: CCI\n", "  short_name: CCI\n  name: Infraspace\n", "name: Infraspace",
        "product.name",
        'doppeltes Feld "name"; steht schon in Zeile {first_line}',
        first="name: Comarch Cloud Infraspace"),
    "unknown-clock": mistake(
        *UNKNOWN_CLOCK, "office_hours", "plans[0].response_targets[1].clock",
        'erwartet einen der Werte business_hours, round_the_clock, gefunden "office_hours"'),
    "date-that-does-not-exist": mistake(
        "  extra_closed_days: []\n", "  extra_closed_days: [2026-02-30]\n", "2026-02-30",
        "business_hours.extra_closed_days[0]",
        'erwartet ein Datum, das es im Kalender gibt, gefunden "2026-02-30"'),
    "unknown-zone": mistake(
        "  zone: Europe/Berlin\n", "  zone: Europe/Berlinn\n", "Europe/Berlinn",
        "business_hours.zone",
        'erwartet einen Zeitzonennamen der tz-Datenbank, etwa "Europe/Berlin", '
        'gefunden "Europe/Berlinn"'),
    "several-problems-at-once": Mistake(
        edits=(RATE_AS_TEXT, UNKNOWN_CLOCK),
        expected=(
            Expected("office_hours", "plans[0].response_targets[1].clock",
                     'erwartet einen der Werte business_hours, round_the_clock, gefunden "office_hours"'),
            Expected("19 Prozent", "plans[1].price.bands[2].rate",
                     'erwartet einen Prozentsatz zwischen 0 und 100, gefunden "19 Prozent"'),
        ),
    ),
    "cell-for-unknown-plan": mistake(
        "      basic: Allgemein\n", "      basic: Allgemein\n      enterprise: Allgemein\n",
        "Allgemein\n      advanced: Abhängig", "comparison[6].cells.enterprise",
        'erwartet eine der Plan-Ids basic, advanced, premium, gefunden "enterprise"'),
    "missing-cell-for-plan": mistake(
        "    cells:\n      basic: Allgemein\n", "    cells:\n", "cells:\n      advanced: Abhängig",
        "comparison[6].cells", 'es fehlt die Zelle für den Plan "basic"'),
    "hours-and-minutes": mistake(
        "{severity: 1, minutes: 30,", "{severity: 1, minutes: 30, hours: 1,",
        "{severity: 1, minutes: 30, hours: 1", "plans[2].response_targets[0]",
        "erwartet genau eines der Felder hours, minutes, gefunden hours und minutes"),
    "thousands-separator-in-amount": mistake(
        "      base: 1500\n", "      base: 1.500\n", "1.500", "plans[1].price.base",
        "erwartet einen Betrag mit höchstens zwei Nachkommastellen und ohne Tausenderpunkt "
        "(1500, nicht 1.500), gefunden 1.500"),
    "yes-is-not-a-boolean": mistake(
        "  net: true\n", "  net: yes\n", "yes", "price_list.net",
        'erwartet true oder false, gefunden "yes"'),
}
MISTAKE_IDS = list(MISTAKES)


@pytest.mark.parametrize("name", MISTAKE_IDS)
def test_load_plans_reports_the_mistake(name: str, tmp_path: Path) -> None:
    """Fast: load_plans refuses the edited file with exactly these lines."""
    case = MISTAKES[name]
    edited = case.apply(REAL_TEXT)
    with pytest.raises(PlansFileError) as refused:
        load_plans(write_data(tmp_path, edited), display_name=DISPLAY_NAME)
    wanted = case.lines(edited)
    assert [p for p in refused.value.problems if p in wanted] == wanted, str(refused.value)
    assert str(refused.value) == "\n".join(refused.value.problems)


@dataclass(frozen=True)
class Build:
    """A real build of the project with an edited data file."""

    edited: str
    site: Path
    proc: subprocess.CompletedProcess[str]


def build_with(folder: Path, edited: str, remove: str | None = None) -> Build:
    """Copy the project into ``folder``, put ``edited`` in its data file, build.

    ``remove`` names a page under docs/ to delete from the copy first.
    """
    project = copy_project(folder / "project")
    (project / DISPLAY_NAME).write_text(edited, encoding="utf-8")
    if remove:
        (project / "docs" / remove).unlink()
    site = folder / "site"
    return Build(edited, site, run_build(project, site))


@pytest.fixture(scope="module")
def mistake_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Build]:
    return build_mistakes(tmp_path_factory.mktemp("mistakes"), MISTAKES)


def build_mistakes(root: Path, mistakes: dict[str, Mistake]) -> dict[str, Build]:
    """One build per mistake, run side by side (each aborts in about a second)."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = {
            name: pool.submit(build_with, root / name, case.apply(REAL_TEXT))
            for name, case in mistakes.items()
        }
        return {name: future.result() for name, future in futures.items()}


def assert_refused(build: Build, mistake: Mistake) -> None:
    """The build exited 1, printed each problem line of ``mistake`` and wrote no site."""
    assert build.proc.returncode == 1, build_output(build.proc)
    output = (build.proc.stdout + build.proc.stderr).splitlines()
    for line in mistake.lines(build.edited):
        assert line in output, f"missing line:\n{line}\n{build_output(build.proc)}"
    assert not build.site.exists()


@pytest.mark.parametrize("name", MISTAKE_IDS)
def test_build_fails_with_the_mistake(name: str, mistake_builds: dict[str, Build]) -> None:
    """A real build exits 1, prints each problem line and writes no site."""
    assert_refused(mistake_builds[name], MISTAKES[name])


def test_build_leaves_an_existing_site_untouched(tmp_path: Path) -> None:
    """A refused file stops the build before the old site is cleaned."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "marker.txt").write_text("old site", encoding="utf-8")
    build = build_with(tmp_path, MISTAKES["rate-as-text"].apply(REAL_TEXT))
    assert build.proc.returncode == 1, build_output(build.proc)
    assert [p.name for p in site.iterdir()] == ["marker.txt"]
    assert (site / "marker.txt").read_text(encoding="utf-8") == "old site"


def test_build_accepts_unquoted_times_and_dates(tmp_path: Path) -> None:
    """Positive control: a valid variant (18:00 and a date unquoted) builds."""
    variant = Mistake(
        edits=(('  closes: "18:00"\n', "  closes: 18:00\n"),
               ("  extra_closed_days: []\n", "  extra_closed_days: [2026-12-24]\n")),
        expected=(),
    ).apply(REAL_TEXT)
    catalog = load_plans(write_data(tmp_path, variant), display_name=DISPLAY_NAME)
    assert catalog.business_hours.closes == time(18, 0)
    assert catalog.business_hours.extra_closed_days == (date(2026, 12, 24),)
    build = build_with(tmp_path, variant)
    assert build.proc.returncode == 0, build_output(build.proc)
    assert (build.site / "index.html").is_file()


# ─── load_plans without a build ────────────────────────────────────────────


def write_data(folder: Path, text: str) -> Path:
    """A data file with ``text`` beside a copy of the schema."""
    (folder / "plans.schema.json").write_text(SCHEMA_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    path = folder / "plans.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def refusal(folder: Path, text: str | bytes) -> list[str]:
    """The problem lines load_plans gives for a data file with this content."""
    path = write_data(folder, "")
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    with pytest.raises(PlansFileError) as refused:
        load_plans(path, display_name=DISPLAY_NAME)
    return refused.value.problems


def test_real_data_loads() -> None:
    catalog = load_plans(DATA_FILE, display_name=DISPLAY_NAME)
    assert [plan.id for plan in catalog.plans] == ["basic", "advanced", "premium"]
    assert catalog.plan("advanced").price.bands[0].rate == Decimal("19")


def test_negative_control_the_real_text_has_no_mistake(tmp_path: Path) -> None:
    """The harness itself: the unedited text in the same setup loads."""
    assert len(load_plans(write_data(tmp_path, REAL_TEXT), DISPLAY_NAME).plans) == 3


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("# only a comment\n", "data/plans.yaml:1:1: die Datei ist leer; erwartet werden die Plandaten"),
        ("- basic\n- advanced\n",
         "data/plans.yaml:1:1: erwartet eine Zuordnung der obersten Felder (product, plans, …), "
         "gefunden eine Liste"),
        (b"product:\n  name: Caf\xe9\n", "data/plans.yaml:2:12: die Datei ist kein UTF-8-Text; als UTF-8 speichern"),
        ("a: 1\n---\nb: 2\n",
         'data/plans.yaml:2:1: YAML-Syntaxfehler: erwartet ein einziges Dokument, gefunden ein zweites ("---")'),
    ],
    ids=["comments-only", "top-level-list", "not-utf-8", "two-documents"],
)
def test_refusals_of_the_whole_file(tmp_path: Path, content: str | bytes, expected: str) -> None:
    assert refusal(tmp_path, content) == [expected]


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(PlansFileError) as refused:
        load_plans(tmp_path / "plans.yaml", display_name=DISPLAY_NAME)
    assert refused.value.problems == ["data/plans.yaml: Datei nicht gefunden"]


def test_problems_are_sorted_by_line(tmp_path: Path) -> None:
    lines = refusal(tmp_path, "zzz: 1\nplans: []\n")
    numbers = [int(line.split(":")[1]) for line in lines]
    assert numbers == sorted(numbers) and len(lines) > 2


# ─── The YAML loader ───────────────────────────────────────────────────────


def test_loader_has_no_yaml_1_1_surprises() -> None:
    data = parse(
        "time: 18:00\nword: yes\noff: off\nday: 2026-01-01\nzero: 0900\nrate: 19.50\n"
        "exp: 1e3\nflag: true\nnothing: ~\n"
    ).data
    assert data == {
        "time": "18:00", "word": "yes", "off": "off", "day": "2026-01-01", "zero": 900,
        "rate": Decimal("19.50"), "exp": Decimal("1E+3"), "flag": True, "nothing": None,
    }
    assert isinstance(data["zero"], int) and str(data["rate"]) == "19.50"


def test_loader_records_positions_and_duplicates() -> None:
    document = parse("a:\n  b: [1, {c: x}]\n  b: 2\nd:\n  - e\n")
    assert document.data == {"a": {"b": [1, {"c": "x"}]}, "d": ["e"]}
    assert document.position(("a", "b", 1, "c")) == (2, 14)
    assert document.position(("a", "b", 1)) == (2, 10)  # a flow mapping: at its brace
    assert document.position(("a", "missing")) == (1, 1)  # block mapping: at its key
    assert document.key_position(("a", "b")) == (2, 3)
    assert [(d.path, d.position, d.first_line) for d in document.duplicates] == [(("a", "b"), (3, 3), 2)]


def test_real_data_has_no_floats() -> None:
    def walk(value: Any) -> None:
        assert not isinstance(value, float), value
        for child in value.values() if isinstance(value, dict) else value if isinstance(value, list) else ():
            walk(child)

    walk(parse(REAL_TEXT).data)


@pytest.mark.parametrize("path", [(), ("plans",), ("plans", 1, "price", "bands", 2, "rate"), ("a", 0, 10, "b")])
def test_paths_round_trip(path: tuple[str | int, ...]) -> None:
    assert parse_path(format_path(path)) == path


# ─── The schema ────────────────────────────────────────────────────────────


def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def subschemas(node: Any) -> list[dict[str, Any]]:
    """Every schema object inside ``node``, ``node`` included."""
    found = []
    if isinstance(node, dict):
        if "type" in node or "properties" in node or "$ref" in node or "enum" in node:
            found.append(node)
        for value in node.values():
            found += subschemas(value)
    elif isinstance(node, list):
        for value in node:
            found += subschemas(value)
    return found


def test_yaml_names_the_schema() -> None:
    assert REAL_TEXT.splitlines()[0] == "# yaml-language-server: $schema=plans.schema.json"


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())


def test_every_property_has_a_description() -> None:
    root = schema()
    missing = []
    for node in subschemas(root):
        for name, prop in node.get("properties", {}).items():
            target = prop
            if "$ref" in prop:
                target = root["$defs"][prop["$ref"].rsplit("/", 1)[1]]
            if "description" not in prop and "description" not in target:
                missing.append(name)
    assert missing == []


def test_every_mapping_forbids_unknown_fields() -> None:
    # Comparison cells, past prices and the advisor's per-plan miss texts
    # are keyed by plan id, which the data defines (build_catalog checks the keys).
    open_maps = [node for node in subschemas(schema())
                 if node.get("type") == "object" and node.get("additionalProperties") is not False]
    assert sorted(node["description"].split(",")[0] for node in open_maps) == [
        "One cell per plan", "One price per plan", "The miss text for one plan instead of misses.miss"]
