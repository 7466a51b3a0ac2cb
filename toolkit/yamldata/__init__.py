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
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from manualkit.toolkit.errors import ToolkitError
from manualkit.toolkit.explain import explain_read_error
from manualkit.toolkit.files import not_regular, printable

MAX_DATA_BYTES = 20 * 1024 * 1024  # a month of one manager's records is a few hundred KB
MAX_DEPTH = 50  # our deepest file is a record holding a list of rows: depth 3
MAX_DIGITS = 50
MAX_ALIASED = 100_000  # values that aliases may add to what is written out



class DataFileError(ToolkitError):
    """A YAML or JSON file cannot be used; the message is the Chinese reason (callers name the file).

    ``unreadable`` is true when the file could not be read at all (missing, not a regular
    file, too large, not UTF-8), false when it was read but its text is not valid.
    """

    def __init__(self, reason: str, unreadable: bool = False) -> None:
        super().__init__(reason)
        self.unreadable = unreadable


def read_data(path: Path, codes_as_text: bool = False) -> Any:
    """Return the document in the YAML or JSON (by its ``.json`` suffix) file ``path``.

    Args:
        path: the file.
        codes_as_text: read YAML integers such as ``0430100`` and ``9:30`` as text (records).

    Raises:
        DataFileError: the file cannot be read or used; the message says why, in Chinese.
    """
    text = _read_text(Path(path))
    if Path(path).suffix.lower() != ".json":
        from manualkit.toolkit.yamldata._loaders import read_yaml  # PyYAML only for YAML

        return read_yaml(text, codes_as_text)
    try:
        data = json.loads(text, parse_int=_json_int)
    except RecursionError as exc:
        raise DataFileError(f"嵌套超过 {MAX_DEPTH} 层，不像本工具的数据文件") from exc
    except ValueError as exc:
        raise DataFileError(explain_read_error(exc)) from exc
    _check_depth(data)
    return data


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
    """Refuse JSON nested deeper than ``MAX_DEPTH`` (the parser itself allows about a thousand).

    A value inside ``MAX_DEPTH`` lists and objects is too deep. Only containers are walked, and one
    whose values are all plain (a row of a record) is passed by a single ``isdisjoint`` in C, so the
    thousands of cells of a batch cost no Python step each.
    """
    level = [data] if type(data) in _NESTING else []
    for _ in range(MAX_DEPTH - 1):
        level = [item for items in map(_items, level) if not _NESTING.isdisjoint(map(type, items))
                 for item in items if type(item) in _NESTING]
        if not level:
            return
    if any(level):  # a value inside the innermost allowed container
        raise DataFileError(f"嵌套超过 {MAX_DEPTH} 层，不像本工具的数据文件")


_NESTING = frozenset({dict, list})  # what json.loads makes that holds other values


def _items(container: dict[str, Any] | list[Any]) -> Iterable[Any]:
    return container.values() if type(container) is dict else container
