"""Findings in words: pydantic's errors as our codes and Chinese messages, values as findings carry them.

``translate`` turns one pydantic error into a ``Violation``: a stable code, a
Chinese message naming the field's label, the field and the row. ``json_value``
is a validated value as a finding (and the JSON report) shows it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic_core import ErrorDetails

from manualkit.schemas._base import FIELD_RULES, FormSchema, Rule, Violation, field_kind, field_options

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
    if code in _CUSTOM and (rule := model.rules.by_code(code)):  # a form's rule, with its own clause
        return rule(message, name, row=row, value=_plain(value))
    field_rule: Rule = getattr(FIELD_RULES, code)  # RuleSet.__getattr__ gives a Rule
    return field_rule(message, name, row=row, value=_plain(value), clause=model.clause_of(name))


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


def json_value(value: Any) -> Any:
    """Return ``value`` as JSON carries it: dates and times in ISO form, lists joined with 、."""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta | Decimal):
        return str(value)
    if isinstance(value, list):
        return "、".join(map(str, value))
    return value
