"""The workbook an annotated copy starts from: the submitted .xlsx itself, or the values of any other format.

An .xlsx is opened with the values last shown in place of formulas and without external links
or DDE names. openpyxl opens only .xlsx/.xlsm. A submission saved as .xls, .xlsb or .ods is
rebuilt from the values calamine reads, sheet by sheet and cell by cell (hidden
sheets stay hidden), so every finding lands on the cell it names; the copy is
an .xlsx and loses the original's formatting, which openpyxl could not read.
"""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from python_calamine import CalamineWorkbook, SheetVisibleEnum


def open_copy(path: Path) -> Workbook:
    """Return the workbook at ``path`` as openpyxl holds it, ready to mark and save as .xlsx."""
    return _from_xlsx(path) if _is_xlsx(path) else _from_values(path)


def _from_xlsx(path: Path) -> Workbook:
    """Return the workbook with the values last shown in place of formulas and without external links."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops; the copy is for reading
        with path.open("rb") as handle:  # a file object: the name may not be UTF-8
            book = load_workbook(handle, data_only=True)
    book._external_links = []  # openpyxl has no public way to drop them
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
    book.remove(book.active)
    for meta in source.sheets_metadata:
        sheet = book.create_sheet(meta.name)
        if meta.visible != SheetVisibleEnum.Visible:
            sheet.sheet_state = "hidden"
        values = source.get_sheet_by_name(meta.name)
        top, left = values.start or (0, 0)
        for row_number, row in enumerate(values.iter_rows(), start=top + 1):
            for column_number, value in enumerate(row, start=left + 1):
                if value != "":
                    _put(sheet.cell(row_number, column_number), value)
    return book


def _put(cell: object, value: object) -> None:
    """Write a value as read: text stays text (``=1+1`` is not made a formula), dates stay dates."""
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)  # type: ignore[attr-defined]
        cell.data_type = "s"  # type: ignore[attr-defined]
    else:
        cell.value = value  # type: ignore[attr-defined]
