"""Every figure of the synthetic month (tests/report/month.py has the answers worked out)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from manualkit.toolkit.month.selection import select_month
from manualkit.toolkit.report.figures import MonthlyFigures, compute_figures
from manualkit.toolkit.report.inputs import LoadedInputs
from manualkit.toolkit.report.sales import sales_figures
from manualkit.toolkit.report.sales_sheet import read_sales
from tests.report.conftest import POLICY
from tests.report.month import CUSTOMERS, MONTH, besides_days

A, B, C, D, E, F = (CUSTOMERS[key][0] for key in "ABCDEF")


def _figures(loaded: LoadedInputs, sales_csv: Path) -> MonthlyFigures:
    sales, found = sales_figures(read_sales(sales_csv), MONTH)
    assert found == []
    return compute_figures(select_month(loaded.submissions, MONTH), sales, POLICY)


def test_month_loads_without_errors(loaded: LoadedInputs) -> None:
    assert (loaded.files, len(loaded.submissions), loaded.left_out) == (7, 10, ())
    # the book's own warnings only: the days of a handful of visits, and D visited once
    assert [f.issue.code for f in besides_days(loaded.findings)] == ["visits_below_minimum"]
    assert all(f.issue.severity == "warning" for f in loaded.findings)


def test_visits_per_customer(loaded: LoadedInputs, sales_csv: Path) -> None:
    visits = _figures(loaded, sales_csv).visits
    assert {c.code: (len(c.in_person), len(c.by_phone)) for c in visits.customers} == {
        A: (3, 0), B: (3, 0), C: (3, 0), D: (1, 0), E: (0, 1),
    }
    assert (visits.in_person_visits, visits.phone_visits, visits.customers_served) == (10, 1, 5)
    assert [c.code for c in visits.below_minimum] == [D, E]


def test_visits_point_to_their_rows(loaded: LoadedInputs, sales_csv: Path) -> None:
    visits = _figures(loaded, sales_csv).visits
    d = next(c for c in visits.customers if c.code == D)
    e = next(c for c in visits.customers if c.code == E)
    assert [str(ref) for ref in d.in_person] == ["签到簿-2026-11.json 表格第10行"]
    assert [str(ref) for ref in e.by_phone] == ["日程表-2026-11-02.json 表格第4行"]


def test_plan_against_actual(loaded: LoadedInputs, sales_csv: Path) -> None:
    plan = _figures(loaded, sales_csv).visits.plan
    day = lambda entries: [(e.date.isoformat()[5:], e.customer_code) for e in entries]  # noqa: E731
    assert day(plan.executed) == [("11-02", A), ("11-02", B), ("11-03", C), ("11-09", A), ("11-16", B),
                                  ("11-17", C), ("11-23", A)]
    assert day(plan.missed) == [("11-10", D), ("11-18", D)]
    assert day(plan.unplanned) == [("11-12", C)]
    assert [(w.week_start, day(w.sign_ins)) for w in plan.uncovered] == [(dt.date(2026, 11, 30), [("11-30", D)])]
    assert (plan.planned, plan.rate) == (9, Decimal("0.7778"))
    assert str(plan.executed[0].planned) == "日程表-2026-11-02.json 表格第1行"
    assert str(plan.executed[0].signed) == "签到簿-2026-11.json 表格第1行"


def test_special_visits_and_slips(loaded: LoadedInputs, sales_csv: Path) -> None:
    figures = _figures(loaded, sales_csv)
    assert figures.special_visits.nonzero() == [("销售异常", 1), ("商品质量投诉", 1), ("歇业", 1)]
    assert figures.special_visits.total == 3
    assert figures.feedback_slips.nonzero() == [("待审核", 1), ("待调换", 1)]
    assert figures.feedback_types.nonzero() == [("商品质量", 1), ("服务质量", 1)]


def test_sales(loaded: LoadedInputs, sales_csv: Path) -> None:
    sales = _figures(loaded, sales_csv).sales
    assert sales is not None
    assert (sales.total_volume, sales.total_amount, sales.previous_volume) == (500, 126600, 415)
    assert (sales.volume_change, sales.volume_change_rate) == (85, Decimal("0.2048"))
    assert [(c.code, c.change) for c in sales.rises()] == [(E, 60), (C, 50), (A, 20)]
    assert [(c.code, c.change) for c in sales.falls()] == [(D, -30), (B, -15)]
    assert [c.code for c in sales.customers] == [C, A, B, E, D]  # by volume
    assert [row.ref.row for row in sales.customers[0].rows] == [6, 7]


def test_due_date_postponed_past_the_weekend(loaded: LoadedInputs, sales_csv: Path) -> None:
    figures = _figures(loaded, sales_csv)
    assert (figures.due_date, figures.due_warning) == (dt.date(2026, 12, 7), None)
    assert (figures.manager, figures.area) == ("张伟", "芙蓉区东片")


def test_without_a_sign_in_book_nothing_is_judged(loaded: LoadedInputs, sales_csv: Path) -> None:
    without_book = [s for s in loaded.submissions if s.record.form_id != "sign-in-book"]
    visits = compute_figures(select_month(without_book, MONTH), None, POLICY).visits
    assert (visits.customers_served, visits.in_person_visits, visits.below_minimum) == (None, None, ())
    assert (len(visits.plan.unjudged), len(visits.plan.missed), visits.plan.planned, visits.plan.rate) == (
        9, 0, 9, None)
    assert visits.phone_visits == 2  # both phone rows of the schedules, nothing signed in place of them
