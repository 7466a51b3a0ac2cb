"""Bad input never raises: each unreadable file is one ``unreadable_file`` finding with a clear reason."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from manualkit.toolkit.reader import WorkbookReadError, read_workbook
from manualkit.toolkit.registry import get_form
from manualkit.toolkit.validate import validate_file
from tests.conftest import sample
from tests.filled_workbooks import write_form

SHEET = "xl/worksheets/sheet1.xml"


def _good(path: Path) -> Path:
    return write_form(get_form("sign-in-book"), sample("sign-in-book"), path)


def _rewrite(path: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """Rewrite every member of the workbook at ``path`` through ``change(name, data)``."""
    members = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            members[info.filename] = change(info.filename, archive.read(info))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _csv(path: Path) -> Path:
    path.write_text("客户编码,客户名称\n4301000001,王记便利店\n", encoding="utf-8")
    return path


def _html(path: Path) -> Path:
    path.write_text("<html><body><table><tr><td>客户经理</td></tr></table></body></html>", encoding="utf-8")
    return path


def _truncated(path: Path) -> Path:
    data = _good(path).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _encrypted(path: Path) -> Path:
    plain = _good(path.with_name("plain.xlsx"))
    with plain.open("rb") as source, path.open("wb") as out:
        OOXMLFile(source).encrypt("secret", out)
    return path


def _broken_xls(path: Path) -> Path:
    """An OLE file whose directory names a BIFF workbook stream, but nothing else is sound."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024 + "Workbook\0".encode("utf-16-le"))
    return path


def _ole_not_workbook(path: Path) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024 + "WordDocument\0".encode("utf-16-le"))
    return path


def _docx_renamed(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return path


def _ods(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    return path


def _zip_bomb(path: Path) -> Path:
    padding = b" " * (8 * 1024 * 1024)
    return _rewrite(_good(path), lambda name, data: data.replace(b"<sheetData>", padding + b"<sheetData>")
                    if name == SHEET else data)


def _far_cell(path: Path) -> Path:
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    return _rewrite(_good(path), lambda name, data: data.replace(b"</sheetData>", far) if name == SHEET else data)


def _entity_expansion(path: Path) -> Path:
    dtd = b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
    return _rewrite(_good(path), lambda name, data: dtd + data.split(b"?>", 1)[-1]
                    if name == "xl/workbook.xml" else data)


def _missing_sheet_part(path: Path) -> Path:
    _good(path)
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist() if info.filename != SHEET}
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


CASES = [
    ("empty", _empty, "文件是空的（0 字节）"),
    ("csv", _csv, "这是文本文件（如 CSV），不是 Excel 工作簿；请在 Excel 中另存为 .xlsx"),
    ("html", _html, "这是网页或 XML 文件，只是扩展名为 .xlsx；请在 Excel 中另存为 .xlsx"),
    ("truncated", _truncated, "文件已损坏，不是完整的 Excel 工作簿（BadZipFile）"),
    ("password", _encrypted, "工作簿有密码保护，无法读取；请取消密码后重新提交"),
    ("broken-xls", _broken_xls, "文件已损坏或不是有效的工作簿，无法读取（供技术人员参考："),
    ("ole-not-workbook", _ole_not_workbook, "这是 Office 复合文档，但其中没有 Excel 工作簿（可能是 Word 文档改了扩展名）"),
    ("docx", _docx_renamed, "压缩包里没有 Excel 工作簿（缺少 xl/workbook.xml），可能是改了扩展名的其他文件"),
    ("broken-ods", _ods, "文件已损坏或不是有效的工作簿，无法读取（供技术人员参考："),
    ("zip-bomb", _zip_bomb, "压缩比异常"),
    ("far-cell", _far_cell, "工作表范围过大（1048576 行 × 16384 列），超出可处理的上限（1000000 行、1000 列）"),
    ("entity", _entity_expansion, "工作簿内部文件 xl/workbook.xml 含有 DTD 声明，出于安全原因不予读取"),
    ("missing-part", _missing_sheet_part, "文件已损坏或不是有效的工作簿，无法读取（供技术人员参考："),
]


@pytest.mark.parametrize(("make", "reason"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_unreadable_file_is_one_finding_with_its_reason(tmp_path: Path, make: Callable[[Path], Path],
                                                        reason: str) -> None:
    report = validate_file(make(tmp_path / "submitted.xlsx"))
    assert report.form is None and not report.valid
    [(cell, code, message)] = report.flatten("cell", "code", "message")
    assert (cell, code) == (None, "unreadable_file")
    assert reason in message


def test_a_wps_et_in_its_own_format_is_refused_with_the_reason(tmp_path: Path) -> None:
    report = validate_file(_ole_not_workbook(tmp_path / "签到簿.et"))
    assert report.flatten("code", "message") == [("unreadable_file", (
        "这个 WPS 表格（.et）文件是 WPS 自有格式，不是 Excel 97-2003 兼容格式，无法直接读取；"
        "请在 WPS 中另存为 .xlsx 后重新提交"))]


def test_empty_styled_cell_far_away_is_no_reason_to_refuse(tmp_path: Path) -> None:
    far = b'<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>'
    path = _rewrite(_good(tmp_path / "x.xlsx"), lambda name, data: data.replace(b"</sheetData>", far)
                    if name == SHEET else data)
    assert validate_file(path).flatten("code") == []


def test_reader_raises_its_own_error_for_fill_and_report(tmp_path: Path) -> None:
    with pytest.raises(WorkbookReadError, match="文件是空的") as caught:
        read_workbook(_empty(tmp_path / "x.xlsx"))
    assert caught.value.code == "unreadable_file"


def test_guard_refuses_a_lying_size_by_the_crc(tmp_path: Path) -> None:
    path = _good(tmp_path / "x.xlsx")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(SHEET)
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 10] ^= 0xFF  # damage the compressed sheet
    path.write_bytes(bytes(data))
    [(code, message)] = validate_file(path).flatten("code", "message")
    assert code == "unreadable_file" and "损坏" in message
