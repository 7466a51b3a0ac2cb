"""The rules that span the forms of one manager's month, which no single form can show.

- a customer visited in person fewer times than the policy minimum;
- a sign-in with no schedule row, and an in-person schedule row never signed in;
- a week with sign-ins but no schedule (nothing to compare with);
- a special visit or feedback slip for a customer who is not in the manager's schedules.

``manualkit validate`` calls ``cross_form_findings`` when a folder holds one
manager's month; the monthly report uses the same findings (``compare_forms``).
All of them are warnings: each form on its own may be sound.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from schemas._policy import Policy
from schemas.sign_in_book import SignIn, SignInBook
from schemas.visit_schedule import PlannedVisit
from toolkit.report.selection import MonthInputs, infer_month, select_month
from toolkit.report.sources import Finding, Submission, finding
from toolkit.report.visits import VisitFigures, count_visits


def cross_form_findings(
    submissions: Sequence[Submission], policy: Policy, month: str | None = None, manager: str | None = None
) -> list[Finding]:
    """Return the cross-form findings of one manager's month, and the records left out of it.

    Args:
        submissions: the valid records, each with its ``Source`` (file, sheet, spreadsheet rows).
        policy: the policy (the minimum of in-person visits per customer).
        month: ``YYYY-MM``; by default the month most of the records are about.
        manager: by default the manager most of the month's records belong to.

    Returns:
        Findings (each with its file and an ``Issue`` located by sheet, row and cell when known):
        records of another manager or month, then the comparisons between the forms.
    """
    month = month or infer_month(submissions)
    if month is None:
        return []
    inputs = select_month(submissions, month, manager)
    visits = count_visits(inputs, policy.min_monthly_visits_per_customer)
    return [*inputs.findings, *compare_forms(inputs, visits)]


def compare_forms(inputs: MonthInputs, visits: VisitFigures) -> list[Finding]:
    """Return the findings that compare the month's forms with each other."""
    found: list[Finding] = []
    if inputs.sign_in_books:
        found += _below_minimum(inputs, visits)
        found += _unplanned(visits)
        found += _uncovered(visits)
        if inputs.schedules:
            found += _missed(visits)
    if inputs.schedules:
        found += _unscheduled_customers(inputs)
    return found


def _below_minimum(inputs: MonthInputs, visits: VisitFigures) -> list[Finding]:
    book = inputs.sign_in_books[0].source
    return [
        finding(
            SignInBook.rules.visits_below_minimum,
            f"客户 {c.code}（{c.name}）{inputs.month} 上门走访 {len(c.in_person)} 次，"
            f"少于每户每月 {visits.minimum} 次的要求",
            book, field_name="customer_code", label=SignIn.label("customer_code"), value=c.code,
        )
        for c in visits.below_minimum
    ]


def _unplanned(visits: VisitFigures) -> list[Finding]:
    return [
        finding(
            "unplanned_visit",
            f"{e.date} 走访客户 {e.customer_code}（{e.customer_name}），访问日程表中没有这次安排",
            e.signed, field_name="customer_code", label=SignIn.label("customer_code"), value=e.customer_code,
        )
        for e in visits.plan.unplanned
    ]


def _missed(visits: VisitFigures) -> list[Finding]:
    return [
        finding(
            "missed_visit",
            f"日程表安排 {e.date} 上门访问客户 {e.customer_code}（{e.customer_name}），签到簿中没有这次走访的签到",
            e.planned, field_name="customer_code", label=PlannedVisit.label("customer_code"), value=e.customer_code,
        )
        for e in visits.plan.missed
    ]


def _uncovered(visits: VisitFigures) -> list[Finding]:
    found = []
    for week in visits.plan.uncovered:
        first = week.sign_ins[0]
        end = week.week_start + dt.timedelta(days=6)
        found.append(finding(
            "missing_schedule",
            f"{week.week_start} 至 {end} 这一周没有提交访问日程表，"
            f"该周 {len(week.sign_ins)} 次走访无法与计划核对",
            first.signed, field_name="date", label=SignIn.label("date"), value=first.date.isoformat(),
        ))
    return found


def _unscheduled_customers(inputs: MonthInputs) -> list[Finding]:
    scheduled = {row.customer_code for s in inputs.schedules for row in s.record.table()}
    found = []
    for submission in (*inputs.special_visits, *inputs.feedback_slips):
        record = submission.record
        code, name = str(getattr(record, "customer_code", "")), str(getattr(record, "customer_name", ""))
        if code not in scheduled:
            found.append(finding(
                "unscheduled_customer",
                f"{record.form_title}中的客户 {code}（{name}）不在本月的访问日程表中，请核对客户编码",
                submission.source, field_name="customer_code", label=record.label("customer_code"), value=code,
            ))
    return found

