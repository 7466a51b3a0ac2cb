"""The rules that span the forms of one manager's month, which no single form can show.

- a scheduled customer never visited in person (the book, which cannot name them, counts the others);
- a sign-in with no schedule row, and an in-person schedule row never signed in;
- a week with sign-ins but no schedule (nothing to compare with);
- a special visit or feedback slip for a customer who is not in the manager's schedules.

``manualkit validate`` runs them on each manager's month of a batch (``manualkit.toolkit.month.engine``);
the monthly report uses the same findings (``compare_forms``).
All of them are warnings: each form on its own may be sound. What the sign-in book
alone can show (a day short of visits or hours, a customer visited too seldom) is
the book's own rule (``manualkit.schemas.sign_in_book``); only a scheduled customer the book
never names (no visit in person at all) is found here, by the same rule.
"""

from __future__ import annotations

import datetime as dt

from manualkit.schemas.sign_in_book import SignIn, SignInBook
from manualkit.schemas.visit_schedule import PlannedVisit
from manualkit.toolkit.month.provenance import Finding, finding
from manualkit.toolkit.month.rules import Month, cross_form_rule
from manualkit.toolkit.month.selection import role_of


@cross_form_rule(needs=("sign_in_book",))
def never_visited(month: Month) -> list[Finding]:
    """A customer of the month's schedules the book never names: no visit in person at all."""
    inputs, visits = month.inputs, month.visits
    book = inputs.sign_in_books[0].source
    return [
        finding(
            SignInBook.rules.visits_below_minimum,
            f"客户 {c.code}（{c.name}）{inputs.month} 没有上门走访，少于每月 {visits.minimum_for(c.code)} 次的要求",
            book, field_name="customer_code", label=SignIn.label("customer_code"), value=c.code,
        )
        for c in visits.below_minimum if not c.in_person
    ]


@cross_form_rule(needs=("sign_in_book",))
def unplanned(month: Month) -> list[Finding]:
    """A sign-in on a day a schedule covers, with no schedule row for it."""
    visits = month.visits
    return [
        finding(
            "unplanned_visit",
            f"{e.date} 走访客户 {e.customer_code}（{e.customer_name}），访问日程表中没有这次安排",
            e.signed, field_name="customer_code", label=SignIn.label("customer_code"), value=e.customer_code,
        )
        for e in visits.plan.unplanned
    ]


@cross_form_rule(needs=("sign_in_book",))
def uncovered(month: Month) -> list[Finding]:
    """A week with sign-ins but no schedule to compare them with."""
    visits = month.visits
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


@cross_form_rule(needs=("sign_in_book", "schedule"))
def missed(month: Month) -> list[Finding]:
    """An in-person schedule row never signed in."""
    visits = month.visits
    return [
        finding(
            "missed_visit",
            f"日程表安排 {e.date} 上门访问客户 {e.customer_code}（{e.customer_name}），签到簿中没有这次走访的签到",
            e.planned, field_name="customer_code", label=PlannedVisit.label("customer_code"), value=e.customer_code,
        )
        for e in visits.plan.missed
    ]


@cross_form_rule(needs=("schedule",))
def unscheduled_customers(month: Month) -> list[Finding]:
    """A record about one customer (a special visit, a slip) whose customer is in none of the schedules."""
    inputs = month.inputs
    scheduled = {row.customer_code for s in inputs.schedules for row in s.record.table()}
    found = []
    for submission in inputs.customer_records():
        record, role = submission.record, role_of(submission.record)
        code = str(getattr(record, role.customer_field or "", "")) if role else ""
        name = str(getattr(record, "customer_name", ""))
        if code not in scheduled:
            found.append(finding(
                "unscheduled_customer",
                f"{record.form_title}中的客户 {code}（{name}）不在本月的访问日程表中，请核对客户编码",
                submission.source, field_name="customer_code", label=record.label("customer_code"), value=code,
            ))
    return found

