"""The Word draft of the monthly report: the filled form, then the figures behind it.

The form is the monthly-report template filled by ``toolkit.render.docx``; the
appendix (on a new page) holds the same tables as the Excel draft's figures
sheet, each figure with the file and rows it was counted from.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.shared import Pt

from schemas.monthly_report import MonthlyReport
from toolkit.files import atomic_output, safe_filename
from toolkit.registry import get_form
from toolkit.render.docx import WordTemplate
from toolkit.report.appendix import Section, appendix
from toolkit.report.draft import money, number
from toolkit.report.monthly import MonthlyDraft
from toolkit.report.workbook import write_draft_xlsx

_BODY_SIZE = Pt(9)


def write_draft_docx(draft: MonthlyDraft, out: Path) -> Path:
    """Write the Word draft of ``draft`` to ``out`` atomically and return ``out``."""
    record = draft.check.record
    assert isinstance(record, MonthlyReport), "only a draft with sound fields is written"
    document = Document(io.BytesIO(WordTemplate(get_form("monthly-report")).render(record)))
    _add_appendix(document, appendix(draft))
    with atomic_output(out) as temporary:
        document.save(str(temporary))
    return out


def _add_appendix(document: DocumentType, sections: list[Section]) -> None:
    _landscape(document)  # a new section starts on a new page
    _heading(document, "附：月度报告数据明细（每个数字后注明来源文件和行）", Pt(14))
    for section in sections:
        _heading(document, section.title, Pt(11))
        _table(document, section)


def _landscape(document: DocumentType) -> None:
    """Start a landscape section on a new page: the appendix tables are wide."""
    section = document.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    width, height = section.page_width, section.page_height
    if width is not None and height is not None and width < height:
        section.page_width, section.page_height = height, width


def _heading(document: DocumentType, text: str, size: Pt) -> None:
    run = document.add_paragraph().add_run(text)
    run.bold, run.font.size = True, size


def _table(document: DocumentType, section: Section) -> None:
    if not section.rows:
        document.add_paragraph("（无）")
        return
    table = document.add_table(rows=1, cols=len(section.columns))
    if "Table Grid" in [style.name for style in document.styles]:
        table.style = document.styles["Table Grid"]
    for cell, label in zip(table.rows[0].cells, section.columns, strict=True):
        _cell_text(cell, label, bold=True)
    for values in section.rows:
        for cell, value, label in zip(table.add_row().cells, values, section.columns, strict=True):
            _cell_text(cell, _shown(value, label), bold=False)


def _cell_text(cell: object, text: str, *, bold: bool) -> None:
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    run = paragraph.add_run(text)
    run.bold, run.font.size = bold, _BODY_SIZE


def _shown(value: object, label: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return money(value) if "元" in label else number(value)
    return str(value)


def write_draft(draft: MonthlyDraft, outdir: Path, formats: tuple[str, ...] = ("docx", "xlsx")) -> list[Path]:
    """Write the draft in ``formats`` into ``outdir``; return the files in that order."""
    stem = safe_filename(f"{MonthlyReport.form_title}-{draft.data['manager']}-{draft.data['month']}")
    writers = {"docx": write_draft_docx, "xlsx": write_draft_xlsx}
    return [writers[kind](draft, outdir / f"{stem}.{kind}") for kind in formats]
