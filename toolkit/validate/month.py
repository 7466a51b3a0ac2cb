"""The rules across forms inside ``validate``: each manager's month of a batch, by the month engine.

Every valid file of a form with a part in the month came back from its worker with
its record (``FileReport.month``); the engine (``manualkit.toolkit.month``) runs the rules on
them and this module merges the findings into a new batch report, in sheet order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from manualkit.schemas._policy import Policy
from manualkit.toolkit.month import MonthEngine, MonthResult
from manualkit.toolkit.validate.batch import BatchReport
from manualkit.toolkit.validate.findings import FileReport, sheet_order


def with_month_findings(batch: BatchReport, policy: Policy) -> BatchReport:
    """Return ``batch`` with the cross-form findings added to the files they concern (``batch`` is left as it is)."""
    result = month_result(batch.files, policy)
    return BatchReport([merged(report, result) for report in batch.files], result.groups)


def month_result(reports: Iterable[FileReport], policy: Policy) -> MonthResult:
    """Return the month engine's findings for the valid records among ``reports``."""
    engine = MonthEngine(policy)
    for report in reports:
        if report.month is not None:
            engine.add(report.month)
    return engine.run()


def merged(report: FileReport, result: MonthResult) -> FileReport:
    """Return ``report`` with its month findings merged in by sheet order, and without its record (done with)."""
    added = result.of(str(report.path))
    if not added and report.month is None:
        return report
    issues = sorted([*report.issues, *added], key=sheet_order) if added else report.issues  # stable: ties keep order
    return replace(report, issues=issues, month=None)
