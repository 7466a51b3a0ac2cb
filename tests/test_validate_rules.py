"""Every rule of every form, broken once in a workbook filled like the template; found at its cell.

Each case changes the shipped sample the way a person might get it wrong,
writes the workbook (see ``filled_workbooks`` for the layout: header values in
column B from row 3; the sign-in book's first visit is row 8, the schedule's
row 10, the report's first problem row 18) and expects exactly these findings, each with
its code, severity, field, row and the manual's clause, in the JSON and in the text report.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from manualkit.schemas._policy import DEFAULT_POLICY, Policy
from manualkit.toolkit.registry import all_forms, all_rules, get_form
from manualkit.toolkit.validate import validate_file
from manualkit.toolkit.validate.text import file_section
from tests.conftest import sample
from tests.filled_workbooks import write_form

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


def _drop_rows(start: int, stop: int | None = None) -> Change:
    def change(record: dict[str, Any]) -> None:
        del record["rows"][start:stop]
    return change


# (form, what the person did, change, expected (cell, row, field, code, severity, clause)...).
# The schedule sample plans exactly 30 in-person (上门) visits a day, the policy minimum, Monday to Friday;
# rows 30 and 31 of each day are 电话. The sign-in book's sample has 30 visits on each of 2026-11-02
# (rows 0–9 and 20–39) and 2026-11-03 (rows 10–19 and 40–59), every customer twice.
CASES = [
    ("sign-in-book", "客户未签名", _set("rows", 0, "customer_signature", value=None),
     ("I8", 8, "customer_signature", "missing_required", "error", "§4.1.4")),
    ("sign-in-book", "日期写错", _set("rows", 0, "date", value="2026年11月31日"),
     ("A8", 8, "date", "invalid_date", "error", "§4.1.4")),
    ("sign-in-book", "时间写错", _set("rows", 0, "arrived_at", value="25点"),
     ("B8", 8, "arrived_at", "invalid_time", "error", "§4.1.4")),
    ("sign-in-book", "工作内容不在选项中", _set("rows", 0, "work_items", value=["打扫卫生"]),
     ("F8", 8, "work_items", "invalid_choice", "error", "§4.1.4")),
    ("sign-in-book", "客户编码带横线", _set("rows", 0, "customer_code", value="4301-01"),
     ("D8", 8, "customer_code", "pattern_mismatch", "error", "§4.1.4")),
    ("sign-in-book", "走访日期不在本月", _set("rows", 0, "date", value="2026-12-01"),
     ("A8", 8, "date", "out_of_range", "error", "§4.1.4"),
     ("A9", 9, "date", "visits_below_daily_minimum", "warning", "002 三定(3)")),  # 2026-11-02 lost a visit
    ("sign-in-book", "离开早于到达", _set("rows", 0, "left_at", value="08:30"),
     ("C8", 8, "left_at", "time_order", "error", "§4.1.4")),
    ("sign-in-book", "两次走访时间重叠", _set("rows", 1, "arrived_at", value="08:50"),
     ("B9", 9, "arrived_at", "time_overlap", "error", "§4.1.4")),
    ("sign-in-book", "同一客户一天两次", _set("rows", 1, "customer_code", value="4301000001"),
     ("D9", 9, "customer_code", "duplicate", "warning", "§4.1.4"),
     ("D49", 49, "customer_code", "visits_below_minimum", "warning", "002 2221")),  # 4301000002 lost a visit
    ("sign-in-book", "月份写错", _set("month", value="2026年13月"),
     ("B5", 5, "month", "pattern_mismatch", "error", "§4.1.4")),
    ("sign-in-book", "未写客户经理", _set("manager", value="  "),
     ("B3", 3, "manager", "missing_required", "error", "§4.1.4")),
    ("sign-in-book", "一天走访不足 30 户、客户少走访一次", _drop_rows(59),
     ("A18", 18, "date", "visits_below_daily_minimum", "warning", "002 三定(3)"),
     ("D47", 47, "customer_code", "visits_below_minimum", "warning", "002 2221")),
    ("sign-in-book", "经批准少走访的客户", _drop_rows(59),  # policy: 4301000030 approved for 1 visit
     ("A18", 18, "date", "visits_below_daily_minimum", "warning", "002 三定(3)")),
    ("sign-in-book", "经批准多走访的客户", _set("rows", 0, "notes", value="价签已更换"),  # policy: 4301000001 needs 3
     ("D8", 8, "customer_code", "visits_below_minimum", "warning", "002 2221")),
    ("sign-in-book", "在市场的时间不足", _set("rows", 0, "notes", value="价签已更换"),  # policy: 11 hours a day
     ("A8", 8, "date", "market_hours_below_minimum", "warning", "002 三定(1)"),
     ("A18", 18, "date", "market_hours_below_minimum", "warning", "002 三定(1)")),
    ("sign-in-book", "工作内容未选且时间重叠", _both(_set("rows", 1, "work_items", value=None),
                                                  _set("rows", 1, "arrived_at", value="08:50")),
     ("B9", 9, "arrived_at", "time_overlap", "error", "§4.1.4"),  # one round: the broken row still counts
     ("F9", 9, "work_items", "missing_required", "error", "§4.1.4")),
    ("visit-schedule", "计划周不从星期一开始", _both(_set("week_start", value="2026-11-10"),
                                                    _set("prepared_on", value="2026-11-08")),
     ("B5", 5, "week_start", "not_monday", "error", "§4.1.1")),
    ("visit-schedule", "制表晚于计划周", _set("prepared_on", value="2026-11-10"),
     ("B6", 6, "prepared_on", "date_order", "error", "§4.1.1")),
    ("visit-schedule", "不在周末制表", _set("prepared_on", value="2026-11-04"),
     ("B6", 6, "prepared_on", "policy", "warning", "§4.1.1")),
    ("visit-schedule", "访问日期不在计划周", _set("rows", 30, "date", value="2026-11-16"),  # a 电话 visit
     ("A40", 40, "date", "out_of_range", "error", "§4.1.1"),
     ("A40", 40, "date", "policy", "warning", "002 三定(3)")),  # and 2026-11-16 then has no in-person visit
    ("visit-schedule", "计划时段颠倒", _set("rows", 0, "planned_time", value="09:00-08:30"),
     ("G10", 10, "planned_time", "time_order", "error", "§4.1.1")),
    ("visit-schedule", "同一客户同一天两次", _set("rows", 1, "customer_code", value="4301000001"),
     ("C11", 11, "customer_code", "duplicate", "error", "§4.1.1")),
    ("visit-schedule", "访问方式不在选项中", _set("rows", 30, "visit_mode", value="上网"),
     ("F40", 40, "visit_mode", "invalid_choice", "error", "§4.1.1")),
    ("visit-schedule", "某天上门不足 30 户", _set("rows", 0, "visit_mode", value="电话"),
     ("A10", 10, "date", "policy", "warning", "002 三定(3)")),
    ("visit-schedule", "周五一户也没有安排", _drop_rows(-32),
     ("B5", 5, "week_start", "policy", "warning", "002 三定(3)")),
    ("special-visit", "访问早于情况发生", _set("visited_at", value="2026-11-03 09:30"),
     ("B10", 10, "visited_at", "date_order", "error", "§4.1.2")),
    ("special-visit", "访问不及时", _set("visited_at", value="2026-11-08 09:30"),
     ("B10", 10, "visited_at", "late_visit", "warning", "§4.1.2")),
    ("special-visit", "价格违规未上报", _set("reported", value="否"),
     ("B15", 15, "reported", "not_reported", "error", "§4.1.3 f、§4.7")),
    ("special-visit", "电话号码不对", _set("phone", value="12345"),
     ("B8", 8, "phone", "pattern_mismatch", "error", "§4.1.2")),
    ("special-visit", "是否上报写了别的", _set("reported", value="也许"),
     ("B15", 15, "reported", "invalid_choice", "error", "§4.1.2")),
    ("monthly-report", "报告逾期", _set("submitted_on", value="2026-11-06"),
     ("B6", 6, "submitted_on", "overdue", "error", "§4.4.2")),
    ("monthly-report", "月份未结束就提交", _set("submitted_on", value="2026-10-30"),
     ("B6", 6, "submitted_on", "date_order", "error", "§4.4")),
    ("monthly-report", "月份最后一天提交", _set("submitted_on", value="2026-10-31")),  # allowed: no finding
    ("monthly-report", "节假日未收录的年份", _both(_set("month", value="2027-10"),
                                                  _set("submitted_on", value="2027-11-03")),
     ("B6", 6, "submitted_on", "calendar_unknown", "warning", "§4.4.2")),
    ("monthly-report", "缺整体分析", _set("overall_analysis", value=""),
     ("B11", 11, "overall_analysis", "missing_required", "error", "§4.4.2 a")),
    ("monthly-report", "客户数为负", _set("customers_served", value=-1),
     ("B7", 7, "customers_served", "out_of_range", "error", "§4.4")),
    ("monthly-report", "客户数写了文字", _set("customers_served", value="很多"),
     ("B7", 7, "customers_served", "invalid_type", "error", "§4.4")),
    ("monthly-report", "问题未写原因", _set("problems", 1, "cause", value=None),
     ("B19", 19, "cause", "missing_required", "error", "§4.4.2 b")),
    ("feedback-slip", "商品质量未写品牌", _set("brand_spec", value=None),
     ("B11", 11, "brand_spec", "missing_required", "error", "§4.6.1")),
    ("feedback-slip", "未审核就调换并反馈", _both(_set("review_opinion", value=None),
                                                _set("reviewer_signature", value=None), _set("reviewed_on", value=None)),
     ("B20", 20, "exchanged_quantity", "stage_order", "error", "§4.6.3"),
     ("B24", 24, "result_fed_back_on", "stage_order", "error", "§4.6.5")),
    ("feedback-slip", "未审核就反馈结果", _both(*(_set(name, value=None) for name in (
        "review_opinion", "reviewer_signature", "reviewed_on", "exchanged_quantity", "exchanged_on",
        "receipt_signature"))),
     ("B24", 24, "result_fed_back_on", "stage_order", "error", "§4.6.5")),
    ("feedback-slip", "数量未写单位", _set("unit", value=None),
     ("B13", 13, "unit", "missing_required", "error", "§4.6.2")),
    ("feedback-slip", "审核签名未写日期", _set("reviewed_on", value=None),
     ("B19", 19, "reviewed_on", "missing_required", "error", "§4.6.3")),
    ("feedback-slip", "调换后客户未签收", _set("receipt_signature", value=None),
     ("B22", 22, "receipt_signature", "missing_required", "error", "§4.6.4")),
    ("feedback-slip", "调换多于反映数量", _set("exchanged_quantity", value=3),
     ("B20", 20, "exchanged_quantity", "out_of_range", "error", "§4.6.3")),
    ("feedback-slip", "调换早于审核", _set("exchanged_on", value="2026-11-03"),
     ("B21", 21, "exchanged_on", "date_order", "error", "§4.6")),
    ("feedback-slip", "数量不是整数", _set("quantity", value="两条"),
     ("B12", 12, "quantity", "invalid_type", "error", "§4.6")),
    ("feedback-slip", "单位不在选项中", _set("unit", value="箱"),
     ("B13", 13, "unit", "invalid_choice", "error", "§4.6")),
]
# Cases judged under an organisation's policy instead of the manual's defaults.
POLICIES = {
    "经批准少走访的客户": Policy(visit_minimum_exceptions={"4301000030": 1}),
    "经批准多走访的客户": Policy(visit_minimum_exceptions={"4301000001": 3}),
    "在市场的时间不足": Policy(min_daily_market_hours=Decimal(11)),
}


def _form_cases() -> list[tuple[Any, ...]]:
    """Return the cases a form brings in its own folder (``forms/<form>/cases.yaml``), as ``CASES`` holds them.

    Each case names what the person did (``name``), sets values by dotted path in the sample
    (``set``: ``rows.0.customer_class: 四级``; ``null`` empties a cell), may ``drop_rows``
    (``[start, stop]``) and judge under a ``policy``, and lists the findings it ``expect``s:
    ``[cell, row, field, code, severity, clause]``.
    """
    cases = []
    for form in all_forms().values():
        path = form.folder / "cases.yaml"
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else ():
            changes = [_set(*(int(part) if part.isdigit() else part for part in key.split(".")), value=value)
                       for key, value in case.get("set", {}).items()]
            if "drop_rows" in case:
                changes.append(_drop_rows(*case["drop_rows"]))
            if "policy" in case:
                POLICIES[case["name"]] = Policy(**case["policy"])
            cases.append((form.form_id, case["name"], _both(*changes), *map(tuple, case.get("expect", ()))))
    return cases


CASES += _form_cases()
_SEVERITY_WORDS = {"error": "错误", "warning": "警告"}


@pytest.mark.parametrize(("name", "form_id", "change", "expected"), [(c[1], c[0], c[2], c[3:]) for c in CASES],
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_each_rule_is_found_at_its_cell_with_its_clause(
    tmp_path: Path, name: str, form_id: str, change: Change, expected: tuple
) -> None:
    record = sample(form_id)
    change(record)
    report = validate_file(write_form(get_form(form_id), record, tmp_path / "in.xlsx"),
                           policy=POLICIES.get(name, DEFAULT_POLICY))
    keys = ("cell", "row", "field", "code", "severity", "clause")
    assert report.flatten(*keys) == list(expected)
    assert [tuple(entry[key] for key in keys) for entry in report.as_json()["errors"]] == list(expected)
    text = file_section(report)
    for issue in report.issues:  # the text report: severity, cell, message with its clause, code
        line = rf"{_SEVERITY_WORDS[issue.severity]}\s+{issue.cell}\s+{re.escape(issue.message)}（依据：" \
               rf"{re.escape(issue.clause)}）\s+\[{issue.code}\]"
        assert re.search(line, text), (line, text)
    assert report.valid is all(severity == "warning" for *_, severity, _ in expected)


@pytest.mark.parametrize("form", list(all_forms().values()), ids=lambda f: f.form_id)
def test_clean_sample_is_valid(tmp_path: Path, form: Any) -> None:
    report = validate_file(write_form(form, sample(form.form_id), tmp_path / "in.xlsx"))
    assert report.flatten("cell", "code", "message") == []
    assert report.valid


def test_every_rule_of_every_form_has_a_breaking_case(tmp_path: Path) -> None:
    """Each rule a form declares is broken by a case above (told apart by the rule's Chinese name)."""
    broken: set[tuple[str, str]] = set()
    for name, form_id, change, _ in [(c[1], c[0], c[2], c[3:]) for c in CASES]:
        record = sample(form_id)
        change(record)
        report = validate_file(write_form(get_form(form_id), record, tmp_path / f"{name}.xlsx"),
                               policy=POLICIES.get(name, DEFAULT_POLICY))
        broken |= {(form_id, issue.name) for issue in report.issues}
    declared = {(entry.form.form_id, entry.rule.title) for entry in all_rules() if entry.form}
    assert declared - broken == set()
    codes = {code for _, code in broken}
    assert {"必填项为空", "填写有误", "日期无效", "时间无效", "选项无效", "超出范围", "格式不符"} <= codes
