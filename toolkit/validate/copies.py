"""The workbook an annotated copy starts from: the submitted .xlsx itself, or the values of any other format.

An .xlsx is opened with the values last shown in place of formulas and without external links
or DDE names. openpyxl opens only .xlsx/.xlsm. A submission saved as .xls, .xlsb or .ods is
rebuilt from the values calamine reads, sheet by sheet and cell by cell (hidden
sheets stay hidden), so every finding lands on the cell it names; the copy is
an .xlsx and loses the original's formatting, which openpyxl could not read.
"""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from python_calamine import CalamineWorkbook, SheetVisibleEnum

from manualkit.toolkit.textwidth import display_width

MAX_WIDTH = 24  # characters of the widest column the rebuilt copy gets (the original's widths are lost)


def open_copy(path: Path) -> Workbook:
    """Return the workbook at ``path`` as openpyxl holds it, ready to mark and save as .xlsx."""
    return _from_xlsx(path) if _is_xlsx(path) else _from_values(path)


def _from_xlsx(path: Path) -> Workbook:
    """Return the workbook with the values last shown in place of formulas and without external links."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops; the copy is for reading
        with path.open("rb") as handle:  # a file object: the name may not be UTF-8
            book = load_workbook(handle, data_only=True)
    book._external_links = []  # type: ignore[attr-defined]  # openpyxl has no public way to drop them
    for name in list(book.defined_names):
        if "|" in (book.defined_names[name].attr_text or ""):  # a DDE call hidden in a name
            del book.defined_names[name]
    return book


def _is_xlsx(path: Path) -> bool:
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as archive:
        return "xl/workbook.xml" in archive.namelist()


def _from_values(path: Path) -> Workbook:
    source = CalamineWorkbook.from_path(str(path))
    book = Workbook()
    book.remove(book.worksheets[0])  # the sheet a new workbook starts with
    for meta in source.sheets_metadata:
        sheet = book.create_sheet(meta.name)
        if meta.visible != SheetVisibleEnum.Visible:
            sheet.sheet_state = "hidden"
        values = source.get_sheet_by_name(meta.name)
        top, left = values.start or (0, 0)
        widths: dict[int, int] = {}
        for row_number, row in enumerate(values.iter_rows(), start=top + 1):
            for column_number, value in enumerate(row, start=left + 1):
                if value != "":
                    _put(sheet.cell(row_number, column_number), value)
                    widths[column_number] = max(widths.get(column_number, 0), display_width(str(value)))
        for column_number, width in widths.items():  # readable columns; a title line must not widen one
            sheet.column_dimensions[get_column_letter(column_number)].width = min(width, MAX_WIDTH) + 2
        _print_on_one_page_wide(sheet)
    return book


def _print_on_one_page_wide(sheet: Worksheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0


def _put(cell: Cell, value: str | float | dt.date | dt.time | dt.timedelta) -> None:
    """Write a value as read: text stays text (``=1+1`` is not made a formula), dates and times as people write them."""
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
        return
    cell.value = value
    if isinstance(value, dt.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, dt.time):
        cell.number_format = "hh:mm"
