"""宣传促销品签收单: promotion materials, sample and gift cigarettes handed out, each signed for (§4.2.2, 002 2225)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from manualkit.schemas._base import Duty, FormSchema, RowModel, RuleSet, Violation, Workflow
from manualkit.schemas._classes import CLASS_RULES, class_findings
from manualkit.schemas._month import MonthRole
from manualkit.schemas._policy import Policy
from manualkit.schemas._types import Choice, Code, Count, CustomerClass, Date, Signature, Text

ItemKind = Literal["宣传品", "样品烟", "赠品烟"]
Unit = Literal["条", "包", "个", "份"]

# The blank form's rows: a page of receipts on landscape A4 (how the paper is printed, not a rule).
BLANK_ROWS = 12


class Receipt(RowModel):
    """One handing-out, signed for by the customer."""

    customer_code: Code = Field(title="客户编码", pattern=r"^[0-9A-Za-z]+$")
    customer_name: Text = Field(title="客户名称")
    customer_class: CustomerClass = Field(title="客户档位", description="本单位的客户档位之一")
    item_kind: Choice[ItemKind] = Field(title="物品类别")
    item: Text = Field(title="物品名称及规格")
    quantity: Count = Field(title="数量", gt=0)
    unit: Choice[Unit] = Field(title="单位")
    customer_signature: Signature = Field(title="客户签名")

    rules: ClassVar[RuleSet] = RuleSet(**CLASS_RULES)

    def check_row(self, policy: Policy) -> list[Violation]:
        """Return the row's own findings: only customers of the promoted classes receive promotion goods."""
        return class_findings(self.rules, self.customer_class, policy)


class PromoReceipt(FormSchema):
    """The receipts of one promotion's goods handed out on one day."""

    form_id: ClassVar[str] = "promo-receipt"
    form_title: ClassVar[str] = "宣传促销品签收单"
    clause: ClassVar[str] = "§4.2.2"
    purpose: ClassVar[str] = "向促销客户发放宣传品、样品烟、赠品烟时逐笔登记，由客户签字签收，做到手续规范。"
    rows_field: ClassVar[str | None] = "rows"
    landscape: ClassVar[bool] = True
    file_name_fields: ClassVar[tuple[str, ...] | None] = ("manager", "campaign", "handed_on")
    month_role: ClassVar[MonthRole | None] = MonthRole(
        "promo_receipt", dated_by="handed_on", reads=("manager", "campaign", "handed_on"),
        row_reads=("customer_code", "customer_name"))

    manager: Text = Field(title="客户经理")
    campaign: Text = Field(title="促销活动名称", description="与推荐名单的促销活动名称一致")
    handed_on: Date = Field(title="发放日期")
    rows: list[Receipt] = Field(title="发放明细", min_length=1)

    duties: ClassVar[tuple[Duty, ...]] = (
        Duty("发放促销品和促销资料，请客户签收",
             "促销客户确定后；宣传品、样品烟、赠品烟每一笔都由客户签字", "002 2225"),
    )
    workflow: ClassVar[Workflow | None] = Workflow()  # forms/promo_receipt/workflow.md, in 第三章

    @classmethod
    def blank_rows(cls, policy: Policy) -> int:
        """Return how many rows the blank form prints: a page of receipts on landscape A4."""
        return BLANK_ROWS
