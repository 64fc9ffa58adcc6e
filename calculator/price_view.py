"""The price calculator's answer for one typed usage fee, ready to show.

``price_view`` parses what the visitor typed, prices every plan and writes
every number the German way, so the browser only puts finished text into
the page (as text, never as HTML). It is plain data (JSON-ready), so the
same answer can be checked in CPython and in Pyodide.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping

from .errors import CalculatorError
from .german import format_eur, format_percent
from .model import Catalog, PriceModel
from .pricing import Quote, quote
from .texts import fill
from .usage_input import parse_usage



def price_view(
    catalog: Catalog, typed: str, prices: Mapping[str, PriceModel] | None = None
) -> dict[str, Any]:
    """``{"ok": True, "usage": "25.000,00 €", "plans": [...]}`` for valid input,
    else ``{"ok": False, "code": "usage.grouping", "message": <German text>}``.

    ``prices`` (plan id → price model, e.g. a past price list's) replaces
    today's price of the plans it names. The message comes from the data
    file (``messages.usage``). Each plan also has ``from_note``: for a plan
    priced "ab" whose minimum is below another plan's computed price, the
    data's text that its price is agreed individually and not a cheaper
    option by itself (else None).
    """
    try:
        usage = parse_usage(typed)
    except CalculatorError as error:
        return {"ok": False, "code": error.code, "message": usage_message(catalog, error.code)}
    models = prices or {}
    quotes = [quote(replace(plan, price=models.get(plan.id, plan.price)), usage) for plan in catalog.plans]
    return {
        "ok": True,
        "usage": format_eur(usage),
        "usage_value": str(usage),
        "plans": [{**plan_view(result), "from_note": from_note(catalog, result, quotes)} for result in quotes],
    }


def from_note(catalog: Catalog, result: Quote, quotes: list[Quote]) -> str | None:
    """For a plan priced "ab" (``result.starts_from``), the data's text
    ``messages.price.from_not_cheaper`` naming the dearest other plan whose
    computed price exceeds the minimum; None otherwise."""
    if not result.starts_from:
        return None
    dearer = [other for other in quotes if not other.starts_from and other.monthly > result.monthly]
    if not dearer:
        return None
    other = max(dearer, key=lambda q: q.monthly)
    return fill(
        catalog.messages["price"]["from_not_cheaper"],
        plan=catalog.plan(result.plan_id).name,
        minimum=format_eur(result.monthly),
        other=catalog.plan(other.plan_id).name,
        amount=format_eur(other.monthly),
    )


def usage_message(catalog: Catalog, code: str) -> str:
    """The visitors' wording for a refusal code such as ``usage.decimals``."""
    group, _, key = code.partition(".")
    return catalog.messages[group][key]


def plan_view(result: Quote) -> dict[str, Any]:
    """One plan's quote as display texts (amounts in EUR, German notation).

    ``monthly_value`` keeps the exact amount as a plain decimal string for
    machines (tests, links); everything else is text for people. The
    effective rate is None where it would mislead: for a plan priced "ab"
    (its amount is agreed individually) and above 100 %.
    """
    return {
        "plan": result.plan_id,
        "rule": result.rule,
        "starts_from": result.starts_from,
        "monthly": format_eur(result.monthly),
        "monthly_value": str(result.monthly),
        "annual": format_eur(result.annual),
        "effective_rate": None
        # Above 100 % (a price above the usage fee itself) no rate is meaningful.
        if result.effective_rate is None or result.starts_from or result.monthly > result.usage
        else format_percent(result.effective_rate, places=1),
        "base": format_eur(result.base),
        "lines": [
            {
                "lower": format_eur(line.band.lower),
                "upper": None if line.band.upper is None else format_eur(line.band.upper),
                "portion": format_eur(line.portion),
                "rate": format_percent(line.band.rate),
                "amount": format_eur(line.amount),
            }
            for line in result.lines
        ],
    }
