"""A quote link's answer for the calculator page, and the link for a form.

``quote_view`` reads a link (``calculator.quote_link``), prices it with
today's prices and, if the data keeps the price list the quote was made
under, with that one too; every number is written the German way and every
note is the data file's German wording. The answer is plain data
(JSON-ready) of plain texts: the page puts them in as text, never as HTML.
``link_for`` turns the calculator form's current values into the
canonical link fragment.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any, Mapping

from .errors import CalculatorError
from .german import format_date, format_number
from .model import Catalog
from .money import round_cents
from .price_view import plan_view, price_view
from .pricing import quote
from .quote_link import QuoteState, make_link, note_text, parse_link, read_value
from .texts import fill
from .usage_input import parse_usage

# The calculator form's field names → the link's keys (usage is read apart).
_FORM_KEYS = {"plan": "plan", "customer": "kunde", "reference": "ref", "valid_until": "gueltig"}


def quote_view(catalog: Catalog, fragment: str) -> dict[str, Any]:
    """What the page shows for a quote link (fragment with or without ``#``).

    ``usage`` is the fee for the form field as Germans type it (``25.000``,
    ``5.000,50``; "" if none); ``plan``, ``customer``, ``reference`` and
    ``price_list`` come from the link; ``valid_until`` is ``01.12.2026``
    and ``valid_until_iso`` ``2026-12-01`` (both None if none); ``notes``
    are German texts; ``fragment`` is the link's canonical form; ``prices``
    is today's ``price_view`` for the fee (None without one). For
    ``price_list_status`` see ``price_list_status``; ``price_list_message``
    is its German text (None for "current" and "none"), and ``quoted``
    (only for "changed_known", else None) holds the old price list's
    ``version``, ``effective`` and ``ends`` dates and, for a fee, ``plans``:
    one ``plan_view`` per plan the old list prices.
    """
    parsed = parse_link(fragment, catalog)
    state = parsed.state
    typed = None if state.usage is None else typed_amount(state.usage)
    status = price_list_status(catalog, state.price_list)
    return {
        "usage": typed or "",
        "plan": state.plan,
        "customer": state.customer,
        "reference": state.reference,
        "valid_until": None if state.valid_until is None else format_date(state.valid_until),
        "valid_until_iso": None if state.valid_until is None else state.valid_until.isoformat(),
        "price_list": state.price_list,
        "current_price_list": catalog.price_list.version,
        "price_list_status": status,
        "price_list_message": _status_message(catalog, status, state.price_list),
        "notes": [note_text(catalog, note) for note in parsed.notes],
        "fragment": make_link(state),
        "prices": None if typed is None else price_view(catalog, typed),
        "quoted": _quoted(catalog, state) if status == "changed_known" else None,
    }


def price_list_status(catalog: Catalog, version: str | None) -> str:
    """``"none"`` (the link names no price list), ``"current"``,
    ``"changed_known"`` (an older one the data keeps) or
    ``"changed_unknown"`` (one the data does not know)."""
    if version is None:
        return "none"
    if version == catalog.price_list.version:
        return "current"
    return "changed_unknown" if catalog.past_price_list(version) is None else "changed_known"


def typed_amount(amount: Decimal) -> str:
    """A fee as a German would type it: ``25.000``, ``5.000,50``."""
    rounded = round_cents(amount)
    return format_number(rounded, 0 if rounded == rounded.to_integral_value() else 2)


def link_for(catalog: Catalog, fields: Mapping[str, object]) -> str:
    """The canonical fragment for the calculator form's values.

    ``fields`` may hold ``usage`` (as typed, read like the form reads it:
    ``25.000,50`` gives ``nutzung=25000.50``), ``plan``, ``customer``,
    ``reference`` and ``valid_until`` (``YYYY-MM-DD``). A value that cannot
    be read is left out, a text too long is cut; the link names the
    current price list.
    """
    values = {name: read_value(key, _text(fields.get(name)), catalog)[0] for name, key in _FORM_KEYS.items()}
    return make_link(
        QuoteState(
            usage=_form_usage(_text(fields.get("usage"))),
            plan=values["plan"],
            customer=values["customer"] or "",
            reference=values["reference"] or "",
            valid_until=values["valid_until"],
            price_list=catalog.price_list.version,
        )
    )


def _text(value: object) -> str:
    # A form value as text; a missing one is empty.
    return "" if value is None else str(value)


def _form_usage(typed: str) -> Decimal | None:
    # The form's own reading (parse_usage), so a link never carries a fee
    # the form refused; None when empty or refused.
    try:
        return parse_usage(typed)
    except CalculatorError:
        return None


def _status_message(catalog: Catalog, status: str, version: str | None) -> str | None:
    key = {"changed_known": "price_list_changed_known", "changed_unknown": "price_list_changed"}.get(status)
    return None if key is None or version is None else fill(catalog.messages["link"][key], value=version)


def _quoted(catalog: Catalog, state: QuoteState) -> dict[str, Any] | None:
    # The quote's amounts under the old price list the data keeps.
    past = catalog.past_price_list(state.price_list or "")
    if past is None:
        return None
    plans = None
    if state.usage is not None:
        plans = [
            plan_view(quote(replace(plan, price=past.prices[plan.id]), state.usage))
            for plan in catalog.plans
            if plan.id in past.prices
        ]
    return {
        "version": past.version,
        "effective": format_date(past.effective),
        "ends": None if past.ends is None else format_date(past.ends),
        "plans": plans,
    }
