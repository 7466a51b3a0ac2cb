"""月度客户服务计划: next month's customer service plan and sales target, marked at month end (002 2211, 27)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import Field

from manualkit.schemas._base import (
    ERROR,
    WARNING,
    Duty,
    FormSchema,
    Review,
    RowModel,
    Rule,
    RuleSet,
    Violation,
    Workflow,
)
from manualkit.schemas._month import MonthRole
from manualkit.schemas._policy import Policy
from manualkit.schemas._types import (
    Amount,
    Choice,
    Choices,
    Date,
    LongText,
    Month,
    OptCode,
    OptLongText,
    OptSignature,
    OptText,
    Text,
)

ServiceItem = Literal["新品推广", "品牌促销", "销售指导", "法规宣传", "知识辅导", "订货帮助"]
Outcome = Literal["已完成", "部分完成", "未完成"]
OUTCOMES: tuple[Outcome, ...] = ("已完成", "部分完成", "未完成")

# The blank form's rows: a page of planned services on landscape A4 (how the paper is printed, not a rule).
BLANK_ROWS = 6


class PlannedService(RowModel):
    """One service the plan sets out: for one customer, or (without a customer) for the whole area."""

    customer_code: OptCode = Field(
        None, title="客户编码", pattern=r"^[0-9A-Za-z]+$", description="面向全片区的服务不填")
    customer_name: OptText = Field(None, title="客户名称", description="面向全片区的服务不填")
    service_items: Choices[ServiceItem] = Field(title="服务项目", min_length=1)
    plan: LongText = Field(title="计划内容")
    outcome: Choice[Outcome] | None = Field(None, title="完成情况", description="月末填写")
    outcome_note: OptLongText = Field(None, title="完成说明", description="部分完成、未完成时必填")

    rules: ClassVar[RuleSet] = RuleSet(
        outcome_explained=Rule(
            "missing_required", ERROR, "未完成须说明", "002 2211",
            "完成情况为部分完成或未完成时，须在“完成说明”中写明原因"),
    )

    def check_row(self, policy: Policy) -> list[Violation]:
        """Return the row's own findings: a plan not done says why."""
        if self.outcome in ("部分完成", "未完成") and not self.outcome_note:
            return [self.rules.outcome_explained(f"完成情况为“{self.outcome}”，“完成说明”为必填项", "outcome_note")]
        return []


class ServicePlan(FormSchema):
    """One manager's plan of the services of a month and the sales it should reach."""

    form_id: ClassVar[str] = "service-plan"
    form_title: ClassVar[str] = "月度客户服务计划"
    clause: ClassVar[str] = "002 2211"
    purpose: ClassVar[str] = (
        "每月月末根据销售计划和市场经理布置的服务内容，制订下月的客户服务计划和销售目标，交市场经理审阅，月末标注完成情况。")
    rows_field: ClassVar[str | None] = "rows"
    period_field: ClassVar[str | None] = "month"
    landscape: ClassVar[bool] = True
    # The monthly report counts the plan's outcomes (``manualkit.toolkit.report.figures``).
    month_role: ClassVar[MonthRole | None] = MonthRole(
        "service_plan", dated_by="month", reads=("manager", "month", "sales_target"),
        row_reads=("customer_code", "customer_name", "plan", "outcome", "outcome_note"))

    manager: Text = Field(title="客户经理")
    area: Text = Field(title="所辖区域")
    month: Month = Field(title="计划月份", description="所计划的月份，如 2026-12")
    prepared_on: Date = Field(title="制定日期", description="上月月末")
    sales_target: Amount = Field(title="销售目标（条）", ge=0)
    rows: list[PlannedService] = Field(title="服务计划", min_length=1)
    review_opinion: OptLongText = Field(None, title="审阅意见")
    reviewer_signature: OptSignature = Field(None, title="市场经理审阅")

    rules: ClassVar[RuleSet] = RuleSet(
        prepared_before_month=Rule(
            "date_order", ERROR, "计划月份开始前制定", "002 2211",
            "制定日期不得晚于计划月份的第一天：服务计划在月末为下月制定"),
        prepared_at_month_end=Rule(
            "policy", WARNING, "上月月末制定", "002 2211", "服务计划应在计划月份的上一个月制定（月末）"),
        opinion_signed=Rule(
            "missing_required", ERROR, "审阅意见须签名", "002 2211", "填写了审阅意见须有市场经理审阅签名"),
    )
    duties: ClassVar[tuple[Duty, ...]] = (
        Duty("制订下月的月度客户服务计划", "每月月末，交市场经理审阅", "002 2211"),
        Duty("标注服务计划的完成情况", "每月月末", "002 2211"),
    )
    review: ClassVar[Review | None] = Review(
        "审阅计划内容，不合格的与客户经理协商后退回修改", "每月月末", ("review_opinion", "reviewer_signature"))
    workflow: ClassVar[Workflow | None] = Workflow()  # forms/service_plan/workflow.md, in 第三章

    @classmethod
    def blank_rows(cls, policy: Policy) -> int:
        """Return how many rows the blank form prints: a page of planned services on landscape A4."""
        return BLANK_ROWS

    def check(self, policy: Policy) -> list[Violation]:
        """Return the plan's findings: made before its month, in the month before, a signed opinion."""
        found = super().check(policy)
        if self.review_opinion and not self.reviewer_signature:
            found.append(self.rules.opinion_signed("填写了审阅意见，“市场经理审阅”未签名", "reviewer_signature"))
        if self.month is None or self.prepared_on is None:
            return found  # a broken month or date: its own finding says so
        first = dt.date.fromisoformat(f"{self.month}-01")
        month_before = (first - dt.timedelta(days=1)).replace(day=1)
        if self.prepared_on > first:
            found.append(self.rules.prepared_before_month(
                f"制定日期（{self.prepared_on}）晚于计划月份的第一天（{first}），服务计划应在月末为下月制定",
                "prepared_on", "month"))
        elif not month_before <= self.prepared_on < first:  # before the month before, or on the month's first day
            found.append(self.rules.prepared_at_month_end(
                f"制定日期（{self.prepared_on}）不在计划月份的上一个月（{month_before:%Y-%m}），应在上月月末制定",
                "prepared_on", "month"))
        return found
