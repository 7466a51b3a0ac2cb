"""``manualkit validate``: a folder of mixed submissions, JSON and text reports, exit codes, annotated copies."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from manualkit.toolkit.catalogue import code_table
from manualkit.toolkit.errors import CATALOGUE
from manualkit.toolkit.registry import all_rules, get_form
from manualkit.toolkit.validate import validate_paths
from manualkit.toolkit.validate.annotate import SUMMARY_SHEET, annotate_all
from tests.conftest import sample
from tests.filled_workbooks import write_form

SIGN_IN = get_form("sign-in-book")


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "manualkit", "validate", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", check=False, cwd=cwd)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """A folder as it comes back from the account managers: clean, faulty, broken, nested."""
    folder = tmp_path / "in"
    (folder / "二组").mkdir(parents=True)
    write_form(SIGN_IN, sample("sign-in-book"), folder / "a-clean.xlsx")
    faulty = sample("sign-in-book")
    faulty["rows"][0]["customer_signature"] = None
    faulty["rows"][2]["arrived_at"] = "09:20"  # row 10 overlaps row 9 (09:10-09:30)
    write_form(SIGN_IN, faulty, folder / "二组" / "b-faulty.xlsx")
    (folder / "c-broken.xlsx").write_text("客户编码,客户名称\n", encoding="utf-8")
    (folder / "~$a-clean.xlsx").write_bytes(b"lock")  # Excel's lock file: not a submission
    (folder / "notes.txt").write_text("ignored", encoding="utf-8")
    return folder


def test_json_output_per_interfaces(inbox: Path) -> None:
    result = run("in", "--format", "json", cwd=inbox.parent)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert [(f["path"], f["form"], f["valid"]) for f in document["files"]] == [
        ("in/a-clean.xlsx", "sign-in-book", True),
        ("in/c-broken.xlsx", None, False),
        ("in/二组/b-faulty.xlsx", "sign-in-book", False),
    ]
    assert document["summary"] == {"files": 3, "valid": 1, "invalid": 2, "errors": 3, "warnings": 0}
    faulty = document["files"][2]["errors"]
    assert faulty[0] == {
        "code": "missing_required", "severity": "error", "sheet": "营销人员市场走访签到记录簿", "cell": "I8",
        "row": 8, "field": "customer_signature", "label": "客户签名确认", "value": None,
        "message": "第8行“客户签名确认”为必填项", "clause": "§4.1.4",
    }
    assert [(e["cell"], e["code"]) for e in faulty] == [("I8", "missing_required"), ("B10", "time_overlap")]
    assert document["files"][1]["errors"][0]["code"] == "unreadable_file"


def test_text_report_lists_files_then_summary(inbox: Path) -> None:
    result = run("in", cwd=inbox.parent)
    assert result.returncode == 1
    assert "in/二组/b-faulty.xlsx（营销人员市场走访签到记录簿）：无效（2 个错误）" in result.stdout
    assert re.search(r"错误\s+I8\s+第8行“客户签名确认”为必填项（依据：§4\.1\.4）\s+\[missing_required\]", result.stdout)
    assert "in/c-broken.xlsx（未识别）：无法读取" in result.stdout
    assert result.stdout.rstrip().endswith("共 3 个文件：有效 1 个，无效 2 个；错误 3 个，警告 0 个")
    assert result.stderr == ""


def test_all_valid_is_exit_0_even_with_warnings(tmp_path: Path) -> None:
    record = sample("sign-in-book")
    record["rows"][1]["customer_code"] = record["rows"][0]["customer_code"]  # duplicate: a warning
    path = write_form(SIGN_IN, record, tmp_path / "ok.xlsx")  # and the customer of row 1 now lacks a visit
    result = run(path, "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["summary"] == {"files": 1, "valid": 1, "invalid": 0, "errors": 0, "warnings": 2}


def test_form_option_overruled_by_the_workbook_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    path = write_form(SIGN_IN, sample("sign-in-book"), tmp_path / "ok.xlsx")
    result = run(path, "--form", "visit-schedule", "--format", "json")
    assert result.returncode == 0
    [entry] = json.loads(result.stdout)["files"]
    assert entry["form"] == "sign-in-book"
    assert [(e["code"], e["severity"]) for e in entry["errors"]] == [("form_mismatch", "warning")]
    assert "客户访问日程表" in entry["errors"][0]["message"]


def test_usage_errors_are_exit_2(tmp_path: Path) -> None:
    assert run(tmp_path / "nowhere.xlsx").returncode == 2
    assert run(tmp_path, "--format", "xml").returncode == 2


def test_unknown_form_option_is_a_usage_error_in_chinese(tmp_path: Path) -> None:
    path = write_form(SIGN_IN, sample("sign-in-book"), tmp_path / "ok.xlsx")
    result = run(path, "--form", "考勤表")
    assert result.returncode == 2
    assert "\n错误：未知表单：考勤表。可用的表单：" in result.stderr


def test_empty_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = run(tmp_path)
    assert result.returncode == 1
    assert "没有找到要校验的 .xlsx 文件" in result.stderr


def test_a_folder_scan_reports_spreadsheets_that_are_not_xlsx_instead_of_skipping_them(tmp_path: Path) -> None:
    write_form(SIGN_IN, sample("sign-in-book"), tmp_path / "a.xlsx")
    (tmp_path / "b.et").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))  # an OLE file, no workbook
    (tmp_path / "c.csv").write_text("客户编码,销量（条）\n", encoding="utf-8")  # e.g. a sales sheet: not a form
    (tmp_path / "d.xlsb").write_bytes(b"PK")
    report = validate_paths([tmp_path])
    assert [(f.path.name, f.form is not None) for f in report.files] == [
        ("a.xlsx", True), ("b.et", False), ("d.xlsb", False)]
    assert report.files[1].flatten("code") == [("unreadable_file",)]
    assert "请在 WPS 中另存为 .xlsx" in report.files[1].issues[0].message


def test_policy_file_is_used(tmp_path: Path) -> None:
    path = write_form(get_form("special-visit"), sample("special-visit"), tmp_path / "s.xlsx")
    policy = tmp_path / "policy.yaml"
    policy.write_text("special_visit_max_delay_days: 0\n", encoding="utf-8")
    document = json.loads(run(path, "--policy", policy, "--format", "json").stdout)
    assert [e["code"] for e in document["files"][0]["errors"]] == ["late_visit"]


def test_annotated_copy_marks_cells_and_leaves_original_alone(inbox: Path, tmp_path: Path) -> None:
    faulty = inbox / "二组" / "b-faulty.xlsx"
    before = faulty.read_bytes()
    result = run(inbox, "--annotate", tmp_path / "out")
    assert result.returncode == 1
    assert faulty.read_bytes() == before
    # the copy sits in the sub-folder its file has in the folder given (二组/)
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.xlsx")) == [
        "二组/b-faulty_批注.xlsx"]
    book = load_workbook(tmp_path / "out" / "二组" / "b-faulty_批注.xlsx")
    assert book.sheetnames[0] == SUMMARY_SHEET and book.active.title == SUMMARY_SHEET
    summary = [list(row) for row in book[SUMMARY_SHEET].iter_rows(min_row=4, values_only=True)]
    assert summary == [
        ["单元格", "行", "项目", "级别", "规则", "说明", "依据", "填写内容", "代码"],
        ["I8", 8, "客户签名确认", "错误", "必填项为空", "第8行“客户签名确认”为必填项", "§4.1.4", None,
         "missing_required"],
        ["B10", 10, "到达时间", "错误", "走访时间不重叠",
         "第10行2026-11-02 09:20-10:00 与客户 4301000002 的走访（09:10-09:30）时间重叠", "§4.1.4", "09:20",
         "time_overlap"],
    ]
    sheet = book[SIGN_IN.title]
    assert sheet["I8"].comment.text == "错误（必填项为空）：第8行“客户签名确认”为必填项（依据：§4.1.4）"
    assert sheet["I8"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet["A8"].comment is None and sheet["A8"].fill.fill_type is None


def test_annotated_copies_get_distinct_names(tmp_path: Path) -> None:
    record = sample("sign-in-book")
    record["manager"] = ""
    for folder in ("一组", "二组"):
        (tmp_path / folder).mkdir()
        write_form(SIGN_IN, record, tmp_path / folder / "zhang.xlsx")
    batch = validate_paths([tmp_path / "一组", tmp_path / "二组"])
    written = annotate_all(batch.files, tmp_path / "out")
    assert [p.name for p in written] == ["zhang_批注.xlsx", "zhang_批注_2.xlsx"]


def test_annotating_into_the_submissions_folder_twice_does_not_check_the_copies(inbox: Path) -> None:
    first = run(inbox, "--annotate", inbox, "--format", "json")
    second = run(inbox, "--annotate", inbox, "--format", "json")
    assert json.loads(first.stdout) == json.loads(second.stdout)
    assert sorted(p.relative_to(inbox).as_posix() for p in inbox.rglob("*_批注*.xlsx")) == ["二组/b-faulty_批注.xlsx"]
    named = validate_paths([inbox / "b-faulty_批注.xlsx"])  # named explicitly, it is still checked
    assert [f.path.name for f in named.files] == ["b-faulty_批注.xlsx"]


def test_readme_code_table_is_the_catalogue() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    table = code_table()
    section = readme.split("## 问题代码\n", 1)[1].split("\n## ", 1)[0]
    assert [line for line in section.splitlines() if line.startswith("|")] == table
    assert {entry.rule.code for entry in all_rules()} >= set(CATALOGUE)


def test_worker_processes_give_the_same_reports_in_the_same_order(tmp_path: Path) -> None:
    for number in range(6):
        record = sample("sign-in-book")
        record["rows"][number]["customer_signature"] = None
        write_form(SIGN_IN, record, tmp_path / f"{number}.xlsx")
    (tmp_path / "broken.xlsx").write_bytes(b"")
    alone = validate_paths([tmp_path], workers=1)
    together = validate_paths([tmp_path], workers=2)
    assert [r.as_json() for r in together.files] == [r.as_json() for r in alone.files]
    assert [r.flatten("cell") for r in together.files][:6] == [[(f"I{8 + n}",)] for n in range(6)]


@pytest.mark.parametrize(("value", "shown"), [
    (False, "否"), (True, "是"), ("2026-11-03T09:30:00", "2026-11-03 09:30"),
    ("2026-11-03T09:30:15", "2026-11-03 09:30:15"),
    ("09:20:00", "09:20"), (None, ""), (8, "8"), ("2026年13月", "2026年13月"),
])
def test_annotated_summary_shows_values_as_people_write_them(value: object, shown: str) -> None:
    from manualkit.toolkit.validate.annotate import shown_value

    assert shown_value(value) == shown
