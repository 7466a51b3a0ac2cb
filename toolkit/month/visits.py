"""The month's visits: per customer, in person and by phone, and the plan against what was done.

The sign-in book is the record of visits made in person (the customer signs on
the spot). A phone visit leaves no sign-in, so phone visits are the schedule's
电话 rows, taken as made. Plan and actual are matched one to one on (date,
customer code): an in-person schedule row with a sign-in is executed, one
without is missed, and a sign-in no schedule row asked for is unplanned. A
sign-in on a day that no submitted schedule covers cannot be judged; it is set
apart by week instead of being called unplanned. Without a sign-in book nothing
can be judged: the in-person rows of the plan are "unjudged", and the counts
that need the book are None rather than zero.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import cast

from manualkit.schemas._policy import Policy
from manualkit.schemas.sign_in_book import SignIn
from manualkit.schemas.visit_schedule import PlannedVisit, VisitSchedule
from manualkit.toolkit.month.provenance import RowRef, Submission
from manualkit.toolkit.month.selection import MonthInputs, month_of

_RATE_PLACES = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class CustomerVisits:
    """One customer's visits in the month, each pointing to its row."""

    code: str
    name: str
    in_person: tuple[RowRef, ...] = ()
    by_phone: tuple[RowRef, ...] = ()


@dataclass(frozen=True, slots=True)
class PlanEntry:
    """One planned or made visit: the schedule row, the sign-in row, or both."""

    date: dt.date
    customer_code: str
    customer_name: str
    planned: RowRef | None = None
    signed: RowRef | None = None


@dataclass(frozen=True, slots=True)
class UncoveredWeek:
    """Sign-ins in a week (from its Monday) that no submitted schedule covers."""

    week_start: dt.date
    sign_ins: tuple[PlanEntry, ...]


@dataclass(frozen=True, slots=True)
class PlanVsActual:
    """The schedules' in-person visits against the sign-in book."""

    executed: tuple[PlanEntry, ...] = ()
    missed: tuple[PlanEntry, ...] = ()
    unplanned: tuple[PlanEntry, ...] = ()
    uncovered: tuple[UncoveredWeek, ...] = ()
    unjudged: tuple[PlanEntry, ...] = ()  # planned in person, but there is no sign-in book to judge by

    @property
    def planned(self) -> int:
        """Return the number of in-person visits the schedules planned in the month."""
        return len(self.executed) + len(self.missed) + len(self.unjudged)

    @property
    def rate(self) -> Decimal | None:
        """Return executed / planned, to four places (None when nothing was planned or nothing can be judged)."""
        if not self.planned or self.unjudged:
            return None
        return (Decimal(len(self.executed)) / Decimal(self.planned)).quantize(_RATE_PLACES, ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class VisitFigures:
    """Visits per customer and plan against actual, for one manager's month."""

    customers: tuple[CustomerVisits, ...]
    plan: PlanVsActual
    minimum: int  # the in-person visits a customer needs a month
    has_sign_in_book: bool = True
    exceptions: Mapping[str, int] = field(default_factory=dict)  # approved minimums by customer (002 2221)

    def minimum_for(self, code: str) -> int:
        """Return the in-person visits customer ``code`` needs: an approved exception, else the minimum."""
        return self.exceptions.get(code, self.minimum)

    @property
    def in_person_visits(self) -> int | None:
        """Return the number of visits made in person (sign-in rows); None without a sign-in book."""
        return sum(len(c.in_person) for c in self.customers) if self.has_sign_in_book else None

    @property
    def phone_visits(self) -> int:
        """Return the number of phone visits (the schedules' 电话 rows not made in person)."""
        return sum(len(c.by_phone) for c in self.customers)

    @property
    def customers_served(self) -> int | None:
        """Return the number of customers visited at least once, in person or by phone; None without a book."""
        if not self.has_sign_in_book:
            return None
        return sum(1 for c in self.customers if c.in_person or c.by_phone)

    @property
    def below_minimum(self) -> tuple[CustomerVisits, ...]:
        """Return the customers visited in person fewer times than the policy minimum (none without a book)."""
        if not self.has_sign_in_book:
            return ()
        return tuple(c for c in self.customers if len(c.in_person) < self.minimum_for(c.code))


def count_visits(inputs: MonthInputs, policy: Policy) -> VisitFigures:
    """Return the visit figures of ``inputs``; the policy says how many in-person visits each customer needs."""
    planned = sorted(inputs.planned_visits(), key=lambda item: item[2].date)
    signed = [_signed_entry(*item) for item in inputs.signed_visits()]
    waiting: dict[tuple[dt.date, str], list[PlanEntry]] = defaultdict(list)
    for entry in signed:
        waiting[(entry.date, entry.customer_code)].append(entry)
    executed, missed, phoned = _match(planned, waiting)
    covered = _covered_days(inputs)
    left = [entry for entries in waiting.values() for entry in entries]
    judged = bool(inputs.sign_in_books)
    plan = PlanVsActual(
        executed=tuple(executed),
        missed=tuple(missed) if judged else (),
        unjudged=() if judged else tuple(missed),
        unplanned=tuple(sorted((e for e in left if e.date in covered), key=_entry_order)),
        uncovered=_by_week(e for e in left if e.date not in covered),
    )
    return VisitFigures(_customers(signed, phoned, planned), plan, policy.min_monthly_visits_per_customer,
                        bool(inputs.sign_in_books), policy.visit_minimum_exceptions)


def _match(
    planned: list[tuple[Submission, int, PlannedVisit]], waiting: dict[tuple[dt.date, str], list[PlanEntry]]
) -> tuple[list[PlanEntry], list[PlanEntry], list[PlanEntry]]:
    """Match each schedule row with the first unmatched sign-in of its day and customer.

    Returns the executed and missed in-person rows, and the phone rows not made in
    person. A phone row that was made in person is neither: its sign-in counts as an
    in-person visit, and it is not unplanned.
    """
    executed, missed, phoned = [], [], []
    for submission, index, row in planned:
        entry = PlanEntry(row.date, row.customer_code, row.customer_name, planned=submission.source.ref(index))
        candidates = waiting[(row.date, row.customer_code)]
        made = candidates.pop(0) if candidates else None
        if row.visit_mode == "上门" and made is not None:
            executed.append(replace(entry, signed=made.signed))
        elif row.visit_mode == "上门":
            missed.append(entry)
        elif made is None:
            phoned.append(entry)
    return executed, missed, phoned


def _signed_entry(submission: Submission, index: int, row: SignIn) -> PlanEntry:
    return PlanEntry(row.date, row.customer_code, row.customer_name, signed=submission.source.ref(index))


def _entry_order(entry: PlanEntry) -> tuple[dt.date, str]:
    return entry.date, entry.customer_code


def _covered_days(inputs: MonthInputs) -> set[dt.date]:
    """Return the days of the month that a submitted schedule plans for."""
    days: set[dt.date] = set()
    for submission in inputs.schedules:
        start = cast(VisitSchedule, submission.record).week_start
        days |= {start + dt.timedelta(days=n) for n in range(7)}
    return {day for day in days if month_of(day) == inputs.month}


def _by_week(entries: Iterable[PlanEntry]) -> tuple[UncoveredWeek, ...]:
    weeks: dict[dt.date, list[PlanEntry]] = defaultdict(list)
    for entry in entries:
        weeks[entry.date - dt.timedelta(days=entry.date.weekday())].append(entry)
    return tuple(
        UncoveredWeek(start, tuple(sorted(found, key=_entry_order))) for start, found in sorted(weeks.items())
    )


def _customers(
    signed: list[PlanEntry], phoned: list[PlanEntry], planned: list[tuple[Submission, int, PlannedVisit]]
) -> tuple[CustomerVisits, ...]:
    """Return every customer of the month's schedules and sign-ins with their visits, by code."""
    names: dict[str, str] = {}
    for code, name in [(e.customer_code, e.customer_name) for e in signed] + [
        (row.customer_code, row.customer_name) for _, _, row in planned
    ]:
        names.setdefault(code, name)
    in_person = _refs_by_customer((e.customer_code, e.signed) for e in sorted(signed, key=_entry_order))
    by_phone = _refs_by_customer((e.customer_code, e.planned) for e in sorted(phoned, key=_entry_order))
    return tuple(
        CustomerVisits(code, names[code], tuple(in_person[code]), tuple(by_phone[code])) for code in sorted(names)
    )


def _refs_by_customer(pairs: Iterable[tuple[str, RowRef | None]]) -> dict[str, list[RowRef]]:
    found: dict[str, list[RowRef]] = defaultdict(list)
    for code, ref in pairs:
        if ref is not None:
            found[code].append(ref)
    return found
