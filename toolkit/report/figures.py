"""The figures of one manager's month: visits, plan against actual, special visits, slips, sales.

``compute_figures`` is pure: it takes the selected records and the sales figures
and returns values that each point back to the rows they were counted from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from schemas._base import FormSchema, field_options
from schemas._policy import Policy
from schemas._workdays import report_due_date
from schemas.feedback_slip import STAGES, FeedbackSlip
from schemas.special_visit import SpecialVisit
from toolkit.month.selection import MonthInputs
from toolkit.month.sources import RowRef, Submission
from toolkit.month.visits import VisitFigures, count_visits
from toolkit.report.sales import SalesFigures


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
    )


def tally(
    submissions: Iterable[Submission], categories: Iterable[str], key: Callable[[FormSchema], str]
) -> Tally:
    """Return ``submissions`` counted by ``key(record)`` over ``categories`` (in that order)."""
    chosen = list(submissions)
    return Tally(tuple(
        (name, tuple(s.source.ref() for s in chosen if key(s.record) == name)) for name in categories
    ))
