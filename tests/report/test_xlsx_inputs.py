"""The month read from filled Excel forms: same figures, findings located by sheet, row and cell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from manualkit.toolkit.month.rules import cross_form_findings
from manualkit.toolkit.month.selection import select_month
from manualkit.toolkit.report.figures import compute_figures
from manualkit.toolkit.report.inputs import load_submissions
from tests.report.conftest import POLICY
from tests.report.month import MONTH, besides_days, write_month_xlsx


def test_month_from_workbooks_gives_the_same_figures(tmp_path: Path) -> None:
    loaded = load_submissions([write_month_xlsx(tmp_path / "xlsx")], POLICY)
    assert (loaded.files, len(loaded.submissions), loaded.left_out) == (10, 10, ())
    assert [f.issue.code for f in besides_days(loaded.findings)] == ["visits_below_minimum"]  # D, the book's
    figures = compute_figures(select_month(loaded.submissions, MONTH), None, POLICY)
    visits = figures.visits
    assert (visits.in_person_visits, visits.phone_visits, visits.customers_served) == (10, 1, 5)
    assert (len(visits.plan.executed), len(visits.plan.missed), len(visits.plan.unplanned)) == (7, 2, 1)
    assert figures.special_visits.total == 3 and figures.feedback_slips.total == 2


def test_cross_form_findings_point_to_cells(tmp_path: Path) -> None:
    folder = write_month_xlsx(tmp_path / "xlsx")
    found = cross_form_findings(load_submissions([folder], POLICY).submissions, POLICY)
    located = [f for f in found if f.issue.cell is not None]
    assert [(f.issue.code, f.issue.sheet) for f in located] == [
        ("unplanned_visit", "营销人员市场走访签到记录簿"),
        ("missing_schedule", "营销人员市场走访签到记录簿"),
        ("missed_visit", "客户访问日程表"),
        ("missed_visit", "客户访问日程表"),
        ("unscheduled_customer", "特殊访问记录"),
    ]
    for f in located:  # each cell holds the value the finding is about, and the row is the sheet's own
        assert f.path is not None
        sheet = load_workbook(f.path)[f.issue.sheet]
        assert _text(sheet[f.issue.cell].value) == f.issue.value, f
        if f.issue.row is not None:
            assert f.where == f"{Path(f.path).name} 第{f.issue.row}行"
            assert f.issue.cell.endswith(str(f.issue.row))


def _text(value: object) -> object:
    return value.date().isoformat() if isinstance(value, dt.datetime) else value


def test_invalid_workbook_is_left_out_with_located_findings(tmp_path: Path) -> None:
    folder = write_month_xlsx(tmp_path / "xlsx")
    (folder / "坏文件.xlsx").write_bytes(b"not a workbook")
    loaded = load_submissions([folder], POLICY)
    assert loaded.left_out == ("坏文件.xlsx",)
    assert [(f.issue.code, f.where) for f in besides_days(loaded.findings) if f.issue.severity == "error"] == [
        ("unreadable_file", "坏文件.xlsx")]
    assert len(loaded.submissions) == 10
