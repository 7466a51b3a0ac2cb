"""PyYAML's safe loader, bounded: imported only when a YAML file is read (JSON data needs none of it)."""

from __future__ import annotations

import re
from typing import Any

import yaml

from manualkit.toolkit.explain import explain_read_error
from manualkit.toolkit.yamldata import MAX_ALIASED, MAX_DEPTH, DataFileError, _check_digits

# Integers YAML 1.1 reads in another base: leading zero (octal), 0x/0b, or with colons (base 60).
_NOT_DECIMAL = re.compile(r"[-+]?(?:0[0-9_]+|0[xXbBoO][0-9a-fA-F_]+|[0-9_]+(?::[0-9_]+)+)")


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


def load_records(text: str) -> Any:
    """Return the YAML document ``text`` read as records (see ``yamldata.read_data``)."""
    return yaml.load(text, Loader=_RecordLoader)  # safe: _RecordLoader is a SafeLoader


def read_yaml(text: str, codes_as_text: bool) -> Any:
    """Return the YAML document ``text``; any reason it cannot be used is a ``DataFileError``."""
    try:
        return load_records(text) if codes_as_text else yaml.load(text, Loader=_SafeLoader)  # safe: a SafeLoader
    except RecursionError as exc:
        raise DataFileError(f"嵌套超过 {MAX_DEPTH} 层，不像本工具的数据文件") from exc
    except (ValueError, yaml.YAMLError) as exc:
        raise DataFileError(explain_read_error(exc)) from exc
