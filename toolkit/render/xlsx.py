"""Excel workbooks of the forms, blank or filled, as ``docs/excel.md`` promises.

One visible sheet titled with the form's Chinese title; each header value cell
carries a workbook-level defined name equal to its field name; the table has
one header row of the exact labels with data from the next row; choice columns
have drop-downs; dates are real dates; codes and phone numbers are text. Every
table row that has a drop-down is ruled and formatted alike, so that what is
typed below the printed rows keeps its leading zeros; the print area covers the
filled (or, on a blank form, the ruled) rows. The page header has a line for
the organisation's name, the footer the page numbers and the form's id and
version, within margins LibreOffice does not clip. A hidden sheet
``_manualkit`` records the form id, schema version and generator so that the
reader needs no ``--form``.

openpyxl builds each form's blank workbook once (``workbook_template``); every
workbook, blank or filled, is then written by ``WorkbookTemplate``, which puts
a record's values into the sheet XML and copies every other part from memory.
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from manualkit.schemas._base import FormSchema, field_options
from manualkit.schemas._policy import DEFAULT_POLICY, Policy
from manualkit.toolkit import __version__
from manualkit.toolkit.numbers import MONEY_FORMAT, is_money
from manualkit.toolkit.registry import FormSpec
from manualkit.toolkit.render._xlsx_layout import (
    NOTE_ROW,
    TITLE_ROW,
    Layout,
    Slot,
    column_widths,
    header_heights,
    layout_of,
)
from manualkit.toolkit.render._xlsx_template import WorkbookTemplate, cached_template, spare_rows
from manualkit.toolkit.render.context import WRITE_ON, clean_text

CONTRACT_SHEET = "_manualkit"
FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "time": "hh:mm", "number": "General"}
TEXT_FORMAT = "@"

_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
BODY_FONT = Font(name="宋体", size=11)
LABEL_FONT = Font(name="黑体", size=11, bold=True)
TITLE_FONT = Font(name="黑体", size=16, bold=True)
NOTE_FONT = Font(name="宋体", size=9, color="595959")
LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(horizontal="left", wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
# Named cell styles (they also show in Excel's style list); assigning one is far cheaper than
# setting font, fill, border and format on every cell.
LABEL_STYLE, COLUMN_STYLE = "表单-标签", "表单-列标题"
VALUE_STYLES = {"@": "表单-文本", "yyyy-mm-dd": "表单-日期", "yyyy-mm-dd hh:mm": "表单-日期时间",
                "hh:mm": "表单-时间", "General": "表单-数字", MONEY_FORMAT: "表单-金额"}
# Margins in inches. The header and footer sit in the top and bottom margins: LibreOffice
# clips them unless the margin leaves them room beyond their distance from the edge.
SIDE_MARGIN, EDGE_MARGIN, HEADER_FOOTER_DISTANCE = 0.5, 0.9, 0.35


def render_xlsx(form: FormSpec, record: FormSchema | None, out: Path, policy: Policy = DEFAULT_POLICY) -> Path:
    """Write ``form`` filled with ``record`` (blank when ``None``) to ``out``, atomically.

    A batch keeps one ``workbook_template(form.model)`` and calls its ``write`` instead.
    """
    return workbook_template(form.model, policy).write(record, out)


def build_workbook(model: type[FormSchema], record: FormSchema | None, policy: Policy = DEFAULT_POLICY) -> Workbook:
    """Return the workbook of form ``model``, filled with ``record`` or blank, to add sheets to."""
    return load_workbook(io.BytesIO(workbook_template(model, policy).workbook_bytes(record)))


def workbook_template(model: type[FormSchema], policy: Policy = DEFAULT_POLICY) -> WorkbookTemplate:
    """Return the blank workbook of ``model`` made once, ready to be filled with records.

    A form with derived values (a slip's stage) is filled from a workbook with a box for them;
    its blank, where there is nothing to derive them from, is built without.
    """
    return cached_template(model, policy, lambda: blank_parts(model, policy))


def blank_parts(model: type[FormSchema], policy: Policy = DEFAULT_POLICY) -> tuple[bytes, bytes]:
    """Return the .xlsx that records of ``model`` fill, and the blank form (the same unless the form derives values)."""
    template = _saved(blank_workbook(model, policy))
    blank = _saved(blank_workbook(model, policy, derived=False)) if model.derived else template
    return template, blank


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def blank_workbook(model: type[FormSchema], policy: Policy = DEFAULT_POLICY, *, derived: bool = True) -> Workbook:
    """Return the blank form ``model`` as openpyxl builds it: styles, drop-downs, names, print setup.

    ``derived``: whether to give the derived values (a slip's stage) their boxes.
    """
    workbook = Workbook()
    _add_named_styles(workbook)
    sheet = workbook.worksheets[0]  # the sheet a new workbook starts with
    sheet.title = model.form_title
    layout = layout_of(model, model.blank_rows(policy), derived=derived)
    _write_title(sheet, model, layout)
    for slot in layout.slots:
        _write_slot(workbook, sheet, slot, model, policy)
    if layout.table_row is not None:
        _write_table(sheet, model, layout, policy)
    widths = column_widths(layout, None)
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row, height in header_heights(layout, None, widths).items():
        sheet.row_dimensions[row].height = height
    _set_print(sheet, model, layout, policy)
    _write_contract(workbook, model)
    return workbook


def _add_named_styles(workbook: Workbook) -> None:
    workbook.add_named_style(NamedStyle(LABEL_STYLE, font=LABEL_FONT, fill=LABEL_FILL, alignment=WRAP, border=BORDER))
    workbook.add_named_style(NamedStyle(COLUMN_STYLE, font=LABEL_FONT, fill=LABEL_FILL, alignment=CENTER,
                                        border=BORDER))
    for number_format, name in VALUE_STYLES.items():
        workbook.add_named_style(NamedStyle(name, font=BODY_FONT, alignment=WRAP, border=BORDER,
                                            number_format=number_format))


def _value_style(kind: str, label: str) -> str:
    if kind == "number" and is_money(label):
        return VALUE_STYLES[MONEY_FORMAT]
    return VALUE_STYLES[FORMATS.get(kind, TEXT_FORMAT)]


# Title and header block


def _write_title(sheet: Worksheet, model: type[FormSchema], layout: Layout) -> None:
    last = get_column_letter(layout.width)
    sheet.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    sheet.merge_cells(f"A{NOTE_ROW}:{last}{NOTE_ROW}")
    title, note = sheet.cell(TITLE_ROW, 1), sheet.cell(NOTE_ROW, 1)
    title.value, title.font, title.alignment = model.form_title, TITLE_FONT, CENTER
    note.value = f"依据：岗位手册 {model.clause}。{model.purpose}"
    note.font, note.alignment = NOTE_FONT, WRAP
    sheet.row_dimensions[TITLE_ROW].height = 30
    sheet.row_dimensions[NOTE_ROW].height = 30


def _write_slot(workbook: Workbook, sheet: Worksheet, slot: Slot, model: type[FormSchema], policy: Policy) -> None:
    """Write one header field: its label, its empty value cell (merged, named) and its drop-down."""
    sheet.cell(slot.row, slot.column, slot.label).style = LABEL_STYLE
    cell = sheet.cell(slot.row, slot.column + 1)
    if slot.last_column > slot.column + 1:
        sheet.merge_cells(start_row=slot.row, start_column=slot.column + 1,
                          end_row=slot.row, end_column=slot.last_column)
    for column in range(slot.column + 1, slot.last_column + 1):
        sheet.cell(slot.row, column).style = _value_style(slot.kind, slot.label)
    reference = f"{quote_sheetname(sheet.title)}!${get_column_letter(slot.column + 1)}${slot.row}"
    workbook.defined_names[slot.name] = DefinedName(slot.name, attr_text=reference)
    if not slot.derived:
        info = model.model_fields[slot.name]
        _add_validation(sheet, cell.coordinate, slot.label, slot.kind, field_options(info, policy))


# The table


def _write_table(sheet: Worksheet, model: type[FormSchema], layout: Layout, policy: Policy) -> None:
    """Write the table's header row, its empty ruled rows, and its columns' drop-downs and formats.

    Every row with drop-downs is ruled and formatted; only the table's rows print, not the
    spare rows below them (none when fields follow the table: rows are inserted there).
    The filled form rules as many rows as the record has, and as many spare rows below
    (``WorkbookTemplate`` copies the styles of the first ruled row and moves the drop-downs' last row).
    """
    header_row = layout.table_row or 0
    # The table's own title above it, as on the Word form ("存在的问题、产生原因及对策措施").
    caption = sheet.cell(header_row - 1, 1, model.label(model.rows_field or ""))
    caption.font = LABEL_FONT
    for column, (_, label, _) in enumerate(layout.columns, 1):
        sheet.cell(header_row, column, label).style = COLUMN_STYLE
    sheet.row_dimensions[header_row].height = 30
    styles = [_value_style(kind, label) for _, label, kind in layout.columns]
    last_row = header_row + layout.table_rows + spare_rows(layout)
    for row in range(header_row + 1, last_row + 1):
        for column, style in enumerate(styles, 1):
            sheet.cell(row, column).style = style
    row_model = model.row_model()
    for column, (name, label, kind) in enumerate(layout.columns, 1):
        letter = get_column_letter(column)
        span = f"{letter}{header_row + 1}:{letter}{last_row}"
        options = field_options(row_model.model_fields[name], policy) if row_model else ()
        _add_validation(sheet, span, label, kind, options)


# Drop-downs and prompts


def _add_validation(sheet: Worksheet, span: str, label: str, kind: str, options: tuple[str, ...]) -> None:
    """Give a choice cell a drop-down, a several-of cell a prompt listing the options."""
    if kind == "bool":
        options = ("是", "否")
    if kind in {"choice", "bool"} and options:
        validation = DataValidation(
            type="list", formula1='"' + ",".join(options) + '"', allow_blank=True,
            showErrorMessage=True, errorTitle="选项无效"[:32], error=f"“{label}”只能填写：{'/'.join(options)}"[:255],
        )
    elif kind == "choices" and options:
        validation = DataValidation(allow_blank=True)
    else:
        return
    validation.showInputMessage = True
    validation.promptTitle = label[:32]
    several = "可多选，用“、”分隔：" if kind == "choices" else "请选择："
    validation.prompt = (several + "、".join(options))[:255]
    validation.add(span)
    sheet.add_data_validation(validation)


# Sheet settings


def _set_print(sheet: Worksheet, model: type[FormSchema], layout: Layout, policy: Policy) -> None:
    """Print on A4, fit to the page width, repeat the table header, freeze under it."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if model.landscape else "portrait"
    sheet.page_setup.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_options.horizontalCentered = True
    margins = sheet.page_margins
    margins.left = margins.right = SIDE_MARGIN
    margins.top = margins.bottom = EDGE_MARGIN
    margins.header = margins.footer = HEADER_FOOTER_DISTANCE
    sheet.print_area = f"A1:{get_column_letter(layout.width)}{layout.last_row}"
    if layout.table_row is not None:
        sheet.print_title_rows = f"{layout.table_row}:{layout.table_row}"
        sheet.freeze_panes = f"A{layout.table_row + 1}"
    organisation = clean_text(policy.organisation_name).replace("&", "&&") or WRITE_ON
    header, footer = sheet.oddHeader, sheet.oddFooter
    assert header is not None and footer is not None  # openpyxl makes both with the sheet
    header.left.text, header.left.size = f"单位：{organisation}", 9
    footer.center.text = "第 &P 页，共 &N 页"
    footer.right.text = f"表单编号 {model.form_id}　第 {model.version} 版"
    footer.right.size = 7


def _write_contract(workbook: Workbook, model: type[FormSchema]) -> None:
    """Record which form and schema version this is, on a hidden sheet (the reader's contract)."""
    sheet = workbook.create_sheet(CONTRACT_SHEET)
    for row, (key, value) in enumerate(
        (("form_id", model.form_id), ("version", model.version), ("generator", f"manualkit {__version__}")), 1
    ):
        sheet.cell(row, 1, key)
        sheet.cell(row, 2, value).data_type = "s"
    sheet.sheet_state = "hidden"
