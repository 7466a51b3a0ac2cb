"""Annotated copies of invalid submissions, to hand back to the person who filled them.

The copy has a summary sheet at the front listing every finding, and on the
form's sheet each faulty cell is filled (red for errors, yellow for warnings)
and carries the messages as a cell comment. The submitted file is only read;
the copy is written atomically. A plain workbook (most submissions) is copied by
editing its XML (``xml_copy``: only the marked cells, the comments and the summary
change); any other is opened and saved with openpyxl, the validate engine's one use
of it: it keeps the workbook's formatting, which the value reader does not.

The copy goes back to people, so it holds values, never the submitter's formulas
(``HYPERLINK``, DDE) or links to other workbooks. A workbook the value reader took
but openpyxl cannot open gets a copy holding the summary sheet alone.
"""

from __future__ import annotations

import io
import re
import warnings
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from copy import copy
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from manualkit.schemas._rules import SEVERITY_WORDS, Severity
from manualkit.toolkit.errors import Issue
from manualkit.toolkit.explain import explain_os_error
from manualkit.toolkit.files import atomic_output, printable, safe_filename
from manualkit.toolkit.isolate import ProcessDied
from manualkit.toolkit.textwidth import display_width
from manualkit.toolkit.validate.collect import ANNOTATED_SUFFIX
from manualkit.toolkit.validate.copies import open_copy
from manualkit.toolkit.validate.findings import FileReport
from manualkit.toolkit.validate.pool import Task, Workers
from manualkit.toolkit.validate.xml_copy import Mark, Summary, edited_copy
from manualkit.toolkit.validate.xml_styles import BORDER_COLOR, FILLS

SUMMARY_SHEET = "校验结果"
_ISO_TIME = re.compile(r"(\d{4}-\d{2}-\d{2}T)?\d{2}:\d{2}(:\d{2})?")  # a date-time or a time, as JSON has it
_FILLS = {severity: PatternFill("solid", fgColor=FILLS[severity.value]) for severity in Severity}
# The summary's columns: title, width (in characters of the default font), wrapped. The internal
# code comes last and narrow: the rule's Chinese name and the clause are what a person reads.
_COLUMNS = [("单元格", 7, False), ("行", 5, False), ("项目", 12, True), ("级别", 6, False), ("规则", 14, True),
            ("说明", 44, True), ("依据", 10, True), ("填写内容", 14, True), ("代码", 10, True)]
_HEADER_ROW = 4
_LINE_HEIGHT = 15.6  # points per line of 11-point text, CJK glyphs included
_THIN = Side(style="thin", color=BORDER_COLOR)
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


COPY_DIED = "写批注副本的进程异常退出（工作簿可能过大或内容异常），这份副本未写出；校验结果不受影响"


FolderOf = Callable[[Path], Sequence[str]]  # the sub-folder (its parts) a file's copy goes into


def under_roots(roots: Sequence[Path]) -> FolderOf:
    """Return the sub-folder a file has in the first of ``roots`` (folders) it is found in; () for the others."""
    folders = [root for root in roots if root.is_dir()]
    return lambda path: next((path.parent.relative_to(root).parts for root in folders if path.is_relative_to(root)),
                             ())


def annotate_all(reports: list[FileReport], outdir: Path,
                 on_error: Callable[[FileReport, str], None] | None = None,
                 folder_of: FolderOf | None = None) -> list[Path]:
    """Write an annotated copy of every invalid, readable file into ``outdir``; return their paths.

    A copy that cannot be written (a full disk, no permission) is told to ``on_error`` with the
    Chinese reason, and the other copies are still written; without ``on_error`` it raises.
    """
    copies = CopyWriter(outdir, folder_of, on_error=on_error)
    for report in reports:
        copies.add(report)
    return copies.finish()


class CopyWriter:
    """Writes the annotated copy of each invalid file handed to ``add``, on the batch's workers when given.

    A report is handed in once it is final (the month's findings and the duplicate warnings in),
    so a batch's copies are written while its other files are still being validated. Each copy
    goes into the sub-folder of ``outdir`` that ``folder_of`` gives for its file (the folder it
    has in the folder that was checked: ``under_roots``), by default ``outdir`` itself. A copy
    that cannot be written, or whose process dies, is told to ``on_error`` and costs only itself;
    without ``on_error`` the ``OSError`` is raised (only when the copies are written here, without
    workers).
    """

    def __init__(self, outdir: Path, folder_of: FolderOf | None = None, workers: Workers | None = None,
                 on_error: Callable[[FileReport, str], None] | None = None) -> None:
        self.outdir, self.workers, self.on_error = outdir, workers, on_error
        self.folder_of = folder_of or (lambda _path: ())
        self.written: list[Path] = []
        self._taken: set[tuple[str, ...]] = set()
        self._pending: deque[tuple[FileReport, Path, Task[str | None]]] = deque()
        self._unmade: OSError | None = None  # the folder could not be made: no copy is written

    def add(self, report: FileReport) -> None:
        """Write (or hand to the workers) the copy of ``report``'s file if it is invalid and was read."""
        if report.valid or report.form is None or not self._folder_made():
            return
        out = self._place(report.path)
        if self.workers is None:
            try:
                self.written.append(annotate(report, out))
            except OSError as exc:
                if self.on_error is None:
                    raise
                self.on_error(report, explain_os_error(exc))
            return
        self._pending.append((report, out, self.workers.submit(write_copy, report, out)))
        while self._pending and self.workers.done(self._pending[0][2]):
            self._settle(*self._pending.popleft())

    def finish(self) -> list[Path]:
        """Wait for the copies still being written; return the paths written, in the order handed in.

        Raises:
            OSError: ``outdir`` could not be made (told once, after the report).
        """
        while self._pending:
            self._settle(*self._pending.popleft())
        if self._unmade is not None:
            raise self._unmade
        return self.written

    def _folder_made(self) -> bool:
        """Make ``outdir`` for the first copy; a folder that cannot be made stops them all, once."""
        if self._unmade is not None:
            return False
        try:
            self.outdir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._unmade = exc
            return False
        return True

    def _settle(self, report: FileReport, out: Path, task: Task[str | None]) -> None:
        assert self.workers is not None
        try:
            trouble = self.workers.result(task)
        except ProcessDied:
            trouble = COPY_DIED
        if trouble is None:
            self.written.append(out)
        elif self.on_error is not None:
            self.on_error(report, trouble)

    def _place(self, path: Path) -> Path:
        """Return where the copy of ``path`` goes: its sub-folder mirrored, a name no other copy has."""
        folder = tuple(safe_filename(part) for part in self.folder_of(path))
        stem = safe_filename(path.stem, 160)
        name, number = f"{stem}{ANNOTATED_SUFFIX}.xlsx", 2
        while (*folder, name) in self._taken:
            name, number = f"{stem}{ANNOTATED_SUFFIX}_{number}.xlsx", number + 1
        self._taken.add((*folder, name))
        return self.outdir.joinpath(*folder, name)


def write_copy(report: FileReport, out: Path) -> str | None:
    """Write ``report``'s annotated copy to ``out`` (run on a worker); return why it could not be, or None."""
    try:
        annotate(report, out)
    except OSError as exc:
        return explain_os_error(exc)
    return None


def annotate(report: FileReport, out: Path) -> Path:
    """Write ``report``'s file to ``out`` with its findings marked; return ``out``.

    Raises:
        OSError: the copy cannot be written (reading the submission never raises).
    """
    data = _edited(report) or _by_openpyxl(report)
    with atomic_output(out) as temporary:
        temporary.write_bytes(data)
    return out


def _by_openpyxl(report: FileReport) -> bytes:
    """Return the copy openpyxl makes (or, if it cannot open the file, a workbook of the findings alone)."""
    try:
        book = open_copy(report.path)
        if report.sheet in book.sheetnames:
            _mark_cells(book[report.sheet], report.issues)
        _add_summary(book, report)
        return _saved(book)
    except Exception as exc:  # openpyxl fails in many ways on files the value reader took: keep the findings
        book = Workbook()
        book.remove(book.worksheets[0])  # the sheet a new workbook starts with
        _add_summary(book, report, type(exc).__name__)
        return _saved(book)


def _edited(report: FileReport) -> bytes | None:
    """Return the copy made by editing the workbook's XML (``xml_copy``), or None where openpyxl must make it."""
    try:
        data = report.path.read_bytes()
    except OSError:
        return None
    if not data.startswith(b"PK"):
        return None
    rows = summary_rows(report)
    widths = [width for _, width, _ in _COLUMNS]
    wrapped = [wrap for _, _, wrap in _COLUMNS]
    heights = {number: _row_lines(row) * _LINE_HEIGHT
               for number, row in enumerate(rows, start=1) if number >= _HEADER_ROW}
    summary = Summary(SUMMARY_SHEET, rows, widths, wrapped, _HEADER_ROW, heights)
    marks = [Mark(cell, "error" if worst is Severity.ERROR else "warning", text, height)
             for cell, worst, text, height in _comments(report.issues)]
    try:
        edited = edited_copy(data, report.sheet, marks, summary)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            load_workbook(io.BytesIO(edited), read_only=True).close()  # parts openpyxl would refuse: its own copy
    except Exception:  # not plain (NotPlain), or parts openpyxl refuses: openpyxl makes that copy
        return None
    return edited


def _saved(book: Workbook) -> bytes:
    """Return the workbook's file, made in memory (openpyxl leaves its zip open when a disk fills)."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()



def _mark_cells(sheet: Worksheet, issues: list[Issue]) -> None:
    for coordinate, worst, text, height in _comments(issues):
        cell = sheet[coordinate]
        cell.fill = _FILLS[worst]
        cell.comment = Comment(text, "manualkit", height=height, width=320)


def _comments(issues: list[Issue]) -> list[tuple[str, Severity, str, int]]:
    """Return each faulty cell with its worst severity, its comment's text and height (pixels)."""
    by_cell: dict[str, list[Issue]] = defaultdict(list)
    for issue in issues:
        if issue.cell:
            by_cell[issue.cell].append(issue)
    found = []
    for coordinate, issues_there in by_cell.items():
        worst = Severity.ERROR if any(i.severity is Severity.ERROR for i in issues_there) else Severity.WARNING
        text = "\n".join(comment_line(issue) for issue in issues_there)
        lines = sum(_lines(comment_line(issue), 40) for issue in issues_there)
        found.append((coordinate, worst, ILLEGAL_CHARACTERS_RE.sub("", text), 30 + 20 * lines))
    return found


def comment_line(issue: Issue) -> str:
    """Return a finding as its cell's comment says it: severity, rule, message and clause."""
    return f"{SEVERITY_WORDS[issue.severity]}（{issue.name}）：{issue.cited}"


def _add_summary(book: Workbook, report: FileReport, trouble: str | None = None) -> None:
    sheet = book.create_sheet(SUMMARY_SHEET, 0)
    for number, row in enumerate(summary_rows(report, trouble), start=1):
        if number == _HEADER_ROW:
            sheet.append(row)
        else:
            _append_text(sheet, row)
    _style_summary(sheet)
    book.active = 0
    for other in book.worksheets[1:]:
        other.sheet_view.tabSelected = False


def summary_rows(report: FileReport, trouble: str | None = None) -> list[list[str | int]]:
    """Return the summary sheet's rows: the file and form, the verdict, the trouble if any, the header, the findings."""
    errors, warnings_ = report.count(Severity.ERROR), report.count(Severity.WARNING)
    rows: list[list[str | int]] = [
        [f"{printable(report.path.name)}：{report.form.title if report.form else ''}"],
        [f"结论：无效，{errors} 个错误、{warnings_} 个警告。请按下表修改，标红的单元格为错误，标黄的为警告。"],
        [f"原工作簿无法打开（{trouble}），此副本只列出问题；请按单元格位置在原文件中修改。"] if trouble else [],
        [title for title, _, _ in _COLUMNS],
    ]
    rows += [[issue.cell or "", issue.row or "", issue.label or "", SEVERITY_WORDS[issue.severity], issue.name,
              issue.message, issue.clause or "—", shown_value(issue.value), issue.code] for issue in report.issues]
    return [[ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value for value in row]
            for row in rows]


def _row_lines(row: Sequence[object]) -> int:
    """Return how many lines the summary row's tallest wrapped cell takes."""
    return max([1] + [_lines(str(value), width) for value, (_, width, wrapped) in zip(row, _COLUMNS, strict=False)
                      if wrapped])


def shown_value(value: object) -> str:
    """Return a finding's value as the person typed or reads it: 是/否, ``2026-11-03 09:30``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    text = str(value)
    if _ISO_TIME.fullmatch(text):
        return text.replace("T", " ").removesuffix(":00")
    return text


def _append_text(sheet: Worksheet, values: list[str | int]) -> None:
    """Append a row whose texts stay texts (a value typed as ``=1+1`` is not a formula here)."""
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)  # summary_rows has taken out what a cell cannot hold
        if isinstance(value, str):
            cell.data_type = "s"
        cells.append(cell)
    sheet.append(cells)


def _style_summary(sheet: Worksheet) -> None:
    """Lay the summary out to print on A4 landscape: wrapped texts, rows as tall as their text, borders."""
    sheet["A1"].font = Font(bold=True, size=14)
    for index, (_, width, _) in enumerate(_COLUMNS, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    # Each look (header or not, wrapped or not) is made once and copied: openpyxl's style
    # setters look each one up again, which was a fifth of a copy's time.
    looks: dict[tuple[bool, bool], StyleArray] = {}
    for number, row in enumerate(sheet.iter_rows(min_row=_HEADER_ROW), start=_HEADER_ROW):
        for cell, (_, _, wrapped) in zip(row, _COLUMNS, strict=False):
            look = (number == _HEADER_ROW, wrapped)
            if look in looks:
                _give_look(cell, looks[look])
            else:
                cell.border = _BORDER
                cell.alignment = Alignment(wrap_text=wrapped, vertical="top",
                                           horizontal="center" if not wrapped else None)
                if number == _HEADER_ROW:
                    cell.font = Font(bold=True)
                looks[look] = _look_of(cell)
        texts = ["" if cell.value is None else cell.value for cell in row]
        sheet.row_dimensions[number].height = _row_lines(texts) * _LINE_HEIGHT
    sheet.freeze_panes = f"A{_HEADER_ROW + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW}"
    sheet.print_options.gridLines = False


def _look_of(cell: Any) -> StyleArray:
    """Return a copy of the cell's style (openpyxl's ``_style``, which its type stubs do not show)."""
    look: StyleArray = copy(cell._style)
    return look


def _give_look(cell: Any, look: StyleArray) -> None:
    cell._style = copy(look)


def _lines(text: str, width: int) -> int:
    """Return how many lines ``text`` takes wrapped in a column ``width`` characters wide.

    A column's width counts characters of the default font; a Chinese character takes two,
    and a little room goes to the cell's margins, so a line holds ``width - 1`` places.
    """
    room = max(width - 1, 1)
    return sum(max(1, -(-display_width(part) // room)) for part in text.split("\n"))
