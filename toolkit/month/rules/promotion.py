"""Promotion goods go to nominated customers: a receipt held to the month's approved nomination lists (§4.2.1, 4.2.2).

Only customers the area market manager approved on a nomination list of the campaign may
receive its promotion goods. A list counts when it is approved (signed and dated); the
lists compared are those handed in with the month.
"""

from __future__ import annotations

from collections import defaultdict
from typing import cast

from manualkit.schemas.promo_nominations import PromoNominations
from manualkit.schemas.promo_receipt import PromoReceipt, Receipt
from manualkit.toolkit.month.provenance import Finding, finding
from manualkit.toolkit.month.rules import Month, cross_form_rule


@cross_form_rule(needs=("promo_receipt",))
def not_nominated(month: Month) -> list[Finding]:
    """A receipt row whose customer is on no approved nomination list of the same campaign."""
    approved: dict[str, set[str]] = defaultdict(set)
    for submission in month.inputs.of("promo_nominations"):
        nominations = cast(PromoNominations, submission.record)
        if nominations.approved():
            approved[nominations.campaign].update(row.customer_code for row in nominations.table())
    found = []
    for submission in month.inputs.of("promo_receipt"):
        campaign = cast(PromoReceipt, submission.record).campaign
        why = "不在该活动审核过的推荐名单中" if campaign in approved else "本月没有该活动审核过的推荐名单"
        for index, row in enumerate(submission.record.table()):
            if row.customer_code not in approved.get(campaign, ()):
                found.append(finding(
                    "not_nominated",
                    f"客户 {row.customer_code}（{row.customer_name}）领取了“{campaign}”的促销品，{why}",
                    submission.source.ref(index), field_name="customer_code", label=Receipt.label("customer_code"),
                    value=row.customer_code,
                ))
    return found
