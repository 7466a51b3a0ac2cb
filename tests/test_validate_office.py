"""The real-client test: a workbook re-saved by LibreOffice gives the same findings as before."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import sample
from tests.filled_workbooks import fill_blank_template, write_form
from toolkit.office import convert
from toolkit.registry import all_forms, get_form
from toolkit.validate import validate_file, validate_paths
from toolkit.validate.annotate import SUMMARY_SHEET, annotate_all


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
    assert faulty == [("I8", "missing_required"), ("B10", "time_overlap"), ("A11", "invalid_date"),
                      ("D12", "code_as_number")]
    _check_mixed_folder(tmp_path / "resaved", tmp_path / "annotated")


def _check_mixed_folder(folder: Path, annotated: Path) -> None:
    """The "done when" of the issue: re-saved files plus a corrupt one, as one batch."""
    (folder / "corrupt.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    batch = validate_paths([folder])
    # warnings: the faulty book's code_as_number, and labels-only.xlsx being clean-sign-in-book's month again
    assert batch.summary() == {"files": 10, "valid": 6, "invalid": 4, "errors": 8, "warnings": 2}
    assert [f.path.name for f in batch.files if "duplicate_submission" in {i.code for i in f.issues}] == [
        "labels-only.xlsx"]
    written = annotate_all(batch.files, annotated)
    assert sorted(p.name for p in written) == ["faulty-feedback-slip_批注.xlsx", "faulty-monthly-report_批注.xlsx",
                                               "faulty-sign-in-book_批注.xlsx"]
    book = load_workbook(annotated / "faulty-sign-in-book_批注.xlsx")
    assert book.sheetnames[0] == SUMMARY_SHEET
    assert book["营销人员市场走访签到记录簿"]["I8"].comment.text == "错误：第8行“客户签名确认”为必填项"


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
        assert validate_file(et).flatten("cell", "code") == validate_file(tmp_path / "sign-in-book.xlsx").flatten("cell", "code")
    sign_in = validate_file(tmp_path / to / f"sign-in-book.{to}")
    assert sign_in.form is get_form("sign-in-book") and sign_in.flatten("cell", "code") == [
        ("I7", "missing_required"), ("B9", "time_overlap"), ("A10", "invalid_date"), ("D11", "code_as_number")]
    [copy] = annotate_all([sign_in], tmp_path / "annotated")
    assert copy.name == "sign-in-book_批注.xlsx"
    book = load_workbook(copy)
    assert book["营销人员市场走访签到记录簿"]["I7"].comment.text == "错误：第7行“客户签名确认”为必填项"
    assert book["营销人员市场走访签到记录簿"]["E7"].value == "王记便利店"
    assert book["营销人员市场走访签到记录簿"]["B7"].number_format == "hh:mm"  # 08:40 as written, not 8:40:00
    assert book["营销人员市场走访签到记录簿"].page_setup.fitToWidth == 1
    assert book["_manualkit"].sheet_state == "hidden"
