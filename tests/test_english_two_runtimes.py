"""English notation, one code, two runtimes: CPython and Pyodide answer alike.

Over 1.000 requests with ``"lang": "en"``, as an English page's worker
sends them: usage fees typed the English way (seeded random fees from 0 to
10,000,000 € with cents in English spellings, every price edge ±0.01 €,
German and other refused spellings), response times (seeded random
submissions over two years, the clock-change nights, visitor zones), quote
links and the form's links, and the Planberater. They go through
``BrowserApi.handle`` in CPython and in Pyodide under Node
(tests/pyodide_node.mjs, the built site's lock file and archive, with
``tzdata``), from the same catalog.json: the built site's data with the
weekday and zone words in English (``english_words_data``; the site's
English data overlay replaces every text the same way). Every answer must
be identical. Concrete values pin that the answers are English answers;
negative controls show that a differing answer is reported.
"""

from __future__ import annotations

import copy
import json
import random
import shutil
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from calculator import english
from tests.catalog import real_catalog
from tests.test_english_formats import english_words_data
from tests.test_response_two_runtimes import Run, run_in_cpython, run_in_pyodide
from tests.test_two_runtimes import _bundle_dir, differences
from tests.vectors.generate_pricing import edge_fees

SEED = 20261201
RANDOM_FEES = 700
RANDOM_SUBMISSIONS = 200
MAX_USAGE_CENTS = 10_000_000_00
ZONES = (None, "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Kiritimati", "Europe/London",
         "Australia/Sydney", "Mars/Olympus_Mons")
NOW = "2026-11-27T16:30:00.000Z"

# English spellings: {fee} as English typed_amount writes it (25,000 or 5,000.50).
SPELLINGS = ("{fee}", "€{fee}", "€ {fee}", "{fee} EUR", "{fee} €", "  {fee}  ", "EUR {fee}", "{fee} eur")
FIXED = ("25,000", "€5,000", "10,000.50", "€ 10,000.50", "10000 EUR", "0", "0.01", "999,999,999.99", "200,000")
# Refused or German spellings on an English page.
REFUSED = (
    "", "   ", "€", "abc", "10k", "1e5", "-5", "\u22125", "+5", "$100", "10,00", "10,5", "1,0000", "10,00,000",
    "0,500", "10.000", "1.250.000", "10.000,50", "10.000 Euro", "10,-", "10.5,00", "1.2.3", "10.00.50",
    "0.500", "1234.567", "10.", ".50", "1,000,000,000", "10,000.505", "1 000,50", "\u0663",
)
FRAGMENTS = (
    "", "#nutzung=25000&plan=advanced", "#nutzung=25000.50&plan=premium&kunde=M%C3%BCller&gueltig=2026-12-01",
    "#nutzung=5000.5&preisliste=2026-01&datum=2026-11-26&preiscode=80b542b2",
    "#nutzung=1000000&datum=2026-01-05&preisliste=2025-07", "#nutzung=abc&plan=gold&gueltig=2026-13-01",
    "#nutzung=25.000,50&datum=2026-11-26", "#plan=basic&kunde=ACME&ref=A-1&gueltig=2027-02-28",
    "#nutzung=999999999.99&preisliste=2026-01&preiscode=00000000",
)
TODAYS = (None, "2026-11-26", "2026-12-30", "2027-03-01")


def english_fee(cents: int) -> Decimal:
    return Decimal(cents) / 100


def price_requests(rng: random.Random) -> list[dict[str, Any]]:
    fees = [english_fee(rng.randrange(MAX_USAGE_CENTS + 1)) for _ in range(RANDOM_FEES)]
    cent = Decimal("0.01")
    fees += [edge + delta for edge in edge_fees(real_catalog()) for delta in (-cent, 0, cent) if edge + delta >= 0]
    typed = [rng.choice(SPELLINGS).format(fee=english.typed_amount(fee)) for fee in fees]
    typed += [f"{fee:.2f}" for fee in fees[:50]] + list(FIXED) + list(REFUSED)
    return [{"type": "price", "usage": text, "lang": "en"} for text in dict.fromkeys(typed)]


def response_requests(rng: random.Random) -> list[dict[str, Any]]:
    start = datetime(2026, 1, 1)
    submissions = [start + timedelta(minutes=rng.randrange(2 * 365 * 24 * 60)) for _ in range(RANDOM_SUBMISSIONS)]
    submissions += [datetime(2026, 10, 25, 2, 30), datetime(2026, 10, 25, 1, 59), datetime(2027, 3, 28, 2, 30),
                    datetime(2026, 12, 24, 17, 0), datetime(2026, 12, 31, 23, 59)]
    plans = [(plan.id, target.severity) for plan in real_catalog().plans for target in plan.response_targets]
    requests = []
    for index, moment in enumerate(submissions):
        plan, severity = plans[index % len(plans)]
        requests.append({"type": "response", "plan": plan, "severity": severity,
                         "submitted": f"{moment:%Y-%m-%dT%H:%M}", "now": NOW, "zone": ZONES[index % len(ZONES)],
                         "lang": "en"})
    requests.append({"type": "response", "plan": "basic", "severity": 3, "submitted": "yesterday", "lang": "en"})
    return requests


def quote_requests(rng: random.Random) -> list[dict[str, Any]]:
    requests: list[dict[str, Any]] = [
        {"type": "link", "fragment": fragment, "today": today, "lang": "en"}
        for fragment in FRAGMENTS for today in TODAYS
    ]
    for _ in range(40):
        fee = english_fee(rng.randrange(10_000_000))
        fields = {"usage": english.typed_amount(fee), "plan": rng.choice(["basic", "advanced", "premium", "gold"]),
                  "customer": rng.choice(["", "Muster GmbH", "Ünal & Söhne"]), "valid_until": "2027-01-31"}
        requests.append({"type": "update", "fields": fields, "today": "2026-11-26", "lang": "en"})
        requests.append({"type": "make_link", "fields": fields, "today": "2026-11-26", "lang": "en"})
    return requests


def advice_requests(rng: random.Random) -> list[dict[str, Any]]:
    fragments = ["sg1=30&kontakte=8&nutzung=25,000", "zeiten=round_the_clock&faelle=12000&nutzung=1,250,000.50",
                 "kanaele=ticket,chat&nutzung=10.000", "tam=ja&bam=ja&nutzung=7,500", "kontakte=0&nutzung=x"]
    fragments += [f"kontakte={rng.randrange(1, 100_000)}&nutzung={english.typed_amount(english_fee(rng.randrange(10**9)))}"
                  for _ in range(20)]
    return [{"type": "advice", "fragment": fragment, "source": source, "lang": "en"}
            for fragment in fragments for source in ("form", "link")]


def all_requests() -> list[dict[str, Any]]:
    rng = random.Random(SEED)
    return price_requests(rng) + response_requests(rng) + quote_requests(rng) + advice_requests(rng)


REQUESTS = all_requests()


@pytest.fixture(scope="module")
def bundle(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the site's bundle whose catalog.json has English weekday and zone words."""
    shipped = _bundle_dir(built_site)
    copied = tmp_path_factory.mktemp("english") / shipped.name
    shutil.copytree(shipped, copied)
    data = json.loads((shipped / "catalog.json").read_text(encoding="utf-8"))
    english_data = english_words_data()
    for group in ("weekdays", "response_time"):
        data["messages"][group] = english_data["messages"][group]
    (copied / "catalog.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return copied


@pytest.fixture(scope="module")
def pyodide(bundle: Path) -> Run:
    return run_in_pyodide(bundle, REQUESTS, ["tzdata"])


@pytest.fixture(scope="module")
def cpython(bundle: Path) -> list[Any]:
    return run_in_cpython(bundle, REQUESTS)


def mismatches(want: list[Any], got: list[Any]) -> list[str]:
    found = [f"request {i} {REQUESTS[i]}: {list(diff)[:3]}"
             for i, (one, other) in enumerate(zip(want, got)) if (diff := tuple(differences(one, other)))]
    if len(want) != len(got):
        found.append(f"expected {len(want)} answers, got {len(got)}")
    return found


def test_the_vectors_cover_the_english_rules() -> None:
    assert len(REQUESTS) >= 1000
    kinds = {kind: sum(1 for r in REQUESTS if r["type"] == kind) for kind in ("price", "response", "link", "update", "advice")}
    assert kinds["price"] >= 800 and kinds["response"] >= 200 and kinds["link"] >= 30, kinds
    assert all(request["lang"] == "en" for request in REQUESTS)


def test_cpython_answers_are_english(cpython: list[Any]) -> None:
    assert not [a for a in cpython if isinstance(a, dict) and "exception" in a]
    by_usage = {r["usage"]: a for r, a in zip(REQUESTS, cpython) if r["type"] == "price"}
    assert by_usage["€5,000"]["plans"][1]["monthly"] == "€1,500.00"
    assert [p["monthly"] for p in by_usage["25,000"]["plans"]] == ["€0.00", "€3,800.00", "€10,000.00"]
    assert by_usage["10,000.50"]["usage"] == "€10,000.50"
    assert by_usage["200,000"]["plans"][2]["from_note"] is not None
    assert by_usage["10.000"]["code"] == "usage.point_thousands"
    codes = {a["code"] for r, a in zip(REQUESTS, cpython) if r["type"] == "price" and not a["ok"]}
    assert codes == {"usage.empty", "usage.not_a_number", "usage.negative", "usage.decimal_comma", "usage.grouping",
                     "usage.point_thousands", "usage.several_points", "usage.decimals", "usage.too_large"}
    assert sum(1 for r, a in zip(REQUESTS, cpython) if r["type"] == "price" and a["ok"]) >= 750
    due = [a["due"] for r, a in zip(REQUESTS, cpython) if r["type"] == "response" and a.get("has_target")]
    assert len(due) >= 150 and all(text[:3] in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun") for text in due)
    link = next(a for r, a in zip(REQUESTS, cpython) if r["type"] == "link" and r["fragment"] == FRAGMENTS[2]
                and r["today"] == "2026-11-26")
    assert (link["usage"], link["valid_until"], link["prices"]["plans"][2]["monthly"]) == (
        "25,000.50", "1 Dec 2026", "€10,000.00")


def test_pyodide_gives_exactly_the_cpython_answers(pyodide: Run, cpython: list[Any]) -> None:
    found = mismatches(cpython, pyodide.results)
    assert not found, f"{len(found)} of {len(REQUESTS)} answers differ:\n" + "\n".join(found[:5])
    assert pyodide.runtime["count"] == len(REQUESTS)
    assert pyodide.runtime["calculator"] == "/lib/python314.zip/calculator/__init__.pyc"


def test_a_different_answer_is_reported(pyodide: Run, cpython: list[Any]) -> None:
    wrong = copy.deepcopy(cpython)
    index = next(i for i, r in enumerate(REQUESTS) if r["type"] == "price" and wrong[i]["ok"])
    right = wrong[index]["usage"]
    wrong[index]["usage"] = right.replace("€", "EUR ")
    wrong[-1] = {"ok": True}
    found = mismatches(wrong, pyodide.results)
    assert [line.partition(" ")[2].partition(" ")[0] for line in found] == [str(index), str(len(REQUESTS) - 1)]
    assert repr(right) in found[0]
