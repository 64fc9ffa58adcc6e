"""Prices per plan: DESIGN.md's worked examples, band edges, rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest

from calculator import CalculatorError, quote
from calculator.model import Band, Plan, PriceModel
from tests.catalog import real_catalog

D = Decimal


def advanced(usage: str):
    return quote(real_catalog().plan("advanced"), D(usage))


@pytest.mark.parametrize(
    ("usage", "monthly", "rule"),
    [
        # DESIGN.md, "Price rules"
        ("4000.00", "1500.00", "base"),
        ("6000.00", "1690.00", "bands"),
        ("25000.00", "3800.00", "bands"),
        # every band edge, and one cent on either side of it
        ("0", "1500.00", "base"),
        ("4999.99", "1500.00", "base"),
        ("5000.00", "1500.00", "base"),
        ("5000.01", "1500.00", "bands"),  # 19 % of 0,01 € rounds to 0,00 €
        ("6999.99", "1880.00", "bands"),  # 1.500 + 379,998 → 380,00
        ("7000.00", "1880.00", "bands"),
        ("7000.01", "1880.00", "bands"),
        ("9999.99", "2300.00", "bands"),
        ("10000.00", "2300.00", "bands"),
        ("10000.01", "2300.00", "bands"),
        ("19999.99", "3400.00", "bands"),
        ("20000.00", "3400.00", "bands"),
        ("20000.01", "3400.00", "bands"),
        ("100000.00", "9800.00", "bands"),
        ("999999999.99", "80001800.00", "bands"),  # 3.400 + 8 % × 999.979.999,99
    ],
)
def test_advanced_price(usage: str, monthly: str, rule: str) -> None:
    result = advanced(usage)
    assert result.monthly == D(monthly)
    assert result.annual == D(monthly) * 12
    assert result.rule == rule


def test_advanced_breakdown_for_25000_adds_up() -> None:
    result = advanced("25000")
    assert result.base == D("1500.00")
    assert [(line.band.rate, line.portion, line.amount) for line in result.lines] == [
        (D(19), D(2000), D("380.00")),
        (D(14), D(3000), D("420.00")),
        (D(11), D(10000), D("1100.00")),
        (D(8), D(5000), D("400.00")),
    ]
    assert result.base + sum(line.amount for line in result.lines) == result.monthly
    assert result.annual == D("45600.00")
    assert result.effective_rate == D("15.2")


def test_half_a_cent_rounds_up() -> None:
    # 19 % of 0,50 € = 0,095 € → 0,10 €.
    result = advanced("5000.50")
    assert [line.amount for line in result.lines] == [D("0.10")]
    assert result.monthly == D("1500.10")
    # 19 % of 1,50 € = 0,285 € → 0,29 € (banker's rounding would give 0,28 €).
    assert advanced("5001.50").monthly == D("1500.29")


def test_round_half_up_differs_from_half_even() -> None:
    # 10 % of 0,25 € = 0,025 €: half up gives 0,03 €, half even 0,02 €.
    plan = _plan(PriceModel(False, D(0), D(0), False, (Band(D(0), None, D(10)),)))
    assert quote(plan, D("0.25")).monthly == D("0.03")


def test_basic_is_included_whatever_the_usage() -> None:
    for usage in ("0", "6000", "250000"):
        result = quote(real_catalog().plan("basic"), D(usage))
        assert (result.monthly, result.annual, result.rule) == (D("0.00"), D("0.00"), "included")
        assert result.lines == ()


def test_premium_shows_its_minimum_as_a_lower_bound() -> None:
    for usage in ("0", "25000", "250000"):
        result = quote(real_catalog().plan("premium"), D(usage))
        assert (result.monthly, result.annual, result.rule) == (
            D("10000.00"),
            D("120000.00"),
            "minimum",
        )
        assert result.starts_from is True
    assert quote(real_catalog().plan("premium"), D("25000")).effective_rate == D("40.0")


def test_minimum_wins_only_while_it_is_higher() -> None:
    price = PriceModel(False, D(100), D(500), False, (Band(D(0), None, D(10)),))
    plan = _plan(price)
    assert (quote(plan, D(1000)).monthly, quote(plan, D(1000)).rule) == (D("500.00"), "minimum")
    assert (quote(plan, D(5000)).monthly, quote(plan, D(5000)).rule) == (D("600.00"), "bands")


def test_effective_rate_is_none_for_zero_usage() -> None:
    assert advanced("0").effective_rate is None
    assert advanced("6000").effective_rate == D("28.2")


@pytest.mark.parametrize(
    ("usage", "code"),
    [(0.1, "not_exact"), (True, "not_exact"), ("-1", "usage.negative"), ("abc", "not_a_number"),
     ("NaN", "not_a_number"), (None, "not_a_number")],
)
def test_bad_usage_values_are_refused(usage: object, code: str) -> None:
    with pytest.raises(CalculatorError) as caught:
        quote(real_catalog().plan("advanced"), usage)
    assert caught.value.code == code


def _plan(price: PriceModel) -> Plan:
    return Plan("test", "Test", "Test", "", "", (), price, ())


# ─── Price-list fingerprint ───────────────────────────────────────────────

from calculator.model import Band as _Band, PriceModel as _PriceModel
from calculator.pricing import price_fingerprint


def _model(base: str, rate: str) -> _PriceModel:
    return _PriceModel(
        included=False, base=Decimal(base), minimum=Decimal("0"), starts_from=False,
        bands=(_Band(Decimal("5000"), None, Decimal(rate)),),
    )


def test_fingerprint_ignores_how_amounts_are_written():
    assert price_fingerprint({"advanced": _model("1500", "19")}) == price_fingerprint(
        {"advanced": _model("1500.00", "19.0")}
    )


def test_fingerprint_changes_with_any_amount_or_rate():
    base = price_fingerprint({"advanced": _model("1500", "19")})
    assert len(base) == 8 and int(base, 16) >= 0
    assert price_fingerprint({"advanced": _model("1500.01", "19")}) != base
    assert price_fingerprint({"advanced": _model("1500", "19.5")}) != base
    assert price_fingerprint({"premium": _model("1500", "19")}) != base
