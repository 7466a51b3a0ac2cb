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
import sys
import zipfile
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from lxml import etree

from manualkit.schemas._base import FormSchema
from manualkit.schemas._policy import Policy
from manualkit.toolkit import user_cache
from manualkit.toolkit.files import write_atomically
from manualkit.toolkit.render._xlsx_layout import (
    Layout,
    column_widths,
    header_heights,
    layout_of,
    shown,
    table_row_height,
)
from manualkit.toolkit.render._zipparts import Parts
from manualkit.toolkit.render.context import REMEMBERED, clean_text, value_key

SPARE_ROWS = 500  # ruled rows below the data (or the blank rows) that have drop-downs and formats
SHEET_PART = "xl/worksheets/sheet1.xml"  # the form's sheet is the workbook's first
WORKBOOK_PART = "xl/workbook.xml"
_CHANGED = frozenset({SHEET_PART, WORKBOOK_PART})  # the parts each filled workbook writes anew
_SPARE = "spare rows"  # a comment marking where the spare rows' XML goes
_TABLE = "table rows"  # and where the table's
_TEXT_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))
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
_WORKBOOKS = "blank-workbooks"  # the cache's folder for them
_PROPERTIES = "docProps/core.xml"
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


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
        self._unchanging = Parts(((info, data) for info, data in self._parts if info.filename not in _CHANGED),
                                 level=None)
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
        self._letters = [column_letter(column) for column in range(1, layout.width + 1)]
        # Each column's distinct values, written once: (the rest of the <c> element, the text that sizes it).
        self._cells: list[dict[Any, tuple[str, str]]] = [{} for _ in layout.columns]
        self._values_at: dict[int, list[tuple[str, str]]] = {}  # row -> (cell, field) of header values
        for slot in layout.slots:
            self._values_at.setdefault(slot.row, []).append((f"{self._letters[slot.column]}{slot.row}", slot.name))
        for row in list(sheet_data):
            sheet_data.remove(row)
        self._skeleton = root

    def write(self, record: FormSchema | None, out: Path) -> Path:
        """Write the workbook filled with ``record`` (blank when ``None``) to ``out``, atomically."""
        data = self.workbook_bytes(record)
        write_atomically(data, out)
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
        return self._unchanging.archive((self._infos[name], data) for name, data in changed.items())

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
        spare = table = b""
        if layout.table_row is not None:
            rows = record.table()
            sheet_data.append(etree.Comment(_TABLE))
            table = "".join(self._table_row(layout.table_row + 1 + offset, rows[offset] if rows else None, widths)
                            for offset in range(layout.table_rows)).encode()
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
        return xml.replace(f"<!--{_TABLE}-->".encode(), table, 1).replace(f"<!--{_SPARE}-->".encode(), spare, 1)

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

    def _table_row(self, number: int, row: Any, widths: list[float]) -> str:
        """Return the XML of table row ``number`` holding ``row`` (ruled but empty when ``None``).

        Written as text, as lxml would write the same elements (``set_value``): the table is
        most of every filled sheet, and building it as elements was most of the time.
        """
        cells, texts = [], []
        for index, (name, _, _) in enumerate(self.layout.columns):
            style = self._styles[index]
            start = f'<c r="{self._letters[index]}{number}"' + (f' s="{style}"' if style is not None else "")
            if row is None:
                cells.append(start + "/>")
                continue
            value = getattr(row, name)
            known = self._cells[index]
            key = value_key(value)
            if key is None or (cell := known.get(key)) is None:
                cell = (cell_content(value), shown(value))
                if key is not None and len(known) < REMEMBERED:
                    known[key] = cell
            cells.append(start + cell[0])
            texts.append(cell[1])
        height = table_row_height(texts, widths)
        fitted = f' ht="{_decimal(height)}" customHeight="1"' if height is not None else ""
        return f'<row r="{number}"{fitted}>' + "".join(cells) + "</row>"

    def _move_drop_downs(self, root: Any, last_row: int) -> None:
        """End the table columns' drop-downs (``F7:F536``) at ``last_row``."""
        first = (self.layout.table_row or 0) + 1
        for validation in root.iter(f"{_M}dataValidation"):
            span = _SPAN.match(validation.get("sqref", ""))
            if span and int(span[2]) == first:
                validation.set("sqref", f"{span[1]}{first}:{span[3]}{last_row}")


def column_letter(column: int) -> str:
    """Return the letters of the 1-based ``column``: 1 is A, 27 is AA (as openpyxl's ``get_column_letter``)."""
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def cached_template(model: type[FormSchema], policy: Policy,
                    build: Callable[[], tuple[bytes, bytes]]) -> WorkbookTemplate:
    """Return the blank workbook of ``model`` under ``policy``, from the cache, or ``build()`` it and cache it.

    ``build`` gives the workbook records fill and the blank one (openpyxl's work, the slow part of
    a small batch). The entry's key is the form, the policy and the code that builds workbooks:
    any change to one of them builds anew.
    """
    entry = user_cache.key("blank-workbook", model.form_id, model.__module__, policy.model_dump_json(),
                       _workbook_code(model))
    layout = layout_of(model, model.blank_rows(policy))
    if (content := user_cache.read(_WORKBOOKS, entry)) is not None:
        size = int.from_bytes(content[:8], "big")
        template, blank = content[8:8 + size], content[8 + size:]
        try:
            return WorkbookTemplate(model, layout, _restamped(template), _restamped(blank) if blank else None)
        except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError):
            pass  # not a workbook we wrote: build it again
    template, blank = build()
    stored = len(template).to_bytes(8, "big") + template + (b"" if blank == template else blank)
    user_cache.write(_WORKBOOKS, entry, stored)
    return WorkbookTemplate(model, layout, template, blank)


def _restamped(workbook: bytes) -> bytes:
    """Return a cached ``workbook`` dated now, as if openpyxl had just built it (its parts and its properties)."""
    now = dt.datetime.now(dt.UTC)
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == _PROPERTIES:
                data = _STAMP.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            info.date_time = now.astimezone().timetuple()[:6]  # zip times are local, as zipfile writes them
            out.writestr(info, data)
    return buffer.getvalue()


def _workbook_code(model: type[FormSchema]) -> str | None:
    """Return what a blank workbook depends on besides the form and the policy: our code and openpyxl's version."""
    here = Path(__file__).parent
    toolkit, schemas = here.parent, Path(sys.modules[FormSchema.__module__].__file__ or "").parent
    sources = [*sorted(here.glob("*.py")), toolkit / "numbers.py", toolkit / "textwidth.py", toolkit / "user_cache.py",
               toolkit / "__init__.py",
               *sorted(schemas.glob("*.py"))]
    if (module := Path(sys.modules[model.__module__].__file__ or "")).parent != schemas:  # a form of a plugin
        sources.append(module)
    return user_cache.code_version(tuple(sources), ("openpyxl",))


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


def cell_content(value: Any) -> str:
    """Return the rest of a ``<c`` element holding ``value``: what ``set_value`` gives, as lxml writes it."""
    if value is None or value == []:
        return "/>"
    if isinstance(value, bool):
        return _text_content("是" if value else "否")
    if isinstance(value, dt.datetime):
        return _number_content((value.replace(tzinfo=None) - _EPOCH) / _DAY)
    if isinstance(value, dt.date):
        return _number_content((value - _EPOCH.date()).days)
    if isinstance(value, dt.time):
        return _number_content(
            (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400)
    if isinstance(value, int | float | Decimal):
        return _number_content(value)
    if isinstance(value, list):
        return _text_content("、".join(clean_text(str(item)) for item in value))
    return _text_content(clean_text(str(value)))


def _text_content(text: str) -> str:
    if not text:
        return "/>"
    kept = _ESCAPE_LIKE.sub(r"_x005F\1", text) if "_x" in text else text
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f' t="inlineStr"><is><t{space}>{_xml_text(kept)}</t></is></c>'


def _number_content(number: float | Decimal) -> str:
    return f' t="n"><v>{float(number):.16g}</v></c>'


def _xml_text(text: str) -> str:
    """Return ``text`` escaped as lxml escapes element text (``& < >`` and carriage returns)."""
    for char, entity in _TEXT_ESCAPES:
        if char in text:
            text = text.replace(char, entity)
    return text


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
