"""JSON text as ``json.dumps(obj, ensure_ascii=False, indent=2)`` writes it, at the C encoder's pace.

With ``indent``, the standard library encodes in pure Python, one call per value: a
report of 100,000 findings takes seconds. Here every flat object or list (scalars
only, as each finding is) is encoded in one call of the C encoder and then laid out
on its lines; only the containers above them are walked in Python. The text is the
same, character for character (``tests/test_jsontext.py`` compares them).
"""

from __future__ import annotations

import json
from typing import Any

_SCALARS = frozenset({str, int, float, bool, type(None)})
_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ": ")).encode


def dumps(obj: Any, indent: int = 2, level: int = 0) -> str:
    """Return ``obj`` as ``json.dumps(obj, ensure_ascii=False, indent=indent)`` does.

    ``level``: how deep ``obj`` is in the document it is part of (its lines are indented as there).
    """
    parts: list[str] = []
    _write(obj, level, indent, parts)
    return "".join(parts)


def _write(obj: Any, level: int, indent: int, parts: list[str]) -> None:
    if isinstance(obj, dict) and obj and all(isinstance(key, str) for key in obj):
        inner = "\n" + " " * (indent * (level + 1))
        if _SCALARS.issuperset(map(type, obj.values())):
            # '{"a": 1,"b": "x"}': between items the C encoder writes ',"' and no string holds an
            # unescaped quote, so splitting there is exact.
            body = _compact(obj)[1:-1]
            parts.append("{" + inner + body.replace(',"', "," + inner + '"') + "\n" + " " * (indent * level) + "}")
            return
        parts.append("{")
        for position, (key, value) in enumerate(obj.items()):
            parts.append(("," if position else "") + inner + _compact(key) + ": ")
            _write(value, level + 1, indent, parts)
        parts.append("\n" + " " * (indent * level) + "}")
    elif isinstance(obj, list | tuple) and obj:
        inner = "\n" + " " * (indent * (level + 1))
        parts.append("[")
        for position, value in enumerate(obj):
            parts.append(("," if position else "") + inner)
            _write(value, level + 1, indent, parts)
        parts.append("\n" + " " * (indent * level) + "]")
    else:  # a scalar, an empty container, keys that are not strings: the standard encoder, moved in
        text = json.dumps(obj, ensure_ascii=False, indent=indent)
        parts.append(text.replace("\n", "\n" + " " * (indent * level)) if level else text)
