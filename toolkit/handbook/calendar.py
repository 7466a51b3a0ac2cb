"""The generated chapter of deadlines and frequencies, from the policy and the workday calendar.

Nothing here types a number: every "how often" and "by when" is a policy value,
and nothing lists forms: each form declares its duties (``FormSchema.duties``);
and the monthly report's due dates for the year come from the same function the
validator uses (``report_due_date``), so the handbook and the validator agree.
"""

from __future__ import annotations

import datetime as dt

from manualkit.schemas._handbook import Duty
from manualkit.schemas._policy import WEEKDAY_NAMES, Policy
from manualkit.schemas._workdays import report_due_date
from manualkit.toolkit.handbook.chapter import Chapter
from manualkit.toolkit.handbook.chapter_sources import escape_markdown, form_link, policy_text
from manualkit.toolkit.registry import FormSpec, all_forms

ORIGIN = "（自动生成：期限与频次）"


# The duties no form records (each form declares its own: ``FormSchema.duties``).
GENERAL_DUTIES = (
    Duty("到单位集合参加晨会", "每个工作日 {morning_meeting_time} 准时", "002 三定(1)"),
)


def duties() -> list[tuple[Duty, list[FormSpec]]]:
    """Return every duty of the calendar with the forms that declare it: the general ones, then the forms'.

    Forms declaring a duty of the same ``what`` share its line, in the order of the forms.
    """
    lines: dict[str, tuple[Duty, list[FormSpec]]] = {duty.what: (duty, []) for duty in GENERAL_DUTIES}
    for form in all_forms().values():
        for duty in form.model.duties:
            lines.setdefault(duty.what, (duty, []))[1].append(form)
    return list(lines.values())


def calendar_chapter(policy: Policy, year: int) -> Chapter:
    """Return the chapter "期限与频次" of ``year`` (its reports' due dates) as Markdown."""
    lines = [
        "# 期限与频次 {#calendar}",
        "",
        "本章把前面各章提到的时间要求集中在一起，便于对照检查。表中的数字都是下面列出的政策参数，"
        "单位调整了政策参数，本章随之改变；其中由表单校验检查的要求，列在各表单附录的“校验规则”中，"
        "校验使用同样的参数。",
        "",
        *_duties_section(policy),
        *_reviews_section(policy),
        *_policy_section(policy),
        *_due_dates_section(policy, year),
    ]
    return Chapter(ORIGIN, "\n".join(lines) + "\n")


def _duties_section(policy: Policy) -> list[str]:
    texts = {key: escape_markdown(policy_text(policy, key)) for key in Policy.model_fields}
    texts["postpone"] = "（遇节假日顺延）" if policy.report_due_postpone_holidays else ""
    rows = [
        f"| {duty.what} | {duty.when.format(**texts)} | {'、'.join(map(form_link, forms)) or '—'} | {duty.basis} |"
        for duty, forms in duties()
    ]
    return ["## 工作期限一览", "", "| 事项 | 频次或期限 | 表单 | 依据 |", "|---|---|---|---|", *rows, ""]


def _reviews_section(policy: Policy) -> list[str]:
    """Return the table of what the market manager does with each form (``FormSchema.review``)."""
    texts = {key: escape_markdown(policy_text(policy, key)) for key in Policy.model_fields}
    rows = [
        f"| {form_link(form)} | {review.what} | {review.when.format(**texts)} | "
        f"{'、'.join(escape_markdown(form.model.label(name)) for name in review.fields) or '—'} |"
        for form in all_forms().values() if (review := form.model.review) is not None
    ]
    return ["## 市场经理审核的表单 {#calendar-reviews}", "",
            "下表汇总了市场经理处理客户经理各类表单的环节，以及审核时填写的栏目。", "",
            "| 表单 | 市场经理做什么 | 何时 | 填写的栏目 |", "|---|---|---|---|", *rows, ""]


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
