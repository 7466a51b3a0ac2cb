"""工作联系单: a finding another department must act on, passed on and answered (002 2232, 2233, 2236)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from manualkit.schemas._base import ERROR, WARNING, Duty, FormSchema, Review, Rule, RuleSet, Violation, Workflow
from manualkit.schemas._month import MonthRole
from manualkit.schemas._policy import Policy
from manualkit.schemas._types import Choice, Date, LongText, OptCode, OptDate, OptLongText, OptSignature, OptText, Text

Department = Literal["市场经理", "电话订货部", "专卖稽查队", "卷烟营销中心", "其他"]
Matter = Literal["违规经营", "电话变更", "停歇业", "恢复营业", "客户投诉", "信息反馈", "其他"]
# Matters about one customer: the sheet must say which (002 2232, 2233).
ABOUT_A_CUSTOMER: tuple[Matter, ...] = ("违规经营", "客户投诉")


class LiaisonSheet(FormSchema):
    """One matter passed to another department, and its answer."""

    form_id: ClassVar[str] = "liaison-sheet"
    form_title: ClassVar[str] = "工作联系单"
    clause: ClassVar[str] = "002 2232"
    purpose: ClassVar[str] = (
        "走访中发现须由其他部门处理的事项（违规经营、电话变更、停歇业、客户投诉等），填写本单传递给相关部门，处理结果在本单上反馈。")
    file_name_fields: ClassVar[tuple[str, ...] | None] = ("sender", "customer_name", "sent_on")
    # Part of the sender's month (the monthly report takes it in); no rule across forms reads it yet.
    month_role: ClassVar[MonthRole | None] = MonthRole(
        "liaison_sheet", dated_by="sent_on", manager_field="sender", reads=("sender", "sent_on", "matter"))

    sheet_no: OptCode = Field(None, title="联系单编号")
    sender: Text = Field(title="填写人")
    sent_on: Date = Field(title="填写日期")
    to_department: Choice[Department] = Field(title="接收部门")
    customer_code: OptCode = Field(None, title="客户编码", pattern=r"^[0-9A-Za-z]+$")
    customer_name: OptText = Field(None, title="客户名称", description="违规经营、客户投诉须写明客户")
    matter: Choice[Matter] = Field(title="事项类别")
    details: LongText = Field(title="情况说明")
    due_on: OptDate = Field(None, title="要求完成日期")
    receiver_signature: OptSignature = Field(None, title="接收人签收")
    answer: OptLongText = Field(None, title="处理结果")
    answered_on: OptDate = Field(None, title="反馈日期", description="填写处理结果时必填")

    rules: ClassVar[RuleSet] = RuleSet(
        customer_named=Rule(
            "missing_required", ERROR, "写明所涉客户", "002 2232",
            "违规经营、客户投诉须写明所涉的客户（客户编码或客户名称）"),
        phone_change_due=Rule(
            "policy", WARNING, "电话变更办结期限", "002 2236",
            "电话变更的要求完成日期不晚于填写日期后 {phone_change_days} 日", policy=("phone_change_days",)),
        suspension_due=Rule(
            "policy", WARNING, "停歇业办结期限", "002 2236",
            "停歇业的要求完成日期不晚于填写日期后 {suspension_days} 天", policy=("suspension_days",)),
        due_after_sending=Rule(
            "date_order", ERROR, "要求完成日期在填写之后", "002 2232", "要求完成日期不得早于填写日期"),
        answer_dated=Rule(
            "missing_required", ERROR, "处理结果注明反馈日期", "002 2232", "填写了处理结果须注明反馈日期"),
        answered_after_sending=Rule(
            "date_order", ERROR, "填写后反馈", "002 2232", "反馈日期不得早于填写日期"),
        answered_late=Rule(
            "overdue", WARNING, "按期反馈", "002 2232", "反馈日期不应晚于要求完成日期"),
    )
    duties: ClassVar[tuple[Duty, ...]] = (
        Duty("走访中发现违规经营等须其他部门处理的事项：填写工作联系单", "走访结束时；情况紧急的直接报告专卖稽查队",
             "002 2232"),
        Duty("客户电话变更：到专卖部门办完变更手续", "{phone_change_days} 日内", "002 2236"),
        Duty("客户停歇业：办完手续", "{suspension_days} 天内", "002 2236"),
        Duty("落实接到的工作联系单并反馈", "要求完成日期前", "002 2232"),
    )
    review: ClassVar[Review | None] = Review(
        "接收客户经理转来的事项，落实后在联系单上反馈", "收到联系单后",
        ("answer", "answered_on"))
    workflow: ClassVar[Workflow | None] = Workflow()  # forms/liaison_sheet/workflow.md, in 第三章

    def check(self, policy: Policy) -> list[Violation]:
        """Return the sheet's findings: its customer, its deadline, its answer."""
        found = super().check(policy)
        if self.matter in ABOUT_A_CUSTOMER and not (self.customer_code or self.customer_name):
            found.append(self.rules.customer_named(
                f"事项类别为“{self.matter}”，须写明客户编码或客户名称", "customer_name", "customer_code"))
        if self.answer and not self.answered_on:
            found.append(self.rules.answer_dated("填写了处理结果，“反馈日期”为必填项", "answered_on"))
        if self.sent_on is None:
            return found  # a broken date: its own finding says so, and the dates cannot be compared
        found += self._check_due(policy)
        if self.answered_on and self.answered_on < self.sent_on:
            found.append(self.rules.answered_after_sending(
                f"反馈日期（{self.answered_on}）早于填写日期（{self.sent_on}）", "answered_on", "sent_on"))
        elif self.answered_on and self.due_on and self.due_on >= self.sent_on and self.answered_on > self.due_on:
            found.append(self.rules.answered_late(
                f"反馈日期（{self.answered_on}）晚于要求完成日期（{self.due_on}）", "answered_on", "due_on"))
        return found

    def _check_due(self, policy: Policy) -> list[Violation]:
        if self.due_on is None:
            return []
        if self.due_on < self.sent_on:
            return [self.rules.due_after_sending(
                f"要求完成日期（{self.due_on}）早于填写日期（{self.sent_on}）", "due_on", "sent_on")]
        days = (self.due_on - self.sent_on).days
        if self.matter == "电话变更" and days > policy.phone_change_days:
            return [self.rules.phone_change_due(
                f"电话变更应在 {policy.phone_change_days} 日内办完，要求完成日期在填写后 {days} 天", "due_on")]
        if self.matter == "停歇业" and days > policy.suspension_days:
            return [self.rules.suspension_due(
                f"停歇业应在 {policy.suspension_days} 天内办完，要求完成日期在填写后 {days} 天", "due_on")]
        return []
