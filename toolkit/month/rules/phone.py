"""A phone visit the schedule plans is recorded in the phone-visit log (002 三定(3)).

Customers that cannot be visited in person that day get a phone visit, recorded and
kept. Each schedule row planning a 电话 visit should have a row of the month's phone-visit
record for that customer on that day, unless the customer was visited in person that day
after all. The rule runs when the month's record was handed in.
"""

from __future__ import annotations

from manualkit.schemas.visit_schedule import PlannedVisit
from manualkit.toolkit.month.provenance import Finding, finding
from manualkit.toolkit.month.rules import Month, cross_form_rule


@cross_form_rule(needs=("schedule", "phone_visit_log"))
def phone_visits_logged(month: Month) -> list[Finding]:
    """A schedule row planning a phone visit with no phone-visit record of that customer that day.

    A customer visited in person that day after all (signed in) needed no call.
    """
    logged = {(row.date, row.customer_code) for s in month.inputs.of("phone_visit_log") for row in s.record.table()}
    logged |= {(row.date, row.customer_code) for _, _, row in month.inputs.signed_visits()}
    return [
        finding(
            "phone_visit_unlogged",
            f"日程表安排 {row.date} 电话访问客户 {row.customer_code}（{row.customer_name}），"
            "电话拜访情况记录中没有这次通话",
            submission.source.ref(index), field_name="customer_code", label=PlannedVisit.label("customer_code"),
            value=row.customer_code,
        )
        for submission, index, row in month.inputs.planned_visits()
        if row.visit_mode == "电话" and (row.date, row.customer_code) not in logged
    ]
