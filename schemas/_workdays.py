"""Mainland China working days, and the monthly report's due date.

The holiday tables come from the ``chinese-calendar`` package, which follows the
State Council's yearly notice (public holidays and the make-up working days on
weekends). For a year the package has no table for yet, we fall back to
"Monday to Friday" and say so, rather than fail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DueDate:
    """A deadline, and whether it was computed without the official calendar."""

    date: dt.date
    calendar_known: bool

    @property
    def warning(self) -> str | None:
        """Return the Chinese warning for a deadline computed on weekends only."""
        if self.calendar_known:
            return None
        return (
            f"{self.date.year} 年的法定节假日安排尚未收录，截止日仅按周末顺延计算"
            f"（{self.date.isoformat()}），请以当年国务院办公厅通知为准"
        )


def is_workday(day: dt.date) -> tuple[bool, bool]:
    """Return (is a working day, the official calendar knows the year)."""
    import chinese_calendar  # type: ignore[import-untyped]  # (no type hints) on first use: month_end needs no holidays

    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        return day.weekday() < 5, False


def next_workday(day: dt.date) -> DueDate:
    """Return ``day`` if it is a working day, else the next working day."""
    known_all = True
    while True:
        workday, known = is_workday(day)
        known_all = known_all and known
        if workday:
            return DueDate(day, known_all)
        day += dt.timedelta(days=1)


def month_end(month: str) -> dt.date:
    """Return the last day of ``YYYY-MM``."""
    year, number = (int(part) for part in month.split("-"))
    first_next = dt.date(year + number // 12, number % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def report_due_date(month: str, due_day: int, postpone_holidays: bool) -> DueDate:
    """Return the due date of the report on ``month`` (``YYYY-MM``).

    The report is due on ``due_day`` of the following month; with
    ``postpone_holidays`` (节假日顺延) a day off moves it to the next working day.
    """
    due = month_end(month) + dt.timedelta(days=due_day)
    if not postpone_holidays:
        return DueDate(due, True)
    return next_workday(due)
