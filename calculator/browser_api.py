"""What the browser's worker calls: JSON text in, JSON text out.

The worker builds one ``BrowserApi`` from the data the site ships
(``catalog.json``) and sends each request as ``{"type": ..., ...}``; a
request it does not know raises CalculatorError, which the worker turns
into a rejected promise on the page.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any, Callable

from .errors import CalculatorError
from .model import Catalog, build_catalog
from .price_view import price_view
from .response_link import make_response_link, parse_response_link
from .response_view import response_view
from .quote_view import link_for, quote_view


class BrowserApi:
    """Answers the page's requests from one catalog."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._handlers: dict[str, Callable[[dict[str, Any]], Any]] = {
            "price": lambda request: price_view(self.catalog, str(request["usage"])),
            # A quote link opened: {"type": "link", "fragment": "#nutzung=25000&plan=advanced",
            # "today": "2026-11-27"} (the German day, Europe/Berlin, from the browser's clock).
            "link": lambda request: quote_view(
                self.catalog, str(request.get("fragment") or ""), request.get("today")
            ),
            # "Link kopieren": {"type": "make_link", "fields": {"usage": "25.000", …}} → fragment.
            "make_link": lambda request: link_for(self.catalog, _fields(request), request.get("today")),
            # Response-time link opened: {"type": "response_link", "fragment": "#plan=basic&…"}.
            "response_link": lambda request: asdict(
                parse_response_link(str(request.get("fragment") or ""), self.catalog)
            ),
            # {"type": "response", "plan", "severity", "submitted", "now", "zone"} → due time.
            "response": self._response,
        }

    @classmethod
    def from_json(cls, catalog_json: str) -> "BrowserApi":
        """The API for the plan data as the build wrote it."""
        return cls(build_catalog(json.loads(catalog_json)))

    def _response(self, request: dict[str, Any]) -> dict[str, Any]:
        plan, severity, submitted = str(request["plan"]), int(request["severity"]), str(request["submitted"])
        view = response_view(
            self.catalog, plan, severity, submitted,
            now=request.get("now"), visitor_zone=request.get("zone"),
        )
        return {**view, "fragment": make_response_link(plan, severity, submitted or None)}

    def handle(self, request_json: str) -> str:
        """Answer one request: ``{"type": "price", "usage": "25.000"}`` → JSON."""
        request = json.loads(request_json)
        handler = self._handlers.get(request.get("type"))
        if handler is None:
            raise CalculatorError(f"unknown request type {request.get('type')!r}", code="request")
        return json.dumps(handler(request), ensure_ascii=False)


def _fields(request: dict[str, Any]) -> dict[str, Any]:
    """The form values of a ``make_link`` request (a JSON object)."""
    fields = request.get("fields") or {}
    if not isinstance(fields, dict):
        raise CalculatorError("make_link: fields must be an object", code="request")
    return fields
