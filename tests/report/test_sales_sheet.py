"""Reading the sales system's export: .csv in UTF-8 or GBK, .xlsx, missing columns, bad cells."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from manualkit.toolkit.report.sales import previous_month, sales_figures
from manualkit.toolkit.report.sales_sheet import read_sales
from tests.report.month import MONTH, sales_rows, write_sales_csv


def _xlsx(path: Path, rows: list[list[object]], title: str = "销售明细") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(["某某烟草公司 客户销售明细"])  # a title line above the header
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_csv_in_the_usual_encodings(tmp_path: Path, encoding: str) -> None:
    sheet = read_sales(write_sales_csv(tmp_path / "sales.csv", encoding=encoding))
    assert sheet.findings == ()
    assert len(sheet.rows) == 10
    assert (sheet.rows[0].customer_code, sheet.rows[0].customer_name, sheet.rows[0].volume) == (
        "4301000001", "王记便利店", Decimal(120))
    assert sheet.rows[-1].month == "2026-09"  # "2026-09-15" is a day of September


def test_xlsx_with_a_title_line_and_numeric_codes(tmp_path: Path) -> None:
    rows = sales_rows()
    rows[1][0] = 4301000001  # a code typed as a number keeps its digits
    sheet = read_sales(_xlsx(tmp_path / "sales.xlsx", rows))
    assert sheet.findings == ()
    assert sheet.rows[0].customer_code == "4301000001"
    assert (sheet.rows[0].ref.row, str(sheet.rows[0].ref)) == (3, "sales.xlsx 第3行")
    figures, found = sales_figures(sheet, MONTH)
    assert found == [] and figures is not None and figures.total_volume == 500


@pytest.mark.parametrize("totals", [["合 计", "", ""], ["", "总计", ""]])
def test_a_totals_row_at_the_end_is_not_a_customer(tmp_path: Path, totals: list[object]) -> None:
    rows = sales_rows()
    rows.append([*totals, 9999, 99999])  # the export's own sum line
    sheet = read_sales(_xlsx(tmp_path / "sales.xlsx", rows))
    assert sheet.findings == ()
    assert len(sheet.rows) == 10


def test_missing_column_is_named(tmp_path: Path) -> None:
    rows = [[cell for i, cell in enumerate(row) if i != 3] for row in sales_rows()]  # no 销量（条）
    sheet = read_sales(_xlsx(tmp_path / "sales.xlsx", rows))
    assert [(f.issue.code, f.issue.label, f.issue.message) for f in sheet.findings] == [
        ("missing_column", "销量（条）", "销售表缺少“销量（条）”列"),
    ]
    assert sheet.rows == ()
    figures, found = sales_figures(sheet, MONTH)
    assert figures is None
    assert [f.issue.code for f in found] == ["no_sales"]


def test_missing_amount_column_keeps_the_volumes(tmp_path: Path) -> None:
    rows = [row[:4] for row in sales_rows()]
    sheet = read_sales(write_sales_csv(tmp_path / "sales.csv", rows))
    assert [f.issue.label for f in sheet.findings] == ["销售额（元）"]
    figures, _ = sales_figures(sheet, MONTH)
    assert figures is not None and (figures.total_volume, figures.total_amount) == (500, None)


def test_bad_cells_are_findings_and_rows_left_out(tmp_path: Path) -> None:
    rows = sales_rows()
    rows[1][3] = "一百二"  # A's volume
    rows[3][4] = "n/a"  # B's amount
    rows[5][2] = "十一月"  # C's month
    sheet = read_sales(_xlsx(tmp_path / "sales.xlsx", rows))
    assert [(f.issue.code, f.issue.cell, f.issue.field) for f in sheet.findings] == [
        ("invalid_type", "D3", "volume"),
        ("invalid_type", "E5", "amount"),
        ("invalid_date", "C7", "month"),
    ]
    assert sheet.findings[0].issue.message == "“销量（条）”应为数字（填写的是“一百二”），该行未计入"
    figures, _ = sales_figures(sheet, MONTH)
    assert figures is not None and figures.total_volume == 500 - 120 - 200
    assert figures.total_amount is None  # B's amount is unknown


def test_duplicate_customer_rows_are_added_with_a_warning(tmp_path: Path) -> None:
    rows = [*sales_rows(), ["4301000001", "王记便利店", MONTH, 5, 1250, "补录"]]
    figures, found = sales_figures(read_sales(write_sales_csv(tmp_path / "s.csv", rows)), MONTH)
    assert [(f.issue.code, f.issue.severity, f.where) for f in found] == [("duplicate", "warning", "s.csv 第12行")]
    assert figures is not None and figures.total_volume == 505


def test_without_last_month_there_is_no_change(tmp_path: Path) -> None:
    rows = [row for row in sales_rows() if row[2] != "2026-10"]
    figures, _ = sales_figures(read_sales(write_sales_csv(tmp_path / "s.csv", rows)), MONTH)
    assert figures is not None
    assert (figures.previous_volume, figures.volume_change, figures.rises(), figures.falls()) == (None, None, (), ())


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("sales.xls", b"\xd0\xcf\x11\xe0", "sales.xls 是旧版 Excel（.xls）文件，请另存为 .xlsx 或 .csv 后再试"),
    ("sales.xlsx", b"not a zip", "sales.xlsx：这是文本文件（如 CSV），不是 Excel 工作簿；请在 Excel 中另存为 .xlsx"),
    ("sales.xlsx", b"PK\x03\x04broken", "sales.xlsx：文件已损坏，不是完整的 Excel 工作簿（BadZipFile）"),
    ("sales.pdf", b"%PDF", "sales.pdf 不是 .xlsx 或 .csv 文件"),
])
def test_unreadable_sales_sheet(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    (tmp_path / name).write_bytes(content)
    sheet = read_sales(tmp_path / name)
    assert [(f.issue.code, f.issue.message) for f in sheet.findings] == [("unreadable_file", expected)]


def test_previous_month() -> None:
    assert (previous_month("2026-01"), previous_month("2026-11")) == ("2025-12", "2026-10")
