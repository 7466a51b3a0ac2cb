"""Read a submitted workbook (.xlsx, .xls, .xlsb, .ods) into a form's data with the position of every value.

Order of work: the guard refuses unsound files; the defined names come from
``xl/workbook.xml`` (.xlsx only; elsewhere header values are found by label); calamine
reads the values (about ten times faster than openpyxl's read-only mode) including
the hidden ``_manualkit`` sheet that says which form and schema version the workbook is; one pass over the form's sheet
finds the header values and the table (see ``layout``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineSheet, CalamineWorkbook, SheetVisibleEnum

from manualkit.toolkit.errors import FormNotFoundError, WorkbookReadError
from manualkit.toolkit.reader.guard import check_readable
from manualkit.toolkit.reader.layout import RowSink, SheetScan, normalize_label, scan_sheet
from manualkit.toolkit.reader.names import NamedCell, cell_name, column_letters, defined_names
from manualkit.toolkit.registry import FormSpec, all_forms, get_form

RECORD_SHEET = "_manualkit"


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

    Raises:
        WorkbookReadError: the file cannot be read (``code`` ``unreadable_file``,
            Chinese reason) or holds no form we can tell (``code`` ``unknown_form``).
    """
    check_readable(path)
    try:
        names = defined_names(path)
        book = _open_book(path)
        recorded = _record(book)
        chosen = _choose_form(book, recorded, form)
        sheet = _form_sheet(book, chosen, names)
        scan = _scan(book, chosen, sheet, names, row_sink(chosen) if row_sink else None)
    except (WorkbookReadError, FormNotFoundError):
        raise
    except Exception as exc:  # calamine and zipfile raise many kinds: all mean "cannot read"
        detail = f"{type(exc).__name__}: {str(exc)[:120]}"
        raise WorkbookReadError(f"文件已损坏或不是有效的工作簿，无法读取（供技术人员参考：{detail}）") from exc
    return Submission(path, chosen, sheet, recorded.get("version"), scan)


def _open_book(path: Path) -> CalamineWorkbook:
    """Open ``path`` by name, or as a file object if its name is not UTF-8 (GBK names from Windows zips)."""
    try:
        name = str(path).encode("utf-8").decode("utf-8")
    except UnicodeEncodeError:
        with path.open("rb") as handle:
            return CalamineWorkbook.from_filelike(handle)
    return CalamineWorkbook.from_path(name)


def _record(book: CalamineWorkbook) -> dict[str, str]:
    """Return the key/value pairs of the hidden record sheet (empty if there is none)."""
    if RECORD_SHEET not in book.sheet_names:
        return {}
    pairs = book.get_sheet_by_name(RECORD_SHEET).to_python()
    return {str(row[0]).strip(): _plain_text(row[1]) for row in pairs if len(row) >= 2 and row[0] != ""}


def _plain_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _choose_form(book: CalamineWorkbook, recorded: dict[str, str], form: FormSpec | None) -> FormSpec:
    if form_id := recorded.get("form_id"):
        try:
            return get_form(form_id)
        except FormNotFoundError:
            if form is None:
                message = f"工作簿记录的表单“{form_id}”不是已知表单；可用 --form 指定"
                raise WorkbookReadError(message, "unknown_form") from None
    if form is not None:
        return form
    titles = {sheet.strip() for sheet in _visible_sheets(book)}
    for spec in all_forms().values():
        if spec.title in titles:
            return spec
    if by_labels := _form_by_labels(book):
        return by_labels
    shown = "、".join(_visible_sheets(book)) or "（无）"
    raise WorkbookReadError(
        f"无法判断是哪种表单：工作簿不是由本工具的模板生成，工作表名称（{shown}）不是表单名称，"
        "也找不到某个表单的全部栏目；请用 --form 指定",
        "unknown_form",
    )


LABELS_WITHIN_ROWS = 40  # a form's labels are near the top of its sheet


def _form_by_labels(book: CalamineWorkbook) -> FormSpec | None:
    """Return the one form whose labels (its table's, else its header's) all appear on a sheet's top rows."""
    texts = set()
    for name in _visible_sheets(book):
        rows = book.get_sheet_by_name(name).to_python(nrows=LABELS_WITHIN_ROWS)
        texts |= {normalize_label(value) for row in rows for value in row if isinstance(value, str)}
    found = []
    for spec in all_forms().values():
        row_model = spec.model.row_model()
        fields = row_model.model_fields if row_model else spec.model.header_fields()
        if {normalize_label(info.title or name) for name, info in fields.items()} <= texts:
            found.append(spec)
    return found[0] if len(found) == 1 else None


def _visible_sheets(book: CalamineWorkbook) -> list[str]:
    return [m.name for m in book.sheets_metadata if m.name != RECORD_SHEET and m.visible == SheetVisibleEnum.Visible]


def _form_sheet(book: CalamineWorkbook, form: FormSpec, names: dict[str, NamedCell]) -> str:
    """Return the sheet titled as the form, else the one its defined names point at, else the first."""
    sheets = [name for name in book.sheet_names if name != RECORD_SHEET]
    for name in sheets:
        if name.strip() == form.title:
            return name
    targets = [names[field].sheet for field in form.model.model_fields if field in names]
    if targets and targets[0] in sheets:
        return targets[0]
    visible = _visible_sheets(book)
    if not (visible or sheets):
        raise WorkbookReadError("工作簿中没有工作表")
    return (visible or sheets)[0]


def _scan(book: CalamineWorkbook, form: FormSpec, sheet: str, names: dict[str, NamedCell],
          sink: RowSink | None) -> SheetScan:
    values: CalamineSheet = book.get_sheet_by_name(sheet)
    named = {field: (cell.row, cell.column) for field, cell in names.items() if cell.sheet == sheet}
    first_column = values.start[1] if values.start else 0
    return scan_sheet(form.model, values.iter_rows(), first_column, named, sink)
