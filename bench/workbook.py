"""Sign-in books written as .xlsx in the layout of the toolkit's own Excel template.

``blank_template`` returns the real blank template (the toolkit's Excel writer) when it exists,
else a stand-in written to the shared contract (the form's sheet, header value
cells with defined names, one row of the exact labels, the hidden ``_manualkit`` sheet).
``Layout`` reads where things are from whichever template is used, and ``write_book`` fills a
copy of it cell by cell, as a person typing into it would.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from bench import books
from manualkit.toolkit import __version__
from manualkit.toolkit.registry import get_form

FORM = get_form("sign-in-book")
HEADER_FIELDS = tuple(FORM.model.header_fields())
ROW_LABELS = {name: info.title or name for name, info in FORM.model.row_model().model_fields.items()}
DATE_FORMAT, TIME_FORMAT, SECONDS_FORMAT = "yyyy-mm-dd", "hh:mm", "hh:mm:ss"


@dataclass(frozen=True, slots=True)
class Layout:
    """Where a sign-in book template keeps things (1-based rows and columns)."""

    sheet: str
    header_cells: dict[str, tuple[int, int]]  # header field -> its value cell
    label_row: int
    columns: dict[str, int]  # row field -> its column
    fixed_cells: dict[str, Any]  # every non-empty cell above the data rows, by coordinate

    @property
    def first_data_row(self) -> int:
        """Return the sheet row of the first visit."""
        return self.label_row + 1

    @classmethod
    def of(cls, template: Path) -> Layout:
        """Return the layout of ``template``, read with openpyxl."""
        workbook = openpyxl.load_workbook(template)
        sheet = workbook[FORM.title]
        header = {}
        for name in HEADER_FIELDS:
            _, coordinate = next(iter(workbook.defined_names[name].destinations))
            cell = sheet[coordinate.replace("$", "")]
            header[name] = (cell.row, cell.column)
        label_row, columns = _label_row(sheet)
        fixed = {cell.coordinate: cell.value for row in sheet.iter_rows(max_row=label_row)
                 for cell in row if cell.value is not None}
        return cls(FORM.title, header, label_row, columns, fixed)


def _label_row(sheet: Worksheet) -> tuple[int, dict[str, int]]:
    wanted = {label: name for name, label in ROW_LABELS.items()}
    for row in sheet.iter_rows(max_row=60):
        found = {wanted[c.value]: c.column for c in row if isinstance(c.value, str) and c.value in wanted}
        if len(found) == len(wanted):
            return row[0].row, found
    raise ValueError(f"{sheet.title}: no row holds all the labels {list(wanted)}")


def blank_template(folder: Path, manualkit: Path) -> Path:
    """Return the blank .xlsx template of the sign-in book, made in ``folder``.

    The toolkit's own Excel writer makes it when it exists (else ``manualkit blank``, else the
    stand-in), so the benchmark data has exactly the layout users get.
    """
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "template.xlsx"
    try:
        from manualkit.toolkit.render.xlsx import render_xlsx
    except ImportError:
        render_xlsx = None
    if render_xlsx is not None:
        render_xlsx(FORM, None, target)
    elif has_command(manualkit, "blank"):
        with tempfile.TemporaryDirectory() as out:
            subprocess.run([str(manualkit), "blank", FORM.form_id, "--format", "xlsx", "-o", out],
                           check=True, capture_output=True)
            shutil.copy(next(Path(out).rglob("*.xlsx")), target)
    else:
        stand_in_template(target)
    return target


def has_command(manualkit: Path, command: str) -> bool:
    """Return whether ``manualkit COMMAND --help`` works, i.e. the command has landed."""
    try:
        done = subprocess.run([str(manualkit), command, "--help"], capture_output=True, check=False)
    except OSError:
        return False
    return done.returncode == 0


def stand_in_template(path: Path) -> None:
    """Write a blank sign-in book to the shared contract, for use until the real one exists."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = FORM.title
    sheet["A1"] = FORM.title
    for n, name in enumerate(HEADER_FIELDS):
        sheet.cell(2, 1 + 2 * n, FORM.model.label(name))
        workbook.defined_names[name] = DefinedName(name, attr_text=f"'{FORM.title}'!${chr(66 + 2 * n)}$2")
    for column, label in enumerate(ROW_LABELS.values(), start=1):
        sheet.cell(4, column, label)
    marks = workbook.create_sheet("_manualkit")
    for row in (("form_id", FORM.form_id), ("version", FORM.model.version),
                ("generator", f"manualkit {__version__}")):
        marks.append(row)
    marks.sheet_state = "hidden"
    workbook.save(path)


def write_book(template: Path, layout: Layout, record: dict[str, Any], path: Path) -> None:
    """Write ``record`` (a book from ``bench.books``) into a copy of ``template`` at ``path``."""
    workbook = openpyxl.load_workbook(template)
    sheet = workbook[layout.sheet]
    for name, (row, column) in layout.header_cells.items():
        sheet.cell(row, column, record[name])
    for offset, visit in enumerate(record["rows"]):
        row = layout.first_data_row + offset
        for name, value in books.as_cells(visit).items():
            cell = sheet.cell(row, layout.columns[name], value)
            if isinstance(value, dt.time):
                cell.number_format = SECONDS_FORMAT if value.second else TIME_FORMAT
            elif isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
    workbook.save(path)
