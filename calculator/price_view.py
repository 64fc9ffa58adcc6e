"""The price calculator's answer for one typed usage fee, ready to show.

``price_view`` parses what the visitor typed, prices every plan and writes
every number the German way, so the browser only puts finished text into
the page (as text, never as HTML). It is plain data (JSON-ready), so the
same answer can be checked in CPython and in Pyodide.
"""

from __future__ import annotations

from typing import Any

from .errors import CalculatorError
from .german import format_eur, format_percent
from .model import Catalog
from .pricing import Quote, quote
from .usage_input import parse_usage


def price_view(catalog: Catalog, typed: str) -> dict[str, Any]:
    """``{"ok": True, "usage": "25.000,00 €", "plans": [...]}`` for valid input,
    else ``{"ok": False, "code": "usage.grouping", "message": <German text>}``.

    The message comes from the data file (``messages.usage``).
    """
    try:
        usage = parse_usage(typed)
    except CalculatorError as error:
        return {"ok": False, "code": error.code, "message": usage_message(catalog, error.code)}
    return {
        "ok": True,
        "usage": format_eur(usage),
        "usage_value": str(usage),
        "plans": [plan_view(quote(plan, usage)) for plan in catalog.plans],
    }


def usage_message(catalog: Catalog, code: str) -> str:
    """The visitors' wording for a refusal code such as ``usage.decimals``."""
    group, _, key = code.partition(".")
    return catalog.messages[group][key]


def plan_view(result: Quote) -> dict[str, Any]:
    """One plan's quote as display texts (amounts in EUR, German notation).

    ``monthly_value`` keeps the exact amount as a plain decimal string for
    machines (tests, links); everything else is text for people.
    """
    return {
        "plan": result.plan_id,
        "rule": result.rule,
        "starts_from": result.starts_from,
        "monthly": format_eur(result.monthly),
        "monthly_value": str(result.monthly),
        "annual": format_eur(result.annual),
        "effective_rate": None
        if result.effective_rate is None
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
