"""What is inside the zip: DTDs anywhere in a part, other encodings, formulas in annotated copies."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.defined_name import DefinedName

from manualkit.toolkit.registry import get_form
from manualkit.toolkit.validate import validate_file
from manualkit.toolkit.validate.annotate import annotate_all
from tests.conftest import sample
from tests.filled_workbooks import write_form
from tests.hostile.books import FAR_ROW, SHEET, good, rewrite

DTD = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'


def test_a_doctype_after_a_long_comment_is_refused(tmp_path: Path) -> None:
    comment = b"<!--" + b" " * 8192 + b"-->"
    path = rewrite(good(tmp_path / "x.xlsx"), lambda name, data: comment + DTD + data
                   if name == "xl/workbook.xml" else data)
    [(message,)] = validate_file(path).flatten("message")
    assert "xl/workbook.xml 含有 DTD 声明" in message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32", "utf-7"])
def test_a_doctype_in_another_encoding_is_refused(tmp_path: Path, encoding: str) -> None:
    def encoded(name: str, data: bytes) -> bytes:
        if name != SHEET:
            return data
        declaration = f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
        return (declaration + DTD.decode() + data.decode("utf-8")).encode(encoding)

    [(message,)] = validate_file(rewrite(good(tmp_path / "x.xlsx"), encoded)).flatten("message")
    assert f"{SHEET} 含有 DTD 声明" in message


def test_a_far_cell_in_utf16_is_refused(tmp_path: Path) -> None:
    def encoded(name: str, data: bytes) -> bytes:
        return data.replace(b"</sheetData>", FAR_ROW).decode().encode("utf-16") if name == SHEET else data

    [(message,)] = validate_file(rewrite(good(tmp_path / "x.xlsx"), encoded)).flatten("message")
    assert "工作表范围过大" in message


def test_a_part_in_an_unknown_encoding_is_refused(tmp_path: Path) -> None:
    path = rewrite(good(tmp_path / "x.xlsx"), lambda name, data: b'<?xml version="1.0" encoding="x-klingon"?>'
                   + data if name == "xl/workbook.xml" else data)
    [(message,)] = validate_file(path).flatten("message")
    assert "编码 x-klingon 无法识别" in message


def test_the_annotated_copy_holds_values_not_formulas_or_links(tmp_path: Path) -> None:
    record = sample("sign-in-book")
    record["rows"][0]["customer_signature"] = None
    path = write_form(get_form("sign-in-book"), record, tmp_path / "in.xlsx")
    book = load_workbook(path)
    sheet = book[get_form("sign-in-book").title]
    sheet["K1"] = '=HYPERLINK("http://example.invalid/x","点此")'
    sheet["K2"] = "=cmd|' /C calc'!A0"
    book.defined_names["evil"] = DefinedName("evil", attr_text="cmd|' /C calc'!A0")
    book.save(path)
    [copy] = annotate_all([validate_file(path)], tmp_path / "out")
    annotated = load_workbook(copy)
    formulas = [cell.coordinate for ws in annotated.worksheets for row in ws.iter_rows() for cell in row
                if cell.data_type == "f"]
    assert formulas == [] and "evil" not in annotated.defined_names
    with zipfile.ZipFile(copy) as archive:
        assert not [name for name in archive.namelist() if "externalLink" in name]


def test_an_xlsb_in_a_folder_is_named_not_skipped(tmp_path: Path) -> None:
    from manualkit.toolkit.validate import validate_paths

    good(tmp_path / "a.xlsx")
    with zipfile.ZipFile(tmp_path / "b.xlsb", "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
    reports = {report.path.name: report for report in validate_paths([tmp_path]).files}
    [(message,)] = reports["b.xlsb"].flatten("message")
    assert message.startswith("文件已损坏或不是有效的工作簿，无法读取")
