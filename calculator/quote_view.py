"""A quote link's answer for the calculator page, and the link for a form.

``quote_view`` reads a link (``calculator.quote_link``) as a document:
issued on a German day, valid until a last day, made under a price list
whose amounts the link's fingerprint names. It prices the quote with
today's prices and, if the data keeps the price list the quote was made
under, with that one too (the quote's headline while it is valid); every
number is written in the page language's notation (``calculator.formats``,
German by default) and every note is the catalog's wording. The link
itself is the same in every language. The answer is plain data
(JSON-ready) of plain texts: the page puts them in as text, never as HTML.
``link_for`` turns the calculator form's current values into the
canonical link fragment.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Mapping

from .errors import CalculatorError
from .formats import DEFAULT_LANGUAGE, Formats, formats_for
from .model import Catalog
from .price_view import plan_view, price_view
from .pricing import price_fingerprint, quote
from .response_time import business_zone
from .quote_link import QuoteState, make_link, note_text, parse_link, read_value
from .texts import fill

# The calculator form's field names → the link's keys (usage is read apart).
_FORM_KEYS = {"plan": "plan", "customer": "kunde", "reference": "ref", "valid_until": "gueltig"}


def quote_view(
    catalog: Catalog, fragment: str, today: object = None, lang: str = DEFAULT_LANGUAGE
) -> dict[str, Any]:
    """What the page shows for a quote link (fragment with or without ``#``)
    on the German day ``today`` (see ``german_day``), with amounts and dates
    in the notation of ``lang`` (the examples below are German's).

    ``usage`` is the fee for the form field as the page's visitors type it
    (``25.000``, ``5.000,50``; English ``25,000``; "" if none); ``plan``, ``customer``, ``reference`` and
    ``price_list`` come from the link; ``is_quote`` says whether it is a
    quote for a customer (a plan, customer, reference or last valid day).
    ``valid_until_iso`` is the link's own last valid day (``2026-12-01``,
    None if none; the form's field), ``valid_until`` the quote's last valid
    day shown (``01.12.2026``): the link's own, else the issue day plus the
    data's ``quote_validity_days`` − 1, else None. ``issued`` and
    ``issued_iso`` are the link's issue day, ``date`` the quote's "Datum":
    the issue day, else today. ``validity`` is ``"valid"`` (today is on or
    before the last valid day), ``"expired"`` or ``"unknown"``. ``notes``
    are German texts on the link's values, ``quote_notes`` German texts on
    the quote as a document (what an older link lacks, expiry, price list).
    ``fragment`` is the link's canonical form. ``prices`` is the headline
    ``price_view`` for the fee (None without one): the quote's own amounts
    while it is valid and its older price list is kept, else today's;
    ``today`` is today's ``price_view`` when ``headline`` is ``"quoted"``
    (None when it is ``"today"``); ``edit_note`` says, for a quote under
    another price list, that editing makes it one under today's; ``applied`` names the price list of ``prices``
    (``version``, ``effective``). For ``price_list_status`` see
    ``price_list_status``; ``price_list_message`` is its German text (None
    if there is nothing to say), and ``quoted`` (only for
    "changed_known", else None) holds the old price list's ``version``,
    ``effective`` and ``ends`` dates and, for a fee, ``plans``: one
    ``plan_view`` per plan the old list prices.
    """
    fmt = formats_for(lang)
    parsed = parse_link(fragment, catalog)  # the same in every language
    state = parsed.state
    today = german_day(catalog, today)
    typed = None if state.usage is None else fmt.typed_amount(state.usage)
    status = price_list_status(catalog, state.price_list, state.fingerprint)
    last_day = last_valid_day(catalog, state)
    validity = "unknown" if last_day is None else "valid" if today <= last_day else "expired"
    past = catalog.past_price_list(state.price_list or "") if status == "changed_known" else None
    headline = "quoted" if past is not None and validity == "valid" else "today"
    applied = past if headline == "quoted" else catalog.price_list
    today_prices = None if typed is None else price_view(catalog, typed, lang=lang)
    quoted_prices = None
    if typed is not None and past is not None and headline == "quoted":
        quoted_prices = price_view(catalog, typed, past.prices, lang=lang)
    message = _status_message(catalog, fmt, status, state.price_list, headline, last_day)
    return {
        "usage": typed or "",
        "plan": state.plan,
        "customer": state.customer,
        "reference": state.reference,
        "is_quote": bool(state.plan or state.customer or state.reference or state.valid_until),
        "valid_until": None if last_day is None else fmt.format_date(last_day),
        "valid_until_iso": None if state.valid_until is None else state.valid_until.isoformat(),
        "issued": None if state.issued is None else fmt.format_date(state.issued),
        "issued_iso": None if state.issued is None else state.issued.isoformat(),
        "date": fmt.format_date(state.issued or today),
        "validity": validity,
        "price_list": state.price_list,
        "current_price_list": catalog.price_list.version,
        "price_list_status": status,
        "price_list_message": message,
        "notes": [note_text(catalog, note) for note in parsed.notes],
        "quote_notes": [
            text for text in (_lacks(catalog, state), _expiry(catalog, fmt, validity, last_day), message) if text
        ],
        "fragment": make_link(state),
        "headline": headline,
        "applied": {"version": applied.version, "effective": fmt.format_date(applied.effective)},
        "prices": quoted_prices or today_prices,
        "today": today_prices if quoted_prices else None,
        "edit_note": _edit_note(catalog, status, state.price_list),
        "quoted": _quoted(catalog, state, lang) if status == "changed_known" else None,
    }


def german_day(catalog: Catalog, today: object = None) -> date:
    """The day it is in the business-hours zone (Europe/Berlin): ``today``
    as a date or ``YYYY-MM-DD`` text (the browser works it out with its own
    time-zone data, so that Pyodide needs no tz database), else (None, or a
    text that is no such day) ``german_today``."""
    if isinstance(today, date) and not isinstance(today, datetime):
        return today
    if isinstance(today, str):
        day, _ = read_value("datum", today, catalog)  # the link's own reading of a day
        if isinstance(day, date):
            return day
    return german_today(catalog)


def german_today(catalog: Catalog) -> date:
    """Today in the business-hours zone by this runtime's clock (CPython:
    the build, tests; Pyodide has no tz database unless loaded)."""
    return datetime.now(timezone.utc).astimezone(business_zone(catalog.business_hours)).date()


def last_valid_day(catalog: Catalog, state: QuoteState) -> date | None:
    """The quote's last valid day (inclusive): the link's ``gueltig``, else
    the issue day plus ``quote_validity_days`` − 1 (the issue day is day 1),
    else None (an older link without either)."""
    if state.valid_until is not None:
        return state.valid_until
    if state.issued is None:
        return None
    return state.issued + timedelta(days=catalog.price_list.quote_validity_days - 1)


def price_list_status(catalog: Catalog, version: str | None, fingerprint: str | None = None) -> str:
    """``"none"`` (the link names no price list), ``"current"`` (today's,
    or one whose amounts are today's), ``"changed_known"`` (an older one the
    data keeps), ``"changed_unknown"`` (one the data does not know) or
    ``"mismatch"`` (the link's ``fingerprint`` is not that of the amounts
    of the price list it names: the link was altered or the list edited)."""
    if version is None:
        return "none"
    current = current_fingerprint(catalog)
    prices = catalog.prices_for_version(version)
    if prices is None:
        return "current" if fingerprint == current else "changed_unknown"
    kept = price_fingerprint(prices)
    if fingerprint is not None and fingerprint != kept:
        return "mismatch"
    return "current" if version == catalog.price_list.version or kept == current else "changed_known"


def current_fingerprint(catalog: Catalog) -> str:
    """``price_fingerprint`` of today's prices (plan id → price model)."""
    return price_fingerprint({plan.id: plan.price for plan in catalog.plans})


def typed_amount(amount: Decimal, lang: str = DEFAULT_LANGUAGE) -> str:
    """A fee as the page's visitors type it: ``25.000``, ``5.000,50``
    (German), ``25,000``, ``5,000.50`` (English)."""
    return formats_for(lang).typed_amount(amount)


def link_for(
    catalog: Catalog, fields: Mapping[str, object], today: object = None, lang: str = DEFAULT_LANGUAGE
) -> str:
    """The canonical fragment for the calculator form's values.

    ``fields`` may hold ``usage`` (as typed, read like the form of ``lang``
    reads it: German ``25.000,50`` and English ``25,000.50`` both give
    ``nutzung=25000.50``), ``plan``, ``customer``,
    ``reference`` and ``valid_until`` (``YYYY-MM-DD``). A value that cannot
    be read is left out, a text too long is cut; the link names the
    current price list and its fingerprint, and is issued on the German day
    ``today`` (see ``german_day``).
    """
    values = {name: read_value(key, _text(fields.get(name)), catalog)[0] for name, key in _FORM_KEYS.items()}
    return make_link(
        QuoteState(
            usage=_form_usage(_text(fields.get("usage")), formats_for(lang)),
            plan=values["plan"],
            customer=values["customer"] or "",
            reference=values["reference"] or "",
            valid_until=values["valid_until"],
            price_list=catalog.price_list.version,
            issued=german_day(catalog, today),
            fingerprint=current_fingerprint(catalog),
        )
    )


def _text(value: object) -> str:
    # A form value as text; a missing one is empty.
    return "" if value is None else str(value)


def _form_usage(typed: str, fmt: Formats) -> Decimal | None:
    # The form's own reading (its language's parse_usage), so a link never
    # carries a fee the form refused; None when empty or refused.
    try:
        return fmt.parse_usage(typed)
    except CalculatorError:
        return None


def _status_message(
    catalog: Catalog, fmt: Formats, status: str, version: str | None, headline: str, last_day: date | None
) -> str | None:
    if version is None:
        return None
    if status == "mismatch":
        return fill(catalog.messages["quote"]["mismatch"], version=version)
    if status == "changed_known" and headline == "quoted" and last_day is not None:
        return fill(catalog.messages["quote"]["valid"], version=version, valid_until=fmt.format_date(last_day))
    key = {"changed_known": "price_list_changed_known", "changed_unknown": "price_list_changed"}.get(status)
    return None if key is None else fill(catalog.messages["link"][key], value=version)


def _edit_note(catalog: Catalog, status: str, version: str | None) -> str | None:
    if version is None or status not in ("changed_known", "changed_unknown", "mismatch"):
        return None
    return fill(catalog.messages["quote"]["repriced"], version=version, current=catalog.price_list.version)


def _lacks(catalog: Catalog, state: QuoteState) -> str | None:
    # What a link from an older calculator lacks (nothing for an empty link).
    if state == QuoteState():
        return None
    texts = catalog.messages["quote"]
    missing = [
        texts[key]
        for key, value in (
            ("lacks_issued", state.issued),
            ("lacks_price_list", state.price_list),
            ("lacks_fingerprint", state.fingerprint),
        )
        if value is None
    ]
    return fill(texts["lacks"], value=", ".join(missing)) if missing else None


def _expiry(catalog: Catalog, fmt: Formats, validity: str, last_day: date | None) -> str | None:
    if validity != "expired" or last_day is None:
        return None
    return fill(
        catalog.messages["quote"]["expired"],
        date=fmt.format_date(last_day + timedelta(days=1)),
        valid_until=fmt.format_date(last_day),
    )


def _quoted(catalog: Catalog, state: QuoteState, lang: str) -> dict[str, Any] | None:
    # The quote's amounts under the old price list the data keeps.
    past = catalog.past_price_list(state.price_list or "")
    if past is None:
        return None
    plans = None
    if state.usage is not None:
        plans = [
            plan_view(quote(replace(plan, price=past.prices[plan.id]), state.usage), lang)
            for plan in catalog.plans
            if plan.id in past.prices
        ]
    fmt = formats_for(lang)
    return {
        "version": past.version,
        "effective": fmt.format_date(past.effective),
        "ends": None if past.ends is None else fmt.format_date(past.ends),
        "plans": plans,
    }
