"""The manual's numbers, in one validated model that an organisation can override.

The validator, the renderers and the handbook all read the numbers from here, so
what the handbook says is what the validator enforces. ``toolkit.policy`` reads
an organisation's override file; any key left out keeps the manual's default.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

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


Weekday = Annotated[int, Field(ge=1, le=7)]
_BOOLEAN_TEXT = {
    "report_due_postpone_holidays": (
        "截止日遇周末或法定节假日顺延至其后的第一个工作日",
        "截止日遇周末或法定节假日不顺延",
    ),
}


class Policy(BaseModel):
    """The manual's numbers, with its defaults (``forms.md``, "Policy")."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_daily_visits: int = Field(
        30, ge=0, title="每日最少上门拜访零售户数", description="三定：每天至少走访的零售客户数"
    )
    min_monthly_visits_per_customer: int = Field(
        2, ge=0, title="每户每月最少上门拜访次数", description="每个客户每月至少上门拜访的次数"
    )
    report_due_day: int = Field(
        5, ge=1, le=28, title="月度报告提交日", description="每月几日前提交上月销售分析报告"
    )
    report_due_postpone_holidays: bool = Field(
        True, title="报告截止日节假日顺延", description="截止日遇周末或法定节假日顺延至下一工作日"
    )
    special_visit_max_delay_days: int = Field(
        1, ge=0, title="特殊访问最长延迟天数", description="客户出现特殊情况后应在几天内上门访问"
    )
    schedule_prepared_weekdays: Annotated[list[Weekday], BeforeValidator(_weekdays)] = Field(
        [6, 7], min_length=1, title="访问日程表制订日", description="每周哪几天制订下周访问日程（1=周一……7=周日）"
    )
    promotion_eligible_classes: list[str] = Field(
        ["一级", "二级", "三级"], min_length=1, title="可享受促销品的客户档位",
        description="宣传促销品限于这些档位的客户",
    )
    callback_within_days: int = Field(
        3, ge=0, title="回访时限（天）", description="投诉或反馈处理后应在几天内回访客户"
    )

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
        return str(value)

    def texts(self) -> dict[str, str]:
        """Return every value as text (``text``), by key: what ``Rule.describe`` places."""
        return {key: self.text(key) for key in Policy.model_fields}

    def weekday_names(self) -> str:
        """Return the schedule days as Chinese text, e.g. ``周六、周日``."""
        return "、".join(WEEKDAY_NAMES[day - 1] for day in self.schedule_prepared_weekdays)


DEFAULT_POLICY = Policy()
