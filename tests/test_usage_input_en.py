"""Reading the usage fee as English speakers type it (English pages).

A comma (or a space) groups thousands and stands before exactly three
digits; a point separates at most two cents digits. German notation is
refused with its own codes, never read as another amount. The messages are
the catalog's (the English catalog words them for English rules; these
tests use the German data file, whose texts for the English-only codes are
German).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculator import CalculatorError, english, german
from calculator.price_view import price_view
from calculator.usage_input import MAXIMUM, parse_english_usage
from tests.catalog import real_catalog

D = Decimal
NBSP = "\u00a0"
ENGLISH_ONLY_CODES = ("usage.point_thousands", "usage.decimal_comma", "usage.several_points")


@pytest.mark.parametrize(
    ("text", "fee"),
    [
        ("10000", "10000.00"),
        ("10,000", "10000.00"),
        ("10,000.50", "10000.50"),
        ("€10,000", "10000.00"),
        ("10000 EUR", "10000.00"),
        ("€ 10,000.50", "10000.50"),
        ("  10,000  ", "10000.00"),
        ("\t€10,000.50\n", "10000.50"),
        ("10,000.5", "10000.50"),
        ("1,250,000", "1250000.00"),
        ("1,000.05", "1000.05"),
        ("EUR 7,500.00", "7500.00"),
        ("7,500.00 eur", "7500.00"),
        ("10,000 €", "10000.00"),
        ("10 000", "10000.00"),  # a space groups thousands too
        (f"10{NBSP}000.50", "10000.50"),
        ("10.5", "10.50"),
        ("0.5", "0.50"),
        ("0.01", "0.01"),
        ("999", "999.00"),
        ("0", "0.00"),
        ("999,999,999.99", "999999999.99"),
        ("1234567.89", "1234567.89"),
    ],
)
def test_accepted_english_forms(text: str, fee: str) -> None:
    read = parse_english_usage(text)
    assert (read, str(read)) == (D(fee), fee)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "usage.empty"),
        ("   ", "usage.empty"),
        ("€", "usage.empty"),
        ("EUR ", "usage.empty"),
        ("abc", "usage.not_a_number"),
        ("10k", "usage.not_a_number"),
        ("1e5", "usage.not_a_number"),
        ("+5", "usage.not_a_number"),
        ("$10,000", "usage.not_a_number"),
        ("10-5", "usage.not_a_number"),
        (".50", "usage.not_a_number"),  # no whole euros: not guessed as 0.50
        (",", "usage.not_a_number"),
        ("٣٠٠٠", "usage.not_a_number"),
        ("-5", "usage.negative"),
        ("-10,000.50", "usage.negative"),
        ("\u22125", "usage.negative"),
        # German notation on an English page: refused, never read as 10 or 10.00.
        ("10.000", "usage.point_thousands"),
        ("1.250.000", "usage.point_thousands"),
        ("10.000,50", "usage.point_thousands"),
        ("10.000 Euro", "usage.point_thousands"),
        ("10.000,-", "usage.point_thousands"),
        ("10.555", "usage.point_thousands"),  # 10.555 € or 10,555 €? Not guessed.
        ("10,00", "usage.decimal_comma"),
        ("10,5", "usage.decimal_comma"),
        ("1 000,50", "usage.decimal_comma"),
        ("10,-", "usage.decimal_comma"),
        ("10,000,50", "usage.decimal_comma"),
        ("10.5,00", "usage.decimal_comma"),  # separators in the wrong roles
        ("1.2.3", "usage.several_points"),
        ("10.00.50", "usage.several_points"),
        ("1,0000", "usage.grouping"),
        ("10,00,000", "usage.grouping"),
        ("0,500", "usage.grouping"),  # a grouped amount starts without 0
        (",500", "usage.grouping"),
        ("1,000 000", "usage.grouping"),  # mixed group separators
        ("10.555.5", "usage.several_points"),
        ("10.123", "usage.point_thousands"),
        ("0.500", "usage.decimals"),
        ("1234.567", "usage.decimals"),
        ("10,000.505", "usage.decimals"),
        ("10.", "usage.decimals"),
        ("1,000,000,000", "usage.too_large"),
        ("1000000000.00", "usage.too_large"),
    ],
)
def test_english_refusals_name_their_reason(text: str, code: str) -> None:
    with pytest.raises(CalculatorError) as caught:
        parse_english_usage(text)
    assert caught.value.code == code


def test_every_english_refusal_has_a_message_in_the_data() -> None:
    usage = real_catalog().messages["usage"]
    for code in ("usage.empty", "usage.not_a_number", "usage.negative", "usage.grouping",
                 "usage.decimals", "usage.too_large", *ENGLISH_ONLY_CODES):
        assert usage[code.partition(".")[2]].strip(), code


@pytest.mark.parametrize(
    ("text", "code"),
    [("10,50", "usage.decimal_comma"), ("10.000", "usage.point_thousands"), ("1.2.3", "usage.several_points"),
     ("1,0000", "usage.grouping")],
)
def test_english_price_view_refuses_with_the_catalogs_message(text: str, code: str) -> None:
    catalog = real_catalog()
    view = price_view(catalog, text, lang="en")
    assert view == {"ok": False, "code": code, "message": catalog.messages["usage"][code.partition(".")[2]]}


def test_german_texts_of_the_english_only_codes() -> None:
    usage = real_catalog().messages["usage"]
    assert usage["point_thousands"] == (
        "Im Englischen trennt ein Komma die Tausender: bitte 10,000 statt 10.000 "
        "schreiben. Der Punkt steht nur vor den Cent, z. B. 10,000.50."
    )
    assert usage["decimal_comma"] == (
        "Im Englischen steht vor den Cent ein Punkt, kein Komma: bitte 10.50 "
        "statt 10,50 schreiben. Das Komma trennt nur Tausender, z. B. 10,000.50."
    )
    assert usage["several_points"] == "Bitte nur einen Punkt verwenden, und zwar vor den Cent, z. B. 10,000.50."


def test_the_same_text_is_read_per_language() -> None:
    # Control: the German reading of the same texts differs, so lang matters.
    assert german.parse_usage("10.000") == D("10000.00")
    assert english.parse_usage("10,000") == D("10000.00")
    with pytest.raises(CalculatorError) as caught:
        german.parse_usage("10,000")
    assert caught.value.code == "usage.comma_thousands"
    assert price_view(real_catalog(), "10,000", lang="en")["usage_value"] == "10000.00"
    assert price_view(real_catalog(), "10,000")["code"] == "usage.comma_thousands"


FEES = st.decimals(min_value=0, max_value=MAXIMUM, places=2)


@given(FEES)
def test_every_english_amount_reads_back(fee: Decimal) -> None:
    assert english.parse_usage(english.format_eur(fee)) == fee
    assert english.parse_usage(english.typed_amount(fee)) == fee


@given(FEES)
def test_a_fee_in_one_notation_is_never_misread_in_the_other(fee: Decimal) -> None:
    """German text on an English page (and back) is read as the same fee or refused."""
    for text, reader in ((german.typed_amount(fee), english.parse_usage), (german.format_eur(fee), english.parse_usage),
                         (english.typed_amount(fee), german.parse_usage), (english.format_eur(fee), german.parse_usage)):
        try:
            read = reader(text)
        except CalculatorError:
            continue
        assert read == fee, (text, read)
