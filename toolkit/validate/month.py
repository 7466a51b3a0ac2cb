"""The rules across forms inside ``validate``: added when the valid files are one manager's month."""

from __future__ import annotations

from schemas._policy import Policy
from toolkit.validate.batch import BatchReport
from toolkit.validate.findings import sheet_order


def add_month_findings(batch: BatchReport, policy: Policy) -> None:
    """Add the cross-form findings (``toolkit.report``) to the files of ``batch`` they concern."""
    from toolkit.report.month_check import month_findings

    valid = [(report.path, report.form.form_id) for report in batch.files if report.valid and report.form]
    found = month_findings(valid, policy)
    for report in batch.files:
        if added := found.get(str(report.path)):
            report.issues[:] = sorted([*report.issues, *added], key=sheet_order)  # stable: ties keep their order
