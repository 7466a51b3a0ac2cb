"""Reading the YAML and JSON files people give us: bounded, and codes that look like numbers stay text.

Every such file (``--policy``, ``fill`` data, ``--narrative``, the handbook's cover,
the monthly report's records) is read by ``read_data``, which refuses, with a
Chinese reason and before anything blocks or grows: what is not a regular file
(a named pipe or device would block forever), a file over ``MAX_DATA_BYTES``,
YAML aliases (``*name``) that add more than ``MAX_ALIASED`` values (a few
hundred bytes of them expand to billions), nesting deeper than ``MAX_DEPTH``
(aliases included) and integers longer than ``MAX_DIGITS`` digits. YAML is
read with PyYAML's safe loader: tags such as ``!!python/object`` construct nothing.

For records (``codes_as_text``): PyYAML follows YAML 1.1, where ``0430100`` is an
octal number (143424) and ``9:30`` a base-60 number (570). In a data file these
are a customer code whose leading zero matters and a time of day; reading them
as numbers would silently change a code or turn a time into nonsense. Only such
integers are kept as written; ``25``, ``0`` and ``-3`` are still numbers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from manualkit.toolkit.errors import ToolkitError
from manualkit.toolkit.explain import explain_read_error
from manualkit.toolkit.files import not_regular, printable

MAX_DATA_BYTES = 20 * 1024 * 1024  # a month of one manager's records is a few hundred KB
MAX_DEPTH = 50  # our deepest file is a record holding a list of rows: depth 3
MAX_DIGITS = 50
MAX_ALIASED = 100_000  # values that aliases may add to what is written out

# Integers YAML 1.1 reads in another base: leading zero (octal), 0x/0b, or with colons (base 60).
_NOT_DECIMAL = re.compile(r"[-+]?(?:0[0-9_]+|0[xXbBoO][0-9a-fA-F_]+|[0-9_]+(?::[0-9_]+)+)")


class DataFileError(ToolkitError):
    """A YAML or JSON file cannot be used; the message is the Chinese reason (callers name the file).

    ``unreadable`` is true when the file could not be read at all (missing, not a regular
    file, too large, not UTF-8), false when it was read but its text is not valid.
    """

    def __init__(self, reason: str, unreadable: bool = False) -> None:
        super().__init__(reason)
        self.unreadable = unreadable


class _SafeLoader(yaml.SafeLoader):
    """The safe loader, refusing nesting deeper than ``MAX_DEPTH`` and aliases that blow the document up."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:  # index: int, or a key node
        self.depth += 1
        if self.depth > MAX_DEPTH:
            event = self.peek_event()  # type: ignore[no-untyped-call]  # untyped in types-PyYAML
            mark = event.start_mark
            raise DataFileError(f"第 {mark.line + 1} 行：嵌套超过 {MAX_DEPTH} 层，不像本工具的数据文件")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_document(self, node: yaml.Node) -> Any:
        _check_expansion(node)
        return super().construct_document(node)


def _check_expansion(root: yaml.Node) -> None:
    """Refuse a document whose aliases (``*name``) repeat so much that it grows past ``MAX_ALIASED`` nodes.

    A few hundred bytes of aliases of aliases expand to billions of values: each node's expanded
    size and depth are measured once (the document is a graph, walked without recursion).
    """
    measured: dict[int, tuple[int, int]] = {}  # node -> (expanded size, expanded depth)
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in measured:
            continue
        children = _children(node)
        if not children_done:
            if id(node) in open_nodes:
                raise DataFileError("YAML 别名（*名称）引用了自身，无法读取")
            open_nodes.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in children)
            continue
        open_nodes.discard(id(node))
        size = 1 + sum(measured[id(child)][0] for child in children)
        depth = 1 + max((measured[id(child)][1] for child in children), default=0)
        if size > len(measured) + MAX_ALIASED or depth > MAX_DEPTH:
            raise DataFileError("YAML 别名（*名称）展开后过大或嵌套过深，疑似恶意文件；请直接写出内容")
        measured[id(node)] = (size, depth)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    _check_digits(loader.construct_scalar(node))
    return loader.construct_yaml_int(node)


def _date_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """Return a date, or the text itself for one that does not exist (``2026-02-30``): the checks name it."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


class _RecordLoader(_SafeLoader):
    """The loader for records: integers not written in plain decimal stay text."""


def _decimal_int_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    text = loader.construct_scalar(node)
    if _NOT_DECIMAL.fullmatch(text.strip()):
        return text
    return _int(loader, node)


_SafeLoader.add_constructor("tag:yaml.org,2002:int", _int)
_SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _date_or_text)
_RecordLoader.add_constructor("tag:yaml.org,2002:int", _decimal_int_or_text)


def load_data(text: str) -> Any:
    """Return the YAML document ``text`` with codes like ``0430100`` and times like ``9:30`` as text.

    Raises:
        yaml.YAMLError: ``text`` is not YAML.
        DataFileError: its aliases expand too far, it nests too deep or holds an absurdly long number.
    """
    return yaml.load(text, Loader=_RecordLoader)  # safe: _RecordLoader is a SafeLoader


def read_data(path: Path, codes_as_text: bool = False) -> Any:
    """Return the document in the YAML or JSON (by its ``.json`` suffix) file ``path``.

    Args:
        path: the file.
        codes_as_text: read YAML integers such as ``0430100`` and ``9:30`` as text (records).

    Raises:
        DataFileError: the file cannot be read or used; the message says why, in Chinese.
    """
    text = _read_text(Path(path))
    try:
        if Path(path).suffix.lower() == ".json":
            data = json.loads(text, parse_int=_json_int)
            _check_depth(data)
            return data
        return load_data(text) if codes_as_text else yaml.load(text, Loader=_SafeLoader)  # safe: a SafeLoader
    except RecursionError as exc:
        raise DataFileError(f"嵌套超过 {MAX_DEPTH} 层，不像本工具的数据文件") from exc
    except (ValueError, yaml.YAMLError) as exc:
        raise DataFileError(explain_read_error(exc)) from exc


def _read_text(path: Path) -> str:
    if problem := not_regular(path):
        raise DataFileError(f"“{printable(str(path))}”{problem}", unreadable=True)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_DATA_BYTES + 1)
        if len(data) > MAX_DATA_BYTES:
            raise DataFileError(f"文件过大（超过 {MAX_DATA_BYTES // 1024 // 1024} MB），不像本工具的数据文件",
                                unreadable=True)
        return data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(explain_read_error(exc), unreadable=True) from exc


def _json_int(text: str) -> int:
    _check_digits(text)
    return int(text)


def _check_digits(text: str) -> None:
    digits = sum(char.isdigit() for char in text)
    if digits > MAX_DIGITS:
        raise DataFileError(f"数字 {text[:12]}… 有 {digits} 位，超出可处理的范围（{MAX_DIGITS} 位）")


def _check_depth(data: Any) -> None:
    """Refuse JSON nested deeper than ``MAX_DEPTH`` (the parser itself allows about a thousand)."""
    level = [data]
    for _ in range(MAX_DEPTH):
        level = [item for value in level if isinstance(value, dict | list)
                 for item in (value.values() if isinstance(value, dict) else value)]
        if not level:
            return
    raise DataFileError(f"嵌套超过 {MAX_DEPTH} 层，不像本工具的数据文件")
