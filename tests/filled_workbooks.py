"""Workbooks filled the way a person fills the blank template, built in code for the tests.

The layout follows the shared Excel contract (docs/excel.md): one
sheet titled with the form's title, header labels in column A with their value
cells in column B carrying defined names, one header row of the exact labels,
data from the next row, and the hidden ``_manualkit`` record sheet. Values are
written as Excel holds what people type: real dates and times, numbers, text.

For a sign-in book with its three header fields: B3 客户经理, B4 所辖区域,
B5 月份; the table's header is row 7 and the first visit is row 8.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName

from manualkit.toolkit.registry import FormSpec

FIRST_HEADER_ROW = 3


def write_form(
    form: FormSpec,
    record: Mapping[str, Any],
    path: Path,
    *,
    names: bool = True,
    record_sheet: bool = True,
    version: str | None = None,
    sheet_title: str | None = None,
    extra_columns: Mapping[str, list[Any]] | None = None,
) -> Path:
    """Write ``record`` (field names as keys, JSON-like values) as a filled template at ``path``.

    Args:
        names: give header value cells their defined names (off: labels only, as in a home-made sheet).
        record_sheet: add the hidden ``_manualkit`` sheet.
        version: the schema version to record (default: the form's).
        sheet_title: the form sheet's title (default: the form's Chinese title).
        extra_columns: column header → values appended right of the table (unknown columns).
    """
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title or form.title
    sheet["A1"] = form.title
    model = form.model
    row = FIRST_HEADER_ROW
    for name, info in model.header_fields().items():
        if name == model.rows_field:
            continue
        sheet.cell(row, 1, info.title)
        _put(sheet.cell(row, 2), record.get(name))
        if names:
            book.defined_names[name] = DefinedName(name, attr_text=f"'{sheet.title}'!$B${row}")
        row += 1
    if model.rows_field:
        _write_table(sheet, form, record.get(model.rows_field) or [], row + 1, extra_columns or {})
    if record_sheet:
        _write_record_sheet(book, form, version)
    book.save(path)
    return path


def _write_table(sheet: Any, form: FormSpec, rows: list[Mapping[str, Any]], header_row: int,
                 extra: Mapping[str, list[Any]]) -> None:
    fields = form.model.row_model().model_fields
    labels = [info.title for info in fields.values()] + list(extra)
    for column, label in enumerate(labels, start=1):
        sheet.cell(header_row, column, label)
    for offset, values in enumerate(rows, start=1):
        cells = [values.get(name) for name in fields] + [column[offset - 1] for column in extra.values()]
        for column, value in enumerate(cells, start=1):
            _put(sheet.cell(header_row + offset, column), value)


def _write_record_sheet(book: Workbook, form: FormSpec, version: str | None) -> None:
    record = book.create_sheet("_manualkit")
    record.sheet_state = "hidden"
    for row, (key, value) in enumerate(
        [("form_id", form.form_id), ("version", version or form.model.version), ("generator", "manualkit tests")],
        start=1,
    ):
        record.cell(row, 1, key)
        record.cell(row, 2, value)


def _put(cell: Any, value: Any) -> None:
    """Write what a person would have typed: ISO dates and times become real Excel values."""
    if isinstance(value, list):
        value = "、".join(map(str, value))
    if isinstance(value, str):
        value = _excel_value(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # a text starting with "=" stays text


def _excel_value(text: str) -> Any:
    """Return an ISO date, time or date-time as the Excel value it would be typed as; other text as is."""
    parsers = [(r"\d{4}-\d{2}-\d{2}", dt.date.fromisoformat), (r"\d{2}:\d{2}", dt.time.fromisoformat),
               (r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?", dt.datetime.fromisoformat)]
    for pattern, parse in parsers:
        if re.fullmatch(pattern, text):
            try:
                return parse(text)
            except ValueError:  # 2026-11-31: Excel keeps what it cannot read as a date as text
                return text
    return text


def fill_blank_template(form: FormSpec, record: Mapping[str, Any], path: Path) -> Path:
    """Fill the toolkit's own blank .xlsx template with ``record`` as a person would in Excel.

    Header values go into the cells the template names; table rows go under
    the template's header row of labels, one per row.
    """
    from openpyxl import load_workbook

    from manualkit.toolkit.render.xlsx import render_xlsx

    book = load_workbook(render_xlsx(form, None, path))
    sheet = book[form.title]
    for name, defined in book.defined_names.items():
        if name in record and name != form.model.rows_field:
            _, reference = next(defined.destinations)
            _put(sheet[reference.replace("$", "").split(":")[0]], record[name])
    if form.model.rows_field:
        header_row, columns = _template_table(sheet, form)
        for offset, values in enumerate(record.get(form.model.rows_field) or [], start=1):
            for name, column in columns.items():
                _put(sheet.cell(header_row + offset, column), values.get(name))
    book.save(path)
    return path


def _template_table(sheet: Any, form: FormSpec) -> tuple[int, dict[str, int]]:
    """Return the template table's header row and the column of each row field."""
    labels = {info.title: name for name, info in form.model.row_model().model_fields.items()}
    for row in sheet.iter_rows():
        found = {labels[c.value]: c.column for c in row if c.value in labels}
        if len(found) == len(labels):
            return row[0].row, found
    raise AssertionError(f"{form.form_id}: the template has no table header row")
