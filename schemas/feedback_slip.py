"""商品及服务质量信息反馈单: a quality complaint from inspection to exchange (§4.6.1–4.6.5)."""

from __future__ import annotations

from itertools import pairwise
from typing import ClassVar, Literal

from pydantic import Field

from manualkit.schemas._base import ERROR, Duty, FormSchema, Review, Rule, RuleSet, Violation
from manualkit.schemas._month import MonthRole
from manualkit.schemas._policy import Policy
from manualkit.schemas._types import (
    Choice,
    Code,
    Date,
    LongText,
    OptCode,
    OptCount,
    OptDate,
    OptLongText,
    OptPhone,
    OptSignature,
    OptText,
    Signature,
    Text,
)

FeedbackType = Literal["商品质量", "服务质量"]
Unit = Literal["条", "包"]
Stage = Literal["待客户确认", "待审核", "待调换", "待签收", "待反馈", "已完结"]
# The dates of the slip, in the order the steps happen (§4.6.1–4.6.5).
DATE_ORDER = ("reported_on", "inspected_on", "reviewed_on", "exchanged_on", "result_fed_back_on")
STAGES: tuple[Stage, ...] = ("待客户确认", "待审核", "待调换", "待签收", "待反馈", "已完结")


class FeedbackSlip(FormSchema):
    """One quality feedback slip and how far it has got."""

    form_id: ClassVar[str] = "feedback-slip"
    form_title: ClassVar[str] = "商品及服务质量信息反馈单"
    clause: ClassVar[str] = "§4.6"
    derived: ClassVar[dict[str, str]] = {"stage": "办理阶段"}
    duties: ClassVar[tuple[Duty, ...]] = (
        Duty("质量投诉：把处理结果告诉客户", "得到区域市场经理的批示后尽快", "§4.6.5"),
    )
    review: ClassVar[Review | None] = Review("审核质量问题，批准调换，作出处理批示", "客户经理带回反馈单和不合格卷烟后",
                                               ("review_opinion", "reviewer_signature", "reviewed_on"))
    # All fields are kept (no ``reads``): a record of one visit is small, and two records count as one only if equal.
    month_role: ClassVar[MonthRole | None] = MonthRole(
        "feedback_slip", dated_by="reported_on", customer_field="customer_code")
    purpose: ClassVar[str] = (
        "客户反映商品或服务质量问题时现场查看、填写并由客户签字，经区域市场经理审核后调换商品并反馈结果。"
    )

    slip_no: OptCode = Field(None, title="反馈单编号")
    manager: Text = Field(title="客户经理")
    customer_code: Code = Field(title="客户编码", pattern=r"^[0-9A-Za-z]+$")
    customer_name: Text = Field(title="客户名称")
    phone: OptPhone = Field(None, title="联系电话")
    feedback_type: Choice[FeedbackType] = Field(title="反馈类型")
    reported_on: Date = Field(title="反映日期")
    inspected_on: OptDate = Field(None, title="现场查看日期", description="商品质量问题必填")
    brand_spec: OptText = Field(None, title="卷烟品牌规格", description="商品质量问题必填")
    quantity: OptCount = Field(None, title="数量", gt=0, description="商品质量问题必填")
    unit: Choice[Unit] | None = Field(None, title="单位", description="填写数量时必填")
    problem: LongText = Field(title="问题描述")
    cause: OptLongText = Field(None, title="原因分析", description="现场查看后必填")
    customer_signature: Signature = Field(title="客户签字确认")
    review_opinion: OptLongText = Field(None, title="区域市场经理审核意见")
    reviewer_signature: OptSignature = Field(None, title="审核人签名")
    reviewed_on: OptDate = Field(None, title="审核日期")
    exchanged_quantity: OptCount = Field(None, title="调换数量", ge=0)
    exchanged_on: OptDate = Field(None, title="调换日期")
    receipt_signature: OptSignature = Field(None, title="客户确认（签收）")
    result: OptLongText = Field(None, title="处理结果")
    result_fed_back_on: OptDate = Field(None, title="结果反馈日期")

    rules: ClassVar[RuleSet] = RuleSet(
        goods_inspected=Rule(
            "missing_required", ERROR, "商品质量问题现场查看", "§4.6.1",
            "商品质量问题须现场查看，填写现场查看日期、卷烟品牌规格、数量；现场查看后须填写原因分析"),
        quantity_unit=Rule("missing_required", ERROR, "数量注明单位", "§4.6.2", "填写了数量须注明单位（条或包）"),
        review_signed=Rule(
            "missing_required", ERROR, "审核签名并注明日期", "§4.6.3",
            "填写了审核意见须有审核人签名，审核人签名须注明审核日期"),
        exchange_received=Rule(
            "missing_required", ERROR, "调换注明日期并由客户签收", "§4.6.4",
            "填写了调换数量须注明调换日期；调换商品后须由客户在“客户确认”栏签收"),
        exchange_after_review=Rule(
            "stage_order", ERROR, "审核批准后调换", "§4.6.3", "未经区域市场经理审核签名不得调换商品"),
        fed_back_after_review=Rule(
            "stage_order", ERROR, "审核批示后反馈结果", "§4.6.5",
            "处理结果在得到区域市场经理的批示后才向客户反馈：填写结果反馈日期须先有审核人签名"),
        exchange_within_quantity=Rule(
            "out_of_range", ERROR, "调换数量不超过反映数量", "§4.6.3", "调换数量不得超过反映的不合格卷烟数量"),
        dates_in_order=Rule(
            "date_order", ERROR, "办理日期先后", "§4.6",
            "反映、现场查看、审核、调换、结果反馈的日期（已填写的）不得先后颠倒"),
    )

    @property
    def stage(self) -> Stage:
        """Return how far the slip has got, from what is filled in.

        It is done (已完结) only when the result was fed back after the review (§4.6.5); a
        receipt signature closes the exchange (§4.6.4), not the slip.
        """
        if self.result_fed_back_on and self.reviewer_signature:
            return "已完结"
        if self.receipt_signature:
            return "待反馈"
        if self.exchanged_quantity is not None or self.exchanged_on:
            return "待签收"
        if self.reviewer_signature:
            return "待调换" if self.feedback_type == "商品质量" else "待反馈"
        return "待审核" if self.customer_signature else "待客户确认"

    def check(self, policy: Policy) -> list[Violation]:
        """Return the slip's rule violations."""
        return [*super().check(policy), *self._check_required(), *self._check_exchange(), *self._check_dates()]

    def _check_required(self) -> list[Violation]:
        rules = self.rules
        needed: list[tuple[Rule, str, str]] = []
        if self.feedback_type == "商品质量":
            needed += [(rules.goods_inspected, name, "商品质量问题")
                       for name in ("inspected_on", "brand_spec", "quantity")]
        if self.quantity is not None:
            needed.append((rules.quantity_unit, "unit", "填写了数量"))
        if self.inspected_on:
            needed.append((rules.goods_inspected, "cause", "已现场查看"))
        if self.review_opinion:
            needed.append((rules.review_signed, "reviewer_signature", "填写了审核意见"))
        if self.reviewer_signature:
            needed.append((rules.review_signed, "reviewed_on", "审核人已签名"))
        if self.exchanged_quantity is not None:
            needed.append((rules.exchange_received, "exchanged_on", "填写了调换数量"))
        if self.exchanged_quantity is not None or self.exchanged_on:
            needed.append((rules.exchange_received, "receipt_signature", "已调换商品"))
        return [
            rule(f"{why}时“{self.label(name)}”为必填项", name)
            for rule, name, why in needed if getattr(self, name) in (None, "")
        ]

    def _check_exchange(self) -> list[Violation]:
        found: list[Violation] = []
        exchanged = self.exchanged_quantity is not None or self.exchanged_on is not None
        if exchanged and not self.reviewer_signature:
            found.append(self.rules.exchange_after_review(
                "未经区域市场经理审核签名不得调换商品",
                "exchanged_quantity" if self.exchanged_quantity is not None else "exchanged_on",
                "reviewer_signature",
            ))
        if self.result_fed_back_on and not self.reviewer_signature:
            found.append(self.rules.fed_back_after_review(
                "未经区域市场经理审核签名，不能向客户反馈处理结果（结果反馈日期应在审核之后填写）",
                "result_fed_back_on", "reviewer_signature",
            ))
        if (self.exchanged_quantity is not None and self.quantity is not None
                and self.exchanged_quantity > self.quantity):
            found.append(self.rules.exchange_within_quantity(
                f"调换数量 {self.exchanged_quantity} 超过反映的数量 {self.quantity}",
                "exchanged_quantity", "quantity",
            ))
        return found

    def _check_dates(self) -> list[Violation]:
        found: list[Violation] = []
        present = [(name, getattr(self, name)) for name in DATE_ORDER if getattr(self, name)]
        for (before, earlier), (after, later) in pairwise(present):
            if later < earlier:
                found.append(self.rules.dates_in_order(
                    f"“{self.label(after)}”（{later}）早于“{self.label(before)}”（{earlier}）",
                    after, before,
                ))
        return found
