"""The sign-in book's Word template, for the docxtpl peer and ``manualkit fill --format docx``.

The real template is ``forms/sign_in_book/template.docx`` once the rendering work has landed.
Until then ``stand_in`` writes one to the same contract (header values by field name, a table
whose rows loop over ``rows``), so the peer's loop can be measured today on a document of the
same shape: a landscape A4 page, a title, a header line and a nine-column table.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt

from bench.workbook import FORM, HEADER_FIELDS, ROW_LABELS


def sign_in_template(folder: Path) -> Path:
    """Return the real Word template of the sign-in book, or a stand-in written in ``folder``."""
    real = FORM.template(".docx")
    if real is not None and Path(real).is_file():
        return Path(real)
    folder.mkdir(parents=True, exist_ok=True)
    return stand_in(folder / "stand-in-template.docx")


def stand_in(path: Path) -> Path:
    """Write a docxtpl template of the sign-in book at ``path`` and return it."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    document.styles["Normal"].font.size = Pt(10.5)
    document.add_heading(FORM.title, level=1)
    document.add_paragraph("    ".join(f"{FORM.model.label(name)}：{{{{ {name} }}}}" for name in HEADER_FIELDS))
    names = list(ROW_LABELS)
    table = document.add_table(rows=4, cols=len(names))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, ROW_LABELS.values(), strict=True):
        cell.text = label
    table.rows[1].cells[0].text = "{%tr for row in rows %}"
    for cell, name in zip(table.rows[2].cells, names, strict=True):
        cell.text = f"{{{{ row.{name} | join('、') }}}}" if name == "work_items" else f"{{{{ row.{name} }}}}"
    table.rows[3].cells[0].text = "{%tr endfor %}"
    document.save(path)
    return path
