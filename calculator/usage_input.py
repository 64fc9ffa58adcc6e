"""Reading a monthly usage fee as a visitor types or pastes it.

Accepted: ``10000``, ``10.000``, ``10.000,50``, ``10 000 €``, ``7.500,00 EUR``,
``10.000 Euro``, ``€ 1.250``, ``10.000,-`` (no cents). A dot or a space groups
thousands and must be followed by exactly three digits, and a grouped amount
starts without a leading zero (``0.500`` is refused, not read as 500 €); a
comma separates at most two cents digits. Anything else is refused with a
CalculatorError whose ``code`` says why (``usage.empty``, ``usage.negative``,
``usage.not_a_number``, ``usage.several_commas``, ``usage.grouping``,
``usage.comma_thousands`` for English grouping such as ``10,000``,
``usage.decimals``, ``usage.too_large``); the wording for visitors lives in
the data file under ``messages.usage``. Nothing is ever guessed.

``parse_english_usage`` reads what English pages accept: ``10000``,
``10,000``, ``10,000.50``, ``€10,000``, ``10000 EUR``, ``€ 10,000.50``,
``10 000``. A comma or a space groups thousands and must be followed by
exactly three digits (``1,0000`` and ``0,500`` are refused: ``grouping``);
a point separates at most two cents digits (``decimals``). German notation
is refused with its own codes, never read: ``usage.point_thousands`` for
thousands grouped with points (``10.000``, ``10.000,50``; also ``10.555``,
which a German means as 10,555 €),
``usage.decimal_comma`` for a comma before the cents (``10,50``,
``10.5,00``), ``usage.several_points`` for ``1.2.3``; the other codes mean
what they mean in German (``empty``, ``negative``, ``not_a_number``,
``grouping``, ``decimals``, ``too_large``). The catalog of the page's
language words each code for that language's rules.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .errors import CalculatorError

MAXIMUM = Decimal("999999999.99")

# Spaces people type or paste between thousands: plain, no-break, thin,
# narrow no-break.
_SPACES = "\u0020\u00a0\u2009\u202f"
_CURRENCY = re.compile(r"^(?:€|EURO|EUR)\s*|\s*(?:€|EURO|EUR)$", re.IGNORECASE | re.ASCII)
_PLAIN = re.compile(r"\d+", re.ASCII)
# A grouped amount's first group has no leading zero: "0.500" is not 500 €.
_GROUPED = re.compile(r"[1-9]\d{0,2}(?:([.\u0020\u00a0\u2009\u202f])\d{3})(?:\1\d{3})*", re.ASCII)
_WHOLE_CHARS = re.compile(r"[0-9.\u0020\u00a0\u2009\u202f]+")
_CENTS_CHARS = re.compile(r"[0-9]*")
_CENTS = re.compile(r"\d{1,2}", re.ASCII)
# "10.000,-" and "10.000,–": whole euros, as price tags write them.
_NO_CENTS = re.compile(r",(?:-{1,2}|\u2013)\Z")
# English thousands: "10,000", "1,250,000", "1,000.50" (not "0,500", which is
# cents gone wrong).
_COMMA_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+(?:\.\d{1,2})?", re.ASCII)

# English notation. Thousands grouped with a comma or a space (one kind per
# amount), as _GROUPED with a comma instead of a point.
_ENGLISH_GROUPED = re.compile(r"[1-9]\d{0,2}(?:([,\u0020\u00a0\u2009\u202f])\d{3})(?:\1\d{3})*", re.ASCII)
_ENGLISH_CHARS = re.compile(r"[0-9.,\u0020\u00a0\u2009\u202f]+")
# German notation on an English page: "10.000", "1.250.000", "10.000,50",
# "10.000,-" (German grouping, optional German cents).
_GERMAN_THOUSANDS = re.compile(
    r"[1-9]\d{0,2}(?:\.\d{3})+(?:,(?:\d{1,2}|-{1,2}|\u2013))?", re.ASCII)
# A German decimal comma: one or two digits (or a dash) after the last comma.
_DECIMAL_COMMA = re.compile(r",(?:\d{1,2}|-{1,2}|\u2013)\Z", re.ASCII)
# Separators in the roles German gives them: "10.5,00".
_COMMA_AFTER_POINT = re.compile(r"\..*,")


def parse_usage(text: str) -> Decimal:
    """The usage fee in ``text`` (German notation) as a Decimal in EUR
    (0 ≤ fee ≤ MAXIMUM)."""
    body = _NO_CENTS.sub("", _amount_text(text))
    if _COMMA_THOUSANDS.fullmatch(body):
        _refuse("comma_thousands", "a comma before three digits: German groups thousands with a dot")
    if body.count(",") > 1:
        _refuse("several_commas", "more than one comma")
    whole, _, cents = body.partition(",")
    if not _WHOLE_CHARS.fullmatch(whole) or not _CENTS_CHARS.fullmatch(cents):
        _refuse("not_a_number", f"not an amount: {text!r}")
    if not (_PLAIN.fullmatch(whole) or _GROUPED.fullmatch(whole)):
        _refuse("grouping", "a dot or space must be followed by exactly three digits")
    if "," in body and not _CENTS.fullmatch(cents):
        _refuse("decimals", "expected one or two digits after the comma")
    return _fee(whole, cents)


def parse_english_usage(text: str) -> Decimal:
    """The usage fee in ``text`` (English notation) as a Decimal in EUR
    (0 ≤ fee ≤ MAXIMUM)."""
    body = _amount_text(text)
    # Dashes only as the German "10,-" (refused below as decimal_comma).
    if not _ENGLISH_CHARS.fullmatch(_NO_CENTS.sub(",0", body)) or not re.search(r"\d", body):
        _refuse("not_a_number", f"not an amount: {text!r}")
    if _GERMAN_THOUSANDS.fullmatch(body):
        _refuse("point_thousands", "a point before three digits: English groups thousands with a comma")
    if _DECIMAL_COMMA.search(body) or _COMMA_AFTER_POINT.search(body):
        _refuse("decimal_comma", "a comma before the cents: English separates cents with a point")
    if body.count(".") > 1:
        _refuse("several_points", "more than one decimal point")
    whole, point, cents = body.partition(".")
    if not whole or not _CENTS_CHARS.fullmatch(cents):
        _refuse("not_a_number", f"not an amount: {text!r}")
    if not (_PLAIN.fullmatch(whole) or _ENGLISH_GROUPED.fullmatch(whole)):
        _refuse("grouping", "a comma or space must be followed by exactly three digits")
    if point and not _CENTS.fullmatch(cents):
        _refuse("decimals", "expected one or two digits after the point")
    return _fee(whole, cents)


def _amount_text(text: str) -> str:
    """``text`` without surrounding spaces and currency; refuses an empty
    or negative amount (the same in every notation)."""
    body = _CURRENCY.sub("", text.strip(_SPACES + "\t\n"), count=2).strip(_SPACES)
    if not body:
        _refuse("empty", "no amount given")
    if body.startswith(("-", "\u2212")):
        _refuse("negative", "a usage fee cannot be negative")
    return body


def _fee(whole: str, cents: str) -> Decimal:
    """The fee of checked whole-euro text (digits and group separators) and
    0–2 cents digits; refuses one above MAXIMUM."""
    digits = re.sub(r"[^0-9]", "", whole)
    fee = Decimal(f"{digits}.{cents.ljust(2, '0')}")
    if fee > MAXIMUM:
        _refuse("too_large", f"more than {MAXIMUM}")
    return fee


def _refuse(reason: str, detail: str) -> None:
    raise CalculatorError(f"usage fee: {detail}", code=f"usage.{reason}")
