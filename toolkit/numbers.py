"""Numbers as the forms and the monthly report print them: one way everywhere.

Counts and volumes with thousands separators and no trailing zeros (``6,267``),
amounts of money in 元 with two decimals (``1,494,390.00``), in Word text and
Excel cells alike. A value is an amount when its label names the unit 元
(``本月销售额（元）``), as the schemas and the sales sheet label them.
"""

from __future__ import annotations

from decimal import Decimal

MONEY_FORMAT = "#,##0.00"  # Excel's number format of an amount, as ``money`` writes it


def is_money(label: str) -> bool:
    """Return whether a value labelled ``label`` is an amount of money (its unit is 元)."""
    return "元" in label


def number(value: Decimal | int) -> str:
    """Return a count or volume without trailing zeros: ``500``, ``6,267``, ``12.5``."""
    value = Decimal(value)
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value.normalize():,f}"


def money(value: Decimal | int) -> str:
    """Return an amount in 元 with two decimals: ``126,600.00``."""
    return f"{Decimal(value):,.2f}"


def shown_number(value: Decimal | int, label: str) -> str:
    """Return ``value`` as its label says: an amount (``money``) or a count (``number``)."""
    return money(value) if is_money(label) else number(value)
