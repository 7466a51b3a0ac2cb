"""Every sample is valid; every rule of forms.md rejects a record that breaks it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from manualkit.schemas._base import Severity
from manualkit.schemas._policy import DEFAULT_POLICY
from manualkit.toolkit.records import check_record
from manualkit.toolkit.registry import FormSpec, get_form
from tests.conftest import sample

Edit = Callable[[dict[str, Any]], None]


def test_sample_is_valid_without_findings(form: FormSpec) -> None:
    result = check_record(form, sample(form.form_id), DEFAULT_POLICY)
    assert result.valid
    errors = [v for v in result.violations if v.severity is Severity.ERROR]
    assert errors == []


def _set(path: str, value: Any) -> Edit:
    """Return an edit setting ``rows.2.date``-style ``path`` to ``value``."""
    def edit(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    return edit


def _drop(path: str) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        del target[last]
    return edit


def _both(*edits: Edit) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        for one in edits:
            one(data)
    return edit


def _copy_row(source: int, target: int, **changes: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        data["rows"][target] = {**data["rows"][source], **changes}
    return edit


# (form, edit, code, field, row, severity) — one line per rule of forms.md.
RULES: list[tuple[str, str, Edit, str, str, int | None, Severity]] = [
    # visit-schedule
    ("visit-schedule", "manager required", _set("manager", " "), "missing_required", "manager", None, Severity.ERROR),
    ("visit-schedule", "week starts Monday", _set("week_start", "2026-11-10"), "not_monday", "week_start", None, Severity.ERROR),
    ("visit-schedule", "prepared after week start", _set("prepared_on", "2026-11-10"), "date_order", "prepared_on", None, Severity.ERROR),
    ("visit-schedule", "prepared not at weekend", _set("prepared_on", "2026-11-05"), "policy", "prepared_on", None, Severity.WARNING),
    ("visit-schedule", "date within week", _set("rows.3.date", "2026-11-16"), "out_of_range", "date", 3, Severity.ERROR),
    ("visit-schedule", "code digits/letters", _set("rows.2.customer_code", "4301-07"), "pattern_mismatch", "customer_code", 2, Severity.ERROR),
    ("visit-schedule", "mode is a choice", _set("rows.1.visit_mode", "上门拜访"), "invalid_choice", "visit_mode", 1, Severity.ERROR),
    ("visit-schedule", "focus are choices", _set("rows.1.focus", "新品推广、喝茶"), "invalid_choice", "focus", 1, Severity.ERROR),
    ("visit-schedule", "time span format", _set("rows.4.planned_time", "上午"), "pattern_mismatch", "planned_time", 4, Severity.ERROR),
    ("visit-schedule", "time span order", _set("rows.4.planned_time", "10:00-09:30"), "time_order", "planned_time", 4, Severity.ERROR),
    ("visit-schedule", "route required", _set("rows.5.route", ""), "missing_required", "route", 5, Severity.ERROR),
    ("visit-schedule", "same customer same day", _copy_row(0, 1), "duplicate", "customer_code", 1, Severity.ERROR),
    ("visit-schedule", "few in-person visits a day", _set("rows.0.visit_mode", "电话"), "policy", "date", 0, Severity.WARNING),
    # special-visit
    ("special-visit", "visited before it happened", _set("visited_at", "2026-11-03 10:00"), "date_order", "visited_at", None, Severity.ERROR),
    ("special-visit", "visited too late", _set("visited_at", "2026-11-08 10:00"), "late_visit", "visited_at", None, Severity.WARNING),
    ("special-visit", "must report violations", _set("reported", "否"), "not_reported", "reported", None, Severity.ERROR),
    ("special-visit", "situation is a choice", _set("situation", "打架"), "invalid_choice", "situation", None, Severity.ERROR),
    ("special-visit", "phone number", _set("phone", "12345"), "pattern_mismatch", "phone", None, Severity.ERROR),
    ("special-visit", "manager signs", _drop("manager_signature"), "missing_required", "manager_signature", None, Severity.ERROR),
    ("special-visit", "visit time is a datetime", _set("visited_at", "昨天"), "invalid_date", "visited_at", None, Severity.ERROR),
    ("special-visit", "reported is yes/no", _set("reported", "也许"), "invalid_choice", "reported", None, Severity.ERROR),
    # sign-in-book
    ("sign-in-book", "date inside month", _set("rows.2.date", "2026-12-01"), "out_of_range", "date", 2, Severity.ERROR),
    ("sign-in-book", "left after arrived", _set("rows.3.left_at", "08:00"), "time_order", "left_at", 3, Severity.ERROR),
    ("sign-in-book", "overlapping visits", _set("rows.1.arrived_at", "08:50"), "time_overlap", "arrived_at", 1, Severity.ERROR),
    ("sign-in-book", "same customer twice a day",
     _set("rows.1.customer_code", "4301000001"), "duplicate", "customer_code", 1, Severity.WARNING),
    ("sign-in-book", "at least one work item", _set("rows.0.work_items", ""), "missing_required", "work_items", 0, Severity.ERROR),
    ("sign-in-book", "customer confirms", _set("rows.6.customer_signature", None), "missing_required", "customer_signature", 6, Severity.ERROR),
    ("sign-in-book", "time readable", _set("rows.6.arrived_at", "早上"), "invalid_time", "arrived_at", 6, Severity.ERROR),
    ("sign-in-book", "month format", _set("month", "十一月"), "pattern_mismatch", "month", None, Severity.ERROR),
    # feedback-slip
    ("feedback-slip", "goods need inspection", _set("inspected_on", None), "missing_required", "inspected_on", None, Severity.ERROR),
    ("feedback-slip", "goods need brand", _set("brand_spec", ""), "missing_required", "brand_spec", None, Severity.ERROR),
    ("feedback-slip", "goods need quantity", _both(_set("quantity", None), _set("exchanged_quantity", None),
     _set("exchanged_on", None)), "missing_required", "quantity", None, Severity.ERROR),
    ("feedback-slip", "quantity positive", _set("quantity", 0), "out_of_range", "quantity", None, Severity.ERROR),
    ("feedback-slip", "unit with quantity", _set("unit", None), "missing_required", "unit", None, Severity.ERROR),
    ("feedback-slip", "cause once inspected", _set("cause", None), "missing_required", "cause", None, Severity.ERROR),
    ("feedback-slip", "reviewer signs opinion", _set("reviewer_signature", None), "missing_required", "reviewer_signature", None, Severity.ERROR),
    ("feedback-slip", "review dated", _set("reviewed_on", None), "missing_required", "reviewed_on", None, Severity.ERROR),
    ("feedback-slip", "exchange within quantity", _set("exchanged_quantity", 3), "out_of_range", "exchanged_quantity", None, Severity.ERROR),
    ("feedback-slip", "exchange dated", _set("exchanged_on", None), "missing_required", "exchanged_on", None, Severity.ERROR),
    ("feedback-slip", "receipt signed", _set("receipt_signature", None), "missing_required", "receipt_signature", None, Severity.ERROR),
    ("feedback-slip", "no exchange without review", _both(_set("review_opinion", None), _set("reviewer_signature", None),
     _set("reviewed_on", None)), "stage_order", "exchanged_quantity", None, Severity.ERROR),
    ("feedback-slip", "dates go forward", _set("reviewed_on", "2026-11-02"), "date_order", "reviewed_on", None, Severity.ERROR),
    ("feedback-slip", "exchange after review", _set("exchanged_on", "2026-11-03"), "date_order", "exchanged_on", None, Severity.ERROR),
    ("feedback-slip", "customer signs", _set("customer_signature", ""), "missing_required", "customer_signature", None, Severity.ERROR),
    ("feedback-slip", "unit is a choice", _set("unit", "箱"), "invalid_choice", "unit", None, Severity.ERROR),
    # monthly-report
    ("monthly-report", "submitted in the month", _set("submitted_on", "2026-10-30"), "date_order", "submitted_on", None, Severity.ERROR),
    ("monthly-report", "submitted after due", _set("submitted_on", "2026-11-06"), "overdue", "submitted_on", None, Severity.ERROR),
    ("monthly-report", "part a", _set("overall_analysis", ""), "missing_required", "overall_analysis", None, Severity.ERROR),
    ("monthly-report", "part b", _set("problems", []), "missing_required", "problems", None, Severity.ERROR),
    ("monthly-report", "part b rows complete", _set("problems.0.measures", ""), "missing_required", "measures", 0, Severity.ERROR),
    ("monthly-report", "part c", _drop("customer_opinions"), "missing_required", "customer_opinions", None, Severity.ERROR),
    ("monthly-report", "part d", _set("forecast", None), "missing_required", "forecast", None, Severity.ERROR),
    ("monthly-report", "volume not negative", _set("total_volume", "-3"), "out_of_range", "total_volume", None, Severity.ERROR),
    ("monthly-report", "customers a whole number", _set("customers_served", "很多"), "invalid_type", "customers_served", None, Severity.ERROR),
]


@pytest.mark.parametrize(
    ("form_id", "edit", "code", "field", "row", "severity"),
    [pytest.param(f, e, c, fld, r, s, id=f"{f}: {why}") for f, why, e, c, fld, r, s in RULES],
)
def test_rule_is_enforced(form_id: str, edit: Edit, code: str, field: str, row: int | None,
                          severity: Severity) -> None:
    data = sample(form_id)
    edit(data)
    result = check_record(get_form(form_id), data, DEFAULT_POLICY)
    found = [(v.code, v.field, v.row, v.severity) for v in result.violations]
    assert (code, field, row, severity) in found
    assert result.valid is (severity is Severity.WARNING and not any(
        v.severity is Severity.ERROR for v in result.violations))


def test_every_finding_is_reported_at_once() -> None:
    data = sample("sign-in-book")
    _set("rows.0.customer_signature", "")(data)
    _set("rows.2.arrived_at", "25:00")(data)
    _set("rows.5.left_at", "08:00")(data)   # a rule broken in a row that is otherwise sound
    _set("rows.8.date", "2026-10-31")(data)
    result = check_record(get_form("sign-in-book"), data, DEFAULT_POLICY)
    found = sorted((v.row, v.code) for v in result.violations)
    # row 8 moved out of 2026-11-02: that day now falls short of the daily minimum, found in the same round
    assert found == [(0, "missing_required"), (0, "visits_below_daily_minimum"), (2, "invalid_time"),
                     (5, "time_order"), (8, "out_of_range")]


def test_messages_are_chinese_and_name_the_label() -> None:
    data = sample("visit-schedule")
    _set("rows.1.visit_mode", "拜访")(data)
    found = check_record(get_form("visit-schedule"), data, DEFAULT_POLICY).violations
    [finding] = [v for v in found if v.code == "invalid_choice"]
    assert finding.message == "“访问方式”只能填写：上门/电话（填写的是“拜访”）"
    assert finding.value == "拜访"


def test_records_keyed_by_label_are_read() -> None:
    data = sample("special-visit")
    by_label = {get_form("special-visit").model.label(k): v for k, v in data.items()}
    result = check_record(get_form("special-visit"), by_label, DEFAULT_POLICY)
    assert result.valid
    assert result.record is not None and result.record.customer_code == "4301000017"


@pytest.mark.parametrize(("typed", "expected"), [
    ("2026/11/5", "2026-11-05"), ("2026年11月5日", "2026-11-05"), ("2026.11.5", "2026-11-05"),
    ("２０２６－１１－０５", "2026-11-05"), (" 2026-11-05 ", "2026-11-05"),
    ("2026-11-05 10:00", "2026-11-05"), (dt.datetime(2026, 11, 5, 10, 0), "2026-11-05"),
])
def test_dates_as_people_type_them(typed: object, expected: str) -> None:
    data = sample("feedback-slip")
    data["result_fed_back_on"] = typed
    record = check_record(get_form("feedback-slip"), data, DEFAULT_POLICY).record
    assert record is not None and record.result_fed_back_on.isoformat() == expected  # type: ignore[attr-defined]


@pytest.mark.parametrize(("typed", "expected"), [
    ("是", True), ("否", False), ("√", True), ("×", False), ("Y", True), ("n", False),
])
def test_yes_no_as_people_type_it(typed: str, expected: bool) -> None:
    data = sample("special-visit")
    data["situation"], data["reported"] = "歇业", typed
    record = check_record(get_form("special-visit"), data, DEFAULT_POLICY).record
    assert record is not None and record.reported is expected  # type: ignore[attr-defined]


@pytest.mark.parametrize(("typed", "expected"), [("9:05", "09:05"), ("09:05", "09:05"), ("9点05", "09:05"),
                                                 ("９：０５", "09:05"), (0.5, "12:00"), ("9:05:00", "09:05"),
                                                 ("9点05分30秒", "09:05")])
def test_times_as_people_type_them(typed: object, expected: str) -> None:
    data = sample("sign-in-book")
    data["rows"][0]["arrived_at"] = typed
    data["rows"][0]["left_at"] = "23:59"
    data["rows"] = data["rows"][:1]
    record = check_record(get_form("sign-in-book"), data, DEFAULT_POLICY).record
    assert record is not None and f"{record.rows[0].arrived_at:%H:%M}" == expected  # type: ignore[attr-defined]


@pytest.mark.parametrize(("form_id", "edit", "message"), [
    ("sign-in-book", lambda d: d["rows"][0].update(arrived_at=930), "“到达时间”应为时间，如 09:05（填写的是“930”）"),
    ("special-visit", lambda d: d.update(visited_at=46331.4),
     "“访问时间”应为日期和时间，如 2026-11-05 09:30（填写的是“46331.4”）"),
    ("special-visit", lambda d: d.update(visited_at="20261105"),
     "“访问时间”应为日期和时间，如 2026-11-05 09:30（填写的是“20261105”）"),
])
def test_a_number_in_a_time_field_is_not_read_as_seconds_since_1970(form_id: str, edit: Edit, message: str) -> None:
    data = sample(form_id)
    edit(data)
    result = check_record(get_form(form_id), data, DEFAULT_POLICY)
    assert [v.message for v in result.violations] == [message]


def test_amounts_with_a_currency_sign_or_unit_are_numbers() -> None:
    data = sample("monthly-report") | {"total_amount": "￥1,494,390.50", "total_volume": "6,267条",
                                       "previous_volume": "6017 条"}
    record = check_record(get_form("monthly-report"), data, DEFAULT_POLICY).record
    assert record is not None
    assert (record.total_amount, record.total_volume, record.previous_volume) == (  # type: ignore[attr-defined]
        Decimal("1494390.50"), Decimal("6267"), Decimal("6017"))


def test_code_typed_as_number_keeps_its_digits() -> None:
    data = sample("special-visit")
    data["customer_code"] = 4301000017
    record = check_record(get_form("special-visit"), data, DEFAULT_POLICY).record
    assert record is not None and record.customer_code == "4301000017"  # type: ignore[attr-defined]


def test_feedback_slip_stage_follows_what_is_filled() -> None:
    data = sample("feedback-slip")
    stages = []
    for cut in ("result_fed_back_on", "receipt_signature", "result"):
        stages.append(check_record(get_form("feedback-slip"), data, DEFAULT_POLICY).record.stage)  # type: ignore[union-attr]
        data[cut] = None
    data["exchanged_quantity"] = data["exchanged_on"] = None
    stages.append(check_record(get_form("feedback-slip"), data, DEFAULT_POLICY).record.stage)  # type: ignore[union-attr]
    for name in ("review_opinion", "reviewer_signature", "reviewed_on"):
        data[name] = None
    stages.append(check_record(get_form("feedback-slip"), data, DEFAULT_POLICY).record.stage)  # type: ignore[union-attr]
    # a receipt signature closes the exchange, not the slip: the result is still to be fed back (§4.6.5)
    assert stages == ["已完结", "待反馈", "待签收", "待调换", "待审核"]


def test_a_broken_row_does_not_make_its_day_look_short_of_visits() -> None:
    data = sample("visit-schedule")
    _set("rows.0.focus", ["乱写"])(data)
    found = check_record(get_form("visit-schedule"), data, DEFAULT_POLICY).violations
    assert [(v.row, v.code) for v in found] == [(0, "invalid_choice")]
