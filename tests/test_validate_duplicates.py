"""Submissions handed in twice in one ``validate`` run: copies of one file, or one manager's period twice."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from manualkit.toolkit.registry import get_form
from manualkit.toolkit.validate import validate_paths
from tests.conftest import sample
from tests.filled_workbooks import write_form

SIGN_IN = get_form("sign-in-book")


def test_copies_of_one_file_are_each_a_duplicate_of_the_first(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    first = write_form(SIGN_IN, sample("sign-in-book"), tmp_path / "in" / "a.xlsx")
    for number in range(1, 200):
        shutil.copy(first, tmp_path / "in" / f"copy-{number:03}.xlsx")
    batch = validate_paths([tmp_path / "in"], workers=1)
    assert len(batch.files) == 200 and batch.valid  # a warning: each copy is still a sound sign-in book
    assert batch.files[0].issues == []
    for report in batch.files[1:]:
        assert report.flatten("code", "severity", "message") == [
            ("duplicate_submission", "warning", f"与 {first} 内容完全相同，是同一份表格的重复提交")]
    assert batch.summary()["warnings"] == 199


def test_two_files_of_one_managers_month_are_duplicates_even_when_their_rows_differ(tmp_path: Path) -> None:
    record = sample("sign-in-book")
    first = write_form(SIGN_IN, record, tmp_path / "十一月.xlsx")
    record["rows"] = record["rows"][:2]
    second = write_form(SIGN_IN, record, tmp_path / "十一月-改.xlsx")
    other = sample("sign-in-book") | {"manager": "李娜"}
    write_form(SIGN_IN, other, tmp_path / "李娜.xlsx")
    reports = {r.path.name: r for r in validate_paths([first, second, tmp_path / "李娜.xlsx"]).files}
    assert reports["十一月.xlsx"].issues == [] and reports["李娜.xlsx"].issues == []
    duplicates = [found for found in reports["十一月-改.xlsx"].as_json()["errors"]
                  if found["code"] == "duplicate_submission"]  # two rows also fall short of the daily visits
    assert [found["clause"] for found in duplicates] == [SIGN_IN.clause]  # one book a month: §4.1.4
    assert [(found["code"], found["message"]) for found in duplicates] == [(
        "duplicate_submission",
        f"与 {first} 是同一客户经理（张伟）同一月份（2026-11）的表格，每期只应提交一份；请确认哪一份有效")]


def test_one_file_alone_and_forms_without_a_period_are_no_duplicates(tmp_path: Path) -> None:
    slip = get_form("feedback-slip")
    write_form(slip, sample("feedback-slip"), tmp_path / "a.xlsx")
    write_form(slip, sample("feedback-slip") | {"customer_name": "乙店"}, tmp_path / "b.xlsx")
    assert slip.model.period_field is None
    assert all(report.issues == [] for report in validate_paths([tmp_path]).files)


def test_a_copied_book_in_a_month_gets_one_finding_for_its_visits_and_each_cites_its_clause(tmp_path: Path) -> None:
    from manualkit.schemas._policy import DEFAULT_POLICY
    from manualkit.toolkit.demo import SUBMITTED, submitted_month
    from manualkit.toolkit.validate.month import with_month_findings

    submitted_month(tmp_path)
    month = tmp_path / SUBMITTED
    book = next(month.glob("营销人员市场走访签到记录簿*.xlsx"))
    for number in (1, 2):
        shutil.copy(book, month / f"副本{number}-{book.name}")
    batch = with_month_findings(validate_paths([month]), DEFAULT_POLICY)
    books = [report for report in batch.files if report.form and report.form.form_id == SIGN_IN.form_id]
    assert len(books) == 3
    for copy in books[1:]:  # the first in the batch's order is counted; the others repeat it
        repeats = [issue for issue in copy.issues if issue.code == "duplicate"]
        assert [(issue.cell, issue.clause) for issue in repeats] == [(None, SIGN_IN.model.rules.duplicate.clause)]
        assert re.fullmatch(rf"这本签到簿的 \d+ 次走访都已记在 .*{re.escape(books[0].path.name)}.*，只计一次",
                            repeats[0].message)
    cited = [issue for report in batch.files for issue in report.issues if issue.row is not None]
    assert cited and all(issue.clause for issue in cited)  # a finding on a row always says where the manual asks it
