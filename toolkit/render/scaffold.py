"""Build each form's Word template (``forms/<form>/template.docx``) from its schema.

A developer tool, not used at run time: ``python -m manualkit.toolkit.render.scaffold
[FORM...]`` writes the templates, which are then committed and may be edited
in Word like any template. The layout follows the schema: the title, a header
block of labelled fields (long texts on full-width rows with room to write),
the table with one row per record row (header row repeated on every page, rows
never split), choice fields as ☐/☑ boxes with every option. A table column
whose options would fill more than two lines shows numbered boxes (☐1 ☐2 …),
their legend in a header row repeated on every page, so that a row stays one
or two lines high. Derived values (a slip's stage) print only when there is
one: a blank form leaves them out. The page header has a line for the
organisation's name, the footer the page numbers and the form's id and
version. The templates use only schema names and the helpers of
``manualkit.toolkit.render.context``.
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
from lxml.etree import _Element

from manualkit.schemas._base import FormSchema, field_kind, field_options
from manualkit.toolkit import wordxml
from manualkit.toolkit.registry import FormSpec, all_forms, get_form
from manualkit.toolkit.textwidth import display_width
from manualkit.toolkit.wordxml import add_field

MARGIN_CM = 1.8
BODY_SIZE, TABLE_SIZE, TITLE_SIZE, NOTE_SIZE, SMALL_SIZE = 10.5, 9.0, 18.0, 9.0, 7.5
NUMBERED_FROM_LINES = 3  # a column whose options need this many lines shows numbered boxes
LABEL_CM = 3.0
POINT_CM = 2.54 / 72
LABEL_FILL = "F2F2F2"
ROW_CM = 0.75  # least height of a header row: room to write by hand
TABLE_ROW_CM = 0.7  # least height of a table row: a line of handwriting, 15 rows or more a page
LONG_TEXT_CM = 2.3  # least height of a free-text box
COLUMN_CM = {"date": 2.3, "time": 1.9, "datetime": 3.0, "code": 2.6, "phone": 2.8, "month": 1.8,
             "number": 1.8, "signature": 2.5, "bool": 1.8, "longtext": 4.0, "text": 3.0}
KEEP_STYLES = {"Normal", "TableGrid", "TableNormal", "DefaultParagraphFont", "NoList"}


def build_template(form: FormSpec) -> DocumentObject:
    """Return the Word template of ``form`` as a python-docx document."""
    model = form.model
    document = Document()
    wordxml.prune_styles(document, KEEP_STYLES)
    wordxml.set_document_defaults(document, wordxml.BODY_FONTS, BODY_SIZE)
    wordxml.set_style_fonts(document.styles["Normal"], wordxml.BODY_FONTS)
    wordxml.set_page(document, landscape=model.landscape, margin_cm=MARGIN_CM)
    document.core_properties.title = model.form_title
    document.core_properties.author = "manualkit"
    _add_title(document, model)
    pending: list[str] = []
    for name in model.model_fields:
        if name == model.rows_field:
            _add_header_block(document, model, pending)
            pending = []
            _add_rows_table(document, model)
        else:
            pending.append(name)
    _add_header_block(document, model, pending)
    _add_derived(document, model)
    _add_page_header(document)
    _add_footer(document, model)
    return document


def write_template(form: FormSpec, out: Path | None = None) -> Path:
    """Build ``form``'s template and save it (to its folder unless ``out`` is given)."""
    out = out or form.folder / "template.docx"
    build_template(form).save(str(out))
    wordxml.declare_fonts(out)
    return out


# Title and footer


def _add_title(document: DocumentObject, model: type[FormSchema]) -> None:
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(2)
    _run(title, model.form_title, TITLE_SIZE, bold=True, fonts=wordxml.TITLE_FONTS)
    note = document.add_paragraph()
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    note.paragraph_format.space_after = Pt(6)
    _run(note, f"（依据岗位手册 {model.clause}）", NOTE_SIZE)


def _add_page_header(document: DocumentObject) -> None:
    paragraph = document.sections[0].header.paragraphs[0]
    _run(paragraph, "单位：{{ organisation }}", NOTE_SIZE)


def _add_footer(document: DocumentObject, model: type[FormSchema]) -> None:
    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, f"{model.form_title}　第 ", NOTE_SIZE)
    add_field(paragraph, "PAGE", NOTE_SIZE)
    _run(paragraph, " 页，共 ", NOTE_SIZE)
    add_field(paragraph, "NUMPAGES", NOTE_SIZE)
    _run(paragraph, " 页", NOTE_SIZE)
    mark = footer.add_paragraph()
    mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(mark, f"表单编号 {model.form_id}　第 {model.version} 版", SMALL_SIZE)


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
        wordxml.keep_row_together(row)
        _least_height(row, ROW_CM)
    _spacer(document)


def _add_derived(document: DocumentObject, model: type[FormSchema]) -> None:
    """Add each derived value on a row of its own, printed only when the record has one."""
    if not model.derived:
        return
    width = _text_width_cm(model)
    table = _table(document, [LABEL_CM, width - LABEL_CM])
    for name, label in model.derived.items():
        _loop_row(table, f"{{%tr if {name} %}}")
        row = table.add_row()
        _fill_label(row.cells[0], [label])
        _fill(row.cells[1], [f"{{{{ {name} }}}}"])
        wordxml.keep_row_together(row)
        _least_height(row, ROW_CM)
        _loop_row(table, "{%tr endif %}")


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
        row: _Row = table.add_row()
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
    shown = [(option, option) for option in options]
    return ["　".join(line) for line in _pack(expression, shown, width_cm, size, gap="　")]


def _numbered_tag(expression: str, options: tuple[str, ...], width_cm: float, size: float) -> list[str]:
    """Return the template lines of numbered boxes ``☐1 ☐2 …`` (the legend says what each is)."""
    shown = [(option, str(number)) for number, option in enumerate(options, 1)]
    return [" ".join(line) for line in _pack(expression, shown, width_cm, size, gap=" ")]


def _pack(expression: str, shown: list[tuple[str, str]], width_cm: float, size: float,
          gap: str) -> list[list[str]]:
    """Pack the boxes of ``(option, text shown)`` whole into lines ``width_cm`` wide, ``gap`` between."""
    capacity = max(int(width_cm / _cell_cm(size)), 4)  # in half-width character cells
    lines: list[list[str]] = [[]]
    used = 0
    for option, text in shown:
        need = _box_cells(text, gap)
        if lines[-1] and used + need > capacity:
            lines.append([])
            used = 0
        lines[-1].append(f"{{{{ tick({expression}, '{option}') }}}}{text}")
        used += need
    return lines


def _is_numbered(kind: str, options: tuple[str, ...]) -> bool:
    """Return whether a column's options, written out, would make its rows too tall."""
    lines = _value_tag("row.x", kind, options, _column_cm(kind, options) - 0.25, TABLE_SIZE)
    return len(lines) >= NUMBERED_FROM_LINES


# The table of rows


def _add_rows_table(document: DocumentObject, model: type[FormSchema]) -> None:
    row_model = model.row_model()
    if row_model is None or model.rows_field is None:
        return
    caption = document.add_paragraph()
    _run(caption, model.label(model.rows_field), BODY_SIZE, bold=True, fonts=wordxml.TITLE_FONTS)
    caption.paragraph_format.keep_with_next = True
    columns = [(name, info.title or name, field_kind(info), field_options(info))
               for name, info in row_model.model_fields.items()]
    numbered = {name for name, _, kind, options in columns if _is_numbered(kind, options)}
    widths = [_column_cm(kind, options, numbered=name in numbered) for name, _, kind, options in columns]
    scale = _text_width_cm(model) / sum(widths)
    widths = [w * scale for w in widths]
    table = _table(document, widths)
    if numbered:
        _add_legend(table, [(label, options) for name, label, _, options in columns if name in numbered])
    header = table.add_row()
    for cell, (_, label, _, _) in zip(header.cells, columns, strict=True):
        _fill_label(cell, [label], center=True)
    wordxml.keep_row_together(header, repeat_as_header=True)
    _loop_row(table, f"{{%tr for row in {model.rows_field} or blank_rows() %}}")
    data = table.add_row()
    for cell, width, (name, _, kind, options) in zip(data.cells, widths, columns, strict=True):
        expression, room = f"row.{name}", width - 0.25
        lines = (_numbered_tag(expression, options, room, TABLE_SIZE) if name in numbered
                 else _value_tag(expression, kind, options, room, TABLE_SIZE))
        _fill(cell, lines, size=TABLE_SIZE)
    wordxml.keep_row_together(data)
    _least_height(data, TABLE_ROW_CM)
    _loop_row(table, "{%tr endfor %}")
    _spacer(document)


def _add_legend(table: Table, legends: list[tuple[str, tuple[str, ...]]]) -> None:
    """Add a header row, repeated on every page, saying what each numbered box stands for."""
    row = table.add_row()
    lines = [f"{label}：" + "　".join(f"{number} {option}" for number, option in enumerate(options, 1))
             for label, options in legends]
    _fill(_merge(row, 0, len(row.cells) - 1), lines, size=TABLE_SIZE)
    wordxml.keep_row_together(row, repeat_as_header=True)


def _loop_row(table: Table, tag: str) -> None:
    """Add a row holding only a docxtpl ``{%tr %}`` tag (it vanishes when rendered)."""
    row = table.add_row()
    _merge(row, 0, len(row.cells) - 1).paragraphs[0].add_run(tag)


def _cell_cm(size: float) -> float:
    """Return the width of a half-width character at ``size`` points, with a little slack."""
    return size * POINT_CM / 2 * 1.05


def _box_cells(text: str, gap: str) -> int:
    """Return the half-width cells of a tick box, its text and the ``gap`` after it."""
    return 2 + display_width(text) + display_width(gap)


def _column_cm(kind: str, options: tuple[str, ...], *, numbered: bool = False) -> float:
    if numbered:
        cells = sum(_box_cells(str(number), " ") for number in range(1, len(options) + 1))
        return cells * _cell_cm(TABLE_SIZE) + 0.3
    if kind in {"choice", "choices"}:
        cells = sum(_box_cells(option, "　") for option in options)
        return min(max(cells * _cell_cm(TABLE_SIZE) + 0.3, 1.8), 6.5)
    return COLUMN_CM.get(kind, 3.0)


# Small python-docx helpers


def _text_width_cm(model: type[FormSchema]) -> float:
    return (29.7 if model.landscape else 21.0) - 2 * MARGIN_CM


def _table(document: DocumentObject, widths: list[float]) -> Table:
    table: Table = document.add_table(rows=0, cols=len(widths))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    return table


def _merge(row: _Row, first: int, last: int) -> _Cell:
    return row.cells[first].merge(row.cells[last]) if last > first else row.cells[first]


def _fill_label(cell: _Cell, lines: list[str], *, center: bool = False) -> None:
    wordxml.shade(cell, LABEL_FILL)
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
         fonts: tuple[str, str] = wordxml.BODY_FONTS) -> Run:
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold or None
    wordxml.set_fonts(run._r.get_or_add_rPr(), fonts)
    return run


def _least_height(row: _Row, cm: float) -> None:
    properties: _Element = row._tr.get_or_add_trPr()  # lxml's type: its append() takes any element
    if properties.find(qn("w:trHeight")) is not None:
        return  # a free-text box already asked for more room
    height = OxmlElement("w:trHeight")
    height.set(qn("w:val"), str(int(cm * 567)))
    height.set(qn("w:hRule"), "atLeast")
    properties.append(height)


def _spacer(document: DocumentObject) -> None:
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(0)
    _run(spacer, "", SMALL_SIZE)
    spacer.paragraph_format.line_spacing = Pt(SMALL_SIZE)


def main(names: list[str]) -> None:
    """Write the templates of the forms named (all forms when none)."""
    forms = [get_form(name) for name in names] if names else list(all_forms().values())
    for form in forms:
        write_template(form)


if __name__ == "__main__":
    main(sys.argv[1:])
