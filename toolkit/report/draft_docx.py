"""The Word draft of the monthly report: the filled form, then the figures behind it.

The form is the monthly-report template filled by ``manualkit.toolkit.render.docx``; the
appendix (on a new page) holds the figures behind it, one line per customer
rather than per visit, each figure with the file and rows it was counted from.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.shared import Pt

from manualkit.schemas.monthly_report import MonthlyReport
from manualkit.toolkit import wordxml
from manualkit.toolkit.files import safe_filename, save_atomically
from manualkit.toolkit.numbers import shown_number
from manualkit.toolkit.registry import get_form
from manualkit.toolkit.render.context import clean_text
from manualkit.toolkit.render.docx import WordTemplate
from manualkit.toolkit.report.draft_appendix import Section, word_appendix
from manualkit.toolkit.report.draft_xlsx import write_draft_xlsx
from manualkit.toolkit.report.monthly import MonthlyDraft
from manualkit.toolkit.textwidth import display_width

_BODY_HALF_POINTS = 18  # 9 pt


def write_draft_docx(draft: MonthlyDraft, out: Path) -> Path:
    """Write the Word draft of ``draft`` to ``out`` atomically and return ``out``."""
    record = draft.check.record
    assert isinstance(record, MonthlyReport), "only a draft with sound fields is written"
    document = Document(io.BytesIO(WordTemplate(get_form("monthly-report"), draft.policy).render(record)))
    _add_appendix(document, word_appendix(draft))
    save_atomically(document.save, out)
    return out


def _add_appendix(document: DocumentType, sections: list[Section]) -> None:
    document.add_section()  # on a new page
    _heading(document, "附：月度报告数据明细（每个数字后注明来源文件和行）", Pt(14))
    for section in sections:
        _heading(document, section.title, Pt(11))
        _table(document, section)


def _heading(document: DocumentType, text: str, size: Pt) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.space_before = Pt(6)
    run = paragraph.add_run(text)
    run.bold, run.font.size = True, size


def _table(document: DocumentType, section: Section) -> None:
    """Add ``section`` as a bordered table whose header row repeats on every page.

    The table is built with ``manualkit.toolkit.wordxml`` in one piece: python-docx adds rows
    and runs one element at a time, which takes seconds for a month of visits.
    """
    if not section.rows:
        document.add_paragraph("（无）")
        return
    texts = [[_shown(v, label) for v, label in zip(values, section.columns, strict=True)] for values in section.rows]
    widths = _widths(section.columns, texts, _text_width(document))
    tbl = wordxml.table(None, widths, border_colour="808080", cell_margin_twips=57)
    for line, header in [(list(section.columns), True), *((line, False) for line in texts)]:
        tr = wordxml.table_row(tbl, heading=header)
        for text, width in zip(line, widths, strict=True):
            p = wordxml.paragraph(exact_line_twips=220)  # 11 pt lines
            wordxml.table_cell(tr, width).append(p)
            wordxml.run(p, clean_text(text).replace("\n", " "), bold=header, half_points=_BODY_HALF_POINTS)
    body = document.element.body
    if body.sectPr is not None:  # the last section's properties stay last
        body.sectPr.addprevious(tbl)
    else:
        body.append(tbl)


_TWIPS_PER_CELL = _BODY_HALF_POINTS * 10 * 0.7  # a half-width character at the body size (DejaVu digits are wide)
_PADDING = 140  # twips: the cell's left and right margins and its borders
_LONGEST = 48  # half-width characters: a longer text wraps rather than widen its column further
_NARROW = 10  # half-width characters: a column this narrow (numbers, codes) is never squeezed


def _text_width(document: DocumentType) -> int:
    """Return the width between the last section's margins, in twips."""
    section = document.sections[-1]
    width, left, right = section.page_width, section.left_margin, section.right_margin
    assert width is not None and left is not None and right is not None  # the template sets the page
    return int((width - left - right) / 635)  # EMU to twips


def _widths(columns: Sequence[str], texts: list[list[str]], total: int) -> list[int]:
    """Return column widths in twips that fill ``total``: each column as wide as its longest text.

    A label may wrap twice. When the texts are too wide together, only the wide columns give way.
    """
    cells = []
    for index, label in enumerate(columns):
        longest = max((display_width(line[index]) for line in texts), default=0)
        cells.append(min(max(longest, -(-display_width(label) // 3), 4), _LONGEST))
    wanted = [count * _TWIPS_PER_CELL + _PADDING for count in cells]
    spare = total - sum(wanted)
    if spare >= 0:
        return [int(width * total / sum(wanted)) for width in wanted]
    give = [max(width - (_NARROW * _TWIPS_PER_CELL + _PADDING), 0) for width in wanted]
    return [int(width + spare * share / sum(give)) for width, share in zip(wanted, give, strict=True)]


def _shown(value: object, label: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return shown_number(value, label)
    return str(value)


def write_draft(draft: MonthlyDraft, outdir: Path, formats: tuple[str, ...] = ("docx", "xlsx")) -> list[Path]:
    """Write the draft in ``formats`` into ``outdir``; return the files in that order."""
    stem = safe_filename(f"{MonthlyReport.form_title}-{draft.data['manager']}-{draft.data['month']}")
    writers = {"docx": write_draft_docx, "xlsx": write_draft_xlsx}
    return [writers[kind](draft, outdir / f"{stem}.{kind}") for kind in formats]
