"""The English edition's texts: ``data/plans.en.yaml`` beside ``data/plans.yaml``.

The German file holds every fact and every German text. The English file
repeats the German file's structure but holds only the English texts: the
same keys and the same lists in the same order, plus the item's ``id``
(``level`` for severities, ``capability`` for advisor questions) in lists
whose items have one, so that a translation cannot slide to another plan.
Amounts, rates, hours, dates and the other facts stay in the German file.

Which values are texts comes from the schema: every value written as
``{"$ref": "#/$defs/text"}`` is one, unless the schema marks it
``"x-translate": false`` (names such as "Comarch Cloud Infraspace" or the
price list version, the same in every language).

``load_edition(lang)`` returns the plain data dict and catalog of an
edition. For English, the German data is loaded and checked first
(``plans_file.load_plan_data``), then the English file is read with the
same YAML hardening and checked in steps, stopping after the first step
that finds problems:

1. YAML (``yaml_source``): size, syntax, anchors and aliases, tags, depth;
2. structure: a translation for every German text and none without one,
   a text where a text belongs, no repeated facts, the same ``id`` as the
   German item, the same placeholders (``{plan}``, ``{value}``, …);
3. the glossary (``glossary:`` at the top of the English file): where a
   German text uses a term, its translation uses the English term;
4. the merged English data through the schema and ``build_catalog``.

Every problem is one line ``FILE:LINE:COLUMN: PATH: MESSAGE`` like the
German file's, e.g. ``data/plans.en.yaml:12:5: plans[1].description:
englische Übersetzung fehlt``; PATH is the value's path in the data (the
same in both languages).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from calculator import Catalog, CalculatorError, build_catalog

from .plans_file import (
    SCHEMA_NAME, CatalogCheck, PlansFileError, Problem, _describe, _quote, _read_document,
    _read_schema, file_contents, load_plan_data, parse_path, remember, schema_problems,
)
from .yaml_source import PathKey, SourceDocument

DATA_FILE = Path("data") / "plans.yaml"
"""The German data file (facts and German texts), relative to the project."""

TRANSLATION_FILES = {"en": Path("data") / "plans.en.yaml"}
"""The texts of each further edition, relative to the project."""

LANGUAGE_NAMES = {"en": "englische"}
"""The language as an adjective in messages: "englische Übersetzung fehlt"."""

ANCHOR_KEYS = ("id", "level", "capability")
"""Keys that name a list item; repeated in the translation to pin it."""

GLOSSARY_KEY = "glossary"
"""Top-level key of the translation file's glossary (not part of the data)."""

_TEXT_REF = "#/$defs/text"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def load_edition(lang: str, project: Path = Path("."),
                 checks: Sequence[CatalogCheck] = ()) -> tuple[dict[str, Any], Catalog]:
    """The plain data and catalog of the edition ``lang`` ("de" or "en").

    ``project`` is the folder holding ``data/``; ``checks`` run on the
    German catalog (as for ``load_plan_data``). PlansFileError lists every
    problem of the first failing step, German file first.
    """
    german, catalog = load_plan_data(project / DATA_FILE, DATA_FILE.as_posix(), checks)
    if lang == "de":
        return german, catalog
    if lang not in TRANSLATION_FILES:
        raise ValueError(f"unknown edition {lang!r}; known: de, {', '.join(TRANSLATION_FILES)}")
    schema = project / DATA_FILE.parent / SCHEMA_NAME
    key = (lang, *file_contents(project / DATA_FILE, project / TRANSLATION_FILES[lang], schema))
    if key in _EDITIONS:
        return _EDITIONS[key]
    return remember(_EDITIONS, key, load_translation(german, project / TRANSLATION_FILES[lang],
                                                     TRANSLATION_FILES[lang].as_posix(), lang, schema))


# Valid editions read so far, by language and the contents of their files.
_EDITIONS: dict[tuple[str | bytes | None, ...], tuple[dict[str, Any], Catalog]] = {}


def load_translation(german: dict[str, Any], path: Path, display_name: str, lang: str,
                     schema_path: Path) -> tuple[dict[str, Any], Catalog]:
    """The German data with its texts replaced by those of the file at ``path``.

    ``german`` is validated German data; PlansFileError if the translation is bad.
    """
    document, problems = _read_document(path)
    schema = _read_schema(schema_path)
    texts: dict[PathKey, str] = {}
    glossary: list[tuple[str, str]] = []
    if not problems:
        if not isinstance(document.data, dict):
            problems = [Problem(1, 1, "", f"erwartet eine Zuordnung der obersten Felder wie in "
                                          f"{DATA_FILE.as_posix()}, gefunden {_describe(document.data, None)}")]
        else:
            texts = dict(text_paths(german, schema))
            glossary, problems = _glossary(document)
            problems += _duplicate_lines(document)
            problems += structure_problems(german, texts, document, lang)
    if not problems:
        problems = glossary_problems(glossary, texts, document)
    if not problems:
        translated = merge(german, {path: _get(document.data, path) for path in texts})
        problems = schema_problems(_with_positions(translated, document), schema)
        if not problems:
            try:
                return translated, build_catalog(translated)
            except CalculatorError as error:
                if error.code != "data":
                    raise
                problems = [_at(document, parse_path(where), message) for where, message in error.problems]
    problems.sort(key=Problem.sort_key)
    raise PlansFileError([problem.format(display_name) for problem in problems])


# ─── Which values are texts ────────────────────────────────────────────────


def text_paths(data: Any, schema: dict[str, Any]) -> Iterator[tuple[PathKey, str]]:
    """Every translatable text of valid ``data`` with its path, in file order."""
    yield from _texts(data, schema, schema, ())


def _texts(value: Any, node: dict[str, Any], root: dict[str, Any], path: PathKey) -> Iterator[tuple[PathKey, str]]:
    if node.get("x-translate") is False:
        return
    if node.get("x-translate") is True and isinstance(value, str):
        yield path, value
        return
    if node.get("$ref") == _TEXT_REF:
        if isinstance(value, str):
            yield path, value
        return
    if "$ref" in node:
        node = _resolve(root, node["$ref"])
    for branch in [*node.get("oneOf", ()), *node.get("anyOf", ())]:
        if _fits(value, branch, root):
            yield from _texts(value, branch, root, path)
    if isinstance(value, dict):
        for key, item in value.items():
            sub = node.get("properties", {}).get(key, node.get("additionalProperties"))
            if isinstance(sub, dict):
                yield from _texts(item, sub, root, path + (key,))
    elif isinstance(value, list) and isinstance(node.get("items"), dict):
        for index, item in enumerate(value):
            yield from _texts(item, node["items"], root, path + (index,))


def _resolve(root: dict[str, Any], ref: str) -> dict[str, Any]:
    node: Any = root
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _fits(value: Any, branch: dict[str, Any], root: dict[str, Any]) -> bool:
    return Draft202012Validator({**branch, "$defs": root["$defs"]}).is_valid(_plain(value))


def _plain(value: Any) -> Any:
    # jsonschema wants JSON numbers; Decimal stands for a number here.
    return json.loads(json.dumps(value, default=float))


# ─── Structure ─────────────────────────────────────────────────────────────


def structure_problems(german: Any, texts: dict[PathKey, str], document: SourceDocument,
                       lang: str) -> list[Problem]:
    """Missing, extra and misplaced translations, repeated facts, changed placeholders."""
    language = LANGUAGE_NAMES[lang]
    data = {key: value for key, value in document.data.items() if key != GLOSSARY_KEY}
    problems = list(_walk(german, data, (), texts, document, language))
    for path, text in texts.items():
        if not _has(data, path):
            problems.append(_at(document, path, f"{language} Übersetzung fehlt"))
        elif isinstance(translated := _get(data, path), str):
            wanted, found = _placeholders(text), _placeholders(translated)
            if wanted != found:
                problems.append(_at(document, path, f"erwartet die Platzhalter {_names(wanted)} wie im "
                                                    f"deutschen Text, gefunden {_names(found)}"))
    return problems


def _walk(german: Any, value: Any, path: PathKey, texts: dict[PathKey, str],
          document: SourceDocument, language: str) -> Iterator[Problem]:
    """Problems of the translation's value at ``path`` against the German one."""
    if path in texts:
        if not isinstance(value, str):
            yield _at(document, path, f"erwartet einen Text, gefunden {_describe(value, document.source_text(path))}")
        elif not value.strip():
            yield _at(document, path, f"erwartet einen nicht leeren Text, gefunden {_quote(value)}")
        return
    if isinstance(german, dict) and isinstance(value, dict):
        in_list = bool(path) and isinstance(path[-1], int)
        for key in ANCHOR_KEYS if in_list else ():
            if key in german and key not in value:
                yield _at(document, path, f"Pflichtfeld {_quote(key)} fehlt; erwartet {key}: "
                                          f"{_shown(german[key])} wie in {DATA_FILE.as_posix()}")
        for key, item in value.items():
            if in_list and key in ANCHOR_KEYS and key in german:
                if item != german[key]:
                    yield _at(document, path + (key,), f"erwartet {key}: {_shown(german[key])} wie an dieser "
                                                       f"Stelle in {DATA_FILE.as_posix()}, gefunden {_shown(item)}")
            elif key not in german:
                yield _extra(document, path + (key,), language)
            else:
                yield from _walk(german[key], item, path + (key,), texts, document, language)
    elif isinstance(german, list) and isinstance(value, list):
        for index, item in enumerate(value):
            if index < len(german):
                yield from _walk(german[index], item, path + (index,), texts, document, language)
            else:
                yield _extra(document, path + (index,), language)
    elif isinstance(german, (dict, list)):
        kind = "eine Zuordnung" if isinstance(german, dict) else "eine Liste"
        yield _at(document, path, f"erwartet {kind} wie in {DATA_FILE.as_posix()}, "
                                  f"gefunden {_describe(value, document.source_text(path))}")
    else:
        yield Problem.at(document.key_position(path), path,
                         f"sprachunabhängige Angabe: steht nur in {DATA_FILE.as_posix()}; hier entfernen")


def _extra(document: SourceDocument, path: PathKey, language: str) -> Problem:
    return Problem.at(document.key_position(path), path,
                      f"{language} Übersetzung ohne deutschen Text in {DATA_FILE.as_posix()}; entfernen")


def _duplicate_lines(document: SourceDocument) -> list[Problem]:
    return [Problem.at(duplicate.position, duplicate.path,
                       f"doppeltes Feld {_quote(str(duplicate.path[-1]))}; steht schon in Zeile {duplicate.first_line}")
            for duplicate in document.duplicates]


def _placeholders(text: str) -> frozenset[str]:
    return frozenset(_PLACEHOLDER.findall(text))


def _names(names: frozenset[str]) -> str:
    return ", ".join("{" + name + "}" for name in sorted(names)) if names else "keine"


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


# ─── Glossary ──────────────────────────────────────────────────────────────


def _glossary(document: SourceDocument) -> tuple[list[tuple[str, str]], list[Problem]]:
    """The glossary's (German, English) term pairs, or its problems."""
    entries = document.data.get(GLOSSARY_KEY, [])
    path: PathKey = (GLOSSARY_KEY,)
    if not isinstance(entries, list):
        return [], [_at(document, path, f"erwartet eine Liste von {{de: …, en: …}}, "
                                        f"gefunden {_describe(entries, None)}")]
    pairs, problems = [], []
    for index, entry in enumerate(entries):
        where = path + (index,)
        if (not isinstance(entry, dict) or set(entry) != {"de", "en"}
                or not all(isinstance(term, str) and term.strip() for term in entry.values())):
            problems.append(_at(document, where, "erwartet einen Eintrag {de: Begriff, en: term} mit zwei "
                                                 f"nicht leeren Texten, gefunden {_describe(entry, None)}"))
        else:
            pairs.append((entry["de"], entry["en"]))
    return pairs, problems


def glossary_problems(glossary: list[tuple[str, str]], texts: dict[PathKey, str],
                      document: SourceDocument) -> list[Problem]:
    """Translations that miss the glossary's term for a German term in their text.

    The German term is matched as written (case matters: "Angebot" is not
    "angeboten"); the English term in any case ("Business hours" at the
    start of a sentence, a hyphen as a space: "response-time calculator" uses
    "response time"), both as parts of longer words ("Arbeitsstunden").
    """
    problems = []
    for path, text in texts.items():
        translated = glossary_form(_get(document.data, path))
        for de, en in glossary:
            if de in text and glossary_form(en) not in translated:
                problems.append(_at(document, path, f"Glossar: der deutsche Text sagt {_quote(de)}, die "
                                                    f"Übersetzung nicht {_quote(en)}"))
    return problems


def glossary_form(text: str) -> str:
    """``text`` as the glossary compares English: lower case, hyphens as spaces."""
    return text.lower().replace("-", " ")


# ─── Merging and positions ─────────────────────────────────────────────────


def merge(german: dict[str, Any], texts: dict[PathKey, str]) -> dict[str, Any]:
    """A copy of ``german`` with the text at each path replaced."""
    merged = copy.deepcopy(german)
    for path, text in texts.items():
        parent = merged
        for part in path[:-1]:
            parent = parent[part]
        parent[path[-1]] = text
    return merged


def _with_positions(data: Any, document: SourceDocument) -> SourceDocument:
    # The merged data with the translation's positions: a text's own place,
    # a fact's nearest translated parent.
    return SourceDocument(data=data, values=document.values, keys=document.keys)


def _has(data: Any, path: PathKey) -> bool:
    for part in path:
        if isinstance(data, dict) and isinstance(part, str) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return False
    return True


def _get(data: Any, path: PathKey) -> Any:
    for part in path:
        data = data[part]
    return data


def _at(document: SourceDocument, path: PathKey, message: str) -> Problem:
    return Problem.at(document.position(path), path, message)
