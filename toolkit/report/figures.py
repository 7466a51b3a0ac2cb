"""The figures of one manager's month: visits, plan against actual, special visits, slips, sales.

``compute_figures`` is pure: it takes the selected records and the sales figures
and returns values that each point back to the rows they were counted from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from manualkit.schemas._base import FormSchema, field_options
from manualkit.schemas._month import month_of
from manualkit.schemas._policy import Policy
from manualkit.schemas._workdays import report_due_date
from manualkit.schemas.feedback_slip import STAGES, FeedbackSlip
from manualkit.schemas.service_plan import OUTCOMES, PlannedService
from manualkit.schemas.special_visit import SpecialVisit
from manualkit.toolkit.month.provenance import RowRef, Submission
from manualkit.toolkit.month.selection import MonthInputs
from manualkit.toolkit.month.visits import VisitFigures, count_visits
from manualkit.toolkit.report.sales import SalesFigures

UNMARKED = "未标注"  # a planned service whose outcome is not marked yet


@dataclass(frozen=True, slots=True)
class Tally:
    """Records counted by category; every category of the form is present, in the form's order."""

    groups: tuple[tuple[str, tuple[RowRef, ...]], ...]

    def count(self, category: str) -> int:
        """Return how many records fall in ``category``."""
        return next((len(refs) for name, refs in self.groups if name == category), 0)

    @property
    def total(self) -> int:
        """Return how many records were counted."""
        return sum(len(refs) for _, refs in self.groups)

    def nonzero(self) -> list[tuple[str, int]]:
        """Return the categories that have records, with their counts."""
        return [(name, len(refs)) for name, refs in self.groups if refs]


@dataclass(frozen=True, slots=True)
class MonthlyFigures:
    """Everything the monthly report says in numbers, each traceable to its rows."""

    month: str
    manager: str | None
    area: str | None
    visits: VisitFigures
    special_visits: Tally  # by 特殊情况类别
    feedback_slips: Tally  # by 办理阶段
    feedback_types: Tally  # by 反馈类型
    sales: SalesFigures | None
    due_date: dt.date
    due_warning: str | None
    phone_logged: tuple[RowRef, ...] | None = None  # the phone-visit record's calls (None: no record handed in)
    service_outcomes: Tally = Tally(())  # the service plan's items by 完成情况 (未标注: not marked yet)
    service_shortfalls: tuple[tuple[str, RowRef], ...] = ()  # items not (fully) done, with why


def compute_figures(inputs: MonthInputs, sales: SalesFigures | None, policy: Policy) -> MonthlyFigures:
    """Return the month's figures from the selected records and the sales figures."""
    due = report_due_date(inputs.month, policy.report_due_day, policy.report_due_postpone_holidays)
    return MonthlyFigures(
        month=inputs.month,
        manager=inputs.manager,
        area=inputs.area,
        visits=count_visits(inputs, policy),
        special_visits=tally(
            inputs.special_visits, field_options(SpecialVisit.model_fields["situation"]),
            lambda record: str(getattr(record, "situation", "")),
        ),
        feedback_slips=tally(inputs.feedback_slips, STAGES, lambda record: str(getattr(record, "stage", ""))),
        feedback_types=tally(
            inputs.feedback_slips, field_options(FeedbackSlip.model_fields["feedback_type"]),
            lambda record: str(getattr(record, "feedback_type", "")),
        ),
        sales=sales,
        due_date=due.date,
        due_warning=due.warning,
        phone_logged=_phone_calls(inputs),
        service_outcomes=_service_outcomes(inputs),
        service_shortfalls=tuple(_service_shortfalls(inputs)),
    )


def _phone_calls(inputs: MonthInputs) -> tuple[RowRef, ...] | None:
    """Return the calls of the month's phone-visit records, dated in the month (None: none handed in)."""
    logs = inputs.of("phone_visit_log")
    if not logs:
        return None
    return tuple(log.source.ref(index) for log in logs for index, row in enumerate(log.record.table())
                 if month_of(row.date) == inputs.month)


def _service_items(inputs: MonthInputs) -> list[tuple[Submission, int, PlannedService]]:
    return [(plan, index, row) for plan in inputs.of("service_plan") for index, row in enumerate(plan.record.table())]


def _service_outcomes(inputs: MonthInputs) -> Tally:
    """Return the month's planned services counted by how they ended (``未标注``: not marked)."""
    items = _service_items(inputs)
    return Tally(tuple(
        (name, tuple(plan.source.ref(index) for plan, index, row in items if (row.outcome or UNMARKED) == name))
        for name in (*OUTCOMES, UNMARKED)
    ))


def _service_shortfalls(inputs: MonthInputs) -> list[tuple[str, RowRef]]:
    """Return the planned services partly or not done, each said with its note, and its row."""
    return [
        (f"服务计划“{row.plan}”{row.outcome}" + (f"：{row.outcome_note}" if row.outcome_note else ""),
         plan.source.ref(index))
        for plan, index, row in _service_items(inputs) if row.outcome in ("部分完成", "未完成")
    ]


def tally(
    submissions: Iterable[Submission], categories: Iterable[str], key: Callable[[FormSchema], str]
) -> Tally:
    """Return ``submissions`` counted by ``key(record)`` over ``categories`` (in that order)."""
    chosen = list(submissions)
    return Tally(tuple(
        (name, tuple(s.source.ref() for s in chosen if key(s.record) == name)) for name in categories
    ))
