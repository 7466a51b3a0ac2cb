"""The Excel draft of the monthly report: the filled form, the figures behind it, and a sales chart.

The first sheet is the monthly-report form exactly as ``manualkit.toolkit.render.xlsx``
writes it (named cells, ``_manualkit`` sheet), so the draft reads back as a
monthly-report record. After it come the appendix tables (``数据明细``) and a
native Excel bar chart of the sales by customer (``销售图表``), drawn from the
sales table's cells, so that it follows any correction made in Excel.
"""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles.styleable import StyleableObject
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from manualkit.schemas.monthly_report import MonthlyReport
from manualkit.toolkit.files import save_atomically
from manualkit.toolkit.numbers import MONEY_FORMAT, is_money
from manualkit.toolkit.render.xlsx import (
    BODY_FONT,
    BORDER,
    CENTER,
    LABEL_FILL,
    LABEL_FONT,
    TITLE_FONT,
    WRAP,
    build_workbook,
)
from manualkit.toolkit.report.draft_appendix import SALES_SECTION, Cell, Section, appendix
from manualkit.toolkit.report.monthly import MonthlyDraft
from manualkit.toolkit.textwidth import display_width

FIGURES_SHEET = "数据明细"
CHART_SHEET = "销售图表"
CHART_CUSTOMERS = 15  # the chart shows the customers selling most, not every bar of a month
_MIN_WIDTH, _MAX_WIDTH = 8, 36


def write_draft_xlsx(draft: MonthlyDraft, out: Path) -> Path:
    """Write the Excel draft of ``draft`` to ``out`` atomically and return ``out``."""
    record = draft.check.record
    assert isinstance(record, MonthlyReport), "only a draft with sound fields is written"
    workbook = build_workbook(MonthlyReport, record, draft.policy)
    sheet = workbook.create_sheet(FIGURES_SHEET, 1)
    sales_rows = _write_sections(sheet, appendix(draft))
    if sales_rows is not None:
        _add_chart(workbook, sheet, *sales_rows)
    save_atomically(workbook.save, out)
    return out


def _write_sections(sheet: Worksheet, sections: list[Section]) -> tuple[int, int] | None:
    """Write ``sections`` one below the other; return the first and last data rows of the sales table."""
    sheet.cell(1, 1, "月度报告数据明细（每个数字后注明来源文件和行）").font = TITLE_FONT
    widths = _column_widths(sections)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    line, sales_rows = 3, None
    for section in sections:
        sheet.cell(line, 1, section.title).font = LABEL_FONT
        for column, label in enumerate(section.columns, 1):
            _style(sheet.cell(line + 1, column, label), header=True)
        for offset, row in enumerate(section.rows, line + 2):
            for column, value in enumerate(row, 1):
                _write_value(sheet, offset, column, value, section.columns[column - 1])
            lines = max(math.ceil(_width(value) / (widths[column] - 1)) for column, value in enumerate(row, 1))
            if lines > 1:  # no application grows a row for wrapped text written by openpyxl
                sheet.row_dimensions[offset].height = 15 * lines
        if section.title == SALES_SECTION and section.rows:
            sales_rows = (line + 2, line + 1 + len(section.rows))
        line += len(section.rows) + 3
    _print_setup(sheet)
    return sales_rows


def _column_widths(sections: list[Section]) -> dict[int, float]:
    """Return the width of each column: its widest label or value, within bounds."""
    widths: dict[int, float] = {}
    for section in sections:
        for row in (section.columns, *section.rows):
            for column, value in enumerate(row, 1):
                widths[column] = max(widths.get(column, 0), _width(value))
    return {column: max(_MIN_WIDTH, min(_MAX_WIDTH, width + 2)) for column, width in widths.items()}


def _write_value(sheet: Worksheet, row: int, column: int, value: Cell, label: str) -> None:
    cell = sheet.cell(row, column)
    if isinstance(value, str):
        cell.value, cell.data_type = value, "s"  # never a formula, even if it starts with "="
    else:
        cell.value = value
    if isinstance(value, Decimal) and is_money(label):
        cell.number_format = MONEY_FORMAT
    _style(cell, header=False)


def _style(cell: StyleableObject, *, header: bool) -> None:
    cell.border = BORDER
    cell.font = LABEL_FONT if header else BODY_FONT
    cell.alignment = CENTER if header else WRAP
    if header:
        cell.fill = LABEL_FILL


def _width(value: object) -> float:
    text = "" if value is None else str(value)
    return display_width(text) * 1.1


def _print_setup(sheet: Worksheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.page_setup.fitToPage = True


def _add_chart(workbook: Workbook, data: Worksheet, first: int, last: int) -> None:
    """Add a sheet with a bar chart of this and last month's volume of the customers selling most.

    The sales table is sorted by volume, largest first: the chart reads its first ``CHART_CUSTOMERS``
    rows. The bars lie horizontally, so that the customers' names can be read whole.
    """
    last = min(last, first + CHART_CUSTOMERS - 1)
    chart = BarChart()
    chart.type, chart.grouping = "bar", "clustered"
    top = f"销量前 {last - first + 1} 位客户"
    chart.title = f"{top}（条）"
    chart.y_axis.title = "销量（条）"
    chart.y_axis.delete = chart.x_axis.delete = False  # LibreOffice and new Excel hide them otherwise
    chart.x_axis.scaling.orientation = "maxMin"  # the largest customer on top
    has_previous = any(data.cell(row, 4).value is not None for row in range(first, last + 1))
    columns = (3, 4) if has_previous else (3, 3)
    chart.add_data(Reference(data, min_col=columns[0], max_col=columns[1], min_row=first - 1, max_row=last),
                   titles_from_data=True)
    chart.set_categories(Reference(data, min_col=2, min_row=first, max_row=last))
    chart.width, chart.height = 24, 13
    sheet = workbook.create_sheet(CHART_SHEET, 2)
    sheet.cell(1, 1, f"{top}的本月与上月销量（数据见“数据明细”中的“客户销售情况”）").font = LABEL_FONT
    sheet.add_chart(chart, "A3")
    _print_setup(sheet)
