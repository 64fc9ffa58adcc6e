"""The price calculator's answer for one typed usage fee, ready to show.

``price_view`` parses what the visitor typed, prices every plan and writes
every number in the page language's notation (``calculator.formats``:
German by default), so the browser only puts finished text into
the page (as text, never as HTML). It is plain data (JSON-ready), so the
same answer can be checked in CPython and in Pyodide.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping

from .errors import CalculatorError
from .formats import DEFAULT_LANGUAGE, Formats, formats_for
from .model import Catalog, PriceModel
from .pricing import Quote, quote
from .texts import fill


def price_view(
    catalog: Catalog, typed: str, prices: Mapping[str, PriceModel] | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> dict[str, Any]:
    """``{"ok": True, "usage": "25.000,00 €", "plans": [...]}`` for valid input,
    else ``{"ok": False, "code": "usage.grouping", "message": <catalog's text>}``.

    ``lang`` ("de", "en") chooses how ``typed`` is read and how amounts are
    written (``€25,000.00`` in English); the words come from ``catalog``.

    ``prices`` (plan id → price model, e.g. a past price list's) replaces
    today's price of the plans it names. The message comes from the data
    file (``messages.usage``). Each plan also has ``from_note``: for a plan
    priced "ab" whose minimum is below another plan's computed price, the
    data's text that its price is agreed individually and not a cheaper
    option by itself (else None).
    """
    fmt = formats_for(lang)
    try:
        usage = fmt.parse_usage(typed)
    except CalculatorError as error:
        return {"ok": False, "code": error.code, "message": usage_message(catalog, error.code)}
    models = prices or {}
    quotes = [quote(replace(plan, price=models.get(plan.id, plan.price)), usage) for plan in catalog.plans]
    return {
        "ok": True,
        "usage": fmt.format_eur(usage),
        "usage_value": str(usage),
        "plans": [{**plan_view(result, lang), "from_note": from_note(catalog, result, quotes, lang)}
                  for result in quotes],
    }


def from_note(
    catalog: Catalog, result: Quote, quotes: list[Quote], lang: str = DEFAULT_LANGUAGE
) -> str | None:
    """For a plan priced "ab" (``result.starts_from``), the data's text
    ``messages.price.from_not_cheaper`` naming the dearest other plan whose
    computed price exceeds the minimum; None otherwise."""
    if not result.starts_from:
        return None
    dearer = [other for other in quotes if not other.starts_from and other.monthly > result.monthly]
    if not dearer:
        return None
    other = max(dearer, key=lambda q: q.monthly)
    fmt = formats_for(lang)
    return fill(
        catalog.messages["price"]["from_not_cheaper"],
        plan=catalog.plan(result.plan_id).name,
        minimum=fmt.format_eur(result.monthly),
        other=catalog.plan(other.plan_id).name,
        amount=fmt.format_eur(other.monthly),
    )


def usage_message(catalog: Catalog, code: str) -> str:
    """The visitors' wording for a refusal code such as ``usage.decimals``."""
    group, _, key = code.partition(".")
    return catalog.messages[group][key]


def plan_view(result: Quote, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """One plan's quote as display texts (amounts in EUR, in the notation of
    ``lang``).

    ``monthly_value`` keeps the exact amount as a plain decimal string for
    machines (tests, links); everything else is text for people. The
    effective rate is None where it would mislead: for a plan priced "ab"
    (its amount is agreed individually) and above 100 %.
    """
    fmt: Formats = formats_for(lang)
    return {
        "plan": result.plan_id,
        "rule": result.rule,
        "starts_from": result.starts_from,
        "monthly": fmt.format_eur(result.monthly),
        "monthly_value": str(result.monthly),
        "annual": fmt.format_eur(result.annual),
        "effective_rate": None
        # Above 100 % (a price above the usage fee itself) no rate is meaningful.
        if result.effective_rate is None or result.starts_from or result.monthly > result.usage
        else fmt.format_percent(result.effective_rate, places=1),
        "base": fmt.format_eur(result.base),
        "lines": [
            {
                "lower": fmt.format_eur(line.band.lower),
                "upper": None if line.band.upper is None else fmt.format_eur(line.band.upper),
                "portion": fmt.format_eur(line.portion),
                "rate": fmt.format_percent(line.band.rate),
                "amount": fmt.format_eur(line.amount),
            }
            for line in result.lines
        ],
    }
