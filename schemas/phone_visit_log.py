"""电话拜访情况记录: customers that could not be visited in person that day, visited by phone (002 三定(3))."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

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
from manualkit.schemas._types import Code, Date, LongText, Month, OptSignature, OptText, Text, Time
from manualkit.schemas._workdays import month_end

# A page of the blank log on landscape A4: the phone visits are the exceptions of a month, not its rule.
BLANK_ROWS = 15


class PhoneVisit(RowModel):
    """One phone visit."""

    date: Date = Field(title="日期")
    time: Time = Field(title="时间")
    customer_code: Code = Field(title="客户编码", pattern=r"^[0-9A-Za-z]+$")
    customer_name: Text = Field(title="客户名称")
    reason: Text = Field(title="未能上门原因")
    content: LongText = Field(title="通话内容")
    order_intent: OptText = Field(None, title="订货意向")


class PhoneVisitLog(FormSchema):
    """A month of one manager's phone visits."""

    form_id: ClassVar[str] = "phone-visit-log"
    form_title: ClassVar[str] = "电话拜访情况记录"
    clause: ClassVar[str] = "002 三定(3)"
    purpose: ClassVar[str] = "当天计划内不能上门走访的客户，改用电话沟通进行口头拜访，逐次记录备查；市场经理定期抽查。"
    rows_field: ClassVar[str | None] = "rows"
    period_field: ClassVar[str | None] = "month"
    landscape: ClassVar[bool] = True
    # The schedules' phone visits are held to it (``manualkit.toolkit.month.rules.phone``); the report counts its calls.
    month_role: ClassVar[MonthRole | None] = MonthRole(
        "phone_visit_log", dated_by="month", reads=("manager", "month"),
        row_reads=("date", "customer_code", "customer_name"))

    manager: Text = Field(title="客户经理")
    month: Month = Field(title="月份", description="如 2026-11")
    rows: list[PhoneVisit] = Field(title="电话拜访记录", min_length=1)
    checker_signature: OptSignature = Field(None, title="市场经理抽查")

    rules: ClassVar[RuleSet] = RuleSet(
        date_in_month=Rule("out_of_range", ERROR, "拜访日期在本月内", "002 三定(3)", "电话拜访的日期应在记录的月份内"),
        duplicate=Rule(
            "duplicate", WARNING, "同一客户同日记录一次", "002 三定(3)",
            "同一客户同一天一般只记录一次电话拜访；两条记录请核对是否重复登记"),
    )
    duties: ClassVar[tuple[Duty, ...]] = (
        Duty("计划内不能上门的客户：电话拜访并记录", "当天", "002 三定(3)"),
        Duty("抽查电话拜访记录", "定期", "002 三定(3)"),
    )
    review: ClassVar[Review | None] = Review(
        "定期抽查电话拜访情况", "定期",
        ("checker_signature",))
    workflow: ClassVar[Workflow | None] = Workflow()  # forms/phone_visit_log/workflow.md, in 第三章

    @classmethod
    def blank_rows(cls, policy: Policy) -> int:
        """Return a page of rows."""
        return BLANK_ROWS

    def check(self, policy: Policy) -> list[Violation]:
        """Return the log's findings: each call in the month, each customer once a day."""
        found = super().check(policy)
        seen: set[tuple[dt.date, str]] = set()
        for index, row in self.rows_with("date") if self.month else ():
            if not dt.date.fromisoformat(f"{self.month}-01") <= row.date <= month_end(self.month):
                found.append(self.rules.date_in_month(f"拜访日期 {row.date} 不在 {self.month} 月内", "date", row=index))
        for index, row in self.rows_with("date", "customer_code"):
            if (row.date, row.customer_code) in seen:
                found.append(self.rules.duplicate(
                    f"客户 {row.customer_code} 在 {row.date} 已有一条电话拜访记录", "customer_code", row=index))
            seen.add((row.date, row.customer_code))
        return sorted(found, key=lambda v: -1 if v.row is None else v.row)
