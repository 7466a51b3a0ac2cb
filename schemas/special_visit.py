"""特殊访问记录: a visit made at once when a customer has a special situation (§4.1.2)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from manualkit.schemas._base import ERROR, WARNING, Duty, FormSchema, Review, Rule, RuleSet, Violation
from manualkit.schemas._month import MonthRole
from manualkit.schemas._policy import Policy
from manualkit.schemas._types import (
    Choice,
    Code,
    DateTime,
    LongText,
    OptCode,
    OptDate,
    OptLongText,
    OptPhone,
    OptSignature,
    Signature,
    Text,
    YesNo,
)

Situation = Literal[
    "销售异常", "商品质量投诉", "服务投诉", "歇业", "恢复营业", "联系方式变更",
    "价格违规", "违规经营", "无证经营线索", "其他",
]
# Situations the area market manager must hear of (§4.7, §4.1.3 f).
MUST_REPORT: tuple[Situation, ...] = ("价格违规", "违规经营", "无证经营线索")


class SpecialVisit(FormSchema):
    """The record of one special visit."""

    form_id: ClassVar[str] = "special-visit"
    form_title: ClassVar[str] = "特殊访问记录"
    clause: ClassVar[str] = "§4.1.2"
    period_field: ClassVar[str | None] = "visited_at"
    # All fields are kept (no ``reads``): a record of one visit is small, and two records count as one only if equal.
    month_role: ClassVar[MonthRole | None] = MonthRole(
        "special_visit", dated_by="visited_at", customer_field="customer_code")
    purpose: ClassVar[str] = "客户出现特殊情况时立即上门访问，记录情况、处理措施和结果，并作为月度分析的依据。"
    duties: ClassVar[tuple[Duty, ...]] = (
        Duty("客户出现特殊情况时上门访问",
             "立即（本单位按情况发生后 {special_visit_max_delay_days} 天内掌握，天数不是手册原文）", "§4.1.2"),
        Duty("上报必须上报的特殊情况", "发现后立即", "§4.7"),
    )
    review: ClassVar[Review | None] = Review(
        "阅看记录，处理上报事项", "收到上报后",
        ("market_manager_opinion",))

    record_no: OptCode = Field(None, title="记录编号")
    manager: Text = Field(title="客户经理")
    customer_code: Code = Field(title="客户编码", pattern=r"^[0-9A-Za-z]+$")
    customer_name: Text = Field(title="客户名称")
    license_no: OptCode = Field(None, title="许可证号")
    phone: OptPhone = Field(None, title="联系电话", description="手机或固定电话号码")
    occurred_on: OptDate = Field(None, title="情况发生日期")
    visited_at: DateTime = Field(title="访问时间", description="日期和时间，如 2026-11-05 09:30")
    situation: Choice[Situation] = Field(title="特殊情况类别")
    description: LongText = Field(title="情况描述")
    actions: LongText = Field(title="处理措施")
    result: OptLongText = Field(None, title="处理结果")
    reported: YesNo = Field(
        title="是否上报区域市场经理", description="价格违规、违规经营、无证经营线索必须上报"
    )
    manager_signature: Signature = Field(title="客户经理签名")
    customer_signature: OptSignature = Field(None, title="客户签名")
    market_manager_opinion: OptLongText = Field(None, title="市场经理意见")

    rules: ClassVar[RuleSet] = RuleSet(
        visited_after_occurrence=Rule(
            "date_order", ERROR, "访问不早于情况发生", "§4.1.2", "访问时间不得早于情况发生日期"),
        late_visit=Rule(
            "late_visit", WARNING, "立即上门访问", "§4.1.2",
            "客户发生特殊情况应立即上门访问：情况发生后 {special_visit_max_delay_days} 天内"
            "（“立即”按此天数掌握，是本单位的理解，不是手册原文）",
            policy=("special_visit_max_delay_days",)),
        not_reported=Rule(
            "not_reported", ERROR, "须上报区域市场经理", "§4.1.3 f、§4.7",
            "价格违规、违规经营、无证经营线索必须上报区域市场经理（“是否上报区域市场经理”填“是”）"),
    )

    def check(self, policy: Policy) -> list[Violation]:
        """Return the record's rule violations."""
        found = super().check(policy)
        visited = self.visited_at.date()
        if self.occurred_on and visited < self.occurred_on:
            found.append(self.rules.visited_after_occurrence(
                f"访问时间（{visited}）早于情况发生日期（{self.occurred_on}）",
                "visited_at", "occurred_on",
            ))
        elif self.occurred_on:
            delay = (visited - self.occurred_on).days
            if delay > policy.special_visit_max_delay_days:
                found.append(self.rules.late_visit(
                    f"情况发生 {delay} 天后才访问，应在 {policy.special_visit_max_delay_days} 天内上门",
                    "visited_at", "occurred_on",
                ))
        if self.situation in MUST_REPORT and not self.reported:
            found.append(self.rules.not_reported(
                f"特殊情况“{self.situation}”必须上报区域市场经理，“是否上报区域市场经理”应为“是”",
                "reported", "situation",
            ))
        return found


