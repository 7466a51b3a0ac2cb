"""Probe of the validation proposal: a fast lane for rows that are already well-formed.

Usage: python -m bench.probes.fast_rows BOOK.xlsx

What ``validate`` could do (docs/performance.md, "校验 100,000 行"): from the form's own field
definitions (kind, options, pattern, length, required), build one check per row field; a row
whose every value passes is built with ``model_construct`` without pydantic, and only the
other rows go through ``model_validate`` for their exact findings. The probe times both ways
over the same rows and confirms that every fast-lane row equals what pydantic makes of it.
Result on the 100,000-row book (12:25 UTC): identical rows, but no faster (1.6-1.7 s against
1.4-2.0 s): pydantic-core is as quick as the Python checks plus ``model_construct``. Kept as
the record of a proposal that was measured and dropped. Not product code.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic.fields import FieldInfo

from manualkit.schemas._base import RowModel, field_kind, field_options
from manualkit.schemas._types import split_choices
from manualkit.toolkit.reader import read_workbook
from manualkit.toolkit.registry import get_form

Lane = Callable[[Any], tuple[bool, Any]]  # value -> (accepted, the field's value)
_TEXT_KINDS = {"text", "longtext", "signature", "code"}


def _limits(info: FieldInfo) -> tuple[re.Pattern[str] | None, int | None]:
    """Return the field's pattern and maximum length, wherever pydantic keeps them."""
    pattern, longest = None, None
    for meta in info.metadata:
        pattern = getattr(meta, "pattern", None) or pattern
        longest = getattr(meta, "max_length", None) or longest
    return (re.compile(pattern) if pattern else None), longest


def lane_of(info: FieldInfo) -> Lane | None:
    """Return the fast check of one field, or ``None`` when its kind has none (pydantic decides)."""
    kind, options = field_kind(info), frozenset(field_options(info))
    pattern, longest = _limits(info)
    if kind == "date":
        return lambda value: (type(value) is dt.date, value)
    if kind == "time":
        return lambda value: (type(value) is dt.time, value)
    if kind == "choices":
        def choices(value: Any) -> tuple[bool, Any]:
            parts = split_choices(value) if isinstance(value, str) else None
            return bool(parts) and options.issuperset(parts), parts
        return choices
    if kind in _TEXT_KINDS:
        def text(value: Any) -> tuple[bool, Any]:
            ok = (isinstance(value, str) and value != "" and value == value.strip()
                  and (longest is None or len(value) <= longest)
                  and (pattern is None or pattern.search(value) is not None))
            return ok, value
        return text
    return None


def fast_rows(model: type[RowModel]) -> Callable[[dict[str, Any]], RowModel | None]:
    """Return a function building a row without pydantic when every value is already sound."""
    lanes = {name: lane_of(info) for name, info in model.model_fields.items()}
    required = {name for name, info in model.model_fields.items() if info.is_required()}
    if any(lane is None for lane in lanes.values()):
        return lambda row: None

    def build(row: dict[str, Any]) -> RowModel | None:
        if not required <= row.keys() or not row.keys() <= lanes.keys():
            return None
        values = {}
        for name, value in row.items():
            ok, values[name] = lanes[name](value)
            if not ok:
                return None
        return model.model_construct(**values)
    return build


def main(path: str) -> None:
    """Time pydantic on every row against the fast lane with pydantic for the rest."""
    form = get_form("sign-in-book")
    model = form.model.row_model()
    rows = read_workbook(Path(path)).data()["rows"]
    build = fast_rows(model)
    start = time.process_time()
    slow = []
    for row in rows:
        try:
            slow.append(model.model_validate(row))
        except ValidationError:
            slow.append(None)
    middle = time.process_time()
    fast = []
    for row in rows:
        made = build(row)
        if made is None:
            try:
                made = model.model_validate(row)
            except ValidationError:
                made = None
        fast.append(made)
    end = time.process_time()
    same = sum(a == b for a, b in zip(slow, fast, strict=True))
    sys.stdout.write(f"{len(rows)} rows: pydantic {middle - start:.2f} s, fast lane {end - middle:.2f} s, "
                     f"same result {same}/{len(rows)}\n")


if __name__ == "__main__":
    main(sys.argv[1])
