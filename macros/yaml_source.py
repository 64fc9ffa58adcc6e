"""Reading YAML as plain data that remembers where each value was written.

``parse(text)`` returns a ``SourceDocument``: the data (dicts, lists, str,
int, ``Decimal``, bool, None) plus the line and column of every value, so
that a problem found later under a path such as
``("plans", 1, "price", "bands", 2, "rate")`` can be shown as ``57:47``.

The loader reads the JSON-like core of YAML 1.2 and none of YAML 1.1's
surprises: ``18:00`` stays the text "18:00" (no base-60 numbers), ``yes``,
``no``, ``on`` and ``off`` stay texts (only ``true``/``false`` are
booleans), ``2026-01-01`` stays a text (no timestamps), ``0900`` is the
number 900 (no octal) and ``1.5`` becomes ``Decimal("1.5")``, never a float.
Duplicate keys, which PyYAML silently overwrites, are collected.

The data never needs YAML's programming features, so the loader refuses,
at the place where they are written and before anything is built: anchors
and aliases (``&a``, ``*a``: a few hundred bytes of nested aliases expand
to billions of values), explicit tags (``!!python/object``, ``!!str``),
nesting deeper than ``MAX_DEPTH`` and numbers written with a decimal comma
(``19,5``). Messages are German, like the rest of the writer's tools.

Lines and columns are 1-based, as editors count them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple, Union

import yaml

PathKey = tuple[Union[str, int], ...]
"""A path into the data: mapping keys (str) and list indexes (int)."""

_TAG = "tag:yaml.org,2002:"

MAX_DEPTH = 64
"""Levels of lists and mappings inside each other that a file may have;
the real data needs six."""

# A number with a decimal comma, as Germans write it: 19,5 or 1.500,00.
_DECIMAL_COMMA = re.compile(r"^[-+]?[0-9]{1,3}(?:\.[0-9]{3})*,[0-9]+$|^[-+]?[0-9]+,[0-9]+$")
_WRITTEN = re.compile(r"[^\s,\[\]{}]*")
_NUMBER = re.compile(r"^[-+]?[0-9]+(?:\.[0-9]+)?$")
# PyYAML's most frequent syntax problems (a pattern for its words, or for
# its context), in plain German; others are shown as PyYAML words them.
_SYNTAX_PROBLEMS = (
    (r"mapping values are not allowed here",
     'ein Doppelpunkt mit Leerzeichen ist hier nicht erlaubt; einen Text mit ": " in Anführungszeichen setzen'),
    (r"expected ',' or '\]'", 'erwartet "," oder "]" in der Liste in eckigen Klammern'),
    (r"expected ',' or '\}'", 'erwartet "," oder "}" in der Zuordnung in geschweiften Klammern'),
    (r"found unexpected end of stream", "ein Anführungszeichen wird nie geschlossen"),
    (r"expected <block end>",
     "die Einrückung passt nicht zur Ebene darüber; gleich weit einrücken wie die Felder dieser Ebene"),
    (r"but found another document", 'erwartet ein einziges Dokument, gefunden ein zweites ("---")'),
    (r"could not find expected ':'", 'erwartet ":" nach dem Feldnamen'),
    (r"found character '(.)' that cannot start any token",
     'das Zeichen "\\1" kann keinen Wert beginnen; den Text in Anführungszeichen setzen'),
    (r"expected the node content, but found '(.*)'", 'erwartet einen Wert, gefunden "\\1"'),
    (r"found unknown escape character '(.*)'",
     'unbekannte Folge "\\\\\\1" in doppelten Anführungszeichen; einfache Anführungszeichen verwenden'),
)


class Position(NamedTuple):
    """A place in the source text; both numbers count from 1."""

    line: int
    column: int


class YamlSourceError(Exception):
    """The text is not YAML this loader accepts; ``position`` says where and
    ``path`` which value, where known (else ``()``)."""

    def __init__(self, message: str, position: Position, path: PathKey = ()) -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.path = path


@dataclass(frozen=True)
class DuplicateKey:
    """A key written twice in one mapping; the first value is kept."""

    path: PathKey
    position: Position  # of the second occurrence
    first_line: int


class PlainLoader(yaml.SafeLoader):
    """A SafeLoader that resolves only JSON-like scalars (YAML 1.2 core).

    Starts from an empty resolver table, so everything not listed below is
    a text; numbers are built exactly (int or Decimal).
    """

    yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        """PyYAML's composer, after refusing aliases, anchors, tags and
        nesting deeper than MAX_DEPTH (its recursion would overflow)."""
        event = self.peek_event()
        written = _written_at(self, event.start_mark)
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            kind = "Alias" if isinstance(event, yaml.AliasEvent) else "Anker"
            raise YamlSourceError(
                f"{kind} {json.dumps(written, ensure_ascii=False)} nicht erlaubt: die Daten kennen "
                "keine Anker und Aliase (&name, *name); den Wert ausschreiben",
                _mark_position(event.start_mark))
        if event.tag is not None:
            raise YamlSourceError(
                f"Tag {json.dumps(written, ensure_ascii=False)} nicht erlaubt: die Daten kennen keine "
                "Tags (!…, !!…); den Tag entfernen", _mark_position(event.start_mark))
        if self._depth >= MAX_DEPTH:
            raise YamlSourceError(
                f"mehr als {MAX_DEPTH} Ebenen ineinander verschachtelt; die Daten brauchen "
                "nur wenige Ebenen: fehlt eine schließende Klammer?", _mark_position(event.start_mark))
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_exact_int(self, node: yaml.ScalarNode) -> int:
        """A whole number in base 10; leading zeros do not mean octal."""
        return _convert(node, lambda text: int(text, 10), "eine ganze Zahl")

    def construct_exact_number(self, node: yaml.ScalarNode) -> Decimal:
        """A number with a fraction or exponent, exactly as written."""
        return _convert(node, _finite_decimal, "eine Zahl")

    def construct_strict_bool(self, node: yaml.ScalarNode) -> bool:
        """``true`` or ``false`` (any case), nothing else."""
        return _convert(node, lambda text: {"true": True, "false": False}[text.lower()], "true oder false")


PlainLoader.add_implicit_resolver(
    _TAG + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
PlainLoader.add_implicit_resolver(
    _TAG + "null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
PlainLoader.add_implicit_resolver(_TAG + "int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
PlainLoader.add_implicit_resolver(
    _TAG + "float",
    re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"),
)
PlainLoader.add_constructor(_TAG + "int", PlainLoader.construct_exact_int)
PlainLoader.add_constructor(_TAG + "float", PlainLoader.construct_exact_number)
PlainLoader.add_constructor(_TAG + "bool", PlainLoader.construct_strict_bool)


def _finite_decimal(text: str) -> Decimal:
    # Decimal accepts "NaN" and "Infinity"; only a tag (refused) could pass them.
    number = Decimal(text)
    if not number.is_finite():
        raise ValueError(text)
    return number


def _convert(node: yaml.ScalarNode, convert: Any, what: str) -> Any:
    # Run a scalar conversion; a failure becomes a YAML error at the node.
    try:
        return convert(node.value)
    except (ValueError, KeyError, InvalidOperation):
        raise YamlSourceError(
            f"erwartet {what}, gefunden {json.dumps(node.value, ensure_ascii=False)}", _position(node)
        ) from None


def _written_at(loader: PlainLoader, mark: yaml.Mark) -> str:
    # The anchor, alias or tag as written at ``mark`` (up to a space or bracket).
    return _WRITTEN.match(loader.buffer, mark.index).group()


@dataclass
class SourceDocument:
    """Plain data plus where each of its values and keys was written."""

    data: Any
    values: dict[PathKey, yaml.Node] = field(default_factory=dict)
    keys: dict[PathKey, yaml.Node] = field(default_factory=dict)
    duplicates: list[DuplicateKey] = field(default_factory=list)

    def position(self, path: PathKey) -> Position:
        """Where the value at ``path`` is written.

        A block mapping or list that is the value of a key is shown at its
        key (its first item may be lines below). A path that does not exist,
        such as a missing field, falls back to the nearest existing parent.
        """
        while path not in self.values and path:
            path = path[:-1]
        node = self.values.get(path)
        if node is None:
            return Position(1, 1)
        is_block = isinstance(node, yaml.CollectionNode) and not node.flow_style
        if is_block and path in self.keys:
            return _position(self.keys[path])
        return _position(node)

    def key_position(self, path: PathKey) -> Position:
        """Where the key that names ``path`` is written (or its value)."""
        if path in self.keys:
            return _position(self.keys[path])
        return self.position(path)

    def path_at(self, offset: int, line: int) -> PathKey:
        """The innermost value (or key) written across character ``offset``,
        else the last one that starts before it on its ``line`` (1-based);
        ``()`` if none."""
        nodes = list(self.values.items()) + list(self.keys.items())
        around = [(node.start_mark.index, path) for path, node in nodes
                  if node.start_mark.index <= offset <= node.end_mark.index]
        if not around:
            around = [(node.start_mark.index, path) for path, node in nodes
                      if node.start_mark.line + 1 == line and node.start_mark.index <= offset]
        return max(around, key=lambda item: (item[0], len(item[1])))[1] if around else ()

    def source_text(self, path: PathKey) -> str | None:
        """The scalar at ``path`` exactly as written, or None."""
        node = self.values.get(path)
        return node.value if isinstance(node, yaml.ScalarNode) else None


def parse(text: str) -> SourceDocument:
    """Parse one YAML document; YamlSourceError if it is not valid YAML.

    An empty document (nothing but comments) gives ``data`` None.
    """
    try:
        loader = PlainLoader(text)  # checks for unprintable characters
    except yaml.reader.ReaderError as error:
        raise _unprintable(error, text) from None
    try:
        root = loader.get_single_node()
        document = SourceDocument(data=None)
        if root is not None:
            document.data = _build(loader, document, root, ())
        return document
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(error, text) from None
    finally:
        loader.dispose()


def _build(loader: PlainLoader, document: SourceDocument, node: yaml.Node, path: PathKey) -> Any:
    # Turn a node into plain data, recording positions and duplicate keys.
    # Aliases are refused while composing, so every node is visited once.
    document.values[path] = node
    if isinstance(node, yaml.ScalarNode):
        if node.style is None and _DECIMAL_COMMA.match(node.value):
            raise _decimal_comma(node.value, _position(node), path)
        return loader.construct_object(node)
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, document, item, path + (index,)) for index, item in enumerate(node.value)]
    result: dict[str, Any] = {}
    previous: yaml.Node | None = None
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise YamlSourceError("erwartet einen einfachen Feldnamen, gefunden eine Zuordnung oder "
                                  "Liste als Feldnamen", _position(key_node), path)
        key = key_node.value  # as written, so `1:` or `yes:` is a key text
        key_path = path + (key,)
        if previous is not None and _split_decimal(loader, previous, key_node, value_node):
            raise _decimal_comma(f"{previous.value},{key}", _position(previous), path + (_key_of(node, previous),))
        previous = value_node
        if key in result:
            first_line = _position(document.keys[key_path]).line
            document.duplicates.append(DuplicateKey(key_path, _position(key_node), first_line))
            continue
        document.keys[key_path] = key_node
        result[key] = _build(loader, document, value_node, key_path)
    return result


def _split_decimal(loader: PlainLoader, previous: yaml.Node, key: yaml.ScalarNode, value: yaml.Node) -> bool:
    """Whether ``{rate: 19,5}`` made 19 a value and 5 a key without value."""
    return (isinstance(previous, yaml.ScalarNode) and previous.style is None
            and _NUMBER.match(previous.value) is not None
            and key.style is None and key.value.isdigit()
            and isinstance(value, yaml.ScalarNode) and value.value == "" and value.style is None
            and key.start_mark.index == previous.end_mark.index + 1)


def _key_of(mapping: yaml.MappingNode, value: yaml.Node) -> str:
    return next(key.value for key, item in mapping.value if item is value)


def _decimal_comma(written: str, position: Position, path: PathKey) -> YamlSourceError:
    dotted = written.replace(".", "").replace(",", ".")
    return YamlSourceError(
        f"Dezimalkomma in {written} gefunden; die Daten schreiben Dezimalzahlen mit Punkt "
        f"und ohne Tausenderpunkt: {dotted}", position, path)


def _unprintable(error: yaml.reader.ReaderError, text: str) -> YamlSourceError:
    """Where an unprintable character stands, with the field it is in.

    The field is found by parsing a copy in which every unprintable
    character is a space; if that copy is not valid YAML either, the
    message names only line and column.
    """
    position = _offset_position(text, error.position)
    message = f"unzulässiges Steuerzeichen U+{error.character:04X}; bitte entfernen"
    cleaned = yaml.reader.Reader.NON_PRINTABLE.sub(lambda match: " " * len(match.group()), text)
    try:
        document = parse(cleaned)
    except YamlSourceError:
        return YamlSourceError(message, position)
    return YamlSourceError(message, position, document.path_at(error.position, position.line))


def _position(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def _mark_position(mark: yaml.Mark) -> Position:
    return Position(mark.line + 1, mark.column + 1)


def _offset_position(text: str, offset: int) -> Position:
    # Line and column of a character offset into the text.
    before = text[:offset]
    return Position(before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1)


def _syntax_error(error: yaml.MarkedYAMLError, text: str) -> YamlSourceError:
    """A plain German message for PyYAML's error, at its problem mark."""
    mark = error.problem_mark or error.context_mark
    position = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
    problem = error.problem or "ungültiges YAML"
    lines = text.splitlines()
    if "'\\t'" in problem:
        line = lines[mark.line] if mark else ""
        if mark and not line[: mark.column].strip(" \t"):
            return YamlSourceError("Tabulator zum Einrücken verwendet; mit Leerzeichen einrücken", position)
        return YamlSourceError("Tabulator an einer Stelle, an der YAML keinen erlaubt; Leerzeichen verwenden",
                               position)
    if mark and _over_indented(lines, mark):
        return YamlSourceError(
            f"diese Zeile ist weiter eingerückt als die Zeile darüber (Zeile {mark.line}); "
            "ein Feld gleicher Ebene genauso weit einrücken", Position(mark.line + 1, _indent(lines[mark.line]) + 1))
    for pattern, german in _SYNTAX_PROBLEMS:
        match = re.search(pattern, problem) or re.search(pattern, error.context or "")
        if match:
            return YamlSourceError(f"YAML-Syntaxfehler: {match.expand(german)}", position)
    if error.context and not error.context.startswith("while"):
        problem = f"{error.context} {problem}"
    return YamlSourceError(f"YAML-Syntaxfehler: {problem}", position)


def _over_indented(lines: list[str], mark: yaml.Mark) -> bool:
    """Whether a "key: value" line is indented deeper than the line above,
    which is a "key: value" line too (PyYAML then reads both as one text
    and fails at the second colon)."""
    line = lines[mark.line] if mark.line < len(lines) else ""
    above = next((lines[n] for n in range(mark.line - 1, -1, -1)
                  if lines[n].strip() and not lines[n].lstrip().startswith("#")), None)
    first_colon = min((i for i in (line.find(": "), len(line.rstrip()) - 1) if i >= 0), default=-1)
    if above is None or first_colon != mark.column or line[first_colon] != ":":
        return False
    key_value = re.match(r"^[ -]*[^:#\s][^:#]*: +[^\s#]", above)
    return key_value is not None and _indent(line) > _indent(above)


def _indent(line: str) -> int:
    # Where a line's content starts; "  - id: x" counts as indented to "id".
    return len(re.match(r"^[ ]*(?:- +)*", line).group())
