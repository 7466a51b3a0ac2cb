"""The manual's numbers, in one validated model that an organisation can override.

The validator, the renderers and the handbook all read the numbers from here, so
what the handbook says is what the validator enforces. ``manualkit.toolkit.policy`` reads
an organisation's override file; any key left out keeps the manual's default.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from manualkit.schemas._types import Code

WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_WEEKDAY_ALIASES = {
    **{name: i for i, name in enumerate(WEEKDAY_NAMES, 1)},
    **{f"星期{name[1]}": i for i, name in enumerate(WEEKDAY_NAMES, 1)},
    "星期天": 7,
    **{name: i for i, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"), 1)},
}


def _weekdays(value: Any) -> Any:
    """Accept ISO numbers (6, 7), English or Chinese names for the weekdays."""
    if isinstance(value, str):
        value = value.replace("，", ",").replace("、", ",").split(",")
    if isinstance(value, list):
        return [_weekday(day) for day in value]
    return value


def _weekday(day: Any) -> Any:
    """Return the ISO number of one day; a name that is no weekday is an error that says so."""
    text = str(day).strip().lower()
    if text in _WEEKDAY_ALIASES:
        return _WEEKDAY_ALIASES[text]
    if isinstance(day, str) and not text.isdigit():
        raise ValueError(f"“{day}”不是星期几，应写作周一至周日或 1–7")
    return day


def _clock(value: Any) -> Any:
    """Accept ``7:30`` (or ``07:30:00``) as text, or as YAML 1.1 reads it unquoted (a base-60 number: 450)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if 0 <= value < 24 * 60:
            return dt.time(value // 60, value % 60)
    elif isinstance(value, str) and (
            match := re.fullmatch(r"\s*(\d{1,2})\s*[:：点]\s*(\d{2})(?:\s*[:：]\s*(\d{2}))?\s*", value)):
        hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
        if hour < 24 and minute < 60 and second < 60:
            return dt.time(hour, minute, second)
    elif isinstance(value, dt.time):
        return value
    raise ValueError(f"“{value}”不是一天中的时间，应写作 07:30 这样的时间")


Weekday = Annotated[int, Field(ge=1, le=7)]
_DAYS_IN_MONTH = 31
# At a few minutes a visit, a working day holds some dozens of visits; hundreds is a typing slip.
_MAX_DAILY_VISITS = 200
MonthlyVisits = Annotated[int, Field(ge=0, le=_DAYS_IN_MONTH)]
_BOOLEAN_TEXT = {
    "report_due_postpone_holidays": (
        "截止日遇周末或法定节假日顺延至其后的第一个工作日",
        "截止日遇周末或法定节假日不顺延",
    ),
}


class Policy(BaseModel):
    """The manual's numbers, with its defaults (``forms.md``, "Policy").

    Each value has a sensible range (a day has 24 hours, a month 31 days), so that a typing
    slip in a policy file (``min_daily_visits: 300000``) is refused rather than enforced.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_daily_visits: int = Field(
        30, ge=0, le=_MAX_DAILY_VISITS, title="每日最少上门拜访零售户数",
        description="三定：每天至少走访的零售客户数（002 三定(3)）",
    )
    min_daily_market_hours: Decimal = Field(
        Decimal(6), ge=0, le=24, title="每日最少市场走访时间（小时）",
        description="三定：每天在市场走访的时间，从第一户到达到最后一户离开（002 三定(1)）",
    )
    morning_meeting_time: Annotated[dt.time, BeforeValidator(_clock)] = Field(
        dt.time(7, 30), title="晨会开始时间", description="三定：上班时间，准时到单位集合开晨会（002 三定(1)）",
    )
    min_monthly_visits_per_customer: int = Field(
        2, ge=0, le=_DAYS_IN_MONTH, title="每户每月最少上门拜访次数",
        description="每个客户每月至少上门拜访的次数（002 2221）",
    )
    visit_minimum_exceptions: dict[Code, MonthlyVisits] = Field(
        {}, title="经批准的上门次数例外",
        description="市场经理批准增减走访次数的客户：客户编码（以 0 开头的加引号）→ 每月最少次数（002 2221）",
    )
    report_due_day: int = Field(
        5, ge=1, le=28, title="月度报告提交日", description="每月几日前提交上月销售分析报告（§4.4）"
    )
    report_due_postpone_holidays: bool = Field(
        True, title="报告截止日节假日顺延", description="截止日遇周末或法定节假日顺延至下一工作日（§4.4.2）"
    )
    special_visit_max_delay_days: int = Field(
        1, ge=0, le=_DAYS_IN_MONTH, title="特殊访问最长延迟天数",
        description="客户出现特殊情况后应在几天内上门访问（§4.1.2“立即”，天数为本单位的理解）",
    )
    schedule_prepared_weekdays: Annotated[list[Weekday], BeforeValidator(_weekdays)] = Field(
        [6, 7], min_length=1, title="访问日程表制订日",
        description="每周哪几天制订下周访问日程（1=周一……7=周日；§4.1.1 每周末）",
    )
    customer_classes: list[str] = Field(
        ["一级", "二级", "三级", "四级", "五级"], min_length=1, title="客户档位",
        description="分级管理的客户档位，从高到低（§3.1；档位的名称和数目为本单位的理解）",
    )
    promotion_eligible_classes: list[str] = Field(
        ["一级", "二级", "三级"], min_length=1, title="可推荐促销的客户档位",
        description="促销客户限于这些档位（§4.2.1“限三级以上”，按一级为最高档理解）",
    )
    phone_change_days: int = Field(
        3, ge=1, le=_DAYS_IN_MONTH, title="电话变更办结天数", description="客户电话变更应在几日内办完手续（002 2236）"
    )
    suspension_days: int = Field(
        10, ge=1, le=_DAYS_IN_MONTH, title="停歇业办结天数", description="客户停歇业应在几天内办完手续（002 2236）"
    )
    organisation_name: str = Field(
        "", max_length=60, title="单位名称", description="印在每张表单顶端；不填则留一条横线供手写"
    )

    @model_validator(mode="after")
    def _eligible_are_classes(self) -> Policy:
        if unknown := [c for c in self.promotion_eligible_classes if c not in self.customer_classes]:
            classes = "、".join(self.customer_classes)
            raise ValueError(f"可推荐促销的档位 {'、'.join(unknown)} 不在客户档位（{classes}）中")
        return self

    def monthly_visits_for(self, customer_code: str) -> int:
        """Return the in-person visits a customer needs a month: an approved exception, else the minimum."""
        return self.visit_minimum_exceptions.get(customer_code, self.min_monthly_visits_per_customer)

    def text(self, key: str) -> str:
        """Return the value of ``key`` as Chinese text, as the handbook and the rules' texts print it.

        Raises:
            KeyError: the policy has no such key.
        """
        if key not in Policy.model_fields:
            raise KeyError(key)
        value = getattr(self, key)
        if key == "schedule_prepared_weekdays":
            return self.weekday_names()
        if isinstance(value, bool):
            yes, no = _BOOLEAN_TEXT.get(key, ("是", "否"))
            return yes if value else no
        if isinstance(value, list):
            return "、".join(str(item) for item in value)
        if isinstance(value, dt.time):
            return value.strftime("%H:%M")
        if isinstance(value, dict):
            return "、".join(f"{code}：{n} 次" for code, n in value.items()) or "无"
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return str(value)

    def texts(self) -> dict[str, str]:
        """Return every value as text (``text``), by key: what ``Rule.describe`` places."""
        return {key: self.text(key) for key in Policy.model_fields}

    def weekday_names(self) -> str:
        """Return the schedule days as Chinese text, e.g. ``周六、周日``."""
        return "、".join(WEEKDAY_NAMES[day - 1] for day in self.schedule_prepared_weekdays)


DEFAULT_POLICY = Policy()
