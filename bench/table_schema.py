"""A Frictionless Table Schema equivalent to the sign-in book's row checks.

It is generated from the form's own row model, so it says what the model says about each
column: dates and times must be dates and times, every required field must be filled, the
customer code must be digits and letters, and the work items must be among the options. What
a Table Schema cannot say (the month, time order, overlaps, same-day duplicates) it leaves out:
Frictionless is measured doing less than the toolkit, never more.
"""

from __future__ import annotations

import re
from typing import Any

from bench.workbook import FORM, Layout
from manualkit.schemas._base import field_kind, field_options

_TYPES = {"date": "date", "time": "time"}


def table_schema(layout: Layout) -> dict[str, Any]:
    """Return the Table Schema of the template's row table, columns in sheet order."""
    fields_by_column = {column: name for name, column in layout.columns.items()}
    width = max(layout.columns.values())
    model = FORM.model.row_model().model_fields
    fields = []
    for column in range(1, width + 1):
        name = fields_by_column.get(column)
        if name is None:
            fields.append({"name": f"column{column}", "type": "any"})
            continue
        info = model[name]
        fields.append(_field(info.title or name, field_kind(info), field_options(info), info))
    return {"fields": fields}


def _field(label: str, kind: str, options: tuple[str, ...], info: Any) -> dict[str, Any]:
    result: dict[str, Any] = {"name": label, "type": _TYPES.get(kind, "string")}
    constraints: dict[str, Any] = {}
    if info.is_required():
        constraints["required"] = True
    if kind == "code":
        constraints["pattern"] = "[0-9A-Za-z]+"
    if kind == "choices":
        one = "|".join(re.escape(option) for option in options)
        constraints["pattern"] = f"({one})(、({one}))*"
    if constraints:
        result["constraints"] = constraints
    return result
