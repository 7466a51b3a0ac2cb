"""促销客户推荐名单: the customers a manager nominates for a promotion, for the area manager to approve (§4.2.1)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from manualkit.schemas._base import ERROR, Duty, FormSchema, Review, RowModel, Rule, RuleSet, Violation, Workflow
from manualkit.schemas._classes import CLASS_RULES, class_findings
from manualkit.schemas._month import MonthRole
from manualkit.schemas._policy import Policy
from manualkit.schemas._types import Code, CustomerClass, Date, OptDate, OptSignature, Text

# The blank form's rows: a page of nominated customers (how the paper is printed, not a rule).
BLANK_ROWS = 15


class Nomination(RowModel):
    """One nominated customer."""

    customer_code: Code = Field(title="客户编码", pattern=r"^[0-9A-Za-z]+$")
    customer_name: Text = Field(title="客户名称")
    customer_class: CustomerClass = Field(title="客户档位", description="本单位的客户档位之一")
    reason: Text = Field(title="推荐理由", description="综合测评的结果，如销量、陈列、诚信经营")

    rules: ClassVar[RuleSet] = RuleSet(**CLASS_RULES)

    def check_row(self, policy: Policy) -> list[Violation]:
        """Return the row's own findings: the customer's class must be one that may be promoted."""
        return class_findings(self.rules, self.customer_class, policy)


class PromoNominations(FormSchema):
    """A manager's list of customers nominated for one promotion."""

    form_id: ClassVar[str] = "promo-nominations"
    form_title: ClassVar[str] = "促销客户推荐名单"
    clause: ClassVar[str] = "§4.2.1"
    purpose: ClassVar[str] = "促销活动前，客户经理根据综合测评推荐参加促销的客户（限三级以上），交区域市场经理审核。"
    rows_field: ClassVar[str | None] = "rows"
    period_field: ClassVar[str | None] = "campaign"
    file_name_fields: ClassVar[tuple[str, ...] | None] = ("manager", "campaign", "nominated_on")
    # The receipts of the month are held to its approved lists (``manualkit.toolkit.month.rules.promotion``).
    month_role: ClassVar[MonthRole | None] = MonthRole(
        "promo_nominations", dated_by="nominated_on",
        reads=("manager", "campaign", "nominated_on", "approver_signature", "approved_on"),
        row_reads=("customer_code",))

    manager: Text = Field(title="客户经理")
    area: Text = Field(title="所辖区域")
    campaign: Text = Field(title="促销活动名称")
    nominated_on: Date = Field(title="推荐日期")
    rows: list[Nomination] = Field(title="推荐客户", min_length=1)
    approver_signature: OptSignature = Field(None, title="区域市场经理审核", description="审核同意后签名")
    approved_on: OptDate = Field(None, title="审核日期", description="审核签名时必填")

    rules: ClassVar[RuleSet] = RuleSet(
        approval_dated=Rule(
            "missing_required", ERROR, "审核签名并注明日期", "§4.2.1",
            "区域市场经理审核签名须注明审核日期；填写了审核日期须有审核签名"),
        approved_after_nomination=Rule(
            "date_order", ERROR, "推荐后审核", "§4.2.1", "审核日期不得早于推荐日期"),
        duplicate=Rule("duplicate", ERROR, "同一客户只推荐一次", "§4.2.1", "同一客户在一份推荐名单中只能出现一次"),
    )
    duties: ClassVar[tuple[Duty, ...]] = (
        Duty("推荐促销客户", "促销活动开始前；只推荐{promotion_eligible_classes}客户"
             "（“限三级以上”，本单位按一级为最高档理解）", "§4.2.1"),
    )
    review: ClassVar[Review | None] = Review(
        "审核推荐名单；促销客户由品牌经理确定", "促销活动前",
        ("approver_signature", "approved_on"))
    workflow: ClassVar[Workflow | None] = Workflow()  # forms/promo_nominations/workflow.md, in 第三章

    @classmethod
    def blank_rows(cls, policy: Policy) -> int:
        """Return how many rows the blank form prints: a page of nominated customers."""
        return BLANK_ROWS

    def check(self, policy: Policy) -> list[Violation]:
        """Return the list's findings: a dated approval, after the nomination, and each customer once."""
        found = super().check(policy)
        if self.approver_signature and not self.approved_on:
            found.append(self.rules.approval_dated("区域市场经理已签名，“审核日期”为必填项", "approved_on"))
        if self.approved_on and not self.approver_signature:
            found.append(self.rules.approval_dated(
                "填写了审核日期，“区域市场经理审核”未签名", "approver_signature"))
        if self.approved_on and self.nominated_on and self.approved_on < self.nominated_on:
            found.append(self.rules.approved_after_nomination(
                f"审核日期（{self.approved_on}）早于推荐日期（{self.nominated_on}）", "approved_on", "nominated_on"))
        seen: dict[str, int] = {}
        for index, row in self.rows_with("customer_code"):
            if (first := seen.setdefault(row.customer_code, index)) != index:
                found.append(self.rules.duplicate(
                    f"客户 {row.customer_code} 已在第 {first + 1} 条推荐中", "customer_code", row=index))
        return found

    def approved(self) -> bool:
        """Return whether the area market manager signed the list (a list without it is a draft)."""
        return bool(self.approver_signature and self.approved_on)
