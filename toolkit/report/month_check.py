"""The rules across forms inside ``manualkit validate``, when the files hold one manager's month.

``validate`` checks each file on its own; when the valid files are one
manager's month (one sign-in book, its schedules, and maybe special visits and
slips), the comparisons between them (``rules``) are added to the files they
point at. A batch of many managers or months is left alone: there, "another
manager's file" is not a finding, and re-reading thousands of files is not free.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from schemas._policy import Policy
from toolkit.errors import Issue
from toolkit.report.inputs import load_submissions
from toolkit.report.rules import cross_form_findings
from toolkit.report.selection import MONTH_FORMS, manager_of

# Selection findings that only make sense when drafting one month's report.
_REPORT_ONLY = frozenset({"other_manager", "other_month"})


def month_findings(valid_files: Sequence[tuple[Path, str]], policy: Policy) -> dict[str, list[Issue]]:
    """Return the cross-form findings by file path, if ``valid_files`` hold one manager's month.

    Args:
        valid_files: (path, form id) of each file that passed validation.
        policy: the manual's numbers.

    Returns:
        Findings keyed by ``str(path)``; empty unless there is exactly one sign-in book, at
        least one visit schedule, and every record of the month's forms has the same manager.
    """
    ours = [path for path, form_id in valid_files if form_id in MONTH_FORMS]
    forms = [form_id for _, form_id in valid_files if form_id in MONTH_FORMS]
    if forms.count("sign-in-book") != 1 or "visit-schedule" not in forms:
        return {}
    submissions = load_submissions(ours, policy).submissions
    if len({manager_of(s.record) for s in submissions}) != 1:
        return {}
    month = next(s.record.month for s in submissions if s.record.form_id == "sign-in-book")  # type: ignore[attr-defined]
    found: dict[str, list[Issue]] = defaultdict(list)
    for finding in cross_form_findings(submissions, policy, month=month):
        if finding.path is not None and finding.issue.code not in _REPORT_ONLY:
            found[finding.path].append(finding.issue)
    return dict(found)

