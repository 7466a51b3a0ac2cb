"""``fill`` as a library call: read data files, check every record, render the valid ones.

Data is JSON, YAML (one record or a list of records) or an .xlsx filled in our
template (read by ``manualkit.toolkit.reader``). Every record is checked first; an
invalid one is reported (record, field, value, why) and gets no file, while
the valid records of the same batch are still written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from manualkit.schemas._base import FormSchema, Severity, Violation
from manualkit.schemas._policy import Policy
from manualkit.toolkit.errors import ToolkitError, cite
from manualkit.toolkit.records import check_record
from manualkit.toolkit.registry import FormSpec
from manualkit.toolkit.render.context import any_unstorable, unstorable_characters
from manualkit.toolkit.render.fill_batch import (
    Job,
    Progress,
    Setting,
    formats_of,
    record_stem,
    render_jobs,
    unique_stem,
)
from manualkit.toolkit.yamldata import DataFileError, read_data

_DATA_SUFFIXES = frozenset({".json", ".yaml", ".yml"})


@dataclass(slots=True)
class Entry:
    """One record read from a data file, with what checking it found."""

    source: str  # where it came from, for people: "visits.json 第 2 条"
    record: FormSchema | None = None
    problems: list[str] = field(default_factory=list)  # errors: no file for this record
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FillResult:
    """What ``fill`` did: the files written and every record read."""

    written: list[Path]
    entries: list[Entry]

    @property
    def rejected(self) -> list[Entry]:
        """Return the records that were not written because of errors."""
        return [entry for entry in self.entries if entry.problems]


def fill(form: FormSpec, paths: Sequence[Path], fmt: str, outdir: Path, policy: Policy,
         progress: Progress | None = None, templates_dir: Path | None = None) -> FillResult:
    """Check the records in ``paths`` and write ``form`` filled with each valid one.

    The Word template (``templates_dir``'s, if it has one) is checked before any data is read.
    """
    setting = Setting(policy, templates_dir)
    compiled = setting.check([form], formats_of(fmt))  # once: checked now, filled with later
    data = [(path, _records_of(form, path)) for path in paths]  # every file read (and refused) first
    entries: list[Entry] = []
    by_stem: dict[str, Entry] = {}
    taken: set[str] = set()

    def jobs() -> Iterator[Job]:
        """Check each record as the renderer asks for it; a written record is let go (memory stays flat)."""
        for path, records in data:
            for entry in _entries(form, path, records, policy):
                entries.append(entry)
                if entry.record is not None and not entry.problems:
                    job = Job(form, entry.record, unique_stem(record_stem(entry.record), taken))
                    by_stem[job.stem] = entry
                    yield job
                    entry.record = None  # written (or failed): the entry keeps what was found, not the model

    def failed(job: Job, reason: str) -> None:  # one record's file that could not be written: its own problem
        by_stem[job.stem].problems.append(f"未能写出文件：{reason}")

    count = sum(len(records) for _, records in data if isinstance(records, list))
    written = render_jobs(jobs(), formats_of(fmt), outdir, progress, failed, setting, forms=[form], count=count,
                          compiled=compiled)
    return FillResult(written, entries)


def read_entries(form: FormSpec, path: Path, policy: Policy) -> list[Entry]:
    """Return the checked records of one data file (one entry naming the file if it cannot be read)."""
    return list(_entries(form, path, _records_of(form, path), policy))


def _records_of(form: FormSpec, path: Path) -> list[dict[str, Any]] | Entry:
    """Return the records of a JSON/YAML data file, or the entry of a workbook or a file that cannot be read."""
    if path.suffix.lower() not in _DATA_SUFFIXES:
        from manualkit.toolkit.reader.formats import SPREADSHEET_SUFFIXES  # the reader only for what may be a workbook

        if path.suffix.lower() in SPREADSHEET_SUFFIXES:
            return Entry(path.name)  # read and checked in ``_entries``, when its turn comes
    try:
        raw = _load(path)
    except ToolkitError as exc:
        return Entry(path.name, problems=[str(exc)])
    return raw if isinstance(raw, list) else [raw]


def _entries(form: FormSpec, path: Path, records: list[dict[str, Any]] | Entry, policy: Policy) -> Iterator[Entry]:
    """Yield the checked entry of each record of ``path`` in turn (what ``_records_of`` found)."""
    if isinstance(records, Entry):
        if records.problems:
            yield records
            return
        try:
            yield _workbook_entry(form, path, policy)
        except ToolkitError as exc:
            yield Entry(path.name, problems=[str(exc)])
        return
    several = len(records) > 1
    for number in range(len(records)):
        data, records[number] = records[number], {}  # the raw record is let go once checked
        yield _check(form, data, f"{path.name} 第 {number + 1} 条" if several else path.name, policy, _row_words)


def _load(path: Path) -> Any:
    """Return the JSON or YAML document in ``path``: a record (mapping) or a list of them."""
    suffix = path.suffix.lower()
    if suffix not in _DATA_SUFFIXES:
        raise ToolkitError(f"不支持的数据文件类型“{suffix}”，应为 .json、.yaml、.yml 或电子表格（.xlsx、.xls 等）")
    try:
        raw = read_data(path, codes_as_text=True)
    except DataFileError as exc:
        kind = "无法读取文件" if exc.unreadable else f"不是有效的 {suffix[1:].upper()} 文件"
        raise ToolkitError(f"{kind}：{exc}") from exc
    records = raw if isinstance(raw, list) else [raw]
    if not records or not all(isinstance(record, dict) for record in records):
        raise ToolkitError("应为一条记录（键值对）或记录的列表")
    return raw


def _workbook_entry(form: FormSpec, path: Path, policy: Policy) -> Entry:
    from manualkit.toolkit.reader import read_workbook  # only spreadsheet data needs the reader

    submission = read_workbook(path, form)
    if submission.form.form_id != form.form_id:
        raise ToolkitError(f"这是“{submission.form.title}”，不是“{form.title}”")

    def position(violation: Violation) -> str:
        cell = submission.cell(violation.field, violation.row)
        return f"单元格 {cell}：" if cell else _row_words(violation)

    return _check(form, submission.data(), path.name, policy, position)


def _row_words(violation: Violation) -> str:
    return f"表格第 {violation.row + 1} 行：" if violation.row is not None else ""


def _check(form: FormSpec, data: dict[str, Any], source: str, policy: Policy,
           position: Callable[[Violation], str]) -> Entry:
    """Return the entry of one record: its model if valid, and its findings in Chinese."""
    checked = check_record(form, data, policy)
    entry = Entry(source, checked.record if checked.valid else None)
    for violation in checked.violations:
        line = f"{position(violation)}{cite(violation.message, violation.clause)}"
        (entry.problems if violation.severity is Severity.ERROR else entry.warnings).append(line)
    if checked.record is None and not entry.problems:
        entry.problems.append("记录无效")
    entry.warnings += _unstorable(form, checked.record)
    return entry


def _unstorable(form: FormSpec, record: FormSchema | None) -> list[str]:
    """Return a warning for each text holding control characters, which the files cannot store."""
    if record is None or not any_unstorable(_all_texts(record)):
        return []  # the usual case, found in one search over all the texts
    found = []
    for where, label, value in _texts(record):
        if chars := unstorable_characters(value):
            found.append(f"{where}“{label}”含有无法保存的控制字符（{'、'.join(chars)}），已删除")
    return found


def _all_texts(record: FormSchema) -> str:
    """Return every text value of ``record``, rows included, in one string."""
    texts = [value for value in record.__dict__.values() if isinstance(value, str)]
    for row in record.table():
        texts += [value for value in row.__dict__.values() if isinstance(value, str)]
    return "\n".join(texts)


def _texts(record: FormSchema) -> list[tuple[str, str, str]]:
    """Return (position, label, text) of every text value of ``record``, rows included."""
    texts = [("", record.label(name), value) for name, value in record if isinstance(value, str)]
    for index, row in enumerate(record.table()):
        texts += [(f"表格第 {index + 1} 行", row.label(name), value) for name, value in row if isinstance(value, str)]
    return texts
