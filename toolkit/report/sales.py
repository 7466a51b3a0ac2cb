"""The month's sales from the sales sheet: totals, month-on-month change, biggest rises and falls.

A customer who bought last month but not this month sold 0 this month (and the
other way round), provided the sheet has last month at all; without last month's
rows there is no month-on-month figure, rather than a change from zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from manualkit.schemas._base import Severity
from manualkit.toolkit.month.provenance import Finding, Source, finding
from manualkit.toolkit.report.sales_sheet import SalesRow, SalesSheet

_RATE_PLACES = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class CustomerSales:
    """One customer's sales this month and last, with the rows they came from."""

    code: str
    name: str
    volume: Decimal
    amount: Decimal | None
    previous_volume: Decimal | None
    rows: tuple[SalesRow, ...]

    @property
    def change(self) -> Decimal | None:
        """Return this month's volume minus last month's (None without last month)."""
        return None if self.previous_volume is None else self.volume - self.previous_volume

    @property
    def change_rate(self) -> Decimal | None:
        """Return the change as a share of last month's volume (None from zero or without last month)."""
        return rate(self.change, self.previous_volume)


@dataclass(frozen=True, slots=True)
class SalesFigures:
    """The sales of one month against the month before."""

    month: str
    previous_month: str
    customers: tuple[CustomerSales, ...]  # by volume, largest first
    has_previous: bool
    previous_amount: Decimal | None

    @property
    def total_volume(self) -> Decimal:
        """Return the month's volume in 条."""
        return sum((c.volume for c in self.customers), Decimal(0))

    @property
    def total_amount(self) -> Decimal | None:
        """Return the month's amount in 元 (None when any customer's amount is unknown)."""
        return _sum_known(c.amount for c in self.customers)

    @property
    def previous_volume(self) -> Decimal | None:
        """Return last month's volume (None when the sheet has no row for last month)."""
        return _sum_known(c.previous_volume for c in self.customers) if self.has_previous else None

    @property
    def volume_change(self) -> Decimal | None:
        """Return the change of volume from last month."""
        previous = self.previous_volume
        return None if previous is None else self.total_volume - previous

    @property
    def volume_change_rate(self) -> Decimal | None:
        """Return the change of volume as a share of last month's."""
        return rate(self.volume_change, self.previous_volume)

    def rises(self, count: int = 3) -> tuple[CustomerSales, ...]:
        """Return the ``count`` customers whose volume rose most (largest first)."""
        grown = [c for c in self.customers if c.change is not None and c.change > 0]
        return tuple(sorted(grown, key=lambda c: (-(c.change or 0), c.code))[:count])

    def falls(self, count: int = 3) -> tuple[CustomerSales, ...]:
        """Return the ``count`` customers whose volume fell most (largest fall first)."""
        shrunk = [c for c in self.customers if c.change is not None and c.change < 0]
        return tuple(sorted(shrunk, key=lambda c: (c.change or 0, c.code))[:count])


def rate(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """Return ``part / whole`` to four places, or None when either is unknown or ``whole`` is zero."""
    if part is None or not whole:
        return None
    return (part / whole).quantize(_RATE_PLACES, ROUND_HALF_UP)


def previous_month(month: str) -> str:
    """Return the ``YYYY-MM`` before ``month``."""
    year, number = (int(part) for part in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year:04d}-{number - 1:02d}"


def sales_figures(sheet: SalesSheet, month: str) -> tuple[SalesFigures | None, list[Finding]]:
    """Return the sales figures of ``month`` from ``sheet`` (None without any row for it) and the findings."""
    before = previous_month(month)
    found: list[Finding] = []
    current = _by_customer([r for r in sheet.rows if r.month == month], found)
    previous = _by_customer([r for r in sheet.rows if r.month == before], found)
    if not current:
        found.append(finding(
            "no_sales", f"销售表中没有 {month} 的销售数据（应在“月份”列写 {month} 或该月中的日期）",
            Source(sheet.path), label="月份",
        ))
        return None, found
    codes = sorted(current.keys() | previous.keys())
    customers = [_customer(code, current.get(code, []), previous.get(code, []), bool(previous)) for code in codes]
    customers.sort(key=lambda c: (-c.volume, c.code))
    return SalesFigures(
        month=month,
        previous_month=before,
        customers=tuple(customers),
        has_previous=bool(previous),
        previous_amount=_sum_known(r.amount for rows in previous.values() for r in rows) if previous else None,
    ), found


def _by_customer(rows: list[SalesRow], found: list[Finding]) -> dict[str, list[SalesRow]]:
    """Group rows by customer; a customer with several rows in one month is added up, with a warning."""
    grouped: dict[str, list[SalesRow]] = defaultdict(list)
    for row in rows:
        grouped[row.customer_code].append(row)
    for code, group in grouped.items():
        if len(group) > 1:
            lines = "、".join(str(r.ref.row) for r in group)
            found.append(finding(
                "duplicate",
                f"客户 {code} 在 {group[0].month} 有 {len(group)} 行销售数据（第 {lines} 行），"
                "已合计；请确认没有重复导出",
                group[1].ref,
                field_name="customer_code", label="客户编码", value=code, severity=Severity.WARNING,
            ))
    return grouped


def _customer(code: str, current: list[SalesRow], previous: list[SalesRow], has_previous: bool) -> CustomerSales:
    name = next((r.customer_name for r in [*current, *previous] if r.customer_name), "")
    return CustomerSales(
        code=code,
        name=name,
        volume=sum((r.volume for r in current), Decimal(0)),
        amount=_sum_known(r.amount for r in current),
        previous_volume=sum((r.volume for r in previous), Decimal(0)) if has_previous else None,
        rows=(*current, *previous),
    )


def _sum_known(values: Iterable[Decimal | None]) -> Decimal | None:
    """Return the sum, or None when any value is unknown."""
    total = Decimal(0)
    for value in values:
        if value is None:
            return None
        total += value
    return total
