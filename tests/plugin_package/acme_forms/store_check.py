"""门店陈列检查表: an organisation's own form, shipped as a plug-in（§9.1）."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from manualkit.schemas._base import ERROR, Duty, FormSchema, Rule, RuleSet, Violation, Workflow
from manualkit.schemas._policy import Policy
from manualkit.schemas._types import Date, LongText, OptDate, OptText, Text


class StoreCheck(FormSchema):
    """One check of a shop's display and the date its problems are to be put right."""

    form_id: ClassVar[str] = "store-check"
    form_title: ClassVar[str] = "门店陈列检查表"
    clause: ClassVar[str] = "§9.1"
    purpose: ClassVar[str] = "客户经理检查门店的卷烟陈列，发现的问题限期整改。"
    file_name_fields: ClassVar[tuple[str, ...] | None] = ("manager", "customer_name", "filled_on")

    manager: Text = Field(title="客户经理")
    filled_on: Date = Field(title="填写日期")
    customer_name: OptText = Field(None, title="客户名称")
    details: LongText = Field(title="情况说明")
    due_on: OptDate = Field(None, title="要求完成日期")

    rules: ClassVar[RuleSet] = RuleSet(
        due_after_filling=Rule(
            "date_order", ERROR, "要求完成日期在填写之后", "§9.1", "要求完成日期不得早于填写日期"),
    )
    duties: ClassVar[tuple[Duty, ...]] = (
        Duty("填写门店陈列检查表", "每月一次", "§9.1"),
    )
    workflow: ClassVar[Workflow | None] = Workflow()  # acme_forms/forms/store_check/workflow.md, in 第三章

    def check(self, policy: Policy) -> list[Violation]:
        """Return the form's findings: here, the example rule."""
        found = super().check(policy)
        if self.filled_on and self.due_on and self.due_on < self.filled_on:
            found.append(self.rules.due_after_filling(
                f"要求完成日期（{self.due_on}）早于填写日期（{self.filled_on}）", "due_on", "filled_on"))
        return found
