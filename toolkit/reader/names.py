"""Defined names of a workbook, read from ``xl/workbook.xml`` with an entity-safe parser.

The value reader (calamine) does not expose defined names, and openpyxl would
load the whole workbook to get them; the names live in one small XML part, so
we read that part directly, through defusedxml.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from defusedxml import ElementTree

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REFERENCE = re.compile(r"^(?:'((?:[^']|'')+)'|([^!']+))!\$?([A-Z]{1,3})\$?(\d+)(?::\$?[A-Z]{1,3}\$?\d+)?$")


@dataclass(frozen=True, slots=True)
class NamedCell:
    """Where a defined name points: a sheet and a 0-based row and column (the range's first cell)."""

    sheet: str
    row: int
    column: int


def defined_names(path: Path) -> dict[str, NamedCell]:
    """Return the workbook's defined names that point at one cell or range on a sheet.

    Names that are not plain references (formulas, constants, several areas,
    Excel's own ``_xlnm.`` names) are left out. Other formats (.xls, .xlsb, .ods) have
    none here: their header values are found by label.
    """
    if not zipfile.is_zipfile(path):
        return {}
    with zipfile.ZipFile(path) as archive:
        if "xl/workbook.xml" not in archive.namelist():
            return {}
        root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheets = [sheet.get("name", "") for sheet in root.iter(f"{_NS}sheet")]
    found: dict[str, NamedCell] = {}
    for element in root.iter(f"{_NS}definedName"):
        name = element.get("name", "")
        target = _parse_reference((element.text or "").strip())
        scope = element.get("localSheetId")
        if name.startswith("_xlnm.") or target is None:
            continue
        if scope is not None and not (scope.isdigit() and int(scope) < len(sheets)):
            continue
        found.setdefault(name, target)
    return found


def _parse_reference(text: str) -> NamedCell | None:
    match = _REFERENCE.match(text)
    if not match:
        return None
    quoted, plain, letters, number = match.groups()
    sheet = quoted.replace("''", "'") if quoted else plain
    return NamedCell(sheet, int(number) - 1, column_index(letters))


def column_index(letters: str) -> int:
    """Return the 0-based column index of ``letters`` (``A`` → 0, ``AA`` → 26)."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1


def column_letters(index: int) -> str:
    """Return the letters of the 0-based column ``index`` (0 → ``A``)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_name(row: int, column: int) -> str:
    """Return the A1 name of the cell at 0-based ``row`` and ``column``."""
    return f"{column_letters(column)}{row + 1}"
