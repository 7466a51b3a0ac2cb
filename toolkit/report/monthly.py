"""The monthly report from the month's records: ``draft_monthly_report`` is the one entry point.

It reads and validates the submissions, picks one manager's month, reads the
sales sheet, computes the figures, runs the rules across forms, and drafts the
monthly-report record, which it checks like any submitted monthly report.
Writing the .docx/.xlsx is ``manualkit.toolkit.report.documents``; this module writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from manualkit.schemas._base import Severity
from manualkit.schemas._policy import DEFAULT_POLICY, Policy
from manualkit.toolkit.month.provenance import Finding, Source, finding
from manualkit.toolkit.month.rules import compare_forms
from manualkit.toolkit.month.selection import select_month
from manualkit.toolkit.records import RecordCheck, check_record
from manualkit.toolkit.registry import get_form
from manualkit.toolkit.report.draft import draft_data, part_b_facts, part_c_sources
from manualkit.toolkit.report.figures import MonthlyFigures, compute_figures
from manualkit.toolkit.report.inputs import LoadedInputs, load_submissions
from manualkit.toolkit.report.narrative import load_narrative
from manualkit.toolkit.report.sales import SalesFigures, sales_figures
from manualkit.toolkit.report.sales_sheet import read_sales


@dataclass(frozen=True, slots=True)
class MonthlyDraft:
    """The month's figures, the drafted report (checked), and every finding about the inputs."""

    figures: MonthlyFigures
    loaded: LoadedInputs
    findings: tuple[Finding, ...]  # about the inputs: validation, selection, sales, across forms
    facts: tuple[str, ...]  # what part b should explain
    opinions: tuple[tuple[str, str], ...]  # for part c: what customers raised, and where it is recorded
    data: dict[str, Any]  # the drafted monthly-report record
    check: RecordCheck  # the draft checked as a monthly-report record
    policy: Policy = DEFAULT_POLICY  # the organisation's: its name heads the draft

    @property
    def inputs_valid(self) -> bool:
        """Return whether no input had an error (warnings allowed)."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def writable(self) -> bool:
        """Return whether the draft's fields are sound enough to be written as a form."""
        return self.check.record is not None


def draft_monthly_report(
    paths: Sequence[Path],
    month: str,
    policy: Policy,
    *,
    today: dt.date,
    manager: str | None = None,
    sales: Path | None = None,
    narrative: Path | None = None,
) -> MonthlyDraft:
    """Return the monthly report of ``manager``'s ``month`` drafted from the submissions in ``paths``.

    Raises:
        NarrativeFileError: the narrative file cannot be used (read first, before any work).
    """
    story = load_narrative(narrative)
    loaded = load_submissions(paths, policy, exclude=[sales] if sales else [])
    inputs = select_month(loaded.submissions, month, manager)
    sales_data, sales_found = _sales(sales, month, inputs.customer_codes() if inputs.manager else None)
    figures = compute_figures(inputs, sales_data, policy)
    found = [*loaded.findings, *inputs.findings, *sales_found, *compare_forms(inputs, figures.visits, policy)]
    if not inputs.manager:
        found.append(finding("missing_required", f"没有找到 {month} 的访问日程表或签到簿，无法确定客户经理",
                             clause="§4.4.1"))
    elif not inputs.sign_in_books:
        found.append(finding(
            "no_sign_in_book",
            f"没有 {inputs.manager} {month} 的有效签到簿，服务客户数、上门走访次数和计划执行情况无法计算",
        ))
    data = draft_data(figures, story, today)
    report = check_record(get_form("monthly-report"), data, policy)
    return MonthlyDraft(figures, loaded, tuple(found), tuple(part_b_facts(figures)),
                        tuple(part_c_sources(inputs)), data, report, policy)


def _sales(
    path: Path | None, month: str, customers: frozenset[str] | None
) -> tuple[SalesFigures | None, list[Finding]]:
    """Return the sales figures of ``customers`` (all of the sheet's when None) and the findings."""
    if path is None:
        return None, [finding("no_sales", "未提供销售表（--sales），无法计算本月销量")]
    sheet = read_sales(path)
    found = list(sheet.findings)
    if customers is not None:
        sheet, left_out = sheet.only(customers)
        if left_out:
            shown = "、".join(left_out[:5]) + ("等" if len(left_out) > 5 else "")
            found.append(finding(
                "foreign_sales",
                f"销售表中有 {len(left_out)} 户客户（{shown}）不在本客户经理本月的日程表、签到簿和记录中，未计入销量",
                Source(sheet.path), label="客户编码",
            ))
    figures, more = sales_figures(sheet, month) if sheet.rows or not sheet.findings else (None, [])
    return figures, [*found, *more]
