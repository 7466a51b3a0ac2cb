"""Open a submitted workbook: guard it, tell its form and sheet, and start reading that sheet's values.

The sheet's values are read by calamine in a thread of its own (``OpenBook.values``): calamine
lets go of the interpreter while it parses, so whatever the caller does next (importing the
checks, compiling the row validators) runs meanwhile on the other core. Nothing here imports
pydantic, so that a worker process can have the guard's verdict and the parse under way before
it loads the checks. The guard (``check_readable``) has said yes before calamine sees the file.

``read_ahead`` does this for the next ``read_workbook`` of the same file in this process
(a worker's task: see ``manualkit.toolkit.validate.ahead``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineSheet, CalamineWorkbook, SheetVisibleEnum

from manualkit.toolkit.errors import FormNotFoundError, WorkbookReadError
from manualkit.toolkit.reader.guard import check_readable
from manualkit.toolkit.reader.names import NamedCell, defined_names
from manualkit.toolkit.registry import FormSpec, all_forms, get_form

RECORD_SHEET = "_manualkit"
LABELS_WITHIN_ROWS = 40  # a form's labels are near the top of its sheet
PARSE_AHEAD_FROM = 256 * 1024  # bytes: a smaller file's sheet is parsed when asked for, not in a thread


@dataclass(eq=False, slots=True)
class OpenBook:
    """A workbook the guard passed, its form and form sheet told, that sheet's values being read."""

    path: Path
    form: FormSpec
    sheet: str
    version: str | None  # the schema version the workbook records
    names: dict[str, NamedCell]
    _parse: _Parse = field(repr=False)

    def values(self) -> CalamineSheet:
        """Return the form sheet's values, waiting for the parse.

        Raises:
            WorkbookReadError: calamine could not read the sheet.
        """
        return self._parse.result()

    def close(self) -> None:
        """Let go of the book once done with it, or given up (waiting for a parse under way)."""
        self._parse.close()


class _Parse:
    """``book.get_sheet_by_name(sheet)``, in a thread when ``ahead``; nothing else touches ``book`` meanwhile.

    A small file is parsed when its values are asked for, in the caller's thread: there is
    little to do meanwhile, and a thread costs about 0.2 ms (a folder of small files). A thread
    that cannot be started (a process at its limit) leaves the parse to be done so too.
    """

    def __init__(self, book: CalamineWorkbook, sheet: str, ahead: bool) -> None:
        self.book, self.sheet = book, sheet
        self.found: CalamineSheet | None = None
        self.failed: Exception | None = None
        self.thread: threading.Thread | None = None
        if ahead:
            thread = threading.Thread(target=self._run, name="calamine", daemon=True)
            try:
                thread.start()
            except RuntimeError:  # "can't start new thread"
                return
            self.thread = thread

    def _run(self) -> None:
        try:
            self.found = self.book.get_sheet_by_name(self.sheet)
        except Exception as exc:  # raised where the values are asked for
            self.failed = exc

    def result(self) -> CalamineSheet:
        if self.thread is not None:
            self.thread.join()
        elif self.found is None and self.failed is None:
            self.found = self.book.get_sheet_by_name(self.sheet)  # what it raises is the caller's to turn
        if self.failed is not None:
            raise unreadable(self.failed) from self.failed
        assert self.found is not None
        return self.found

    def close(self) -> None:
        """Wait for a parse under way (it cannot be stopped), so that no two books are held at once."""
        if self.thread is not None:
            self.thread.join()
        self.found = None


def open_book(path: Path, form: FormSpec | None = None) -> OpenBook:
    """Return the workbook at ``path`` opened, its form sheet's values being read (see ``read_workbook``).

    Raises:
        WorkbookReadError: the guard refuses the file, it cannot be read, or its form cannot be told.
    """
    check_readable(path)
    try:
        names = defined_names(path)
        book = _open_calamine(path)
        recorded = _record(book)
        chosen = _choose_form(book, recorded, form)
        sheet = _form_sheet(book, chosen, names)
        ahead = path.stat().st_size >= PARSE_AHEAD_FROM
    except (WorkbookReadError, FormNotFoundError):
        raise
    except Exception as exc:  # calamine and zipfile raise many kinds: all mean "cannot read"
        raise unreadable(exc) from exc
    return OpenBook(path, chosen, sheet, recorded.get("version"), names, _Parse(book, sheet, ahead))


def unreadable(exc: BaseException) -> WorkbookReadError:
    """Return the finding for a workbook whose reading raised ``exc`` (corrupt, not a workbook)."""
    if isinstance(exc, WorkbookReadError):
        return exc
    detail = f"{type(exc).__name__}: {str(exc)[:120]}"
    return WorkbookReadError(f"文件已损坏或不是有效的工作簿，无法读取（供技术人员参考：{detail}）")


_ahead: list[tuple[Path, FormSpec | None, OpenBook | Exception]] = []  # at most one: the file read ahead


def read_ahead(path: Path, form: FormSpec | None = None) -> None:
    """Open ``path`` now, for the next ``read_workbook(path, form)`` in this process (never raises).

    What opening raised is raised there instead, so the file's finding is the same.
    """
    try:
        opened: OpenBook | Exception = open_book(path, form)
    except Exception as exc:
        opened = exc
    _ahead[:] = [(path, form, opened)]


def taken_ahead(path: Path, form: FormSpec | None) -> OpenBook | None:
    """Return the book ``read_ahead`` opened for ``(path, form)``, once; ``None`` if it did not.

    Whatever was read ahead is let go of here: a book opened for another file is not kept.

    Raises:
        Exception: what opening it raised.
    """
    if not _ahead:
        return None
    ahead_path, ahead_form, opened = _ahead.pop()
    if ahead_path != path or ahead_form != form:
        if isinstance(opened, OpenBook):
            opened.close()
        return None
    if isinstance(opened, Exception):
        raise opened
    return opened


def forget_ahead() -> None:
    """Let go of a book read ahead and not taken (its task failed before reading it)."""
    while _ahead:
        opened = _ahead.pop()[2]
        if isinstance(opened, OpenBook):
            opened.close()


def _open_calamine(path: Path) -> CalamineWorkbook:
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


def _form_by_labels(book: CalamineWorkbook) -> FormSpec | None:
    """Return the one form whose labels (its table's, else its header's) all appear on a sheet's top rows."""
    from manualkit.toolkit.reader.layout import normalize_label  # the models are needed here anyway

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
