"""What the browser's worker calls: JSON text in, JSON text out.

The worker builds one ``BrowserApi`` from the data the site ships
(``catalog.json``) and sends each request as ``{"type": ..., ...}``. A
request that is not a JSON object, names an unknown type, lacks a required
field or has a field of the wrong JSON type raises CalculatorError (code
``request``) before any handler runs, and nothing else escapes for a bad
shape; the worker turns it into a rejected promise on the page. Fields a
type does not list are ignored. Every type takes an optional ``lang``
(``"de"``, the default, or ``"en"``: one of FIELD_CHOICES; any other value
is refused the same way): the notation in which typed amounts are read and
numbers, amounts and dates are written. The words are the catalog's (an
English page's worker loads the English catalog); links are the same in
every language.

Each handler imports its modules when first called, so a page imports only
what its requests need: the price page never loads ``response_view`` or
``response_link``; the response-time page never loads ``price_view``'s
quote modules until asked.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any, Callable

from .errors import CalculatorError
from .formats import DEFAULT_LANGUAGE, LANGUAGES
from .model import Catalog, build_catalog


# The shape of each request type: field → (allowed Python types after
# json.loads, required). Optional fields may also be null or absent.
_Field = tuple[tuple[type, ...], bool]
_TEXT, _OBJECT, _WHOLE = (str,), (dict,), (int,)
_LANG: dict[str, _Field] = {"lang": (_TEXT, False)}
REQUEST_FIELDS: dict[str, dict[str, _Field]] = {
    "price": {"usage": (_TEXT, True), **_LANG},
    "link": {"fragment": (_TEXT, False), "today": (_TEXT, False), **_LANG},
    "make_link": {"fields": (_OBJECT, False), "today": (_TEXT, False), **_LANG},
    "update": {"fields": (_OBJECT, False), "today": (_TEXT, False), **_LANG},
    "response_link": {"fragment": (_TEXT, False), **_LANG},
    "response": {
        "plan": (_TEXT, True), "severity": (_WHOLE, True), "submitted": (_TEXT, True),
        "now": (_TEXT, False), "zone": (_TEXT, False), **_LANG,
    },
    "advice": {"fragment": (_TEXT, False), "source": (_TEXT, False), **_LANG},
}
# Text fields that only take one of a few values, in whichever request type
# lists them.
FIELD_CHOICES: dict[str, tuple[str, ...]] = {"lang": LANGUAGES}
_JSON_NAMES = {str: "a text", dict: "an object", int: "a whole number"}


class BrowserApi:
    """Answers the page's requests from one catalog."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._handlers: dict[str, Callable[[dict[str, Any]], Any]] = {
            "price": self._price,
            # A quote link opened: {"type": "link", "fragment": "#nutzung=25000&plan=advanced",
            # "today": "2026-11-27"} (the German day, Europe/Berlin, from the browser's clock).
            "link": self._link,
            # "Link kopieren": {"type": "make_link", "fields": {"usage": "25.000", …}} → fragment.
            "make_link": self._make_link,
            # The form changed: {"type": "update", "fields": {…}, "today": …} → prices, link
            # and its view in one round trip (what "price", "make_link" and "link" answer).
            "update": self._update,
            # Response-time link opened: {"type": "response_link", "fragment": "#plan=basic&…"}.
            "response_link": self._response_link,
            # {"type": "response", "plan", "severity", "submitted", "now", "zone"} → due time.
            "response": self._response,
            # Planberater: {"type": "advice", "fragment": "#sg1=30&kontakte=8", "source": "form" | "link"}.
            "advice": self._advice,
        }

    @classmethod
    def from_json(cls, catalog_json: str) -> "BrowserApi":
        """The API for the plan data as the build wrote it."""
        return cls(build_catalog(json.loads(catalog_json)))

    def _advice(self, request: dict[str, Any]) -> dict[str, Any]:
        from .advisor import advice_view

        fragment = str(request.get("fragment") or "")
        return advice_view(self.catalog, fragment, typed=request.get("source") == "form", lang=_lang(request))

    def _price(self, request: dict[str, Any]) -> dict[str, Any]:
        from .price_view import price_view

        return price_view(self.catalog, str(request["usage"]), lang=_lang(request))

    def _link(self, request: dict[str, Any]) -> dict[str, Any]:
        from .quote_view import quote_view

        return quote_view(self.catalog, str(request.get("fragment") or ""), request.get("today"), _lang(request))

    def _make_link(self, request: dict[str, Any]) -> str:
        from .quote_view import link_for

        return link_for(self.catalog, _fields(request), request.get("today"), _lang(request))

    def _update(self, request: dict[str, Any]) -> dict[str, Any]:
        """``{"prices": price_view, "fragment": link, "view": quote_view of that link}``."""
        fields = _fields(request)
        fragment = self._make_link(request)
        return {
            "prices": self._price({"usage": str(fields.get("usage") or ""), "lang": request.get("lang")}),
            "fragment": fragment,
            "view": self._link({"fragment": fragment, "today": request.get("today"), "lang": request.get("lang")}),
        }

    def _response_link(self, request: dict[str, Any]) -> dict[str, Any]:
        from .response_link import parse_response_link

        return asdict(parse_response_link(str(request.get("fragment") or ""), self.catalog))

    def _response(self, request: dict[str, Any]) -> dict[str, Any]:
        from .response_link import make_response_link
        from .response_view import response_view

        plan, severity, submitted = str(request["plan"]), int(request["severity"]), str(request["submitted"])
        view = response_view(
            self.catalog, plan, severity, submitted,
            now=request.get("now"), visitor_zone=request.get("zone"), lang=_lang(request),
        )
        # The link carries the wall time, and its offset where a clock change makes it ambiguous.
        return {**view, "fragment": make_response_link(plan, severity, view.get("eingang"))}

    def handle(self, request_json: str) -> str:
        """Answer one request: ``{"type": "price", "usage": "25.000"}`` → JSON."""
        request = _request(request_json)
        handler = self._handlers.get(request["type"])
        if handler is None:
            raise CalculatorError(f"unknown request type {request['type']!r}", code="request")
        _check_fields(request)
        return json.dumps(handler(request), ensure_ascii=False)


def _request(request_json: str) -> dict[str, Any]:
    """The request as a dict with a text ``type``; CalculatorError otherwise."""
    try:
        request = json.loads(request_json)
    except (TypeError, ValueError, RecursionError) as error:
        raise CalculatorError(f"request is not JSON: {error}", code="request") from None
    if not isinstance(request, dict) or not isinstance(request.get("type"), str):
        raise CalculatorError("request must be a JSON object with a text type", code="request")
    return request


def _check_fields(request: dict[str, Any]) -> None:
    """CalculatorError unless the fields match REQUEST_FIELDS of the request's type."""
    kind = request["type"]
    for name, (types, required) in REQUEST_FIELDS.get(kind, {}).items():
        value = request.get(name)
        if value is None and not required:
            continue
        # bool is an int in Python, never a severity.
        if not isinstance(value, types) or isinstance(value, bool):
            wanted = " or ".join(_JSON_NAMES[t] for t in types)
            raise CalculatorError(f"{kind}: {name} must be {wanted}, found {value!r:.40}", code="request")
        choices = FIELD_CHOICES.get(name)
        if choices is not None and value not in choices:
            wanted = " or ".join(repr(choice) for choice in choices)
            raise CalculatorError(f"{kind}: {name} must be {wanted}, found {value!r:.40}", code="request")


def _lang(request: dict[str, Any]) -> str:
    """The request's language (checked by _check_fields), else the default."""
    return request.get("lang") or DEFAULT_LANGUAGE


def _fields(request: dict[str, Any]) -> dict[str, Any]:
    """The form values of a ``make_link`` request (a JSON object)."""
    fields = request.get("fields") or {}
    if not isinstance(fields, dict):
        raise CalculatorError("make_link: fields must be an object", code="request")
    return fields
