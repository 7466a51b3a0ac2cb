"""Submissions handed in twice in one run: the same file, or one manager's same period of a form.

Each file's report carries two keys, taken while it is validated: a digest of its
bytes, and (form, manager, period) when the form names its period (``period_field``)
and the record was read whole. Every file after the first with a key already seen
gets one ``duplicate_submission`` warning naming the first, so 200 copies of one
submission are 199 warnings, not 200 silent passes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from manualkit.schemas._base import FormSchema
from manualkit.toolkit.errors import CATALOGUE, Issue

if TYPE_CHECKING:
    from manualkit.toolkit.validate.batch import BatchReport
    from manualkit.toolkit.validate.findings import FileReport


def content_key(path: Path) -> str:
    """Return a digest of the file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def period_key(record: FormSchema | None) -> tuple[str, str, str] | None:
    """Return (form id, manager, period) of a record whose form names its period, else None."""
    name = record.period_field if record is not None else None
    if record is None or name is None:
        return None
    return (record.form_id, str(getattr(record, "manager", "")), str(getattr(record, name)))


def add_duplicate_findings(batch: BatchReport) -> None:
    """Warn on each file of ``batch`` that repeats an earlier one's content or period."""
    seen = Duplicates()
    for report in batch.files:
        seen.check(report)


class Duplicates:
    """The keys of the files seen so far in a run: each new report is checked as it comes (``--format jsonl``)."""

    def __init__(self) -> None:
        self.by_content: dict[str, Path] = {}
        self.by_period: dict[tuple[str, str, str], Path] = {}

    def check(self, report: FileReport) -> None:
        """Add the warning to ``report`` (still being put together) if it repeats an earlier file."""
        if report.content is None:
            return
        if (first := self.by_content.setdefault(report.content, report.path)) is not report.path:
            report.issues.insert(0, _issue(report, f"与 {first} 内容完全相同，是同一份表格的重复提交"))
        elif report.period and (first := self.by_period.setdefault(report.period, report.path)) is not report.path:
            _, manager, period = report.period
            model = report.form.model if report.form else None
            label = model.label(model.period_field or "") if model else ""
            report.issues.insert(0, _issue(report, (
                f"与 {first} 是同一客户经理（{manager}）同一{label}（{period}）的表格，"
                f"每期只应提交一份；请确认哪一份有效")))


def _issue(report: FileReport, message: str) -> Issue:
    """Return the warning; it cites the form's clause, the one that asks for one submission per period."""
    code = "duplicate_submission"
    return Issue(code=code, severity=CATALOGUE[code].severity, message=message, sheet=report.sheet,
                 clause=report.form.clause if report.form else None)
