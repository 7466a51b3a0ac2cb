"""JSON text as ``json.dumps(obj, ensure_ascii=False, indent=2)`` writes it, at the C encoder's pace.

With ``indent``, the standard library encodes in pure Python, one call per value: a
report of 100,000 findings takes seconds. Here each scalar is written by the C
encoder's own string escaping (or the number's repr, as the encoder writes it), and a
list of flat objects with the same keys (the findings of a file) is written column by
column: every value of one key in one C-level pass, then each object's lines from one
template. Only the containers above them are walked in Python. The text is the same,
character for character (``tests/test_jsontext.py`` compares them).
"""

from __future__ import annotations

import contextlib
import gc
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

_SCALARS = frozenset({str, int, float, bool, type(None)})
_string: Callable[[str], str] = json.encoder.encode_basestring  # the C encoder's escaping (ensure_ascii=False)
_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ": ")).encode
_WORDS = {None: "null", True: "true", False: "false"}
_COLUMNS_FROM = 8  # objects in a list: from here the column-wise writer pays for its set-up


@dataclass(frozen=True, slots=True)
class Columns:
    """A list of flat objects with the same ``keys``, given as one list of values per key.

    ``dumps`` writes it as it writes that list of objects, without the objects being built
    (a file's 100,000 findings, see ``manualkit.toolkit.validate.findings.FileReport.json_text``).
    """

    keys: tuple[str, ...]
    columns: tuple[list[Any], ...]

    def objects(self) -> list[dict[str, Any]]:
        """Return the list of objects it stands for."""
        return [dict(zip(self.keys, values, strict=True)) for values in zip(*self.columns, strict=True)]


def dumps(obj: Any, indent: int = 2, level: int = 0) -> str:
    """Return ``obj`` as ``json.dumps(obj, ensure_ascii=False, indent=indent)`` does.

    ``level``: how deep ``obj`` is in the document it is part of (its lines are indented as there).
    The cycle collector is paused meanwhile: the text's parts hold no cycles, and on a
    report of 100,000 findings it would otherwise walk every one of them again and again.
    """
    parts: list[str] = []
    with no_cycle_collection():
        _write(obj, level, indent, parts)
    return "".join(parts)


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause the cycle collector while many objects without cycles are built (rows, findings, JSON parts).

    It would otherwise rescan them over and over: on a 200,000-row book this saves about an eighth of the time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _write(obj: Any, level: int, indent: int, parts: list[str]) -> None:
    if isinstance(obj, Columns):
        count = len(obj.columns[0]) if obj.columns else 0
        if count >= _COLUMNS_FROM and (rows := _column_rows(obj.keys, obj.columns, level + 1, indent)) is not None:
            inner = "\n" + " " * (indent * (level + 1))
            parts += ("[" + inner, ("," + inner).join(rows), "\n" + " " * (indent * level) + "]")
            return
        obj = obj.objects()  # few, or values that are not scalars: as the objects are written
    if isinstance(obj, dict) and obj and all(isinstance(key, str) for key in obj):
        inner = "\n" + " " * (indent * (level + 1))
        if _SCALARS.issuperset(map(type, obj.values())):
            body = ("," + inner).join([_string(key) + ": " + _scalar(value) for key, value in obj.items()])
            parts.append("{" + inner + body + "\n" + " " * (indent * level) + "}")
            return
        parts.append("{")
        for position, (key, value) in enumerate(obj.items()):
            parts.append(("," if position else "") + inner + _string(key) + ": ")
            _write(value, level + 1, indent, parts)
        parts.append("\n" + " " * (indent * level) + "}")
    elif isinstance(obj, list | tuple) and obj:
        inner = "\n" + " " * (indent * (level + 1))
        if len(obj) >= _COLUMNS_FROM and (rows := _flat_rows(obj, level + 1, indent)) is not None:
            parts += ("[" + inner, ("," + inner).join(rows), "\n" + " " * (indent * level) + "]")  # not copied again
            return
        parts.append("[")
        for position, value in enumerate(obj):
            parts.append(("," if position else "") + inner)
            _write(value, level + 1, indent, parts)
        parts.append("\n" + " " * (indent * level) + "]")
    else:  # a scalar, an empty container, keys that are not strings: the standard encoder, moved in
        text = json.dumps(obj, ensure_ascii=False, indent=indent)
        parts.append(text.replace("\n", "\n" + " " * (indent * level)) if level else text)


def _flat_rows(items: list[Any] | tuple[Any, ...], level: int, indent: int) -> list[str] | None:
    """Return the text of each object of ``items`` (at ``level``), if all are flat objects with the same keys.

    Each key's values are written in one pass (``_column``), then every object from one
    ``%`` template; ``None`` when ``items`` are not such objects (the caller walks them).
    """
    first = items[0]
    if first.__class__ is not dict or not first or not all(key.__class__ is str for key in first):
        return None
    keys = first.keys()
    if not all(item.__class__ is dict and item.keys() == keys for item in items):
        return None
    return _column_rows(tuple(keys), [[item[key] for item in items] for key in keys], level, indent)


def _column_rows(keys: tuple[str, ...], values: Sequence[list[Any]], level: int, indent: int) -> list[str] | None:
    """Return the text of each object whose values of ``keys`` are ``values`` (one list per key), at ``level``;
    ``None`` if a value is not a scalar."""
    columns = []
    for key_values in values:
        column = _column(key_values)
        if column is None:
            return None
        columns.append(column)
    inner = "\n" + " " * (indent * (level + 1))
    template = "{" + inner + ("," + inner).join(
        _string(key).replace("%", "%%") + ": %s" for key in keys) + "\n" + " " * (indent * level) + "}"
    return [template % values for values in zip(*columns, strict=True)]


def _column(values: list[Any]) -> list[str] | None:
    """Return each of ``values`` as JSON text, or ``None`` if one is not a scalar."""
    kinds = set(map(type, values))
    if not _SCALARS.issuperset(kinds):
        return None
    if kinds == {str}:
        return list(map(_string, values))
    return list(map(_scalar, values))


def _scalar(value: Any) -> str:
    """Return a scalar as the encoder writes it: strings escaped by the C encoder, numbers by their repr."""
    cls = value.__class__
    if cls is str:
        return _string(value)
    if value is None or cls is bool:
        return _WORDS[value]
    if cls is int:
        return int.__repr__(value)
    return _compact(value)  # a float, as the encoder writes it (NaN and Infinity too)
