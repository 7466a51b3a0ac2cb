"""The parts an annotated copy adds to a workbook, written as XML text: the summary sheet, the comments, their VML.

``xml_copy`` puts them into the submitted workbook; what they hold (rows, looks, comment
texts and heights) is decided by ``annotate``, the same for the copies openpyxl makes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from manualkit.toolkit.reader.names import column_index, column_letters

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CELL = re.compile(r"([A-Z]{1,3})([0-9]+)")


@dataclass(frozen=True, slots=True)
class Mark:
    """One faulty cell: its fill (``"error"`` or ``"warning"``), comment text and comment height."""

    cell: str
    severity: str
    text: str
    height: int


@dataclass(frozen=True, slots=True)
class Summary:
    """The summary sheet: its rows (texts and numbers, ``""`` an empty cell), column widths and wraps, heights."""

    title: str
    rows: Sequence[Sequence[str | int]]
    widths: Sequence[int]
    wrapped: Sequence[bool]
    header_row: int
    heights: dict[int, float]  # row number -> points


def column_number(letters: str) -> int:
    """Return the 1-based number of column ``letters``, as a sheet's XML counts."""
    return column_index(letters) + 1


def xml_text(value: str) -> str:
    return escape(value, {"\r": "&#13;"})  # a carriage return kept, as openpyxl (lxml) writes it


def summary_xml(summary: Summary, looks: dict[str, int]) -> bytes:
    rows = []
    last_column = "I"
    for number, values in enumerate(summary.rows, start=1):
        cells = []
        for index, value in enumerate(values):
            reference = f"{column_letters(index)}{number}"
            last_column = max(last_column, column_letters(index))
            if number == 1:
                style = looks["title"]
            elif number < summary.header_row:
                style = 0
            else:
                kind = "header" if number == summary.header_row else "body"
                style = looks[kind + ("_wrapped" if summary.wrapped[index] else "")]
            shown = f' s="{style}"' if style else ""
            if isinstance(value, int):
                cells.append(f'<c r="{reference}"{shown}><v>{value}</v></c>')
            elif value == "":
                cells.append(f'<c r="{reference}"{shown}/>')
            else:
                cells.append(f'<c r="{reference}"{shown} t="inlineStr"><is><t xml:space="preserve">'
                             f"{xml_text(value)}</t></is></c>")
        height = summary.heights.get(number)
        tall = f' ht="{height:g}" customHeight="1"' if height is not None else ""
        rows.append(f'<row r="{number}"{tall}>{"".join(cells)}</row>' if cells or tall else f'<row r="{number}"/>')
    columns = "".join(f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
                      for i, width in enumerate(summary.widths, start=1))
    first_body = summary.header_row + 1
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN}" xmlns:r="{DOC_REL}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<dimension ref="A1:{last_column}{len(summary.rows)}"/>'
        f'<sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="{summary.header_row}" '
        f'topLeftCell="A{first_body}" activePane="bottomLeft" state="frozen"/>'
        f'<selection pane="bottomLeft" activeCell="A{first_body}" sqref="A{first_body}"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{columns}</cols><sheetData>{"".join(rows)}</sheetData>'
        f'<printOptions gridLines="0"/>'
        f'<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
        f'<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>'
    ).encode()


def comments_xml(marks: Sequence[Mark]) -> bytes:
    comments = "".join(f'<comment ref="{mark.cell}" authorId="0" shapeId="0"><text><t xml:space="preserve">'
                       f"{xml_text(mark.text)}</t></text></comment>" for mark in marks)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="{MAIN}"><authors>'
            f"<author>manualkit</author></authors><commentList>{comments}</commentList></comments>").encode()


def vml(marks: Sequence[Mark]) -> bytes:
    shapes = []
    for number, mark in enumerate(marks, start=1026):
        match = CELL.fullmatch(mark.cell)
        assert match is not None  # the cell was found or made on the sheet
        style = quoteattr(f"position:absolute; margin-left:59.25pt;margin-top:1.5pt;width:320px;"
                          f"height:{mark.height}px;z-index:1;visibility:hidden")
        shapes.append(
            f'<v:shape id="_x0000_s{number}" type="#_x0000_t202" style={style} fillcolor="#ffffe1" '
            f'o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow color="black" obscured="t"/>'
            f'<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto">'
            f'<div style="text-align:left"/></v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/>'
            f"<x:SizeWithCells/><x:AutoFill>False</x:AutoFill><x:Row>{int(match[2]) - 1}</x:Row>"
            f"<x:Column>{column_number(match[1]) - 1}</x:Column></x:ClientData></v:shape>")
    return ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit">'
            '<o:idmap v:ext="edit" data="1"/></o:shapelayout><v:shapetype id="_x0000_t202" coordsize="21600,21600" '
            'o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
            '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
            + "".join(shapes) + "</xml>").encode("utf-8")
