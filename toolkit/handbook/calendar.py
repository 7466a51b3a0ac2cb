"""The generated chapter of deadlines and frequencies, from the policy and the workday calendar.

Nothing here types a number: every "how often" and "by when" is a policy value,
and the monthly report's due dates for the year come from the same function the
validator uses (``report_due_date``), so the handbook and the validator agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from schemas._policy import WEEKDAY_NAMES, Policy
from schemas._workdays import report_due_date
from toolkit.handbook.sources import Chapter, escape_markdown, form_link, policy_text
from toolkit.registry import get_form

ORIGIN = "（自动生成：期限与频次）"


@dataclass(frozen=True, slots=True)
class _Duty:
    """One line of the calendar; ``when`` is formatted with the policy's texts."""

    what: str
    when: str
    forms: tuple[str, ...]
    basis: str


_DUTIES = (
    _Duty("制订下一周的客户访问日程", "每周{schedule_prepared_weekdays}", ("visit-schedule",), "§4.1.1"),
    _Duty("到单位集合参加晨会", "每个工作日 {morning_meeting_time} 准时", (), "002 三定(1)"),
    _Duty("上门走访零售客户", "每天不少于 {min_daily_visits} 户", ("visit-schedule", "sign-in-book"),
          "002 三定(3)"),
    _Duty("在市场走访", "每天不少于 {min_daily_market_hours} 小时", ("sign-in-book",), "002 三定(1)"),
    _Duty("对每一户客户上门走访", "每月不少于 {min_monthly_visits_per_customer} 次；市场经理批准增减的客户按批准的次数",
          ("sign-in-book",), "002 2221"),
    _Duty("走访签到，请客户签名确认", "每次走访", ("sign-in-book",), "§4.1.4"),
    _Duty("客户出现特殊情况时上门访问",
          "立即（本单位按情况发生后 {special_visit_max_delay_days} 天内掌握，天数不是手册原文）",
          ("special-visit",), "§4.1.2"),
    _Duty("上报必须上报的特殊情况", "发现后立即", ("special-visit",), "§4.7"),
    _Duty("提交上月的销售情况分析报告", "每月 {report_due_day} 日前{postpone}", ("monthly-report",), "§4.4.2"),
    _Duty("质量投诉：把处理结果告诉客户", "得到区域市场经理的批示后尽快", ("feedback-slip",), "§4.6.5"),
    _Duty("客户电话变更：到专卖部门办完变更手续", "{phone_change_days} 日内", (), "002 2236"),
    _Duty("客户停歇业：办完手续", "{suspension_days} 天内", (), "002 2236"),
    _Duty("推荐促销客户", "促销活动开始前；只推荐{promotion_eligible_classes}客户"
          "（“限三级以上”，本单位按一级为最高档理解）", (), "§4.2.1"),
    _Duty("制订下月的月度客户服务计划", "每月月末", (), "002 2211"),
)


def calendar_chapter(policy: Policy, today: dt.date) -> Chapter:
    """Return the chapter "期限与频次" as Markdown."""
    lines = [
        "# 期限与频次 {#calendar}",
        "",
        "本章把前面各章提到的时间要求集中在一起，便于对照检查。表中的数字都是下面列出的政策参数，"
        "单位调整了政策参数，本章随之改变；其中由表单校验检查的要求，列在各表单附录的“校验规则”中，"
        "校验使用同样的参数。",
        "",
        *_duties_section(policy),
        *_policy_section(policy),
        *_due_dates_section(policy, today.year),
    ]
    return Chapter(ORIGIN, "\n".join(lines) + "\n")


def _duties_section(policy: Policy) -> list[str]:
    texts = {key: escape_markdown(policy_text(policy, key)) for key in Policy.model_fields}
    texts["postpone"] = "（遇节假日顺延）" if policy.report_due_postpone_holidays else ""
    rows = [
        f"| {duty.what} | {duty.when.format(**texts)} | "
        f"{'、'.join(form_link(get_form(name)) for name in duty.forms) or '—'} | {duty.basis} |"
        for duty in _DUTIES
    ]
    return ["## 工作期限一览", "", "| 事项 | 频次或期限 | 表单 | 依据 |", "|---|---|---|---|", *rows, ""]


def _policy_section(policy: Policy) -> list[str]:
    rows = [
        f"| {info.title} | {_value(policy, key)} | {info.description} |"
        for key, info in Policy.model_fields.items()
    ]
    return [
        "## 政策参数",
        "",
        "以下是本手册和表单校验共同使用的政策参数及其当前取值。",
        "",
        "| 参数 | 取值 | 说明 |",
        "|---|---|---|",
        *rows,
        "",
    ]


def _value(policy: Policy, key: str) -> str:
    value = getattr(policy, key)
    if isinstance(value, bool):
        return "是" if value else "否"
    return escape_markdown(policy_text(policy, key)) or "（未填）"


def _due_dates_section(policy: Policy, year: int) -> list[str]:
    rows = []
    for due_month in range(1, 13):
        report_year, report_month = (year, due_month - 1) if due_month > 1 else (year - 1, 12)
        month = f"{report_year:04d}-{report_month:02d}"
        due = report_due_date(month, policy.report_due_day, policy.report_due_postpone_holidays)
        nominal = dt.date(year, due_month, policy.report_due_day)
        note = "" if due.date == nominal else f"{nominal.month}月{nominal.day}日不是工作日，顺延"
        if not due.calendar_known:
            note = "该年度节假日安排尚未收录，仅按周末顺延"
        weekday = WEEKDAY_NAMES[due.date.weekday()]
        rows.append(f"| {month} | {due.date.isoformat()}（{weekday}） | {note} |")
    rule = "遇周末或法定节假日顺延至下一个工作日" if policy.report_due_postpone_holidays else "不顺延"
    return [
        f"## {year} 年月度报告截止日",
        "",
        f"月度销售情况分析报告在次月 {policy.report_due_day} 日前提交，{rule}。"
        f"下表是 {year} 年内到期的各份报告的截止日，表单校验按同样的日期判断是否逾期。",
        "",
        "| 报告月份 | 截止日 | 说明 |",
        "|---|---|---|",
        *rows,
        "",
    ]
