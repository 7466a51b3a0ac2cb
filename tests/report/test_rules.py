"""The rules across one manager's month, and inputs that disagree with the month."""

from __future__ import annotations

import json
from pathlib import Path

from manualkit.schemas._policy import Policy
from manualkit.toolkit.month.rules import cross_form_findings
from manualkit.toolkit.registry import get_form
from manualkit.toolkit.report.inputs import load_submissions
from tests.report.conftest import POLICY
from tests.report.month import CUSTOMERS, MONTH, besides_days, schedule, sign_in_book, special_visit

A, B, C, D, E, F = (CUSTOMERS[key][0] for key in "ABCDEF")


def _table(findings):
    return [(f.issue.code, f.where, f.issue.value) for f in findings]


def test_cross_form_findings_of_the_month(month_dir: Path) -> None:
    loaded = load_submissions([month_dir], POLICY)
    found = cross_form_findings(loaded.submissions, POLICY)
    # D, visited once, is the book's own finding; E, never visited in person, only the month can show
    assert ("visits_below_minimum", "签到簿-2026-11.json 表格第10行", D) in _table(loaded.findings)
    assert _table(found) == [
        ("visits_below_minimum", "签到簿-2026-11.json", E),
        ("unplanned_visit", "签到簿-2026-11.json 表格第5行", C),
        ("missing_schedule", "签到簿-2026-11.json 表格第10行", "2026-11-30"),
        ("missed_visit", "日程表-2026-11-09.json 表格第2行", D),
        ("missed_visit", "日程表-2026-11-16.json 表格第3行", D),
        ("unscheduled_customer", "特殊访问.json 第3条", F),
    ]
    assert all(f.issue.severity == "warning" for f in found)
    messages = [f.issue.message for f in found]
    assert messages[0] == f"客户 {E}（城南副食店）2026-11 没有上门走访，少于每月 2 次的要求"
    assert found[0].issue.clause == "002 2221" and found[1].issue.clause == "§4.1.1"
    assert messages[-1] == f"特殊访问记录中的客户 {F}（新开杂货铺）不在本月的访问日程表中，请核对客户编码"


def test_minimum_follows_the_policy(month_dir: Path) -> None:
    def below(policy: Policy) -> list[str]:
        loaded = load_submissions([month_dir], policy)
        found = [*loaded.findings, *cross_form_findings(loaded.submissions, policy)]
        return sorted(f.issue.value for f in found if f.issue.code == "visits_below_minimum")

    assert below(POLICY.model_copy(update={"min_monthly_visits_per_customer": 3})) == [D, E]
    assert below(POLICY.model_copy(update={"min_monthly_visits_per_customer": 4})) == [A, B, C, D, E]
    assert below(POLICY.model_copy(update={"visit_minimum_exceptions": {D: 1, E: 0}})) == []


def test_another_managers_file_is_left_out(month_dir: Path) -> None:
    (month_dir / "李强-签到簿.json").write_text(json.dumps(sign_in_book(manager="李强")), encoding="utf-8")
    (month_dir / "李强-日程表.json").write_text(json.dumps(schedule("2026-11-09", manager="李强")), encoding="utf-8")
    loaded = load_submissions([month_dir], POLICY)
    found = cross_form_findings(loaded.submissions, POLICY)
    others = [f for f in found if f.issue.code == "other_manager"]
    assert [(f.where, f.issue.value) for f in others] == [("李强-日程表.json", "李强"), ("李强-签到簿.json", "李强")]
    assert others[0].issue.message == "这份客户访问日程表属于客户经理“李强”，不是“张伟”的，未计入本月报告"
    # the rest is as without them
    assert [f.issue.code for f in found if f.issue.code != "other_manager"] == [
        "visits_below_minimum", "unplanned_visit", "missing_schedule",
        "missed_visit", "missed_visit", "unscheduled_customer",
    ]


def test_another_months_records_are_left_out(month_dir: Path) -> None:
    (month_dir / "十月特殊访问.json").write_text(
        json.dumps(special_visit("A", "服务投诉", "2026-10-20")), encoding="utf-8"
    )
    (month_dir / "十月签到簿.json").write_text(json.dumps(sign_in_book(month="2026-10")), encoding="utf-8")
    found = cross_form_findings(load_submissions([month_dir], POLICY).submissions, POLICY, month=MONTH)
    assert [(f.where, f.issue.field, f.issue.value) for f in found if f.issue.code == "other_month"] == [
        ("十月特殊访问.json", "visited_at", "2026-10"),
        ("十月签到簿.json", "month", "2026-10"),
    ]
    assert len([f for f in found if f.issue.code == "visits_below_minimum"]) == 1  # E; D is the book's


def test_sign_in_rows_of_another_month_make_the_book_invalid(month_dir: Path) -> None:
    book = sign_in_book()
    book["rows"][0]["date"] = "2026-10-30"
    (month_dir / "签到簿-2026-11.json").write_text(json.dumps(book), encoding="utf-8")
    loaded = load_submissions([month_dir], POLICY)
    assert loaded.left_out == ("签到簿-2026-11.json（营销人员市场走访签到记录簿）",)
    assert [(f.issue.code, f.where) for f in besides_days(loaded.findings) if f.issue.severity == "error"] == [
        ("out_of_range", "签到簿-2026-11.json 表格第1行")]
    found = cross_form_findings(loaded.submissions, POLICY)
    # without a sign-in book nothing is said about visits made, only about the customers outside the schedules
    assert [f.issue.code for f in found] == ["unscheduled_customer"]


def test_month_and_manager_inferred(month_dir: Path) -> None:
    loaded = load_submissions([month_dir], POLICY)
    assert cross_form_findings(loaded.submissions, POLICY) == cross_form_findings(
        loaded.submissions, POLICY, month=MONTH, manager="张伟"
    )
    assert cross_form_findings([], POLICY) == []


def test_two_schedules_for_one_week_keep_the_later(month_dir: Path) -> None:
    earlier = schedule("2026-11-09")
    earlier["prepared_on"] = "2026-11-06"
    earlier["rows"] = earlier["rows"][:1]  # the earlier plan did not have D on 11-10
    (month_dir / "日程表-2026-11-09-初稿.json").write_text(json.dumps(earlier), encoding="utf-8")
    found = cross_form_findings(load_submissions([month_dir], POLICY).submissions, POLICY)
    assert [(f.issue.code, f.where, f.issue.clause) for f in found if f.issue.code == "duplicate_submission"] == [
        ("duplicate_submission", "日程表-2026-11-09-初稿.json", "§4.1.1")  # one plan per week: the schedule's clause
    ]
    assert len([f for f in found if f.issue.code == "missed_visit"]) == 2



def test_a_file_given_twice_is_read_once(month_dir: Path) -> None:
    loaded = load_submissions([month_dir, month_dir / "签到簿-2026-11.json"], POLICY)
    assert (loaded.files, len(loaded.submissions)) == (7, 10)


def test_the_same_visits_and_records_in_two_files_count_once(month_dir: Path) -> None:
    from manualkit.toolkit.month.selection import select_month
    from manualkit.toolkit.report.figures import compute_figures
    from tests.report.month import feedback_slips

    second_half = sign_in_book()
    second_half["rows"] = second_half["rows"][5:]  # 11-16 onwards, again
    (month_dir / "签到簿-下半月.json").write_text(json.dumps(second_half), encoding="utf-8")
    (month_dir / "反馈单副本.json").write_text(json.dumps(feedback_slips()[0]), encoding="utf-8")
    loaded = load_submissions([month_dir], POLICY)
    inputs = select_month(loaded.submissions, MONTH)
    # every visit of the second book is in the first: one finding for the book, citing one sign-in a day
    assert [(f.issue.code, f.where, f.issue.clause) for f in inputs.findings] == [
        ("duplicate", "签到簿-下半月.json", "§4.1.4"),
        ("duplicate_submission", "反馈单副本.json", get_form("feedback-slip").model.clause),
    ]
    assert inputs.findings[0].issue.message == "这本签到簿的 5 次走访都已记在 签到簿-2026-11.json，只计一次"
    assert inputs.findings[-1].issue.message == "与 反馈单.json 第1条 完全相同，只计一次"
    figures = compute_figures(inputs, None, POLICY)
    assert (figures.visits.in_person_visits, figures.feedback_slips.total) == (10, 2)


def test_a_book_repeating_some_visits_of_another_gets_a_finding_on_each_repeated_row(month_dir: Path) -> None:
    from manualkit.toolkit.month.selection import select_month

    second_half = sign_in_book()
    second_half["rows"] = second_half["rows"][5:]
    second_half["rows"][0] = {**second_half["rows"][0], "date": "2026-11-27"}  # a visit the first book lacks
    (month_dir / "签到簿-下半月.json").write_text(json.dumps(second_half), encoding="utf-8")
    inputs = select_month(load_submissions([month_dir], POLICY).submissions, MONTH)
    assert [(f.issue.code, f.where, f.issue.clause, f.issue.cell) for f in inputs.findings] == [
        ("duplicate", f"签到簿-下半月.json 表格第{n}行", "§4.1.4", None) for n in range(2, 6)]
    assert inputs.findings[0].issue.title == "同一客户同日签到一次"


def test_unreadable_data_files_are_listed(month_dir: Path) -> None:
    (month_dir / "坏.json").write_text("{not json", encoding="utf-8")
    (month_dir / "未知.yaml").write_text("名称: 某某\n", encoding="utf-8")
    loaded = load_submissions([month_dir], POLICY)
    assert [(f.issue.code, f.where, f.issue.message) for f in besides_days(loaded.findings)
            if f.issue.code != "visits_below_minimum"] == [
        ("unreadable_file", "坏.json", "坏.json 无法读取：第 1 行第 2 列附近 JSON 格式有误（括号、引号或逗号不配对）"),
        ("unknown_form", "未知.yaml", "无法判断这条记录是哪种表单：它的项目与任何表单都对不上"),
    ]
    assert len(loaded.submissions) == 10
