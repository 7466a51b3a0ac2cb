"""Draft the monthly report from the month's figures: the header numbers, part a, the facts for part b.

Figures say what happened; only the manager can say why and what comes next.
So part a is drafted from the figures (with the manager's own words, if any,
after it); the facts that part b should explain are listed apart, and parts
b–d come from the narrative file. A part nobody wrote stays empty, and the draft
then carries the monthly report's own "missing" finding for it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from manualkit.schemas.feedback_slip import FeedbackSlip
from manualkit.schemas.special_visit import SpecialVisit
from manualkit.toolkit.month.selection import MonthInputs
from manualkit.toolkit.numbers import money, number
from manualkit.toolkit.report.figures import MonthlyFigures
from manualkit.toolkit.report.narrative import Narrative
from manualkit.toolkit.report.sales import CustomerSales, SalesFigures


def draft_data(figures: MonthlyFigures, narrative: Narrative, today: dt.date) -> dict[str, Any]:
    """Return the monthly-report record drafted from ``figures`` and ``narrative``, submitted ``today``."""
    sales = figures.sales
    drafted = overall_text(figures)
    overall = f"{drafted}\n{narrative.overall_analysis}" if narrative.overall_analysis else drafted
    return {
        "manager": figures.manager,
        "area": figures.area,
        "month": figures.month,
        "submitted_on": today,
        "customers_served": figures.visits.customers_served,
        "total_volume": sales.total_volume if sales else None,
        "previous_volume": sales.previous_volume if sales else None,
        "total_amount": sales.total_amount if sales else None,
        "overall_analysis": overall,
        "problems": [dict(row) for row in narrative.problems],
        "customer_opinions": narrative.customer_opinions,
        "forecast": narrative.forecast,
    }


# Part a


def overall_text(figures: MonthlyFigures) -> str:
    """Return part a (整体销售情况分析) as the figures can say it."""
    parts = [_visits_text(figures)]
    if figures.sales is not None:
        parts.append(_sales_text(figures.sales))
    parts.append(_records_text(figures))
    return "".join(parts)


def _visits_text(figures: MonthlyFigures) -> str:
    visits, plan = figures.visits, figures.visits.plan
    if not visits.has_sign_in_book:
        return (f"{month_words(figures.month)}没有有效的签到簿，服务客户数、上门走访次数和计划执行情况无法统计；"
                f"访问日程表计划上门 {plan.planned} 次，电话访问 {visits.phone_visits} 次。")
    text = (f"{month_words(figures.month)}共服务客户 {visits.customers_served} 户，"
            f"上门走访 {visits.in_person_visits} 次，电话访问 {visits.phone_visits} 次{_logged(figures)}。")
    if plan.planned:
        text += (f"访问日程表计划上门 {plan.planned} 次，已执行 {len(plan.executed)} 次，"
                 f"执行率 {percent(plan.rate)}；未执行 {len(plan.missed)} 次，计划外走访 {len(plan.unplanned)} 次。")
    return text


def _logged(figures: MonthlyFigures) -> str:
    """Return how many calls the phone-visit record holds, when it was handed in."""
    return "" if figures.phone_logged is None else f"（电话拜访情况记录 {len(figures.phone_logged)} 次）"


def _sales_text(sales: SalesFigures) -> str:
    text = f"本月销量 {number(sales.total_volume)} 条"
    if sales.total_amount is not None:
        text += f"，销售额 {money(sales.total_amount)} 元"
    if sales.previous_volume is not None and sales.volume_change is not None:
        direction = "增加" if sales.volume_change >= 0 else "减少"
        text += (f"，较上月 {number(sales.previous_volume)} 条{direction} {number(abs(sales.volume_change))} 条"
                 f"（{signed_percent(sales.volume_change_rate)}）")
    text += "。"
    if rises := sales.rises():
        text += f"销量增长最多的客户：{_changes(rises)}。"
    if falls := sales.falls():
        text += f"销量下降最多的客户：{_changes(falls)}。"
    return text


def _changes(customers: tuple[CustomerSales, ...]) -> str:
    return "、".join(f"{c.name or c.code}（{signed_number(c.change)} 条）" for c in customers)


def _records_text(figures: MonthlyFigures) -> str:
    special, slips = figures.special_visits, figures.feedback_slips
    text = f"本月特殊访问 {special.total} 次"
    if special.total:
        text += "：" + "、".join(f"{name} {count} 次" for name, count in special.nonzero())
    text += f"；商品及服务质量信息反馈单 {slips.total} 张"
    if slips.total:
        text += "：" + "、".join(f"{name} {count} 张" for name, count in slips.nonzero())
    if (services := figures.service_outcomes).total:
        text += f"；月度客户服务计划 {services.total} 项：" + "、".join(
            f"{name} {count} 项" for name, count in services.nonzero())
    return text + "。"


# Part b: the facts to explain


def part_b_facts(figures: MonthlyFigures) -> list[str]:
    """Return the facts part b (问题、原因及对策) should explain, each with the rows it rests on."""
    visits, plan = figures.visits, figures.visits.plan
    facts = [
        f"客户{c.name}（{c.code}）本月上门走访 {len(c.in_person)} 次，少于每月 {visits.minimum_for(c.code)} 次"
        for c in visits.below_minimum
    ]
    facts += [
        f"{e.date} 计划上门访问 {e.customer_name}（{e.customer_code}）未执行（{e.planned}）" for e in plan.missed
    ]
    if figures.sales is not None:
        facts += [
            f"{c.name or c.code}（{c.code}）销量由 {number(c.previous_volume or 0)} 条降至 {number(c.volume)} 条"
            for c in figures.sales.falls()
        ]
    facts += [f"{text}（{ref}）" for text, ref in figures.service_shortfalls]
    pending = [(name, count) for name, count in figures.feedback_slips.nonzero() if name != "已完结"]
    facts += [f"质量信息反馈单{name} {count} 张" for name, count in pending]
    return facts


# Part c: what customers said, in the month's records

# Special-visit situations that are a customer's complaint (part c is about quality and service).
COMPLAINTS = ("商品质量投诉", "服务投诉")


def part_c_sources(inputs: MonthInputs) -> list[tuple[str, str]]:
    """Return (what the customer raised, where it is recorded) from slips and complaint visits."""
    found = []
    for submission in inputs.feedback_slips:
        slip = cast(FeedbackSlip, submission.record)
        found.append((f"{slip.customer_name}（{slip.customer_code}）反映{slip.feedback_type}问题：{slip.problem}；"
                      f"办理阶段：{slip.stage}", str(submission.source.ref())))
    for submission in inputs.special_visits:
        visit = cast(SpecialVisit, submission.record)
        if visit.situation in COMPLAINTS:
            found.append((f"{visit.customer_name}（{visit.customer_code}）{visit.situation}：{visit.description}",
                          str(submission.source.ref())))
    return found


# Numbers as the report writes them


def month_words(month: str) -> str:
    """Return ``2026 年 11 月`` for ``2026-11``."""
    year, number_ = month.split("-")
    return f"{year} 年 {int(number_)} 月"


def signed_number(value: Decimal | int | None) -> str:
    """Return ``+60`` or ``-30``."""
    value = Decimal(value or 0)
    return f"+{number(value)}" if value > 0 else f"-{number(-value)}" if value < 0 else "0"


def percent(rate: Decimal | None) -> str:
    """Return a share as ``77.8%`` (``—`` when unknown)."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


def signed_percent(rate: Decimal | None) -> str:
    """Return a change as ``+20.5%`` or ``-3.2%`` (``—`` when unknown)."""
    return "—" if rate is None else ("+" if rate > 0 else "") + percent(rate)
