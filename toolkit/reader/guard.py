"""The unreadable-file guard: refuse what is not a sound, reasonably sized workbook before parsing it.

A workbook is an .xlsx/.xlsm, .xlsb or .ods (zip) or an Excel 97-2003 .xls (OLE/CFB; see
``formats``). Everything here looks at the raw bytes and the zip directory, never through an
XML parser, so that a hostile file is refused in bounded time and memory: an
empty or text file, a password-protected or non-workbook OLE file, a corrupt
zip, a zip bomb (declared sizes and compression ratios), XML with a DOCTYPE
(entity expansion) anywhere in a part and in any encoding, a shared
string table declaring more strings than it can hold, and a sheet whose cells
reach absurdly far (the value reader allocates the rectangle spanned by the cells
holding values; empty styled cells cost nothing and are not counted). The reader
opens whatever part the workbook's relationships name as a sheet, so every part
is scanned as if it were one, whatever its name. Each refusal is a
``WorkbookReadError`` with a Chinese reason.
"""

from __future__ import annotations

import codecs
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from manualkit.toolkit.errors import WorkbookReadError
from manualkit.toolkit.files import not_regular
from manualkit.toolkit.reader.formats import check_compound_file, zip_format

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
_ZIP_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)


def _fast_inflater() -> tuple[Callable[[int], Any] | None, tuple[type[Exception], ...]]:
    """Return ISA-L's raw-deflate decompressor and its error, if installed (``zlib``'s is used otherwise).

    The guard inflates every part of a workbook before calamine does (a 100,000-row sheet is
    70 MB of XML): ISA-L inflates at more than twice zlib's pace, the same bytes.
    """
    try:
        from isal import isal_zlib
    except ImportError:  # (a platform without its wheel)
        return None, ()
    error: type[Exception] = isal_zlib.error  # type: ignore[assignment]  # the stubs call the class an instance
    return isal_zlib.decompressobj, (error,)


_FAST_INFLATE, _FAST_ERRORS = _fast_inflater()
_ZIP_ERRORS += _FAST_ERRORS
_ROW = re.compile(rb'<row[^>]*?\sr="(\d+)"')
_CELL_ROW = re.compile(rb'<c r="[A-Z]+(\d+)"')
# A cell Excel would not write: a prefixed element, or a <c> not starting with r="A1" (other order, quotes, case).
# Two patterns, each starting with its own literal so that the regex engine skips ahead to it;
# the prefixed one only runs on a chunk that has a ":c" at all.
_ODD_CELL = re.compile(rb'<c(?=[\s/>])(?! r="[A-Z]{1,3}\d{1,7}")')
_PREFIXED_CELL = re.compile(rb'<[\w.-]+:c[\s/>]')
# A cell that is not plain Excel in columns A-Z below row 1,000,000: one pass finds whether a
# chunk needs the two checks above at all (a form's sheet has no such cell).
_NOT_PLAIN_CELL = re.compile(rb'<c(?=[\s/>])(?! r="[A-Z]\d{1,6}")')
_TAG = re.compile(rb"<(/?)(?:[\w.-]+:)?(row|c)(?=[\s/>])([^>]*?)(/?)>")
_R_ATTRIBUTE = re.compile(rb"""(?:^|\s)r\s*=\s*["']\s*([A-Za-z]*)(\d*)""")
_DOCTYPE = b"<!DOCTYPE"
_DECLARED_ENCODING = re.compile(rb'^<\?xml[^>]*?encoding\s*=\s*["\']([A-Za-z0-9._-]+)')
_UTF8_NAMES = {b"utf-8", b"utf8", b"us-ascii", b"ascii"}
_BYTE_ORDER_MARKS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_WIDE_WITHOUT_MARK = ((b"<\x00\x00\x00", "utf-32-le"), (b"\x00\x00\x00<", "utf-32-be"),
                      (b"<\x00", "utf-16-le"), (b"\x00<", "utf-16-be"))
_SHARED_STRINGS = re.compile(rb'<(?:\w+:)?sst\b[^>]*?\suniqueCount="(\d+)"')
_NOT_XML = ("xl/media/", "xl/embeddings/")  # pictures and embedded files: no reader parses them as XML
# A cell holding a value (not "<c .../>") beyond column Z or at row 1,000,000 or beyond.
_UNUSUAL_CELL = re.compile(rb'<c r="(?=[A-Z]{2}|[A-Z]\d{7})([A-Z]+)(\d+)"[^>]*(?<!/)>')


def check_readable(path: Path) -> None:
    """Raise ``WorkbookReadError`` unless ``path`` looks like a sound .xlsx of sane size."""
    if problem := not_regular(path):
        raise WorkbookReadError(problem)
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
        kind = "error" if isinstance(exc, _FAST_ERRORS) else type(exc).__name__  # ISA-L's as zlib's: same text
        raise WorkbookReadError(f"文件已损坏，不是完整的 Excel 工作簿（{kind}）") from exc


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
        if not info.is_dir():
            _check_member(archive, info)


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


def _check_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse DTDs (entity expansion) and cells that reach absurdly far, in whatever encoding the part is."""
    xml = not info.filename.startswith(_NOT_XML)
    last_row, max_column = 0, 1
    walk = _CellWalk()
    for index, chunk in enumerate(_chunks(archive, info, transcode=xml)):
        if index == 0:
            _check_shared_strings(info, chunk)
        if xml and _DOCTYPE in chunk:
            raise WorkbookReadError(f"工作簿内部文件 {info.filename} 含有 DTD 声明，出于安全原因不予读取")
        plain = not _NOT_PLAIN_CELL.search(chunk)  # usually: Excel's cells, columns A-Z, rows below 1,000,000
        if walk.started or _odd_cell(chunk, plain):  # written unlike Excel: follow every cell from here on
            last_row, max_column = walk.extent(chunk, last_row, max_column)
        else:
            last_row = max(last_row, _last_row(chunk))
            if not plain:
                for letters, digits in set(_UNUSUAL_CELL.findall(chunk)):
                    last_row, max_column = max(last_row, int(digits)), max(max_column, _column_number(letters))
        _check_extent(last_row, max_column)


def _odd_cell(chunk: bytes, plain: bool = False) -> bool:
    """Return whether ``chunk`` holds a cell Excel would not write (prefixed, or not starting with r="A1").

    ``plain``: ``_NOT_PLAIN_CELL`` found nothing in it, so no unprefixed cell is odd.
    """
    prefixed = b":" in chunk and b":c" in chunk  # (a sheet has few colons: memchr finds there is none at once)
    return bool((not plain and _ODD_CELL.search(chunk)) or (prefixed and _PREFIXED_CELL.search(chunk)))


class _CellWalk:
    """Follow every row and cell tag of a sheet written unlike Excel (prefixed, attributes reordered, no r).

    Slow (a Python step per cell) but exact, as the reader places cells: a cell without ``r`` goes
    right of the one before, a row without ``r`` below the one before; only cells with content count.
    """

    def __init__(self) -> None:
        self.started, self.row, self.column = False, 0, 0

    def extent(self, chunk: bytes, rows: int, columns: int) -> tuple[int, int]:
        """Return the extent so far, walking ``chunk``."""
        self.started = True
        for match in _TAG.finditer(chunk):
            closing, name, attributes, empty = match.groups()
            if closing:
                continue
            where = _R_ATTRIBUTE.search(attributes)
            letters, digits = (where[1].upper(), where[2]) if where else (b"", b"")
            if name == b"row":
                self.row, self.column = (int(digits) if digits else self.row + 1), 0
                continue
            self.column = _column_number(letters) if letters else self.column + 1
            self.row = int(digits) if digits else max(self.row, 1)
            if not empty:
                rows, columns = max(rows, self.row), max(columns, self.column)
        return rows, columns


def _encoding(name: str, head: bytes) -> str | None:
    """Return the encoding of an XML part that is not UTF-8 (by its byte order mark or declaration), else None.

    Excel writes UTF-8, but other parts (customXml) may come in UTF-16: such a part is read
    as text and checked as UTF-8, so that a DOCTYPE or a far cell cannot hide in another encoding.
    """
    for mark, codec in _BYTE_ORDER_MARKS:
        if head.startswith(mark):
            return codec
    for mark, codec in _WIDE_WITHOUT_MARK:
        if head.startswith(mark):
            return codec
    declared = _DECLARED_ENCODING.match(head.removeprefix(b"\xef\xbb\xbf"))
    if not declared or declared[1].lower() in _UTF8_NAMES:
        return None
    try:
        return codecs.lookup(declared[1].decode("ascii")).name
    except LookupError:
        raise WorkbookReadError(f"工作簿内部文件 {name} 的编码 {declared[1].decode('ascii')} 无法识别") from None


def _check_shared_strings(info: zipfile.ZipInfo, head: bytes) -> None:
    """Refuse a shared string table that declares more strings than its size can hold (the reader reserves them)."""
    declared = _SHARED_STRINGS.search(head[:4096])
    if declared and int(declared[1]) > info.file_size:
        raise WorkbookReadError(
            f"工作簿内部文件 {info.filename} 声明了 {int(declared[1])} 个字符串，与内容不符，疑似恶意文件")


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


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, transcode: bool = False) -> Iterator[bytes]:
    """Yield the member in chunks that never cut a tag; zipfile stops at the declared size and checks the CRC.

    A tag left open at a chunk's end goes whole into the next chunk (one longer than a chunk is
    refused), so every pattern looked for is seen whole. With ``transcode``, a part in another
    encoding than UTF-8 is yielded re-encoded in UTF-8.
    """
    pending, decoder = b"", None
    with archive.open(info) as stream:
        inflate = _FAST_INFLATE if info.compress_type == zipfile.ZIP_DEFLATED else None
        if inflate is not None and hasattr(stream, "_decompressor"):
            # zipfile's private decompressor swapped for one with the same interface: its own checks
            # (stop at the declared size, the CRC) are kept.
            stream._decompressor = inflate(-zlib.MAX_WBITS)
        for index, block in enumerate(iter(lambda: stream.read(_CHUNK), b"")):
            if transcode and index == 0 and (codec := _encoding(info.filename, block)):
                decoder = codecs.getincrementaldecoder(codec)()
            if decoder is not None:
                block = decoder.decode(block).encode("utf-8", "surrogatepass")
            data = pending + block
            if (cut := data.rfind(b"<")) > data.rfind(b">"):  # the chunk ends inside a tag
                data, pending = data[:cut], data[cut:]
            else:
                pending = b""
            if len(pending) > _CHUNK:
                raise WorkbookReadError(f"工作簿内部文件 {info.filename} 中有超过 1 MB 的标签，疑似恶意文件")
            yield data
    if pending:
        yield pending


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number
