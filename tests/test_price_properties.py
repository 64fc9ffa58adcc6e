"""Properties of the Advanced price that must hold for every usage fee."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from calculator import quote
from tests.catalog import real_catalog

USAGE = st.decimals(min_value=0, max_value=10_000_000, places=2)
CENT = Decimal("0.01")


def _advanced():
    return real_catalog().plan("advanced")


@given(USAGE, USAGE)
def test_price_never_falls_and_never_jumps(first: Decimal, second: Decimal) -> None:
    low, high = sorted((first, second))
    plan = _advanced()
    rise = quote(plan, high).monthly - quote(plan, low).monthly
    highest_rate = max(band.rate for band in plan.price.bands)
    # Each line is rounded to the cent, so allow one cent per band.
    assert Decimal(0) <= rise <= highest_rate / 100 * (high - low) + CENT * len(plan.price.bands)


@given(USAGE)
def test_one_more_cent_of_usage_moves_the_price_by_at_most_a_cent(usage: Decimal) -> None:
    plan = _advanced()
    assert 0 <= quote(plan, usage + CENT).monthly - quote(plan, usage).monthly <= CENT


@given(USAGE)
def test_price_never_below_its_base_or_minimum(usage: Decimal) -> None:
    plan = _advanced()
    result = quote(plan, usage)
    assert result.monthly >= max(plan.price.base, plan.price.minimum)


@given(USAGE)
def test_lines_add_up_to_the_total(usage: Decimal) -> None:
    result = quote(_advanced(), usage)
    assert result.base + sum(line.amount for line in result.lines) == result.monthly
    assert result.annual == result.monthly * 12
    assert all(line.amount == line.amount.quantize(CENT) for line in result.lines)
    assert sum(line.portion for line in result.lines) == max(usage - Decimal(5000), Decimal(0))
