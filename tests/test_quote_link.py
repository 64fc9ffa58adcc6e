"""Quote links: the whole quote in the URL fragment, read, written and shown.

Literal links first (the issue's example, every usage form, encodings,
bad values with their exact German notes, price-list changes), then the
properties: state → link → state is the identity, and no text whatever
makes the parser raise, leak control characters, exceed a limit or add
markup.
"""

from __future__ import annotations

import copy
import json
import unicodedata
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import quote, unquote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import CalculatorError
from calculator.browser_api import BrowserApi
from calculator.model import Catalog
from calculator.quote_link import (
    KEYS,
    MAX_CUSTOMER,
    MAX_NOTE_VALUE,
    MAX_PRICE_LIST,
    MAX_REFERENCE,
    Note,
    ParsedLink,
    QuoteState,
    clean_text,
    cut,
    make_link,
    note_text,
    parse_link,
    read_usage,
)
from calculator.price_view import price_view
from calculator.pricing import price_fingerprint
from calculator.quote_view import german_day, german_today, link_for, quote_view
from calculator.usage_input import MAXIMUM
from macros.plans_file import PlansFileError, load_plan_data, load_plans
from tests.catalog import real_catalog
from tests.helpers import REPO_ROOT
from tests.test_response_two_runtimes import run_in_cpython, run_in_pyodide
from tests.test_two_runtimes import _bundle_dir

D = Decimal
NBSP = "\u00a0"
XSS = "<img src=x onerror=alert(1)>"
DATA_FILE = REPO_ROOT / "data" / "plans.yaml"
SCHEMA_FILE = REPO_ROOT / "data" / "plans.schema.json"
CURRENT = "2026-01"
# price_fingerprint of the real data's prices: a literal, so that a change of
# the fingerprint's definition (which would void links already sent) shows.
FINGERPRINT = "80b542b2"


def state(fragment: str) -> QuoteState:
    return parse_link(fragment, real_catalog()).state


def notes(fragment: str) -> list[str]:
    """The German notes a link leaves."""
    catalog = real_catalog()
    return [note_text(catalog, note) for note in parse_link(fragment, catalog).notes]


def monthly(view: dict[str, Any], plan_id: str) -> str:
    return next(plan["monthly"] for plan in view["plans"] if plan["plan"] == plan_id)


# ─── Reading links ─────────────────────────────────────────────────────────


def test_the_issues_link_prices_advanced() -> None:
    view = quote_view(real_catalog(), "#nutzung=25000&plan=advanced")
    assert (view["usage"], view["plan"], view["notes"]) == ("25.000", "advanced", [])
    assert monthly(view["prices"], "advanced") == f"3.800,00{NBSP}€"
    assert view["price_list_status"] == "none"
    assert view["fragment"] == "nutzung=25000&plan=advanced"


def test_the_leading_hash_is_optional() -> None:
    assert state("#nutzung=25000&plan=advanced") == state("nutzung=25000&plan=advanced") == QuoteState(
        usage=D("25000.00"), plan="advanced"
    )


@pytest.mark.parametrize(
    ("value", "fee"),
    [
        ("25000", "25000.00"),
        ("5000.5", "5000.50"),
        ("5000.50", "5000.50"),
        ("0", "0.00"),
        ("999999999.99", "999999999.99"),
        # German forms, through parse_usage
        ("25.000", "25000.00"),
        ("1.500", "1500.00"),  # a dot before three digits groups thousands
        ("25.000,50", "25000.50"),
        ("25000,5", "25000.50"),
        ("10%20000%20%E2%82%AC", "10000.00"),  # "10 000 €"
        ("10+000", "10000.00"),  # "+" reads as a space
        ("7.500,00%20EUR", "7500.00"),
        ("%C2%A0%2025000%20", "25000.00"),
    ],
)
def test_usage_forms(value: str, fee: str) -> None:
    parsed = parse_link(f"nutzung={value}", real_catalog())
    assert parsed.state.usage == D(fee) and parsed.notes == ()
    assert parsed.state.usage.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "value",
    ["10k", "-5", "1.5.0", "1,2,3", "10.00.0", "1e5", "NaN", "1000000000", "25000.505", "%E2%88%925",
     "1" + "0" * 30],  # beyond Decimal's 28 digits: refused, not an InvalidOperation
)
def test_bad_usage_is_ignored_with_a_note(value: str) -> None:
    parsed = parse_link(f"nutzung={value}&plan=basic", real_catalog())
    assert parsed.state == QuoteState(plan="basic")
    assert notes(f"nutzung={value}") == [
        f"Die Nutzungsgebühr „{unquote_plus(value)}“ im Link ist ungültig und wurde ignoriert."
    ]


def test_read_usage_refuses_with_the_packages_error() -> None:
    with pytest.raises(CalculatorError) as refused:
        read_usage("10k")
    assert refused.value.code == "usage.not_a_number"
    with pytest.raises(CalculatorError) as refused:
        read_usage("1000000000.00")
    assert refused.value.code == "usage.too_large"


def test_customer_with_umlauts_spaces_and_plus() -> None:
    assert state("kunde=M%C3%BCller+%26+S%C3%B6hne+GmbH").customer == "Müller & Söhne GmbH"
    assert state("kunde=M%C3%BCller%20%2B%20Co").customer == "Müller + Co"
    assert state("kunde=Müller Söhne").customer == "Müller Söhne"  # as a browser may hand it over
    assert make_link(QuoteState(customer="Müller & Söhne + Co")) == (
        "kunde=M%C3%BCller%20%26%20S%C3%B6hne%20%2B%20Co"
    )


def test_an_encoded_ampersand_stays_inside_its_value() -> None:
    assert state("ref=A%26B%3Dc&plan=basic") == QuoteState(plan="basic", reference="A&B=c")


def test_texts_lose_control_characters_and_extra_space() -> None:
    assert state("kunde=%20%20A%09%0A%0D%00B%E2%80%AE%20%20C%20").customer == "A B C"
    # U+0085 (next line) is white space; U+200B (zero-width space) a format character.
    assert state("ref=%C2%85x%E2%80%8By").reference == "xy"


def test_unknown_keys_are_ignored_silently() -> None:
    parsed = parse_link("utm_source=mail&nutzung=1000&Plan=gold&=x&nokey&&", real_catalog())
    assert parsed == parse_link("nutzung=1000", real_catalog())
    assert parsed.notes == ()


def test_of_a_repeated_key_the_first_counts() -> None:
    assert state("plan=basic&plan=premium&nutzung=1&nutzung=2") == QuoteState(usage=D("1.00"), plan="basic")
    # Even when the first is invalid: no guessing from a later one.
    assert state("plan=gold&plan=premium").plan is None


def test_plan_ids_in_any_case() -> None:
    assert state("plan=Advanced").plan == "advanced"
    assert state("plan=%20PREMIUM%20").plan == "premium"


def test_empty_values_are_defaults_without_notes() -> None:
    parsed = parse_link("nutzung=&plan=&kunde=&ref=&gueltig=&preisliste=", real_catalog())
    assert parsed == parse_link("", real_catalog())
    assert parsed.state == QuoteState()


@pytest.mark.parametrize(
    ("fragment", "note"),
    [
        ("plan=gold", "Den Plan „gold“ aus dem Link gibt es nicht; die Angabe wurde ignoriert."),
        ("gueltig=2026-02-30",
         "Das Datum „2026-02-30“ im Link ist ungültig (erwartet wird JJJJ-MM-TT) und wurde ignoriert."),
        ("gueltig=01.12.2026",
         "Das Datum „01.12.2026“ im Link ist ungültig (erwartet wird JJJJ-MM-TT) und wurde ignoriert."),
        ("gueltig=20261201",  # date.fromisoformat would take it; the link format does not
         "Das Datum „20261201“ im Link ist ungültig (erwartet wird JJJJ-MM-TT) und wurde ignoriert."),
        ("nutzung=viel", "Die Nutzungsgebühr „viel“ im Link ist ungültig und wurde ignoriert."),
    ],
)
def test_invalid_values_fall_back_with_the_exact_german_note(fragment: str, note: str) -> None:
    assert state(fragment) == QuoteState()
    assert notes(fragment) == [note]


def test_valid_until_is_shown_the_german_way() -> None:
    view = quote_view(real_catalog(), "gueltig=2026-12-01")
    assert (view["valid_until"], view["valid_until_iso"]) == ("01.12.2026", "2026-12-01")
    assert state("gueltig=2026-12-01").valid_until == date(2026, 12, 1)


def test_over_long_texts_are_cut_with_a_note() -> None:
    name = "Großkunde " * 20  # 200 characters
    parsed = parse_link(f"kunde={quote(name)}&ref={'R' * 61}&preisliste={'v' * 41}", real_catalog())
    assert parsed.state.customer == name[:MAX_CUSTOMER].rstrip(" ")
    assert parsed.state.reference == "R" * MAX_REFERENCE
    assert parsed.state.price_list == "v" * MAX_PRICE_LIST
    shortened = name[: MAX_NOTE_VALUE - 1] + "…"
    assert [note_text(real_catalog(), note) for note in parsed.notes] == [
        f"Der Kundenname „{shortened}“ im Link ist zu lang und wurde gekürzt.",
        f"Die Referenz „{'R' * 59}…“ im Link ist zu lang und wurde gekürzt.",
        f"Die Angabe der Preisliste „{'v' * 41}“ im Link ist zu lang und wurde gekürzt.",
    ]
    assert parsed.notes[0] == Note("customer_cut", "kunde", shortened)


def test_a_value_of_only_space_that_is_too_long_is_absent() -> None:
    parsed = parse_link("preisliste=" + "%20" * 1500, real_catalog())
    assert parsed.state.price_list is None
    assert [note.code for note in parsed.notes] == ["price_list_cut"]


def test_a_huge_link_is_read_in_bounded_time() -> None:
    fragment = "kunde=" + "x" * 5_000_000 + "&nutzung=" + "9" * 1_000_000 + "&" * 1_000_000 + "plan=basic"
    parsed = parse_link(fragment, real_catalog())
    assert parsed.state == QuoteState(customer="x" * MAX_CUSTOMER)
    assert [note.code for note in parsed.notes] == ["customer_cut", "usage"]


def test_braces_in_a_value_are_shown_literally() -> None:
    assert notes("plan=%7Bvalue%7D%7B0%7D%7B") == [
        "Den Plan „{value}{0}{“ aus dem Link gibt es nicht; die Angabe wurde ignoriert."
    ]


def test_hostile_markup_stays_literal_text() -> None:
    link = make_link(QuoteState(customer=XSS, reference="</script><script>x()</script>"))
    assert "<" not in link and ">" not in link
    view = json.loads(BrowserApi(real_catalog()).handle(json.dumps({"type": "link", "fragment": "#" + link})))
    assert view["customer"] == XSS
    assert view["reference"] == "</script><script>x()</script>"
    # Unencoded, as a person might paste it.
    assert state(f"kunde={XSS}").customer == XSS
    assert notes(f"plan={XSS}") == [f"Den Plan „{XSS}“ aus dem Link gibt es nicht; die Angabe wurde ignoriert."]


# ─── Writing links ─────────────────────────────────────────────────────────


def test_make_link_is_canonical_and_stable() -> None:
    # A literal: if this changes, links already sent would read differently.
    full = QuoteState(
        usage=D("5000.50"), plan="premium", customer="Müller & Söhne", reference="A-17/2026",
        valid_until=date(2026, 12, 1), price_list=CURRENT,
    )
    assert make_link(full) == (
        "nutzung=5000.50&plan=premium&kunde=M%C3%BCller%20%26%20S%C3%B6hne&ref=A-17%2F2026"
        "&gueltig=2026-12-01&preisliste=2026-01"
    )
    assert make_link(QuoteState(usage=D("25000.00"))) == "nutzung=25000"
    assert make_link(QuoteState(usage=D("0.00"))) == "nutzung=0"
    assert make_link(QuoteState()) == ""


def test_a_link_from_a_year_ago_still_opens() -> None:
    # Written by hand as sales write them; every key of the format.
    fragment = (
        "#nutzung=25.000,50&plan=advanced&kunde=Beispiel+AG&ref=Q-2026-001"
        "&gueltig=2026-12-31&preisliste=2026-01"
    )
    assert parse_link(fragment, real_catalog()) == ParsedLink(
        QuoteState(D("25000.50"), "advanced", "Beispiel AG", "Q-2026-001", date(2026, 12, 31), CURRENT), ()
    )


def test_link_for_the_form() -> None:
    catalog = real_catalog()
    fields = {"usage": "25.000,50", "plan": "advanced", "customer": "Müller & Söhne",
              "reference": "A-17", "valid_until": "2026-12-01"}
    issued = f"preisliste=2026-01&datum=2026-11-27&preiscode={FINGERPRINT}"
    assert link_for(catalog, fields, "2026-11-27") == (
        "nutzung=25000.50&plan=advanced&kunde=M%C3%BCller%20%26%20S%C3%B6hne&ref=A-17"
        f"&gueltig=2026-12-01&{issued}"
    )
    # Invalid fields are left out; 5000.50 is refused by the form, so by the link too.
    bad = {"usage": "5000.50", "plan": "gold", "customer": "  ", "valid_until": "morgen", "other": "x"}
    assert link_for(catalog, bad, date(2026, 11, 27)) == issued
    too_long = {"customer": "x" * 500, "usage": None}
    assert link_for(catalog, too_long, "2026-11-27") == f"kunde={'x' * MAX_CUSTOMER}&{issued}"


def test_browser_api_answers_link_and_make_link() -> None:
    api = BrowserApi(real_catalog())
    view = json.loads(api.handle('{"type": "link", "fragment": "#nutzung=6000&plan=advanced"}'))
    assert monthly(view["prices"], "advanced") == f"1.690,00{NBSP}€"
    made = api.handle(json.dumps(
        {"type": "make_link", "fields": {"usage": "6.000", "plan": "advanced"}, "today": "2026-11-27"}
    ))
    assert json.loads(made) == (
        f"nutzung=6000&plan=advanced&preisliste=2026-01&datum=2026-11-27&preiscode={FINGERPRINT}"
    )
    assert json.loads(api.handle('{"type": "link"}'))["fragment"] == ""
    with pytest.raises(CalculatorError) as refused:
        api.handle('{"type": "make_link", "fields": "nutzung=1"}')
    assert refused.value.code == "request"


# ─── Price-list changes ────────────────────────────────────────────────────

PAST = {
    "version": "2025-01",
    "effective": "2025-01-01",
    "ends": "2025-12-31",
    "prices": {
        "basic": {"included": True},
        "advanced": {
            "base": 1400,
            "bands": [
                {"from": 5000, "to": 7000, "rate": 19},
                {"from": 7000, "to": 10000, "rate": 14},
                {"from": 10000, "to": 20000, "rate": 11},
                {"from": 20000, "rate": 8},
            ],
        },
    },
}


def catalog_with_past() -> Catalog:
    """The real data plus a kept price list 2025-01 (Advanced base 1.400 €),
    through JSON as the browser receives it."""
    data = copy.deepcopy(load_plan_data(DATA_FILE, "data/plans.yaml")[0])
    data["past_price_lists"] = [PAST]
    return BrowserApi.from_json(json.dumps(data, default=str)).catalog


def test_link_with_the_current_price_list() -> None:
    view = quote_view(real_catalog(), f"nutzung=25000&preisliste={CURRENT}")
    assert (view["price_list_status"], view["price_list_message"], view["quoted"]) == ("current", None, None)


def test_link_with_an_unknown_old_price_list_says_prices_changed() -> None:
    view = quote_view(real_catalog(), "nutzung=25000&plan=advanced&preisliste=2024-07")
    assert view["price_list_status"] == "changed_unknown"
    assert view["price_list_message"] == (
        "Die Preise haben sich seit diesem Angebot (Preisliste „2024-07“) geändert. "
        "Angezeigt werden die heutigen Preise."
    )
    assert monthly(view["prices"], "advanced") == f"3.800,00{NBSP}€"
    assert view["quoted"] is None
    assert view["fragment"] == "nutzung=25000&plan=advanced&preisliste=2024-07"


def test_link_with_a_kept_price_list_shows_both_amounts() -> None:
    catalog = catalog_with_past()
    view = quote_view(catalog, "nutzung=25000&plan=advanced&preisliste=2025-01")
    assert view["price_list_status"] == "changed_known"
    assert view["price_list_message"] == (
        "Die Preise haben sich seit diesem Angebot (Preisliste „2025-01“) geändert. "
        "Die Beträge des Angebots stehen neben den heutigen Preisen."
    )
    quoted = view["quoted"]
    assert (quoted["version"], quoted["effective"], quoted["ends"]) == ("2025-01", "01.01.2025", "31.12.2025")
    assert [plan["plan"] for plan in quoted["plans"]] == ["basic", "advanced"]  # premium not kept
    assert monthly(quoted, "advanced") == f"3.700,00{NBSP}€"
    assert monthly(view["prices"], "advanced") == f"3.800,00{NBSP}€"
    assert quote_view(catalog, "preisliste=2025-01")["quoted"]["plans"] is None


def test_prices_for_version() -> None:
    catalog = catalog_with_past()
    assert catalog.prices_for_version("2025-01")["advanced"].base == D(1400)
    assert catalog.prices_for_version(CURRENT)["advanced"].base == D(1500)
    assert catalog.prices_for_version("1999") is None
    assert catalog.past_price_lists[0].ends == date(2025, 12, 31)


# ─── Issue 8: a quote link is a document ───────────────────────────────────

# The fingerprint of PAST's amounts (price_fingerprint of its prices).
PAST_FINGERPRINT = price_fingerprint(catalog_with_past().past_price_list("2025-01").prices)
# A quote issued on 20.11.2025 under 2025-01 (Advanced 25.000 € → 3.700 €).
OLD_QUOTE = f"nutzung=25000&plan=advanced&kunde=Alt%20AG&preisliste=2025-01&datum=2025-11-20&preiscode={PAST_FINGERPRINT}"


def test_issue8_quote_link_carries_issue_date_and_fingerprint() -> None:
    catalog = real_catalog()
    fragment = link_for(catalog, {"usage": "25.000", "plan": "advanced"}, "2026-11-27")
    assert fragment == f"nutzung=25000&plan=advanced&preisliste=2026-01&datum=2026-11-27&preiscode={FINGERPRINT}"
    assert FINGERPRINT == price_fingerprint({plan.id: plan.price for plan in catalog.plans})
    assert state(fragment).issued == date(2026, 11, 27)
    assert state(fragment).fingerprint == FINGERPRINT
    view = quote_view(catalog, fragment, "2026-12-01")
    # "Datum" is the issue day from the link, not the day it is opened.
    assert (view["date"], view["issued"], view["issued_iso"]) == ("27.11.2026", "27.11.2026", "2026-11-27")
    assert view["quote_notes"] == [] and view["notes"] == []


def test_issue8_validity_comes_from_the_data_when_the_link_sets_none() -> None:
    catalog = real_catalog()
    assert catalog.price_list.quote_validity_days == 30
    fragment = f"nutzung=25000&plan=advanced&preisliste=2026-01&datum=2026-11-27&preiscode={FINGERPRINT}"
    # Day 1 is 27.11., day 30 is 26.12.2026 (inclusive).
    assert quote_view(catalog, fragment, "2026-12-26")["validity"] == "valid"
    view = quote_view(catalog, fragment, "2026-12-27")
    assert (view["valid_until"], view["valid_until_iso"], view["validity"]) == ("26.12.2026", None, "expired")
    assert view["quote_notes"] == [
        "Abgelaufen am 27.12.2026 (gültig bis 26.12.2026): angezeigt werden die heutigen Preise."
    ]
    # The link's own "gültig bis" wins over the data's period.
    own = quote_view(catalog, fragment + "&gueltig=2027-03-31", "2027-02-01")
    assert (own["valid_until"], own["validity"]) == ("31.03.2027", "valid")


def test_issue8_valid_quote_headlines_the_quoted_amounts() -> None:
    catalog = catalog_with_past()
    view = quote_view(catalog, OLD_QUOTE, "2025-12-01")  # day 12 of 30
    assert (view["validity"], view["headline"], view["price_list_status"]) == ("valid", "quoted", "changed_known")
    assert monthly(view["prices"], "advanced") == f"3.700,00{NBSP}€"  # the quote's amount is the headline
    assert monthly(view["today"], "advanced") == f"3.800,00{NBSP}€"  # today's beside it
    assert monthly(view["quoted"], "advanced") == f"3.700,00{NBSP}€"
    assert view["applied"] == {"version": "2025-01", "effective": "01.01.2025"}
    assert view["date"] == "20.11.2025"
    assert view["quote_notes"] == [
        "Angebot nach Preisliste „2025-01“, gültig bis 19.12.2025: die Beträge des Angebots gelten; "
        "die heutigen Preise stehen daneben."
    ]


def test_issue8_expired_quote_says_so_and_shows_todays_prices() -> None:
    catalog = catalog_with_past()
    view = quote_view(catalog, OLD_QUOTE, "2025-12-20")  # the day after day 30
    assert (view["validity"], view["headline"]) == ("expired", "today")
    assert monthly(view["prices"], "advanced") == f"3.800,00{NBSP}€"
    assert view["today"] is None
    assert view["applied"] == {"version": CURRENT, "effective": "01.01.2026"}
    assert view["quote_notes"] == [
        "Abgelaufen am 20.12.2025 (gültig bis 19.12.2025): angezeigt werden die heutigen Preise.",
        "Die Preise haben sich seit diesem Angebot (Preisliste „2025-01“) geändert. "
        "Die Beträge des Angebots stehen neben den heutigen Preisen.",
    ]


def test_issue8_an_old_link_opens_and_says_what_it_lacks() -> None:
    view = quote_view(real_catalog(), "nutzung=25000&plan=advanced&preisliste=2026-01", "2026-11-27")
    assert monthly(view["prices"], "advanced") == f"3.800,00{NBSP}€"
    assert (view["issued"], view["date"], view["validity"]) == (None, "27.11.2026", "unknown")
    assert view["quote_notes"] == [
        "Dieser Link stammt aus einer älteren Version des Rechners; ihm fehlen: Ausstellungsdatum "
        "(als Datum steht der heutige Tag), Prüfsumme der Preise."
    ]
    assert quote_view(real_catalog(), "", "2026-11-27")["quote_notes"] == []  # no link, nothing to say


@pytest.mark.parametrize(
    ("fingerprint", "version"),
    [("00000000", CURRENT), ("deadbeef", "2025-01")],
)
def test_issue8_a_tampered_link_falls_back_and_says_so(fingerprint: str, version: str) -> None:
    catalog = catalog_with_past()
    fragment = f"nutzung=25000&plan=advanced&preisliste={version}&datum=2025-11-20&preiscode={fingerprint}"
    view = quote_view(catalog, fragment, "2025-11-21")
    assert (view["price_list_status"], view["headline"], view["quoted"]) == ("mismatch", "today", None)
    assert monthly(view["prices"], "advanced") == f"3.800,00{NBSP}€"
    assert view["price_list_message"] == (
        f"Die Prüfsumme im Link passt nicht zu den Preisen der Preisliste „{version}“: der Link "
        "wurde verändert oder die Preisliste nachträglich geändert. Angezeigt werden die heutigen Preise."
    )
    assert view["price_list_message"] in view["quote_notes"]
    # A fingerprint that is no fingerprint is ignored with a note, never shown as markup.
    bad = quote_view(catalog, f"nutzung=25000&preiscode={quote(XSS)}", "2025-11-21")
    assert bad["notes"] == [
        f"Die Prüfsumme der Preise „{XSS}“ im Link ist ungültig (erwartet werden 8 Zeichen 0–9 und "
        "a–f) und wurde ignoriert."
    ]
    assert "preiscode" not in bad["fragment"]


def test_issue8_an_unknown_version_with_todays_fingerprint_is_current() -> None:
    view = quote_view(real_catalog(), f"nutzung=25000&preisliste=2026-01b&datum=2026-11-27&preiscode={FINGERPRINT}")
    assert (view["price_list_status"], view["price_list_message"]) == ("current", None)


def test_issue8_premium_shows_no_effective_rate_and_is_no_cheaper_option() -> None:
    catalog = real_catalog()
    below = {plan["plan"]: plan for plan in price_view(catalog, "102.500")["plans"]}
    assert below["advanced"]["monthly"] == f"10.000,00{NBSP}€"  # equal: no note yet
    assert below["premium"]["effective_rate"] is None
    assert below["premium"]["from_note"] is None
    above = {plan["plan"]: plan for plan in price_view(catalog, "102.500,01")["plans"]}
    assert above["advanced"]["monthly"] == f"10.000,00{NBSP}€"  # 8 % of 0,01 € rounds to 0
    assert above["premium"]["from_note"] is None
    high = {plan["plan"]: plan for plan in price_view(catalog, "150.000")["plans"]}
    assert high["advanced"]["monthly"] == f"13.800,00{NBSP}€"
    assert high["premium"]["effective_rate"] is None
    assert high["premium"]["from_note"] == (
        f"Der Preis von Premium wird individuell vereinbart und beträgt mindestens 10.000,00{NBSP}€; "
        f"er ist für sich allein keine günstigere Alternative zu Advanced (13.800,00{NBSP}€)."
    )
    assert high["advanced"]["from_note"] is None and high["advanced"]["effective_rate"] == f"9,2{NBSP}%"


def test_issue8_effective_rates_above_100_percent_are_not_shown() -> None:
    catalog = real_catalog()
    advanced = lambda typed: next(p for p in price_view(catalog, typed)["plans"] if p["plan"] == "advanced")
    assert advanced("1.500")["effective_rate"] == f"100,0{NBSP}%"  # 1.500 € of 1.500 €
    assert advanced("1.499,99")["effective_rate"] is None  # 100,0007 %
    assert advanced("100")["effective_rate"] is None  # 1.500 %
    assert advanced("3.000")["effective_rate"] == f"50,0{NBSP}%"


def test_issue9_05_quote_date_is_the_german_day() -> None:
    catalog = real_catalog()
    assert german_day(catalog, "2026-11-27") == date(2026, 11, 27)
    assert german_day(catalog, date(2026, 11, 27)) == date(2026, 11, 27)
    # Without a (readable) day: today in Europe/Berlin by the runtime's clock.
    berlin = datetime.now(ZoneInfo("Europe/Berlin")).date()
    assert german_day(catalog, "27.11.2026") in (berlin, german_today(catalog))
    assert german_today(catalog) in (berlin, berlin + timedelta(days=1))


# ─── Past price lists in the data file ─────────────────────────────────────

PAST_YAML = """past_price_lists:
  - version: "2025-01"
    effective: "2025-01-01"
    ends: "2025-12-31"
    prices:
      advanced:
        base: 1400
        bands:
          - {from: 5000, to: 7000, rate: 19}
          - {from: 7000, rate: 12}
"""


def load_with(tmp_path: Path, past_yaml: str) -> Catalog:
    """load_plans on the real data with ``past_price_lists: []`` replaced."""
    text = DATA_FILE.read_text(encoding="utf-8")
    assert text.count("past_price_lists: []\n") == 1
    (tmp_path / "plans.schema.json").write_text(SCHEMA_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "plans.yaml"
    path.write_text(text.replace("past_price_lists: []\n", past_yaml), encoding="utf-8")
    return load_plans(path, display_name="data/plans.yaml")


def where(past_yaml: str, snippet: str) -> str:
    """``data/plans.yaml:LINE:COL`` of ``snippet`` (unique) in the edited file."""
    text = DATA_FILE.read_text(encoding="utf-8").replace("past_price_lists: []\n", past_yaml)
    assert text.count(snippet) == 1, snippet
    offset = text.index(snippet)
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"data/plans.yaml:{text.count(chr(10), 0, offset) + 1}:{column}"


def test_a_kept_price_list_loads(tmp_path: Path) -> None:
    catalog = load_with(tmp_path, PAST_YAML)
    assert catalog.prices_for_version("2025-01")["advanced"].bands[1].rate == D(12)


def test_the_real_data_keeps_no_invented_old_prices() -> None:
    assert real_catalog().past_price_lists == ()


@pytest.mark.parametrize(
    ("edit", "snippet", "problem"),
    [
        (('"2025-01"', '"2026-01"'), '"2026-01"\n    effective',
         'past_price_lists[0].version: erwartet eine andere Version als die der aktuellen Preisliste, gefunden "2026-01"'),
        (('"2025-01-01"', '"2026-02-01"'), '"2026-02-01"',
         "past_price_lists[0].effective: erwartet ein Datum vor dem Beginn der aktuellen Preisliste "
         '(2026-01-01), gefunden "2026-02-01"'),
        (('ends: "2025-12-31"', 'ends: "2024-12-31"'), '"2024-12-31"',
         'past_price_lists[0].ends: erwartet ein Datum am oder nach effective (2025-01-01), gefunden "2024-12-31"'),
        (("      advanced:", "      enterprise:"), "enterprise",
         'past_price_lists[0].prices.enterprise: erwartet eine der Plan-Ids basic, advanced, premium, '
         'gefunden "enterprise"'),
        (("{from: 7000, rate: 12}", "{from: 7500, rate: 12}"), "7500",
         "past_price_lists[0].prices.advanced.bands[1].from: Lücke zwischen Spannen: erwartet 7000 "
         "(das `to` der vorigen Spanne), gefunden 7500"),
        (("rate: 12}", "rate: 12 Prozent}"), "12 Prozent",
         'past_price_lists[0].prices.advanced.bands[1].rate: erwartet einen Prozentsatz zwischen 0 und 100, '
         'gefunden "12 Prozent"'),
        (("    ends:", "    end:"), 'end: "2025-12-31"',
         'past_price_lists[0].end: unbekanntes Feld "end"; erlaubt: version, effective, ends, prices'),
    ],
    ids=["current-version", "effective-not-before", "ends-before-effective", "unknown-plan",
         "gap-between-bands", "rate-as-text", "unknown-field"],
)
def test_mistakes_in_a_kept_price_list(
    tmp_path: Path, edit: tuple[str, str], snippet: str, problem: str
) -> None:
    assert PAST_YAML.count(edit[0]) == 1
    edited = PAST_YAML.replace(*edit)
    with pytest.raises(PlansFileError) as refused:
        load_with(tmp_path, edited)
    assert f"{where(edited, snippet)}: {problem}" in refused.value.problems, str(refused.value)


def test_versions_of_kept_price_lists_are_unique(tmp_path: Path) -> None:
    second = PAST_YAML.split("\n", 1)[1]  # the same entry again, a year earlier
    second = second.replace('"2025-01-01"', '"2024-01-01"').replace('"2025-12-31"', '"2024-12-31"')
    edited = PAST_YAML + second
    with pytest.raises(PlansFileError) as refused:
        load_with(tmp_path, edited)
    at = where(edited, '"2025-01"\n    effective: "2024-01-01"')
    assert refused.value.problems == [
        f'{at}: past_price_lists[1].version: version "2025-01" kommt doppelt vor; jeder Wert von version darf nur einmal vorkommen'
    ]


def test_every_note_code_has_german_wording_in_the_data() -> None:
    codes = {"usage", "plan", "valid_until", "customer_cut", "reference_cut", "price_list_cut",
             "price_list_changed", "price_list_changed_known", "issued", "fingerprint"}
    assert set(real_catalog().messages["link"]) == codes
    assert all("{value}" in text for text in real_catalog().messages["link"].values())


# ─── Properties ────────────────────────────────────────────────────────────

PLAN_IDS = [plan.id for plan in real_catalog().plans]
ANY_CHARACTER = st.characters(exclude_categories=())  # lone surrogates too


def clean(limit: int) -> st.SearchStrategy[str]:
    """Texts as the parser leaves them: cleaned and within ``limit``."""
    return st.text(ANY_CHARACTER, max_size=limit + 40).map(lambda text: cut(clean_text(text), limit))


STATES = st.builds(
    QuoteState,
    usage=st.none() | st.decimals(min_value=0, max_value=MAXIMUM, places=2),
    plan=st.none() | st.sampled_from(PLAN_IDS),
    customer=clean(MAX_CUSTOMER),
    reference=clean(MAX_REFERENCE),
    valid_until=st.none() | st.dates(),
    price_list=clean(MAX_PRICE_LIST).map(lambda text: text or None),
    issued=st.none() | st.dates(),
    fingerprint=st.none() | st.text("0123456789abcdef", min_size=8, max_size=8),
)

HOSTILE = st.sampled_from([
    "&", "=", "%", "#", "+", "%%", "%zz", "%C3", "%ED%A0%80", "%00", "%0A", "\x00", "\ud800", "\u202e",
    XSS, "{value}", "{0}", "{", "}", "x" * 5000, "9" * 2000, " " * 1500 + "x", "%20" * 800,
    "25.000,50", "5000.50", "advanced", "2026-12-01", "-0", "0" * 1200,
])
VALUES = st.one_of(
    st.text(ANY_CHARACTER),
    st.text(st.sampled_from("0123456789.,€ +-%&=#eE"), max_size=20),
    HOSTILE,
)


@st.composite
def fragments(draw: st.DrawFn) -> str:
    """Links of known, unknown and repeated keys with any values, each
    percent-encoded or raw, or any text at all."""
    if draw(st.booleans()):
        return draw(st.text(ANY_CHARACTER) | HOSTILE)
    pairs = draw(st.lists(st.tuples(st.sampled_from(KEYS + ("foo", "")), VALUES, st.booleans()), max_size=8))
    text = "&".join(
        f"{key}={quote(value, safe='', errors='surrogatepass') if encode else value}"
        for key, value, encode in pairs
    )
    return draw(st.sampled_from(["", "#"])) + text


@settings(max_examples=300, deadline=None)
@given(STATES)
def test_state_to_link_to_state_is_the_identity(quote_state: QuoteState) -> None:
    parsed = parse_link(make_link(quote_state), real_catalog())
    assert parsed.state == quote_state
    assert parsed.notes == ()


@settings(max_examples=300, deadline=None)
@given(fragments())
def test_no_link_breaks_the_parser(fragment: str) -> None:
    catalog = real_catalog()
    parsed = parse_link(fragment, catalog)  # never raises
    found = parsed.state
    assert found.plan in PLAN_IDS + [None]
    assert found.usage is None or (0 <= found.usage <= MAXIMUM and found.usage.as_tuple().exponent == -2)
    for text, limit in ((found.customer, MAX_CUSTOMER), (found.reference, MAX_REFERENCE),
                        (found.price_list or "", MAX_PRICE_LIST)):
        assert is_clean(text) and len(text) <= limit
    for note in parsed.notes:
        assert note.code in catalog.messages["link"]
        assert is_clean(note.value) and len(note.value) <= MAX_NOTE_VALUE
    # The canonical link reads back to the same state, without notes.
    again = parse_link(make_link(found), catalog)
    assert (again.state, again.notes) == (found, ())


@settings(max_examples=200, deadline=None)
@given(fragments())
def test_the_view_is_plain_text_and_adds_no_markup(fragment: str) -> None:
    api = BrowserApi(real_catalog())
    answer = api.handle(json.dumps({"type": "link", "fragment": fragment}))
    answer.encode("utf-8")  # no lone surrogates reach the page
    view = json.loads(answer)
    decoded = unquote_plus(fragment, errors="replace")
    if "<" not in fragment and "<" not in decoded:
        assert not any("<" in text for text in strings(view))
    for name in ("customer", "reference"):
        assert isinstance(view[name], str)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(KEYS), VALUES)
def test_any_value_in_any_field_falls_back_or_reads(key: str, value: str) -> None:
    for fragment in (f"{key}={quote(value, safe='', errors='surrogatepass')}", f"{key}={value}"):
        parsed = parse_link(fragment, real_catalog())
        assert all(note.field == key for note in parsed.notes) and len(parsed.notes) <= 1
        assert parse_link(make_link(parsed.state), real_catalog()).state == parsed.state


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(["usage", "plan", "customer", "reference", "valid_until", "x"]),
                       VALUES))
def test_link_for_any_form_values_gives_a_clean_link(fields: dict[str, str]) -> None:
    fragment = link_for(real_catalog(), fields)
    parsed = parse_link(fragment, real_catalog())
    assert parsed.notes == () and make_link(parsed.state) == fragment
    assert parsed.state.price_list == CURRENT


def is_clean(text: str) -> bool:
    """No control or format characters (but ZWJ/ZWNJ), no lone surrogates,
    no runs of white space."""
    allowed = {"\u200c", "\u200d"}
    return clean_text(text) == text and not any(
        unicodedata.category(char) in {"Cc", "Cf", "Cs"} and char not in allowed for char in text
    )


def strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


# ─── Both runtimes ─────────────────────────────────────────────────────────

QUOTE_REQUESTS = [
    {"type": "link", "fragment": fragment, "today": today}
    for fragment, today in [
        ("#nutzung=25000&plan=advanced", "2026-11-27"),
        (f"#nutzung=25.000,50&plan=premium&kunde=M%C3%BCller&gueltig=2026-12-31&preisliste=2026-01"
         f"&datum=2026-11-20&preiscode={FINGERPRINT}", "2026-12-01"),
        (f"#nutzung=150000&plan=advanced&preisliste=2026-01&datum=2026-11-20&preiscode={FINGERPRINT}", "2027-01-05"),
        ("#nutzung=25000&preisliste=2026-01&datum=2026-11-20&preiscode=0badc0de", "2026-11-21"),
        (f"#nutzung=100&kunde={quote(XSS)}&preiscode=xyz&datum=2026-02-30&preisliste=2020-01", "2026-11-27"),
    ]
] + [
    {"type": "make_link", "fields": {"usage": "12.345,67", "plan": "advanced", "customer": "Groß & Söhne"},
     "today": "2026-11-27"},
]


def test_issue8_quote_views_are_alike_in_cpython_and_pyodide(built_site: Path) -> None:
    """The quote answers (validity, fingerprint check, headline, notes, the
    Premium note, hidden rates) are the same in Pyodide as in CPython, from
    the site's own bundle, and need no tz database in the browser (the page
    sends the German day)."""
    bundle = _bundle_dir(built_site)
    cpython = run_in_cpython(bundle, QUOTE_REQUESTS)
    pyodide = run_in_pyodide(bundle, QUOTE_REQUESTS, [])
    assert not any(isinstance(answer, dict) and "exception" in answer for answer in pyodide.results), pyodide.results
    assert pyodide.results == cpython
    assert [answer["date"] for answer in pyodide.results[:5]] == [
        "27.11.2026", "20.11.2026", "20.11.2026", "20.11.2026", "27.11.2026"
    ]
    assert [answer["validity"] for answer in pyodide.results[:5]] == [
        "unknown", "valid", "expired", "valid", "unknown"
    ]
    assert pyodide.results[3]["price_list_status"] == "mismatch"
    premium = pyodide.results[2]["prices"]["plans"][2]
    assert premium["effective_rate"] is None and "13.800,00" in premium["from_note"]
    assert pyodide.results[5] == (
        "nutzung=12345.67&plan=advanced&kunde=Gro%C3%9F%20%26%20S%C3%B6hne"
        f"&preisliste=2026-01&datum=2026-11-27&preiscode={FINGERPRINT}"
    )
