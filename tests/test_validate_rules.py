"""Every rule of every form, broken once in a workbook filled like the template; found at its cell.

Each case changes the shipped sample the way a person might get it wrong,
writes the workbook (see ``filled_workbooks`` for the layout: header values in
column B from row 3; the sign-in book's first visit is row 8, the schedule's
row 10, the report's first problem row 18) and expects exactly one finding.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import sample
from tests.filled_workbooks import write_form
from toolkit.registry import all_forms, get_form
from toolkit.validate import validate_file

Change = Callable[[dict[str, Any]], None]


def _set(*path: Any, value: Any) -> Change:
    def change(record: dict[str, Any]) -> None:
        target = record
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _keep_rows(count: int) -> Change:
    def change(record: dict[str, Any]) -> None:
        record["rows"] = record["rows"][:count]
    return change


def _both(*changes: Change) -> Change:
    def change(record: dict[str, Any]) -> None:
        for each in changes:
            each(record)
    return change


# (form, what the person did, change, expected (cell, row, field, code, severity)).
# The schedule sample plans exactly 30 in-person (上门) visits a day, the policy minimum; rows 30 and 31 are 电话.
CASES = [
    ("sign-in-book", "客户未签名", _set("rows", 0, "customer_signature", value=None),
     ("I8", 8, "customer_signature", "missing_required", "error")),
    ("sign-in-book", "日期写错", _set("rows", 0, "date", value="2026年11月31日"),
     ("A8", 8, "date", "invalid_date", "error")),
    ("sign-in-book", "时间写错", _set("rows", 0, "arrived_at", value="25点"),
     ("B8", 8, "arrived_at", "invalid_time", "error")),
    ("sign-in-book", "工作内容不在选项中", _set("rows", 0, "work_items", value=["打扫卫生"]),
     ("F8", 8, "work_items", "invalid_choice", "error")),
    ("sign-in-book", "客户编码带横线", _set("rows", 0, "customer_code", value="4301-01"),
     ("D8", 8, "customer_code", "pattern_mismatch", "error")),
    ("sign-in-book", "走访日期不在本月", _set("rows", 0, "date", value="2026-12-01"),
     ("A8", 8, "date", "out_of_range", "error")),
    ("sign-in-book", "离开早于到达", _set("rows", 0, "left_at", value="08:30"),
     ("C8", 8, "left_at", "time_order", "error")),
    ("sign-in-book", "两次走访时间重叠", _set("rows", 1, "arrived_at", value="08:50"),
     ("B9", 9, "arrived_at", "time_overlap", "error")),
    ("sign-in-book", "同一客户一天两次", _set("rows", 1, "customer_code", value="4301000001"),
     ("D9", 9, "customer_code", "duplicate", "warning")),
    ("sign-in-book", "月份写错", _set("month", value="2026年13月"),
     ("B5", 5, "month", "pattern_mismatch", "error")),
    ("sign-in-book", "未写客户经理", _set("manager", value="  "),
     ("B3", 3, "manager", "missing_required", "error")),
    ("visit-schedule", "计划周不从星期一开始", _both(_set("week_start", value="2026-11-10"),
                                                    _set("prepared_on", value="2026-11-08")),
     ("B5", 5, "week_start", "not_monday", "error")),
    ("visit-schedule", "制表晚于计划周", _set("prepared_on", value="2026-11-10"),
     ("B6", 6, "prepared_on", "date_order", "error")),
    ("visit-schedule", "不在周末制表", _set("prepared_on", value="2026-11-04"),
     ("B6", 6, "prepared_on", "policy", "warning")),
    ("visit-schedule", "访问日期不在计划周", _set("rows", 30, "date", value="2026-11-16"),  # a 电话 visit
     ("A40", 40, "date", "out_of_range", "error"),
     ("A40", 40, "date", "policy", "warning")),  # and 2026-11-16 then has no in-person visit
    ("visit-schedule", "计划时段颠倒", _set("rows", 0, "planned_time", value="09:00-08:30"),
     ("G10", 10, "planned_time", "time_order", "error")),
    ("visit-schedule", "同一客户同一天两次", _set("rows", 1, "customer_code", value="4301000001"),
     ("C11", 11, "customer_code", "duplicate", "error")),
    ("visit-schedule", "访问方式不在选项中", _set("rows", 30, "visit_mode", value="上网"),
     ("F40", 40, "visit_mode", "invalid_choice", "error")),
    ("visit-schedule", "某天上门不足 30 户", _set("rows", 0, "visit_mode", value="电话"),
     ("A10", 10, "date", "policy", "warning")),
    ("special-visit", "访问早于情况发生", _set("visited_at", value="2026-11-03 09:30"),
     ("B10", 10, "visited_at", "date_order", "error")),
    ("special-visit", "访问不及时", _set("visited_at", value="2026-11-08 09:30"),
     ("B10", 10, "visited_at", "late_visit", "warning")),
    ("special-visit", "价格违规未上报", _set("reported", value="否"),
     ("B15", 15, "reported", "not_reported", "error")),
    ("special-visit", "电话号码不对", _set("phone", value="12345"),
     ("B8", 8, "phone", "pattern_mismatch", "error")),
    ("special-visit", "是否上报写了别的", _set("reported", value="也许"),
     ("B15", 15, "reported", "invalid_choice", "error")),
    ("monthly-report", "报告逾期", _set("submitted_on", value="2026-11-06"),
     ("B6", 6, "submitted_on", "overdue", "error")),
    ("monthly-report", "月份未结束就提交", _set("submitted_on", value="2026-10-30"),
     ("B6", 6, "submitted_on", "date_order", "error")),
    ("monthly-report", "节假日未收录的年份", _both(_set("month", value="2027-10"),
                                                  _set("submitted_on", value="2027-11-03")),
     ("B6", 6, "submitted_on", "calendar_unknown", "warning")),
    ("monthly-report", "缺整体分析", _set("overall_analysis", value=""),
     ("B11", 11, "overall_analysis", "missing_required", "error")),
    ("monthly-report", "客户数为负", _set("customers_served", value=-1),
     ("B7", 7, "customers_served", "out_of_range", "error")),
    ("monthly-report", "客户数写了文字", _set("customers_served", value="很多"),
     ("B7", 7, "customers_served", "invalid_type", "error")),
    ("monthly-report", "问题未写原因", _set("problems", 1, "cause", value=None),
     ("B19", 19, "cause", "missing_required", "error")),
    ("feedback-slip", "商品质量未写品牌", _set("brand_spec", value=None),
     ("B11", 11, "brand_spec", "missing_required", "error")),
    ("feedback-slip", "未审核就调换", _both(_set("review_opinion", value=None), _set("reviewer_signature", value=None),
                                          _set("reviewed_on", value=None)),
     ("B20", 20, "exchanged_quantity", "stage_order", "error")),
    ("feedback-slip", "调换多于反映数量", _set("exchanged_quantity", value=3),
     ("B20", 20, "exchanged_quantity", "out_of_range", "error")),
    ("feedback-slip", "调换早于审核", _set("exchanged_on", value="2026-11-03"),
     ("B21", 21, "exchanged_on", "date_order", "error")),
    ("feedback-slip", "数量不是整数", _set("quantity", value="两条"),
     ("B12", 12, "quantity", "invalid_type", "error")),
    ("feedback-slip", "单位不在选项中", _set("unit", value="箱"),
     ("B13", 13, "unit", "invalid_choice", "error")),
]


@pytest.mark.parametrize(("form_id", "change", "expected"), [(c[0], c[2], c[3:]) for c in CASES],
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_each_rule_is_found_at_its_cell(tmp_path: Path, form_id: str, change: Change, expected: tuple) -> None:
    record = sample(form_id)
    change(record)
    report = validate_file(write_form(get_form(form_id), record, tmp_path / "in.xlsx"))
    assert report.flatten("cell", "row", "field", "code", "severity") == list(expected)
    assert report.valid is all(severity == "warning" for *_, severity in expected)


@pytest.mark.parametrize("form", list(all_forms().values()), ids=lambda f: f.form_id)
def test_clean_sample_is_valid(tmp_path: Path, form: Any) -> None:
    report = validate_file(write_form(form, sample(form.form_id), tmp_path / "in.xlsx"))
    assert report.flatten("cell", "code", "message") == []
    assert report.valid


def test_every_rule_code_of_the_forms_has_a_breaking_case() -> None:
    covered = {finding[3] for case in CASES for finding in case[3:]}
    assert {"missing_required", "invalid_type", "invalid_date", "invalid_time", "invalid_choice", "out_of_range",
            "pattern_mismatch", "not_monday", "duplicate", "date_order", "time_order", "time_overlap",
            "stage_order", "not_reported", "overdue", "late_visit", "policy", "calendar_unknown"} <= covered
