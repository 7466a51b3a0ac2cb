"""A synthetic month of one account manager (张伟, 2026-11) with answers worked out by hand.

Customers: A 王记便利店, B 老街烟酒行, C 惠民超市, D 阳光小卖部, E 城南副食店 (phone only),
F 新开杂货铺 (only in a special visit, not in any schedule).

Schedules (weeks from 11-02, 11-09, 11-16, 11-23; 上门 unless noted):
  11-02 A, 11-02 B, 11-03 C, 11-04 E 电话 | 11-09 A, 11-10 D | 11-16 B, 11-17 C, 11-18 D | 11-23 A, 11-24 B 电话
Sign-in book: 11-02 A, 11-02 B, 11-03 C, 11-09 A, 11-12 C, 11-16 B, 11-17 C, 11-23 A, 11-24 B, 11-30 D

Known answers:
  planned in person 9; executed 7 (A02 B02 C03 A09 B16 C17 A23); missed 2 (D10 D18); rate 0.7778;
  unplanned 1 (C 11-12); 11-24 B was planned by phone and made in person: neither unplanned nor phone;
  11-30 D falls in the week from 11-30, which no schedule covers (missing_schedule);
  in person: A 3, B 3, C 3, D 1, E 0 -> 10; phone 1 (E 11-04); customers served 5;
  below the minimum of 2: D (1), E (0);
  special visits: 销售异常 1 (A), 商品质量投诉 1 (C), 歇业 1 (F, not scheduled);
  slips: C 商品质量 待调换, B 服务质量 待审核;
  sales (条/元): A 120/30000 (10月 100), B 80/20000 (95), C 200/52000 (150), D 40/9600 (70), E 60/15000 (-)
  -> total 500 条, 126600 元, previous 415, change +85, rate 0.2048; rises E +60, C +50, A +20; falls D -30, B -15.
Due date of the 2026-11 report: 12-05 is a Saturday -> 2026-12-07.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

MANAGER, AREA, MONTH = "张伟", "芙蓉区东片", "2026-11"
CUSTOMERS = {
    "A": ("4301000001", "王记便利店"),
    "B": ("4301000002", "老街烟酒行"),
    "C": ("4301000003", "惠民超市"),
    "D": ("4301000004", "阳光小卖部"),
    "E": ("4301000005", "城南副食店"),
    "F": ("4301000099", "新开杂货铺"),
}
WEEKS = {
    "2026-11-02": ("2026-10-31", [("11-02", "A", "上门"), ("11-02", "B", "上门"), ("11-03", "C", "上门"),
                                  ("11-04", "E", "电话")]),
    "2026-11-09": ("2026-11-07", [("11-09", "A", "上门"), ("11-10", "D", "上门")]),
    "2026-11-16": ("2026-11-14", [("11-16", "B", "上门"), ("11-17", "C", "上门"), ("11-18", "D", "上门")]),
    "2026-11-23": ("2026-11-21", [("11-23", "A", "上门"), ("11-24", "B", "电话")]),
}
SIGN_INS = [("11-02", "A"), ("11-02", "B"), ("11-03", "C"), ("11-09", "A"), ("11-12", "C"),
            ("11-16", "B"), ("11-17", "C"), ("11-23", "A"), ("11-24", "B"), ("11-30", "D")]
SALES = {"A": (120, 30000, 100), "B": (80, 20000, 95), "C": (200, 52000, 150), "D": (40, 9600, 70),
         "E": (60, 15000, None)}


# The synthetic book holds a handful of visits: the book's own warnings about each day actually worked
# (fewer than 30 visits, fewer than 6 hours) are true of it; a test about something else leaves them out.
DAY_WARNINGS = frozenset({"visits_below_daily_minimum", "market_hours_below_minimum"})


def besides_days(findings: Any) -> list[Any]:
    """Return the findings (``Finding`` or ``Issue`` values) other than the book's per-day warnings."""
    return [f for f in findings if getattr(f, "issue", f).code not in DAY_WARNINGS]


def customer(key: str) -> dict[str, str]:
    """Return the code and name of customer ``key``."""
    code, name = CUSTOMERS[key]
    return {"customer_code": code, "customer_name": name}


def schedule(week_start: str, manager: str = MANAGER) -> dict[str, Any]:
    """Return the visit schedule of the week from ``week_start``."""
    prepared_on, visits = WEEKS[week_start]
    rows = [{"date": f"2026-{day}", "route": "东一线", **customer(key), "visit_mode": mode,
             "planned_time": "09:00-09:30", "focus": ["销售指导"]} for day, key, mode in visits]
    return {"manager": manager, "area": AREA, "week_start": week_start, "prepared_on": prepared_on, "rows": rows}


def sign_in_book(manager: str = MANAGER, month: str = MONTH) -> dict[str, Any]:
    """Return the month's sign-in book (one visit an hour from 09:00 on each day)."""
    rows, hour = [], {}
    for day, key in SIGN_INS:
        start = hour.setdefault(day, 9)
        hour[day] += 1
        rows.append({"date": f"{month}-{day[3:]}", "arrived_at": f"{start:02d}:00", "left_at": f"{start:02d}:30",
                     **customer(key), "work_items": ["检查价格执行"], "manager_signature": manager,
                     "customer_signature": "店主"})
    return {"manager": manager, "area": AREA, "month": month, "rows": rows}


def special_visit(key: str, situation: str, day: str, manager: str = MANAGER) -> dict[str, Any]:
    """Return a special-visit record for customer ``key``."""
    return {"manager": manager, **customer(key), "occurred_on": day, "visited_at": f"{day}T10:00:00",
            "situation": situation, "description": "情况说明", "actions": "处理措施", "reported": False,
            "manager_signature": manager}


def feedback_slips() -> list[dict[str, Any]]:
    """Return the month's two feedback slips: C reviewed (待调换), B waiting for review (待审核)."""
    goods = {"manager": MANAGER, **customer("C"), "feedback_type": "商品质量", "reported_on": "2026-11-12",
             "inspected_on": "2026-11-12", "brand_spec": "白沙（硬）", "quantity": 2, "unit": "条",
             "problem": "烟支受潮", "cause": "仓储受潮", "customer_signature": "店主",
             "review_opinion": "同意调换", "reviewer_signature": "李建国", "reviewed_on": "2026-11-13"}
    service = {"manager": MANAGER, **customer("B"), "feedback_type": "服务质量", "reported_on": "2026-11-20",
               "problem": "送货时间不固定", "customer_signature": "店主"}
    return [goods, service]


def sales_rows() -> list[list[Any]]:
    """Return the sales sheet: header, this month's rows, last month's, and one row of September."""
    rows: list[list[Any]] = [["客户编码", "客户名称", "月份", "销量（条）", "销售额（元）", "备注"]]
    for key, (volume, amount, previous) in SALES.items():
        code, name = CUSTOMERS[key]
        rows.append([code, name, MONTH, volume, amount, ""])
        if previous is not None:
            rows.append([code, name, "2026-10", previous, previous * 250, ""])
    rows.append([CUSTOMERS["A"][0], CUSTOMERS["A"][1], "2026-09-15", 999, 1, "上上月"])
    return rows


def write_month(folder: Path) -> Path:
    """Write the month's submissions as JSON files into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for week in WEEKS:
        _write(folder / f"日程表-{week}.json", schedule(week))
    _write(folder / "签到簿-2026-11.json", sign_in_book())
    _write(folder / "特殊访问.json", [special_visit("A", "销售异常", "2026-11-05"),
                                      special_visit("C", "商品质量投诉", "2026-11-12"),
                                      special_visit("F", "歇业", "2026-11-20")])
    _write(folder / "反馈单.json", feedback_slips())
    return folder


def write_sales_csv(path: Path, rows: list[list[Any]] | None = None, encoding: str = "utf-8-sig") -> Path:
    """Write the sales sheet as CSV."""
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows if rows is not None else sales_rows())
    return path


def _write(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def write_month_xlsx(folder: Path, manager: str = MANAGER) -> Path:
    """Write the month's submissions as filled Excel forms (the render writer's), one file per record.

    With ``manager`` the same month is another manager's (every record names them).
    """
    from manualkit.schemas._policy import DEFAULT_POLICY
    from manualkit.toolkit.records import check_record
    from manualkit.toolkit.registry import get_form
    from manualkit.toolkit.render.xlsx import render_xlsx

    folder.mkdir(parents=True, exist_ok=True)
    records: list[tuple[str, str, dict[str, Any]]] = [
        *(("visit-schedule", f"日程表-{week}", schedule(week)) for week in WEEKS),
        ("sign-in-book", "签到簿-2026-11", sign_in_book()),
        ("special-visit", "特殊访问-1", special_visit("A", "销售异常", "2026-11-05")),
        ("special-visit", "特殊访问-2", special_visit("C", "商品质量投诉", "2026-11-12")),
        ("special-visit", "特殊访问-3", special_visit("F", "歇业", "2026-11-20")),
        *(("feedback-slip", f"反馈单-{n}", slip) for n, slip in enumerate(feedback_slips(), 1)),
    ]
    for form_id, name, data in records:
        form = get_form(form_id)
        record = check_record(form, {**data, "manager": manager}, DEFAULT_POLICY).record
        assert record is not None, name
        render_xlsx(form, record, folder / f"{name}.xlsx")
    return folder
