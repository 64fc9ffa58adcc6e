"""Monthly support price from a monthly CCI usage fee.

The rule (DESIGN.md, "Price rules"): price = max(minimum, base + Σ slices),
where each band's slice is ``rate`` percent of the part of the usage fee
that lies inside the band, rounded to the cent (half up). The total is the
sum of the rounded lines, so a printed breakdown always adds up. All
amounts are net EUR per month unless a name says otherwise.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Mapping

from .errors import CalculatorError
from .model import Band, Plan, PriceModel
from .money import round_cents, to_decimal

MONTHS_PER_YEAR = 12
# Effective rates are shown to a tenth of a percent.
RATE_STEP = Decimal("0.1")


@dataclass(frozen=True)
class QuoteLine:
    """One band of the breakdown: ``rate`` % of ``portion`` gives ``amount``.

    ``portion`` is the part of the usage fee inside (band.lower, band.upper].
    """

    band: Band
    portion: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Quote:
    """A plan's price for one usage fee, with the rule that produced it.

    ``rule`` is ``"included"`` (no extra charge), ``"base"`` (the base fee
    alone), ``"bands"`` (base fee plus band surcharges) or ``"minimum"``
    (the plan's minimum was higher). ``starts_from`` marks a lower bound.
    ``effective_rate`` is the price in percent of the usage fee, rounded to
    a tenth (half up); None when the usage fee is 0.
    """

    plan_id: str
    usage: Decimal
    base: Decimal
    lines: tuple[QuoteLine, ...]
    monthly: Decimal
    annual: Decimal
    effective_rate: Decimal | None
    rule: str
    starts_from: bool


def quote(plan: Plan, usage: object) -> Quote:
    """Price ``plan`` for a monthly usage fee ``usage`` (EUR, ≥ 0, exact number)."""
    fee = _usage(usage)
    price = plan.price
    if price.included:
        return _finish(plan, fee, Decimal("0.00"), (), "included")
    lines = tuple(
        QuoteLine(band, portion, round_cents(portion * band.rate / 100))
        for band in price.bands
        if (portion := band_portion(band, fee)) > 0
    )
    base = round_cents(price.base)
    subtotal = base + sum((line.amount for line in lines), Decimal("0.00"))
    if round_cents(price.minimum) > subtotal:
        return _finish(plan, fee, base, lines, "minimum", monthly=round_cents(price.minimum))
    return _finish(plan, fee, base, lines, "bands" if lines else "base", monthly=subtotal)


def band_portion(band: Band, usage: Decimal) -> Decimal:
    """The part of ``usage`` inside (band.lower, band.upper], never negative."""
    top = usage if band.upper is None else min(usage, band.upper)
    return max(top - band.lower, Decimal(0))


def _usage(value: object) -> Decimal:
    fee = to_decimal(value, what="usage fee")
    if fee < 0:
        raise CalculatorError(f"usage fee: expected 0 or more, found {fee}", code="usage.negative")
    return fee


def _finish(
    plan: Plan,
    usage: Decimal,
    base: Decimal,
    lines: tuple[QuoteLine, ...],
    rule: str,
    *,
    monthly: Decimal = Decimal("0.00"),
) -> Quote:
    return Quote(
        plan_id=plan.id,
        usage=usage,
        base=base,
        lines=lines,
        monthly=monthly,
        annual=monthly * MONTHS_PER_YEAR,
        effective_rate=_effective_rate(monthly, usage),
        rule=rule,
        starts_from=plan.price.starts_from,
    )


def _effective_rate(monthly: Decimal, usage: Decimal) -> Decimal | None:
    if usage == 0:
        return None
    return (monthly * 100 / usage).quantize(RATE_STEP, rounding=ROUND_HALF_UP)


def price_fingerprint(prices: Mapping[str, PriceModel]) -> str:
    """A short, stable fingerprint of a price list's amounts: 8 hex digits.

    ``prices`` maps plan ids to their price models. Only amounts, rates,
    bands and flags count, not how they are written (``1500`` and
    ``1500.00`` give the same fingerprint), so a quote link can tell whether
    the prices it was made under are still today's. SHA-256 of a canonical
    JSON text, cut to 32 bits: enough to notice a change, not a security
    measure.
    """
    canonical = {
        plan_id: {
            "included": model.included,
            "base": _plain(model.base),
            "minimum": _plain(model.minimum),
            "from": model.starts_from,
            "bands": [
                [_plain(b.lower), None if b.upper is None else _plain(b.upper), _plain(b.rate)]
                for b in model.bands
            ],
        }
        for plan_id, model in prices.items()
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def _plain(amount: Decimal) -> str:
    # "1500", never "1.5E+3" or "1500.00".
    return format(amount.normalize(), "f")
