"""``check_record`` and ``validate`` are one check: the same findings, in the same order.

``check_record`` feeds a record's rows to the ``StreamedCheck`` that ``validate``
streams a workbook's table into, so a broken header field no longer hides the
rules on the rows, and a record read from a workbook gets from ``check_record``
exactly the findings ``validate`` reports at the cells.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import Field

from manualkit.schemas._base import Violation
from manualkit.schemas._policy import DEFAULT_POLICY, Policy
from manualkit.schemas.sign_in_book import SignIn, SignInBook
from manualkit.toolkit.reader import Submission, read_workbook
from manualkit.toolkit.records import check_record
from manualkit.toolkit.registry import FormSpec, get_form
from manualkit.toolkit.validate import validate_file
from tests.conftest import sample
from tests.filled_workbooks import write_form
from tests.test_validate_rules import CASES, POLICIES, Change, _both, _keep_rows, _set

SIGN_IN = get_form("sign-in-book")


def _overlapping_visits(record: dict[str, Any]) -> None:
    """Make the second visit start before the first one ends (08:50 against 09:10)."""
    record["rows"][1]["arrived_at"] = "08:50"


def test_a_broken_header_field_does_not_hide_the_rules_on_the_rows() -> None:
    record = sample("sign-in-book")
    record["area"] = ""
    _overlapping_visits(record)
    checked = check_record(SIGN_IN, record, DEFAULT_POLICY)
    assert [(v.code, v.field, v.row) for v in checked.violations] == [
        ("missing_required", "area", None), ("time_overlap", "arrived_at", 1)]
    assert checked.record is None and not checked.valid


def test_rules_needing_the_broken_header_field_are_left_out() -> None:
    record = sample("sign-in-book")
    record["month"] = "十一月"  # the sign-in book's rules need the month ("visits lie in the month")
    record["rows"][2]["left_at"] = "09:30"
    found = check_record(SIGN_IN, record, DEFAULT_POLICY).violations
    assert [(v.code, v.field, v.row) for v in found] == [("pattern_mismatch", "month", None),
                                                         ("time_order", "left_at", 2)]  # needs no header


def test_a_broken_row_and_a_broken_header_field_leave_the_rules_on_the_sound_rows() -> None:
    record = sample("sign-in-book")
    record["manager"] = None
    record["rows"][0]["customer_signature"] = None
    record["rows"][3]["left_at"] = "08:00"
    checked = check_record(SIGN_IN, record, DEFAULT_POLICY)
    assert [(v.code, v.field, v.row) for v in checked.violations] == [
        ("missing_required", "manager", None), ("missing_required", "customer_signature", 0),
        ("time_order", "left_at", 3)]
    assert checked.record is None


def test_a_broken_row_field_does_not_hide_the_rules_on_its_other_fields() -> None:
    record = sample("sign-in-book")
    record["rows"][0]["work_items"] = []
    record["rows"][0]["left_at"] = "08:00"  # before arrived_at 08:40
    found = check_record(SIGN_IN, record, DEFAULT_POLICY).violations
    assert [(v.code, v.field, v.row, v.fields) for v in found] == [
        ("time_order", "left_at", 0, ("left_at", "arrived_at")), ("missing_required", "work_items", 0, ("work_items",))]
    assert found[0].value == "08:00:00"


def test_a_broken_row_field_does_not_hide_the_planned_time_order() -> None:
    record = sample("visit-schedule")
    record["rows"][0]["focus"] = ["喝茶"]
    record["rows"][0]["planned_time"] = "10:00-09:00"
    found = check_record(get_form("visit-schedule"), record, DEFAULT_POLICY).violations
    assert [(v.code, v.field, v.row) for v in found] == [
        ("time_order", "planned_time", 0), ("invalid_choice", "focus", 0)]


def test_a_row_rule_naming_a_broken_field_is_left_out() -> None:
    record = sample("sign-in-book")
    record["rows"][0]["arrived_at"] = "九点"
    record["rows"][0]["left_at"] = "08:00"
    found = check_record(SIGN_IN, record, DEFAULT_POLICY).violations
    assert [(v.code, v.field, v.row) for v in found] == [("invalid_time", "arrived_at", 0)]


def test_the_record_is_the_whole_validated_model_when_no_field_is_broken() -> None:
    record = sample("sign-in-book")
    _overlapping_visits(record)
    checked = check_record(SIGN_IN, record, DEFAULT_POLICY)
    assert checked.record is not None and len(checked.record.table()) == len(record["rows"])
    assert [(v.code, v.row, v.value) for v in checked.violations] == [("time_overlap", 1, "08:50:00")]


def test_findings_come_in_the_order_of_the_sheet() -> None:
    record = sample("sign-in-book")
    record["rows"][3]["date"] = "2026-11-31"
    record["rows"][2]["left_at"] = "09:30"
    record["rows"][0]["customer_signature"] = None
    record["rows"][0]["work_items"] = ["打扫卫生"]
    record["area"] = ""
    found = check_record(SIGN_IN, record, DEFAULT_POLICY).violations
    assert [(v.row, v.field) for v in found] == [
        (None, "area"), (0, "work_items"), (0, "customer_signature"), (2, "left_at"), (3, "date")]


def test_a_table_that_is_not_a_list_is_reported_on_the_table() -> None:
    record = sample("sign-in-book") | {"rows": "见附件"}
    found = check_record(SIGN_IN, record, DEFAULT_POLICY).violations
    assert [(v.code, v.field, v.row) for v in found] == [("invalid_type", "rows", None)]
    assert check_record(SIGN_IN, record | {"rows": None}, DEFAULT_POLICY).violations[0].code == "missing_required"


def _all_signatures_missing(record: dict[str, Any]) -> None:
    for row in record["rows"]:
        row["customer_signature"] = None


# (form, what is wrong, change): records broken in several places at once, header and rows together.
BROKEN = [
    ("sign-in-book", "区域空且两次走访重叠", _both(_set("area", value=""), _overlapping_visits)),
    ("sign-in-book", "多处错误", _both(
        _set("area", value=""), _set("rows", 0, "customer_signature", value=None),
        _set("rows", 0, "work_items", value=["打扫卫生"]), _set("rows", 2, "left_at", value="09:30"),
        _set("rows", 3, "date", value="2026-11-31"))),
    ("sign-in-book", "月份错且离开早于到达", _both(_set("month", value="十一月"),
                                                 _set("rows", 2, "left_at", value="09:30"))),
    ("sign-in-book", "客户经理空、漏签、同日重复", _both(
        _set("manager", value=None), _set("rows", 4, "customer_signature", value=None),
        _set("rows", 1, "customer_code", value="4301000001"))),
    ("sign-in-book", "全部漏签", _all_signatures_missing),
    ("sign-in-book", "全部漏签且区域空", _both(_all_signatures_missing, _set("area", value=""))),
    ("sign-in-book", "没有走访", _keep_rows(0)),
    ("sign-in-book", "工作内容空且离开早于到达", _both(
        _set("rows", 0, "work_items", value=[]), _set("rows", 0, "left_at", value="08:00"))),
    ("visit-schedule", "访问重点错且时段倒置", _both(
        _set("rows", 0, "focus", value=["喝茶"]), _set("rows", 0, "planned_time", value="10:00-09:00"))),
    ("visit-schedule", "制表日期错且同日重复", _both(
        _set("prepared_on", value="2026-13-01"), _set("rows", 1, "customer_code", value="4301000001"),
        _set("rows", 30, "visit_mode", value="上网"))),
    ("monthly-report", "客户数为文字且问题缺原因", _both(
        _set("customers_served", value="很多"), _set("problems", 1, "cause", value=None),
        _set("submitted_on", value="2026-11-06"))),
    ("special-visit", "电话错且未上报", _both(_set("phone", value="12345"), _set("reported", value="否"))),
    ("feedback-slip", "数量为文字且调换早于审核", _both(
        _set("quantity", value="两条"), _set("exchanged_on", value="2026-11-03"))),
]


def _as_validate_reports(submission: Submission, violations: list[Violation]) -> list[tuple]:
    """Return ``check_record``'s findings as ``validate`` words them: the sheet's row in table messages."""
    return [(v.code, v.severity, v.field,
             v.message if v.row is None else f"第{submission.sheet_row(v.row)}行{v.message}",
             None if v.code == "missing_required" else v.value) for v in violations]


# the cases with a finding under the defaults (some only under their own policy; one is allowed as it is)
_BROKEN_BY_DEFAULT = [c for c in CASES if c[1] not in POLICIES and len(c) > 3] + BROKEN


@pytest.mark.parametrize(("form_id", "change"), [(c[0], c[2]) for c in _BROKEN_BY_DEFAULT],
                         ids=[f"{c[0]}-{c[1]}" for c in _BROKEN_BY_DEFAULT])
def test_check_record_finds_what_validate_finds_in_the_same_order(tmp_path: Path, form_id: str,
                                                                   change: Change) -> None:
    record = sample(form_id)
    change(record)
    path = write_form(get_form(form_id), record, tmp_path / "in.xlsx")
    submission = read_workbook(path)
    checked = check_record(submission.form, submission.data(), DEFAULT_POLICY)
    reported = validate_file(path).flatten("code", "severity", "field", "message", "value")
    assert _as_validate_reports(submission, checked.violations) == reported
    assert reported  # every case is broken somewhere


def test_a_row_with_a_broken_field_still_counts_for_the_forms_rules() -> None:
    record = sample("sign-in-book")
    record["rows"][0]["work_items"] = []  # broken, but still a visit of 2026-11-02 to 4301000001
    found = check_record(SIGN_IN, record, DEFAULT_POLICY).violations
    assert [(v.code, v.row) for v in found] == [("missing_required", 0)]  # no day or customer looks short


def test_a_row_without_its_date_holds_back_the_counts_that_need_it() -> None:
    record = sample("sign-in-book")
    record["rows"][0]["date"] = "十一月二日"
    record["rows"][1]["arrived_at"] = "08:50"  # overlaps row 0 (whose date is unknown): not judged
    record["rows"][3]["left_at"] = "08:00"  # the row's own rule needs no date
    found = check_record(SIGN_IN, record, DEFAULT_POLICY).violations
    assert [(v.code, v.row) for v in found] == [("invalid_date", 0), ("time_order", 3)]


def test_row_rules_are_given_the_policy() -> None:
    seen: list[Policy] = []

    class Probe(SignIn):
        def check_row(self, policy: Policy) -> list[Violation]:
            seen.append(policy)
            return []

    class ProbeBook(SignInBook):
        rows: list[Probe] = Field(title="走访记录", min_length=1)

    policy = Policy(min_daily_visits=3)
    record = sample("sign-in-book")
    record["rows"][1]["work_items"] = []  # a broken row is given it too
    check_record(FormSpec("probe", "探针", "§4.1.4", ProbeBook, SIGN_IN.folder), record, policy)
    assert len(seen) == len(record["rows"]) and all(p is policy for p in seen)
