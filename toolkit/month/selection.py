"""Pick one manager's month out of the submitted records, and say what was left out.

A folder often holds more than the month's own records: last month's sign-in
book, a colleague's schedule, two versions of one week's plan. They are left out
of the figures, each with a finding, rather than counted wrongly.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from manualkit.schemas._base import FormSchema
from manualkit.schemas._month import MonthRole, month_of
from manualkit.schemas.sign_in_book import SignIn, SignInBook
from manualkit.schemas.visit_schedule import PlannedVisit
from manualkit.toolkit.month.provenance import Finding, Submission, finding

__all__ = ["MonthInputs", "infer_month", "manager_of", "month_forms", "month_of", "record_months", "role_of",
           "select_month"]


# The order the findings of the first forms were always listed in; a later form's come after them.
_ROLE_ORDER = {"schedule": 0, "sign_in_book": 1, "special_visit": 2, "feedback_slip": 3}


def role_of(record: FormSchema) -> MonthRole | None:
    """Return the record's part in a month (its form's ``month_role``), None for a form with none."""
    return type(record).month_role


def _role(record: FormSchema) -> MonthRole:
    """Return the part in a month of a record already taken as part of one."""
    role = role_of(record)
    assert role is not None, f"a {record.form_id} record has no part in a month"
    return role


def month_forms() -> frozenset[str]:
    """Return the ids of the forms a month is made of: those declaring a ``month_role``."""
    from manualkit.toolkit.registry import all_forms

    return frozenset(spec.form_id for spec in all_forms().values() if spec.model.month_role is not None)


@dataclass(frozen=True, slots=True)
class MonthInputs:
    """The records of one manager's month, sorted by kind, and what was left out."""

    month: str
    manager: str | None
    area: str | None
    records: Mapping[str, tuple[Submission, ...]] = field(default_factory=dict)  # by ``MonthRole.role``
    findings: tuple[Finding, ...] = ()
    repeated_sign_ins: frozenset[tuple[str, int | None, int]] = frozenset()  # (path, item, row) counted already

    def of(self, role: str) -> tuple[Submission, ...]:
        """Return the month's records of ``role`` (``MonthRole.role``), in the order given."""
        return self.records.get(role, ())

    @property
    def schedules(self) -> tuple[Submission, ...]:
        """Return the visit schedules, one per planned week."""
        return self.of("schedule")

    @property
    def sign_in_books(self) -> tuple[Submission, ...]:
        """Return the sign-in books."""
        return self.of("sign_in_book")

    @property
    def special_visits(self) -> tuple[Submission, ...]:
        """Return the special visits."""
        return self.of("special_visit")

    @property
    def feedback_slips(self) -> tuple[Submission, ...]:
        """Return the feedback slips."""
        return self.of("feedback_slip")

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

    def customer_records(self) -> Iterator[Submission]:
        """Yield the records about one customer each (a role with a ``customer_field``), by role."""
        for submissions in self.records.values():
            for submission in submissions:
                if (role := role_of(submission.record)) is not None and role.customer_field:
                    yield submission

    def customer_codes(self) -> frozenset[str]:
        """Return the codes of every customer in the month's records: the manager's customers."""
        codes = {row.customer_code for _, _, row in self.planned_visits()}
        codes |= {row.customer_code for _, _, row in self.signed_visits()}
        codes |= {str(getattr(s.record, role.customer_field)) for s in self.customer_records()
                  if (role := role_of(s.record)) and role.customer_field}
        return frozenset(codes)


def record_months(record: FormSchema) -> set[str]:
    """Return the months a record of the month's kinds is about (empty for other forms)."""
    role = role_of(record)
    return role.months(record) if role is not None else set()


def infer_month(submissions: Iterable[Submission]) -> str | None:
    """Return the month most of the records are about: sign-in books first, then schedules, then the rest."""
    def rank(submission: Submission) -> int | None:
        role = role_of(submission.record)
        return None if role is None else {"sign_in_book": 0, "schedule": 1}.get(role.role, 2)

    for level in range(3):
        months = Counter(month for s in submissions if rank(s) == level for month in record_months(s.record))
        if months:
            return months.most_common(1)[0][0]
    return None


def select_month(submissions: Sequence[Submission], month: str, manager: str | None = None) -> MonthInputs:
    """Return the records of ``manager``'s ``month``; the manager is inferred when not given.

    Records of another manager or another month are left out with an ``other_manager``
    or ``other_month`` finding; of two schedules for one week, the later-prepared is kept.
    Records of other forms (a monthly report in the folder) are ignored.
    """
    ours = [s for s in submissions if role_of(s.record) is not None]
    manager = manager.strip() if manager else _most_common_manager(ours, month)
    found: list[Finding] = []
    by_role: dict[str, list[Submission]] = {}
    for submission in ours:
        if (problem := _left_out(submission, month, manager)) is not None:
            found.append(problem)
        else:
            by_role.setdefault(_role(submission.record).role, []).append(submission)
    records: dict[str, tuple[Submission, ...]] = {}
    repeated: frozenset[tuple[str, int | None, int]] = frozenset()
    for role, kept in sorted(by_role.items(), key=lambda item: _ROLE_ORDER.get(item[0], len(_ROLE_ORDER))):
        if role == "sign_in_book":  # a visit in two books counts once; the books themselves stay
            repeated, dropped = _repeated_sign_ins(kept)
            records[role] = tuple(kept)
        elif _role(kept[0].record).weekly:
            records[role], dropped = _one_per_week(kept)
        else:
            records[role], dropped = _drop_repeats(kept)
        found += dropped
    schedules, books = records.get("schedule", ()), records.get("sign_in_book", ())
    return MonthInputs(
        month=month,
        manager=manager,
        area=_most_common(str(getattr(s.record, "area", "")) for s in (*schedules, *books)),
        records=records,
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
    role = role_of(record)
    return role.manager(record) if role is not None else str(getattr(record, "manager", ""))


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
        dated_by = _role(record).dated_by
        shown = _shown_months(record)
        return finding(
            "other_month",
            f"这份{record.form_title}是 {shown} 的，不是报告月份 {month} 的，未计入本月报告",
            source, field_name=dated_by, label=record.label(dated_by), value=shown,
        )
    return None


def _shown_months(record: FormSchema) -> str:
    return "、".join(sorted(record_months(record)))


def _one_per_week(submissions: list[Submission]) -> tuple[tuple[Submission, ...], list[Finding]]:
    """Keep one record per planned week: the latest prepared (the last given, on a tie)."""
    role = _role(submissions[0].record)

    def week(submission: Submission) -> dt.date:
        return cast(dt.date, role.week(submission.record))

    def prepared(submission: Submission) -> dt.date:
        return getattr(submission.record, role.prepared_by) if role.prepared_by else dt.date.min

    latest: dict[dt.date, Submission] = {}
    for submission in submissions:
        current = latest.get(week(submission))
        if current is None or prepared(submission) >= prepared(current):
            latest[week(submission)] = submission
    kept = tuple(s for s in submissions if latest[week(s)] is s)
    dropped = [
        finding(
            "duplicate_submission",
            f"与 {latest[day].source.ref()} 是同一计划周（{day} 起）的日程表，只计入制表日期较晚的那一份",
            s.source, field_name=role.dated_by, label=s.record.label(role.dated_by), value=day.isoformat(),
            clause=s.record.clause,
        )
        for s in submissions
        if latest[(day := week(s))] is not s
    ]
    return kept, dropped


def _repeated_sign_ins(books: Sequence[Submission]) -> tuple[frozenset[tuple[str, int | None, int]], list[Finding]]:
    """Return the sign-in rows that repeat a visit of an earlier book (same day, customer, arrival), and findings.

    Within one book the sign-in book's own rules already report a repeat; across books
    (a month split in two files, or the same book given twice) it would count twice. It is
    the same rule (one sign-in per customer and day), so the findings cite its clause. A book
    whose every visit is already in one earlier book (a copy, or a part of it) gets one finding,
    not one for each of its rows.
    """
    first: dict[tuple[dt.date, str, dt.time], Submission] = {}
    repeated: set[tuple[str, int | None, int]] = set()
    found: list[Finding] = []
    rule = SignInBook.rules.duplicate
    for book in books:
        rows = book.record.table()
        repeats: list[tuple[int, SignIn, Submission]] = []
        for index, row in enumerate(rows):
            earlier = first.setdefault((row.date, row.customer_code, row.arrived_at), book)
            if earlier is not book:
                repeated.add((book.source.path, book.source.item, index))
                repeats.append((index, row, earlier))
        if repeats and len(repeats) == len(rows) and len({id(earlier) for *_, earlier in repeats}) == 1:
            message = f"这本签到簿的 {len(rows)} 次走访都已记在 {repeats[0][2].source.ref()}，只计一次"
            found.append(finding(rule, message, book.source))
            continue
        found += [finding(
            rule, f"这次走访（{row.date} {row.arrived_at:%H:%M} 客户 {row.customer_code}）"
            f"已记在 {earlier.source.ref()}，只计一次", book.source.ref(index),
            field_name="customer_code", label=SignIn.label("customer_code"), value=row.customer_code,
        ) for index, row, earlier in repeats]
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
                "duplicate_submission", f"与 {earlier.source.ref()} 完全相同，只计一次", submission.source,
                clause=submission.record.clause,
            ))
    return tuple(kept), found
