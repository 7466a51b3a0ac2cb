"""Write a Markdown table into Word: fixed column widths fitted to the text, header row repeated.

Short columns (类型, 必填) get their natural width; the long ones share what is
left, so no column is squeezed to one character per line. Header rows repeat on
every page; empty rows (a blank form's writing lines) are given a writing height.
"""

from __future__ import annotations

from typing import Protocol

from markdown_it.tree import SyntaxTreeNode

from manualkit.toolkit.handbook import body_xml as xml
from manualkit.toolkit.handbook.docx_frame import PAGE_WIDTH_EMU, SIDE_MARGIN_EMU, twips
from manualkit.toolkit.handbook.tree import CJK


class TableHost(Protocol):
    """What a table needs of the document writer (``DocxWriter``): its styles, its output and its inline text."""

    style_ids: dict[str, str]
    out: list[str]

    def inline(self, node: SyntaxTreeNode) -> None: ...


_TEXT_WIDTH_TWIPS = (PAGE_WIDTH_EMU - 2 * SIDE_MARGIN_EMU) // 635  # EMU to twips
_CHAR_TWIPS = 9 * 20  # the size of "Table Text", 9 pt
_CELL_PADDING = 1.3  # the cells' left and right margins, in characters
_BLANK_ROW_HEIGHT = twips(cm=0.8)
_WRITING_WIDTH = 10.0  # characters: a blank column of a form to fill in
_HEADER_FILL = "E7E6E6"
_ALIGN = {"text-align:left": "left", "text-align:center": "center", "text-align:right": "right"}


def write_table(writer: TableHost, node: SyntaxTreeNode) -> None:
    """Append the table ``node`` (thead and tbody) to the document."""
    sections = node.children
    rows = [row for section in sections for row in section.children]
    heading_rows = len(sections[0].children) if sections[0].type == "thead" else 0
    widths = column_widths(rows)
    out = writer.out
    out.append(xml.table(writer.style_ids["Table Grid"], widths))
    for index, row in enumerate(rows):
        heading = index < heading_rows
        out.append(xml.table_row(heading=heading, height_twips=_BLANK_ROW_HEIGHT if _is_blank(row) else None))
        style_id = writer.style_ids["Table Heading" if heading else "Table Text"]
        cells = list(row.children)
        for column, width in enumerate(widths):
            out.append(xml.table_cell(width, shade=_HEADER_FILL if heading else None))
            cell = cells[column] if column < len(cells) else None
            align = _ALIGN.get(str(cell.attrs.get("style", ""))) if cell is not None else None
            out.append(xml.paragraph(style_id, align=align))
            if cell is not None:
                writer.inline(cell.children[0])
            out += (xml.P_END, xml.TC_END)
        out.append(xml.TR_END)
    out.append(xml.TBL_END)


def column_widths(rows: list[SyntaxTreeNode]) -> list[int]:
    """Return the columns' widths in twips, summing to the text width."""
    count = max(len(row.children) for row in rows)
    natural = [1.0] * count
    for row in rows:
        for index, cell in enumerate(row.children):
            natural[index] = max(natural[index], text_width(cell) + _CELL_PADDING)
    for index in range(count):  # a column left blank below its header is for writing in
        if all(index >= len(row.children) or not row.children[index].children[0].children for row in rows[1:]):
            natural[index] = max(natural[index], _WRITING_WIDTH)
    chars = _fit(natural, _TEXT_WIDTH_TWIPS / _CHAR_TWIPS)
    widths = [int(c * _CHAR_TWIPS) for c in chars]
    widths[-1] += _TEXT_WIDTH_TWIPS - sum(widths)
    return widths


def text_width(node: SyntaxTreeNode) -> float:
    """Return the width of a node's text in em: a Chinese character is 1, a Latin one about half."""
    if node.type in ("text", "code_inline"):
        return sum(1.0 if CJK.match(char) else 0.55 for char in node.content)
    return sum(text_width(child) for child in node.children)


def _fit(natural: list[float], room: float) -> list[float]:
    """Return widths summing to ``room``: each column's natural width, capped by one bisected cap."""
    low, high = 0.0, max(natural)
    for _ in range(30):
        cap = (low + high) / 2
        if sum(min(n, cap) for n in natural) > room:
            high = cap
        else:
            low = cap
    widths = [min(n, low) for n in natural]
    spare = (room - sum(widths)) / len(widths)  # the table always spans the text width
    return [w + spare for w in widths]


def _is_blank(row: SyntaxTreeNode) -> bool:
    return all(not cell.children[0].children for cell in row.children)
