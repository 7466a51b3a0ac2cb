"""The Word draft of the monthly report: the filled form, then the figures behind it.

The form is the monthly-report template filled by ``toolkit.render.docx``; the
appendix (on a new page) holds the same tables as the Excel draft's figures
sheet, each figure with the file and rows it was counted from.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt

from schemas.monthly_report import MonthlyReport
from toolkit.files import safe_filename, save_atomically
from toolkit.registry import get_form
from toolkit.render.context import clean_text
from toolkit.render.docx import WordTemplate
from toolkit.report.appendix import Section, appendix
from toolkit.report.draft import money, number
from toolkit.report.monthly import MonthlyDraft
from toolkit.report.workbook import write_draft_xlsx

_BODY_HALF_POINTS = 18  # 9 pt


def write_draft_docx(draft: MonthlyDraft, out: Path) -> Path:
    """Write the Word draft of ``draft`` to ``out`` atomically and return ``out``."""
    record = draft.check.record
    assert isinstance(record, MonthlyReport), "only a draft with sound fields is written"
    document = Document(io.BytesIO(WordTemplate(get_form("monthly-report")).render(record)))
    _add_appendix(document, appendix(draft))
    save_atomically(document.save, out)
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
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    run = paragraph.add_run(text)
    run.bold, run.font.size = True, size


def _table(document: DocumentType, section: Section) -> None:
    """Add ``section`` as a bordered table whose header row repeats on every page.

    The table is written as WordprocessingML in one piece: python-docx adds rows
    and runs one element at a time, which takes seconds for a month of visits.
    """
    if not section.rows:
        document.add_paragraph("（无）")
        return
    rows = [_row_xml(section.columns, header=True)]
    rows += [_row_xml([_shown(v, label) for v, label in zip(values, section.columns, strict=True)], header=False)
             for values in section.rows]
    grid = "<w:gridCol/>" * len(section.columns)
    xml = (f"<w:tbl {nsdecls('w')}><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/>{_BORDERS}</w:tblPr>"
           f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>")
    body = document.element.body
    if body.sectPr is not None:  # the last section's properties stay last
        body.sectPr.addprevious(parse_xml(xml))
    else:
        body.append(parse_xml(xml))


_BORDERS = "<w:tblBorders>" + "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
) + "</w:tblBorders>"


_TIGHT = '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'


def _row_xml(texts: Sequence[str], *, header: bool) -> str:
    properties = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else "<w:trPr><w:cantSplit/></w:trPr>"
    bold = "<w:b/>" if header else ""
    cells = "".join(
        f'<w:tc><w:p>{_TIGHT}<w:r><w:rPr>{bold}<w:sz w:val="{_BODY_HALF_POINTS}"/></w:rPr>'
        f'<w:t xml:space="preserve">{escape(clean_text(text))}</w:t></w:r></w:p></w:tc>'
        for text in texts
    )
    return f"<w:tr>{properties}{cells}</w:tr>"


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
