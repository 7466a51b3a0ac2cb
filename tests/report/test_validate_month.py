"""``manualkit validate`` on a folder holding one manager's month adds the rules across forms."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from manualkit.schemas._policy import DEFAULT_POLICY
from manualkit.toolkit.cli import cli
from manualkit.toolkit.records import check_record
from manualkit.toolkit.registry import get_form
from manualkit.toolkit.render.xlsx import render_xlsx
from tests.report.month import DAY_WARNINGS, sign_in_book, write_month_xlsx

CROSS_FORM = {"unplanned_visit", "missed_visit", "missing_schedule", "unscheduled_customer"}
ONE_MONTH = {
    "签到簿-2026-11.xlsx": ["unplanned_visit", "missing_schedule"],
    "日程表-2026-11-09.xlsx": ["missed_visit"],
    "日程表-2026-11-16.xlsx": ["missed_visit"],
    "特殊访问-3.xlsx": ["unscheduled_customer"],
}


def _validate(folder: Path) -> tuple[int, dict[str, list[tuple[str, str | None]]]]:
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(folder)])
    document = json.loads(result.output)
    found = {Path(f["path"]).name: [(e["code"], e["cell"]) for e in f["errors"] if e["code"] in CROSS_FORM]
             for f in document["files"]}
    return result.exit_code, {name: codes for name, codes in found.items() if codes}


def test_one_managers_month_gets_the_cross_form_warnings(tmp_path: Path) -> None:
    code, found = _validate(write_month_xlsx(tmp_path / "month"))
    assert code == 0  # warnings only
    assert {name: [c for c, _ in codes] for name, codes in found.items()} == ONE_MONTH
    assert all(cell for codes in found.values() for c, cell in codes)
    document = json.loads(CliRunner().invoke(cli, ["validate", "--format", "json", str(tmp_path / "month")]).output)
    [book] = [f for f in document["files"] if f["path"].endswith("签到簿-2026-11.xlsx")]
    below = [(e["value"], e["cell"] is None) for e in book["errors"] if e["code"] == "visits_below_minimum"]
    assert below == [("4301000005", True), ("4301000004", False)]  # E never visited (the month); D once (the book)


def test_folder_of_two_managers_gets_each_managers_month(tmp_path: Path) -> None:
    """Each manager's month is checked; one lacking its schedules says so once instead of being skipped."""
    folder = write_month_xlsx(tmp_path / "month")
    form = get_form("sign-in-book")
    record = check_record(form, sign_in_book(manager="李强"), DEFAULT_POLICY).record
    render_xlsx(form, record, folder / "李强-签到簿.xlsx")
    code, found = _validate(folder)
    assert code == 0
    assert {name: [c for c, _ in codes] for name, codes in found.items()} == ONE_MONTH
    document = json.loads(CliRunner().invoke(cli, ["validate", "--format", "json", str(folder)]).output)
    incomplete = [(Path(f["path"]).name, e["message"], e["clause"]) for f in document["files"] for e in f["errors"]
                  if e["code"] == "incomplete_month"]
    assert incomplete == [("李强-签到簿.xlsx", "客户经理“李强” 2026-11 没有有效的客户访问日程表，"
                           "这个月的跨表单核对（日程表与签到簿对照等）未进行", "§4.1.1")]


def test_added_findings_keep_the_sheet_order(tmp_path: Path) -> None:
    folder = write_month_xlsx(tmp_path / "month")
    book = sign_in_book()
    again = {**book["rows"][-1], "arrived_at": "15:00", "left_at": "15:30"}  # D twice on 11-30: the book's own warning
    book["rows"].append(again)
    form = get_form("sign-in-book")
    render_xlsx(form, check_record(form, book, DEFAULT_POLICY).record, folder / "签到簿-2026-11.xlsx")
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(folder)])
    [entry] = [e for e in json.loads(result.output)["files"] if e["path"].endswith("签到簿-2026-11.xlsx")]
    assert [(e["code"], e["row"] is None) for e in entry["errors"] if e["code"] not in DAY_WARNINGS] == [
        ("visits_below_minimum", True),  # E; the whole-file finding comes first, as validate orders them
        ("unplanned_visit", False),
        ("missing_schedule", False),
        ("duplicate", False),  # the book's own warning, on the last row
    ]


def test_monthly_report_without_problem_rows_is_still_checked(tmp_path: Path) -> None:
    """A form whose table may be empty still gets its rules in validate (as in check_record)."""
    from tests.conftest import sample

    data = sample("monthly-report")
    data["problems"], data["submitted_on"] = [], "2026-11-20"  # no part b, and after the due date 2026-11-05
    form = get_form("monthly-report")
    checked = check_record(form, data, DEFAULT_POLICY)
    render_xlsx(form, checked.record, tmp_path / "report.xlsx")
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(tmp_path / "report.xlsx")])
    [entry] = json.loads(result.output)["files"]
    assert [(e["code"], e["field"]) for e in entry["errors"]] == [(v.code, v.field) for v in checked.violations] == [
        ("missing_required", "problems"), ("overdue", "submitted_on"),
    ]
