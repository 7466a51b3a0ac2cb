"""Build each form's Word template (``forms/<form>/template.docx``) from its schema.

A developer tool, not used at run time: ``python -m toolkit.render.scaffold
[FORM...]`` writes the templates, which are then committed and may be edited
in Word like any template. The layout follows the schema: the title, a header
block of labelled fields (long texts on full-width rows with room to write),
the table with one row per record row (header row repeated on every page, rows
never split), choice fields as ☐/☑ boxes with every option. The templates use
only schema names and the helpers of ``toolkit.render.context``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from schemas._base import FormSchema, field_kind, field_options
from toolkit.ooxml import add_field
from toolkit.registry import FormSpec, all_forms, get_form
from toolkit.render import _ooxml
from toolkit.textwidth import display_width

MARGIN_CM = 1.8
BODY_SIZE, TABLE_SIZE, TITLE_SIZE, NOTE_SIZE = 10.5, 9.0, 18.0, 9.0
LABEL_CM = 3.0
POINT_CM = 2.54 / 72
LABEL_FILL = "F2F2F2"
ROW_CM = 0.75  # least height of a table row: room to write by hand
LONG_TEXT_CM = 2.3  # least height of a free-text box
COLUMN_CM = {"date": 2.3, "time": 1.5, "datetime": 3.0, "code": 2.6, "phone": 2.8, "month": 1.8,
             "number": 1.8, "signature": 2.0, "bool": 1.8, "longtext": 4.0, "text": 3.0}
KEEP_STYLES = {"Normal", "TableGrid", "TableNormal", "DefaultParagraphFont", "NoList"}


def build_template(form: FormSpec) -> DocumentObject:
    """Return the Word template of ``form`` as a python-docx document."""
    model = form.model
    document = Document()
    _ooxml.prune_styles(document, KEEP_STYLES)
    _ooxml.set_document_defaults(document, _ooxml.BODY_FONTS, BODY_SIZE)
    _ooxml.set_style_fonts(document.styles["Normal"], _ooxml.BODY_FONTS)
    _ooxml.set_page(document, landscape=model.landscape, margin_cm=MARGIN_CM)
    document.core_properties.title = model.form_title
    document.core_properties.author = "manualkit"
    _add_title(document, model)
    pending: list[str] = []
    for name in [*model.model_fields, *model.derived]:
        if name == model.rows_field:
            _add_header_block(document, model, pending)
            pending = []
            _add_rows_table(document, model)
        else:
            pending.append(name)
    _add_header_block(document, model, pending)
    _add_footer(document, model)
    return document


def write_template(form: FormSpec, out: Path | None = None) -> Path:
    """Build ``form``'s template and save it (to its folder unless ``out`` is given)."""
    out = out or form.folder / "template.docx"
    build_template(form).save(str(out))
    _ooxml.declare_fonts(out)
    return out


# Title and footer


def _add_title(document: DocumentObject, model: type[FormSchema]) -> None:
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(4)
    _run(title, model.form_title, TITLE_SIZE, bold=True, fonts=_ooxml.TITLE_FONTS)
    note = document.add_paragraph()
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    note.paragraph_format.space_after = Pt(8)
    _run(note, f"（依据岗位手册 {model.clause}）", NOTE_SIZE)


def _add_footer(document: DocumentObject, model: type[FormSchema]) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, f"{model.form_title}　第 ", NOTE_SIZE)
    add_field(paragraph, "PAGE", NOTE_SIZE)
    _run(paragraph, " 页，共 ", NOTE_SIZE)
    add_field(paragraph, "NUMPAGES", NOTE_SIZE)
    _run(paragraph, " 页", NOTE_SIZE)


# The header block: label | value | label | value, long texts on rows of their own


def _add_header_block(document: DocumentObject, model: type[FormSchema], names: list[str]) -> None:
    if not names:
        return
    width = _text_width_cm(model)
    table = _table(document, [LABEL_CM, width / 2 - LABEL_CM, LABEL_CM, width / 2 - LABEL_CM])
    free = None  # a row whose right half is still free
    for name in names:
        free = _add_field(table, free, name, *_describe(model, name), width)
    if free is not None:
        _merge(free, 1, 3)
    for row in table.rows:
        _ooxml.keep_row_together(row)
        _least_height(row, ROW_CM)
    _spacer(document)


def _add_field(table: Table, free: _Row | None, name: str, label: str, kind: str,
               options: tuple[str, ...], width: float) -> _Row | None:
    """Add one header field; return the row whose right half is still free, if any."""
    wide = kind == "longtext" or _is_wide(kind, options)
    value = _value_tag(name, kind, options, width - LABEL_CM if wide else width / 2 - LABEL_CM)
    if wide and free is not None:
        _merge(free, 1, 3)  # the right half stays empty: give the value the whole line
    if kind == "longtext":
        _long_text_rows(table, label, value)
        return None
    if wide:
        row = table.add_row()
        _fill_label(row.cells[0], [label])
        _fill(_merge(row, 1, 3), value)
        return None
    if free is not None:
        _fill_label(free.cells[2], [label])
        _fill(free.cells[3], value)
        return None
    row = table.add_row()
    _fill_label(row.cells[0], [label])
    _fill(row.cells[1], value)
    return row


def _long_text_rows(table: Table, label: str, value: list[str]) -> None:
    """Add a shaded label row and, under it, a free-text box the width of the table."""
    _fill_label(_merge(table.add_row(), 0, 3), [label])
    box = table.add_row()
    cell = _merge(box, 0, 3)
    _fill(cell, value)
    cell.vertical_alignment = WD_ALIGN_VERTICAL.TOP  # free text starts at the top of its box
    _least_height(box, LONG_TEXT_CM)


def _describe(model: type[FormSchema], name: str) -> tuple[str, str, tuple[str, ...]]:
    if name in model.derived:
        return model.derived[name], "text", ()
    info = model.model_fields[name]
    return info.title or name, field_kind(info), field_options(info)


def _is_wide(kind: str, options: tuple[str, ...]) -> bool:
    return kind in {"choice", "choices"} and sum(display_width(o) + 3 for o in options) > 24


def _value_tag(expression: str, kind: str, options: tuple[str, ...], width_cm: float,
               size: float = BODY_SIZE) -> list[str]:
    """Return the template lines showing a value: ``{{ name }}``, or tick boxes packed to fit.

    Options are packed whole into lines ``width_cm`` wide so that none is split across lines.
    """
    if kind == "bool":
        options = ("是", "否")
    if kind not in {"choice", "choices", "bool"} or not options:
        return [f"{{{{ {expression} }}}}"]
    capacity = max(int(width_cm / (size * POINT_CM / 2 * 1.05)), 4)  # in half-width character cells
    lines: list[list[str]] = [[]]
    used = 0
    for option in options:
        need = display_width(option) + 4  # the box, the option, a full-width space
        if lines[-1] and used + need > capacity:
            lines.append([])
            used = 0
        lines[-1].append(f"{{{{ tick({expression}, '{option}') }}}}{option}")
        used += need
    return ["　".join(line) for line in lines]


# The table of rows


def _add_rows_table(document: DocumentObject, model: type[FormSchema]) -> None:
    row_model = model.row_model()
    if row_model is None or model.rows_field is None:
        return
    caption = document.add_paragraph()
    _run(caption, model.label(model.rows_field), BODY_SIZE, bold=True, fonts=_ooxml.TITLE_FONTS)
    caption.paragraph_format.keep_with_next = True
    columns = [(name, info.title or name, field_kind(info), field_options(info))
               for name, info in row_model.model_fields.items()]
    widths = [_column_cm(kind, options) for _, _, kind, options in columns]
    scale = _text_width_cm(model) / sum(widths)
    widths = [w * scale for w in widths]
    table = _table(document, widths)
    header = table.add_row()
    for cell, (_, label, _, _) in zip(header.cells, columns, strict=True):
        _fill_label(cell, [label], center=True)
    _ooxml.keep_row_together(header, repeat_as_header=True)
    blank_count = 30 if model.landscape else 5  # two landscape pages; a few lines on a portrait one
    _loop_row(table, f"{{%tr for row in {model.rows_field} or blank_rows({blank_count}) %}}")
    data = table.add_row()
    for cell, width, (name, _, kind, options) in zip(data.cells, widths, columns, strict=True):
        _fill(cell, _value_tag(f"row.{name}", kind, options, width - 0.25, TABLE_SIZE), size=TABLE_SIZE)
    _ooxml.keep_row_together(data)
    _least_height(data, ROW_CM)
    _loop_row(table, "{%tr endfor %}")
    _spacer(document)


def _loop_row(table: Table, tag: str) -> None:
    """Add a row holding only a docxtpl ``{%tr %}`` tag (it vanishes when rendered)."""
    row = table.add_row()
    _merge(row, 0, len(row.cells) - 1).paragraphs[0].add_run(tag)


def _column_cm(kind: str, options: tuple[str, ...]) -> float:
    if kind in {"choice", "choices"}:
        return min(max(0.17 * sum(display_width(o) + 3 for o in options), 1.8), 6.5)
    return COLUMN_CM.get(kind, 3.0)


# Small python-docx helpers


def _text_width_cm(model: type[FormSchema]) -> float:
    return (29.7 if model.landscape else 21.0) - 2 * MARGIN_CM


def _table(document: DocumentObject, widths: list[float]) -> Table:
    table = document.add_table(rows=0, cols=len(widths))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    return table


def _merge(row: _Row, first: int, last: int) -> _Cell:
    return row.cells[first].merge(row.cells[last]) if last > first else row.cells[first]


def _fill_label(cell: _Cell, lines: list[str], *, center: bool = False) -> None:
    _ooxml.shade(cell, LABEL_FILL)
    _fill(cell, lines, bold=True, center=center)


def _fill(cell: _Cell, lines: list[str], *, bold: bool = False, center: bool = False,
          size: float = BODY_SIZE) -> None:
    """Write ``lines`` into ``cell``'s paragraph, separated by line breaks."""
    paragraph = cell.paragraphs[0]
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for index, line in enumerate(lines):
        run = _run(paragraph, line, size, bold=bold)
        if index < len(lines) - 1:
            run.add_break()


def _run(paragraph: Paragraph, text: str, size: float, *, bold: bool = False,
         fonts: tuple[str, str] = _ooxml.BODY_FONTS) -> Run:
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold or None
    _ooxml.set_fonts(run._r.get_or_add_rPr(), fonts)
    return run


def _least_height(row: _Row, cm: float) -> None:
    properties = row._tr.get_or_add_trPr()
    if properties.find(qn("w:trHeight")) is not None:
        return  # a free-text box already asked for more room
    height = OxmlElement("w:trHeight")
    height.set(qn("w:val"), str(int(cm * 567)))
    height.set(qn("w:hRule"), "atLeast")
    properties.append(height)


def _spacer(document: DocumentObject) -> None:
    document.add_paragraph().paragraph_format.space_after = Pt(2)


def main(names: list[str]) -> None:
    """Write the templates of the forms named (all forms when none)."""
    forms = [get_form(name) for name in names] if names else list(all_forms().values())
    for form in forms:
        write_template(form)


if __name__ == "__main__":
    main(sys.argv[1:])
