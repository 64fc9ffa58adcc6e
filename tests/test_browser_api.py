"""The worker's entry point: any JSON text in, an answer or CalculatorError out.

``BrowserApi.handle`` is what the page's worker calls with whatever the page
sends. Literal requests first (valid ones with their exact answers, bad
shapes with their exact refusals), then Hypothesis: random JSON requests of
every type (well over 10.000 in all) never raise anything but
CalculatorError, and well-shaped ones answer with JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculator import CalculatorError
from calculator.browser_api import FIELD_CHOICES, REQUEST_FIELDS, BrowserApi
from tests.catalog import real_catalog
from macros.browser_bundle import catalog_to_json
from macros.plans_file import load_plan_data
from tests.helpers import REPO_ROOT

NBSP = "\u00a0"


def api() -> BrowserApi:
    return BrowserApi(real_catalog())


def ask(request: Any) -> Any:
    """The decoded answer to ``request`` (sent as JSON)."""
    return json.loads(api().handle(json.dumps(request)))


# ─── Literal requests ─────────────────────────────────────────────────────


def test_issue9_15_valid_requests_still_answer() -> None:
    price = ask({"type": "price", "usage": "25.000"})
    assert price["ok"] is True and price["usage"] == f"25.000,00{NBSP}€"
    assert [plan["monthly"] for plan in price["plans"]] == [f"0,00{NBSP}€", f"3.800,00{NBSP}€", f"10.000,00{NBSP}€"]
    refused = ask({"type": "price", "usage": "10,000"})
    assert (refused["ok"], refused["code"]) == (False, "usage.comma_thousands")
    fragment = ask({"type": "make_link", "fields": {"usage": "25.000", "plan": "advanced"}, "today": "2026-11-26"})
    assert fragment == "nutzung=25000&plan=advanced&preisliste=2026-01&datum=2026-11-26&preiscode=80b542b2"
    assert (ask({"type": "make_link", "today": "2026-11-26"})
            == ask({"type": "make_link", "fields": None, "today": "2026-11-26"})
            == "preisliste=2026-01&datum=2026-11-26&preiscode=80b542b2")
    assert ask({"type": "link", "fragment": "#" + fragment})["usage"] == "25.000"
    assert ask({"type": "link"}) == ask({"type": "link", "fragment": ""})
    response = ask({
        "type": "response", "plan": "basic", "severity": 3, "submitted": "2026-11-27T17:30",
        "now": "2026-11-27T16:30:00.000Z", "zone": "Europe/Berlin", "extra": ["ignored"],
    })
    assert response["ok"] is True and response["due"].startswith("Di., 01.12.2026, 11:30")
    assert ask({"type": "response", "plan": "basic", "severity": 3, "submitted": "2026-11-27T17:30"})["due"] == response["due"]
    assert ask({"type": "response_link", "fragment": "#plan=premium"})["plan"] == "premium"


@pytest.mark.parametrize(
    ("request_json", "message"),
    [
        ('{"type": "price"}', "price: usage must be a text, found None"),
        ('{"type": "price", "usage": null}', "price: usage must be a text, found None"),
        ('{"type": "price", "usage": 25000}', "price: usage must be a text, found 25000"),
        ('{"type": "price", "usage": ["25.000"]}', "price: usage must be a text, found ['25.000']"),
        ('{"type": "link", "fragment": {"a": 1}}', "link: fragment must be a text, found {'a': 1}"),
        ('{"type": "make_link", "fields": "usage=1"}', "make_link: fields must be an object, found 'usage=1'"),
        ('{"type": "make_link", "fields": []}', "make_link: fields must be an object, found []"),
        ('{"type": "response_link", "fragment": 7}', "response_link: fragment must be a text, found 7"),
        ('{"type": "response", "plan": "basic", "submitted": ""}', "response: severity must be a whole number, found None"),
        ('{"type": "response", "plan": "basic", "severity": "3", "submitted": ""}',
         "response: severity must be a whole number, found '3'"),
        ('{"type": "response", "plan": "basic", "severity": true, "submitted": ""}',
         "response: severity must be a whole number, found True"),
        ('{"type": "response", "plan": "basic", "severity": 3.5, "submitted": ""}',
         "response: severity must be a whole number, found 3.5"),
        ('{"type": "response", "plan": "basic", "severity": 3}', "response: submitted must be a text, found None"),
        ('{"type": "response", "plan": "basic", "severity": 3, "submitted": "", "zone": 1}',
         "response: zone must be a text, found 1"),
        ('{"type": "gold"}', "unknown request type 'gold'"),
        ('{"type": ["price"]}', "request must be a JSON object with a text type"),
        ('{"usage": "25.000"}', "request must be a JSON object with a text type"),
        ('["price"]', "request must be a JSON object with a text type"),
        ("null", "request must be a JSON object with a text type"),
    ],
)
def test_issue9_15_malformed_requests_are_refused_with_calculator_error(request_json: str, message: str) -> None:
    with pytest.raises(CalculatorError) as caught:
        api().handle(request_json)
    assert (caught.value.code, str(caught.value)) == ("request", message)


def test_issue9_15_text_that_is_not_json_is_refused() -> None:
    with pytest.raises(CalculatorError) as caught:
        api().handle('{"type": "price", "usage": ')
    assert caught.value.code == "request"
    assert str(caught.value).startswith("request is not JSON: Expecting value: line 1 column 28")


def test_every_request_type_has_a_shape() -> None:
    """A handler added without a line in REQUEST_FIELDS would go unchecked."""
    assert set(api()._handlers) == set(REQUEST_FIELDS)


# ─── Random requests (Hypothesis) ─────────────────────────────────────────

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
TYPES = sorted(REQUEST_FIELDS) + ["", "Price", "init"]
# Values that look like what the pages send, so that requests get past the
# shape check and into the calculator often.
PLAUSIBLE = st.sampled_from([
    "25.000", "10,000", "0.500", "basic", "advanced", "premium", "gold", "#nutzung=25000&plan=advanced",
    "plan=basic&schweregrad=3&eingang=2026-11-27T17:30", "2026-11-27T17:30", "2026-03-29T02:30",
    "2026-11-27T16:30:00.000Z", "Europe/Berlin", "America/New_York", "Mars/Olympus", "",
])
VALUES = st.one_of(JSON, PLAUSIBLE, st.integers(min_value=-2, max_value=6), st.text(max_size=40))
FIELD_NAMES = sorted({name for fields in REQUEST_FIELDS.values() for name in fields} | {"type", "fields"})


@st.composite
def random_request(draw: st.DrawFn) -> str:
    """A JSON text: mostly an object of a known type with known field names."""
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return json.dumps(draw(JSON))
    if kind == 1:
        return draw(st.text(max_size=30))
    request = draw(st.dictionaries(st.sampled_from(FIELD_NAMES), VALUES, max_size=6))
    request["type"] = draw(st.sampled_from(TYPES))
    if request["type"] in ("make_link", "update") and draw(st.booleans()):
        request["fields"] = draw(st.dictionaries(st.sampled_from(["usage", "plan", "customer", "reference", "valid_until"]), VALUES))
    return json.dumps(request)


@st.composite
def well_shaped_request(draw: st.DrawFn) -> dict[str, Any]:
    """A request whose every listed field has an allowed type."""
    kind = draw(st.sampled_from(sorted(REQUEST_FIELDS)))
    request: dict[str, Any] = {"type": kind}
    for name, (types, required) in REQUEST_FIELDS[kind].items():
        if not required and draw(st.booleans()):
            continue
        if name in FIELD_CHOICES:
            request[name] = draw(st.sampled_from(FIELD_CHOICES[name]))
        elif types == (str,):
            request[name] = draw(PLAUSIBLE | st.text(max_size=40))
        elif types == (int,):
            request[name] = draw(st.integers(min_value=-2, max_value=6) | st.integers())
        else:
            request[name] = draw(st.dictionaries(st.sampled_from(["usage", "plan", "customer"]), VALUES, max_size=3))
    return request


def random_settings(examples: int) -> settings:
    # Many examples, no deadline: a shared 2-core machine is slow at times.
    return settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)


@random_settings(7_000)
@given(random_request())
def test_issue9_15_random_requests_raise_only_calculator_error(request_json: str) -> None:
    try:
        answer = api().handle(request_json)
    except CalculatorError:
        return
    json.loads(answer)


@random_settings(4_000)
@given(well_shaped_request())
def test_issue9_15_well_shaped_requests_answer_or_refuse_plainly(request: dict[str, Any]) -> None:
    try:
        answer = json.loads(api().handle(json.dumps(request)))
    except CalculatorError as error:
        # Only the calculator's own refusals (unknown plan, severity, …), never the shape.
        assert error.code != "request", error
        return
    assert answer is not None


# ─── Issue 10: one round trip per form change, imports per request type ───


def test_issue10_c_update_answers_price_link_and_view_at_once() -> None:
    fields = {"usage": "25.000", "plan": "advanced", "customer": "Muster GmbH"}
    answer = ask({"type": "update", "fields": fields, "today": "2026-11-26"})
    assert answer["fragment"] == ask({"type": "make_link", "fields": fields, "today": "2026-11-26"})
    assert answer["fragment"].startswith("nutzung=25000&plan=advanced&kunde=Muster")
    assert answer["prices"] == ask({"type": "price", "usage": "25.000"})
    assert answer["prices"]["plans"][1]["monthly"] == f"3.800,00{NBSP}€"
    assert answer["view"] == ask({"type": "link", "fragment": answer["fragment"], "today": "2026-11-26"})
    assert answer["view"]["customer"] == "Muster GmbH"
    refused = ask({"type": "update", "fields": {"usage": "10,000"}, "today": "2026-11-26"})
    assert (refused["prices"]["ok"], refused["prices"]["code"]) == (False, "usage.comma_thousands")


def _modules_after(requests: list[dict[str, Any]], tmp_path: Path) -> set[str]:
    """The modules a fresh CPython imports to answer ``requests``, started
    as the worker starts: ``BrowserApi.from_json`` of the shipped data."""
    data = tmp_path / "catalog.json"
    data.write_text(catalog_to_json(load_plan_data(REPO_ROOT / "data" / "plans.yaml", "plans.yaml")[0]), encoding="utf-8")
    script = (
        "import json, sys\n"
        "from calculator.browser_api import BrowserApi\n"
        "api = BrowserApi.from_json(open(sys.argv[2], encoding='utf-8').read())\n"
        "before = set(sys.modules)\n"
        "for request in json.loads(sys.argv[1]): api.handle(json.dumps(request))\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, json.dumps(requests), str(data)],
        cwd=REPO_ROOT, capture_output=True, text=True, check=True,
    )
    return set(json.loads(out.stdout))


def test_issue10_d_imports_follow_the_request_types(tmp_path: Path) -> None:
    price = _modules_after([{"type": "price", "usage": "25.000"}], tmp_path)
    assert "calculator.price_view" in price
    assert not {"calculator.response_view", "calculator.response_link", "calculator.quote_view", "zoneinfo", "urllib.parse"} & price
    update = _modules_after([{"type": "update", "fields": {"usage": "1"}, "today": "2026-11-26"}], tmp_path)
    assert "calculator.quote_view" in update
    assert not {"calculator.response_view", "calculator.response_link"} & update
    response = _modules_after([{"type": "response", "plan": "basic", "severity": 3, "submitted": "2026-11-27T17:30"}], tmp_path)
    assert {"calculator.response_view", "calculator.response_link"} <= response
    assert "calculator.quote_view" not in response
