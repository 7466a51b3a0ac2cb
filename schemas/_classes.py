"""The customer's class (档位) on the promotion forms: a class of the policy, and one that may be promoted.

The classes are a policy value (``customer_classes``), so pydantic cannot check them: each
promotion form's row model declares these two rules (``CLASS_RULES``) and calls
``class_findings`` from its ``check_row``.
"""

from __future__ import annotations

from manualkit.schemas._policy import Policy
from manualkit.schemas._rules import ERROR, Rule, RuleSet, Violation

CLASS_RULES = {
    "class_known": Rule(
        "invalid_choice", ERROR, "客户档位", "§3.1", "客户档位应为{customer_classes}之一",
        policy=("customer_classes",)),
    "class_eligible": Rule(
        "not_eligible", ERROR, "限三级以上客户", "§4.2.1",
        "促销只限{promotion_eligible_classes}客户（“限三级以上”，本单位按一级为最高档理解），其他档位的客户不得推荐或发放",
        policy=("promotion_eligible_classes",)),
}


def class_findings(rules: RuleSet, customer_class: str | None, policy: Policy) -> list[Violation]:
    """Return the findings on one row's ``customer_class``: not a class, or a class not to be promoted."""
    if customer_class is None:
        return []
    if customer_class not in policy.customer_classes:
        return [rules.class_known(
            f"客户档位“{customer_class}”不是本单位的档位（{policy.text('customer_classes')}）",
            "customer_class", value=customer_class)]
    if customer_class not in policy.promotion_eligible_classes:
        return [rules.class_eligible(
            f"{customer_class}客户不能参加促销，只限{policy.text('promotion_eligible_classes')}客户",
            "customer_class", value=customer_class)]
    return []
