"""工作日记（访销日记）: a visiting day's work, problems and next day's plan, read by the market manager (002 2231)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import Field

from manualkit.schemas._base import ERROR, WARNING, Duty, FormSchema, Review, Rule, RuleSet, Violation, Workflow
from manualkit.schemas._month import MonthRole
from manualkit.schemas._policy import Policy
from manualkit.schemas._types import Count, Date, LongText, OptCount, OptDate, OptLongText, OptSignature, Text
from manualkit.schemas._workdays import next_workday


class WorkDiary(FormSchema):
    """One account manager's diary of one visiting day."""

    form_id: ClassVar[str] = "work-diary"
    form_title: ClassVar[str] = "工作日记（访销日记）"
    clause: ClassVar[str] = "002 2231"
    period_field: ClassVar[str | None] = "date"
    # The day's in-person visits are held to the day's sign-ins (``manualkit.toolkit.month.rules.diary``).
    month_role: ClassVar[MonthRole | None] = MonthRole(
        "work_diary", dated_by="date", reads=("manager", "date", "visits_in_person", "visits_by_phone"))
    purpose: ClassVar[str] = (
        "每个走访日结束后总结当天的工作、发现的问题和改进意见，写出次日走访计划；市场经理每天批阅。")

    manager: Text = Field(title="客户经理")
    date: Date = Field(title="日期")
    visits_in_person: Count = Field(title="上门走访户数", ge=0, description="与当天签到簿的走访记录一致")
    visits_by_phone: OptCount = Field(None, title="电话拜访户数", ge=0)
    work_done: LongText = Field(title="当日工作情况")
    problems: OptLongText = Field(None, title="发现的问题")
    suggestions: OptLongText = Field(None, title="改进意见")
    next_day_plan: LongText = Field(title="次日走访计划")
    reviewer_opinion: OptLongText = Field(None, title="市场经理批阅意见")
    reviewer_signature: OptSignature = Field(None, title="批阅人签名", description="填写批阅意见时必填")
    reviewed_on: OptDate = Field(None, title="批阅日期")

    rules: ClassVar[RuleSet] = RuleSet(
        visits_below_daily_minimum=Rule(
            "visits_below_daily_minimum", WARNING, "每日上门走访户数", "002 三定(3)",
            "每个走访日上门走访不少于 {min_daily_visits} 户", policy=("min_daily_visits",)),
        opinion_signed=Rule(
            "missing_required", ERROR, "批阅意见须签名", "002 2231", "填写了批阅意见须有批阅人签名"),
        reviewed_after=Rule("date_order", ERROR, "日记写成后批阅", "002 2231", "批阅日期不得早于日记的日期"),
        reviewed_daily=Rule(
            "late_review", WARNING, "每天批阅", "002 2231",
            "市场经理每天批阅工作日记：批阅日期不晚于日记日期后的第一个工作日"),
    )
    duties: ClassVar[tuple[Duty, ...]] = (
        Duty("写工作日记（访销日记）和次日走访计划", "每个走访日结束后", "002 2231"),
        Duty("批阅客户经理的工作日记", "每天；不晚于日记日期后的第一个工作日", "002 2231"),
    )
    review: ClassVar[Review | None] = Review("每天批阅，写出批阅意见", "每天，不晚于下一个工作日",
                                               ("reviewer_opinion", "reviewer_signature", "reviewed_on"))
    workflow: ClassVar[Workflow | None] = Workflow()  # forms/work_diary/workflow.md, in 第三章

    def check(self, policy: Policy) -> list[Violation]:
        """Return the diary's findings: the day's visits, a signed and timely review."""
        found = super().check(policy)
        if self.visits_in_person is not None and self.visits_in_person < policy.min_daily_visits:
            found.append(self.rules.visits_below_daily_minimum(
                f"{self.date or '当天'} 上门走访 {self.visits_in_person} 户，"
                f"少于每日 {policy.min_daily_visits} 户的要求", "visits_in_person"))
        if self.reviewer_opinion and not self.reviewer_signature:
            found.append(self.rules.opinion_signed("填写了批阅意见，“批阅人签名”为必填项", "reviewer_signature"))
        if self.date is None or self.reviewed_on is None:
            return found
        if self.reviewed_on < self.date:
            found.append(self.rules.reviewed_after(
                f"批阅日期（{self.reviewed_on}）早于日记的日期（{self.date}）", "reviewed_on", "date"))
        else:
            latest = next_workday(self.date + dt.timedelta(days=1)).date
            if self.reviewed_on > latest:
                found.append(self.rules.reviewed_daily(
                    f"{self.date} 的日记 {self.reviewed_on} 才批阅，应不晚于 {latest}（日记日期后的第一个工作日）",
                    "reviewed_on"))
        return found

