"""Response-time links: ``reaktionszeit/#plan=basic&schweregrad=3&eingang=2026-11-27T17:30``.

Keys, all optional: ``plan`` (a plan id, any case), ``schweregrad`` (a
severity level) and ``eingang`` (when the ticket arrived: ISO 8601, German
local time unless it carries an offset such as ``+01:00`` or ``Z``). The
page writes the German wall time, with its offset only where the wall time
is repeated or skipped by a clock change (``2026-10-25T02:30+01:00``, the
second 02:30 of that night); links without an offset keep working.
Unknown keys are ignored, of a repeated key the first counts. A link with
a severity but no plan shows the first plan with a target for it. An unknown
plan or severity falls back to the default with a note in the data's
wording; an ``eingang`` that cannot be read is reported as such, so the
page shows the message at the field and no result. The fields use the
fragment syntax of quote links (``quote_link.fragment_fields``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from .errors import CalculatorError
from .model import Catalog
from .quote_link import MAX_NOTE_VALUE, clean_text, fragment_fields, shorten
from .response_time import Submission, WallKind, business_zone, read_submission
from .texts import fill

KEYS = ("plan", "schweregrad", "eingang")


@dataclass(frozen=True)
class ResponseLink:
    """A response-time link as read: ``submitted`` is German wall time
    ``YYYY-MM-DDTHH:MM``, followed by its UTC offset (``+01:00``) when a
    clock change repeats or skips that wall time (``link_value``); None:
    not given; "" when given but unreadable, then ``submitted_raw`` holds
    what the link said."""

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
            return link_value(read_submission(text, zone))
        except CalculatorError:
            continue
    return ""


def link_value(entry: Submission) -> str:
    """The submission as a link writes it: German wall time to the minute,
    with its UTC offset when the wall time is repeated or skipped
    (``2026-10-25T02:30+01:00``), else without (``2026-11-27T17:30``)."""
    wall = f"{date_iso(entry.wall)}T{entry.wall.strftime('%H:%M')}"
    return wall if entry.kind is WallKind.ORDINARY else wall + offset_text(entry.offset)


def offset_text(offset: timedelta) -> str:
    """``+01:00``, ``-05:00`` (whole minutes)."""
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def date_iso(moment: datetime) -> str:
    """``2026-10-25``. Not strftime: its %Y gives "100" or "0100" depending
    on the C library."""
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"


def _shown(raw: str) -> str:
    return shorten(clean_text(raw), MAX_NOTE_VALUE)
