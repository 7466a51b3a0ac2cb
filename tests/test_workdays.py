"""The due date of the monthly report with China's holiday calendar (节假日顺延)."""

from __future__ import annotations

import datetime as dt

import pytest

from manualkit.schemas._workdays import next_workday, report_due_date
from manualkit.toolkit.policy import load_policy
from manualkit.toolkit.records import check_record
from manualkit.toolkit.registry import get_form
from tests.conftest import sample


@pytest.mark.parametrize(("month", "due"), [
    ("2026-03", "2026-04-07"),  # 4-5 is a Sunday inside the Qingming holiday
    ("2026-04", "2026-05-06"),  # Labour Day holiday runs to 5-5
    ("2026-09", "2026-10-08"),  # National Day holiday runs to 10-7
    ("2026-10", "2026-11-05"),  # an ordinary Thursday
])
def test_worked_examples_of_forms_md(month: str, due: str) -> None:
    result = report_due_date(month, 5, postpone_holidays=True)
    assert result.date.isoformat() == due
    assert result.calendar_known and result.warning is None


def test_make_up_working_day_counts_as_working_day() -> None:
    saturday = dt.date(2026, 10, 10)  # a make-up working day after National Day 2026
    assert saturday.weekday() == 5
    assert next_workday(saturday).date == saturday


def test_without_postponement_the_day_stays() -> None:
    assert report_due_date("2026-03", 5, postpone_holidays=False).date == dt.date(2026, 4, 5)


def test_year_without_calendar_falls_back_to_weekends_with_a_warning() -> None:
    due = report_due_date("2027-01", 5, postpone_holidays=True)  # 2027-02-05 is a Friday
    assert due.date == dt.date(2027, 2, 5)
    assert not due.calendar_known
    assert due.warning is not None and "2027" in due.warning and "周末" in due.warning
    weekend = report_due_date("2027-05", 5, postpone_holidays=True)  # 2027-06-05 is a Saturday
    assert weekend.date == dt.date(2027, 6, 7)


def test_report_for_2027_gives_a_warning_not_a_crash() -> None:
    data = sample("monthly-report")
    data.update(month="2027-01", submitted_on="2027-02-03")
    result = check_record(get_form("monthly-report"), data, load_policy(None))
    assert result.valid
    assert [(v.code, v.severity) for v in result.violations] == [("calendar_unknown", "warning")]


def test_submitted_on_the_postponed_due_date_is_in_time() -> None:
    data = sample("monthly-report")
    data.update(month="2026-09", submitted_on="2026-10-08")
    assert check_record(get_form("monthly-report"), data, load_policy(None)).valid
    data["submitted_on"] = "2026-10-09"
    found = check_record(get_form("monthly-report"), data, load_policy(None)).violations
    assert [v.code for v in found] == ["overdue"]
    assert "2026-10-08" in found[0].message
