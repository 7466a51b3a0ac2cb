"""Pick one manager's month out of the submitted records, and say what was left out.

A folder often holds more than the month's own records: last month's sign-in
book, a colleague's schedule, two versions of one week's plan. They are left out
of the figures, each with a finding, rather than counted wrongly.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import cast

from schemas._base import FormSchema, Severity
from schemas.feedback_slip import FeedbackSlip
from schemas.sign_in_book import SignIn, SignInBook
from schemas.special_visit import SpecialVisit
from schemas.visit_schedule import PlannedVisit, VisitSchedule
from toolkit.report.sources import Finding, Submission, finding

# The kinds of record a month is made of, and the field that dates each one.
_DATED_BY: dict[type[FormSchema], str] = {
    VisitSchedule: "week_start",
    SignInBook: "month",
    SpecialVisit: "visited_at",
    FeedbackSlip: "reported_on",
}
# The forms a month is made of, by form id; others in the folder (last month's report) are noted and skipped.
MONTH_FORMS = frozenset(model.form_id for model in _DATED_BY)


@dataclass(frozen=True, slots=True)
class MonthInputs:
    """The records of one manager's month, sorted by kind, and what was left out."""

    month: str
    manager: str | None
    area: str | None
    schedules: tuple[Submission, ...] = ()
    sign_in_books: tuple[Submission, ...] = ()
    special_visits: tuple[Submission, ...] = ()
    feedback_slips: tuple[Submission, ...] = ()
    findings: tuple[Finding, ...] = ()
    repeated_sign_ins: frozenset[tuple[str, int | None, int]] = frozenset()  # (path, item, row) counted already

    def planned_visits(self) -> Iterator[tuple[Submission, int, PlannedVisit]]:
        """Yield the schedule rows dated in the month, with their submission and row index."""
        for submission in self.schedules:
            for index, row in enumerate(submission.record.table()):
                if month_of(row.date) == self.month:
                    yield submission, index, row

    def signed_visits(self) -> Iterator[tuple[Submission, int, SignIn]]:
        """Yield the sign-in rows dated in the month (a visit in two books once), with submission and row index."""
        for submission in self.sign_in_books:
            source = submission.source
            for index, row in enumerate(submission.record.table()):
                if month_of(row.date) == self.month and (source.path, source.item, index) not in self.repeated_sign_ins:
                    yield submission, index, row


    def customer_codes(self) -> frozenset[str]:
        """Return the codes of every customer in the month's records: the manager's customers."""
        codes = {row.customer_code for _, _, row in self.planned_visits()}
        codes |= {row.customer_code for _, _, row in self.signed_visits()}
        codes |= {cast(SpecialVisit | FeedbackSlip, s.record).customer_code
                  for s in (*self.special_visits, *self.feedback_slips)}
        return frozenset(codes)


def month_of(day: dt.date) -> str:
    """Return ``YYYY-MM`` of ``day``."""
    return f"{day.year:04d}-{day.month:02d}"


def record_months(record: FormSchema) -> set[str]:
    """Return the months a record of the month's kinds is about (empty for other forms)."""
    if isinstance(record, VisitSchedule):
        return {month_of(row.date) for row in record.rows}
    if isinstance(record, SignInBook):
        return {record.month}
    if isinstance(record, SpecialVisit):
        return {month_of(record.visited_at.date())}
    if isinstance(record, FeedbackSlip):
        return {month_of(record.reported_on)}
    return set()


def infer_month(submissions: Iterable[Submission]) -> str | None:
    """Return the month most of the records are about: sign-in books first, then schedules, then the rest."""
    for kinds in ((SignInBook,), (VisitSchedule,), (SpecialVisit, FeedbackSlip)):
        months = Counter(
            month for s in submissions if isinstance(s.record, kinds) for month in record_months(s.record)
        )
        if months:
            return months.most_common(1)[0][0]
    return None


def select_month(submissions: Sequence[Submission], month: str, manager: str | None = None) -> MonthInputs:
    """Return the records of ``manager``'s ``month``; the manager is inferred when not given.

    Records of another manager or another month are left out with an ``other_manager``
    or ``other_month`` finding; of two schedules for one week, the later-prepared is kept.
    Records of other forms (a monthly report in the folder) are ignored.
    """
    ours = [s for s in submissions if type(s.record) in _DATED_BY]
    manager = manager.strip() if manager else _most_common_manager(ours, month)
    found: list[Finding] = []
    kept: list[Submission] = []
    for submission in ours:
        if (problem := _left_out(submission, month, manager)) is not None:
            found.append(problem)
        else:
            kept.append(submission)
    schedules, dropped = _one_schedule_per_week([s for s in kept if isinstance(s.record, VisitSchedule)])
    found += dropped
    books = tuple(s for s in kept if isinstance(s.record, SignInBook))
    repeated, repeat_findings = _repeated_sign_ins(books)
    special, special_findings = _drop_repeats([s for s in kept if isinstance(s.record, SpecialVisit)])
    slips, slip_findings = _drop_repeats([s for s in kept if isinstance(s.record, FeedbackSlip)])
    found += [*repeat_findings, *special_findings, *slip_findings]
    return MonthInputs(
        month=month,
        manager=manager,
        area=_most_common(str(getattr(s.record, "area", "")) for s in (*schedules, *books)),
        schedules=schedules,
        sign_in_books=books,
        special_visits=special,
        feedback_slips=slips,
        findings=tuple(found),
        repeated_sign_ins=repeated,
    )


def _most_common(values: Iterable[str]) -> str | None:
    counts = Counter(values)
    return counts.most_common(1)[0][0] if counts else None


def _most_common_manager(submissions: Iterable[Submission], month: str) -> str | None:
    return _most_common(manager_of(s.record) for s in submissions if month in record_months(s.record))


def manager_of(record: FormSchema) -> str:
    """Return the account manager a record belongs to (empty for a form without one)."""
    return str(getattr(record, "manager", ""))


def _left_out(submission: Submission, month: str, manager: str | None) -> Finding | None:
    """Return why ``submission`` is not part of the month, or None if it is."""
    record, source = submission.record, submission.source
    owner = manager_of(record)
    if manager is not None and owner != manager:
        return finding(
            "other_manager",
            f"这份{record.form_title}属于客户经理“{owner}”，不是“{manager}”的，未计入本月报告",
            source, field_name="manager", label=record.label("manager"), value=owner,
        )
    if month not in record_months(record):
        dated_by = _DATED_BY[type(record)]
        shown = _shown_months(record)
        return finding(
            "other_month",
            f"这份{record.form_title}是 {shown} 的，不是报告月份 {month} 的，未计入本月报告",
            source, field_name=dated_by, label=record.label(dated_by), value=shown,
        )
    return None


def _shown_months(record: FormSchema) -> str:
    return "、".join(sorted(record_months(record)))


def _one_schedule_per_week(schedules: list[Submission]) -> tuple[tuple[Submission, ...], list[Finding]]:
    """Keep one schedule per planned week: the latest prepared (the last given, on a tie)."""
    def plan(submission: Submission) -> VisitSchedule:
        return cast(VisitSchedule, submission.record)

    latest: dict[dt.date, Submission] = {}
    for submission in schedules:
        current = latest.get(plan(submission).week_start)
        if current is None or plan(submission).prepared_on >= plan(current).prepared_on:
            latest[plan(submission).week_start] = submission
    kept = tuple(s for s in schedules if latest[plan(s).week_start] is s)
    dropped = [
        finding(
            "duplicate",
            f"与 {latest[week].source.ref()} 是同一计划周（{week} 起）的日程表，只计入制表日期较晚的那一份",
            s.source, field_name="week_start", label=VisitSchedule.label("week_start"), value=week.isoformat(),
            severity=Severity.WARNING,
        )
        for s in schedules
        if latest[(week := plan(s).week_start)] is not s
    ]
    return kept, dropped


def _repeated_sign_ins(books: Sequence[Submission]) -> tuple[frozenset[tuple[str, int | None, int]], list[Finding]]:
    """Return the sign-in rows that repeat a visit of an earlier book (same day, customer, arrival), and findings.

    Within one book the sign-in book's own rules already report a repeat; across books
    (a month split in two files, or the same book given twice) it would count twice.
    """
    first: dict[tuple[dt.date, str, dt.time], Submission] = {}
    repeated: set[tuple[str, int | None, int]] = set()
    found: list[Finding] = []
    for book in books:
        for index, row in enumerate(book.record.table()):
            key = (row.date, row.customer_code, row.arrived_at)
            earlier = first.setdefault(key, book)
            if earlier is not book:
                repeated.add((book.source.path, book.source.item, index))
                found.append(finding(
                    "duplicate", f"这次走访（{row.date} {row.arrived_at:%H:%M} 客户 {row.customer_code}）"
                    f"已记在 {earlier.source.ref()}，只计一次", book.source.ref(index),
                    field_name="customer_code", label=SignIn.label("customer_code"), value=row.customer_code,
                    severity=Severity.WARNING,
                ))
    return frozenset(repeated), found


def _drop_repeats(submissions: Sequence[Submission]) -> tuple[tuple[Submission, ...], list[Finding]]:
    """Keep the first of identical records (the same slip exported twice); say which were dropped."""
    kept: list[Submission] = []
    found: list[Finding] = []
    for submission in submissions:
        earlier = next((k for k in kept if k.record == submission.record), None)
        if earlier is None:
            kept.append(submission)
        else:
            found.append(finding(
                "duplicate", f"与 {earlier.source.ref()} 完全相同，只计一次", submission.source,
                severity=Severity.WARNING,
            ))
    return tuple(kept), found
