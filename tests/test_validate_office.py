"""The real-client test: a workbook re-saved by LibreOffice gives the same findings as before."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from manualkit.schemas._policy import DEFAULT_POLICY
from manualkit.toolkit.office import convert
from manualkit.toolkit.registry import all_forms, get_form
from manualkit.toolkit.render.filling import read_entries
from manualkit.toolkit.report.inputs import load_submissions
from manualkit.toolkit.validate import validate_file, validate_paths
from manualkit.toolkit.validate.annotate import SUMMARY_SHEET, annotate_all
from tests.conftest import sample
from tests.filled_workbooks import fill_blank_template, write_form


def _faulty_records() -> dict[str, dict]:
    sign_in = sample("sign-in-book")
    sign_in["rows"][0]["customer_signature"] = None
    sign_in["rows"][2]["arrived_at"] = "09:20"
    sign_in["rows"][3]["date"] = "2026-11-31"
    sign_in["rows"][4]["customer_code"] = 301000005
    report = sample("monthly-report")
    report["submitted_on"] = "2026-11-06"
    report["problems"][1]["cause"] = None
    slip = sample("feedback-slip")
    slip["exchanged_quantity"] = 3
    slip["unit"] = "箱"
    return {"sign-in-book": sign_in, "monthly-report": report, "feedback-slip": slip}


@pytest.mark.office
def test_libreoffice_resave_keeps_the_findings(tmp_path: Path, soffice: str) -> None:
    originals = [write_form(form, sample(form.form_id), tmp_path / f"clean-{form.form_id}.xlsx")
                 for form in all_forms().values()]
    originals += [write_form(get_form(form_id), record, tmp_path / f"faulty-{form_id}.xlsx")
                  for form_id, record in _faulty_records().items()]
    originals.append(write_form(get_form("sign-in-book"), sample("sign-in-book"), tmp_path / "labels-only.xlsx",
                                names=False, record_sheet=False))
    resaved = convert(originals, "xlsx", tmp_path / "resaved")
    for before, after in zip(originals, resaved, strict=True):
        expected = validate_file(before).flatten("sheet", "cell", "code", "message", "value")
        assert validate_file(after).flatten("sheet", "cell", "code", "message", "value") == expected, before.name
    faulty = validate_file(resaved[len(all_forms())]).flatten("cell", "code")
    assert [found for found in faulty if found[1] != "visits_below_minimum"] == [
        ("I8", "missing_required"), ("B10", "time_overlap"), ("A11", "invalid_date"), ("D12", "code_as_number")]
    # the code that lost its zero is another customer's now: both halves are short of their visits
    assert [found for found in faulty if found[1] == "visits_below_minimum"] == [("D12", "visits_below_minimum"),
                                                                               ("D52", "visits_below_minimum")]
    _check_mixed_folder(tmp_path / "resaved", tmp_path / "annotated")


def _check_mixed_folder(folder: Path, annotated: Path) -> None:
    """The "done when" of the issue: re-saved files plus a corrupt one, as one batch."""
    (folder / "corrupt.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    batch = validate_paths([folder])
    # warnings: the faulty book's code_as_number and the two customers it leaves short of visits,
    # and labels-only.xlsx being clean-sign-in-book's month again
    # every form's clean sample, three faulty ones, labels-only.xlsx and the corrupt file
    files = len(all_forms()) + 5
    assert batch.summary() == {"files": files, "valid": files - 4, "invalid": 4, "errors": 8, "warnings": 4}
    assert [f.path.name for f in batch.files if "duplicate_submission" in {i.code for i in f.issues}] == [
        "labels-only.xlsx"]
    written = annotate_all(batch.files, annotated)
    assert sorted(p.name for p in written) == ["faulty-feedback-slip_批注.xlsx", "faulty-monthly-report_批注.xlsx",
                                               "faulty-sign-in-book_批注.xlsx"]
    book = load_workbook(annotated / "faulty-sign-in-book_批注.xlsx")
    assert book.sheetnames[0] == SUMMARY_SHEET
    assert book["营销人员市场走访签到记录簿"]["I8"].comment.text == (
        "错误（必填项为空）：第8行“客户签名确认”为必填项（依据：§4.1.4）")


@pytest.mark.office
def test_annotated_summary_prints_on_a4_landscape_with_every_message_whole(tmp_path: Path, soffice: str) -> None:
    record = _faulty_records()["sign-in-book"]
    record["rows"][1]["work_items"] = "跳舞、和客户聊了很久关于新品的陈列问题以及价格执行情况"
    report = validate_file(write_form(get_form("sign-in-book"), record, tmp_path / "book.xlsx"))
    copy = annotate_all([report], tmp_path / "annotated")[0]
    book = load_workbook(copy)
    for name in book.sheetnames[1:]:  # print the summary alone
        del book[name]
    book.save(tmp_path / "summary.xlsx")
    (pdf,) = convert([tmp_path / "summary.xlsx"], "pdf", tmp_path / "pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+841\.\d+ x 595\.\d+", info), info  # A4 landscape
    assert re.search(r"Pages:\s+1\n", info), info  # as wide as one page: no column cut onto another
    columns = _pdf_columns(pdf, first="单元格")
    assert len(report.issues) >= 5
    for issue in report.issues:
        for column, shown in (("说明", issue.message), ("规则", issue.name), ("依据", issue.clause),
                              ("代码", issue.code)):
            assert re.sub(r"\s+", "", shown) in columns[column], (column, shown)


def _pdf_columns(pdf: Path, first: str) -> dict[str, str]:
    """Return the text of each column of a printed table (by its header), top to bottom, without spaces.

    Words are placed in the column whose header starts left of them (pdftotext's ``-bbox``); a cell's
    wrapped lines are then consecutive, so a message is whole only if nothing of it was cut.
    """
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = [(float(x), float(y), text) for x, y, text in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', xml)]
    header_y = next(y for _, y, text in words if text == first)
    headers = sorted((x, text) for x, y, text in words if abs(y - header_y) < 1)
    found: dict[str, list[tuple[float, float, str]]] = {text: [] for _, text in headers}
    for x, y, text in words:
        if y > header_y + 1:
            column = [name for start, name in headers if start <= x + 1][-1]
            found[column].append((y, x, text))
    return {name: "".join(text for _, _, text in sorted(items)) for name, items in found.items()}


@pytest.mark.office
@pytest.mark.parametrize("to", ["xls", "ods"])
def test_our_blank_filled_and_saved_as_xls_or_ods_validates_as_the_xlsx(tmp_path: Path, soffice: str, to: str) -> None:
    """Offices save as .xls and .ods: read directly, same findings at the same cells, annotated as .xlsx.

    soffice takes one target format per run (the last ``--convert-to`` wins for every file),
    so each format is one call over every form.
    """
    records = {form.form_id: sample(form.form_id) for form in all_forms().values()} | _faulty_records()
    filled = [fill_blank_template(get_form(form_id), record, tmp_path / f"{form_id}.xlsx")
              for form_id, record in records.items()]
    saved = convert(filled, to, tmp_path / to)
    for xlsx, other in zip(filled, saved, strict=True):
        expected = validate_file(xlsx).flatten("sheet", "cell", "code", "message", "value")
        assert validate_file(other).flatten("sheet", "cell", "code", "message", "value") == expected, other.name
    if to == "xls":  # WPS's .et, when it is the same binary format as .xls, is read as one
        et = shutil.copy(tmp_path / "xls" / "sign-in-book.xls", tmp_path / "sign-in-book.et")
        same = validate_file(tmp_path / "sign-in-book.xlsx").flatten("cell", "code")
        assert validate_file(et).flatten("cell", "code") == same
    month = load_submissions([tmp_path / to], DEFAULT_POLICY)  # the monthly report reads them as validate does
    assert sorted(s.record.form_id for s in month.submissions) == sorted(
        form_id for form_id in records if validate_file(tmp_path / f"{form_id}.xlsx").valid)
    [entry] = read_entries(get_form("visit-schedule"), tmp_path / to / f"visit-schedule.{to}", DEFAULT_POLICY)
    assert entry.problems == [] and entry.record is not None  # fill takes them as data too
    sign_in = validate_file(tmp_path / to / f"sign-in-book.{to}")
    assert sign_in.form is get_form("sign-in-book")
    assert [found for found in sign_in.flatten("cell", "code") if found[1] != "visits_below_minimum"] == [
        ("I7", "missing_required"), ("B9", "time_overlap"), ("A10", "invalid_date"), ("D11", "code_as_number")]
    [copy] = annotate_all([sign_in], tmp_path / "annotated")
    assert copy.name == "sign-in-book_批注.xlsx"
    book = load_workbook(copy)
    assert book["营销人员市场走访签到记录簿"]["I7"].comment.text == (
        "错误（必填项为空）：第7行“客户签名确认”为必填项（依据：§4.1.4）")
    assert book["营销人员市场走访签到记录簿"]["E7"].value == "王记便利店"
    assert book["营销人员市场走访签到记录簿"]["B7"].number_format == "hh:mm"  # 08:40 as written, not 8:40:00
    assert book["营销人员市场走访签到记录簿"].page_setup.fitToWidth == 1
    assert book["_manualkit"].sheet_state == "hidden"
