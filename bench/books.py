"""Sign-in books (营销人员市场走访签到记录簿) of realistic visits, and defects seeded into them.

A book is one manager's month: ``header`` (manager, area, month) and ``rows`` of visits whose
values are Python values as a spreadsheet holds them (dates, times, a work-item list), thirty
visits a working day as the manual asks, from the first working day on. Clean
books break no rule: every visit lies in the month, leaves after it arrives, overlaps no other
visit and meets each customer once a day. A book of a few hundred rows keeps office hours and
whole minutes; one too full for that (the 100,000-row stress files) spreads its visits over the
whole day at second resolution, which real Excel times carry and the validator reads.

``seed_defects`` then breaks chosen rows in known ways and returns the findings the validator
must report for them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, get_args

from bench import chinese
from manualkit.schemas._workdays import is_workday, month_end
from manualkit.schemas.sign_in_book import WorkItem

WORK_ITEMS: tuple[str, ...] = get_args(WorkItem)
OFFICE_HOURS = (8 * 3600 + 30 * 60, 18 * 3600)  # 08:30 to 18:00
MAX_OFFICE_VISITS = 40  # a day with more visits than this cannot keep office hours
VISITS_PER_DAY = 30  # the manual's daily minimum: a manager's day fills one page of the book


@dataclass(frozen=True, slots=True)
class Finding:
    """A finding the validator must report: its code, the field, the 0-based data row."""

    code: str
    field: str
    index: int
    severity: str = "error"


def book(rng: random.Random, month: str, n_rows: int, pool: int | None = None) -> dict[str, Any]:
    """Return a clean sign-in book of ``n_rows`` visits in ``month`` (``YYYY-MM``)."""
    district, area = chinese.area(rng)
    manager = chinese.person(rng)
    days = _visit_days(month, n_rows)
    per_day = max(VISITS_PER_DAY, -(-n_rows // len(days)))
    days = days[: -(-n_rows // per_day)]
    shops = chinese.customers(rng, district, max(pool or 0, per_day, 1))
    rows: list[dict[str, Any]] = []
    for day in days:
        count = min(per_day, n_rows - len(rows))
        start = rng.randrange(len(shops))
        for slot, (arrived, left) in enumerate(visit_times(rng, count)):
            shop = shops[(start + slot) % len(shops)]  # distinct shops within a day
            rows.append(_visit(rng, day, arrived, left, shop, manager))
    return {"manager": manager, "area": area, "month": month, "rows": rows}


def _visit_days(month: str, n_rows: int) -> list[dt.date]:
    """Return the working days of the month, or every day when that is too few for ``n_rows``."""
    first, last = dt.date.fromisoformat(f"{month}-01"), month_end(month)
    every = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    working = [day for day in every if is_workday(day)[0]]
    return working if n_rows <= len(working) * MAX_OFFICE_VISITS else every


def visit_times(rng: random.Random, count: int) -> list[tuple[dt.time, dt.time]]:
    """Return ``count`` non-overlapping (arrived, left) pairs of one day, in order.

    A day that keeps office hours gets visits of 10 to 40 minutes at whole minutes, each
    starting somewhere in its share of the day; a fuller day packs them at whole seconds.
    """
    if count > MAX_OFFICE_VISITS:
        slot = 86_399 // count
        stay = max(slot * 2 // 3, 1)
        return [(_clock(n * slot), _clock(n * slot + stay)) for n in range(count)]
    begin, end = OFFICE_HOURS
    slot = (end - begin) // max(count, 1) // 60
    pairs = []
    for n in range(count):
        stay = min(rng.randint(10, 40), max(slot * 2 // 3, 1))
        start = begin + (n * slot + rng.randint(0, slot - stay)) * 60
        pairs.append((_clock(start), _clock(start + stay * 60)))
    return pairs


def _clock(seconds: int) -> dt.time:
    return dt.time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


def _visit(rng: random.Random, day: dt.date, arrived: dt.time, left: dt.time,
           shop: chinese.Customer, manager: str) -> dict[str, Any]:
    return {
        "date": day, "arrived_at": arrived, "left_at": left,
        "customer_code": shop.code, "customer_name": shop.name,
        "work_items": rng.sample(WORK_ITEMS, rng.choice((1, 1, 2, 2, 2, 3))),
        "notes": chinese.note(rng, shop),
        "manager_signature": manager, "customer_signature": shop.owner,
    }


def as_json(record: dict[str, Any]) -> dict[str, Any]:
    """Return the book as ``manualkit fill`` reads it: ISO dates, ``HH:MM`` times."""
    def value(item: Any) -> Any:
        if isinstance(item, dt.time):
            return item.strftime("%H:%M:%S" if item.second else "%H:%M")
        return item.isoformat() if isinstance(item, dt.date) else item

    rows = [{name: value(item) for name, item in row.items()} for row in record["rows"]]
    return {**record, "rows": rows}


def as_cells(row: dict[str, Any]) -> dict[str, Any]:
    """Return a row as a person types it into the sheet: choices joined by ``、``."""
    items = row["work_items"]
    return {**row, "work_items": "、".join(items) if isinstance(items, list) else items}


# --- seeded defects -------------------------------------------------------------------------

Breaker = Callable[[list[dict[str, Any]], int, str], None]


def _unsigned(field: str) -> Breaker:
    def apply(rows: list[dict[str, Any]], i: int, month: str) -> None:
        rows[i][field] = None
    return apply


def _impossible_date(rows: list[dict[str, Any]], i: int, month: str) -> None:
    last = month_end(month)
    rows[i]["date"] = f"{last.year}-{last.month:02d}-{last.day + 1}"  # e.g. 2026-11-31, typed as text


def _next_month(rows: list[dict[str, Any]], i: int, month: str) -> None:
    rows[i]["date"] = month_end(month) + dt.timedelta(days=1)


def _left_before_arrival(rows: list[dict[str, Any]], i: int, month: str) -> None:
    rows[i]["arrived_at"], rows[i]["left_at"] = rows[i]["left_at"], rows[i]["arrived_at"]


def _overlapping(rows: list[dict[str, Any]], i: int, month: str) -> None:
    earlier = rows[i - 1]["arrived_at"]  # arrive while the previous visit is still going on
    moved = dt.datetime.combine(dt.date.min, earlier) + dt.timedelta(seconds=1 if earlier.second else 60)
    rows[i]["arrived_at"] = moved.time()


def _same_shop_again(rows: list[dict[str, Any]], i: int, month: str) -> None:
    rows[i]["customer_code"] = rows[i - 1]["customer_code"]
    rows[i]["customer_name"] = rows[i - 1]["customer_name"]


def _unknown_work_item(rows: list[dict[str, Any]], i: int, month: str) -> None:
    rows[i]["work_items"] = [*rows[i]["work_items"][:1], "打扫卫生"]


def _code_with_dash(rows: list[dict[str, Any]], i: int, month: str) -> None:
    code = rows[i]["customer_code"]
    rows[i]["customer_code"] = f"{code[:6]}-{code[6:]}"


def _impossible_time(rows: list[dict[str, Any]], i: int, month: str) -> None:
    rows[i]["arrived_at"] = "8:75"


# (code, field, severity, how to break a row); each needs a previous row on the same day.
DEFECTS: tuple[tuple[str, str, str, Breaker], ...] = (
    ("missing_required", "customer_signature", "error", _unsigned("customer_signature")),
    ("invalid_date", "date", "error", _impossible_date),
    ("time_order", "left_at", "error", _left_before_arrival),
    ("time_overlap", "arrived_at", "error", _overlapping),
    ("invalid_choice", "work_items", "error", _unknown_work_item),
    ("duplicate", "customer_code", "warning", _same_shop_again),
    ("pattern_mismatch", "customer_code", "error", _code_with_dash),
    ("out_of_range", "date", "error", _next_month),
    ("invalid_time", "arrived_at", "error", _impossible_time),
    ("missing_required", "manager_signature", "error", _unsigned("manager_signature")),
)


def seed_defects(rng: random.Random, record: dict[str, Any], count: int, first: int = 0) -> list[Finding]:
    """Break ``count`` rows of ``record`` spread over the book; return the findings to expect.

    The defects are taken from ``DEFECTS`` in turn starting at ``first``; each lands on a row
    that has an untouched visit of the same day just before it, far from the other defects.
    """
    rows = record["rows"]
    findings = []
    for n in range(count):
        code, field, severity, apply = DEFECTS[(first + n) % len(DEFECTS)]
        low, high = n * len(rows) // count, (n + 1) * len(rows) // count
        index = _seedable(rng, rows, low + 2, high - 2)
        apply(rows, index, record["month"])
        findings.append(Finding(code, field, index, severity))
    return findings


def overlap_every_visit(record: dict[str, Any]) -> int:
    """Make each visit of a day last past the next one's arrival; return how many visits now overlap one.

    Every visit but each day's first then overlaps the visit before it (``time_overlap``, an
    error per row): a book where most rows have a finding.
    """
    rows, overlapping = record["rows"], 0
    for previous, row in itertools.pairwise(rows):
        if previous["date"] != row["date"]:
            continue
        seconds = row["arrived_at"].hour * 3600 + row["arrived_at"].minute * 60 + row["arrived_at"].second
        previous["left_at"] = _clock(seconds + 1)
        overlapping += 1
    return overlapping


def _seedable(rng: random.Random, rows: list[dict[str, Any]], low: int, high: int) -> int:
    """Return a row in [low, high) whose previous row is a visit of the same day."""
    candidates = [i for i in range(max(low, 1), max(high, low + 1)) if rows[i - 1]["date"] == rows[i]["date"]]
    if not candidates:
        raise ValueError(f"no row between {low} and {high} can take a defect")
    return rng.choice(candidates)
