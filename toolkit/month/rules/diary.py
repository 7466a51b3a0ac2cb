"""A diary counts the day's visits as the sign-in book has them (002 2231, 三定(3)).

The work diary states how many customers were visited in person that day; the sign-in
book has one row per visit. The two should agree: a diary counting more visits than were
signed in, or fewer, needs a look.
"""

from __future__ import annotations

from collections import Counter
from typing import cast

from manualkit.schemas.work_diary import WorkDiary
from manualkit.toolkit.month.provenance import Finding, finding
from manualkit.toolkit.month.rules import Month, cross_form_rule


@cross_form_rule(needs=("work_diary", "sign_in_book"))
def diary_visits(month: Month) -> list[Finding]:
    """A diary whose in-person visits differ from that day's sign-in rows."""
    signed = Counter(row.date for _, _, row in month.inputs.signed_visits())
    found = []
    for submission in month.inputs.of("work_diary"):
        diary = cast(WorkDiary, submission.record)
        day, counted = diary.date, diary.visits_in_person
        if counted != signed[day]:
            found.append(finding(
                "diary_visits_mismatch",
                f"{day} 的工作日记写上门走访 {counted} 户，签到簿当天有 {signed[day]} 条走访记录",
                submission.source, field_name="visits_in_person", label=WorkDiary.label("visits_in_person"),
                value=counted,
            ))
    return found
