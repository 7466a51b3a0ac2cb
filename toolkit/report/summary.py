"""The monthly report's result as a person reads it in the terminal: figures, findings, what is missing."""

from __future__ import annotations

from pathlib import Path

from manualkit.schemas._rules import SEVERITY_WORDS
from manualkit.schemas.monthly_report import MonthlyReport
from manualkit.toolkit.errors import cite
from manualkit.toolkit.numbers import money, number
from manualkit.toolkit.report.draft import percent, signed_percent
from manualkit.toolkit.report.monthly import MonthlyDraft
from manualkit.toolkit.report.narrative import NARRATIVE_FIELDS

_PARTS = dict(zip(NARRATIVE_FIELDS, ("一", "二", "三", "四"), strict=True))


def summary_lines(draft: MonthlyDraft, written: list[Path]) -> list[str]:
    """Return the lines to print for ``draft`` and the files written."""
    figures = draft.figures
    loaded = draft.loaded
    lines = [
        f"{figures.month} 客户月度销售情况分析报告草稿：客户经理 {figures.manager or '（未知）'}"
        f"（{figures.area or '区域未知'}）",
        f"读取文件 {loaded.files} 个：有效记录 {len(loaded.submissions)} 条，未计入 {len(loaded.left_out)} 项",
        _visits_line(draft),
    ]
    if (sales := figures.sales) is not None:
        amount = f"，销售额 {money(sales.total_amount)} 元" if sales.total_amount is not None else ""
        previous = (f"（上月 {number(sales.previous_volume)} 条，{signed_percent(sales.volume_change_rate)}）"
                    if sales.previous_volume is not None else "")
        lines.append(f"本月销量 {number(sales.total_volume)} 条{previous}{amount}")
    lines.append(f"报告截止日期：{figures.due_date}（依据：{MonthlyReport.rules.overdue.clause}，节假日顺延）")
    lines += _findings(draft)
    lines += _missing_parts(draft)
    if written:
        return [*lines, "已生成：", *(f"  {path}" for path in written)]
    return [*lines, "未生成草稿：报告的基本数据不全或报告文字有误，见上面的问题。"]


def _visits_line(draft: MonthlyDraft) -> str:
    visits, plan = draft.figures.visits, draft.figures.visits.plan
    if not visits.has_sign_in_book:
        return f"没有有效的签到簿：上门走访无法统计；计划上门 {plan.planned} 次，电话访问 {visits.phone_visits} 次"
    logged = "" if (calls := draft.figures.phone_logged) is None else f"（电话拜访情况记录 {len(calls)} 次）"
    services = draft.figures.service_outcomes
    outcomes = ("；服务计划 " + "、".join(f"{name} {count} 项" for name, count in services.nonzero())
                if services.total else "")
    return (f"服务客户 {visits.customers_served} 户；上门走访 {visits.in_person_visits} 次，"
            f"电话访问 {visits.phone_visits} 次{logged}；"
            f"计划执行率 {percent(plan.rate)}（{len(plan.executed)}/{plan.planned}）{outcomes}")


def _findings(draft: MonthlyDraft) -> list[str]:
    if not draft.findings:
        return ["核对未发现问题。"]
    lines = [f"核对发现 {len(draft.findings)} 个问题："]
    for f in draft.findings:
        cell = f" 工作表“{f.issue.sheet}” {f.issue.cell}" if f.issue.cell else ""
        lines.append(f"  [{SEVERITY_WORDS[f.severity]}] {f.where or '全月'}{cell}：{f.issue.cited}")
    if draft.loaded.left_out:
        lines.append("未计入本月的文件或记录：" + "、".join(draft.loaded.left_out))
    return lines


def _missing_parts(draft: MonthlyDraft) -> list[str]:
    """Return what the draft still lacks (the parts nobody wrote), then any other finding on the draft."""
    missing, other = [], []
    for violation in draft.check.violations:
        name = violation.field
        if name in _PARTS and violation.code == "missing_required":
            missing.append(f"  第{_PARTS[name]}部分“{draft_label(name)}”未填写（可写入 --narrative 文件）")
        elif violation.row is not None:
            text = cite(violation.message, violation.clause)
            other.append(f"  “{draft_label('problems')}”第 {violation.row + 1} 条：{text}")
        else:
            other.append(f"  {cite(violation.message, violation.clause)}")
    missing_lines = ["草稿待补充：", *missing] if missing else []
    other_lines = ["草稿的其他问题：", *other] if other else []
    return [*missing_lines, *other_lines]


def draft_label(name: str) -> str:
    """Return the label of a monthly-report field."""
    return MonthlyReport.label(name)
