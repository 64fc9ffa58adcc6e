"""English notation on English pages: the formats, and every view with lang="en".

The views are language-neutral: the catalog brings the words, ``lang`` the
notation. ``english_words`` is the real data with the few words these
tests read in English (weekdays, zone names, the clock-change note), so
that the expected strings are what an English page shows; the English
data overlay of the site replaces all texts the same way.
"""

from __future__ import annotations

import copy
import inspect
import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pytest

from calculator import CalculatorError, LANGUAGES, english, formats_for, german
from calculator.advisor import advice_view, matrix
from calculator.browser_api import BrowserApi
from calculator.formats import Formats
from calculator.model import Catalog, build_catalog
from calculator.price_view import price_view
from calculator.quote_view import link_for, quote_view
from calculator.response_view import holiday_texts, response_view
from macros.plans_file import load_plan_data
from tests.catalog import real_catalog
from tests.helpers import REPO_ROOT

D = Decimal
NBSP = "\u00a0"
WEEKDAYS_EN = {"monday": "Mon", "tuesday": "Tue", "wednesday": "Wed", "thursday": "Thu", "friday": "Fri",
               "saturday": "Sat", "sunday": "Sun"}


def english_words_data() -> dict[str, Any]:
    """The real data's plain values, with the words read here in English."""
    data = copy.deepcopy(load_plan_data(REPO_ROOT / "data" / "plans.yaml", "plans.yaml")[0])
    messages = data["messages"]
    messages["weekdays"] = WEEKDAYS_EN
    messages["response_time"].update(
        zone_standard="CET", zone_summer="CEST", minutes="minutes", minutes_one="minute",
        hours="hours", hours_one="hour", days="days", days_one="day",
        repeated="{date}, {time} happens twice. We count with {chosen}.",
        skipped="{date}, {time} does not exist. We count with {used} (= {time} {zone}).",
    )
    return data


CATALOG: Catalog = build_catalog(english_words_data())


# ─── The formats ──────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("1500", "€1,500.00"),
        ("0.50", "€0.50"),
        ("1000000", "€1,000,000.00"),
        ("0", "€0.00"),
        ("999", "€999.00"),
        ("1234567.891", "€1,234,567.89"),
        ("0.005", "€0.01"),  # half a cent up
        ("999.995", "€1,000.00"),
        ("999999999.99", "€999,999,999.99"),
        ("-5", "-€5.00"),
    ],
)
def test_english_amounts(amount: str, text: str) -> None:
    assert english.format_eur(D(amount)) == text


def test_english_whole_euros_percent_dates_and_times() -> None:
    assert english.format_eur(D("1500"), cents=False) == "€1,500"
    assert english.format_eur(D("1500.50"), cents=False) == "€1,500.50"
    assert english.format_percent(D("19")) == "19%"
    assert english.format_percent(D("12.50")) == "12.5%"
    assert english.format_percent(D("28.2"), places=1) == "28.2%"
    assert english.format_percent(D("50.0"), places=1) == "50.0%"
    assert english.format_percent(D("0.25")) == "0.25%"
    assert english.format_number(D("1234567.5"), 1) == "1,234,567.5"
    assert english.format_date(date(2026, 12, 1)) == "1 Dec 2026"
    assert english.format_date(date(2027, 1, 31)) == "31 Jan 2027"
    assert english.format_date(date(999, 5, 9)) == "9 May 0999"  # four-digit year, as in German
    assert [english.format_date(date(2026, month, 1)).split()[1] for month in range(1, 13)] == [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert english.format_time(time(11, 30)) == "11:30"
    assert english.format_time(datetime(2026, 12, 1, 9, 5)) == "09:05"
    assert english.format_zoned_time(time(11, 30), "CET") == f"11:30{NBSP}CET"
    assert english.typed_amount(D("25000")) == "25,000"
    assert english.typed_amount(D("5000.5")) == "5,000.50"


def test_german_formats_unchanged() -> None:
    # Controls for the same values: German notation stays as it was.
    assert german.format_eur(D("1500")) == f"1.500,00{NBSP}€"
    assert german.format_percent(D("12.50")) == f"12,5{NBSP}%"
    assert german.format_date(date(2026, 12, 1)) == "01.12.2026"
    assert german.format_time(time(11, 30)) == f"11:30{NBSP}Uhr"
    assert german.format_zoned_time(time(2, 30), "MESZ") == f"02:30{NBSP}Uhr MESZ"
    assert german.typed_amount(D("5000.5")) == "5.000,50"


def test_the_selector() -> None:
    assert formats_for() is german and formats_for("de") is german and formats_for("en") is english
    assert LANGUAGES == ("de", "en")
    for wrong in ("fr", "EN", "", None, "de "):
        with pytest.raises(CalculatorError) as caught:
            formats_for(wrong)  # type: ignore[arg-type]
        assert caught.value.code == "lang"


def test_both_languages_offer_the_same_functions() -> None:
    wanted = [name for name in vars(Formats) if not name.startswith("_")]
    assert len(wanted) == 8
    for name in wanted:
        assert inspect.signature(getattr(german, name)) == inspect.signature(getattr(english, name)), name


# ─── The views in English ─────────────────────────────────────────────────


def test_english_price_view() -> None:
    view = price_view(CATALOG, "€25,000", lang="en")
    assert (view["ok"], view["usage"], view["usage_value"]) == (True, "€25,000.00", "25000.00")
    assert [p["monthly"] for p in view["plans"]] == ["€0.00", "€3,800.00", "€10,000.00"]
    advanced = view["plans"][1]
    assert (advanced["annual"], advanced["effective_rate"], advanced["base"]) == ("€45,600.00", "15.2%", "€1,500.00")
    assert advanced["lines"][0] == {"lower": "€5,000.00", "upper": "€7,000.00", "portion": "€2,000.00",
                                    "rate": "19%", "amount": "€380.00"}
    # The same amounts as the German view, only written the English way.
    german_view = price_view(CATALOG, "25.000")
    assert [p["monthly_value"] for p in german_view["plans"]] == [p["monthly_value"] for p in view["plans"]]
    assert german_view["plans"][1]["monthly"] == f"3.800,00{NBSP}€"


def test_english_from_note() -> None:
    # Premium ("ab" €10,000) below Advanced's price at a large fee.
    note = price_view(CATALOG, "200,000", lang="en")["plans"][2]["from_note"]
    template = CATALOG.messages["price"]["from_not_cheaper"]
    assert note == (template.replace("{plan}", "Premium").replace("{minimum}", "€10,000.00")
                    .replace("{other}", "Advanced").replace("{amount}", "€17,800.00"))
    assert price_view(CATALOG, "100,000", lang="en")["plans"][2]["from_note"] is None  # €9,800 < €10,000


def test_a_quote_link_is_the_same_in_both_languages() -> None:
    fields_en = {"usage": "25,000.50", "plan": "advanced", "customer": "Muster GmbH"}
    fields_de = {**fields_en, "usage": "25.000,50"}
    link = link_for(CATALOG, fields_en, "2026-11-26", lang="en")
    assert link == link_for(CATALOG, fields_de, "2026-11-26") == (
        "nutzung=25000.50&plan=advanced&kunde=Muster%20GmbH&preisliste=2026-01&datum=2026-11-26&preiscode=80b542b2")
    # The English form refuses German notation: no fee in the link (never 25.00).
    assert link_for(CATALOG, {"usage": "25.000,50"}, "2026-11-26", lang="en").startswith("preisliste=")
    english_view = quote_view(CATALOG, "#" + link, "2026-12-30", "en")
    german_view = quote_view(CATALOG, "#" + link, "2026-12-30")
    assert {key: english_view[key] for key in ("usage", "valid_until", "issued", "date", "applied", "validity")} == {
        "usage": "25,000.50", "valid_until": "25 Dec 2026", "issued": "26 Nov 2026", "date": "26 Nov 2026",
        "applied": {"version": "2026-01", "effective": "1 Jan 2026"}, "validity": "expired",
    }
    assert german_view["usage"] == "25.000,50" and german_view["valid_until"] == "25.12.2026"
    assert english_view["fragment"] == german_view["fragment"] == link
    assert english_view["prices"]["plans"][1]["monthly"] == "€3,800.04"
    assert german_view["prices"]["plans"][1]["monthly"] == f"3.800,04{NBSP}€"
    expired = CATALOG.messages["quote"]["expired"]
    assert english_view["quote_notes"] == [
        expired.replace("{date}", "26 Dec 2026").replace("{valid_until}", "25 Dec 2026")]


def test_english_response_view() -> None:
    answer = response_view(CATALOG, "basic", 3, "2026-11-27T17:30", lang="en")
    assert (answer["submitted"], answer["due"], answer["due_zone"]) == (
        "Fri, 27 Nov 2026, 17:30", "Tue, 1 Dec 2026, 11:30", "CET")
    assert answer["counted"] == [
        {"day": "Fri, 27 Nov 2026", "from": "17:30", "to": "18:00", "duration": f"30{NBSP}minutes"},
        {"day": "Mon, 30 Nov 2026", "from": "09:00", "to": "18:00", "duration": f"9{NBSP}hours"},
        {"day": "Tue, 1 Dec 2026", "from": "09:00", "to": "11:30", "duration": f"2{NBSP}hours, 30{NBSP}minutes"},
    ]
    assert answer["due_iso"] == response_view(CATALOG, "basic", 3, "2026-11-27T17:30")["due_iso"]
    visitor = response_view(CATALOG, "basic", 3, "2026-11-27T17:30", visitor_zone="America/New_York", lang="en")
    assert visitor["due_visitor"] == {"zone": "America/New_York", "due": "Tue, 1 Dec 2026, 05:30"}


def test_english_clock_change_notes_name_the_zone() -> None:
    repeated = response_view(CATALOG, "premium", 1, "2026-10-25T02:30", lang="en")["entry"]
    assert repeated["note"] == f"25 Oct 2026, 02:30 happens twice. We count with 02:30{NBSP}CEST."
    assert [choice["label"] for choice in repeated["choices"]] == ["02:30 CEST", "02:30 CET"]
    skipped = response_view(CATALOG, "premium", 1, "2027-03-28T02:30", lang="en")["entry"]
    assert skipped["note"] == f"28 Mar 2027, 02:30 does not exist. We count with 03:30{NBSP}CEST (= 02:30 CET)."


def test_english_holidays() -> None:
    # The holidays' names are the data's (German in this catalog), the dates English.
    assert [day for day, _ in holiday_texts(CATALOG, 2026, "en")] == [
        "Thu, 1 Jan 2026", "Fri, 3 Apr 2026", "Mon, 6 Apr 2026", "Fri, 1 May 2026", "Thu, 14 May 2026",
        "Mon, 25 May 2026", "Sat, 3 Oct 2026", "Fri, 25 Dec 2026", "Sat, 26 Dec 2026"]
    assert holiday_texts(CATALOG, 2026)[0][0] == "Thu, 01.01.2026"  # lang: the notation; the catalog: the words
    assert holiday_texts(real_catalog(), 2026)[0][0] == "Do., 01.01.2026"


def test_english_advisor() -> None:
    answer = advice_view(CATALOG, "kontakte=8&nutzung=25,000", typed=True, lang="en")
    assert (answer["usage"], answer["usage_input"], answer["errors"]) == ("€25,000.00", "25,000", {})
    assert answer["fragment"] == "kontakte=8&nutzung=25000"
    assert [plan["monthly"] for plan in answer["plans"]] == ["€0.00", "€3,800.00", "€10,000.00"]
    refused = advice_view(CATALOG, "nutzung=25.000", typed=True, lang="en")
    assert refused["errors"] == {"nutzung": CATALOG.messages["usage"]["point_thousands"]}
    # A link's fee is read alike in both languages.
    assert advice_view(CATALOG, "nutzung=25000", lang="en")["usage"] == "€25,000.00"
    many = advice_view(CATALOG, "kontakte=12000", lang="en")
    assert any("12,000" in miss for plan in many["plans"] for miss in plan["misses"])
    assert any(f"12.000" in miss for plan in advice_view(CATALOG, "kontakte=12000")["plans"] for miss in plan["misses"])
    assert [row.answer for row in matrix(CATALOG, "en")] == [row.answer for row in matrix(CATALOG)]


# ─── The worker's requests ────────────────────────────────────────────────


def ask(request: dict) -> object:
    return json.loads(BrowserApi(CATALOG).handle(json.dumps(request)))


def test_requests_take_a_language() -> None:
    assert ask({"type": "price", "usage": "25,000", "lang": "en"})["usage"] == "€25,000.00"
    assert ask({"type": "price", "usage": "25.000", "lang": "de"})["usage"] == f"25.000,00{NBSP}€"
    assert ask({"type": "price", "usage": "25.000", "lang": None}) == ask({"type": "price", "usage": "25.000"})
    en = ask({"type": "update", "fields": {"usage": "25,000"}, "today": "2026-11-26", "lang": "en"})
    de = ask({"type": "update", "fields": {"usage": "25.000"}, "today": "2026-11-26"})
    assert en["fragment"] == de["fragment"] == "nutzung=25000&preisliste=2026-01&datum=2026-11-26&preiscode=80b542b2"
    assert (en["view"]["usage"], en["prices"]["usage"], en["view"]["date"]) == ("25,000", "€25,000.00", "26 Nov 2026")
    assert ask({"type": "response", "plan": "basic", "severity": 3, "submitted": "2026-11-27T17:30",
                "lang": "en"})["due"] == "Tue, 1 Dec 2026, 11:30"
    assert ask({"type": "advice", "fragment": "nutzung=1,000", "source": "form", "lang": "en"})["usage"] == "€1,000.00"
    assert ask({"type": "response_link", "fragment": "#plan=premium", "lang": "en"})["plan"] == "premium"


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("fr", "price: lang must be 'de' or 'en', found 'fr'"),
        ("", "price: lang must be 'de' or 'en', found ''"),
        ("EN", "price: lang must be 'de' or 'en', found 'EN'"),
        (1, "price: lang must be a text, found 1"),
        (["en"], "price: lang must be a text, found ['en']"),
    ],
)
def test_other_languages_are_refused_as_bad_requests(lang: object, message: str) -> None:
    with pytest.raises(CalculatorError) as caught:
        BrowserApi(CATALOG).handle(json.dumps({"type": "price", "usage": "1", "lang": lang}))
    assert (caught.value.code, str(caught.value)) == ("request", message)
