"""The handbook's body as WordprocessingML text: paragraphs, runs and tables written as strings.

The body is tens of thousands of elements (most of them in the appendices' tables); building each
as an lxml element was most of the Word writer's time, while writing their text and parsing it once
(``DocxWriter.finish``) is a fraction of it. These are the elements ``manualkit.toolkit.wordxml`` makes,
with the same children in the same schema order, so the document is the same.
Each function returns text to append in document order; ``*_end`` closes what its opener began.
"""

from __future__ import annotations

from collections.abc import Iterable

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OPEN = f'<w:body xmlns:w="{W_NS}" xmlns:r="{R_NS}">'  # the fragment's root, dropped when parsed
CLOSE = "</w:body>"
P_END = "</w:p>"
TBL_END = "</w:tbl>"
TR_END = "</w:tr>"
TC_END = "</w:tc>"
HYPERLINK_END = "</w:hyperlink>"
_JUSTIFY = {"left": "left", "center": "center", "right": "right"}


def escape(text: str) -> str:
    """Return ``text`` safe as XML character data and inside a double-quoted attribute."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if '"' in text:
        text = text.replace('"', "&quot;")
    return text


def paragraph(style_id: str, *, num_id: int | None = None, align: str | None = None) -> str:
    """Return the opening of a ``w:p`` in ``style_id``, numbered when ``num_id`` is given (close with ``P_END``)."""
    numbering = f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>' if num_id is not None else ""
    justify = f'<w:jc w:val="{_JUSTIFY[align]}"/>' if align is not None else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{escape(style_id)}"/>{numbering}{justify}</w:pPr>'


def run(text: str, *, style_id: str | None = None, bold: bool = False, italic: bool = False) -> str:
    """Return a ``w:r`` of ``text`` (``\\n`` becomes a line break)."""
    props = ""
    if style_id or bold or italic:
        props = ("<w:rPr>" + (f'<w:rStyle w:val="{escape(style_id)}"/>' if style_id else "")
                 + ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "") + "</w:rPr>")
    if "\n" not in text:
        return f"<w:r>{props}{_text(text)}</w:r>"
    return f"<w:r>{props}{'<w:br/>'.join(_text(line) for line in text.split(chr(10)))}</w:r>"


def _text(line: str) -> str:
    if not line:
        return ""
    space = ' xml:space="preserve"' if line[0].isspace() or line[-1].isspace() else ""
    return f"<w:t{space}>{escape(line)}</w:t>"


def bookmark_start(name: str, bookmark_id: int) -> str:
    """Return the start of the bookmark ``name`` (it follows the paragraph's properties)."""
    return f'<w:bookmarkStart w:id="{bookmark_id}" w:name="{escape(name)}"/>'


def bookmark_end(bookmark_id: int) -> str:
    """Return the end of a bookmark (the paragraph's last child)."""
    return f'<w:bookmarkEnd w:id="{bookmark_id}"/>'


def hyperlink(*, anchor: str | None = None, rel_id: str | None = None) -> str:
    """Return the opening of a ``w:hyperlink`` to a bookmark or an external target (close with ``HYPERLINK_END``)."""
    if anchor:
        return f'<w:hyperlink w:anchor="{escape(anchor)}" w:history="1">'
    return f'<w:hyperlink r:id="{escape(str(rel_id))}">'


def table(style_id: str, widths_twips: Iterable[int]) -> str:
    """Return the opening of a ``w:tbl`` in ``style_id`` with fixed column widths (close with ``TBL_END``)."""
    widths = list(widths_twips)
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="{escape(style_id)}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
            f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>')


def table_row(*, heading: bool, height_twips: int | None = None) -> str:
    """Return the opening of a ``w:tr``, never split across pages; a heading row repeats on every page."""
    height = f'<w:trHeight w:val="{height_twips}"/>' if height_twips is not None else ""
    return f'<w:tr><w:trPr><w:cantSplit/>{height}{"<w:tblHeader/>" if heading else ""}</w:trPr>'


def table_cell(width_twips: int, *, shade: str | None = None) -> str:
    """Return the opening of a ``w:tc`` of ``width_twips`` (close with ``TC_END`` after its paragraph)."""
    fill = f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>' if shade is not None else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width_twips}" w:type="dxa"/>{fill}</w:tcPr>'
