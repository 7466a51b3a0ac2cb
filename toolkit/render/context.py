"""What a form shows: a record, or nothing for a blank form, as display values.

The Word templates read these values: every header field by its name, the
table as ``rows`` (a list of dicts keyed by the row fields), the derived values
(e.g. ``stage``), the organisation's name (``organisation``, a line to write
on when the policy names none), and two helpers: ``tick(value, option)`` gives
☑ or ☐ for one option of a choice field, ``blank_rows()`` gives the empty rows
of a blank table (as many as the form asks for under the policy, or ``n`` with
``blank_rows(n)``). Templates therefore need nothing but schema names and these.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from manualkit.schemas._base import FormSchema, RowModel
from manualkit.schemas._policy import DEFAULT_POLICY, Policy
from manualkit.toolkit.errors import TemplateRenderError
from manualkit.toolkit.numbers import shown_number
from manualkit.toolkit.xmltext import UNSTORABLE

TICKED, UNTICKED = "☑", "☐"
HELPERS = frozenset({"tick", "blank_rows", "organisation"})
WRITE_ON = "\uff3f" * 12  # full-width low lines
REMEMBERED = 20_000  # the texts of distinct values remembered per column (``value_key``)
# Characters neither a workbook nor a Word document can hold (XML 1.0 forbids them).
_UNSTORABLE = re.compile(f"[{UNSTORABLE}]")


def value_key(value: Any) -> Any:
    """Return a key under which what ``value`` looks like in a form may be remembered; None if it may not be.

    Only values whose text follows from their equality: nothing, texts, dates, naive times, lists of texts
    (``1 == True`` and ``Decimal("1.0") == Decimal("1.00")``, yet they print differently). A batch
    repeats its dates, times, names and choices in row after row.
    """
    kind = type(value)
    if kind is str:
        return value
    if value is None:
        return (None,)
    if kind is dt.date or (kind is dt.time and value.tzinfo is None):
        return (kind, value)
    if kind is list and all(type(item) is str for item in value):
        return (list, *value)
    return None


def clean_text(text: str) -> str:
    """Return ``text`` without the control characters no Office file can store."""
    return _UNSTORABLE.sub("", text)


def any_unstorable(text: str) -> bool:
    """Return whether ``text`` holds a control character no Office file can store."""
    return _UNSTORABLE.search(text) is not None


def unstorable_characters(text: str) -> list[str]:
    """Return the control characters in ``text`` that no Office file can store, as ``\\x07``."""
    return sorted({f"\\x{ord(char):02x}" for char in _UNSTORABLE.findall(text)})


def display(value: Any) -> str | list[str]:
    """Return ``value`` as a form shows it: ISO dates, ``HH:MM`` times, 是/否."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, list):
        return [clean_text(str(item)) for item in value]
    return clean_text(str(value))


def tick(value: str | list[str] | None, option: str) -> str:
    """Return ☑ if ``option`` is the value (or one of the values) chosen, else ☐."""
    chosen = value if isinstance(value, list) else [value]
    return TICKED if option in chosen else UNTICKED


def record_context(record: FormSchema, policy: Policy = DEFAULT_POLICY) -> dict[str, Any]:
    """Return the display values of a validated ``record``, with the helpers."""
    model = type(record)
    context = header_values(record, policy)
    if model.rows_field:
        context[model.rows_field] = [_row_values(row) for row in record.table()]
    return _with_helpers(model, context, policy)


def header_values(record: FormSchema, policy: Policy = DEFAULT_POLICY) -> dict[str, Any]:
    """Return the display values of ``record`` outside its table: fields, derived values, the organisation."""
    model = type(record)
    values: dict[str, Any] = {name: shown(model, name, getattr(record, name)) for name in model.header_fields()}
    values.update({name: display(getattr(record, name)) for name in model.derived})
    values["organisation"] = organisation_of(policy)
    return values


def blank_context(model: type[FormSchema], policy: Policy = DEFAULT_POLICY) -> dict[str, Any]:
    """Return the context of a blank form: every value empty, the table empty."""
    context: dict[str, Any] = dict.fromkeys([*model.header_fields(), *model.derived], "")
    if model.rows_field:
        context[model.rows_field] = []
    return _with_helpers(model, context, policy)


def _row_values(row: RowModel) -> dict[str, Any]:
    return {name: shown(type(row), name, getattr(row, name)) for name in type(row).model_fields}


def shown(model: type[FormSchema] | type[RowModel], name: str, value: Any) -> str | list[str]:
    """Return a field's display value; amounts and volumes as ``manualkit.toolkit.numbers`` prints them."""
    if isinstance(value, Decimal):
        return shown_number(value, model.label(name))
    return display(value)


def organisation_of(policy: Policy) -> str:
    """Return the organisation's name as forms show it: a line to write on when the policy names none."""
    return clean_text(policy.organisation_name) or WRITE_ON


def _with_helpers(model: type[FormSchema], context: dict[str, Any], policy: Policy) -> dict[str, Any]:
    organisation = organisation_of(policy)
    return {**context, "tick": tick, "blank_rows": blank_rows_of(model, policy), "organisation": organisation}


def blank_rows_of(model: type[FormSchema], policy: Policy) -> Callable[[int | None], list[dict[str, str]]]:
    row_model = model.row_model()
    empty = dict.fromkeys(row_model.model_fields, "") if row_model else {}

    def blank_rows(count: int | None = None) -> list[dict[str, str]]:
        if not row_model:
            raise TemplateRenderError(f"表单“{model.form_title}”没有表格，模板不能使用 blank_rows")
        return [empty] * (model.blank_rows(policy) if count is None else count)

    return blank_rows
