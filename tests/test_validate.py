"""Validating submitted workbooks: every finding at its cell, as a table (cell, code, message)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from manualkit.schemas._policy import DEFAULT_POLICY
from manualkit.toolkit.reader import read_workbook
from manualkit.toolkit.registry import get_form
from manualkit.toolkit.validate import validate_file
from tests.conftest import sample
from tests.filled_workbooks import write_form

SIGN_IN = get_form("sign-in-book")


def test_several_defects_in_one_file_are_all_reported_in_sheet_order(tmp_path: Path) -> None:
    record = sample("sign-in-book")
    record["area"] = ""
    record["rows"][0]["customer_signature"] = None
    record["rows"][0]["work_items"] = ["打扫卫生"]
    record["rows"][2]["left_at"] = "09:30"  # row 10: 09:40 → 09:30
    record["rows"][3]["date"] = "2026-11-31"
    path = write_form(SIGN_IN, record, tmp_path / "in.xlsx")
    assert validate_file(path).flatten("cell", "code", "message") == [
        ("B4", "missing_required", "“所辖区域”为必填项"),
        ("F8", "invalid_choice", "第8行“工作内容”只能填写：传递公司信息/收集客户信息/核对库存及订货建议/"
                                 "协助陈列与调换标价签/观察销售督促守法经营/检查价格执行（填写的是“打扫卫生”）"),
        ("I8", "missing_required", "第8行“客户签名确认”为必填项"),
        ("C10", "time_order", "第10行离开时间 09:30 应晚于到达时间 09:40"),
        ("A11", "invalid_date", "第11行“走访日期”应为日期，如 2026-11-05（填写的是“2026-11-31”）"),
    ]


def test_rules_still_run_on_sound_rows_when_other_rows_are_broken(tmp_path: Path) -> None:
    record = sample("sign-in-book")
    record["rows"][0]["customer_signature"] = None
    record["rows"][2]["left_at"] = "09:30"
    path = write_form(SIGN_IN, record, tmp_path / "in.xlsx")
    assert validate_file(path).flatten("cell", "code", "message") == [
        ("I8", "missing_required", "第8行“客户签名确认”为必填项"),
        ("C10", "time_order", "第10行离开时间 09:30 应晚于到达时间 09:40"),
    ]


def test_a_broken_header_field_does_not_hide_the_rules_on_the_rows(tmp_path: Path) -> None:
    record = sample("sign-in-book")
    record["area"] = None
    record["rows"][2]["left_at"] = "09:30"
    path = write_form(SIGN_IN, record, tmp_path / "in.xlsx")
    assert validate_file(path).flatten("cell", "code", "message") == [
        ("B4", "missing_required", "“所辖区域”为必填项"),
        ("C10", "time_order", "第10行离开时间 09:30 应晚于到达时间 09:40"),
    ]


def test_rules_needing_a_broken_header_field_are_left_out(tmp_path: Path) -> None:
    record = sample("sign-in-book")
    record["month"] = "十一月"
    record["rows"][2]["left_at"] = "09:30"
    path = write_form(SIGN_IN, record, tmp_path / "in.xlsx")
    # the row's own rule needs no header field: it is found in the same round
    assert validate_file(path).flatten("cell", "code") == [("B5", "pattern_mismatch"), ("C10", "time_order")]


def test_form_option_naming_another_form_than_the_recorded_one_is_a_warning(tmp_path: Path) -> None:
    record = sample("sign-in-book")
    record["rows"][2]["left_at"] = "09:30"
    path = write_form(SIGN_IN, record, tmp_path / "in.xlsx")
    report = validate_file(path, get_form("visit-schedule"))
    assert report.form == SIGN_IN
    assert report.flatten("code", "severity", "cell", "value", "message") == [
        ("form_mismatch", "warning", None, "visit-schedule",
         "--form 指定的是“客户访问日程表”，但本工作簿记录的表单是“营销人员市场走访签到记录簿”"
         "（隐藏的 _manualkit 工作表）；已按“营销人员市场走访签到记录簿”校验"),
        ("time_order", "error", "C10", "09:30:00", "第10行离开时间 09:30 应晚于到达时间 09:40"),
    ]


def test_form_option_agreeing_with_the_workbook_or_used_for_it_gives_no_warning(tmp_path: Path) -> None:
    path = write_form(SIGN_IN, sample("sign-in-book"), tmp_path / "in.xlsx")
    assert validate_file(path, SIGN_IN).issues == []
    plain = write_form(SIGN_IN, sample("sign-in-book"), tmp_path / "plain.xlsx", record_sheet=False)
    assert validate_file(plain, SIGN_IN).issues == []  # nothing recorded: --form is what is used


def test_finding_carries_sheet_row_field_label_and_value(tmp_path: Path) -> None:
    record = sample("sign-in-book")
    record["rows"][1]["customer_code"] = "4301-02"
    issue = validate_file(write_form(SIGN_IN, record, tmp_path / "in.xlsx")).issues[0]
    assert issue.as_json() == {
        "code": "pattern_mismatch", "severity": "error", "sheet": "营销人员市场走访签到记录簿", "cell": "D9",
        "row": 9, "field": "customer_code", "label": "客户编码", "value": "4301-02",
        "message": "第9行“客户编码”只能包含数字和字母（填写的是“4301-02”）", "clause": "§4.1.4",
    }


def test_what_people_type_in_chinese_offices_is_accepted(tmp_path: Path) -> None:
    record = sample("sign-in-book")
    first = record["rows"][0]
    first.update(date="2026年11月2日", arrived_at="8点40", left_at=" ０９:００ ", customer_code="４３０１０００００１",
                 work_items="协助陈列与调换标价签，检查价格执行")
    record["rows"][1].update(date="2026/11/2", arrived_at="9:10", work_items="检查价格执行\n收集客户信息")
    record["rows"][2].update(date="2026.11.2")
    record["month"] = "2026年11月"
    path = write_form(SIGN_IN, record, tmp_path / "in.xlsx")
    assert validate_file(path).flatten("cell", "code", "message") == []


def test_yes_no_marks_are_accepted(tmp_path: Path) -> None:
    for mark in ("是", "√", "Y", True):
        record = sample("special-visit")
        record["reported"] = mark
        path = write_form(get_form("special-visit"), record, tmp_path / "in.xlsx")
        assert validate_file(path).flatten("code") == [], mark


def test_empty_trailing_and_middle_rows_are_ignored(tmp_path: Path) -> None:
    record = sample("sign-in-book")
    record["rows"].insert(2, {})
    record["rows"] += [{}, {}, {"notes": "   "}]
    path = write_form(SIGN_IN, record, tmp_path / "in.xlsx")
    submission = read_workbook(path)
    assert len(submission.data()["rows"]) == len(sample("sign-in-book")["rows"])
    assert submission.sheet_row(2) == 11  # the blank row 10 is skipped
    assert validate_file(path).flatten("code") == []


def test_unknown_column_is_a_warning_and_its_values_ignored(tmp_path: Path) -> None:
    record = sample("sign-in-book")
    path = write_form(SIGN_IN, record, tmp_path / "in.xlsx", extra_columns={"天气": ["晴"] * 60})
    report = validate_file(path)
    assert report.flatten("cell", "code", "message") == [("J7", "unknown_field", "“天气”列不是本表单的项目，已忽略")]
    assert report.valid


def test_repeated_column_is_a_warning_and_the_first_one_counts(tmp_path: Path) -> None:
    path = write_form(SIGN_IN, sample("sign-in-book"), tmp_path / "in.xlsx", extra_columns={"客户编码": ["x"] * 60})
    report = validate_file(path)
    assert report.flatten("cell", "code", "message") == [
        ("J7", "unknown_field", "“客户编码”列重复出现，已按第一个“客户编码”列（D 列）读取，此列忽略"),
    ]


def test_missing_column_is_one_finding_not_one_per_row(tmp_path: Path) -> None:
    path = write_form(SIGN_IN, sample("sign-in-book"), tmp_path / "in.xlsx")
    book = load_workbook(path)
    book[SIGN_IN.title]["I7"] = None
    book.save(path)
    assert validate_file(path).flatten("row", "field", "code", "message") == [
        (7, "customer_signature", "missing_column", "第7行表格标题缺少“客户签名确认”列"),
    ]


def test_missing_table_header_is_reported(tmp_path: Path) -> None:
    path = write_form(SIGN_IN, sample("sign-in-book"), tmp_path / "in.xlsx")
    book = load_workbook(path)
    for cell in book[SIGN_IN.title][7]:
        cell.value = None
    book.save(path)
    assert validate_file(path).flatten("code", "message") == [
        ("missing_column", "找不到“走访记录”表格的标题行：应有一行依次写着 “走访日期”、“到达时间”、“离开时间”、"
                           "“客户编码”、“客户名称”、“工作内容”、“工作记录”、“客户经理签名”、“客户签名确认”"),
    ]


def test_home_made_sheet_is_read_by_labels_and_sheet_title(tmp_path: Path) -> None:
    record = sample("sign-in-book")
    record["rows"][0]["customer_signature"] = ""
    path = write_form(SIGN_IN, record, tmp_path / "in.xlsx", names=False, record_sheet=False)
    report = validate_file(path)
    assert report.form is SIGN_IN
    assert report.flatten("cell", "code") == [("I8", "missing_required")]


def test_a_sheet_with_another_title_is_known_by_its_labels(tmp_path: Path) -> None:
    path = write_form(SIGN_IN, sample("sign-in-book"), tmp_path / "in.xlsx", names=False, record_sheet=False,
                      sheet_title="Sheet1")
    report = validate_file(path)
    assert report.form is SIGN_IN and report.flatten("code") == []


def test_form_option_names_a_sheet_with_neither_title_nor_every_label(tmp_path: Path) -> None:
    record = sample("sign-in-book")
    path = write_form(SIGN_IN, record, tmp_path / "in.xlsx", names=False, record_sheet=False, sheet_title="Sheet1")
    book = load_workbook(path)
    header = next(row for row in book["Sheet1"].iter_rows() if row[0].value == "走访日期")
    header[-1].value = "签收"  # the table lacks 客户签名确认: no form has all its labels here
    book.save(path)
    assert validate_file(path).flatten("code", "message") == [
        ("unknown_form", "无法判断是哪种表单：工作簿不是由本工具的模板生成，工作表名称（Sheet1）不是表单名称，"
                         "也找不到某个表单的全部栏目；请用 --form 指定"),
    ]
    assert validate_file(path, SIGN_IN).flatten("code") == [("missing_column",), ("unknown_field",)]


def test_labels_with_colons_and_spaces_still_match(tmp_path: Path) -> None:
    path = write_form(SIGN_IN, sample("sign-in-book"), tmp_path / "in.xlsx", names=False)
    book = load_workbook(path)
    book[SIGN_IN.title]["A3"] = " 客户经理： "
    book[SIGN_IN.title]["I7"] = "客户签名 确认"
    book.save(path)
    assert validate_file(path).flatten("code") == []


def test_workbook_of_an_older_template_version_gets_a_warning(tmp_path: Path) -> None:
    path = write_form(SIGN_IN, sample("sign-in-book"), tmp_path / "in.xlsx", version="0")
    report = validate_file(path)
    assert report.flatten("cell", "code", "message") == [
        (None, "old_template", f"本文件由第 0 版模板填写，当前模板为第 {SIGN_IN.model.version} 版；请改用当前模板"),
    ]
    assert report.valid


def test_code_that_lost_its_leading_zero_is_reported(tmp_path: Path) -> None:
    record = sample("sign-in-book")
    record["rows"][0]["customer_code"] = 301000001  # typed 0301000001 into a number cell
    report = validate_file(write_form(SIGN_IN, record, tmp_path / "in.xlsx"))
    lost = [f for f in report.flatten("cell", "code", "value") if f[1] == "code_as_number"]
    assert lost == [("D8", "code_as_number", "301000001")]
    assert report.valid


def test_codes_that_lost_zeros_in_most_rows_are_still_reported(tmp_path: Path) -> None:
    record = sample("sign-in-book")
    for number, row in enumerate(record["rows"]):
        row["customer_code"] = f"0{row['customer_code'][1:]}"  # 0301000001 …
        if number < 31:  # more than half typed into number cells: the zero is gone there
            row["customer_code"] = int(row["customer_code"])
    report = validate_file(write_form(SIGN_IN, record, tmp_path / "in.xlsx"))
    lost = [f for f in report.flatten("cell", "code") if f[1] == "code_as_number"]
    assert lost == [(f"D{8 + number}", "code_as_number") for number in range(31)]


def test_code_typed_as_number_keeps_its_digits(tmp_path: Path) -> None:
    record = sample("sign-in-book")
    for row in record["rows"]:
        row["customer_code"] = int(row["customer_code"])
    path = write_form(SIGN_IN, record, tmp_path / "in.xlsx")
    assert read_workbook(path).data()["rows"][0]["customer_code"] == "4301000001"
    assert validate_file(path).flatten("code") == []


def test_real_excel_date_times_and_times_are_read(tmp_path: Path) -> None:
    record = sample("special-visit")
    record["visited_at"] = dt.datetime(2026, 11, 5, 9, 30)
    path = write_form(get_form("special-visit"), record, tmp_path / "in.xlsx")
    assert read_workbook(path).data()["visited_at"] == dt.datetime(2026, 11, 5, 9, 30)
    assert validate_file(path).flatten("code") == []


def test_policy_numbers_change_the_findings(tmp_path: Path) -> None:
    path = write_form(get_form("special-visit"), sample("special-visit"), tmp_path / "in.xlsx")
    strict = DEFAULT_POLICY.model_copy(update={"special_visit_max_delay_days": 0})
    assert validate_file(path, policy=strict).flatten("cell", "code") == [("B10", "late_visit")]


def test_a_files_json_text_is_its_entry_written(tmp_path: Path) -> None:
    """``FileReport.json_text`` (what ``validate --format json`` writes: findings as columns) is its ``as_json``."""
    from manualkit.toolkit.jsontext import dumps
    from tests.hostile.books import good

    text = tmp_path / "text.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    broken = tmp_path / "broken.xlsx"
    record = sample("sign-in-book")
    for row in record["rows"]:
        row["left_at"] = "06:00"  # before its arrival: a finding on every row
    write_form(get_form("sign-in-book"), record, broken)
    for path in (good(tmp_path / "good.xlsx"), text, broken):
        report = validate_file(path)
        assert report.json_text(level=2) == dumps(report.as_json(), level=2)
    assert len(validate_file(broken).issues) >= 8  # enough to be written as columns
