"""Response-time links: ``reaktionszeit/#plan=basic&schweregrad=3&eingang=2026-11-27T17:30``.

Keys, all optional: ``plan`` (a plan id, any case), ``schweregrad`` (a
severity level) and ``eingang`` (when the ticket arrived: ISO 8601, German
local time unless it carries an offset such as ``+01:00`` or ``Z``).
Unknown keys are ignored, of a repeated key the first counts. A link with
a severity but no plan shows the first plan with a target for it. An unknown
plan or severity falls back to the default with a note in the data's
wording; an ``eingang`` that cannot be read is reported as such, so the
page shows the message at the field and no result. The fields use the
fragment syntax of quote links (``quote_link.fragment_fields``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from .errors import CalculatorError
from .model import Catalog
from .quote_link import MAX_NOTE_VALUE, clean_text, fragment_fields, shorten
from .response_time import business_zone, normalise_submission
from .texts import fill

KEYS = ("plan", "schweregrad", "eingang")


@dataclass(frozen=True)
class ResponseLink:
    """A response-time link as read: ``submitted`` is German wall time
    ``YYYY-MM-DDTHH:MM`` (None: not given; "" when given but unreadable,
    then ``submitted_raw`` holds what the link said)."""

    plan: str
    severity: int
    submitted: str | None
    submitted_raw: str
    notes: tuple[str, ...]


def default_severity(catalog: Catalog, plan_id: str) -> int:
    """The most severe level the plan has a target for (else the first level)."""
    targets = catalog.plan(plan_id).response_targets
    return targets[0].severity if targets else catalog.severities[0].level


def parse_response_link(fragment: str, catalog: Catalog) -> ResponseLink:
    """Read a response-time link's fragment (with or without ``#``); never raises."""
    fields: dict[str, str] = {}
    for key, raw in fragment_fields(fragment):
        fields.setdefault(key, raw)
    texts = catalog.messages["response_time"]
    notes: list[str] = []
    plan_ids = {plan.id: plan for plan in catalog.plans}
    plan = catalog.plans[0]
    if "plan" in fields:
        if fields["plan"].strip().lower() in plan_ids:
            plan = plan_ids[fields["plan"].strip().lower()]
        else:
            notes.append(fill(texts["plan_ignored"], value=_shown(fields["plan"]), default=plan.name))
    severity = default_severity(catalog, plan.id)
    if "schweregrad" in fields:
        levels = {str(s.level): s.level for s in catalog.severities}
        if fields["schweregrad"].strip() in levels:
            severity = levels[fields["schweregrad"].strip()]
            if "plan" not in fields:
                plan = _first_plan_with_target(catalog, severity) or plan
        else:
            notes.append(fill(texts["severity_ignored"], value=_shown(fields["schweregrad"]), default=severity))
    raw = fields.get("eingang", "")
    return ResponseLink(plan.id, severity, _wall_time(catalog, raw) if raw else None, raw, tuple(notes))


def _first_plan_with_target(catalog: Catalog, severity: int):
    # A link that names only a severity shows a plan that promises something.
    return next((plan for plan in catalog.plans if plan.target_for(severity)), None)


def make_response_link(plan_id: str, severity: int, submitted: str | None) -> str:
    """The canonical fragment (without ``#``); ``submitted`` as given."""
    values = {"plan": plan_id, "schweregrad": str(severity), "eingang": submitted}
    return "&".join(f"{key}={quote(value, safe=':')}" for key, value in values.items() if value)


def _wall_time(catalog: Catalog, raw: str) -> str:
    # "" when the value cannot be read as a date and time. A "+" typed into
    # a link arrives as a space (form decoding): "17:30 01:00" is "17:30+01:00".
    zone = business_zone(catalog.business_hours)
    for text in dict.fromkeys((raw[:64], raw[:64].strip().replace(" ", "+"))):
        try:
            moment = normalise_submission(text, zone)
        except CalculatorError:
            continue
        # Not strftime: its %Y gives "100" or "0100" depending on the C library.
        return moment.replace(tzinfo=None).isoformat(timespec="minutes")
    return ""


def _shown(raw: str) -> str:
    return shorten(clean_text(raw), MAX_NOTE_VALUE)
