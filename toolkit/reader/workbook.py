"""Read a submitted workbook (.xlsx, .xls, .xlsb, .ods) into a form's data with the position of every value.

Order of work (``opening``): the guard refuses unsound files; the defined names come from
``xl/workbook.xml`` (.xlsx only; elsewhere header values are found by label); calamine
reads the values (about ten times faster than openpyxl's read-only mode) including
the hidden ``_manualkit`` sheet that says which form and schema version the workbook is, and
parses the form's sheet in a thread while the row sink is set up. Then one pass over the form's
sheet finds the header values and the table (see ``layout``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from manualkit.toolkit.errors import FormNotFoundError, WorkbookReadError
from manualkit.toolkit.reader.layout import RowSink, SheetScan, scan_sheet
from manualkit.toolkit.reader.names import cell_name, column_letters
from manualkit.toolkit.reader.opening import RECORD_SHEET, OpenBook, open_book, taken_ahead, unreadable
from manualkit.toolkit.registry import FormSpec

__all__ = ["RECORD_SHEET", "Submission", "read_workbook"]


@dataclass(frozen=True, slots=True)
class Submission:
    """A form read from a workbook: its values, ready for ``check_record``, and where each one is.

    Attributes:
        path: the file read.
        form: the form it holds.
        sheet: the title of the sheet the form was read from.
        version: the schema version the workbook records (``None`` if it records none).
        scan: header values, table rows and positions (0-based; use ``cell`` for A1 names).
    """

    path: Path
    form: FormSpec
    sheet: str
    version: str | None
    scan: SheetScan

    def data(self) -> dict[str, Any]:
        """Return the record as ``check_record`` takes it: field names, blank cells left out.

        Raises:
            ValueError: the table was streamed to a ``row_sink`` and is not kept.
        """
        if self.scan.streamed:
            raise ValueError("the table rows were streamed to a row sink, not kept")
        data = dict(self.scan.header)
        if self.form.model.rows_field and self.scan.table_row is not None:
            data[self.form.model.rows_field] = self.scan.rows
        return data

    def cell(self, name: str | None, row: int | None = None) -> str | None:
        """Return the A1 cell of a header field, or of a row field in table row ``row`` (0-based)."""
        return self.scan.cell(name, row) if name else None

    def sheet_row(self, row: int) -> int:
        """Return the spreadsheet's 1-based row number of table row ``row`` (0-based)."""
        return self.scan.row_indexes[row] + 1

    @property
    def table_header_row(self) -> int | None:
        """Return the 1-based row of the table's header, if a table was found."""
        return None if self.scan.table_row is None else self.scan.table_row + 1

    @property
    def missing_columns(self) -> list[str]:
        """Return the row fields whose label is not in the table's header row."""
        row_model = self.form.model.row_model()
        if row_model is None or self.scan.table_row is None:
            return []
        return [name for name in row_model.model_fields if name not in self.scan.columns]

    @property
    def unknown_columns(self) -> list[tuple[str, str]]:
        """Return (header text, A1 cell) of each table column that is not a field of the form."""
        row = self.scan.table_row or 0
        return [(text, cell_name(row, column)) for text, column in self.scan.unknown_columns]

    @property
    def repeated_columns(self) -> list[tuple[str, str]]:
        """Return (row field, A1 cell) of each table header label found a second time (its column is ignored)."""
        row = self.scan.table_row or 0
        return [(name, cell_name(row, column)) for name, column in self.scan.repeated_columns]

    def column(self, name: str) -> str | None:
        """Return the letters of the column holding row field ``name``."""
        column = self.scan.columns.get(name)
        return None if column is None else column_letters(column)


def read_workbook(
    path: Path, form: FormSpec | None = None, *, row_sink: Callable[[FormSpec], RowSink] | None = None
) -> Submission:
    """Return the form submitted in the .xlsx at ``path``.

    The form is the one the workbook records in its hidden ``_manualkit`` sheet,
    else ``form``, else the one whose Chinese title is a sheet's title, else the
    one whose labels all appear near the top of a sheet.

    Args:
        path: the workbook (.xlsx/.xlsm, .xls, .xlsb or .ods, whatever its name says).
        form: the form to assume when the workbook does not record its own.
        row_sink: for streaming: called with the form once it is known, returns the function
            each table row is handed to as it is read; the rows are then not kept in the result.
            For a big file it is called while calamine parses the sheet (``opening``), so what it
            sets up costs no time then.

    Raises:
        WorkbookReadError: the file cannot be read (``code`` ``unreadable_file``,
            Chinese reason) or holds no form we can tell (``code`` ``unknown_form``).
    """
    opened = taken_ahead(path, form) or open_book(path, form)
    try:
        sink = row_sink(opened.form) if row_sink else None
        scan = _scan(opened, sink)
    except (WorkbookReadError, FormNotFoundError):
        raise
    except Exception as exc:  # calamine raises many kinds: all mean "cannot read"
        raise unreadable(exc) from exc
    finally:
        opened.close()
    return Submission(path, opened.form, opened.sheet, opened.version, scan)


def _scan(opened: OpenBook, sink: RowSink | None) -> SheetScan:
    values = opened.values()
    named = {field: (cell.row, cell.column) for field, cell in opened.names.items() if cell.sheet == opened.sheet}
    first_column = values.start[1] if values.start else 0
    return scan_sheet(opened.form.model, values.iter_rows(), first_column, named, sink)
