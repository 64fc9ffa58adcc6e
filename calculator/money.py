"""Money amounts as ``Decimal``: built from exact values, rounded explicitly."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import CalculatorError

CENT = Decimal("0.01")


def to_decimal(value: object, *, what: str = "amount") -> Decimal:
    """Turn an int, a numeric string or a Decimal into a finite Decimal.

    Floats are refused outright: ``0.1`` is not one tenth in binary, and an
    amount must never depend on that. Booleans are refused too, although
    Python counts them as ints.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise CalculatorError(
            f"{what}: expected an exact number (int, str or Decimal), "
            f"found {type(value).__name__} {value!r}",
            code="not_exact",
        )
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, (int, str)):
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise CalculatorError(
                f"{what}: expected a number, found {value!r}", code="not_a_number"
            ) from None
    else:
        raise CalculatorError(
            f"{what}: expected a number, found {type(value).__name__}",
            code="not_a_number",
        )
    if not number.is_finite():
        raise CalculatorError(f"{what}: expected a finite number, found {value!r}",
                              code="not_a_number")
    return number


def round_cents(amount: Decimal) -> Decimal:
    """Round to whole cents, half a cent always up (``ROUND_HALF_UP``).

    The rounding mode is passed explicitly so that no ambient decimal
    context can change an amount.
    """
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def exact_places(value: Decimal) -> int:
    """How many decimals write ``value`` exactly, without trailing zeros
    (``12.50`` → 1, ``19`` → 0, ``1E+1`` → 0)."""
    return max(0, -value.normalize().as_tuple().exponent)
