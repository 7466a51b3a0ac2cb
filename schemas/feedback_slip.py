"""商品及服务质量信息反馈单: a quality complaint from inspection to exchange (§4.6.1–4.6.5)."""

from __future__ import annotations

from itertools import pairwise
from typing import ClassVar, Literal

from pydantic import Field

from schemas._base import FormSchema, Violation, error
from schemas._policy import Policy
from schemas._types import (
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
Stage = Literal["待客户确认", "待审核", "待调换", "待签收", "已完结"]
# The dates of the slip, in the order the steps happen (§4.6.1–4.6.5).
DATE_ORDER = ("reported_on", "inspected_on", "reviewed_on", "exchanged_on", "result_fed_back_on")
STAGES: tuple[Stage, ...] = ("待客户确认", "待审核", "待调换", "待签收", "已完结")


class FeedbackSlip(FormSchema):
    """One quality feedback slip and how far it has got."""

    form_id: ClassVar[str] = "feedback-slip"
    form_title: ClassVar[str] = "商品及服务质量信息反馈单"
    clause: ClassVar[str] = "§4.6"
    derived: ClassVar[dict[str, str]] = {"stage": "办理阶段"}
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

    @property
    def stage(self) -> Stage:
        """Return how far the slip has got, from what is filled in."""
        if self.result_fed_back_on or self.receipt_signature:
            return "已完结"
        if self.exchanged_quantity is not None or self.exchanged_on:
            return "待签收"
        if self.reviewer_signature:
            return "已完结" if self.feedback_type == "服务质量" and self.result else "待调换"
        return "待审核" if self.customer_signature else "待客户确认"

    def check(self, policy: Policy) -> list[Violation]:
        """Return the slip's rule violations."""
        return [*super().check(policy), *self._check_required(), *self._check_exchange(), *self._check_dates()]

    def _check_required(self) -> list[Violation]:
        needed: list[tuple[str, str]] = []
        if self.feedback_type == "商品质量":
            needed += [(name, "商品质量问题") for name in ("inspected_on", "brand_spec", "quantity")]
        if self.quantity is not None:
            needed.append(("unit", "填写了数量"))
        if self.inspected_on:
            needed.append(("cause", "已现场查看"))
        if self.review_opinion:
            needed.append(("reviewer_signature", "填写了审核意见"))
        if self.reviewer_signature:
            needed.append(("reviewed_on", "审核人已签名"))
        if self.exchanged_quantity is not None:
            needed.append(("exchanged_on", "填写了调换数量"))
        if self.exchanged_quantity is not None or self.exchanged_on:
            needed.append(("receipt_signature", "已调换商品"))
        return [
            error("missing_required", f"{why}时“{self.label(name)}”为必填项", name)
            for name, why in needed if getattr(self, name) in (None, "")
        ]

    def _check_exchange(self) -> list[Violation]:
        found: list[Violation] = []
        exchanged = self.exchanged_quantity is not None or self.exchanged_on is not None
        if exchanged and not self.reviewer_signature:
            found.append(error(
                "stage_order", "未经区域市场经理审核签名不得调换商品",
                "exchanged_quantity" if self.exchanged_quantity is not None else "exchanged_on",
                "reviewer_signature",
            ))
        if (self.exchanged_quantity is not None and self.quantity is not None
                and self.exchanged_quantity > self.quantity):
            found.append(error(
                "out_of_range",
                f"调换数量 {self.exchanged_quantity} 超过反映的数量 {self.quantity}",
                "exchanged_quantity", "quantity",
            ))
        return found

    def _check_dates(self) -> list[Violation]:
        found: list[Violation] = []
        present = [(name, getattr(self, name)) for name in DATE_ORDER if getattr(self, name)]
        for (before, earlier), (after, later) in pairwise(present):
            if later < earlier:
                found.append(error(
                    "date_order",
                    f"“{self.label(after)}”（{later}）早于“{self.label(before)}”（{earlier}）",
                    after, before,
                ))
        return found
