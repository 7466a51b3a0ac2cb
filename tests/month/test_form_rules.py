"""The rules across the promotion forms, the work diary and the phone-visit log, and what the report counts of them.

The month is the synthetic one of ``tests/report/month.py`` (its answers worked out by hand there):
phone visits are planned for E on 11-04 and for B on 11-24 (B was visited in person that day after
all); the sign-in book has 2 visits on 11-02 and 1 on 11-03.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from manualkit.schemas._policy import DEFAULT_POLICY
from manualkit.toolkit.records import check_record
from manualkit.toolkit.registry import get_form
from manualkit.toolkit.render.xlsx import render_xlsx
from manualkit.toolkit.report.monthly import draft_monthly_report
from manualkit.toolkit.validate import validate_paths
from manualkit.toolkit.validate.month import with_month_findings
from tests.report.month import MANAGER, MONTH, customer, write_month, write_month_xlsx, write_sales_csv

NEW_RULES = ("not_nominated", "diary_visits_mismatch", "phone_visit_unlogged")


def nominations(campaign: str, keys: str, approved: bool = True) -> dict[str, Any]:
    rows = [{**customer(key), "customer_class": "一级", "reason": "陈列规范"} for key in keys]
    signed = {"approver_signature": "李建国", "approved_on": "2026-11-05"} if approved else {}
    return {"manager": MANAGER, "area": "芙蓉区东片", "campaign": campaign, "nominated_on": "2026-11-03",
            **signed, "rows": rows}


def receipt(campaign: str, keys: str) -> dict[str, Any]:
    rows = [{**customer(key), "customer_class": "一级", "item_kind": "宣传品", "item": "促销海报", "quantity": 1,
             "unit": "份", "customer_signature": "店主"} for key in keys]
    return {"manager": MANAGER, "campaign": campaign, "handed_on": "2026-11-12", "rows": rows}


def diary(day: str, visits: int) -> dict[str, Any]:
    return {"manager": MANAGER, "date": day, "visits_in_person": visits, "work_done": "按日程走访",
            "next_day_plan": "按日程走访下一线路"}


def phone_log(*calls: tuple[str, str]) -> dict[str, Any]:
    rows = [{"date": day, "time": "17:00", **customer(key), "reason": "线路较远", "content": "通报货源"}
            for day, key in calls]
    return {"manager": MANAGER, "month": MONTH, "rows": rows}


def service_plan() -> dict[str, Any]:
    rows = [
        {"service_items": ["品牌促销"], "plan": "冬季促销推荐到户", "outcome": "已完成"},
        {**customer("C"), "service_items": ["销售指导"], "plan": "指导陈列", "outcome": "部分完成",
         "outcome_note": "店面装修延后"},
        {"service_items": ["知识辅导"], "plan": "真伪鉴别讲解", "outcome": "未完成", "outcome_note": "改期到下月"},
        {"service_items": ["订货帮助"], "plan": "督促备足货款"},
    ]
    return {"manager": MANAGER, "area": "芙蓉区东片", "month": MONTH, "prepared_on": "2026-10-29",
            "sales_target": 500, "rows": rows}


def write(folder: Path, form_id: str, name: str, data: dict[str, Any]) -> Path:
    form = get_form(form_id)
    checked = check_record(form, data, DEFAULT_POLICY)
    assert checked.record is not None, checked.violations
    return render_xlsx(form, checked.record, folder / f"{name}.xlsx")


def month_findings(folder: Path) -> dict[str, list[tuple[str | None, str]]]:
    """Return the new rules' findings of the folder validated as one batch: (cell, code) by file name."""
    batch = with_month_findings(validate_paths([folder], None, DEFAULT_POLICY), DEFAULT_POLICY)
    found = {Path(report.path).stem: [(i.cell, i.code) for i in report.issues if i.code in NEW_RULES]
             for report in batch.files}
    return {name: codes for name, codes in found.items() if codes}


@pytest.fixture
def month(tmp_path: Path) -> Path:
    return write_month_xlsx(tmp_path / "month")


def test_a_receipt_for_a_customer_on_no_approved_list_is_a_warning(month: Path) -> None:
    write(month, "promo-nominations", "推荐名单", nominations("冬季促销", "AB"))
    write(month, "promo-nominations", "未审核的名单", nominations("冬季促销", "C", approved=False))
    write(month, "promo-receipt", "签收单", receipt("冬季促销", "AC"))
    write(month, "promo-receipt", "其他活动签收单", receipt("新品上市", "A"))
    assert month_findings(month) == {"签收单": [("A8", "not_nominated")],  # C (row 2): only on a list not approved
                                     "其他活动签收单": [("A7", "not_nominated")]}  # no list of that campaign


def test_a_diary_counts_the_days_sign_ins(month: Path) -> None:
    write(month, "work-diary", "日记-11-02", diary("2026-11-02", 2))
    write(month, "work-diary", "日记-11-03", diary("2026-11-03", 2))
    write(month, "work-diary", "日记-11-05", diary("2026-11-05", 0))  # a day without sign-ins: none counted
    assert month_findings(month) == {"日记-11-03": [("B5", "diary_visits_mismatch")]}


def test_a_planned_phone_visit_needs_its_record(month: Path) -> None:
    write(month, "phone-visit-log", "电话拜访-全", phone_log(("2026-11-04", "E")))
    assert month_findings(month) == {}  # B on 11-24, planned by phone, was visited in person
    (month / "电话拜访-全.xlsx").unlink()
    write(month, "phone-visit-log", "电话拜访-缺", phone_log(("2026-11-05", "E")))  # the wrong day
    assert month_findings(month) == {"日程表-2026-11-02": [("C11", "phone_visit_unlogged")]}  # E's call of 11-04


def test_without_a_phone_record_the_planned_calls_are_not_judged(month: Path) -> None:
    assert month_findings(month) == {}


def test_the_monthly_draft_counts_the_calls_and_the_service_plans_outcomes(tmp_path: Path) -> None:
    folder = write_month(tmp_path / "month")
    write(folder, "phone-visit-log", "电话拜访", phone_log(("2026-11-04", "E"), ("2026-11-25", "A")))
    write(folder, "service-plan", "服务计划", service_plan())
    draft = draft_monthly_report([folder], MONTH, DEFAULT_POLICY, today=dt.date(2026, 12, 3),
                                 sales=write_sales_csv(tmp_path / "销售.csv"))
    figures = draft.figures
    assert figures.phone_logged is not None and len(figures.phone_logged) == 2
    assert figures.service_outcomes.nonzero() == [("已完成", 1), ("部分完成", 1), ("未完成", 1), ("未标注", 1)]
    text = draft.data["overall_analysis"]
    assert "电话访问 1 次（电话拜访情况记录 2 次）" in text
    assert "月度客户服务计划 4 项：已完成 1 项、部分完成 1 项、未完成 1 项、未标注 1 项" in text
    assert any("服务计划“指导陈列”部分完成：店面装修延后" in fact for fact in draft.facts)
    assert not [f for f in draft.findings if f.issue.code == "other_form"]  # both forms are the month's
