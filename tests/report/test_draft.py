"""The drafted monthly report: header figures, part a, the facts for part b, the narrative's parts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from manualkit.toolkit.errors import NarrativeFileError
from manualkit.toolkit.report.monthly import MonthlyDraft, draft_monthly_report
from manualkit.toolkit.report.narrative import load_narrative
from tests.report.conftest import MONTH, POLICY
from tests.report.month import sales_rows, write_sales_csv

TODAY = dt.date(2026, 12, 3)
NARRATIVE = """\
整体销售情况分析: 新品到货集中，带动中高档卷烟增长。
存在的问题、产生原因及对策措施:
  - 问题: 阳光小卖部两次计划上门未执行
    原因: 线路调整后漏排
    对策措施: 下周补访并调整线路
customer_opinions: 客户希望缩短调换时间。
forecast: 预计 12 月销量约 520 条。
"""


def _draft(month_dir: Path, tmp_path: Path, narrative: str | None = None, **kwargs: object) -> MonthlyDraft:
    story = None
    if narrative is not None:
        story = tmp_path / "narrative.yaml"
        story.write_text(narrative, encoding="utf-8")
    kwargs.setdefault("sales", write_sales_csv(tmp_path / "sales.csv"))
    return draft_monthly_report([month_dir], MONTH, POLICY, today=TODAY, narrative=story, **kwargs)  # type: ignore[arg-type]


def test_header_figures(month_dir: Path, tmp_path: Path) -> None:
    data = _draft(month_dir, tmp_path).data
    assert {k: data[k] for k in ("manager", "area", "month", "submitted_on", "customers_served", "total_volume",
                                 "previous_volume", "total_amount")} == {
        "manager": "张伟", "area": "芙蓉区东片", "month": MONTH, "submitted_on": TODAY, "customers_served": 5,
        "total_volume": Decimal(500), "previous_volume": Decimal(415), "total_amount": Decimal(126600),
    }


def test_part_a_from_the_figures(month_dir: Path, tmp_path: Path) -> None:
    assert _draft(month_dir, tmp_path).data["overall_analysis"] == (
        "2026 年 11 月共服务客户 5 户，上门走访 10 次，电话访问 1 次。"
        "访问日程表计划上门 9 次，已执行 7 次，执行率 77.8%；未执行 2 次，计划外走访 1 次。"
        "本月销量 500 条，销售额 126,600.00 元，较上月 415 条增加 85 条（+20.5%）。"
        "销量增长最多的客户：城南副食店（+60 条）、惠民超市（+50 条）、王记便利店（+20 条）。"
        "销量下降最多的客户：阳光小卖部（-30 条）、老街烟酒行（-15 条）。"
        "本月特殊访问 3 次：销售异常 1 次、商品质量投诉 1 次、歇业 1 次；"
        "商品及服务质量信息反馈单 2 张：待审核 1 张、待调换 1 张。"
    )


def test_facts_for_part_b(month_dir: Path, tmp_path: Path) -> None:
    assert _draft(month_dir, tmp_path).facts == (
        "客户阳光小卖部（4301000004）本月上门走访 1 次，少于每月 2 次",
        "客户城南副食店（4301000005）本月上门走访 0 次，少于每月 2 次",
        "2026-11-10 计划上门访问 阳光小卖部（4301000004）未执行（日程表-2026-11-09.json 表格第2行）",
        "2026-11-18 计划上门访问 阳光小卖部（4301000004）未执行（日程表-2026-11-16.json 表格第3行）",
        "阳光小卖部（4301000004）销量由 70 条降至 40 条",
        "老街烟酒行（4301000002）销量由 95 条降至 80 条",
        "质量信息反馈单待审核 1 张",
        "质量信息反馈单待调换 1 张",
    )


def test_full_narrative_makes_a_complete_report(month_dir: Path, tmp_path: Path) -> None:
    draft = _draft(month_dir, tmp_path, NARRATIVE)
    assert draft.check.valid and draft.check.violations == []
    assert draft.data["overall_analysis"].endswith("。\n新品到货集中，带动中高档卷烟增长。")
    assert draft.data["problems"] == [
        {"problem": "阳光小卖部两次计划上门未执行", "cause": "线路调整后漏排", "measures": "下周补访并调整线路"}
    ]


def test_missing_part_d_is_a_finding_of_the_draft(month_dir: Path, tmp_path: Path) -> None:
    draft = _draft(month_dir, tmp_path, NARRATIVE.replace("forecast: 预计 12 月销量约 520 条。\n", ""))
    assert draft.writable
    assert [(v.code, v.field, v.message) for v in draft.check.violations] == [
        ("missing_required", "forecast", "“次月销售情况预测”为必填项"),
    ]
    assert draft.inputs_valid  # the inputs are fine; the draft is just not finished


def test_draft_before_the_month_ends_says_so(month_dir: Path, tmp_path: Path) -> None:
    draft = draft_monthly_report([month_dir], MONTH, POLICY, today=dt.date(2026, 11, 28),
                                 sales=write_sales_csv(tmp_path / "s.csv"), narrative=None)
    assert ("date_order", "submitted_on") in [(v.code, v.field) for v in draft.check.violations]


def test_without_sales_the_draft_cannot_be_written(month_dir: Path, tmp_path: Path) -> None:
    draft = _draft(month_dir, tmp_path, sales=None)
    assert not draft.writable and not draft.inputs_valid
    assert [f.issue.message for f in draft.findings if f.issue.code == "no_sales"] == [
        "未提供销售表（--sales），无法计算本月销量"
    ]
    assert draft.figures.visits.customers_served == 5  # the visit figures are still there


def test_sales_sheet_missing_a_column_gives_findings_not_numbers(month_dir: Path, tmp_path: Path) -> None:
    rows = [[cell for i, cell in enumerate(row) if i != 3] for row in sales_rows()]
    draft = _draft(month_dir, tmp_path, sales=write_sales_csv(tmp_path / "no-volume.csv", rows))
    assert [(f.issue.code, f.where, f.issue.message) for f in draft.findings if f.severity == "error"] == [
        ("missing_column", "no-volume.csv", "销售表缺少“销量（条）”列"),
    ]
    assert draft.figures.sales is None and draft.data["total_volume"] is None
    assert not draft.writable


def test_no_records_for_the_month(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    draft = draft_monthly_report([tmp_path / "empty"], MONTH, POLICY, today=TODAY,
                                 sales=write_sales_csv(tmp_path / "s.csv"))
    assert "没有找到 2026-11 的访问日程表或签到簿，无法确定客户经理" in [f.issue.message for f in draft.findings]
    assert not draft.writable


@pytest.mark.parametrize(("text", "message"), [
    ("结论: 很好\n", "中的“结论”不是报告的部分；可写的部分：整体销售情况分析、存在的问题、产生原因及对策措施、"
                    "客户对商品质量和服务的主要意见和建议、次月销售情况预测"),
    ("- 一\n- 二\n", "应为“部分: 文字”形式的 YAML"),
    ("problems:\n  - 只有一句话\n", "中“存在的问题、产生原因及对策措施”的每一条应写明问题、原因、对策措施"),
    ("problems:\n  - 问题: 甲\n    备注: 乙\n", "中的“备注”不是报告的部分；可写的部分：问题、原因、对策措施"),
    ("forecast: [未闭合\n", "：第 2 行第 1 列附近 YAML 格式有误"),
])
def test_bad_narrative_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "n.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NarrativeFileError, match="报告文字文件") as caught:
        load_narrative(path)
    assert message in str(caught.value)


def test_empty_narrative_file(tmp_path: Path) -> None:
    path = tmp_path / "n.yaml"
    path.write_text("", encoding="utf-8")
    assert load_narrative(path) == load_narrative(None)


def test_sources_for_part_c(month_dir: Path, tmp_path: Path) -> None:
    assert _draft(month_dir, tmp_path).opinions == (
        ("惠民超市（4301000003）反映商品质量问题：烟支受潮；办理阶段：待调换", "反馈单.json 第1条"),
        ("老街烟酒行（4301000002）反映服务质量问题：送货时间不固定；办理阶段：待审核", "反馈单.json 第2条"),
        ("惠民超市（4301000003）商品质量投诉：情况说明", "特殊访问.json 第2条"),
    )


def test_sales_of_customers_outside_the_managers_month_are_left_out_and_named(month_dir: Path, tmp_path: Path) -> None:
    rows = [*sales_rows(), ["4301000777", "别人的客户", MONTH, 900, 225000, ""]]  # another manager's customer
    draft = _draft(month_dir, tmp_path, sales=write_sales_csv(tmp_path / "area.csv", rows))
    assert draft.data["total_volume"] == Decimal(500)  # as without the stranger's 900
    [foreign] = [f.issue for f in draft.findings if f.issue.code == "foreign_sales"]
    assert "4301000777" in foreign.message and "未计入销量" in foreign.message
