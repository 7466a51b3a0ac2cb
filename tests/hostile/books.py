"""Hostile and broken variants of a valid sign-in book, made by rewriting its zip parts."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from manualkit.toolkit.registry import get_form
from tests.conftest import sample
from tests.filled_workbooks import write_form

SHEET = "xl/worksheets/sheet1.xml"
RELS = "xl/_rels/workbook.xml.rels"
TYPES = "[Content_Types].xml"
# One value cell at ALL1000000: the value reader would allocate 1,000 x 1,000,000 cells (32 GB) and abort.
FAR_ROW = b'<row r="1000000"><c r="ALL1000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'

Change = Callable[[str, bytes], tuple[str, bytes] | bytes | None]


def good(path: Path) -> Path:
    """Write a valid sign-in book (the shipped sample) at ``path``."""
    return write_form(get_form("sign-in-book"), sample("sign-in-book"), path)


def rewrite(path: Path, change: Change) -> Path:
    """Rewrite every part through ``change(name, data)``: new bytes, (new name, bytes), or None to drop it."""
    with zipfile.ZipFile(path) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            changed = change(name, data)
            if changed is None:
                continue
            new_name, new_data = changed if isinstance(changed, tuple) else (name, changed)
            archive.writestr(new_name, new_data)
    return path


def in_sheet(old: bytes, new: bytes) -> Change:
    """Return a change replacing ``old`` by ``new`` in the form's sheet only."""
    return lambda name, data: data.replace(old, new) if name == SHEET else data


def moved_sheet(target: str, far: bytes = FAR_ROW) -> Change:
    """Return a change moving the form's sheet to ``target`` (relationships and content types follow)."""
    def change(name: str, data: bytes) -> tuple[str, bytes] | bytes:
        if name == SHEET:
            return target, data.replace(b"</sheetData>", far)
        if name in (RELS, TYPES):
            return data.replace(SHEET.encode(), target.encode())
        return data
    return change
