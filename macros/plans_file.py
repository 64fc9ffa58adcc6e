"""Loading ``data/plans.yaml`` for the build: valid data or every problem.

``load_plans`` reads the file in steps and stops after the first step
that finds problems:

1. YAML (``macros.yaml_source``): size, syntax, tabs, duplicate keys,
   anchors and aliases, tags, nesting depth, decimal commas;
2. the JSON Schema beside the data file (``plans.schema.json``), plus the
   build-time checks the schema names with ``x-check`` (real dates, known
   time zones, whole cents);
3. the meaning (``calculator.build_catalog``): unique ids, contiguous
   bands, references that resolve;
4. the caller's checks of the catalog (``checks``), such as a page for
   each plan and unchanged amounts under a published price list version.

Each problem becomes one line ``FILE:LINE:COLUMN: PATH: MESSAGE``, such as
``data/plans.yaml:57:42: plans[1].price.bands[2].rate: erwartet einen
Prozentsatz zwischen 0 und 100, gefunden "19 Prozent"``. Messages are German
(the writer's language) and read ``erwartet <was>, gefunden <Wert>``; the
wording of ``<was>`` for a field lives in the schema as ``x-expected``. A
file above MAX_BYTES is refused before it is read.
"""

from __future__ import annotations

import json
import re
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators

from calculator import Catalog, CalculatorError, build_catalog
from calculator.german import format_number

from .yaml_source import PathKey, Position, SourceDocument, YamlSourceError, parse

SCHEMA_NAME = "plans.schema.json"
"""The schema's file name; it lives beside the data file."""

MAX_BYTES = 1_000_000
"""The largest data file read (1 MB); the real one has about 15 kB."""

# Keywords whose failure is about the value itself: the field's x-expected
# wording describes what was wanted.
_VALUE_KEYWORDS = frozenset({
    "type", "enum", "const", "pattern", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "minLength", "maxLength", "oneOf", "anyOf",
})
# Keywords that say a mapping has the wrong set of fields.
_FIELD_KEYWORDS = frozenset({"required", "additionalProperties", "minProperties"})

_TYPE_WORDS = {
    "string": "einen Text",
    "integer": "eine ganze Zahl",
    "number": "eine Zahl",
    "boolean": "true oder false",
    "object": "eine Zuordnung (Feld: Wert)",
    "array": "eine Liste",
    "null": "nichts",
}
_LONGEST_QUOTE = 60  # characters of a text value shown in a message


class PlansFileError(Exception):
    """The data file was refused; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Problem:
    """One problem: where (1-based; None if unknown), which value, what."""

    line: int | None
    column: int | None
    path: str
    message: str

    @classmethod
    def at(cls, position: Position, path: PathKey, message: str) -> Problem:
        return cls(position.line, position.column, format_path(path), message)

    def format(self, display_name: str) -> str:
        """``FILE:LINE:COL: PATH: MESSAGE``; parts that are unknown are left out."""
        where = display_name if self.line is None else f"{display_name}:{self.line}:{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"

    def sort_key(self) -> tuple[int, int, str]:
        return (self.line or 0, self.column or 0, self.path)


def load_plans(path: Path, display_name: str) -> Catalog:
    """The catalog of the data file at ``path``; PlansFileError if it is bad.

    ``display_name`` is how messages name the file (``data/plans.yaml``).
    """
    return load_plan_data(path, display_name)[1]


CatalogCheck = Callable[[Catalog], list[tuple[str, str]]]
"""A further check of a built catalog: (path, message) pairs such as
``("plans[1].id", "…")``, shown at the place of the path's value."""


def load_plan_data(path: Path, display_name: str,
                   checks: Sequence[CatalogCheck] = ()) -> tuple[dict[str, Any], Catalog]:
    """The validated plain data of the file and its catalog (see load_plans).

    The plain data is what the browser receives as JSON. ``checks`` run on
    the catalog once it is built (step 4), e.g. that each plan has a page.
    """
    key = file_contents(path, path.parent / SCHEMA_NAME)
    if key in _VALID:
        document, catalog = _VALID[key]
        problems = []
    else:
        document, problems = _read_document(path)
        if not problems:
            schema = _read_schema(path.parent / SCHEMA_NAME)
            problems = _duplicate_problems(document) + schema_problems(document, schema)
        if not problems:
            catalog, problems = _build(document)
            if catalog is not None and not problems:
                remember(_VALID, key, (document, catalog))
    if not problems:
        if catalog is not None:
            problems = [_at_path(document, where, message)
                        for check in checks for where, message in check(catalog)]
        if catalog is not None and not problems:
            return document.data, catalog
    problems.sort(key=Problem.sort_key)
    raise PlansFileError([problem.format(display_name) for problem in problems])


# Valid files read so far, by their contents (see file_contents): both
# editions of one build, built in one process, read and validate each file once.
CACHE_ENTRIES = 8
_VALID: dict[tuple[bytes | None, ...], tuple[SourceDocument, Catalog]] = {}


def remember[K, V](cache: dict[K, V], key: K, value: V) -> V:
    """Keep ``value`` under ``key`` in a cache of valid files and return it;
    a full cache is emptied first (`mkdocs serve`: one entry per edit)."""
    if len(cache) >= CACHE_ENTRIES:
        cache.clear()
    cache[key] = value
    return value


def file_contents(*paths: Path) -> tuple[bytes | None, ...]:
    """The bytes of each file (None: unreadable), a cache key that changes
    whenever one of them does."""
    contents: list[bytes | None] = []
    for path in paths:
        try:
            contents.append(path.read_bytes())
        except OSError:
            contents.append(None)
    return tuple(contents)


def _read_document(path: Path) -> tuple[SourceDocument, list[Problem]]:
    """Step 1: the file as YAML; the document is only usable without problems."""
    empty = SourceDocument(data=None)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return empty, [Problem(1, 1, "", f"die Datei ist {format_number(Decimal(size), 0)} Bytes groß; "
                                   f"erlaubt sind höchstens {format_number(Decimal(MAX_BYTES), 0)} Bytes (1 MB)")]
        raw = path.read_bytes()
    except FileNotFoundError:
        return empty, [Problem(None, None, "", "Datei nicht gefunden")]
    except OSError as error:
        return empty, [Problem(None, None, "", f"Datei nicht lesbar: {error.strerror or error}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        column = len(raw[line_start : error.start].decode("utf-8", "replace")) + 1
        line = raw.count(b"\n", 0, error.start) + 1
        return empty, [Problem(line, column, "", "die Datei ist kein UTF-8-Text; als UTF-8 speichern")]
    try:
        document = parse(text)
    except YamlSourceError as error:
        return empty, [Problem.at(error.position, error.path, error.message)]
    if document.data is None:
        return empty, [Problem(1, 1, "", "die Datei ist leer; erwartet werden die Plandaten")]
    return document, []


def _build(document: SourceDocument) -> tuple[Catalog | None, list[Problem]]:
    """Step 3: the model, or the semantic problems at their positions."""
    try:
        return build_catalog(document.data), []
    except CalculatorError as error:
        if error.code != "data":
            raise
        return None, [_at_path(document, where, message) for where, message in error.problems]


def _at_path(document: SourceDocument, where: str, message: str) -> Problem:
    path = parse_path(where)
    return Problem.at(document.position(path), path, message)


def _read_schema(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PlansFileError([f"{path.name}: Schema nicht lesbar: {error}"]) from None


def _duplicate_problems(document: SourceDocument) -> list[Problem]:
    return [
        Problem.at(
            duplicate.position,
            duplicate.path,
            f"doppeltes Feld {_quote(str(duplicate.path[-1]))}; "
            f"steht schon in Zeile {duplicate.first_line}",
        )
        for duplicate in document.duplicates
    ]


# ─── Paths ─────────────────────────────────────────────────────────────────


def format_path(path: PathKey) -> str:
    """``("plans", 1, "price")`` → ``"plans[1].price"``; ``()`` → ``""``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def parse_path(text: str) -> PathKey:
    """``"plans[1].price"`` → ``("plans", 1, "price")``; inverse of format_path."""
    return tuple(
        int(index) if index else key
        for key, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", text)
    )


# ─── Schema ────────────────────────────────────────────────────────────────


def _zone_known(value: str) -> bool:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _date_exists(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _month_day_exists(value: str) -> bool:
    # In a leap year, so that 02-29 counts as a day of the year.
    return _date_exists(f"2024-{value}")


# x-check name → (the type it applies to, whether a value passes, the wording).
_CHECKS: dict[str, tuple[type, Callable[[Any], bool], str]] = {
    "date": (str, _date_exists, "ein Datum, das es im Kalender gibt"),
    "month_day": (str, _month_day_exists, "einen Tag, den es im Kalender gibt"),
    "zone": (str, _zone_known, 'einen Zeitzonennamen der tz-Datenbank, etwa "Europe/Berlin"'),
    "cents": (
        Decimal,
        lambda amount: amount.as_tuple().exponent >= -2,
        "einen Betrag mit höchstens zwei Nachkommastellen und ohne Tausenderpunkt (1500, nicht 1.500)",
    ),
}


def _x_check(validator: Any, name: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    """The ``x-check`` keyword: a build-time check named in the schema.

    Runs only on values of its type that match the schema's ``pattern``
    (a value of the wrong shape already has its own error).
    """
    kind, passes, wanted = _CHECKS[name]
    if not isinstance(instance, kind) or isinstance(instance, bool):
        return
    if isinstance(instance, str) and not re.search(schema.get("pattern", ""), instance):
        return
    if not passes(instance):
        yield ValidationError(wanted)


_Validator = validators.extend(Draft202012Validator, {"x-check": _x_check})


def schema_problems(document: SourceDocument, schema: dict[str, Any]) -> list[Problem]:
    """Every schema violation of the document, at most one per path."""
    problems: dict[str, Problem] = {}
    for error in _Validator(schema).iter_errors(document.data):
        for problem in _explain(error, document):
            problems.setdefault(problem.path, problem)
    return list(problems.values())


def _explain(error: ValidationError, document: SourceDocument) -> Iterator[Problem]:
    """Plain problems for one jsonschema error."""
    path = tuple(error.absolute_path)
    if error.validator == "required":
        for key in error.validator_value:
            if key not in error.instance:
                # Shown where the mapping that lacks it is written.
                yield Problem.at(document.position(path + (key,)), path + (key,),
                                 f"Pflichtfeld {_quote(key)} fehlt")
    elif error.validator == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        for key in error.instance:
            if key not in allowed:
                yield Problem.at(document.key_position(path + (key,)), path + (key,),
                                 f"unbekanntes Feld {_quote(key)}; erlaubt: {', '.join(allowed)}")
    elif error.validator in ("oneOf", "anyOf") and _alternatives_are_fields(error):
        yield Problem.at(document.position(path), path, _fields_message(error))
    elif error.validator in ("oneOf", "anyOf") and (meant := _meant_alternative(error)):
        for sub_error in meant:
            yield from _explain(sub_error, document)
    else:
        yield Problem.at(document.position(path), path,
                         f"erwartet {_expected(error)}, gefunden {_found(error, document, path)}")


def _alternatives_are_fields(error: ValidationError) -> bool:
    # oneOf: [{required: [hours]}, {required: [minutes]}] and the like.
    return all(set(branch) == {"required"} and len(branch["required"]) == 1
               for branch in error.validator_value)


def _fields_message(error: ValidationError) -> str:
    """For ``oneOf`` of single required fields: which of them were given."""
    names = [branch["required"][0] for branch in error.validator_value]
    given = [name for name in names if name in error.instance]
    how_many = "genau eines" if error.validator == "oneOf" else "mindestens eines"
    found = " und ".join(given) if given else "keines davon"
    return f"erwartet {how_many} der Felder {', '.join(names)}, gefunden {found}"


def _meant_alternative(error: ValidationError) -> list[ValidationError] | None:
    """The errors of the alternative (oneOf/anyOf branch) the value was meant as.

    Branches whose type does not fit are out; of the rest, the one with the
    fewest wrong or missing fields wins, then the one with fewest errors.
    None when no branch fits or two fit equally well.
    """
    by_branch: dict[int, list[ValidationError]] = defaultdict(list)
    for sub_error in error.context:
        by_branch[sub_error.relative_schema_path[0]].append(sub_error)
    scores = {}
    for branch, errors in by_branch.items():
        here = [e for e in errors if not e.relative_path]
        if any(e.validator == "type" for e in here):
            continue
        scores[branch] = (sum(e.validator in _FIELD_KEYWORDS for e in here), len(errors))
    best = sorted(scores, key=scores.__getitem__)
    if not best or (len(best) > 1 and scores[best[0]] == scores[best[1]]):
        return None
    return by_branch[best[0]]


def _expected(error: ValidationError) -> str:
    """What the failing keyword wanted, in plain words."""
    if error.validator == "x-check":
        return error.message
    wording = error.schema.get("x-expected") if isinstance(error.schema, dict) else None
    if wording and error.validator in _VALUE_KEYWORDS:
        return wording
    value = error.validator_value
    items = "Eintrag" if value == 1 else "Einträge"
    fields = "Feld" if value == 1 else "Felder"
    generic: dict[str, Callable[[], str]] = {
        "type": lambda: " oder ".join(_TYPE_WORDS[t] for t in ([value] if isinstance(value, str) else value)),
        "enum": lambda: _one_of(value),
        "const": lambda: _plain(value),
        "pattern": lambda: f"einen Text passend zu {value}",
        "minimum": lambda: f"eine Zahl von mindestens {value}",
        "maximum": lambda: f"eine Zahl von höchstens {value}",
        "exclusiveMinimum": lambda: f"eine Zahl über {value}",
        "exclusiveMaximum": lambda: f"eine Zahl unter {value}",
        "minLength": lambda: "einen nicht leeren Text" if value == 1 else f"einen Text mit mindestens {value} Zeichen",
        "maxLength": lambda: f"einen Text mit höchstens {value} Zeichen",
        "minItems": lambda: f"mindestens {value} {items}",
        "maxItems": lambda: f"höchstens {value} {items}",
        "uniqueItems": lambda: "jeden Eintrag nur einmal",
        "minProperties": lambda: f"mindestens {value} {fields}",
        "oneOf": lambda: "eine der erlaubten Formen",
        "anyOf": lambda: "eine der erlaubten Formen",
    }
    return generic[error.validator]() if error.validator in generic else error.message


def _found(error: ValidationError, document: SourceDocument, path: PathKey) -> str:
    """The offending value as the writer wrote it."""
    if error.validator == "uniqueItems":
        repeated = next(item for i, item in enumerate(error.instance) if item in error.instance[:i])
        return f"{_describe(repeated, None)} doppelt"
    return _describe(error.instance, document.source_text(path))


def _describe(value: Any, source: str | None) -> str:
    """A text in double quotes, another scalar as written, else its kind."""
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, dict):
        return "eine Zuordnung" if value else "eine leere Zuordnung"
    if isinstance(value, list):
        return "eine Liste" if value else "eine leere Liste"
    if source:
        return source
    return "nichts" if value is None else _plain(value)


def _quote(text: str) -> str:
    """A text in double quotes (JSON style), shortened if long."""
    if len(text) > _LONGEST_QUOTE:
        text = text[: _LONGEST_QUOTE - 1] + "…"
    return json.dumps(text, ensure_ascii=False)


def _plain(value: Any) -> str:
    # A schema constant as a writer would type it: true, 19, EUR.
    return value if isinstance(value, str) else json.dumps(value)


def _one_of(values: list[Any]) -> str:
    words = [_plain(value) for value in values]
    return words[0] if len(words) == 1 else "einen der Werte " + ", ".join(words)
