"""Reading submitted .xlsx workbooks: which form, its values, and the cell of each value.

The public API is small::

    submission = read_workbook(path, form=None)   # raises WorkbookReadError
    check_record(submission.form, submission.data(), policy)
    submission.cell("manager")                    # "B3": a header field's cell
    submission.cell("left_at", 4)                 # "C12": a row field's cell in table row 4 (0-based)
    submission.sheet_row(4)                       # 12: that row's spreadsheet row number

    # Streaming, for big books: each table row goes to a sink as it is read, nothing is kept.
    read_workbook(path, row_sink=lambda form: rows_of(form).append)

``fill`` (an .xlsx as data), the round-trip tests and the monthly report use it
as well as ``validate``. This package never imports openpyxl: values come from
calamine, defined names from ``xl/workbook.xml`` through defusedxml, and a
guard refuses corrupt, hostile or absurdly large files before any parsing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from manualkit.toolkit.errors import WorkbookReadError
from manualkit.toolkit.lazy import imported_when_asked
from manualkit.toolkit.reader.guard import check_readable

if TYPE_CHECKING:
    from manualkit.toolkit.reader.layout import normalize_label
    from manualkit.toolkit.reader.workbook import RECORD_SHEET, Submission, read_workbook

__all__ = ["RECORD_SHEET", "Submission", "WorkbookReadError", "check_readable", "normalize_label", "read_workbook"]

# Imported when first asked for: the guard and ``opening`` import no pydantic, and a worker
# process uses them before it loads the checks (``manualkit.toolkit.validate.ahead``).
_LATER = {"RECORD_SHEET": "opening", "Submission": "workbook", "read_workbook": "workbook",
          "normalize_label": "layout"}

__getattr__ = imported_when_asked(__name__, _LATER)
