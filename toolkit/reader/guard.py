"""The unreadable-file guard: refuse what is not a sound, reasonably sized workbook before parsing it.

A workbook is an .xlsx/.xlsm, .xlsb or .ods (zip) or an Excel 97-2003 .xls (OLE/CFB; see
``formats``). Everything here looks at the raw bytes and the zip directory, never through an
XML parser, so that a hostile file is refused in bounded time and memory: an
empty or text file, a password-protected or non-workbook OLE file, a corrupt
zip, a zip bomb (declared sizes and compression ratios), XML with a DOCTYPE
(entity expansion), and a sheet whose cells reach absurdly far (the value
reader allocates the rectangle spanned by the cells holding values; empty styled
cells cost nothing and are not counted). Each refusal is a
``WorkbookReadError`` with a Chinese reason.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from toolkit.errors import WorkbookReadError
from toolkit.reader.formats import check_compound_file, zip_format

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200  # a member more compressed than this (and large) is a zip bomb
RATIO_CHECKED_FROM = 1024 * 1024
MAX_MEMBERS = 10_000
MAX_ROWS = 1_000_000
MAX_COLUMNS = 1_000
MAX_CELLS = 20_000_000  # rows x columns of the rectangle a sheet spans

_ZIP_MAGIC = b"PK\x03\x04"
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 1024 * 1024
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)
_ROW = re.compile(rb'<row[^>]*?\sr="(\d+)"')
_CELL_ROW = re.compile(rb'<c r="[A-Z]+(\d+)"')
# A cell holding a value (not "<c .../>") beyond column Z or at row 1,000,000 or beyond.
_UNUSUAL_CELL = re.compile(rb'<c r="(?=[A-Z]{2}|[A-Z]\d{7})([A-Z]+)(\d+)"[^>]*(?<!/)>')


def check_readable(path: Path) -> None:
    """Raise ``WorkbookReadError`` unless ``path`` looks like a sound .xlsx of sane size."""
    size = path.stat().st_size
    if size == 0:
        raise WorkbookReadError("文件是空的（0 字节）")
    if size > MAX_FILE_BYTES:
        raise WorkbookReadError(f"文件过大（{size // 1024 // 1024} MB，上限 {MAX_FILE_BYTES // 1024 // 1024} MB）")
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(_CFB_MAGIC):
        check_compound_file(path)  # an .xls: calamine reads it; its size is bounded above
        return
    if not head.startswith(_ZIP_MAGIC):
        raise WorkbookReadError(_not_zip_reason(head))
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(archive)
    except _ZIP_ERRORS as exc:
        raise WorkbookReadError(f"文件已损坏，不是完整的 Excel 工作簿（{type(exc).__name__}）") from exc


def _not_zip_reason(head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml")):
        return "这是网页或 XML 文件，只是扩展名为 .xlsx；请在 Excel 中另存为 .xlsx"
    if b"\x00" not in head:
        return "这是文本文件（如 CSV），不是 Excel 工作簿；请在 Excel 中另存为 .xlsx"
    return "不是 Excel 工作簿（文件格式无法识别）"


def _check_archive(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if zip_format(archive) is None:
        raise WorkbookReadError("压缩包里没有 Excel 工作簿（缺少 xl/workbook.xml），可能是改了扩展名的其他文件")
    _check_sizes(members)
    for info in members:
        if info.filename.endswith((".xml", ".rels", ".vml")):
            _check_xml_member(archive, info)


def _check_sizes(members: list[zipfile.ZipInfo]) -> None:
    """Refuse zip bombs from the sizes the archive declares (checked again while reading)."""
    if len(members) > MAX_MEMBERS:
        raise WorkbookReadError(f"工作簿内部文件过多（{len(members)} 个），疑似恶意文件")
    if sum(info.file_size for info in members) > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookReadError("工作簿解压后过大（超过 1 GB），疑似压缩炸弹")
    for info in members:
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > RATIO_CHECKED_FROM and ratio > MAX_RATIO:
            raise WorkbookReadError(f"工作簿内部文件 {info.filename} 压缩比异常（{ratio} 倍），疑似压缩炸弹")


def _check_xml_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse DTDs (entity expansion) and, in worksheets, cells that reach absurdly far."""
    is_sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
    last_row, max_column = 0, 1
    for index, chunk in enumerate(_chunks(archive, info)):
        if index == 0 and b"<!DOCTYPE" in chunk[:4096]:
            raise WorkbookReadError(f"工作簿内部文件 {info.filename} 含有 DTD 声明，出于安全原因不予读取")
        if not is_sheet:
            return
        last_row = max(last_row, _last_row(chunk))
        for letters, digits in set(_UNUSUAL_CELL.findall(chunk)):  # usually none: one regex pass per chunk
            last_row, max_column = max(last_row, int(digits)), max(max_column, _column_number(letters))
        _check_extent(last_row, max_column)


def _last_row(chunk: bytes) -> int:
    """Return the row of the chunk's last cell holding a value (rows come in order)."""
    end = chunk.rfind(b"</c>")  # a cell with a value; an empty styled cell is "<c .../>" and costs nothing
    if end < 0:
        return 0
    for opening, pattern in ((b'<c r="', _CELL_ROW), (b"<row ", _ROW)):  # cells may leave out their r
        start = chunk.rfind(opening, 0, end)
        if start >= 0 and (match := pattern.match(chunk, start)):
            return int(match[1])
    return 0


def _check_extent(rows: int, columns: int) -> None:
    if rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
        raise WorkbookReadError(
            f"工作表范围过大（{rows} 行 × {columns} 列），超出可处理的上限（{MAX_ROWS} 行、{MAX_COLUMNS} 列）"
        )


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """Yield the member in overlapping chunks; zipfile stops at the declared size and checks the CRC."""
    tail = b""
    with archive.open(info) as stream:
        while block := stream.read(_CHUNK):
            yield tail + block
            tail = block[-64:]


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number
