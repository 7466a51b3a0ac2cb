"""Read the month's submissions: files or folders of records, each validated on the way in.

A submission is a spreadsheet (read by ``manualkit.toolkit.reader``: our templates, or a
sheet titled with the form's name) or a data file as ``fill`` takes it (.json,
.yaml/.yml: one record or a list of records). The form of a data record is the
one whose field names (or labels) its keys are. Invalid records are left out of
the month, each with its findings, so that a broken file never becomes a wrong number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from manualkit.schemas._base import FormSchema, Violation
from manualkit.schemas._policy import Policy
from manualkit.toolkit.errors import ToolkitError, WorkbookReadError
from manualkit.toolkit.month.provenance import Finding, Source, Submission, finding
from manualkit.toolkit.month.selection import month_forms
from manualkit.toolkit.reader import Submission as WorkbookSubmission
from manualkit.toolkit.reader import read_workbook
from manualkit.toolkit.reader.formats import SPREADSHEET_SUFFIXES
from manualkit.toolkit.records import check_record
from manualkit.toolkit.registry import FormSpec, all_forms
from manualkit.toolkit.yamldata import DataFileError, read_data

DATA_SUFFIXES = (".json", ".yaml", ".yml")
SHEET_SUFFIXES = SPREADSHEET_SUFFIXES  # read as validate reads them


@dataclass(frozen=True, slots=True)
class LoadedInputs:
    """The records that passed validation, the files left out, and every finding on the way in."""

    submissions: tuple[Submission, ...] = ()
    left_out: tuple[str, ...] = ()  # where each left-out record or file is, for a person
    findings: tuple[Finding, ...] = ()
    files: int = 0


@dataclass(slots=True)
class _Collector:
    submissions: list[Submission] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Return the files named, with each folder replaced by its spreadsheets and data files (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*")
                if not p.is_dir() and p.suffix.lower() in (*DATA_SUFFIXES, *SHEET_SUFFIXES)  # pipes too: named
                and not p.name.startswith(("~$", "."))
            )
        else:
            found.append(path)
    unique: dict[Path, Path] = {}  # a file named twice (itself and in its folder) is read once
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def load_submissions(paths: Sequence[Path], policy: Policy, exclude: Iterable[Path] = ()) -> LoadedInputs:
    """Return the validated records of ``paths`` (files or folders), leaving out ``exclude`` (the sales sheet)."""
    skipped = {p.resolve() for p in exclude}
    files = [p for p in expand_paths(paths) if p.resolve() not in skipped]
    collected = _Collector()
    for path in files:
        _load_file(path, policy, collected)
    return LoadedInputs(
        tuple(collected.submissions), tuple(collected.left_out), tuple(collected.findings), len(files)
    )


def _load_file(path: Path, policy: Policy, collected: _Collector) -> None:
    suffix = path.suffix.lower()
    if suffix in DATA_SUFFIXES:
        _load_data_file(path, policy, collected)
    elif suffix in SHEET_SUFFIXES:
        _load_spreadsheet(path, policy, collected)
    else:
        _unreadable(path, f"{path.name} 不是电子表格（.xlsx、.xls、.ods 等）或数据文件（.json、.yaml）", collected)


def _unreadable(path: Path, message: str, collected: _Collector) -> None:
    collected.findings.append(finding("unreadable_file", message, Source(str(path))))
    collected.left_out.append(path.name)


# Data files (.json, .yaml)


def _load_data_file(path: Path, policy: Policy, collected: _Collector) -> None:
    try:
        data = read_data(path, codes_as_text=True)
    except DataFileError as exc:
        _unreadable(path, f"{path.name} 无法读取：{exc}", collected)
        return
    records = data if isinstance(data, list) else [data]
    for item, record in enumerate(records):
        source = Source(str(path), item=item if isinstance(data, list) else None)
        _accept(record, source, policy, collected)


def _accept(data: Any, source: Source, policy: Policy, collected: _Collector, form: FormSpec | None = None) -> None:
    """Validate one record (of ``form``, else the form its keys tell) and keep it, or say why it was left out."""
    form = form or (detect_form(data) if isinstance(data, Mapping) else None)
    if form is None or not isinstance(data, Mapping):
        collected.findings.append(finding(
            "unknown_form", "无法判断这条记录是哪种表单：它的项目与任何表单都对不上", source.ref()
        ))
        collected.left_out.append(str(source.ref()))
        return
    if form.form_id not in month_forms():
        collected.findings.append(finding(
            "other_form", f"月度报告只取{month_titles()}；这份{form.title}未计入", source.ref()
        ))
        collected.left_out.append(f"{source.ref()}（{form.title}）")
        return
    checked = check_record(form, data, policy)
    collected.findings += [_from_violation(v, form.model, source) for v in checked.violations]
    if checked.valid and checked.record is not None:
        collected.submissions.append(Submission(checked.record, source))
    else:
        collected.left_out.append(f"{source.ref()}（{form.title}）")


def detect_form(data: Mapping[str, Any]) -> FormSpec | None:
    """Return the form whose fields (names or labels) cover the most of ``data``'s keys, all of them."""
    keys = {str(key) for key in data}
    best: tuple[int, FormSpec | None] = (0, None)
    for spec in all_forms().values():
        known = {*spec.model.model_fields, *(i.title for i in spec.model.model_fields.values() if i.title),
                 *spec.model.derived, *spec.model.derived.values()}
        if keys <= known and len(keys) > best[0]:
            best = (len(keys), spec)
    return best[1]


def _from_violation(violation: Violation, model: type[FormSchema], source: Source) -> Finding:
    owner: Any = model.row_model() if violation.row is not None else model
    name = violation.field
    label = owner.label(name) if owner is not None and name in owner.model_fields else None
    return finding(
        violation.code, violation.message, source.ref(violation.row), field_name=name, label=label,
        value=violation.value, severity=violation.severity, clause=violation.clause, title=violation.title,
    )


# Spreadsheets


def _load_spreadsheet(path: Path, policy: Policy, collected: _Collector) -> None:
    try:
        sheet = read_workbook(path)
    except ToolkitError as exc:
        code = exc.code if isinstance(exc, WorkbookReadError) else "unreadable_file"
        collected.findings.append(finding(code, str(exc), Source(str(path))))
        collected.left_out.append(path.name)
        return
    _accept(sheet.data(), _sheet_source(sheet), policy, collected, form=sheet.form)


def _sheet_source(sheet: WorkbookSubmission) -> Source:
    """Return where the values of ``sheet`` are: its sheet, the table's rows and columns, the header cells."""
    model = sheet.form.model
    row_model = model.row_model()
    table = sheet.data().get(model.rows_field or "", [])
    columns = {name: letters for name in (row_model.model_fields if row_model else ())
               if (letters := sheet.column(name))}
    header: dict[tuple[int | None, str], str] = {
        (None, name): cell for name in model.header_fields() if (cell := sheet.cell(name))}
    return Source(
        str(sheet.path), sheet.sheet, rows=tuple(sheet.sheet_row(i) for i in range(len(table))),
        columns=columns, cells=header,
    )


def month_titles() -> str:
    """Return the titles of the forms a month is made of (those with a ``month_role``), as one phrase."""
    return "、".join(spec.title for spec in all_forms().values() if spec.form_id in month_forms())
