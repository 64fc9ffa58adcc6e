"""The Planberater: which plan meets a visitor's needs, and why not the others.

A visitor's answers (``Needs``, every one optional) are checked against each
plan's capabilities and response targets (``data/plans.yaml``). A need
"severity N within D minutes" is met when the plan promises a target for
severity N of at most D minutes; a target counted in business hours meets
it only when the visitor said business hours are enough. The recommended
plan is the cheapest plan that meets every need (priced at the given usage
fee, else at a usage fee of 0), ties broken by the plans' order in the data.

The advisor's state lives in the address's fragment
(``berater/#sg1=30&sg2=240&zeiten=business_hours&kanaele=ticket,chat&kontakte=8``);
``parse_needs`` reads it and never fails: a value it cannot read counts as
"keine Anforderung" and leaves a note (or, for the form, a field error).
Every text returned is plain text from the catalog; numbers and amounts
are written in the notation of the page's language (``lang``, see
``calculator.formats``; German by default). The link is the same in every
language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Mapping
from urllib.parse import quote as percent

from .errors import CalculatorError
from .formats import DEFAULT_LANGUAGE, Formats, formats_for
from .capabilities import channels_text, hours_text, limit_text
from .model import Catalog, Clock, Plan, ResponseTarget
from .pricing import quote
from .quote_link import MAX_NOTE_VALUE, QuoteState, clean_text, fragment_fields, make_link, read_usage, shorten
from .texts import fill

MAX_COUNT = 100_000  # people or cases per quarter a visitor may name
YES = "ja"
# Link key → capability, for the questions with one key. Response needs
# use one key per severity level: ``sg1``, ``sg2`` ….
KEYS = {
    "zeiten": "support_hours",
    "kanaele": "channels",
    "kontakte": "contacts",
    "faelle": "cases_per_quarter",
    "drittanbieter": "third_party",
    "tam": "technical_account_manager",
    "bam": "business_account_manager",
    "pruefung": "quarterly_review",
}
SEVERITY_KEY = "sg"
USAGE_KEY = "nutzung"
_FLAGS = ("technical_account_manager", "business_account_manager", "quarterly_review")


@dataclass(frozen=True)
class Needs:
    """What the visitor needs; empty values mean "keine Anforderung".

    ``response``: severity level → the longest acceptable first response in
    minutes. ``around_the_clock``: True (support around the clock), False
    (business hours are enough) or None (no answer). ``channels``: channel
    ids. ``contacts`` and ``cases_per_quarter``: counts, None for none.
    ``third_party``: a third-party level id, None for none. ``flags``: the
    capabilities of _FLAGS that are needed.
    """

    response: Mapping[int, int] = field(default_factory=dict)
    around_the_clock: bool | None = None
    channels: tuple[str, ...] = ()
    contacts: int | None = None
    cases_per_quarter: int | None = None
    third_party: str | None = None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Miss:
    """A need the plan does not meet: the question's capability, the kind of
    miss (a key of the question's ``misses``) and the text."""

    capability: str
    kind: str
    text: str


# ─── The rule ─────────────────────────────────────────────────────────────


def misses(catalog: Catalog, plan: Plan, needs: Needs, lang: str = DEFAULT_LANGUAGE) -> tuple[Miss, ...]:
    """Every need of ``needs`` that ``plan`` does not meet, in question order
    (numbers in the texts in the notation of ``lang``)."""
    fmt = formats_for(lang)
    found: list[Miss] = []
    for question in catalog.advisor.questions:
        found.extend(Miss(question.capability, kind, text)
                     for kind, text in _CHECKS[question.capability](catalog, plan, needs, fmt))
    return tuple(found)


def _miss_text(catalog: Catalog, capability: str, kind: str, plan: Plan, **values: object) -> tuple[str, str]:
    # (kind, text): the data's text for this kind of miss, filled in.
    question = catalog.advisor.question(capability)
    template = question.misses_by_plan.get(plan.id) if kind == "miss" else None
    return kind, fill(template or question.misses[kind], plan=plan.name, **values)


def _response_misses(catalog: Catalog, plan: Plan, needs: Needs, fmt: Formats) -> list[tuple[str, str]]:
    texts = []
    for severity, minutes in sorted(needs.response.items()):
        target = plan.target_for(severity)
        if target is None:
            texts.append(_miss_text(catalog, "response_time", "no_target", plan, severity=severity))
        elif target.minutes > minutes:
            texts.append(_miss_text(catalog, "response_time", "too_slow", plan, severity=severity,
                                    value=target_text(catalog, target), need=span_text(catalog, minutes, False)))
        elif target.clock is Clock.BUSINESS_HOURS and needs.around_the_clock is not False:
            texts.append(_miss_text(catalog, "response_time", "business_hours", plan, severity=severity,
                                    value=target_text(catalog, target)))
    return texts


def _hours_misses(catalog: Catalog, plan: Plan, needs: Needs, fmt: Formats) -> list[tuple[str, str]]:
    if needs.around_the_clock and not plan.capabilities.around_the_clock:
        return [_miss_text(catalog, "support_hours", "miss", plan, value=hours_text(catalog.advisor, plan.capabilities))]
    return []


def _channel_misses(catalog: Catalog, plan: Plan, needs: Needs, fmt: Formats) -> list[tuple[str, str]]:
    missing = [c for c in needs.channels if c not in plan.capabilities.channels]
    if not missing:
        return []
    return [_miss_text(catalog, "channels", "miss", plan, need=channels_text(catalog.advisor, missing),
                       value=channels_text(catalog.advisor, plan.capabilities.channels))]


def _count_misses(capability: str):
    def check(catalog: Catalog, plan: Plan, needs: Needs, fmt: Formats) -> list[tuple[str, str]]:
        count = getattr(needs, capability)
        limit = getattr(plan.capabilities, capability)
        if count is None or limit.allows(count):
            return []
        return [_miss_text(catalog, capability, "miss", plan, value=limit_text(catalog.advisor, capability, limit),
                           need=fmt.format_number(Decimal(count), 0))]

    return check


def _third_party_misses(catalog: Catalog, plan: Plan, needs: Needs, fmt: Formats) -> list[tuple[str, str]]:
    levels = [level for level, _ in catalog.advisor.third_party_levels]
    if needs.third_party is None or levels.index(plan.capabilities.third_party) >= levels.index(needs.third_party):
        return []
    labels = dict(catalog.advisor.third_party_levels)
    return [_miss_text(catalog, "third_party", "miss", plan, value=labels[plan.capabilities.third_party],
                       need=labels[needs.third_party])]


def _flag_misses(capability: str):
    def check(catalog: Catalog, plan: Plan, needs: Needs, fmt: Formats) -> list[tuple[str, str]]:
        if capability in needs.flags and not getattr(plan.capabilities, capability):
            return [_miss_text(catalog, capability, "miss", plan)]
        return []

    return check


_CHECKS = {
    "response_time": _response_misses,
    "support_hours": _hours_misses,
    "channels": _channel_misses,
    "contacts": _count_misses("contacts"),
    "cases_per_quarter": _count_misses("cases_per_quarter"),
    "third_party": _third_party_misses,
    **{flag: _flag_misses(flag) for flag in _FLAGS},
}


@dataclass(frozen=True)
class Advice:
    """Each plan's misses (data order), its monthly price at ``usage`` (EUR,
    or at 0 when None), and the recommended plan (meets every need, cheapest)
    or, when no plan does, the ``closest`` (fewest misses, then cheapest)."""

    misses: Mapping[str, tuple[Miss, ...]]
    prices: Mapping[str, Decimal]
    recommended: str | None
    closest: str | None


def advise(
    catalog: Catalog, needs: Needs, usage: Decimal | None = None, lang: str = DEFAULT_LANGUAGE
) -> Advice:
    """The advice for ``needs`` at the monthly usage fee ``usage`` (EUR);
    the misses' texts in the notation of ``lang``."""
    found = {plan.id: misses(catalog, plan, needs, lang) for plan in catalog.plans}
    prices = {plan.id: quote(plan, usage or Decimal(0)).monthly for plan in catalog.plans}
    order = {plan.id: index for index, plan in enumerate(catalog.plans)}
    ranked = sorted(order, key=lambda plan_id: (len(found[plan_id]), prices[plan_id], order[plan_id]))
    best = ranked[0]
    meets = not found[best]
    return Advice(found, prices, best if meets else None, None if meets else best)


# ─── Writing capabilities ─────────────────────────────────────────────────


def _unit(catalog: Catalog, count: int, unit: str, business: bool) -> str:
    # "4 Stunden" (messages.response_time) or "12 Arbeitsstunden" (advisor.values).
    if business:
        word = catalog.advisor.values[f"work_{unit[:-1]}" if count == 1 else f"work_{unit}"]
    else:
        word = catalog.messages["response_time"][f"{unit}_one" if count == 1 else unit]
    return f"{count}\u00a0{word}"


def span_text(catalog: Catalog, minutes: int, business: bool) -> str:
    """``4 Stunden``, ``30 Minuten``, ``12 Arbeitsstunden``: whole hours as
    hours, else minutes, as the comparison table writes targets."""
    if minutes % 60 == 0:
        return _unit(catalog, minutes // 60, "hours", business)
    return _unit(catalog, minutes, "minutes", business)


def target_text(catalog: Catalog, target: ResponseTarget) -> str:
    """A response target as ``12 Arbeitsstunden`` or ``1 Stunde``."""
    return span_text(catalog, target.minutes, target.clock is Clock.BUSINESS_HOURS)


# ─── Reading answers from a fragment ──────────────────────────────────────


@dataclass(frozen=True)
class Reading:
    """Answers as read: the needs, the usage fee (EUR) or None, the canonical
    fields (link key → value, in link order) and the keys whose value could
    not be read, with that value as clean, shortened text."""

    needs: Needs
    usage: Decimal | None
    fields: dict[str, str]
    unread: dict[str, str]
    usage_code: str | None = None


def link_keys(catalog: Catalog) -> tuple[str, ...]:
    """The advisor link's keys, in the order the canonical link writes them."""
    return (*(f"{SEVERITY_KEY}{s.level}" for s in catalog.severities), *KEYS, USAGE_KEY)


def parse_needs(
    fragment: str, catalog: Catalog, *, typed: bool = False, lang: str = DEFAULT_LANGUAGE
) -> Reading:
    """Read the answers from a fragment (with or without ``#``); never raises
    (but for an unknown ``lang``).

    ``typed``: the fragment comes from the form, where a usage fee is read
    as the Preisrechner of ``lang`` reads it and refused with its code; a
    link's fee is read the same in every language.
    """
    fmt = formats_for(lang)
    raw: dict[str, str] = {}
    for key, value in fragment_fields(fragment):
        raw.setdefault(key, value)
    fields: dict[str, str] = {}
    unread: dict[str, str] = {}
    values: dict[str, Any] = {}
    for key in link_keys(catalog)[:-1]:
        text = raw.get(key, "").strip()
        if not text:
            continue
        value = _read(catalog, key, text)
        if value is None:
            unread[key] = shorten(clean_text(text[:MAX_NOTE_VALUE * 2]), MAX_NOTE_VALUE)
        else:
            values[key], fields[key] = value
    usage, usage_code = _usage(raw.get(USAGE_KEY, ""), fmt if typed else None)
    if usage_code:
        unread[USAGE_KEY] = shorten(clean_text(raw[USAGE_KEY][:MAX_NOTE_VALUE * 2]), MAX_NOTE_VALUE)
    elif usage is not None:
        fields[USAGE_KEY] = make_link(QuoteState(usage=usage)).partition("=")[2]
    return Reading(_needs(catalog, values), usage, fields, unread, usage_code)


def _usage(text: str, form: Formats | None) -> tuple[Decimal | None, str | None]:
    # A form's fee in the form's notation (``form``), else a link's.
    if not text.strip():
        return None, None
    try:
        return (read_usage(text) if form is None else form.parse_usage(text)), None
    except CalculatorError as error:
        return None, error.code


def _read(catalog: Catalog, key: str, text: str) -> tuple[Any, str] | None:
    """(value, canonical link text) of one key, or None if unreadable."""
    if key.startswith(SEVERITY_KEY):
        minutes = {str(o.minutes): o.minutes for o in catalog.advisor.question("response_time").options}
        return (minutes[text], text) if text in minutes else None
    capability = KEYS[key]
    if capability == "support_hours":
        ids = [o.id for o in catalog.advisor.question("support_hours").options]
        return (text == "round_the_clock", text) if text in ids else None
    if capability == "channels":
        wanted = [part.strip() for part in text.split(",") if part.strip()]
        known = [channel for channel, _ in catalog.advisor.channels]
        if not wanted or any(part not in known for part in wanted):
            return None
        chosen = tuple(channel for channel in known if channel in wanted)
        return chosen, ",".join(chosen)
    if capability in ("contacts", "cases_per_quarter"):
        return (int(text), str(int(text))) if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_COUNT else None
    if capability == "third_party":
        levels = [level for level, _ in catalog.advisor.third_party_levels][1:]
        return (text, text) if text in levels else None
    return (True, YES) if text.lower() == YES else None


def _needs(catalog: Catalog, values: Mapping[str, Any]) -> Needs:
    by_capability = {KEYS[key]: value for key, value in values.items() if key in KEYS}
    return Needs(
        response={s.level: values[f"{SEVERITY_KEY}{s.level}"] for s in catalog.severities
                  if f"{SEVERITY_KEY}{s.level}" in values},
        around_the_clock=by_capability.get("support_hours"),
        channels=by_capability.get("channels", ()),
        contacts=by_capability.get("contacts"),
        cases_per_quarter=by_capability.get("cases_per_quarter"),
        third_party=by_capability.get("third_party"),
        flags=tuple(flag for flag in _FLAGS if by_capability.get(flag)),
    )


def canonical_fragment(catalog: Catalog, fields: Mapping[str, str]) -> str:
    """``sg1=30&kanaele=ticket,chat&nutzung=25000`` (keys in link order, without ``#``)."""
    return "&".join(f"{key}={percent(fields[key], safe=',.')}" for key in link_keys(catalog) if key in fields)


# ─── The page's answer ────────────────────────────────────────────────────


def question_label(catalog: Catalog, key: str) -> str:
    """The label of the question a link key belongs to."""
    capability = "response_time" if key.startswith(SEVERITY_KEY) else KEYS[key]
    label = catalog.advisor.question(capability).label
    return f"{label} ({key[len(SEVERITY_KEY):]})" if key.startswith(SEVERITY_KEY) else label


def advice_view(
    catalog: Catalog, fragment: str, *, typed: bool = False, lang: str = DEFAULT_LANGUAGE
) -> dict[str, Any]:
    """Everything the page shows for a fragment, as plain texts (JSON-ready),
    numbers and amounts in the notation of ``lang``.

    ``typed``: the fragment is the form's; unreadable values then become
    ``errors`` by link key (the usage fee's wording is the Preisrechner's),
    else ``notes`` (the link's wording).
    """
    fmt = formats_for(lang)
    reading = parse_needs(fragment, catalog, typed=typed, lang=lang)
    advice = advise(catalog, reading.needs, reading.usage, lang)
    texts = catalog.messages["advisor"]
    errors: dict[str, str] = {}
    notes: list[str] = []
    for key, value in reading.unread.items():
        if typed:
            errors[key] = (catalog.messages["usage"][reading.usage_code.partition(".")[2]]
                           if key == USAGE_KEY else texts["count"])
        elif key == USAGE_KEY:
            notes.append(fill(catalog.messages["link"]["usage"], value=value))
        else:
            notes.append(fill(texts["ignored"], value=value, question=question_label(catalog, key)))
    chosen = advice.recommended or advice.closest
    return {
        "fragment": canonical_fragment(catalog, reading.fields),
        "fields": reading.fields,
        "needs": len(reading.fields) - (USAGE_KEY in reading.fields),
        "notes": notes,
        "errors": errors,
        "usage": None if reading.usage is None else fmt.format_eur(reading.usage),
        "usage_input": None if reading.usage is None else fmt.typed_amount(reading.usage),
        "recommended": advice.recommended,
        "closest": advice.closest,
        "business_hours_missed": any(m.kind == "business_hours" for found in advice.misses.values() for m in found),
        "plans": [
            {
                "plan": plan.id,
                "name": plan.name,
                "meets": not advice.misses[plan.id],
                "misses": [m.text for m in advice.misses[plan.id]],
                "monthly": None if reading.usage is None else fmt.format_eur(advice.prices[plan.id]),
                "rule": quote(plan, reading.usage or Decimal(0)).rule,
                "starts_from": plan.price.starts_from,
            }
            for plan in catalog.plans
        ],
        "quote_fragment": make_link(QuoteState(usage=reading.usage, plan=chosen)),
    }



# ─── The matrix for readers without JavaScript ────────────────────────────


@dataclass(frozen=True)
class MatrixRow:
    """One need of the static matrix: the question's label, the answer (a
    severity's target, an option's label, a count; "" for a yes/no extra)
    and, per plan in data order, its misses for that need alone (empty: met)."""

    question: str
    answer: str
    cells: tuple[tuple[str, ...], ...]


def matrix(catalog: Catalog, lang: str = DEFAULT_LANGUAGE) -> tuple[MatrixRow, ...]:
    """Needs × plans, decided by the same rule: every response target any plan
    promises (per severity), around-the-clock support, each channel, one more
    contact or case than each limited plan allows, each third-party level and
    each of the extras. Counts are written in the notation of ``lang``."""
    fmt = formats_for(lang)
    advisor = catalog.advisor
    label = {q.capability: q.label for q in advisor.questions}
    rows: list[tuple[str, str, Needs]] = []
    options = {o.minutes: o.label for o in advisor.question("response_time").options}
    for severity in catalog.severities:
        promised = sorted({t.minutes for plan in catalog.plans if (t := plan.target_for(severity.level))})
        rows += [(label["response_time"], f"{severity.level}\u00a0– {severity.name}: "
                  f"{options.get(m) or span_text(catalog, m, False)}", Needs(response={severity.level: m}))
                 for m in promised]
    rows += [(label["support_hours"], o.label, Needs(around_the_clock=True))
             for o in advisor.question("support_hours").options if o.id == "round_the_clock"]
    rows += [(label["channels"], name, Needs(channels=(channel,))) for channel, name in advisor.channels]
    for capability in ("contacts", "cases_per_quarter"):
        limits = sorted({getattr(p.capabilities, capability).upper for p in catalog.plans} - {None})
        rows += [(label[capability], fmt.format_number(Decimal(n + 1), 0), Needs(**{capability: n + 1}))
                 for n in limits]
    rows += [(label["third_party"], name, Needs(third_party=level)) for level, name in advisor.third_party_levels[1:]]
    rows += [(label[flag], "", Needs(flags=(flag,))) for flag in _FLAGS]
    return tuple(
        MatrixRow(question, answer,
                  tuple(tuple(m.text for m in misses(catalog, plan, needs, lang)) for plan in catalog.plans))
        for question, answer, needs in rows
    )
