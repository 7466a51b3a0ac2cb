"""Files the value reader takes but openpyxl cannot open: every per-file step goes on (issue 16, case 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from manualkit.toolkit.cli import main
from manualkit.toolkit.registry import get_form
from manualkit.toolkit.validate.annotate import SUMMARY_SHEET
from tests.conftest import sample
from tests.filled_workbooks import write_form
from tests.hostile.books import SHEET, Change, rewrite

BROKEN_FOR_OPENPYXL = {
    "core-properties": lambda name, data: b"<cp:coreProperties><dc:title>x</dc:ti"
    if name == "docProps/core.xml" else data,
    "styles": lambda name, data: b"<styleSheet><fonts count='1'><font><b val='maybe'/></font></fonts></styleSheet>"
    if name == "xl/styles.xml" else data,
}


def _invalid(path: Path) -> Path:
    record = sample("sign-in-book")
    record["rows"][0]["customer_signature"] = None
    return write_form(get_form("sign-in-book"), record, path)


@pytest.mark.parametrize("change", BROKEN_FOR_OPENPYXL.values(), ids=BROKEN_FOR_OPENPYXL.keys())
def test_annotate_writes_every_copy_when_openpyxl_fails_on_one(tmp_path: Path, change: Change,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("a", "c"):
        _invalid(inbox / f"{name}.xlsx")
    rewrite(_invalid(inbox / "b.xlsx"), change)
    with pytest.raises(SystemExit) as exited:
        main(["validate", str(inbox), "--annotate", str(tmp_path / "out")])
    assert exited.value.code == 1
    assert "已写出 3 份批注副本" in capsys.readouterr().err
    copy = load_workbook(tmp_path / "out" / "b_批注.xlsx")
    assert copy.sheetnames == [SUMMARY_SHEET]
    texts = [cell.value for row in copy[SUMMARY_SHEET].iter_rows() for cell in row if cell.value]
    assert any("此副本只列出问题" in str(text) for text in texts) and "I8" in texts


def test_sales_sheet_openpyxl_cannot_read_is_a_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["客户编码", "客户名称", "销售日期", "品规", "销量（条）"])
    book.save(tmp_path / "sales.xlsx")
    cut = lambda name, data: data[: len(data) - 40] if name == SHEET else data  # noqa: E731
    rewrite(tmp_path / "sales.xlsx", cut)
    (tmp_path / "in").mkdir()
    _invalid(tmp_path / "in" / "a.xlsx")
    with pytest.raises(SystemExit):
        main(["report", "monthly", "--month", "2026-11", "--sales", str(tmp_path / "sales.xlsx"),
              str(tmp_path / "in"), "-o", str(tmp_path / "out")])
    assert "sales.xlsx 无法作为 Excel 工作簿打开" in capsys.readouterr().out
