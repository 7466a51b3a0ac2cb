"""Probe of the .xlsx proposal: write only the data rows into a blank template made once.

Usage: python -m bench.probes.xlsx_from_template RECORDS.json OUT_DIR

What ``manualkit fill --format xlsx`` could do (docs/performance.md, "填写 .xlsx"): the toolkit's
own writer makes the blank workbook once per batch (styles, drop-downs, print setup, defined
names, the ``_manualkit`` sheet); each record then only rewrites the cells of the form sheet
that hold its values, as inline strings and Excel serial dates and times with the styles the
template's cells already carry, and every other part of the workbook is copied from memory.
Records are validated with ``check_record`` as ``fill`` does. Not product code: it skips what
a real writer must also do (fitting row heights, ruling only as many rows as the record has).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from bench.workbook import FORM, Layout
from schemas._policy import DEFAULT_POLICY
from toolkit.records import check_record
from toolkit.render.xlsx import render_xlsx

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NAMESPACE = ' xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHEET = "xl/worksheets/sheet1.xml"  # the form's sheet is the workbook's first
EPOCH = dt.date(1899, 12, 30)


class TemplateBook:
    """The blank workbook split into what stays (every part, the sheet's rows) and what changes."""

    def __init__(self, template: Path, layout: Layout) -> None:
        """Read ``template`` once: its parts, and its sheet's rows as XML elements."""
        with zipfile.ZipFile(template) as archive:
            self.entries = [(info, archive.read(info)) for info in archive.infolist()]
        root = etree.fromstring({info.filename: data for info, data in self.entries}[SHEET])
        sheet_data = root.find(f"{MAIN}sheetData")
        self.rows = {int(row.get("r")): row for row in sheet_data}
        self.fixed = {number: _text(row) for number, row in self.rows.items()}
        for row in list(sheet_data):
            sheet_data.remove(row)
        self.head, self.tail = etree.tostring(root, encoding="unicode").split("<sheetData/>")
        self.layout = layout

    def sheet_xml(self, cells: dict[tuple[int, int], Any]) -> bytes:
        """Return the form sheet with ``cells`` ((row, column) -> value) written in."""
        by_row: dict[int, dict[int, Any]] = {}
        for (row, column), value in cells.items():
            by_row.setdefault(row, {})[column] = value
        parts = [self.head, "<sheetData>"]
        for number in sorted(self.rows.keys() | by_row.keys()):
            parts.append(self._row(number, by_row[number]) if number in by_row else self.fixed[number])
        parts += ["</sheetData>", self.tail]
        return "".join(parts).encode("utf-8")

    def _row(self, number: int, values: dict[int, Any]) -> str:
        row = copy.deepcopy(self.rows[number]) if number in self.rows else etree.Element(f"{MAIN}row", r=str(number))
        cells = {_column(cell.get("r")): cell for cell in row}
        for column, value in values.items():
            cell = cells.get(column)
            if cell is None:
                cell = etree.SubElement(row, f"{MAIN}c", r=f"{_letters(column)}{number}")
            _set(cell, value)
        return _text(row)

    def write(self, cells: dict[tuple[int, int], Any], out: Path) -> None:
        """Write the workbook with ``cells`` to ``out``."""
        sheet = self.sheet_xml(cells)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for info, data in self.entries:
                archive.writestr(info, sheet if info.filename == SHEET else data)
        out.write_bytes(buffer.getvalue())


def _set(cell: Any, value: Any) -> None:
    for child in list(cell):
        cell.remove(child)
    if isinstance(value, list):
        value = "、".join(value)
    if isinstance(value, str):
        cell.set("t", "inlineStr")
        etree.SubElement(etree.SubElement(cell, f"{MAIN}is"), f"{MAIN}t").text = value
        return
    cell.set("t", "n")
    if isinstance(value, dt.date):
        number: float = (value - EPOCH).days
    elif isinstance(value, dt.time):
        number = (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    else:
        number = value
    etree.SubElement(cell, f"{MAIN}v").text = repr(number) if isinstance(number, float) else str(number)


def _text(row: Any) -> str:
    return etree.tostring(row, encoding="unicode").replace(NAMESPACE, "", 1)


def _column(reference: str) -> int:
    letters = reference.rstrip("0123456789")
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _letters(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cells_of(record: Any, layout: Layout) -> dict[tuple[int, int], Any]:
    """Return the cells a validated sign-in book fills: header values, then one row per visit."""
    cells = {position: getattr(record, name) for name, position in layout.header_cells.items()}
    for offset, visit in enumerate(record.rows):
        for name, column in layout.columns.items():
            if (value := getattr(visit, name)) not in (None, [], ""):
                cells[(layout.first_data_row + offset, column)] = value
    return cells


def main(records_path: str, out_dir: str) -> None:
    """Validate every record, then write each into the template made once."""
    records = json.loads(Path(records_path).read_text(encoding="utf-8"))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        template = render_xlsx(FORM, None, Path(scratch) / "template.xlsx")
        layout = Layout.of(template)
        book = TemplateBook(template, layout)
    for n, data in enumerate(records, start=1):
        checked = check_record(FORM, data, DEFAULT_POLICY)
        if checked.record is not None:
            book.write(cells_of(checked.record, layout), out / f"{n:03d}-{data['manager']}.xlsx")
    sys.stdout.write(f"{len(records)} workbooks\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
