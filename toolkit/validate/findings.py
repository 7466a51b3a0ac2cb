"""One submitted file → its findings, each at its sheet, cell, row and field, in Chinese.

The record's type and rule checks are ``check_record``'s, done row by row as the
reader streams the table (``manualkit.toolkit.records.StreamedCheck``); this module adds what
only a workbook can have wrong (missing or unknown columns, an older template,
a code Excel stored as a number) and puts every finding at its cell.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, deque
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import repeat
from operator import attrgetter
from pathlib import Path
from typing import Any

from manualkit.schemas._base import FormSchema, Severity, Violation
from manualkit.schemas._policy import DEFAULT_POLICY, Policy
from manualkit.toolkit.errors import CATALOGUE, GENERAL, Issue, WorkbookReadError
from manualkit.toolkit.files import printable
from manualkit.toolkit.jsontext import Columns, dumps, no_cycle_collection
from manualkit.toolkit.month.provenance import MonthPart, Source
from manualkit.toolkit.reader import Submission, read_workbook
from manualkit.toolkit.reader.names import column_index
from manualkit.toolkit.records import StreamedCheck
from manualkit.toolkit.registry import FormSpec
from manualkit.toolkit.validate.duplicates import content_key, period_key


@dataclass(frozen=True, slots=True)
class FileReport:
    """The findings of one file; ``form`` is ``None`` when the file could not be read as a form."""

    path: Path
    form: FormSpec | None
    issues: list[Issue] = field(default_factory=list)
    sheet: str | None = None
    manager: str | None = None  # the account manager the form names, as typed (for summaries)
    content: str | None = None  # digest of the file's bytes, and the (form, manager, period) it covers:
    period: tuple[str, str, str] | None = None  # how ``duplicates`` tells a submission handed in twice
    # A valid record of a form with a part in the month, slimmed to what the month reads, with where
    # it was read: what the month engine (``manualkit.toolkit.month``) takes, so that no file is read twice.
    month: MonthPart | None = None

    @property
    def valid(self) -> bool:
        """Return whether the file was read and nothing error-severity was found."""
        return self.form is not None and not any(i.severity is Severity.ERROR for i in self.issues)

    def at(self, path: Path) -> FileReport:
        """Return this report for the same file found at ``path`` (a cached entry, a copy a worker validated)."""
        return replace(self, path=path, month=self.month.at(str(path)) if self.month else None)

    def count(self, severity: Severity) -> int:
        """Return how many findings have ``severity``."""
        return sum(1 for issue in self.issues if issue.severity is severity)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickle the findings as columns, one list per attribute: a worker may send back 100,000 of one file.

        Lists of plain values pickle at the C pickler's pace, and the values findings share
        (code, sheet, field, label, clause) go once; rebuilt where they arrive (``_unpacked``).
        """
        with no_cycle_collection():
            columns = tuple(list(map(value_of, self.issues)) for value_of in _ISSUE_VALUES)
        return (_unpacked, (self.path, self.form, columns, self.sheet, self.manager, self.content,
                            self.period, self.month))

    def flatten(self, *keys: str) -> list[tuple[Any, ...]]:
        """Return the chosen attributes of every finding, as rows of a table (for tests and reports)."""
        return [tuple(getattr(issue, key) for key in keys) for issue in self.issues]

    def as_json(self, shown_path: str | None = None) -> dict[str, Any]:
        """Return the file's entry of the documented ``validate --format json`` output."""
        with no_cycle_collection():  # a finding's dict each: 100,000 of them would set off collection after collection
            errors = [issue.as_json() for issue in self.issues]
        return {**self.as_json_head(shown_path), "errors": errors}


    def json_text(self, level: int = 0) -> str:
        """Return ``jsontext.dumps(self.as_json(), level=level)``: the findings written as columns, no dict each."""
        with no_cycle_collection():
            columns = Columns(_JSON_KEYS, tuple(list(map(value_of, self.issues)) for value_of in _JSON_VALUES))
            entry = {**self.as_json_head(), "errors": columns}
            return dumps(entry, level=level)

    def as_json_head(self, shown_path: str | None = None) -> dict[str, Any]:
        """Return the file's JSON entry without its findings (``as_json`` adds them as ``errors``)."""
        return {"path": shown_path or printable(str(self.path)), "form": self.form.form_id if self.form else None,
                "valid": self.valid}


_ISSUE_FIELDS = tuple(f.name for f in dataclasses.fields(Issue))
_ISSUE_VALUES = tuple(map(attrgetter, _ISSUE_FIELDS))
# A finding's keys in the JSON output (``Issue.as_json``), each with how its value is read off the finding.
_JSON_KEYS = ("code", "severity", "message", "sheet", "cell", "row", "field", "label", "value", "clause")
_JSON_VALUES = tuple(
    (lambda issue: str(issue.severity)) if key == "severity" else attrgetter(key) for key in _JSON_KEYS)


def _unpacked(path: Path, form: FormSpec | None, columns: tuple[list[Any], ...], *rest: Any) -> FileReport:
    """Return the report ``FileReport.__reduce__`` packed, its findings rebuilt from their columns.

    Each finding is made as ``Issue(...)`` makes it (every field set), a field at a time over all of
    them in C (``map``): 100,000 findings come back from one file.
    """
    with no_cycle_collection():
        issues = list(map(object.__new__, repeat(Issue, len(columns[0]) if columns else 0)))
        for name, values in zip(_ISSUE_FIELDS, columns, strict=True):
            deque(map(object.__setattr__, issues, repeat(name), values), 0)
    return FileReport(path, form, issues, *rest)


def validate_file(path: Path, form: FormSpec | None = None, policy: Policy = DEFAULT_POLICY) -> FileReport:
    """Return every finding in the workbook at ``path``; never raises for a bad file.

    Args:
        path: the submitted workbook (.xlsx, .xls, .xlsb, .ods).
        form: the form to assume when the workbook does not record its own (when it records
            another, that one is used and a ``form_mismatch`` warning says so).
        policy: the manual's numbers.
    """
    with no_cycle_collection():
        return _validated(path, form, policy)


def _validated(path: Path, form: FormSpec | None, policy: Policy) -> FileReport:
    checks = _CheckWhileReading(policy)
    try:
        submission = read_workbook(path, form, row_sink=checks)
        check = checks.of(submission.form)
        checked = check.finish(submission.scan.header, table_found=submission.table_header_row is not None)
    except WorkbookReadError as exc:
        return FileReport(path, None, [file_issue(exc.code, str(exc))])
    issues = _form_issues(submission, form) + _workbook_issues(submission)
    locate = _Locator(submission)
    explained = _Explained(submission)
    issues += [locate(v) for v in checked.violations if not explained(v)]
    issues += _numeric_code_issues(submission, check)
    manager = submission.scan.header.get("manager")
    valid = not any(issue.severity is Severity.ERROR for issue in issues)
    return FileReport(path, submission.form, sorted(issues, key=sheet_order), submission.sheet,
                      str(manager).strip() if manager is not None else None, content_key(path),
                      period_key(checked.record), _month_part(submission, check, checked.record) if valid else None)


def _month_part(submission: Submission, check: StreamedCheck, record: FormSchema | None) -> MonthPart | None:
    """Return what the month engine needs of a valid record: what the rules read of it, and where its values are."""
    if submission.form.model.month_role is None or record is None:
        return None
    model = submission.form.model
    row_model = model.row_model()
    columns = {name: letters for name in (row_model.model_fields if row_model else ())
               if (letters := submission.column(name))}
    header: dict[tuple[int | None, str], str] = {
        (None, name): cell for name in model.header_fields() if (cell := submission.cell(name))}
    rows = tuple(submission.sheet_row(index) for index in check.kept) if row_model else ()
    source = Source(str(submission.path), submission.sheet, rows=rows, columns=columns, cells=header)
    return MonthPart.of(record, source)


class _CheckWhileReading:
    """The reader's row sink: once the reader knows the form, each table row goes to its check."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.check: StreamedCheck | None = None

    def __call__(self, form: FormSpec) -> StreamedCheck:
        self.check = StreamedCheck(form, self.policy)
        return self.check  # a row sink that also reads the table's cells itself (``table_reader``)

    def of(self, form: FormSpec) -> StreamedCheck:
        """Return the check the rows went to (a fresh one if the sheet had no table to stream)."""
        return self.check or StreamedCheck(form, self.policy)


def file_issue(code: str, message: str) -> Issue:
    """Return a finding about the whole file, with the catalogue's severity for ``code``."""
    return Issue(code=code, severity=CATALOGUE[code].severity, message=message, clause=CATALOGUE[code].clause)


def _form_issues(submission: Submission, given: FormSpec | None) -> list[Issue]:
    """Warn when ``--form`` names another form than the one the workbook records (the recorded one wins).

    The reader takes ``given`` only for a workbook that records no form it knows,
    so a form read other than ``given`` is always the recorded one.
    """
    read = submission.form
    if given is None or read.form_id == given.form_id:
        return []
    return [Issue(code="form_mismatch", severity=CATALOGUE["form_mismatch"].severity, sheet=submission.sheet,
                  value=given.form_id, clause=CATALOGUE["form_mismatch"].clause, message=(
                      f"--form 指定的是“{given.title}”，但本工作簿记录的表单是“{read.title}”"
                      f"（隐藏的 _manualkit 工作表）；已按“{read.title}”校验"))]


def _workbook_issues(submission: Submission) -> list[Issue]:
    """Return findings about the workbook's shape: template version, table header, columns."""
    model, found = submission.form.model, []

    def issue(code: str, message: str, **where: Any) -> Issue:
        rule = CATALOGUE[code]
        return Issue(code=code, severity=rule.severity, message=message, sheet=submission.sheet,
                     clause=model.clause_of(where.get("field")), **where)

    if submission.version and submission.version != model.version:
        found.append(issue("old_template", (
            f"本文件由第 {submission.version} 版模板填写，当前模板为第 {model.version} 版；请改用当前模板")))
    row_model, header_row = model.row_model(), submission.table_header_row
    if row_model is not None and header_row is None:
        labels = "、".join(f"“{info.title}”" for info in row_model.model_fields.values())
        found.append(issue("missing_column", (
            f"找不到“{model.label(model.rows_field or '')}”表格的标题行：应有一行依次写着 {labels}")))
    for name in submission.missing_columns:
        label = row_model.label(name) if row_model else name  # (only a table has columns)
        found.append(issue("missing_column", f"第{header_row}行表格标题缺少“{label}”列",
                           row=header_row, field=name, label=label))
    for name, cell in submission.repeated_columns:
        label, first = row_model.label(name) if row_model else name, submission.column(name)
        found.append(issue("unknown_field", f"“{label}”列重复出现，已按第一个“{label}”列（{first} 列）读取，此列忽略",
                           cell=cell, row=header_row, field=name, label=label, value=label))
    for text, cell in submission.unknown_columns:
        found.append(issue("unknown_field", f"“{text}”列不是本表单的项目，已忽略",
                           cell=cell, row=header_row, label=text, value=text))
    return found


class _Explained:
    """Whether a workbook finding already explains a violation (a missing column or table)."""

    def __init__(self, submission: Submission) -> None:
        self.rows_field = submission.form.model.rows_field
        self.no_table = submission.table_header_row is None
        self.missing = frozenset(submission.missing_columns)

    def __call__(self, violation: Violation) -> bool:
        """Return whether ``violation`` is explained by a missing table or column."""
        if violation.row is None:
            return violation.field == self.rows_field and self.no_table
        return violation.code == "missing_required" and violation.field in self.missing


def _locate(submission: Submission, violation: Violation) -> Issue:
    """Return ``violation`` as a finding at its cell, with the spreadsheet's row in the message."""
    model, name, row = submission.form.model, violation.field, violation.row
    in_table = row is not None
    owner = model.row_model() if in_table else model
    cell = submission.cell(name, row) if name and owner and name in owner.model_fields else None
    sheet_row = submission.sheet_row(row) if row is not None else _row_of(cell)
    value = None if violation.code == "missing_required" else violation.value  # pydantic's "input" is the row
    label = owner.label(name) if owner and name in owner.model_fields else None
    message = f"第{sheet_row}行{violation.message}" if in_table else violation.message
    return Issue(code=violation.code, severity=violation.severity, message=message, sheet=submission.sheet,
                 cell=cell, row=sheet_row, field=name, label=label, value=value,
                 clause=violation.clause or model.clause_of(name), title=violation.title)


class _Locator:
    """``_locate`` for many findings of one file: what each field's findings share is looked up once."""

    def __init__(self, submission: Submission) -> None:
        self.submission = submission
        self.sheet = submission.sheet
        self.row_indexes = submission.scan.row_indexes
        self.fields: dict[str | None, tuple[str | None, str | None, str]] = {}

    def __call__(self, violation: Violation) -> Issue:
        """Return ``violation`` as a finding at its cell, as ``_locate`` does."""
        row = violation.row
        if row is None or violation.code == "missing_required":
            return _locate(self.submission, violation)
        fields = violation.fields
        name = fields[0] if fields else None
        known = self.fields.get(name)
        if known is None:
            known = self.fields[name] = self._field(name)
        letters, label, clause = known
        sheet_row = self.row_indexes[row] + 1
        return Issue(code=violation.code, severity=violation.severity, message=f"第{sheet_row}行{violation.message}",
                     sheet=self.sheet, cell=f"{letters}{sheet_row}" if letters else None, row=sheet_row,
                     field=name, label=label, value=violation.value, clause=violation.clause or clause,
                     title=violation.title)

    def _field(self, name: str | None) -> tuple[str | None, str | None, str]:
        """Return a table field's column letters, label and clause (``None``s for what is not a table field)."""
        model = self.submission.form.model
        owner = model.row_model()
        if name and owner is not None and name in owner.model_fields:
            return self.submission.column(name), owner.label(name), model.clause_of(name)
        return None, None, model.clause_of(name)


def _numeric_code_issues(submission: Submission, check: StreamedCheck) -> list[Issue]:
    """Warn where a code stored as a number is shorter than the column's usual codes (lost zeros)."""
    found: list[Issue] = []
    usual: dict[str, int] = {}
    row_model = submission.form.model.row_model()
    for name, row in submission.scan.numeric_codes:
        code = check.row_value(row, name) if row is not None else None
        if code is None or row_model is None:  # (a row means a table, so a row model)
            continue
        if name not in usual:
            usual[name] = _usual_length(check, name, submission.scan.numeric_codes)
        if len(code) < usual[name]:
            found.append(_locate(submission, GENERAL.code_as_number(
                f"“{row_model.label(name)}”是数字格式的 {code}，比其他编码少"
                f" {usual[name] - len(code)} 位，开头的 0 可能已被 Excel 去掉；请把该列设为文本格式后重新填写",
                name, row=row, value=code)))
    return found


def _usual_length(check: StreamedCheck, name: str, numeric_codes: list[tuple[str, int | None]]) -> int:
    """Return the most common length of column ``name``'s codes, judged by the codes typed as text.

    The codes stored as numbers are the suspects: when most rows lost their zeros, their
    length must not become the usual one (all rows count only if none was typed as text).
    """
    suspects = {row for code_name, row in numeric_codes if code_name == name}
    lengths = [len(getattr(row, name) or "") for row in check.rows]
    typed = [length for length, index in zip(lengths, check.kept, strict=True) if index not in suspects]
    return Counter(typed or lengths).most_common(1)[0][0]


def sheet_order(issue: Issue) -> tuple[int, int, int]:
    """Return the place of ``issue`` as a sheet reads: whole-file findings first, then by row and column.

    ``validate`` orders each file's findings by it; the cross-form findings added to a file
    (``manualkit.toolkit.validate.month``) are merged in by it too.
    """
    if issue.row is None:
        return (0, 0, 0)
    return (1, issue.row, _column_of(issue.cell) if issue.cell else -1)


def _column_of(cell: str) -> int:
    return _column_number(cell.rstrip("0123456789"))


@lru_cache(maxsize=1024)
def _column_number(letters: str) -> int:
    return column_index("".join(ch for ch in letters if ch.isalpha()))


def _row_of(cell: str | None) -> int | None:
    digits = "".join(ch for ch in cell or "" if ch.isdigit())
    return int(digits) if digits else None
