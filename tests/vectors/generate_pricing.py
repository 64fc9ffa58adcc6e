"""Write tests/vectors/pricing.json: usage inputs and CPython's price answers.

Usage:  .venv/bin/python tests/vectors/generate_pricing.py           (rewrite)
        .venv/bin/python tests/vectors/generate_pricing.py --check   (exit 1 if stale)

Each vector is ``{"input": <what a visitor types>, "expected": <price_view
of the real catalog (data/plans.yaml) for it, as JSON>}``. The inputs are
fixed cases (every price edge of the data ±0.01 €, German spellings,
refused inputs) and RANDOM_COUNT seeded random usage fees from 0 to
10.000.000 € with cents, each written in a randomly chosen German style.
The same code and data always give the same file, byte for byte; the seed
and the generator use integers only, so no float rounding can differ.

tests/test_two_runtimes.py checks the file against CPython (so a change to
the data or the code shows up as a stale file: rerun this script and review
the diff) and against Pyodide under Node, using the built site's wheel.

File layout (compact, one item a line): ``shared`` lists JSON values that
occur in several answers (a plan without a price, a complete band line, a
refusal message) and the fields that all answers of one kind have in common
(every Advanced plan's name and base fee). An answer refers to a shared
value as ``{"$ref": <index>}``, or to common fields as ``{"$ref": <index>,
<its own fields>...}``. ``expand`` turns the file back into plain answers.
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from calculator.model import Catalog  # noqa: E402
from calculator.price_view import price_view  # noqa: E402

VECTOR_FILE = Path(__file__).resolve().with_name("pricing.json")
REGENERATE = ".venv/bin/python tests/vectors/generate_pricing.py"
SEED = 20260101
RANDOM_COUNT = 1000
MAX_USAGE_CENTS = 10_000_000_00
CENT = Decimal("0.01")
REF = "$ref"
# Shared values shorter than this stay inline (a ref would not save much).
MIN_SHARED_CHARS = 40

# What people type or paste, in the spellings the input field accepts.
GERMAN_SPELLINGS = (
    "10.000,50", "10 000 €", "10000", "10.000", "7.500,00 EUR", "€ 1.250",
    "10\u00a0000,5", "1\u202f234\u202f567,89", "2\u2009500", "  25.000  ",
    "25000,5 €", "eur 100", "1.000.000", "9.999.999,99 €", "0,01", "0", "0,5",
    "\t12.345,67\n", "10,-", "10.000,- €", "10.000 Euro",
)
# Refused inputs: letters, several commas, bad grouping, signs, other digits.
INVALID = (
    "abc", "1,2,3", "", "   ", "€", "-5", "\u22125", "1.23", "10,123", "1.0000",
    "12.34.567", "1e5", "0x10", "10 00", "1.000 000", "0.500", "NaN", "Infinity",
    "1_000", "\uff11\uff12\uff13", "\u0663", "1.000.000.000", "1000000000",
    "10.000,50,", "+100",
)
# Usage fees that always belong in the file (EUR, as exact strings).
FIXED_FEES = ("0", "0.01", "0.99", "1", "9999999.99", "10000000", "10000000.01",
              "999999999.99")


def edge_fees(catalog: Catalog) -> list[Decimal]:
    """Every price edge of the data (band limits, minimums) and ±0.01 around it."""
    edges: set[Decimal] = set()
    for plan in catalog.plans:
        model = plan.price
        for band in model.bands:
            edges.add(band.lower)
            if band.upper is not None:
                edges.add(band.upper)
        if model.minimum:
            edges.add(model.minimum)
    fees = {edge + step for edge in edges for step in (-CENT, 0, CENT)}
    return sorted(fee for fee in fees if fee >= 0)


def german(fee: Decimal, style: int, rng: random.Random | None = None) -> str:
    """``fee`` written as a visitor might; ``style`` picks one of the spellings."""
    whole, cents = divmod(int(fee * 100), 100)
    digits = str(whole)
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    separator = ("", ".", " ", "\u00a0", ".", "\u202f")[style % 6]
    text = separator.join(groups) if separator else str(whole)
    cent_text = f"{cents:02d}"
    if rng is not None and cents % 10 == 0 and rng.randrange(3) == 0:
        cent_text = cent_text[0]  # "10,5"
    if not (rng is not None and cents == 0 and rng.randrange(2) == 0):
        text += "," + cent_text
    suffix = ("", "", " €", "\u00a0€", " EUR", "€", "prefix")[(style // 6) % 7]
    return f"€ {text}" if suffix == "prefix" else text + suffix


def random_fees(rng: random.Random, count: int, taken: set[Decimal]) -> list[Decimal]:
    """``count`` new fees (none in ``taken``): near the bands, across all
    magnitudes, and flat over 0 to 10.000.000 €, in turn."""
    fees: list[Decimal] = []
    while len(fees) < count:
        kind = len(fees) % 3
        if kind == 0:  # the interesting range: below, in and above the bands
            cents = rng.randrange(0, 30_000_00 + 1)
        elif kind == 1:  # every magnitude, 0,01 € to 9.999.999,99 €
            digits = rng.randrange(1, 10)
            cents = rng.randrange(10 ** (digits - 1), 10**digits)
        else:  # uniform over the whole range
            cents = rng.randrange(0, MAX_USAGE_CENTS + 1)
        fee = Decimal(cents) / 100
        if fee not in taken:
            taken.add(fee)
            fees.append(fee)
    return fees


def inputs(catalog: Catalog) -> list[str]:
    """Every input of the vector file, in file order (no duplicates)."""
    rng = random.Random(SEED)
    typed = [*GERMAN_SPELLINGS, *INVALID]
    edges = edge_fees(catalog)
    for position, fee in enumerate(edges):
        typed += [german(fee, 0), german(fee, position * 7 + 1)]  # plain and styled
    fixed = [Decimal(fee) for fee in FIXED_FEES]
    typed += [german(fee, 1) for fee in fixed]
    # Random fees differ from each other and from the fixed ones.
    fees = random_fees(rng, RANDOM_COUNT, {*edges, *fixed})
    typed += [german(fee, rng.randrange(42), rng) for fee in fees]
    return list(dict.fromkeys(typed))


def expected(catalog: Catalog, typed: str) -> Any:
    """CPython's answer for ``typed``, as it reads after a JSON round trip."""
    return json.loads(json.dumps(price_view(catalog, typed), ensure_ascii=False))


# ─── The file: shared values and refs ─────────────────────────────────────


def _key(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _group(value: dict[str, Any]) -> str:
    # Dicts of one kind: same keys and the same first value (plan, lower, ok).
    first = next(iter(value), None)
    return _key([list(value), value.get(first)])


class _Packer:
    """Shares repeated values: a whole dict or list that occurs more than once,
    and the fields that all dicts of one kind have in common (a template)."""

    def __init__(self, values: list[Any]) -> None:
        self.counts: Counter[str] = Counter()
        self.kinds: dict[str, list[dict[str, Any]]] = {}
        for value in values:
            self._collect(value)
        self.templates: dict[str, dict[str, Any]] = {}
        for kind, members in self.kinds.items():
            common = {name: field for name, field in members[0].items()
                      if all(member[name] == field for member in members)}
            if len(common) < len(members[0]) and len(_key(common)) >= MIN_SHARED_CHARS:
                self.templates[kind] = common
        self.index: dict[str, int] = {}
        self.table: list[Any] = []

    def _collect(self, value: Any) -> None:
        if isinstance(value, dict):
            self.counts[_key(value)] += 1
            self.kinds.setdefault(_group(value), []).append(value)
            for field in value.values():
                self._collect(field)
        elif isinstance(value, list):
            self.counts[_key(value)] += 1
            for item in value:
                self._collect(item)

    def _ref(self, key: str, value: Any) -> int:
        # The table entry for ``key``, added (itself packed) on first use.
        if key not in self.index:
            self.index[key] = len(self.table)
            self.table.append(None)
            self.table[self.index[key]] = self.pack(value, whole=False)
        return self.index[key]

    def pack(self, value: Any, whole: bool = True) -> Any:
        if not isinstance(value, (dict, list)):
            return value
        key = _key(value)
        if whole and self.counts[key] > 1 and len(key) >= MIN_SHARED_CHARS:
            return {REF: self._ref(key, value)}
        if isinstance(value, list):
            return [self.pack(item) for item in value]
        template = self.templates.get(_group(value))
        if template is None or template == value:
            return {name: self.pack(field) for name, field in value.items()}
        own = {name: self.pack(field) for name, field in value.items() if name not in template}
        return {REF: self._ref("template:" + _key(template), template), **own}


def expand(value: Any, table: list[Any]) -> Any:
    """``value`` with every ``{"$ref": i, ...}`` resolved, recursively.

    ``{"$ref": i}`` is ``table[i]``; ``{"$ref": i, "a": 1}`` is the dict
    ``table[i]`` with the fields given beside the ref added.
    """
    if isinstance(value, dict):
        fields = {name: expand(field, table) for name, field in value.items() if name != REF}
        if REF in value:
            shared = expand(table[value[REF]], table)
            return {**shared, **fields} if fields else shared
        return fields
    if isinstance(value, list):
        return [expand(item, table) for item in value]
    return value


def load(path: Path = VECTOR_FILE) -> list[dict[str, Any]]:
    """The vectors of the file, answers expanded: ``[{"input", "expected"}, ...]``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    table = data["shared"]
    return [{"input": v["input"], "expected": expand(v["expected"], table)}
            for v in data["vectors"]]


def _line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _visible(typed: str) -> str:
    # Inputs spell out look-alike spaces and signs, so a diff shows them;
    # answers keep their no-break spaces raw (every amount has one).
    text = json.dumps(typed, ensure_ascii=False)
    for char in "\u00a0\u2009\u202f\u2212":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def render(catalog: Catalog) -> str:
    """The complete text of the vector file for ``catalog``."""
    vectors = [{"input": typed, "expected": expected(catalog, typed)} for typed in inputs(catalog)]
    packer = _Packer([vector["expected"] for vector in vectors])
    compact = [{"input": v["input"], "expected": packer.pack(v["expected"], whole=False)}
               for v in vectors]
    header = {
        "about": "Usage inputs and price_view answers of CPython; tests/test_two_runtimes.py "
                 "checks them in CPython and in Pyodide. Generated, do not edit.",
        "regenerate": REGENERATE,
        "seed": SEED,
        "count": len(vectors),
    }
    head = _line(header)[:-1]
    shared_lines = ",\n".join(_line(item) for item in packer.table)
    vector_lines = ",\n".join(
        f'{{"input":{_visible(item["input"])},"expected":{_line(item["expected"])}}}'
        for item in compact
    )
    return f'{head},\n"shared":[\n{shared_lines}\n],\n"vectors":[\n{vector_lines}\n]}}\n'


def main(argv: list[str]) -> int:
    from tests.catalog import real_catalog

    text = render(real_catalog())
    if argv[1:] == ["--check"]:
        current = VECTOR_FILE.read_text(encoding="utf-8") if VECTOR_FILE.exists() else ""
        if current != text:
            print(f"{VECTOR_FILE.relative_to(REPO_ROOT)} is stale: run {REGENERATE}")
            return 1
        print(f"{VECTOR_FILE.relative_to(REPO_ROOT)} is up to date")
        return 0
    VECTOR_FILE.write_text(text, encoding="utf-8")
    data = json.loads(text)
    print(f"wrote {VECTOR_FILE.relative_to(REPO_ROOT)}: {data['count']} vectors, "
          f"{len(data['shared'])} shared values, {len(text.encode()) // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
