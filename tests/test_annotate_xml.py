"""The annotated copy made by editing the workbook's XML shows what openpyxl's copy shows."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

import manualkit.toolkit.validate.annotate as annotate
from manualkit.toolkit.registry import get_form
from manualkit.toolkit.validate.findings import validate_file
from manualkit.toolkit.validate.xml_copy import Mark, NotPlain, Summary, edited_copy
from tests.conftest import sample
from tests.filled_workbooks import write_form

SIGN_IN = get_form("sign-in-book")


def _faulty(path: Path) -> Path:
    record = sample("sign-in-book")
    record["rows"][0]["customer_signature"] = None
    record["rows"][2]["arrived_at"] = "09:20"  # overlaps the row before
    record["rows"][3]["customer_code"] = "12<&>\"3\r\n4"  # a value to escape (a carriage return too), in the summary and the comment
    return write_form(SIGN_IN, record, path)


def _seen(path: Path) -> dict[str, Any]:
    """Return what a person sees of a copy: sheets, the active one, the summary, each sheet's marks and setup."""
    book = load_workbook(path)
    summary = book[annotate.SUMMARY_SHEET]
    seen: dict[str, Any] = {
        "sheets": book.sheetnames, "active": book.active.title,
        "others_selected": any(sheet.sheet_view.tabSelected for sheet in book.worksheets[1:]),
        "rows": [list(row) for row in summary.iter_rows(values_only=True)],
        "heights": {n: d.height for n, d in summary.row_dimensions.items() if d.height},
        "widths": {k: d.width for k, d in summary.column_dimensions.items() if d.customWidth},
        "looks": [(c.font.b, c.border.left.style, c.alignment.wrap_text, c.alignment.horizontal)
                  for row in summary.iter_rows(min_row=4) for c in row],
        "title_font": (summary["A1"].font.b, summary["A1"].font.sz),
        "setup": (summary.page_setup.orientation, summary.page_setup.paperSize, summary.page_setup.fitToWidth,
                  summary.page_setup.fitToHeight, summary.sheet_properties.pageSetUpPr.fitToPage,
                  summary.freeze_panes, summary.print_title_rows),
    }
    for sheet in book.worksheets[1:]:
        seen[sheet.title] = {
            "values": [list(row) for row in sheet.iter_rows(values_only=True)],
            "marks": {c.coordinate: (c.fill.fgColor.rgb[-6:], c.comment.text if c.comment else None)
                      for row in sheet.iter_rows() for c in row if c.fill.fill_type or c.comment},
            "print_titles": sheet.print_title_rows,
        }
    return seen


def test_the_edited_copy_shows_what_openpyxls_copy_shows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = validate_file(_faulty(tmp_path / "in.xlsx"))
    assert len([issue for issue in report.issues if issue.cell]) >= 3
    edited = annotate.annotate(report, tmp_path / "edited.xlsx")
    with zipfile.ZipFile(edited) as archive:
        assert any(name.endswith(".vml") for name in archive.namelist())  # made here, not by openpyxl
    monkeypatch.setattr(annotate, "_edited", lambda report: None)
    by_openpyxl = annotate.annotate(report, tmp_path / "openpyxl.xlsx")
    assert _seen(edited) == _seen(by_openpyxl)


def _summary() -> Summary:
    return Summary("校验结果", [["标题"], ["结论"], [], ["单元格"], ["A1"]], [10], [False], 4, {4: 15.6, 5: 15.6})


def test_a_workbook_with_formulas_or_macros_is_left_to_openpyxl(tmp_path: Path) -> None:
    path = _faulty(tmp_path / "in.xlsx")
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = next(name for name in parts if name.startswith("xl/worksheets/sheet"))
    mark = [Mark("I8", "error", "错误", 50)]
    formula = dict(parts)
    formula[sheet] = parts[sheet].replace(b"<sheetData>", b'<sheetData><row r="900"><c r="A900"><f>1+1</f></c></row>', 1)
    macros = {**parts, "xl/vbaProject.bin": b"\0"}
    for changed in (formula, macros):
        copy = tmp_path / "changed.xlsx"
        with zipfile.ZipFile(copy, "w") as archive:
            for name, data in changed.items():
                archive.writestr(name, data)
        with pytest.raises(NotPlain):
            edited_copy(copy.read_bytes(), SIGN_IN.title, mark, _summary())
