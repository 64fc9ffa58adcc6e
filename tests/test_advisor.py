"""Issue 12: the Planberater's rule, decided for every combination of answers.

The oracle below is written from the vendor's comparison table (the
literal values, not the data file's), with its own reading of each need;
the calculator decides the same combinations through the link it reads
(``advice_view``), so parsing, rule and recommendation are all checked.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterator

import pytest

from calculator.advisor import advice_view, parse_needs
from calculator.pricing import quote
from tests.catalog import real_catalog

UNLIMITED = None


@dataclass(frozen=True)
class Column:
    """One plan's column of the comparison table, as the vendor writes it."""

    around_the_clock: bool
    channels: frozenset[str]
    contacts: int | None  # the most contact persons; None: unbegrenzt
    cases: int | None  # cases per quarter; None: unbegrenzt
    third_party: int  # 0 Entfällt, 1 Beratung, 2 Beratung und Fehlerbehebung
    tam: bool
    bam: bool
    review: bool
    # severity → (minutes, counted in business hours)
    targets: dict[int, tuple[int, bool]]


ORACLE = {
    "basic": Column(False, frozenset({"ticket"}), 1, 10, 0, False, False, False,
                    {3: (12 * 60, True), 4: (36 * 60, True)}),
    "advanced": Column(True, frozenset({"ticket", "phone"}), 5, UNLIMITED, 1, False, False, True,
                       {2: (4 * 60, False), 3: (12 * 60, False), 4: (24 * 60, False)}),
    "premium": Column(True, frozenset({"ticket", "phone", "chat"}), UNLIMITED, UNLIMITED, 2, True, True, True,
                      {1: (30, False), 2: (60, False), 3: (12 * 60, False), 4: (24 * 60, False)}),
}
PLAN_ORDER = ("basic", "advanced", "premium")
LEVELS = ("advice", "troubleshooting")
OPTIONS = (15, 30, 60, 240, 720, 1440, 2160)
CHANNELS = ("ticket", "phone", "chat")


@dataclass(frozen=True)
class Answers:
    """One combination of answers (None: keine Anforderung)."""

    response: tuple[tuple[int, int], ...] = ()  # (severity, minutes)
    hours: str | None = None  # round_the_clock | business_hours
    channels: tuple[str, ...] = ()
    contacts: int | None = None
    cases: int | None = None
    third_party: str | None = None
    tam: bool = False
    bam: bool = False
    review: bool = False

    def fragment(self) -> str:
        fields = [f"sg{severity}={minutes}" for severity, minutes in self.response]
        fields += [f"zeiten={self.hours}"] if self.hours else []
        fields += [f"kanaele={','.join(self.channels)}"] if self.channels else []
        fields += [f"kontakte={self.contacts}"] if self.contacts else []
        fields += [f"faelle={self.cases}"] if self.cases else []
        fields += [f"drittanbieter={self.third_party}"] if self.third_party else []
        fields += [f"{key}=ja" for key, wanted in (("tam", self.tam), ("bam", self.bam), ("pruefung", self.review))
                   if wanted]
        return "&".join(fields)


def oracle_misses(column: Column, answers: Answers) -> int:
    """How many needs the column misses."""
    missed = 0
    for severity, minutes in answers.response:
        target = column.targets.get(severity)
        fits = target is not None and target[0] <= minutes and (not target[1] or answers.hours == "business_hours")
        missed += not fits
    missed += answers.hours == "round_the_clock" and not column.around_the_clock
    missed += bool(set(answers.channels) - column.channels)
    missed += answers.contacts is not None and column.contacts is not None and answers.contacts > column.contacts
    missed += answers.cases is not None and column.cases is not None and answers.cases > column.cases
    missed += answers.third_party is not None and column.third_party < LEVELS.index(answers.third_party) + 1
    missed += (answers.tam and not column.tam) + (answers.bam and not column.bam)
    missed += answers.review and not column.review
    return missed


# Monthly price when no usage fee is given (usage 0): the order of the table.
PRICE_AT_ZERO = {"basic": Decimal(0), "advanced": Decimal(1500), "premium": Decimal(10000)}


def oracle_choice(answers: Answers) -> tuple[str | None, str | None]:
    """(recommended, closest): cheapest meeting all, else fewest misses then cheapest."""
    counts = {plan: oracle_misses(ORACLE[plan], answers) for plan in PLAN_ORDER}
    ranked = sorted(PLAN_ORDER, key=lambda p: (counts[p], PRICE_AT_ZERO[p], PLAN_ORDER.index(p)))
    return (ranked[0], None) if counts[ranked[0]] == 0 else (None, ranked[0])


def discrete_combinations() -> Iterator[Answers]:
    """Channels × hours × TAM × BAM × third party × review × each severity's
    options (one severity at a time, and none)."""
    channel_sets = [c for n in range(len(CHANNELS) + 1) for c in itertools.combinations(CHANNELS, n)]
    responses = [()] + [((severity, minutes),) for severity in (1, 2, 3, 4) for minutes in OPTIONS]
    for channels, hours, tam, bam, level, review, response in itertools.product(
        channel_sets, (None, "round_the_clock", "business_hours"), (False, True), (False, True),
        (None, *LEVELS), (False, True), responses,
    ):
        yield Answers(response, hours, channels, None, None, level, tam, bam, review)


def count_combinations() -> Iterator[Answers]:
    """Contact and case counts at and around every plan's limit, with every
    hours answer and two severities at once."""
    counts = (None, 1, 2, 4, 5, 6, 8, 9, 10, 11, 100, 100000)
    for contacts, cases, hours, response in itertools.product(
        counts, counts, (None, "round_the_clock", "business_hours"),
        ((), ((3, 720), (4, 2160)), ((2, 240), (3, 720))),
    ):
        yield Answers(response, hours, (), contacts, cases)


def test_issue12_the_oracle_reads_the_data_files_capabilities() -> None:
    """The oracle's table is the data's: else the rule is checked against something else."""
    catalog = real_catalog()
    levels = [level for level, _ in catalog.advisor.third_party_levels]
    for plan in catalog.plans:
        column, caps = ORACLE[plan.id], plan.capabilities
        assert caps.around_the_clock == column.around_the_clock
        assert set(caps.channels) == column.channels
        assert caps.contacts.upper == column.contacts and caps.cases_per_quarter.upper == column.cases
        assert levels.index(caps.third_party) == column.third_party
        assert (caps.technical_account_manager, caps.business_account_manager, caps.quarterly_review) == (
            column.tam, column.bam, column.review)
        assert {t.severity: (t.minutes, t.clock.value == "business_hours") for t in plan.response_targets} == (
            column.targets)
    assert [q.minutes for q in catalog.advisor.question("response_time").options] == list(OPTIONS)
    assert {plan.id: quote(plan, Decimal(0)).monthly for plan in catalog.plans} == PRICE_AT_ZERO


def test_issue12_every_combination_agrees_with_the_oracle(capsys: pytest.CaptureFixture[str]) -> None:
    catalog = real_catalog()
    combinations = [*discrete_combinations(), *count_combinations()]
    wrong = []
    for answers in combinations:
        view = advice_view(catalog, answers.fragment())
        got = {plan["plan"]: len(plan["misses"]) for plan in view["plans"]}
        want = {plan: oracle_misses(ORACLE[plan], answers) for plan in PLAN_ORDER}
        choice = oracle_choice(answers)
        if got != want or (view["recommended"], view["closest"]) != choice or view["notes"]:
            wrong.append((answers.fragment(), got, want, view["recommended"], view["closest"], choice))
    with capsys.disabled():
        print(f"\nPlanberater: {len(combinations)} combinations decided")
    assert len(combinations) >= 2000
    assert not wrong, f"{len(wrong)} of {len(combinations)} differ, e.g. {wrong[:3]}"


def test_issue12_negative_control_the_oracle_notices_a_wrong_rule() -> None:
    """An oracle that ignored the business-hours clock would disagree."""
    answers = Answers(((3, 720),), None)
    assert oracle_choice(answers) == ("advanced", None)
    assert advice_view(real_catalog(), answers.fragment())["recommended"] == "advanced"
    assert oracle_choice(Answers(((3, 720),), "business_hours")) == ("basic", None)


# ─── The texts of the misses, named with the plans' actual values ──────────


def plans_of(view: dict[str, Any]) -> dict[str, list[str]]:
    return {plan["name"]: plan["misses"] for plan in view["plans"]}


def test_issue12_misses_name_the_plans_actual_values() -> None:
    view = advice_view(real_catalog(), "sg1=30&kontakte=8&kanaele=chat&drittanbieter=troubleshooting")
    assert plans_of(view) == {
        "Basic": [
            "Basic: keine zugesagte Reaktionszeit für Schweregrad 1",
            "Basic: kein Kontakt per Chat (nur Ticket)",
            "Basic: Ein Hauptkontakt, Sie brauchen 8",
            "Basic: bei Drittanbietersoftware „Entfällt“, Sie brauchen „Beratung zu Interoperabilität und "
            "Konfiguration sowie Fehlerbehebung“",
        ],
        "Advanced": [
            "Advanced: keine zugesagte Reaktionszeit für Schweregrad 1",
            "Advanced: kein Kontakt per Chat (nur Ticket, Telefon)",
            "Advanced: 2-5 festgelegte Kontaktpersonen, Sie brauchen 8",
            "Advanced: bei Drittanbietersoftware „Beratung zu Interoperabilität und Konfiguration“, Sie brauchen "
            "„Beratung zu Interoperabilität und Konfiguration sowie Fehlerbehebung“",
        ],
        "Premium": [],
    }
    assert view["recommended"] == "premium" and view["closest"] is None


def test_issue12_business_hours_targets_and_why() -> None:
    catalog = real_catalog()
    view = advice_view(catalog, "sg3=720")
    assert plans_of(view)["Basic"] == [
        "Basic: 12\u00a0Arbeitsstunden für Schweregrad 3; Arbeitsstunden zählen nur, wenn Ihnen die "
        "Geschäftszeiten genügen"]
    assert view["business_hours_missed"] is True and view["recommended"] == "advanced"
    enough = advice_view(catalog, "sg3=720&zeiten=business_hours")
    assert enough["recommended"] == "basic" and enough["business_hours_missed"] is False
    slow = advice_view(catalog, "sg2=60")
    assert plans_of(slow)["Advanced"] == [
        "Advanced: 4\u00a0Stunden für Schweregrad 2, Sie brauchen höchstens 1\u00a0Stunde"]


def test_issue12_no_plan_meets_15_minutes_for_severity_1() -> None:
    view = advice_view(real_catalog(), "sg1=15&kanaele=chat")
    assert view["recommended"] is None and view["closest"] == "premium"
    assert plans_of(view)["Premium"] == [
        "Premium: 30\u00a0Minuten für Schweregrad 1, Sie brauchen höchstens 15\u00a0Minuten"]
    assert view["quote_fragment"] == "plan=premium"


def test_issue12_usage_fee_prices_the_recommendation_and_the_quote_link() -> None:
    view = advice_view(real_catalog(), "kanaele=phone&nutzung=25.000,50")
    assert view["recommended"] == "advanced"
    assert view["usage"] == "25.000,50\u00a0€"
    assert [plan["monthly"] for plan in view["plans"]] == ["0,00\u00a0€", "3.800,04\u00a0€", "10.000,00\u00a0€"]
    assert view["quote_fragment"] == "nutzung=25000.50&plan=advanced"
    assert view["fragment"] == "kanaele=phone&nutzung=25000.50"


def test_issue12_tampered_link_falls_back_with_notes() -> None:
    catalog = real_catalog()
    view = advice_view(catalog, "#sg1=7&kontakte=-3&kanaele=fax&tam=<img src=x onerror=alert(1)>&nutzung=1,2,3&zeiten=rund")
    assert view["notes"] == [
        "Die Angabe „7“ zu „Schnellste Erstreaktion, die Sie je Schweregrad brauchen (1)“ im Link ist ungültig; "
        "angenommen wird „keine Anforderung“.",
        "Die Angabe „rund“ zu „Wann muss der technische Support erreichbar sein?“ im Link ist ungültig; "
        "angenommen wird „keine Anforderung“.",
        "Die Angabe „fax“ zu „Über welche Wege wollen Sie den Support erreichen?“ im Link ist ungültig; "
        "angenommen wird „keine Anforderung“.",
        "Die Angabe „-3“ zu „Wie viele Personen werden Tickets eröffnen?“ im Link ist ungültig; "
        "angenommen wird „keine Anforderung“.",
        "Die Angabe „<img src=x onerror=alert(1)>“ zu „Technical Account Manager“ im Link ist ungültig; "
        "angenommen wird „keine Anforderung“.",
        "Die Nutzungsgebühr „1,2,3“ im Link ist ungültig und wurde ignoriert.",
    ]
    assert view["fragment"] == "" and view["recommended"] == "basic"
    # Hostile bytes never raise.
    for fragment in ("%ff%fe=%00", "&&&==", "sg1=" + "9" * 5000, "kanaele=,,,", "kontakte=１２"):
        assert advice_view(catalog, fragment)["recommended"] == "basic"


def test_issue12_form_errors_use_the_calculators_wording() -> None:
    view = advice_view(real_catalog(), "kontakte=acht&nutzung=10,000", typed=True)
    assert view["errors"] == {
        "kontakte": "Bitte eine ganze Zahl von 1 bis 100.000 eingeben oder das Feld leer lassen.",
        "nutzung": "Im Deutschen trennt ein Punkt die Tausender: bitte 10.000 statt 10,000 schreiben. "
        "Das Komma steht nur vor den Cent, z. B. 10.000,50.",
    }
    assert view["notes"] == []


def test_issue12_canonical_fragment_reads_back_the_same() -> None:
    catalog = real_catalog()
    fragment = "sg2=240&sg1=30&pruefung=JA&kanaele=chat,ticket&nutzung=10.000&zeiten=round_the_clock"
    view = advice_view(catalog, fragment)
    assert view["fragment"] == "sg1=30&sg2=240&zeiten=round_the_clock&kanaele=ticket,chat&pruefung=ja&nutzung=10000"
    assert parse_needs(view["fragment"], catalog).needs == parse_needs(fragment, catalog).needs
