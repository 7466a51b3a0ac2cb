"""客户访问日程表: the weekly visit plan (§4.1.1), made at the weekend for the next week."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import ClassVar, Literal

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from manualkit.schemas._base import ERROR, WARNING, Duty, FormSchema, Review, RowModel, Rule, RuleSet, Violation
from manualkit.schemas._month import MonthRole
from manualkit.schemas._policy import Policy
from manualkit.schemas._types import (
    Choice,
    Choices,
    Code,
    Date,
    OptSignature,
    OptText,
    Text,
    weekday_name,
)
from manualkit.schemas._workdays import is_workday

VisitMode = Literal["上门", "电话"]
VisitFocus = Literal[
    "新品推广", "品牌促销", "销售指导", "法规宣传", "知识辅导", "订货帮助", "信息收集", "其他"
]
WORKDAYS_PER_WEEK = 5
_TIME_RANGE = re.compile(r"^(\d{1,2}):(\d{2})\s*[-~至到]\s*(\d{1,2}):(\d{2})$")


class PlannedVisit(RowModel):
    """One planned visit of the week."""

    date: Date = Field(title="访问日期")
    route: Text = Field(title="线路")
    customer_code: Code = Field(title="客户编码", pattern=r"^[0-9A-Za-z]+$")
    customer_name: Text = Field(title="客户名称")
    address: OptText = Field(None, title="经营地址")
    visit_mode: Choice[VisitMode] = Field(title="访问方式")
    planned_time: OptText = Field(
        None, title="计划时段", description="应写作 09:00-10:30 这样的时段", pattern=_TIME_RANGE.pattern
    )
    focus: Choices[VisitFocus] = Field([], title="访问重点")

    rules: ClassVar[RuleSet] = RuleSet(
        time_order=Rule("time_order", ERROR, "计划时段先后", "§4.1.1", "计划时段的结束时间应晚于开始时间"),
    )

    def check_row(self, policy: Policy) -> list[Violation]:
        """Return the visit's own rule violations: its planned time must end after it starts."""
        if not self.planned_time or not (span := _TIME_RANGE.match(self.planned_time)):
            return []
        start, end = (int(span[1]), int(span[2])), (int(span[3]), int(span[4]))
        if end > start:
            return []
        return [self.rules.time_order(f"计划时段“{self.planned_time}”的结束时间应晚于开始时间", "planned_time")]


class VisitSchedule(FormSchema):
    """The account manager's plan of next week's visits."""

    form_id: ClassVar[str] = "visit-schedule"
    form_title: ClassVar[str] = "客户访问日程表"
    clause: ClassVar[str] = "§4.1.1"
    period_field: ClassVar[str | None] = "week_start"
    month_role: ClassVar[MonthRole | None] = MonthRole(
        "schedule", dated_by="week_start", required=True, rows_dated_by="date", weekly=True, prepared_by="prepared_on",
        reads=("manager", "area", "week_start", "prepared_on"),
        row_reads=("date", "customer_code", "customer_name", "visit_mode"))
    purpose: ClassVar[str] = "每周末制订下一周的客户访问计划，按线路、日期安排上门或电话访问及访问重点。"
    rows_field: ClassVar[str | None] = "rows"
    landscape: ClassVar[bool] = True
    duties: ClassVar[tuple[Duty, ...]] = (
        Duty("制订下一周的客户访问日程", "每周{schedule_prepared_weekdays}", "§4.1.1"),
        Duty("上门走访零售客户", "每天不少于 {min_daily_visits} 户", "002 三定(3)"),
    )
    review: ClassVar[Review | None] = Review(
        "检查日程是否符合月度计划和走访要求", "客户经理制订日程后",
        ("reviewer",))

    manager: Text = Field(title="客户经理")
    area: Text = Field(title="所辖区域")
    week_start: Date = Field(title="计划周起始日", description="计划周的星期一")
    prepared_on: Date = Field(title="制表日期")
    reviewer: OptSignature = Field(None, title="市场经理审阅")
    rows: list[PlannedVisit] = Field(title="访问计划", min_length=1)

    rules: ClassVar[RuleSet] = RuleSet(
        not_monday=Rule("not_monday", ERROR, "计划周从星期一开始", "§4.1.1", "计划周起始日必须是星期一"),
        prepared_before_week=Rule(
            "date_order", ERROR, "计划周开始前制订", "§4.1.1",
            "制表日期不得晚于计划周起始日：日程表在计划周开始前制订"),
        prepared_at_weekend=Rule(
            "policy", WARNING, "周末制订下周日程", "§4.1.1",
            "日程表应在计划周前一周的{schedule_prepared_weekdays}制订", policy=("schedule_prepared_weekdays",)),
        date_in_week=Rule(
            "out_of_range", ERROR, "访问日期在计划周内", "§4.1.1", "访问日期应在计划周（星期一至星期日）内"),
        duplicate=Rule("duplicate", ERROR, "同一客户同日只安排一次", "§4.1.1", "同一客户同一天只能安排一次访问"),
        daily_visits=Rule(
            "policy", WARNING, "每日计划上门访问户数", "002 三定(3)",
            "计划周的每个工作日计划上门访问不少于 {min_daily_visits} 户（没有安排任何访问的工作日也算不足）",
            policy=("min_daily_visits",)),
    )

    @field_validator("week_start")
    @classmethod
    def _monday(cls, value: dt.date) -> dt.date:
        if value.weekday() != 0:
            raise PydanticCustomError(
                "not_monday",
                "应为星期一，{value} 是{weekday}",
                {"value": value.isoformat(), "weekday": weekday_name(value)},
            )
        return value

    @classmethod
    def blank_rows(cls, policy: Policy) -> int:
        """Return a week's visits: five working days at the daily minimum."""
        return WORKDAYS_PER_WEEK * policy.min_daily_visits

    def check(self, policy: Policy) -> list[Violation]:
        """Return the schedule's rule violations."""
        return [*super().check(policy), *self._check_prepared(policy), *self._check_rows(policy)]

    def _check_prepared(self, policy: Policy) -> list[Violation]:
        if self.prepared_on > self.week_start:
            return [self.rules.prepared_before_week(
                f"制表日期（{self.prepared_on}）晚于计划周起始日（{self.week_start}），日程表应在计划周开始前制订",
                "prepared_on", "week_start",
            )]
        # ISO weekday 6 of the week before is week_start - 2 days, 7 is week_start - 1 day.
        allowed = {self.week_start - dt.timedelta(days=8 - day) for day in policy.schedule_prepared_weekdays}
        if self.prepared_on not in allowed:
            return [self.rules.prepared_at_weekend(
                f"日程表应在上周{policy.weekday_names()}制订，制表日期为 {self.prepared_on}", "prepared_on"
            )]
        return []

    def _check_rows(self, policy: Policy) -> list[Violation]:
        found: list[Violation] = []
        week_end = self.week_start + dt.timedelta(days=6)
        for index, row in self.rows_with("date"):
            if not self.week_start <= row.date <= week_end:
                found.append(self.rules.date_in_week(
                    f"访问日期 {row.date} 不在计划周内（{self.week_start} 至 {week_end}）", "date", row=index,
                ))
        seen: set[tuple[dt.date, str]] = set()
        for index, row in self.rows_with("date", "customer_code"):
            if (row.date, row.customer_code) in seen:
                found.append(self.rules.duplicate(
                    f"客户 {row.customer_code} 在 {row.date} 安排了两次访问", "customer_code", row=index
                ))
            seen.add((row.date, row.customer_code))
        return found + self._check_daily_visits(policy)

    def _check_daily_visits(self, policy: Policy) -> list[Violation]:
        if self.rows_lacking("date", "visit_mode"):
            return []  # a row without its day or mode is not counted: a day's count would be short, the warning false
        rows = self.rows_with("date", "visit_mode")
        in_person = Counter(row.date for _, row in rows if row.visit_mode == "上门")
        first_row: dict[dt.date, int] = {}
        for index, row in rows:
            first_row.setdefault(row.date, index)
        found = [
            self.rules.daily_visits(
                f"{day} 计划上门访问 {in_person[day]} 户，少于每日 {policy.min_daily_visits} 户的要求",
                "date", row=index,
            )
            for day, index in sorted(first_row.items())
            if in_person[day] < policy.min_daily_visits
        ]
        return found + [
            self.rules.daily_visits(
                f"{day}（{weekday_name(day)}）是工作日，没有安排任何访问，少于每日 {policy.min_daily_visits} 户的要求",
                "week_start", value=day.isoformat(),
            )
            for day in self._workdays() if day not in first_row and policy.min_daily_visits > 0
        ]

    def _workdays(self) -> list[dt.date]:
        """Return the working days of the planned week (mainland calendar, make-up working days included)."""
        week = [self.week_start + dt.timedelta(days=offset) for offset in range(7)]
        return [day for day in week if is_workday(day)[0]]
