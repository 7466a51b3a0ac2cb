"""Check one record of a form: pydantic's field checks plus the form's rules.

This is where pydantic's errors become our findings: a stable code, a Chinese
message naming the field's label, the field and the row. ``fill``, ``validate``
and the monthly report all check records through ``check_record``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from schemas._base import FormSchema, Severity, Violation, field_kind, field_options
from schemas._policy import Policy
from toolkit.registry import FormSpec

# pydantic error type -> our code; anything not here is "invalid_type".
_CODES = {
    "missing": "missing_required",
    "too_short": "missing_required",
    "string_too_short": "missing_required",
    "literal_error": "invalid_choice",
    "bool_parsing": "invalid_choice",
    "bool_type": "invalid_choice",
    "date_parsing": "invalid_date",
    "date_type": "invalid_date",
    "date_from_datetime_parsing": "invalid_date",
    "date_from_datetime_inexact": "invalid_date",
    "datetime_parsing": "invalid_date",
    "datetime_type": "invalid_date",
    "datetime_from_date_parsing": "invalid_date",
    "time_parsing": "invalid_time",
    "time_type": "invalid_time",
    "string_pattern_mismatch": "pattern_mismatch",
    "greater_than": "out_of_range",
    "greater_than_equal": "out_of_range",
    "less_than": "out_of_range",
    "less_than_equal": "out_of_range",
    "extra_forbidden": "unknown_field",
}
_PATTERN_HINTS = {
    "code": "只能包含数字和字母",
    "phone": "应为 11 位手机号码或带区号的固定电话",
    "month": "应写作 2026-11 这样的年月",
}
_TYPE_HINTS = {
    "date": "应为日期，如 2026-11-05",
    "datetime": "应为日期和时间，如 2026-11-05 09:30",
    "time": "应为时间，如 09:05",
    "number": "应为数字",
}


@dataclass(frozen=True, slots=True)
class RecordCheck:
    """A checked record: the model if its fields are sound, and every finding."""

    record: FormSchema | None
    violations: list[Violation] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """Return whether nothing error-severity was found."""
        return self.record is not None and not any(
            v.severity is Severity.ERROR for v in self.violations
        )


def check_record(form: FormSpec, data: Mapping[str, Any], policy: Policy) -> RecordCheck:
    """Return ``data`` validated against ``form`` and checked by its rules.

    ``data`` is keyed by field names or by the Chinese labels; its rows by the
    row model's names or labels too.
    """
    data = keyed_by_name(form.model, data)
    try:
        record = form.model.model_validate(data)
    except ValidationError as exc:
        found = [translate(form.model, err) for err in exc.errors()]
        return RecordCheck(None, found + _rules_without_bad_rows(form.model, data, found, policy))
    return RecordCheck(record, record.check(policy))


def _rules_without_bad_rows(
    model: type[FormSchema], data: dict[str, Any], found: list[Violation], policy: Policy
) -> list[Violation]:
    """Return the form rules' findings on the rows that are sound, if the header is.

    So that a typo in one row does not hide an overlap between two others.
    """
    if not model.rows_field or any(v.row is None for v in found):
        return []  # a header field is broken: the form rules cannot run
    bad_rows = {v.row for v in found}
    kept = [i for i, _ in enumerate(data[model.rows_field]) if i not in bad_rows]
    if not kept:
        return []
    try:
        partial = model.model_validate(
            {**data, model.rows_field: [data[model.rows_field][i] for i in kept]}
        )
    except ValidationError:
        return []
    return [replace(v, row=kept[v.row]) if v.row is not None else v for v in partial.check(policy)]


def keyed_by_name(model: type[FormSchema], data: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``data`` with labels replaced by field names (rows included)."""
    names = {info.title: name for name, info in model.model_fields.items()}
    result = {names.get(key, key): value for key, value in data.items()
              if key not in model.derived and key not in model.derived.values()}
    rows_model = model.row_model()
    if rows_model and isinstance(rows := result.get(model.rows_field or ""), list):
        row_names = {info.title: name for name, info in rows_model.model_fields.items()}
        result[model.rows_field or ""] = [
            {row_names.get(k, k): v for k, v in row.items()} if isinstance(row, Mapping) else row
            for row in rows
        ]
    return result


def translate(model: type[FormSchema], err: ErrorDetails) -> Violation:
    """Return pydantic's error ``err`` as a finding with a Chinese message."""
    loc = err["loc"]
    row: int | None = None
    owner: Any = model
    name = str(loc[0]) if loc else ""
    if model.rows_field and len(loc) >= 3 and loc[0] == model.rows_field and isinstance(loc[1], int):
        row, name, owner = loc[1], str(loc[2]), model.row_model()
    info = owner.model_fields.get(name)
    label = (info.title if info else None) or name
    value = err.get("input")
    code = _code(err, value)
    message = _message(code, err, label, info, value, is_table=name == model.rows_field)
    return Violation(code, message, (name,), row, Severity.ERROR, _plain(value))


def _code(err: ErrorDetails, value: Any) -> str:
    kind = err["type"]
    if kind in _CUSTOM:
        return kind
    if kind == "extra_forbidden":
        return "unknown_field"
    if value is None or value == [] or (isinstance(value, str) and not value.strip()):
        return "missing_required"
    return _CODES.get(kind, "invalid_type")


# Codes our own validators raise (PydanticCustomError), passed through as they are.
_CUSTOM = {"not_monday"}


def _message(code: str, err: ErrorDetails, label: str, info: Any, value: Any, *, is_table: bool) -> str:
    typed = f"（填写的是“{_plain(value)}”）" if value not in (None, "", [], {}) else ""
    kind = field_kind(info) if info else "text"
    if code == "missing_required":
        return f"“{label}”至少填写一行" if is_table else f"“{label}”为必填项"
    if code == "invalid_choice":
        options = "/".join(field_options(info)) if info and field_options(info) else "是/否"
        return f"“{label}”只能填写：{options}{typed}"
    if code == "unknown_field":
        return f"“{label}”不是本表单的项目"
    if code == "out_of_range":
        bound = err.get("ctx", {})
        limit = "、".join(f"{_BOUND_WORDS[k]} {v}" for k, v in bound.items() if k in _BOUND_WORDS)
        return f"“{label}”应{limit}{typed}"
    if code == "pattern_mismatch":
        hint = _PATTERN_HINTS.get(kind) or (info.description if info and info.description else "格式不符")
        return f"“{label}”{hint}{typed}"
    if code in _CUSTOM:
        return f"“{label}”{err['msg']}"
    if err["type"].startswith("int_"):
        return f"“{label}”应为整数{typed}"
    return f"“{label}”{_TYPE_HINTS.get(kind, '填写有误')}{typed}"


_BOUND_WORDS = {"gt": "大于", "ge": "不小于", "lt": "小于", "le": "不大于"}


def _plain(value: Any) -> Any:
    """Return ``value`` as JSON can carry it (dates as ISO text)."""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)
