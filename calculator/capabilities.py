"""A plan's capabilities in words, as the comparison table and the Planberater write them.

The wording lives in the data file (``advisor.values``, the labels of
``advisor.channels`` and ``advisor.third_party_levels``); these functions
only choose and fill it. ``capability_cell`` gives a generated comparison
row's cell, so the table is rendered from the same values the advisor
decides with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from .texts import fill

if TYPE_CHECKING:
    from .model import Advisor, Capabilities, Limit

# Comparison rows generated from plans[].capabilities.
CAPABILITY_ROWS = ("support_hours", "channels", "contacts_and_cases", "third_party", "additional_support")
_EXTRAS = ("quarterly_review", "technical_account_manager", "business_account_manager")


def hours_text(advisor: Advisor, capabilities: Capabilities) -> str:
    """When the plan's technical support team can be reached."""
    values = advisor.values
    return values["round_the_clock" if capabilities.around_the_clock else "business_hours"]


def channels_text(advisor: Advisor, channels: Iterable[str]) -> str:
    """``Ticket, Telefon``: the channels' labels in the data's order."""
    return ", ".join(label for channel, label in advisor.channels if channel in channels)


def limit_text(advisor: Advisor, capability: str, limit: Limit) -> str:
    """``Ein Hauptkontakt``, ``2-5 festgelegte Kontaktpersonen``, ``10 Fälle / Quartal``."""
    values = advisor.values
    prefix = "contacts" if capability == "contacts" else "cases"
    if limit.upper is None:
        return values[f"{prefix}_unlimited"]
    if prefix == "contacts" and limit.lower is not None:
        return fill(values["contacts_range"], **{"from": limit.lower, "to": limit.upper})
    if prefix == "contacts" and limit.upper == 1:
        return values["contacts_one"]
    count = limit.upper if limit.lower is None else f"{limit.lower}-{limit.upper}"
    return fill(values[f"{prefix}_count"], count=count)


def third_party_text(advisor: Advisor, capabilities: Capabilities) -> str:
    """The label of the plan's third-party software support."""
    return dict(advisor.third_party_levels)[capabilities.third_party]


def additional_texts(advisor: Advisor, capabilities: Capabilities) -> tuple[str, ...]:
    """Quarterly review, Technical and Business Account Manager, where offered."""
    values = advisor.values
    return tuple(values[flag] for flag in _EXTRAS if getattr(capabilities, flag))


def capability_cell(advisor: Advisor, capabilities: Capabilities, row: str) -> tuple[tuple[str, ...], str | None]:
    """The lines and the footnote id (or None) of a generated row's cell."""
    if row == "support_hours":
        return (hours_text(advisor, capabilities),), None if capabilities.around_the_clock else "business_hours"
    if row == "channels":
        return (channels_text(advisor, capabilities.channels),), None
    if row == "contacts_and_cases":
        return (limit_text(advisor, "contacts", capabilities.contacts),
                limit_text(advisor, "cases_per_quarter", capabilities.cases_per_quarter)), None
    if row == "third_party":
        return (third_party_text(advisor, capabilities),), None
    return additional_texts(advisor, capabilities) or (advisor.values["none"],), None
