"""Reading the usage fee as visitors type it, and writing amounts back."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculator import CalculatorError, format_date, format_eur, format_percent, format_time, parse_usage
from calculator.price_view import price_view
from calculator.usage_input import MAXIMUM
from tests.catalog import real_catalog

D = Decimal
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("text", "fee"),
    [
        ("10000", "10000.00"),
        ("10.000", "10000.00"),
        ("10.000,50", "10000.50"),
        ("10 000 €", "10000.00"),
        ("7.500,00 EUR", "7500.00"),
        ("7.500,00 eur", "7500.00"),
        ("€ 1.250", "1250.00"),
        ("1.250.000", "1250000.00"),
        (f"10{NBSP}000{NBSP}€", "10000.00"),
        ("10\u202f000", "10000.00"),
        ("  5000,5  ", "5000.50"),
        ("0", "0.00"),
        ("0,01", "0.01"),
        ("999.999.999,99", "999999999.99"),
    ],
)
def test_accepted_forms(text: str, fee: str) -> None:
    assert parse_usage(text) == D(fee)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "usage.empty"),
        ("   ", "usage.empty"),
        ("€", "usage.empty"),
        ("abc", "usage.not_a_number"),
        ("10k", "usage.not_a_number"),
        ("1e5", "usage.not_a_number"),
        ("+5", "usage.not_a_number"),
        ("٣٠٠٠", "usage.not_a_number"),  # Arabic-Indic digits are not guessed
        ("-5", "usage.negative"),
        ("\u22125", "usage.negative"),
        ("1,2,3", "usage.several_commas"),
        ("10000.50", "usage.grouping"),  # a dot must group thousands
        ("1.5", "usage.grouping"),
        ("10.00", "usage.grouping"),
        ("1.000 000", "usage.grouping"),  # mixed separators
        ("10,123", "usage.comma_thousands"),
        ("10,1234", "usage.decimals"),
        ("10,", "usage.decimals"),
        ("1.000.000.000", "usage.too_large"),
    ],
)
def test_refusals_name_their_reason(text: str, code: str) -> None:
    with pytest.raises(CalculatorError) as caught:
        parse_usage(text)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("usage.empty", "Bitte geben Sie Ihre monatliche CCI-Nutzungsgebühr in Euro ein."),
        ("usage.negative", "Die Nutzungsgebühr kann nicht negativ sein."),
        ("usage.several_commas", "Bitte nur ein Komma verwenden, und zwar vor den Cent, z. B. 10.000,50."),
        ("usage.decimals", "Bitte höchstens zwei Stellen nach dem Komma (Cent) eingeben."),
        ("usage.too_large", "Bitte einen Betrag bis höchstens 999.999.999,99 € eingeben."),
    ],
)
def test_every_refusal_has_a_german_message_in_the_data(code: str, message: str) -> None:
    group, key = code.split(".")
    assert real_catalog().messages[group][key] == message


def test_the_data_has_a_message_for_every_refusal_code() -> None:
    codes = {"empty", "not_a_number", "negative", "several_commas", "grouping", "comma_thousands", "decimals", "too_large",
             "point_thousands", "decimal_comma", "several_points"}  # the last three: English input only
    assert set(real_catalog().messages["usage"]) == codes


GROUPING = (
    "Ein Punkt trennt Tausender und steht vor genau drei Ziffern, z. B. 10.000 "
    "oder 1.250.000. Cent bitte mit Komma abtrennen."
)
COMMA_THOUSANDS = (
    "Im Deutschen trennt ein Punkt die Tausender: bitte 10.000 statt 10,000 "
    "schreiben. Das Komma steht nur vor den Cent, z. B. 10.000,50."
)
DECIMALS = "Bitte höchstens zwei Stellen nach dem Komma (Cent) eingeben."


def answer(text: str) -> tuple[str, str] | str:
    """What the calculator says for ``text``: the usage fee read, or (code, message)."""
    view = price_view(real_catalog(), text)
    return view["usage_value"] if view["ok"] else (view["code"], view["message"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.500", ("usage.grouping", GROUPING)),
        ("000.001", ("usage.grouping", GROUPING)),
        ("00.500", ("usage.grouping", GROUPING)),
        ("0.500,00", ("usage.grouping", GROUPING)),
        ("01.000.000", ("usage.grouping", GROUPING)),
        ("0 500 €", ("usage.grouping", GROUPING)),
        # Controls: a grouped amount starting with another digit, and a lone zero.
        ("1.500", "1500.00"),
        ("100.001", "100001.00"),
        ("0,50", "0.50"),
        ("0", "0.00"),
    ],
)
def test_issue9_06_grouped_leading_zero_refused(text: str, expected: tuple[str, str] | str) -> None:
    assert answer(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.000,-", "10000.00"),
        ("10.000,--", "10000.00"),
        ("10.000,– €", "10000.00"),
        ("10.000,- EUR", "10000.00"),
        ("10.000 Euro", "10000.00"),
        ("7.500,50 euro", "7500.50"),
        ("Euro 1.250", "1250.00"),
        ("5000,-", "5000.00"),
        ("10,000", ("usage.comma_thousands", COMMA_THOUSANDS)),
        ("1,250,000", ("usage.comma_thousands", COMMA_THOUSANDS)),
        ("10,000 €", ("usage.comma_thousands", COMMA_THOUSANDS)),
        ("1,000.50", ("usage.comma_thousands", COMMA_THOUSANDS)),
        # Not English thousands: cents gone wrong, or a dash that is no "no cents".
        ("0,500", ("usage.decimals", DECIMALS)),
        ("10,1234", ("usage.decimals", DECIMALS)),
        ("10.000,-,-", ("usage.not_a_number", real_catalog().messages["usage"]["not_a_number"])),
        ("10.000 Euros", ("usage.not_a_number", real_catalog().messages["usage"]["not_a_number"])),
    ],
)
def test_issue8_price_tag_forms_and_comma_thousands_hint(text: str, expected: tuple[str, str] | str) -> None:
    assert answer(text) == expected


@given(st.decimals(min_value=0, max_value=MAXIMUM, places=2))
def test_every_formatted_amount_reads_back(fee: Decimal) -> None:
    assert parse_usage(format_eur(fee)) == fee


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("1500", f"1.500,00{NBSP}€"),
        ("0", f"0,00{NBSP}€"),
        ("1234567.891", f"1.234.567,89{NBSP}€"),
        ("0.005", f"0,01{NBSP}€"),
        ("999.995", f"1.000,00{NBSP}€"),
    ],
)
def test_format_eur(amount: str, text: str) -> None:
    assert format_eur(D(amount)) == text


def test_format_whole_euros_and_percent_and_dates() -> None:
    assert format_eur(D("1500"), cents=False) == f"1.500{NBSP}€"
    assert format_eur(D("1500.50"), cents=False) == f"1.500,50{NBSP}€"
    assert format_percent(D("19")) == f"19{NBSP}%"
    assert format_percent(D("12.50")) == f"12,5{NBSP}%"
    assert format_percent(D("50.0"), places=1) == f"50,0{NBSP}%"
    assert format_date(date(2026, 12, 1)) == "01.12.2026"
    assert format_time(time(11, 30)) == f"11:30{NBSP}Uhr"
    assert format_time(datetime(2026, 12, 1, 9, 5)) == f"09:05{NBSP}Uhr"
