"""The figures behind the draft, as tables that point to their source rows.

The draft report carries these tables after the form (a second sheet in Excel,
an appendix in Word), so that a market manager can trace every number to the
rows it was counted from. Both writers take ``Section`` values: Excel every
table down to each planned visit (``appendix``), Word a few pages a manager
edits, one line per customer instead of one per visit (``word_appendix``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from manualkit.schemas._rules import SEVERITY_WORDS, Severity
from manualkit.toolkit.month.provenance import Finding, RowRef
from manualkit.toolkit.month.visits import PlanEntry
from manualkit.toolkit.numbers import money
from manualkit.toolkit.report.draft import percent, signed_number, signed_percent
from manualkit.toolkit.report.monthly import MonthlyDraft

Cell = str | int | Decimal | None
SALES_SECTION = "客户销售情况"
DASH = "\u2013"  # between the first and last row of a range: 第7–584行
_LISTED_WARNINGS = 3  # more warnings of one kind than this are counted in Word, listed in Excel


@dataclass(frozen=True, slots=True)
class Section:
    """One table of the appendix: a title, column labels and rows."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def appendix(draft: MonthlyDraft) -> list[Section]:
    """Return the appendix tables of ``draft`` (the sales table only when there are sales figures)."""
    sections = [_summary(draft)]
    if draft.figures.sales is not None:
        sections.append(_sales(draft))
    sections += [_customers(draft), _plan(draft), _tallies(draft), _facts(draft), _opinions(draft),
                 _findings(draft)]
    return sections


def word_appendix(draft: MonthlyDraft) -> list[Section]:
    """Return the appendix tables of the Word draft: per customer, not per visit (those stay in Excel)."""
    return [_summary(draft), _customer_summary(draft), _tallies(draft), _facts(draft), _opinions(draft),
            _findings_in_brief(draft)]


def refs_text(refs: Iterable[RowRef | None]) -> str:
    """Return row references grouped by file: ``签到簿.xlsx 第5、7–9行；日程表.xlsx 第6行``."""
    grouped: dict[str, list[int]] = defaultdict(list)
    for ref in refs:
        if ref is None:
            continue
        name = Path(ref.path).name + (f" 第{ref.source.item + 1}条" if ref.source.item is not None else "")
        if ref.row is not None:
            grouped[f"{name} 第"].append(ref.row)
        elif ref.index is not None:
            grouped[f"{name} 表格第"].append(ref.index + 1)
        else:
            grouped[name] = []
    return "；".join(f"{key}{row_ranges(rows)}行" if rows else key for key, rows in grouped.items())


def row_ranges(rows: Iterable[int]) -> str:
    """Return row numbers as ranges: ``5、7–9、12`` for 5, 7, 8, 9 and 12."""
    spans: list[list[int]] = []
    for row in sorted(set(rows)):
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    return "、".join(str(first) if first == last else f"{first}{DASH}{last}" for first, last in spans)


def _summary(draft: MonthlyDraft) -> Section:
    figures, visits, plan = draft.figures, draft.figures.visits, draft.figures.visits.plan
    sign_ins = [ref for c in visits.customers for ref in c.in_person]
    rows: list[tuple[Cell, ...]] = [
        ("报告截止日期", figures.due_date.isoformat(), "每月 5 日前提交，遇节假日顺延"),
        ("服务客户数", visits.customers_served, "上门或电话访问过的客户"
         if visits.has_sign_in_book else "没有有效的签到簿，无法统计"),
        ("上门走访次数", visits.in_person_visits, refs_text(sign_ins)),
        ("电话访问次数", visits.phone_visits, refs_text(r for c in visits.customers for r in c.by_phone)),
        *((("电话拜访记录次数", len(calls), refs_text(calls)),) if (calls := figures.phone_logged) is not None else ()),
        ("计划上门次数", plan.planned, "访问日程表中本月的上门访问"),
        ("已执行", len(plan.executed), "日程表与签到簿同日同客户"),
        ("执行率", percent(plan.rate), "已执行 ÷ 计划上门"),
        ("未执行", len(plan.missed), refs_text(e.planned for e in plan.missed)),
        ("计划外走访", len(plan.unplanned), refs_text(e.signed for e in plan.unplanned)),
    ]
    if (sales := figures.sales) is not None:
        rows += [
            ("本月销量（条）", sales.total_volume, "销售表中本月的行"),
            ("上月销量（条）", sales.previous_volume,
             "销售表中上月的行" if sales.has_previous else "销售表中没有上月数据"),
            ("销量增减（条）", signed_number(sales.volume_change) if sales.volume_change is not None else None,
             signed_percent(sales.volume_change_rate)),
            ("本月销售额（元）", money(sales.total_amount) if sales.total_amount is not None else None,
             "销售表中本月的行"),
        ]
    return Section("报告数据汇总", ("项目", "数值", "依据"), tuple(rows))


def _sales(draft: MonthlyDraft) -> Section:
    sales = draft.figures.sales
    assert sales is not None
    rows = tuple(
        (c.code, c.name, c.volume, c.previous_volume, c.change, c.amount, refs_text(r.ref for r in c.rows))
        for c in sales.customers
    )
    return Section(SALES_SECTION, ("客户编码", "客户名称", "本月销量（条）", "上月销量（条）", "增减（条）",
                                   "本月销售额（元）", "来源"), rows)


def _customers(draft: MonthlyDraft) -> Section:
    visits = draft.figures.visits
    rows = tuple(
        (c.code, c.name, len(c.in_person), len(c.by_phone),
         "是" if len(c.in_person) >= visits.minimum_for(c.code) else "否", refs_text([*c.in_person, *c.by_phone]))
        for c in visits.customers
    )
    return Section("客户上门走访", ("客户编码", "客户名称", "上门次数", "电话次数",
                                    f"达到每月 {visits.minimum} 次（或批准的次数）", "来源"), rows)


def _customer_summary(draft: MonthlyDraft) -> Section:
    """Return one line per customer: visits planned and made, and sales (largest volume first)."""
    visits, plan, sales = draft.figures.visits, draft.figures.visits.plan, draft.figures.sales
    planned = Counter(e.customer_code for e in (*plan.executed, *plan.missed, *plan.unjudged))
    executed = Counter(e.customer_code for e in plan.executed)
    by_code = {c.code: c for c in sales.customers} if sales else {}
    names = {c.code: c.name for c in visits.customers} | {c.code: c.name for c in by_code.values() if c.name}
    order = [*by_code, *sorted(names.keys() - by_code.keys())]
    visited = {c.code: c for c in visits.customers}
    rows = []
    for code in order:
        seen, sold = visited.get(code), by_code.get(code)
        rows.append((
            code, names.get(code, ""), planned[code], executed[code], len(seen.in_person) if seen else 0,
            *((sold.volume, sold.previous_volume, sold.change, sold.amount) if sold else (None,) * 4),
        ))
    columns = ("客户编码", "客户名称", "计划上门", "已执行", "上门次数",
               "本月销量（条）", "上月销量（条）", "增减（条）", "本月销售额（元）")
    return Section("各客户走访与销售（电话访问、逐次走访和计划执行见 Excel 草稿“数据明细”）", columns, tuple(rows))


def _plan(draft: MonthlyDraft) -> Section:
    plan = draft.figures.visits.plan
    entries: list[tuple[str, PlanEntry]] = [
        *(("已执行", e) for e in plan.executed), *(("未执行", e) for e in plan.missed),
        *(("计划外", e) for e in plan.unplanned),
        *(("该周无日程表", e) for week in plan.uncovered for e in week.sign_ins),
        *(("无签到簿，无法核对", e) for e in plan.unjudged),
    ]
    entries.sort(key=lambda item: (item[1].date, item[1].customer_code))
    rows = tuple(
        (e.date.isoformat(), e.customer_code, e.customer_name, status, refs_text([e.planned]), refs_text([e.signed]))
        for status, e in entries
    )
    return Section("计划执行情况", ("日期", "客户编码", "客户名称", "情况", "日程表", "签到簿"), rows)


def _tallies(draft: MonthlyDraft) -> Section:
    figures = draft.figures
    rows: list[tuple[Cell, ...]] = [
        ("特殊访问", name, len(refs), refs_text(refs)) for name, refs in figures.special_visits.groups if refs
    ]
    rows += [("质量信息反馈单", name, len(refs), refs_text(refs)) for name, refs in figures.feedback_slips.groups
             if refs]
    rows += [("月度客户服务计划", name, len(refs), refs_text(refs)) for name, refs in figures.service_outcomes.groups
             if refs]
    return Section("特殊访问与质量反馈", ("记录", "类别或办理阶段", "数量", "来源"), tuple(rows))


def _facts(draft: MonthlyDraft) -> Section:
    return Section("第二部分应说明的情况（供填写问题、原因及对策）", ("序号", "情况"),
                   tuple((index, fact) for index, fact in enumerate(draft.facts, 1)))


def _opinions(draft: MonthlyDraft) -> Section:
    return Section("第三部分可参考的客户反映（反馈单、投诉类特殊访问）", ("序号", "客户反映", "来源"),
                   tuple((index, text, where) for index, (text, where) in enumerate(draft.opinions, 1)))


def _findings(draft: MonthlyDraft) -> Section:
    return Section("核对中发现的问题", ("级别", "位置", "说明"), tuple(_finding_row(f) for f in draft.findings))


def _findings_in_brief(draft: MonthlyDraft) -> Section:
    """Return the errors one by one and the warnings counted by kind when there are many of a kind."""
    warnings = Counter(f.issue.code for f in draft.findings if f.severity is Severity.WARNING)
    many = [code for code, count in warnings.items() if count > _LISTED_WARNINGS]  # in the order found
    rows = [_finding_row(f) for f in draft.findings if f.issue.code not in many or f.severity is Severity.ERROR]
    for code in many:
        first = next(f for f in draft.findings if f.issue.code == code)
        rows.append((SEVERITY_WORDS[Severity.WARNING], f"共 {warnings[code]} 处",
                     f"{first.issue.name}（逐条见 Excel 草稿“数据明细”）"))
    return Section("核对中发现的问题", ("级别", "位置", "说明"), tuple(rows))


def _finding_row(found: Finding) -> tuple[Cell, ...]:
    return (SEVERITY_WORDS[found.severity], found.where or "（全月）", found.issue.cited)
