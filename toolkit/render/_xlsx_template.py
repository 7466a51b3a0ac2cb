"""Filling a form's blank workbook with a record by writing the form sheet's XML.

openpyxl builds each form's blank workbook once (``manualkit.toolkit.render.xlsx``). This
module keeps its parts in memory and writes a record's workbook by rewriting
only the form sheet: the header values go into their named cells, the table
gets one ruled row per record row (styles copied from the template's first
blank row) and ruled spare rows below, column widths and row heights are fitted
to the text, and the table columns' drop-downs are moved to end with the spare
rows. The print area is moved to end at the last filled row (in the workbook
part); every other part (styles, names, print setup, the ``_manualkit`` sheet)
is copied unchanged.

Values are typed as a person expects: dates and times are Excel serial numbers
(the cell's number format shows them), numbers are numbers, everything else is
an inline string, which Excel never reads as a formula. lxml escapes the text.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from lxml import etree
from openpyxl.utils import get_column_letter

from manualkit.schemas._base import FormSchema
from manualkit.toolkit.files import atomic_output
from manualkit.toolkit.render._xlsx_layout import (
    Layout,
    column_widths,
    header_heights,
    layout_of,
    shown,
    table_row_height,
)
from manualkit.toolkit.render.context import clean_text

SPARE_ROWS = 500  # ruled rows below the data (or the blank rows) that have drop-downs and formats
SHEET_PART = "xl/worksheets/sheet1.xml"  # the form's sheet is the workbook's first
WORKBOOK_PART = "xl/workbook.xml"
_CHANGED = frozenset({SHEET_PART, WORKBOOK_PART})  # the parts each filled workbook writes anew
_SPARE = "spare rows"  # a comment marking where the spare rows' XML goes
# The print area's defined name ends with the last printed row: ``'表'!$A$1:$I$36``.
_PRINT_AREA = re.compile(rb'(<definedName name="_xlnm.Print_Area"[^>]*>[^<]*\$)(\d+)(</definedName>)')
_M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_PRESERVE = "{http://www.w3.org/XML/1998/namespace}space"
_EPOCH = dt.datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system (as used after 1900-03-01)
_DAY = dt.timedelta(days=1)
# Excel reads "_x0041_" in a string as an escaped character; escape its underscore to keep it.
_ESCAPE_LIKE = re.compile(r"(_x[0-9A-Fa-f]{4}_)")
_SPAN = re.compile(r"^([A-Z]+)(\d+):([A-Z]+)(\d+)$")
_ROW = re.compile(r"(?<=[A-Z])\d+")  # the row numbers of a reference such as ``B20:D20``


class WorkbookTemplate:
    """A form's blank workbook, split into the parts that never change and the form sheet."""

    def __init__(self, model: type[FormSchema], layout: Layout, template: bytes, blank: bytes | None = None) -> None:
        """Read the empty workbook of ``model`` (laid out as ``layout``) that records fill, once.

        ``blank`` is the workbook written for no record, when it differs from ``template``.
        """
        self.model, self.layout, self.blank_rows = model, layout, layout.table_rows
        self.blank = template if blank is None else blank
        with zipfile.ZipFile(io.BytesIO(template)) as archive:
            self._parts = [(info, archive.read(info)) for info in archive.infolist()]
        parts = {info.filename: data for info, data in self._parts}
        # The parts that never change are compressed once; each workbook appends only its own two.
        self._infos = {info.filename: info for info, _ in self._parts if info.filename in _CHANGED}
        static = io.BytesIO()
        with zipfile.ZipFile(static, "w", zipfile.ZIP_DEFLATED) as archive:
            for info, data in self._parts:
                if info.filename not in _CHANGED:
                    archive.writestr(info, data)
        self._static_zip = static.getvalue()
        self._spare: dict[int, bytes] = {}  # the spare rows' XML by first row: the same for most of a batch
        self._workbook_xml = parts[WORKBOOK_PART]
        root = etree.fromstring(parts[SHEET_PART])
        sheet_data = _child(root, "sheetData")
        rows = {int(row.attrib["r"]): row for row in sheet_data}
        first_ruled = (layout.table_row or 0) + 1
        self._fixed = [row for number, row in sorted(rows.items())
                       if layout.table_row is None or number < first_ruled]
        self._below = [row for number, row in sorted(rows.items())  # the fields below the table
                       if layout.below_table and number >= first_ruled + layout.table_rows]
        ruled = rows.get(first_ruled) if layout.table_row is not None else None
        self._styles = [cell.get("s") for cell in ruled] if ruled is not None else []
        self._letters = [get_column_letter(column) for column in range(1, layout.width + 1)]
        self._values_at: dict[int, list[tuple[str, str]]] = {}  # row -> (cell, field) of header values
        for slot in layout.slots:
            self._values_at.setdefault(slot.row, []).append((f"{self._letters[slot.column]}{slot.row}", slot.name))
        for row in list(sheet_data):
            sheet_data.remove(row)
        self._skeleton = root

    def write(self, record: FormSchema | None, out: Path) -> Path:
        """Write the workbook filled with ``record`` (blank when ``None``) to ``out``, atomically."""
        data = self.workbook_bytes(record)
        with atomic_output(out) as temporary:
            temporary.write_bytes(data)
        return out

    def workbook_bytes(self, record: FormSchema | None) -> bytes:
        """Return the .xlsx file filled with ``record``, or the blank one."""
        if record is None:
            return self.blank
        if not isinstance(record, self.model):
            raise TypeError(f"record is a {type(record).__name__}, not a {self.model.__name__}")
        changed = {SHEET_PART: self.sheet_xml(record), WORKBOOK_PART: self._workbook_xml}
        if self.layout.table_row is not None:
            changed[WORKBOOK_PART] = self._workbook_part(self._layout_of(record))
        buffer = io.BytesIO(self._static_zip)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
            for name, data in changed.items():
                archive.writestr(self._infos[name], data, compresslevel=1)
        return buffer.getvalue()

    def _layout_of(self, record: FormSchema) -> Layout:
        """Return the layout of ``record``: the blank's, unless fields below its table move with the rows."""
        ruled = len(record.table()) or self.blank_rows
        return layout_of(self.model, ruled) if self.layout.below_table else replace(self.layout, table_rows=ruled)

    def _workbook_part(self, layout: Layout) -> bytes:
        """Return the workbook part with the print area, and the names of the fields below the table, moved."""
        xml = _PRINT_AREA.sub(rb"\g<1>" + str(layout.last_row).encode() + rb"\g<3>", self._workbook_xml)
        for slot in layout.below_table:
            name = re.compile(rb'(<definedName name="' + slot.name.encode() + rb'"[^>]*>[^<]*\$)\d+(<)')
            xml = name.sub(rb"\g<1>" + str(slot.row).encode() + rb"\g<2>", xml)
        return xml

    def sheet_xml(self, record: FormSchema) -> bytes:
        """Return the form sheet's XML holding ``record``."""
        root = copy.deepcopy(self._skeleton)
        sheet_data = _child(root, "sheetData")
        layout = self._layout_of(record)
        widths = column_widths(layout, record)
        heights = header_heights(layout, record, widths)
        for row in self._fixed:
            sheet_data.append(self._header_row(row, record, heights))
        last_row = int(self._fixed[-1].attrib["r"]) if self._fixed else 1
        spare = b""
        if layout.table_row is not None:
            rows = record.table()
            for offset in range(layout.table_rows):
                self._table_row(sheet_data, layout.table_row + 1 + offset, rows[offset] if rows else None, widths)
            last_row = layout.table_row + layout.table_rows
            self._move_drop_downs(root, last_row + spare_rows(layout))
            shift = layout.table_rows - self.blank_rows
            for row in self._below:
                sheet_data.append(self._header_row(row, record, heights, shift))
            _move_below(root, last_row - shift, shift)
            if not layout.below_table:
                sheet_data.append(etree.Comment(_SPARE))
                spare = self._spare_rows(last_row + 1)
            last_row = layout.last_row + spare_rows(layout)
        _child(root, "dimension").set("ref", f"A1:{self._letters[-1]}{last_row}")
        for column in root.iter(f"{_M}col"):
            column.set("width", _decimal(widths[int(column.attrib["min"]) - 1]))
        xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        return xml.replace(f"<!--{_SPARE}-->".encode(), spare)

    def _spare_rows(self, first: int) -> bytes:
        """Return the XML of the ruled, empty rows below the table, from row ``first``.

        Written as text: a few hundred rows of styled cells for every workbook of a batch.
        """
        if (known := self._spare.get(first)) is not None:
            return known
        cells = [(letter, f' s="{style}"' if style is not None else "")
                 for letter, style in zip(self._letters, self._styles, strict=False)]
        spare = self._spare[first] = "".join(
            f'<row r="{number}">' + "".join(f'<c r="{letter}{number}"{style}/>' for letter, style in cells) + "</row>"
            for number in range(first, first + SPARE_ROWS)
        ).encode()
        return spare

    def _header_row(self, template_row: Any, record: FormSchema, heights: dict[int, float], shift: int = 0) -> Any:
        """Return a copy of a fixed row with the header values of ``record`` and its fitted height.

        A row below the table moves down ``shift`` rows (the table has that many rows more than the blank).
        """
        row = copy.deepcopy(template_row)
        number = int(row.get("r"))
        if shift:
            row.set("r", str(number + shift))
        if number + shift in heights:
            row.set("ht", _decimal(heights[number + shift]))
            row.set("customHeight", "1")
        names = dict(self._values_at.get(number, ()))
        for cell in row:
            reference = cell.get("r")
            if shift:
                cell.set("r", f"{reference.rstrip('0123456789')}{number + shift}")
            if (name := names.get(reference)) is not None:
                set_value(cell, getattr(record, name))
        return row

    def _table_row(self, sheet_data: Any, number: int, row: Any, widths: list[float]) -> None:
        """Append table row ``number`` holding ``row`` (ruled but empty when ``None``)."""
        element = etree.SubElement(sheet_data, f"{_M}row", r=str(number))
        texts = []
        for index, (name, _, _) in enumerate(self.layout.columns):
            cell = etree.SubElement(element, f"{_M}c", r=f"{self._letters[index]}{number}")
            if self._styles[index] is not None:
                cell.set("s", self._styles[index])
            if row is not None:
                value = getattr(row, name)
                set_value(cell, value)
                texts.append(shown(value))
        if (height := table_row_height(texts, widths)) is not None:
            element.set("ht", _decimal(height))
            element.set("customHeight", "1")

    def _move_drop_downs(self, root: Any, last_row: int) -> None:
        """End the table columns' drop-downs (``F7:F536``) at ``last_row``."""
        first = (self.layout.table_row or 0) + 1
        for validation in root.iter(f"{_M}dataValidation"):
            span = _SPAN.match(validation.get("sqref", ""))
            if span and int(span[2]) == first:
                validation.set("sqref", f"{span[1]}{first}:{span[3]}{last_row}")


def _child(parent: etree._Element, tag: str) -> etree._Element:
    """Return the child ``tag`` of ``parent`` in the sheet openpyxl wrote, which always has one."""
    child = parent.find(f"{_M}{tag}")
    if child is None:
        raise ValueError(f"the blank form's sheet has no <{tag}>")
    return child


def spare_rows(layout: Layout) -> int:
    """Return the ruled rows below a table's rows: none when fields follow the table (rows are inserted)."""
    return 0 if layout.below_table else SPARE_ROWS


def _move_below(root: Any, below: int, shift: int) -> None:
    """Move the merged ranges and drop-downs of the rows below row ``below`` down ``shift`` rows."""
    if not shift:
        return
    for element, attribute in ((f"{_M}mergeCell", "ref"), (f"{_M}dataValidation", "sqref")):
        for found in root.iter(element):
            reference = found.get(attribute, "")
            if (rows := [int(row) for row in _ROW.findall(reference)]) and min(rows) > below:
                found.set(attribute, _ROW.sub(lambda row: str(int(row[0]) + shift), reference))


def set_value(cell: Any, value: Any) -> None:
    """Put ``value`` into the ``<c>`` element ``cell`` as Excel should hold it.

    Real dates, times and numbers; everything else text (是/否 for yes/no, a
    several-of choice joined with "、"). Empty values leave the cell empty.
    """
    if value is None or value == []:
        return
    if isinstance(value, bool):
        _set_text(cell, "是" if value else "否")
    elif isinstance(value, dt.datetime):
        _set_number(cell, (value.replace(tzinfo=None) - _EPOCH) / _DAY)
    elif isinstance(value, dt.date):
        _set_number(cell, (value - _EPOCH.date()).days)
    elif isinstance(value, dt.time):
        _set_number(cell, (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400)
    elif isinstance(value, int | float | Decimal):
        _set_number(cell, value)
    elif isinstance(value, list):
        _set_text(cell, "、".join(clean_text(str(item)) for item in value))
    else:
        _set_text(cell, clean_text(str(value)))


def _set_text(cell: Any, text: str) -> None:
    if not text:
        return
    cell.set("t", "inlineStr")
    element = etree.SubElement(etree.SubElement(cell, f"{_M}is"), f"{_M}t")
    element.text = _ESCAPE_LIKE.sub(r"_x005F\1", text) if "_x" in text else text
    if text != text.strip():  # leading or trailing spaces and line breaks are part of the value
        element.set(_PRESERVE, "preserve")


def _set_number(cell: Any, number: float | Decimal) -> None:
    cell.set("t", "n")
    etree.SubElement(cell, f"{_M}v").text = f"{float(number):.16g}"  # as openpyxl writes numbers


def _decimal(number: float) -> str:
    return f"{number:g}"
