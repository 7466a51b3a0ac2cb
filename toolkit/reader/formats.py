"""Which spreadsheet format a file is, told from its bytes, not its name.

Offices save .xls, .ods and WPS's .et as often as .xlsx; calamine reads
Excel 97-2003 (BIFF, an OLE compound file), .xlsb and .ods as well as .xlsx, so
all of them are validated. Only .xlsx (and .xlsm) keep defined names in a part we
read (``xl/workbook.xml``); in the others a header value is found by its label.
A WPS .et is an OLE file too: when it holds a BIFF ``Workbook`` stream it is read
as an .xls, otherwise it is refused with the reason.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from manualkit.toolkit.errors import WorkbookReadError

XLSX, XLSB, ODS, XLS = "xlsx", "xlsb", "ods", "xls"
# The names a spreadsheet is saved under (a folder scan takes these); what it is, its bytes tell.
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".et", ".ods")

_CHUNK = 1024 * 1024
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
# A BIFF workbook's stream, as the compound file's directory names it (BIFF8, then BIFF5).
_BIFF_STREAMS = tuple(f"{name}\0".encode("utf-16-le") for name in ("Workbook", "Book"))


def zip_format(archive: zipfile.ZipFile) -> str | None:
    """Return the spreadsheet format of a zip archive, or None if it holds no workbook."""
    names = set(archive.namelist())
    if "xl/workbook.xml" in names:
        return XLSX
    if "xl/workbook.bin" in names:
        return XLSB
    if "mimetype" in names and archive.read("mimetype").strip() == b"application/vnd.oasis.opendocument.spreadsheet":
        return ODS
    return None


def check_compound_file(path: Path) -> None:
    """Accept an OLE compound file holding a BIFF workbook (.xls, an .et saved as one); refuse others.

    Raises:
        WorkbookReadError: the workbook is password-protected, or the file holds no BIFF
            workbook (a Word .doc, an .et in WPS's own format): the reason, in Chinese.
    """
    found = _streams(path)
    if _ENCRYPTED in found:
        raise WorkbookReadError("工作簿有密码保护，无法读取；请取消密码后重新提交")
    if not found & set(_BIFF_STREAMS):
        if path.suffix.lower() == ".et":
            raise WorkbookReadError("这个 WPS 表格（.et）文件是 WPS 自有格式，不是 Excel 97-2003 兼容格式，"
                                    "无法直接读取；请在 WPS 中另存为 .xlsx 后重新提交")
        raise WorkbookReadError("这是 Office 复合文档，但其中没有 Excel 工作簿（可能是 Word 文档改了扩展名）；"
                                "请在 Excel 或 WPS 中另存为 .xlsx 后重新提交")


def _streams(path: Path) -> set[bytes]:
    """Return which of the stream names we look for the file contains (a byte scan, bounded in memory)."""
    wanted = (_ENCRYPTED, *_BIFF_STREAMS)
    found: set[bytes] = set()
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            window = tail + chunk
            found |= {name for name in wanted if name in window}
            tail = chunk[-len(_ENCRYPTED):]
    return found
