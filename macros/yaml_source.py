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

Lines and columns are 1-based, as editors count them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple, Union

import yaml
from yaml.constructor import ConstructorError

PathKey = tuple[Union[str, int], ...]
"""A path into the data: mapping keys (str) and list indexes (int)."""

_TAG = "tag:yaml.org,2002:"


class Position(NamedTuple):
    """A place in the source text; both numbers count from 1."""

    line: int
    column: int


class YamlSourceError(Exception):
    """The text is not YAML this loader accepts; ``position`` says where."""

    def __init__(self, message: str, position: Position) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


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

    def construct_exact_int(self, node: yaml.ScalarNode) -> int:
        """A whole number in base 10; leading zeros do not mean octal."""
        return _convert(node, lambda text: int(text, 10), "a whole number")

    def construct_exact_number(self, node: yaml.ScalarNode) -> Decimal:
        """A number with a fraction or exponent, exactly as written."""
        return _convert(node, _finite_decimal, "a number")

    def construct_strict_bool(self, node: yaml.ScalarNode) -> bool:
        """``true`` or ``false`` (any case), nothing else."""
        return _convert(node, lambda text: {"true": True, "false": False}[text.lower()], "true or false")


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
    # Decimal accepts "NaN" and "Infinity"; an explicit !!float tag could pass them.
    number = Decimal(text)
    if not number.is_finite():
        raise ValueError(text)
    return number


def _convert(node: yaml.ScalarNode, convert: Any, what: str) -> Any:
    # Run a scalar conversion; a failure becomes a YAML error at the node.
    try:
        return convert(node.value)
    except (ValueError, KeyError, InvalidOperation):
        raise ConstructorError(
            None, None, f"expected {what}, found {json.dumps(node.value, ensure_ascii=False)}", node.start_mark
        ) from None


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
        message = f"unprintable character U+{error.character:04X}; remove it"
        raise YamlSourceError(message, _offset_position(text, error.position)) from None
    try:
        root = loader.get_single_node()
        document = SourceDocument(data=None)
        if root is not None:
            document.data = _build(loader, document, root, (), set())
        return document
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(error, text) from None
    finally:
        loader.dispose()


def _build(loader: PlainLoader, document: SourceDocument, node: yaml.Node,
           path: PathKey, open_nodes: set[int]) -> Any:
    # Turn a node into plain data, recording positions and duplicate keys.
    document.values[path] = node
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_object(node)
    if id(node) in open_nodes:
        raise YamlSourceError("an alias refers to a collection that contains it", _position(node))
    open_nodes = open_nodes | {id(node)}
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, document, item, path + (index,), open_nodes)
                for index, item in enumerate(node.value)]
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise YamlSourceError("expected a plain key, found a mapping or list as key",
                                  _position(key_node))
        key = key_node.value  # as written, so `1:` or `yes:` is a key text
        key_path = path + (key,)
        if key in result:
            first_line = _position(document.keys[key_path]).line
            document.duplicates.append(DuplicateKey(key_path, _position(key_node), first_line))
            continue
        document.keys[key_path] = key_node
        result[key] = _build(loader, document, value_node, key_path, open_nodes)
    return result


def _position(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def _offset_position(text: str, offset: int) -> Position:
    # Line and column of a character offset into the text.
    before = text[:offset]
    return Position(before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1)


def _syntax_error(error: yaml.MarkedYAMLError, text: str) -> YamlSourceError:
    """A plain message for PyYAML's error, at its problem mark."""
    mark = error.problem_mark or error.context_mark
    position = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
    problem = error.problem or "invalid YAML"
    if "'\\t'" in problem:
        line = text.splitlines()[mark.line] if mark else ""
        if mark and not line[: mark.column].strip(" \t"):
            return YamlSourceError("tab character used for indentation; indent with spaces", position)
        return YamlSourceError("tab character where YAML allows none; use spaces", position)
    if error.context and not error.context.startswith("while"):
        # e.g. "expected a single document in the stream" + "but found another document"
        problem = f"{error.context} {problem}"
    elif error.context and error.context_mark and error.context_mark is not mark:
        problem += f" ({error.context} that starts on line {error.context_mark.line + 1})"
    return YamlSourceError(f"YAML syntax error: {problem}", position)
