"""The typed, immutable model of ``data/plans.yaml``.

``build_catalog`` takes the plain data (dicts, lists, strings, ints and
Decimals, as the YAML loader or ``json.loads`` give them) *after* it passed
the JSON Schema, and checks what a schema cannot: unique ids, bands that
ascend without gaps, references that resolve. Every problem found is
reported at once, each with the path of the offending value and a German
message (the writer's language, like the build's other data messages).
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Any, Mapping

from .capabilities import CAPABILITY_ROWS, capability_cell
from .errors import CalculatorError
from .holidays import HolidayRule
from .money import to_decimal

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Clock(enum.Enum):
    """How a response target's time is counted."""

    BUSINESS_HOURS = "business_hours"  # only during business hours
    ROUND_THE_CLOCK = "round_the_clock"  # elapsed real time


@dataclass(frozen=True)
class Band:
    """A marginal price band: ``rate`` percent of the usage fee in (lower, upper].

    ``upper`` is ``None`` for the last, open-ended band. Amounts in EUR.
    """

    lower: Decimal
    upper: Decimal | None
    rate: Decimal  # percent, 0–100


@dataclass(frozen=True)
class PriceModel:
    """price = max(minimum, base + Σ band slices); 0 when ``included``.

    ``starts_from`` marks a price that is a lower bound ("ab", agreed
    individually). All amounts are net EUR per month.
    """

    included: bool
    base: Decimal
    minimum: Decimal
    starts_from: bool
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class ResponseTarget:
    """First response within ``minutes`` of the given ``clock``."""

    severity: int
    minutes: int
    clock: Clock


@dataclass(frozen=True)
class Limit:
    """How many people or cases a plan allows: ``lower`` to ``upper``
    inclusive; ``upper`` None means unlimited (``unbegrenzt``), ``lower``
    None a single number (``upper``)."""

    lower: int | None
    upper: int | None

    def allows(self, count: int) -> bool:
        """True if ``count`` people or cases fit under the limit."""
        return self.upper is None or count <= self.upper


@dataclass(frozen=True)
class Capabilities:
    """What a plan offers besides prices and response targets (the ids of
    channels and of the third-party level are those of ``Advisor``)."""

    around_the_clock: bool
    channels: tuple[str, ...]
    contacts: Limit
    cases_per_quarter: Limit
    third_party: str
    technical_account_manager: bool
    business_account_manager: bool
    quarterly_review: bool


@dataclass(frozen=True)
class Option:
    """An answer to choose: ``minutes`` (response_time) or ``id`` (support_hours)."""

    label: str
    minutes: int | None = None
    id: str | None = None


@dataclass(frozen=True)
class Question:
    """A question of the Planberater about one capability, with the texts
    of a miss (``misses`` by kind, ``misses_by_plan`` by plan id)."""

    capability: str
    label: str
    note: str | None
    options: tuple[Option, ...]
    misses: Mapping[str, str]
    misses_by_plan: Mapping[str, str]


@dataclass(frozen=True)
class Advisor:
    """The Planberater's data: how capabilities are written (``values``),
    the channels and third-party levels (id, label; levels weakest first)
    and the questions in form order."""

    values: Mapping[str, str]
    channels: tuple[tuple[str, str], ...]
    third_party_levels: tuple[tuple[str, str], ...]
    questions: tuple[Question, ...]

    def question(self, capability: str) -> Question:
        """The question about ``capability``."""
        return next(q for q in self.questions if q.capability == capability)


NO_CAPABILITIES = Capabilities(False, (), Limit(None, 0), Limit(None, 0), "", False, False, False)

# Capabilities a question may ask about, with the placeholders each kind of
# miss text must contain.
QUESTION_PLACEHOLDERS: dict[str, dict[str, tuple[str, ...]]] = {
    "response_time": {
        "no_target": ("plan", "severity"),
        "too_slow": ("plan", "value", "severity", "need"),
        "business_hours": ("plan", "value", "severity"),
    },
    "support_hours": {"miss": ("plan", "value")},
    "channels": {"miss": ("plan", "need")},
    "contacts": {"miss": ("plan", "value", "need")},
    "cases_per_quarter": {"miss": ("plan", "value", "need")},
    "third_party": {"miss": ("plan", "value", "need")},
    "technical_account_manager": {"miss": ("plan",)},
    "business_account_manager": {"miss": ("plan",)},
    "quarterly_review": {"miss": ("plan",)},
}


@dataclass(frozen=True)
class Plan:
    id: str
    name: str
    title: str
    description: str
    intro: str
    extras: tuple[str, ...]
    price: PriceModel
    response_targets: tuple[ResponseTarget, ...]
    # Plans built outside the data file (tests) offer nothing by default.
    capabilities: Capabilities = NO_CAPABILITIES

    def target_for(self, severity: int) -> ResponseTarget | None:
        """The plan's target for a severity level, or None if it names none."""
        return next((t for t in self.response_targets if t.severity == severity), None)


@dataclass(frozen=True)
class Severity:
    level: int
    name: str
    definition: str
    example: str
    also_called: str | None


@dataclass(frozen=True)
class Cell:
    """One comparison cell: its lines of text and an optional footnote id."""

    lines: tuple[str, ...]
    footnote: str | None = None


@dataclass(frozen=True)
class ComparisonRow:
    """A row of the comparison table.

    ``generated`` is ``None`` for a row of texts (then ``cells`` has one
    cell per plan id) or names the data it is rendered from:
    ``"description"``, ``"response_targets"`` or ``"price"``, or one of
    ``capabilities.CAPABILITY_ROWS`` (then ``cells`` is filled from the
    plans' capabilities).
    """

    id: str
    label: str
    generated: str | None
    cells: Mapping[str, Cell]


@dataclass(frozen=True)
class BusinessHours:
    """When the business-hours clock runs: ``days`` (0 = Monday) from
    ``opens`` to ``closes`` local time in ``zone`` (the IANA name), except
    on the yearly ``holidays`` and on ``extra_closed_days``."""

    days: tuple[int, ...]
    opens: time
    closes: time
    zone: str
    zone_label: str
    holidays: tuple[HolidayRule, ...]
    extra_closed_days: tuple[date, ...]


@dataclass(frozen=True)
class PriceList:
    """The current price list; ``examples`` are usage fees (EUR per month)
    for the worked-examples table. A quote link without its own last valid
    day is valid for ``quote_validity_days`` days counted from its issue date
    (that day is day 1); ``quote_issuer`` is the issuer line of a quote."""

    version: str
    effective: date
    currency: str
    net: bool
    examples: tuple[Decimal, ...]
    quote_validity_days: int = 30
    quote_issuer: str = ""


@dataclass(frozen=True)
class PastPriceList:
    """A price list that no longer applies, kept so that a quote link made
    under it can still show its amounts. It applied from ``effective`` up to
    and including ``ends`` (None: not recorded). ``prices`` maps plan ids to
    their price then; a plan not in it has no old price to show."""

    version: str
    effective: date
    ends: date | None
    prices: Mapping[str, PriceModel]


@dataclass(frozen=True)
class Link:
    """A labelled link: ``url`` is an https address or a page of this site
    relative to the site root (``"datenschutz/"``)."""

    label: str
    url: str

    @property
    def external(self) -> bool:
        """True for an address on another site."""
        return self.url.startswith("https://")


@dataclass(frozen=True)
class Legal:
    """The footer of every page: the operator line and the links to the
    Impressum and the Datenschutz page."""

    operator: str
    imprint: Link
    privacy: Link


@dataclass(frozen=True)
class Catalog:
    """Everything the site knows, typed. Built once per build or page load."""

    product: Mapping[str, str]
    plans: tuple[Plan, ...]
    price_list: PriceList
    comparison: tuple[ComparisonRow, ...]
    severities: tuple[Severity, ...]
    severity_intro: str
    severity_agreement: str
    business_hours: BusinessHours
    plan_change: Mapping[str, str]
    messages: Mapping[str, Mapping[str, str]]
    legal: Legal
    advisor: Advisor
    past_price_lists: tuple[PastPriceList, ...] = ()

    def plan(self, plan_id: str) -> Plan:
        """The plan with this id; CalculatorError if there is none."""
        for plan in self.plans:
            if plan.id == plan_id:
                return plan
        known = ", ".join(p.id for p in self.plans)
        raise CalculatorError(f"unknown plan {plan_id!r}; known: {known}", code="unknown_plan")

    def severity(self, level: int) -> Severity:
        """The severity with this level; CalculatorError if there is none."""
        for severity in self.severities:
            if severity.level == level:
                return severity
        raise CalculatorError(f"unknown severity level {level!r}", code="unknown_severity")

    def past_price_list(self, version: str) -> PastPriceList | None:
        """The kept past price list with this version, or None."""
        return next((past for past in self.past_price_lists if past.version == version), None)

    def prices_for_version(self, version: str) -> Mapping[str, PriceModel] | None:
        """Plan id → price model under the price list ``version`` (the current
        one or a kept past one); None if the data does not know the version."""
        if version == self.price_list.version:
            return {plan.id: plan.price for plan in self.plans}
        past = self.past_price_list(version)
        return None if past is None else past.prices


# ─── Building the model ───────────────────────────────────────────────────


class _Problems:
    """Collects (path, message) pairs so that every problem is reported."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, path: str, message: str) -> None:
        self.items.append((path, message))


def build_catalog(data: Mapping[str, Any]) -> Catalog:
    """Build the model from schema-valid plain data.

    Raises CalculatorError(code="data") listing every semantic problem.
    """
    problems = _Problems()
    severities = tuple(_severity(s) for s in data["severities"])
    _check_unique(problems, "severities", [s.level for s in severities], "level")
    levels = {s.level for s in severities}
    plans = tuple(
        _plan(problems, f"plans[{i}]", p, levels) for i, p in enumerate(data["plans"])
    )
    plan_ids = [p.id for p in plans]
    _check_unique(problems, "plans", plan_ids, "id")
    comparison = tuple(
        _row(problems, f"comparison[{i}]", r, plan_ids)
        for i, r in enumerate(data["comparison"])
    )
    _check_unique(problems, "comparison", [r.id for r in comparison], "id")
    business_hours = _business_hours(problems, data["business_hours"])
    price_list = _price_list(data["price_list"])
    past_price_lists = tuple(
        _past_price_list(problems, f"past_price_lists[{i}]", p, plan_ids, price_list)
        for i, p in enumerate(data.get("past_price_lists", ()))
    )
    _check_unique(problems, "past_price_lists", [p.version for p in past_price_lists], "version")
    advisor = _advisor(problems, data["advisor"], plans)
    if not problems.items:
        comparison = tuple(_capability_row(row, plans, advisor) for row in comparison)
    if problems.items:
        raise CalculatorError(
            "; ".join(f"{path}: {message}" for path, message in problems.items),
            code="data",
            problems=tuple(problems.items),
        )
    return Catalog(
        product=dict(data["product"]),
        plans=plans,
        price_list=price_list,
        comparison=comparison,
        severities=severities,
        severity_intro=data["severity_intro"],
        severity_agreement=data["severity_agreement"],
        business_hours=business_hours,
        plan_change=dict(data["plan_change"]),
        messages={group: dict(texts) for group, texts in data["messages"].items()},
        legal=Legal(
            operator=data["legal"]["operator"],
            imprint=Link(**data["legal"]["imprint"]),
            privacy=Link(**data["legal"]["privacy"]),
        ),
        advisor=advisor,
        past_price_lists=past_price_lists,
    )


def _shown(value: Any) -> str:
    # A value in a problem message: texts in double quotes, as the schema
    # messages of macros/plans_file.py show them.
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def _check_unique(problems: _Problems, path: str, values: list[Any], key: str) -> None:
    # Report the second and later occurrences, each where it stands.
    seen: set[Any] = set()
    for index, value in enumerate(values):
        if value in seen:
            problems.add(f"{path}[{index}].{key}",
                         f"{key} {_shown(value)} kommt doppelt vor; jeder Wert von {key} darf nur einmal vorkommen")
        seen.add(value)


def _severity(data: Mapping[str, Any]) -> Severity:
    return Severity(
        level=data["level"],
        name=data["name"],
        definition=data["definition"],
        example=data["example"],
        also_called=data.get("also_called"),
    )


def _plan(problems: _Problems, path: str, data: Mapping[str, Any], levels: set[int]) -> Plan:
    targets = []
    for index, target in enumerate(data["response_targets"]):
        target_path = f"{path}.response_targets[{index}]"
        if target["severity"] not in levels:
            known = ", ".join(str(level) for level in sorted(levels))
            problems.add(
                f"{target_path}.severity",
                f"erwartet einen der Schweregrade {known}, gefunden {_shown(target['severity'])}",
            )
        minutes = target.get("minutes", 0) + 60 * target.get("hours", 0)
        targets.append(ResponseTarget(target["severity"], minutes, Clock(target["clock"])))
    _check_unique(problems, f"{path}.response_targets", [t.severity for t in targets], "severity")
    return Plan(
        id=data["id"],
        name=data["name"],
        title=data["title"],
        description=data["description"],
        intro=data["intro"],
        extras=tuple(data.get("extras", ())),
        price=_price(problems, f"{path}.price", data["price"]),
        response_targets=tuple(sorted(targets, key=lambda t: t.severity)),
        capabilities=_capabilities(problems, f"{path}.capabilities", data["capabilities"]),
    )


def _limit(problems: _Problems, path: str, data: Any) -> Limit:
    # 3, unbegrenzt or {from: 2, to: 5} (the schema admits nothing else).
    if data == "unbegrenzt":
        return Limit(None, None)
    if isinstance(data, int):
        return Limit(None, data)
    if data["to"] < data["from"]:
        problems.add(f"{path}.to", f"erwartet einen Wert ab from ({data['from']}), gefunden {data['to']}")
    return Limit(data["from"], data["to"])


def _capabilities(problems: _Problems, path: str, data: Mapping[str, Any]) -> Capabilities:
    return Capabilities(
        around_the_clock=data["around_the_clock"],
        channels=tuple(data["channels"]),
        contacts=_limit(problems, f"{path}.contacts", data["contacts"]),
        cases_per_quarter=_limit(problems, f"{path}.cases_per_quarter", data["cases_per_quarter"]),
        third_party=data["third_party"],
        technical_account_manager=data["technical_account_manager"],
        business_account_manager=data["business_account_manager"],
        quarterly_review=data["quarterly_review"],
    )


def _advisor(problems: _Problems, data: Mapping[str, Any], plans: tuple[Plan, ...]) -> Advisor:
    """The advisor's data; checks that plans name known channels and
    levels, that every capability has one question, and that every miss
    text has its placeholders and names a known plan."""
    channels = tuple((c["id"], c["label"]) for c in data["channels"])
    levels = tuple((level["id"], level["label"]) for level in data["third_party_levels"])
    _check_unique(problems, "advisor.channels", [c for c, _ in channels], "id")
    _check_unique(problems, "advisor.third_party_levels", [level for level, _ in levels], "id")
    for index, plan in enumerate(plans):
        here = f"plans[{index}].capabilities"
        for i, channel in enumerate(plan.capabilities.channels):
            _check_known(problems, f"{here}.channels[{i}]", channel, [c for c, _ in channels], "einen der Kontaktwege")
        _check_known(problems, f"{here}.third_party", plan.capabilities.third_party,
                     [level for level, _ in levels], "eine der Stufen")
    questions = tuple(
        _question(problems, f"advisor.questions[{i}]", q, [p.id for p in plans])
        for i, q in enumerate(data["questions"])
    )
    _check_unique(problems, "advisor.questions", [q.capability for q in questions], "capability")
    asked = {q.capability for q in questions}
    for capability in QUESTION_PLACEHOLDERS:
        if capability not in asked:
            problems.add("advisor.questions", f"es fehlt die Frage mit capability {_shown(capability)}")
    return Advisor(dict(data["values"]), channels, levels, questions)


def _check_known(problems: _Problems, path: str, value: str, known: list[str], what: str) -> None:
    if value not in known:
        problems.add(path, f"erwartet {what} {', '.join(known)}, gefunden {_shown(value)}")


def _question(problems: _Problems, path: str, data: Mapping[str, Any], plan_ids: list[str]) -> Question:
    capability = data["capability"]
    wanted = QUESTION_PLACEHOLDERS[capability]
    misses = dict(data["misses"])
    for kind in wanted:
        if kind not in misses:
            problems.add(f"{path}.misses", f"es fehlt der Text {kind} (mit {_braces(wanted[kind])})")
    for kind, text in misses.items():
        if kind not in wanted:
            problems.add(f"{path}.misses.{kind}", f"erwartet einen der Texte {', '.join(wanted)}, gefunden {_shown(kind)}")
        else:
            _check_placeholders(problems, f"{path}.misses.{kind}", text, wanted[kind])
    by_plan = dict(data.get("misses_by_plan", {}))
    for plan_id, text in by_plan.items():
        _check_known(problems, f"{path}.misses_by_plan.{plan_id}", plan_id, plan_ids, "eine der Plan-Ids")
        _check_placeholders(problems, f"{path}.misses_by_plan.{plan_id}", text, wanted.get("miss", ()))
    options = tuple(Option(o["label"], o.get("minutes"), o.get("id")) for o in data.get("options", ()))
    return Question(capability, data["label"], data.get("note"), options, misses, by_plan)


def _check_placeholders(problems: _Problems, path: str, text: str, names: tuple[str, ...]) -> None:
    for name in names:
        if "{" + name + "}" not in text:
            problems.add(path, f"es fehlt der Platzhalter {{{name}}} im Text {_shown(text)}")


def _braces(names: tuple[str, ...]) -> str:
    return ", ".join("{" + name + "}" for name in names)


def _price(problems: _Problems, path: str, data: Mapping[str, Any]) -> PriceModel:
    bands = tuple(
        Band(
            lower=to_decimal(band["from"]),
            upper=None if band.get("to") is None else to_decimal(band["to"]),
            rate=to_decimal(band["rate"]),
        )
        for band in data.get("bands", ())
    )
    _check_bands(problems, f"{path}.bands", bands)
    included = data.get("included", False)
    if included and (bands or data.get("base") or data.get("minimum")):
        problems.add(f"{path}.included", "ein enthaltener Preis (included) hat weder base noch minimum noch bands")
    return PriceModel(
        included=included,
        base=to_decimal(data.get("base", 0)),
        minimum=to_decimal(data.get("minimum", 0)),
        starts_from=data.get("from", False),
        bands=bands,
    )


def _check_bands(problems: _Problems, path: str, bands: tuple[Band, ...]) -> None:
    for index, band in enumerate(bands):
        here = f"{path}[{index}]"
        if band.upper is not None and band.upper <= band.lower:
            problems.add(f"{here}.to", f"erwartet einen Wert über from ({band.lower}), gefunden {band.upper}")
        if band.upper is None and index < len(bands) - 1:
            problems.add(f"{here}.to", "nur die letzte Spanne darf offen sein (ohne `to`)")
        if index == 0:
            continue
        previous = bands[index - 1]
        if previous.upper is not None and band.lower < previous.upper:
            problems.add(
                f"{here}.from",
                f"Spannen müssen aufsteigen: erwartet {previous.upper} (das `to` der vorigen Spanne), "
                f"gefunden {band.lower}",
            )
        elif previous.upper is not None and band.lower > previous.upper:
            problems.add(
                f"{here}.from",
                f"Lücke zwischen Spannen: erwartet {previous.upper} (das `to` der vorigen Spanne), "
                f"gefunden {band.lower}",
            )


def _price_list(data: Mapping[str, Any]) -> PriceList:
    return PriceList(
        version=str(data["version"]),
        effective=date.fromisoformat(data["effective"]),
        currency=data["currency"],
        net=data["net"],
        examples=tuple(to_decimal(fee) for fee in data.get("examples", ())),
        quote_validity_days=int(data["quote_validity_days"]),
        quote_issuer=str(data["quote_issuer"]),
    )


def _past_price_list(
    problems: _Problems, path: str, data: Mapping[str, Any], plan_ids: list[str], current: PriceList
) -> PastPriceList:
    # Versions must differ from the current one, dates come before it, and
    # prices are checked like plans[].price, keyed by known plan ids.
    version = str(data["version"])
    if version == current.version:
        problems.add(
            f"{path}.version",
            f"erwartet eine andere Version als die der aktuellen Preisliste, gefunden {_shown(version)}",
        )
    effective = date.fromisoformat(data["effective"])
    if effective >= current.effective:
        problems.add(
            f"{path}.effective",
            f"erwartet ein Datum vor dem Beginn der aktuellen Preisliste "
            f"({current.effective.isoformat()}), gefunden {_shown(data['effective'])}",
        )
    ends = None if data.get("ends") is None else date.fromisoformat(data["ends"])
    if ends is not None and ends < effective:
        problems.add(
            f"{path}.ends",
            f"erwartet ein Datum am oder nach effective ({data['effective']}), gefunden {_shown(data['ends'])}",
        )
    prices = {}
    for plan_id, price in data["prices"].items():
        if plan_id not in plan_ids:
            known = ", ".join(dict.fromkeys(plan_ids))
            problems.add(f"{path}.prices.{plan_id}", f"erwartet eine der Plan-Ids {known}, gefunden {_shown(plan_id)}")
        prices[plan_id] = _price(problems, f"{path}.prices.{plan_id}", price)
    return PastPriceList(version=version, effective=effective, ends=ends, prices=prices)


def _row(problems: _Problems, path: str, data: Mapping[str, Any], plan_ids: list[str]) -> ComparisonRow:
    cells: dict[str, Cell] = {}
    if "all" in data:
        cells = {plan_id: _cell(data["all"]) for plan_id in plan_ids}
    elif "cells" in data:
        for plan_id, cell in data["cells"].items():
            if plan_id not in plan_ids:
                problems.add(
                    f"{path}.cells.{plan_id}",
                    f"erwartet eine der Plan-Ids {', '.join(dict.fromkeys(plan_ids))}, gefunden {_shown(plan_id)}",
                )
            cells[plan_id] = _cell(cell)
        for plan_id in plan_ids:
            if plan_id not in cells:
                problems.add(f"{path}.cells", f"es fehlt die Zelle für den Plan {_shown(plan_id)}")
    return ComparisonRow(
        id=data["id"], label=data["label"], generated=data.get("generated"), cells=cells
    )


def _capability_row(row: ComparisonRow, plans: tuple[Plan, ...], advisor: Advisor) -> ComparisonRow:
    # A row generated from plans[].capabilities gets its cells here, so the
    # table and the plan pages show what the advisor decides with.
    if row.generated not in CAPABILITY_ROWS:
        return row
    cells = {plan.id: Cell(*capability_cell(advisor, plan.capabilities, row.generated)) for plan in plans}
    return ComparisonRow(row.id, row.label, row.generated, cells)


def _cell(data: Any) -> Cell:
    # A cell is a text, a list of lines, or {text, footnote}.
    if isinstance(data, str):
        return Cell((data,))
    if isinstance(data, list):
        return Cell(tuple(data))
    text = data["text"]
    return Cell(tuple(text) if isinstance(text, list) else (text,), data.get("footnote"))


def _holiday(data: Mapping[str, Any]) -> HolidayRule:
    if "easter" in data:
        return HolidayRule(data["name"], easter=data["easter"])
    month, day = (int(part) for part in data["date"].split("-"))
    return HolidayRule(data["name"], month=month, day=day)


def _business_hours(problems: _Problems, data: Mapping[str, Any]) -> BusinessHours:
    opens = time.fromisoformat(data["opens"])
    closes = time.fromisoformat(data["closes"])
    if closes <= opens:
        problems.add(
            "business_hours.closes",
            f"erwartet eine Uhrzeit nach opens ({data['opens']}), gefunden {_shown(data['closes'])}",
        )
    return BusinessHours(
        days=tuple(sorted(WEEKDAYS.index(day) for day in data["days"])),
        opens=opens,
        closes=closes,
        zone=data["zone"],
        zone_label=data["zone_label"],
        holidays=tuple(_holiday(rule) for rule in data["holidays"]),
        extra_closed_days=tuple(date.fromisoformat(d) for d in data.get("extra_closed_days", ())),
    )
