"""营销人员市场走访签到记录簿: the sign-in book kept at every visit (§4.1.4, §4.1.3 a–f)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import ClassVar, Literal

from pydantic import Field

from schemas._base import ERROR, WARNING, FormSchema, RowModel, Rule, RuleSet, Violation
from schemas._policy import Policy
from schemas._types import Choices, Code, Date, Month, OptLongText, Signature, Text, Time
from schemas._workdays import month_end

WorkItem = Literal[
    "传递公司信息", "收集客户信息", "核对库存及订货建议",
    "协助陈列与调换标价签", "观察销售督促守法经营", "检查价格执行",
]


class SignIn(RowModel):
    """One visit signed in."""

    date: Date = Field(title="走访日期")
    arrived_at: Time = Field(title="到达时间")
    left_at: Time = Field(title="离开时间")
    customer_code: Code = Field(title="客户编码", pattern=r"^[0-9A-Za-z]+$")
    customer_name: Text = Field(title="客户名称")
    work_items: Choices[WorkItem] = Field(title="工作内容", min_length=1)
    notes: OptLongText = Field(None, title="工作记录")
    manager_signature: Signature = Field(title="客户经理签名")
    customer_signature: Signature = Field(title="客户签名确认")

    rules: ClassVar[RuleSet] = RuleSet(
        time_order=Rule("time_order", ERROR, "离开晚于到达", "§4.1.4", "离开时间应晚于到达时间"),
    )

    def check_row(self, policy: Policy) -> list[Violation]:
        """Return the visit's own rule violations: it must end after it began."""
        if self.left_at is None or self.arrived_at is None or self.left_at > self.arrived_at:
            return []
        return [self.rules.time_order(
            f"离开时间 {self.left_at:%H:%M} 应晚于到达时间 {self.arrived_at:%H:%M}",
            "left_at", "arrived_at",
        )]


class SignInBook(FormSchema):
    """A month of one manager's signed-in market visits."""

    form_id: ClassVar[str] = "sign-in-book"
    form_title: ClassVar[str] = "营销人员市场走访签到记录簿"
    clause: ClassVar[str] = "§4.1.4"
    purpose: ClassVar[str] = "每次走访时记录到达、离开时间和所做工作，客户经理签名，走访结束由客户签名确认。"
    rows_field: ClassVar[str | None] = "rows"
    landscape: ClassVar[bool] = True

    manager: Text = Field(title="客户经理")
    area: Text = Field(title="所辖区域")
    month: Month = Field(title="月份", description="如 2026-11")
    rows: list[SignIn] = Field(title="走访记录", min_length=1)

    rules: ClassVar[RuleSet] = RuleSet(
        date_in_month=Rule("out_of_range", ERROR, "走访日期在本月内", "§4.1.4", "走访日期应在签到簿的月份内"),
        duplicate=Rule(
            "duplicate", WARNING, "同一客户同日签到一次", "§4.1.4",
            "同一客户同一天一般只签到一次；两条签到请核对是否重复登记"),
        time_overlap=Rule(
            "time_overlap", ERROR, "走访时间不重叠", "§4.1.4", "同一客户经理同一天的两次走访时间不得重叠"),
        visits_below_minimum=Rule(
            "visits_below_minimum", WARNING, "每户每月上门次数", "002 2221",
            "每个客户每月至少上门走访 {min_monthly_visits_per_customer} 次",
            policy=("min_monthly_visits_per_customer",)),
    )

    def check(self, policy: Policy) -> list[Violation]:
        """Return the book's rule violations."""
        found = super().check(policy)
        first, last = dt.date.fromisoformat(f"{self.month}-01"), month_end(self.month)
        for index, row in enumerate(self.rows):
            if not first <= row.date <= last:
                found.append(self.rules.date_in_month(
                    f"走访日期 {row.date} 不在 {self.month} 月内", "date", row=index
                ))
        return found + self._check_same_day()

    def _check_same_day(self) -> list[Violation]:
        found: list[Violation] = []
        by_day: dict[dt.date, list[int]] = defaultdict(list)
        for index, row in enumerate(self.rows):
            by_day[row.date].append(index)
        for indexes in by_day.values():
            found += self._check_day([(i, self.rows[i]) for i in indexes])
        return sorted(found, key=lambda v: v.row or 0)

    @staticmethod
    def _check_day(day: list[tuple[int, SignIn]]) -> list[Violation]:
        found: list[Violation] = []
        seen: dict[str, SignIn] = {}
        for index, row in day:
            if (first := seen.setdefault(row.customer_code, row)) is not row:
                found.append(SignInBook.rules.duplicate(
                    f"客户 {row.customer_code} 在 {row.date} 已有一条走访记录"
                    f"（{first.arrived_at:%H:%M}-{first.left_at:%H:%M}）",
                    "customer_code", row=index,
                ))
        latest: SignIn | None = None  # the visit reaching furthest into the day so far
        for index, row in sorted(day, key=lambda item: (item[1].arrived_at, item[0])):
            if latest is not None and row.arrived_at < latest.left_at:
                found.append(SignInBook.rules.time_overlap(
                    f"{row.date} {_span(row)} 与客户 {latest.customer_code} 的走访"
                    f"（{_span(latest)}）时间重叠",
                    "arrived_at", "left_at", row=index,
                ))
            if latest is None or row.left_at > latest.left_at:
                latest = row
        return found


def _span(row: SignIn) -> str:
    return f"{row.arrived_at:%H:%M}-{row.left_at:%H:%M}"
