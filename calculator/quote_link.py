"""Quote links: the whole quote in the fragment of the calculator's address.

The format is stable: a link made today must still open in years, so keys
and value forms are only ever added, never changed. A link reads
``rechner/#nutzung=25000&plan=advanced&kunde=M%C3%BCller&preisliste=2026-01``:
``key=value`` pairs joined by ``&``, percent-encoded UTF-8 (a ``+`` also
reads as a space). Every key is optional:

==============  ==========================================================
``nutzung``     monthly CCI usage fee in EUR: a plain number with a dot
                decimal (``25000``, ``5000.5``, ``5000.50``) or as Germans
                write it (``25.000``, ``25.000,50``, ``10 000 €``)
``plan``        a plan id (``basic``, ``advanced``, ``premium``), any case
``kunde``       the customer's name, text, at most 120 characters
``ref``         the quote's reference, text, at most 60 characters
``gueltig``     the last day the quote is valid, ``YYYY-MM-DD``
``preisliste``  the price-list version the quote was made under
                (``price_list.version`` in the data), at most 40 characters
``datum``       the day the quote was issued, ``YYYY-MM-DD`` (a German date,
                Europe/Berlin)
``preiscode``   the fingerprint of the price list's amounts the quote was
                made under (``pricing.price_fingerprint``), 8 hex digits
==============  ==========================================================

Reading never fails and never guesses: unknown keys are ignored, of a
repeated key the first counts, a value that cannot be read is ignored, and
a text that is too long is cut; the last two each leave a ``Note`` whose
German wording lives in the data file under ``messages.link``. Texts lose
control characters and runs of white space. Everything returned is plain
text, to be put into a page as text, never as HTML.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Callable
from urllib.parse import parse_qsl, quote

from .errors import CalculatorError
from .model import Catalog
from .texts import fill
from .money import round_cents
from .usage_input import MAXIMUM, parse_usage

MAX_CUSTOMER = 120  # characters of ``kunde``
MAX_REFERENCE = 60  # characters of ``ref``
MAX_PRICE_LIST = 40  # characters of ``preisliste``
MAX_NOTE_VALUE = 60  # characters of a link value quoted in a note
MAX_FIELDS = 50  # key=value pairs read from one link; later ones are ignored
MAX_VALUE = 1000  # characters of a value looked at; a longer value is too long

KEYS = ("nutzung", "plan", "kunde", "ref", "gueltig", "preisliste", "datum", "preiscode")
"""The link's keys, in the order ``make_link`` writes them."""

_PLAIN_AMOUNT = re.compile(r"\d+(?:\.\d{1,2})?", re.ASCII)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_FINGERPRINT = re.compile(r"[0-9a-f]{8}", re.ASCII)
# Unicode categories removed from texts: control, format (bidi overrides,
# zero-width spaces …) and lone surrogates. ZWJ and ZWNJ are kept: emoji
# sequences and some scripts need them.
_REMOVED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
_KEPT_FORMAT_CHARACTERS = frozenset({"\u200c", "\u200d"})


@dataclass(frozen=True)
class QuoteState:
    """What a quote link carries; every field may be absent.

    ``usage`` is the monthly usage fee in EUR with two decimals (0 to
    999.999.999,99), ``plan`` a plan id, ``customer`` and ``reference``
    clean texts ("" when absent), ``valid_until`` the last valid day,
    ``price_list`` the price-list version the quote was made under,
    ``issued`` the day it was issued and ``fingerprint`` the fingerprint of
    that price list's amounts (8 lower-case hex digits).
    """

    usage: Decimal | None = None
    plan: str | None = None
    customer: str = ""
    reference: str = ""
    valid_until: date | None = None
    price_list: str | None = None
    issued: date | None = None
    fingerprint: str | None = None


@dataclass(frozen=True)
class Note:
    """A link value that was ignored or cut.

    ``code`` is the key of its wording under ``messages.link`` in the data
    (``usage``, ``plan``, ``valid_until``, ``customer_cut`` …), ``field``
    the link key (``nutzung`` …) and ``value`` the value from the link as
    clean text, shortened to MAX_NOTE_VALUE characters.
    """

    code: str
    field: str
    value: str


@dataclass(frozen=True)
class ParsedLink:
    """The state a link describes and the notes on what was ignored or cut."""

    state: QuoteState
    notes: tuple[Note, ...]


# ─── Reading ───────────────────────────────────────────────────────────────


def parse_link(fragment: str, catalog: Catalog) -> ParsedLink:
    """Read a link's fragment, with or without the leading ``#``.

    Never raises: what cannot be read falls back to the default and leaves
    a Note (see the module docstring).
    """
    values: dict[str, object] = {}
    notes: list[Note] = []
    for key, raw in fragment_fields(fragment):
        if key not in _READERS or key in values:
            continue  # unknown, or repeated: the first counts
        value, code = read_value(key, raw, catalog)
        values[key] = value
        if code is not None:
            notes.append(Note(code, key, shorten(clean_text(raw[:MAX_VALUE]), MAX_NOTE_VALUE)))
    state = QuoteState(**{_ATTRIBUTES[key]: value for key, value in values.items() if value is not None})
    return ParsedLink(state, tuple(notes))


def read_value(key: str, raw: str, catalog: Catalog) -> tuple[object, str | None]:
    """One decoded value of the link key ``key`` (one of KEYS) as
    ``parse_link`` reads it: the state's value (None for the default) and
    the code of the note it leaves (None if none)."""
    return _READERS[key](raw[: MAX_VALUE + 1], catalog)


def fragment_fields(fragment: str) -> list[tuple[str, str]]:
    """Decoded ``(key, value)`` pairs of a fragment (with or without ``#``):
    the first MAX_FIELDS fields, in order, percent-decoded as UTF-8 (a
    ``+`` reads as a space, broken bytes as U+FFFD)."""
    text = fragment[1:] if fragment.startswith("#") else fragment
    fields = text.split("&", MAX_FIELDS)[:MAX_FIELDS]
    return parse_qsl("&".join(fields), keep_blank_values=True, errors="replace")


# A reader takes a raw link value (at most MAX_VALUE + 1 characters, so that
# it can tell that a value was too long) and gives the value for the state
# (None: the default) and the code of a note, if one is due.
_Reader = Callable[[str, Catalog], tuple[object, str | None]]


def _read_usage(raw: str, catalog: Catalog) -> tuple[Decimal | None, str | None]:
    if not raw.strip():
        return None, None
    try:
        return read_usage(raw), None
    except CalculatorError:
        return None, "usage"


def read_usage(text: str) -> Decimal:
    """A link's usage fee in EUR, with two decimals.

    ``25000``, ``5000.5``, ``5000.50`` (a dot before one or two digits is a
    decimal point) or a German form that ``parse_usage`` accepts
    (``25.000``, ``25.000,50``; a dot before three digits groups
    thousands). CalculatorError (``usage.*``) otherwise.
    """
    if len(text) > MAX_VALUE:
        raise CalculatorError("usage fee: too long", code="usage.not_a_number")
    plain = text.strip()
    if not _PLAIN_AMOUNT.fullmatch(plain):
        return parse_usage(text)
    fee = Decimal(plain)
    if fee > MAXIMUM:  # before rounding: quantize fails beyond 28 digits
        raise CalculatorError(f"usage fee: more than {MAXIMUM}", code="usage.too_large")
    return round_cents(fee)


def _read_plan(raw: str, catalog: Catalog) -> tuple[str | None, str | None]:
    wanted = raw.strip().lower()
    if not wanted:
        return None, None
    known = [plan.id for plan in catalog.plans if plan.id == wanted]
    return (known[0], None) if known else (None, "plan")


def _date_reader(code: str) -> _Reader:
    # A day as YYYY-MM-DD; anything else leaves the note ``code``.
    def read(raw: str, catalog: Catalog) -> tuple[date | None, str | None]:
        text = raw.strip()
        if not text:
            return None, None
        if _ISO_DATE.fullmatch(text):
            try:
                return date.fromisoformat(text), None
            except ValueError:
                pass
        return None, code

    return read


def _read_fingerprint(raw: str, catalog: Catalog) -> tuple[str | None, str | None]:
    text = raw.strip().lower()
    if not text:
        return None, None
    return (text, None) if _FINGERPRINT.fullmatch(text) else (None, "fingerprint")


def _text_reader(limit: int, code: str, *, empty: object) -> _Reader:
    # Clean text cut to ``limit``; ``empty`` is the state's value for "".
    def read(raw: str, catalog: Catalog) -> tuple[object, str | None]:
        text = clean_text(raw[:MAX_VALUE])
        if len(text) > limit or len(raw) > MAX_VALUE:
            return cut(text, limit) or empty, code
        return text or empty, None

    return read


_READERS: dict[str, _Reader] = {
    "nutzung": _read_usage,
    "plan": _read_plan,
    "kunde": _text_reader(MAX_CUSTOMER, "customer_cut", empty=""),
    "ref": _text_reader(MAX_REFERENCE, "reference_cut", empty=""),
    "gueltig": _date_reader("valid_until"),
    "preisliste": _text_reader(MAX_PRICE_LIST, "price_list_cut", empty=None),
    "datum": _date_reader("issued"),
    "preiscode": _read_fingerprint,
}
# Link key → QuoteState field.
_ATTRIBUTES = {
    "nutzung": "usage",
    "plan": "plan",
    "kunde": "customer",
    "ref": "reference",
    "gueltig": "valid_until",
    "preisliste": "price_list",
    "datum": "issued",
    "preiscode": "fingerprint",
}


def clean_text(text: str) -> str:
    """``text`` without control and format characters or lone surrogates,
    every run of white space (tabs, line breaks …) made one space, none at
    either end. Cleaning a clean text changes nothing."""
    kept = (
        " " if char.isspace() else char
        for char in text
        if char.isspace()
        or char in _KEPT_FORMAT_CHARACTERS
        or unicodedata.category(char) not in _REMOVED_CATEGORIES
    )
    return " ".join("".join(kept).split())


def cut(text: str, limit: int) -> str:
    """A clean text cut to at most ``limit`` characters, still clean."""
    return text[:limit].rstrip(" ")


def shorten(text: str, limit: int) -> str:
    """``text`` itself if it has at most ``limit`` characters, else its
    beginning and ``…``, ``limit`` characters in all."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def note_text(catalog: Catalog, note: Note) -> str:
    """The German wording of a note: ``messages.link.<code>`` of the data
    with ``{value}`` replaced by the note's value (taken literally)."""
    return fill(catalog.messages["link"][note.code], value=note.value)


# ─── Writing ───────────────────────────────────────────────────────────────


def make_link(state: QuoteState) -> str:
    """The canonical fragment (without ``#``) for a state as ``parse_link``
    returns it: keys in the order of KEYS, empty fields left out, values
    percent-encoded UTF-8 (``quote(value, safe="")``), the usage fee as a
    plain dot decimal (``25000``, ``5000.50``)."""
    values = {
        "nutzung": None if state.usage is None else plain_amount(state.usage),
        "plan": state.plan,
        "kunde": state.customer,
        "ref": state.reference,
        "gueltig": None if state.valid_until is None else state.valid_until.isoformat(),
        "preisliste": state.price_list,
        "datum": None if state.issued is None else state.issued.isoformat(),
        "preiscode": state.fingerprint,
    }
    return "&".join(f"{key}={quote(value, safe='')}" for key, value in values.items() if value)


def plain_amount(amount: Decimal) -> str:
    """``25000`` for whole euros, else ``5000.50`` (rounded to the cent)."""
    rounded = round_cents(amount)
    return f"{rounded:.0f}" if rounded == rounded.to_integral_value() else f"{rounded:.2f}"
