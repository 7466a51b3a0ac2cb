"""客户月度销售情况分析报告: last month's analysis, due by the 5th (§4.4, §4.4.2, §4.5)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import Field

from manualkit.schemas._base import ERROR, WARNING, Duty, FormSchema, Review, RowModel, Rule, RuleSet, Violation
from manualkit.schemas._policy import Policy
from manualkit.schemas._types import Amount, Count, Date, LongText, Month, OptAmount, OptLongText, OptSignature, Text
from manualkit.schemas._workdays import month_end, report_due_date


class Problem(RowModel):
    """One problem of part b, with its cause and the measures against it."""

    problem: LongText = Field(title="问题")
    cause: LongText = Field(title="原因")
    measures: LongText = Field(title="对策措施")


class MonthlyReport(FormSchema):
    """The account manager's analysis of last month's sales."""

    form_id: ClassVar[str] = "monthly-report"
    form_title: ClassVar[str] = "客户月度销售情况分析报告"
    clause: ClassVar[str] = "§4.4"
    period_field: ClassVar[str | None] = "month"
    purpose: ClassVar[str] = "每月初分析上月所辖客户的销售情况、问题与对策、客户意见，并预测次月销售，报区域市场经理。"
    rows_field: ClassVar[str | None] = "problems"
    duties: ClassVar[tuple[Duty, ...]] = (
        Duty("提交上月的销售情况分析报告", "每月 {report_due_day} 日前{postpone}", "§4.4.2"),
    )
    review: ClassVar[Review | None] = Review("审阅报告，必要时写出意见", "每月 {report_due_day} 日前后收到报告时",
                                               ("reviewer_opinion", "reviewer_signature"))
    # The four parts of §4.4.2: a draft may lack them, a finished report may not.
    completion_required: ClassVar[tuple[str, ...]] = (
        "overall_analysis", "problems", "customer_opinions", "forecast",
    )

    manager: Text = Field(title="客户经理")
    area: Text = Field(title="所辖区域")
    month: Month = Field(title="报告月份", description="所分析的月份，如 2026-10")
    submitted_on: Date = Field(title="提交日期")
    customers_served: Count = Field(title="服务客户数", ge=0)
    total_volume: Amount = Field(title="本月销量（条）", ge=0)
    previous_volume: OptAmount = Field(None, title="上月销量（条）", ge=0)
    total_amount: OptAmount = Field(None, title="本月销售额（元）", ge=0)
    overall_analysis: OptLongText = Field(None, title="整体销售情况分析", description="报告第一部分")
    problems: list[Problem] = Field(
        [], title="存在的问题、产生原因及对策措施", description="报告第二部分，至少一条"
    )
    customer_opinions: OptLongText = Field(
        None, title="客户对商品质量和服务的主要意见和建议", description="报告第三部分"
    )
    forecast: OptLongText = Field(None, title="次月销售情况预测", description="报告第四部分")
    reviewer_opinion: OptLongText = Field(None, title="区域市场经理审阅意见")
    reviewer_signature: OptSignature = Field(None, title="审阅人签名")

    field_clauses: ClassVar[dict[str, str]] = {
        "overall_analysis": "§4.4.2 a", "problems": "§4.4.2 b", "customer_opinions": "§4.4.2 c",
        "forecast": "§4.4.2 d",
    }
    rules: ClassVar[RuleSet] = RuleSet(
        submitted_after_month=Rule(
            "date_order", ERROR, "月份结束后提交", "§4.4",
            "提交日期不得早于报告月份的最后一天（报告分析的是上月的销售情况）"),
        overdue=Rule(
            "overdue", ERROR, "按期提交月度报告", "§4.4.2",
            "每月 {report_due_day} 日前提交上月的报告；{report_due_postpone_holidays}",
            policy=("report_due_day", "report_due_postpone_holidays")),
        calendar_unknown=Rule(
            "calendar_unknown", WARNING, "节假日未收录", "§4.4.2",
            "该年度法定节假日安排尚未收录时，截止日仅按周末顺延"),
    )

    def due_date(self, policy: Policy) -> tuple[dt.date, str | None]:
        """Return the due date and, when no holiday calendar covers it, a warning."""
        due = report_due_date(self.month, policy.report_due_day, policy.report_due_postpone_holidays)
        return due.date, due.warning

    def check(self, policy: Policy) -> list[Violation]:
        """Return the report's rule violations."""
        found = super().check(policy)
        ended = month_end(self.month)
        due, calendar_warning = self.due_date(policy)
        if self.submitted_on < ended:
            found.append(self.rules.submitted_after_month(
                f"提交日期 {self.submitted_on} 早于报告月份的最后一天（{ended}）", "submitted_on"
            ))
        elif self.submitted_on > due:
            found.append(self.rules.overdue(
                f"提交日期 {self.submitted_on} 晚于截止日 {due}（每月 {policy.report_due_day} 日，节假日顺延）",
                "submitted_on",
            ))
        if calendar_warning:
            found.append(self.rules.calendar_unknown(calendar_warning, "submitted_on"))
        return found
