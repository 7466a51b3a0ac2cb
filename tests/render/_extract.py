"""What a person reads in a rendered file: text of a Word document, cells of a workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from docx import Document
from docx.table import Table
from openpyxl import load_workbook


def docx_text(path: Path) -> str:
    """Return the document as text: one line per paragraph or table row, in order."""
    document = Document(str(path))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines += ["| " + " | ".join(_cells(row)) + " |" for row in block.rows]
        elif block.text.strip():
            lines.append(block.text.rstrip())
    for section in document.sections:
        lines += [f"[页眉] {p.text}" for p in section.header.paragraphs if p.text.strip()]
        lines += [f"[页脚] {p.text}" for p in section.footer.paragraphs if p.text.strip()]
    return "\n".join(lines) + "\n"


def _cells(row: Any) -> list[str]:
    """Return the texts of a row, a merged cell once."""
    seen, texts = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            texts.append(cell.text.strip().replace("\n", " / "))
    return texts


def xlsx_data(path: Path) -> dict[str, Any]:
    """Return every sheet's cell values, merged ranges, drop-downs and defined names."""
    workbook = load_workbook(path)
    data: dict[str, Any] = {
        "names": {name: str(item.attr_text) for name, item in sorted(workbook.defined_names.items())},
    }
    for sheet in workbook.worksheets:
        data[sheet.title] = {
            "state": sheet.sheet_state,
            "cells": {c.coordinate: _plain(c.value) for row in sheet.iter_rows() for c in row if c.value is not None},
            "merged": sorted(str(r) for r in sheet.merged_cells.ranges),
            "dropdowns": sorted(f"{dv.sqref} {dv.type} {dv.formula1}" for dv in sheet.data_validations.dataValidation),
        }
    return data


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.time) else value
