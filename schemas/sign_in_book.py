"""营销人员市场走访签到记录簿: the sign-in book kept at every visit (§4.1.4, §4.1.3 a–f)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache
from typing import ClassVar, Literal

from pydantic import Field

from manualkit.schemas._base import ERROR, WARNING, Duty, FormSchema, Review, RowModel, Rule, RuleSet, Violation
from manualkit.schemas._month import MonthRole
from manualkit.schemas._policy import Policy
from manualkit.schemas._types import Choices, Code, Date, Month, OptLongText, Signature, Text, Time
from manualkit.schemas._workdays import month_end

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
    period_field: ClassVar[str | None] = "month"
    month_role: ClassVar[MonthRole | None] = MonthRole(
        "sign_in_book", dated_by="month", required=True, reads=("manager", "area", "month"),
        row_reads=("date", "customer_code", "customer_name", "arrived_at"))
    purpose: ClassVar[str] = "每次走访时记录到达、离开时间和所做工作，客户经理签名，走访结束由客户签名确认。"
    rows_field: ClassVar[str | None] = "rows"
    landscape: ClassVar[bool] = True
    duties: ClassVar[tuple[Duty, ...]] = (
        Duty("上门走访零售客户", "每天不少于 {min_daily_visits} 户", "002 三定(3)"),
        Duty("在市场走访", "每天不少于 {min_daily_market_hours} 小时", "002 三定(1)"),
        Duty("对每一户客户上门走访",
             "每月不少于 {min_monthly_visits_per_customer} 次；市场经理批准增减的客户按批准的次数", "002 2221"),
        Duty("走访签到，请客户签名确认", "每次走访", "§4.1.4"),
    )
    review: ClassVar[Review | None] = Review("走访检查和抽查时核对", "日常")

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
        visits_below_daily_minimum=Rule(
            "visits_below_daily_minimum", WARNING, "每日上门走访户数", "002 三定(3)",
            "有走访的每一天至少走访 {min_daily_visits} 户", policy=("min_daily_visits",)),
        market_hours_below_minimum=Rule(
            "market_hours_below_minimum", WARNING, "每日市场走访时间", "002 三定(1)",
            "有走访的每一天，从第一户到达到最后一户离开不少于 {min_daily_market_hours} 小时",
            policy=("min_daily_market_hours",)),
        visits_below_minimum=Rule(
            "visits_below_minimum", WARNING, "每户每月上门次数", "002 2221",
            "每个客户每月至少上门走访 {min_monthly_visits_per_customer} 次；"
            "市场经理批准增减次数的客户按批准的次数（{visit_minimum_exceptions}）",
            policy=("min_monthly_visits_per_customer", "visit_minimum_exceptions")),
    )

    @classmethod
    def blank_rows(cls, policy: Policy) -> int:
        """Return a day's visits: the blank book holds the day's minimum (三定)."""
        return policy.min_daily_visits

    def check(self, policy: Policy) -> list[Violation]:
        """Return the book's rule violations: each row's month, each day's visits, each customer's month."""
        found = super().check(policy)
        first, last = dt.date.fromisoformat(f"{self.month}-01"), month_end(self.month)
        for index, row in self.rows_with("date"):
            if not first <= row.date <= last:
                found.append(self.rules.date_in_month(
                    f"走访日期 {row.date} 不在 {self.month} 月内", "date", row=index
                ))
        found += self._check_same_day() + self._check_days(policy) + self._check_customers(policy)
        return sorted(found, key=lambda v: -1 if v.row is None else v.row)

    def _check_same_day(self) -> list[Violation]:
        found: list[Violation] = []
        for day in _by_day(self.rows_with("date", "customer_code", "arrived_at", "left_at")).values():
            found += self._check_day(day)
        return found

    def _check_days(self, policy: Policy) -> list[Violation]:
        """Return the days short of visits or of hours in the market (what was done, not what was planned)."""
        if self.rows_lacking("date"):
            return []  # a row without its date is a visit of some day: the counts would be short, the warning false
        found: list[Violation] = []
        month = self.month
        for day, visits in sorted(_by_day(self.rows_with("date")).items()):
            if day.isoformat()[:7] != month:
                continue  # not a day of this book's month (an error of its own)
            index = visits[0][0]
            if len(visits) < policy.min_daily_visits:
                found.append(self.rules.visits_below_daily_minimum(
                    f"{day} 走访 {len(visits)} 户，少于每日 {policy.min_daily_visits} 户的要求", "date", row=index))
            timed = [row for _, row in visits if row.arrived_at is not None and row.left_at is not None]
            if len(timed) < len(visits) or not timed:
                continue  # a visit without its times: the day's span is not known
            hours = _hours(min(row.arrived_at for row in timed), max(row.left_at for row in timed))
            if hours < policy.min_daily_market_hours:
                found.append(self.rules.market_hours_below_minimum(
                    f"{day} 从第一户到达到最后一户离开共 {_shown(hours)} 小时，"
                    f"少于每日 {policy.text('min_daily_market_hours')} 小时的要求",
                    "date", row=index))
        return found

    def _check_customers(self, policy: Policy) -> list[Violation]:
        """Return the customers visited fewer times this month than they need (approved exceptions apply)."""
        if self.rows_lacking("customer_code"):
            return []  # a row without its customer is someone's visit: a count would be short
        visits: dict[str, list[int]] = defaultdict(list)
        for index, row in self.rows_with("customer_code"):
            visits[row.customer_code].append(index)
        found = []
        rule, month, exceptions = self.rules.visits_below_minimum, self.month, policy.visit_minimum_exceptions
        for code, indexes in visits.items():  # a batch of books may name a customer in every row
            needed = policy.monthly_visits_for(code)
            if len(indexes) < needed:
                approved = "（经批准的次数）" if code in exceptions else ""
                found.append(rule(
                    f"客户 {code} {month} 上门走访 {len(indexes)} 次，少于每月 {needed} 次{approved}的要求",
                    "customer_code", row=indexes[0], value=code))
        return found

    @staticmethod
    def _check_day(day: list[tuple[int, SignIn]]) -> list[Violation]:
        found: list[Violation] = []
        seen: dict[str, SignIn] = {}
        date = str(day[0][1].date)  # the day's rows share it
        for index, row in day:
            if (first := seen.setdefault(row.customer_code, row)) is not row:
                found.append(SignInBook.rules.duplicate(
                    f"客户 {row.customer_code} 在 {date} 已有一条走访记录"
                    f"（{_span(first)}）",
                    "customer_code", row=index,
                ))
        latest: SignIn | None = None  # the visit reaching furthest into the day so far
        for index, row in sorted(day, key=lambda item: (item[1].arrived_at, item[0])):
            if latest is not None and row.arrived_at < latest.left_at:
                found.append(SignInBook.rules.time_overlap(
                    f"{date} {_span(row)} 与客户 {latest.customer_code} 的走访"
                    f"（{_span(latest)}）时间重叠",
                    "arrived_at", "left_at", row=index,
                ))
            if latest is None or row.left_at > latest.left_at:
                latest = row
        return found


def _by_day(rows: list[tuple[int, SignIn]]) -> dict[dt.date, list[tuple[int, SignIn]]]:
    days: dict[dt.date, list[tuple[int, SignIn]]] = defaultdict(list)
    for index, row in rows:
        days[row.date].append((index, row))
    return days


def _hours(start: dt.time, end: dt.time) -> Decimal:
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return Decimal(minutes) / 60


def _shown(hours: Decimal) -> str:
    return format(hours.quantize(Decimal("0.1")).normalize(), "f")


def _span(row: SignIn) -> str:
    return f"{_clock(row.arrived_at)}-{_clock(row.left_at)}"


@lru_cache(maxsize=4096)
def _clock(time: dt.time) -> str:
    """Return ``HH:MM`` (as ``f"{time:%H:%M}"``, without strftime's cost: a book may have 100,000 overlaps).

    Remembered: a month's visits begin and end at a few hundred times of day.
    """
    return f"{time.hour:02d}:{time.minute:02d}"
