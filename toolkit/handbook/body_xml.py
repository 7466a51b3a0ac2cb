"""The handbook's body as WordprocessingML text: paragraphs, runs and tables written as strings.

The body is tens of thousands of elements (most of them in the appendices' tables); building each
as an lxml element was most of the Word writer's time, while writing their text, which goes into
``document.xml`` as it is (``docx_frame``), is a fraction of it. These are the elements
``manualkit.toolkit.wordxml`` makes, with the same children in the same schema order, written as
lxml writes them, so the document is the same to the byte. Each function returns text to append
in document order; an opener's element is closed by the matching ``*_END``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from manualkit.toolkit.xmltext import UNSTORABLE

# Characters XML 1.0 (so Word) cannot hold: a text holding one is refused before it is written.
XML_ILLEGAL = re.compile(f"[{UNSTORABLE}\ud800-\udfff]")
P_END = "</w:p>"
TBL_END = "</w:tbl>"
TR_END = "</w:tr>"
TC_END = "</w:tc>"
HYPERLINK_END = "</w:hyperlink>"
_JUSTIFY = {"left": "left", "center": "center", "right": "right"}


def escape_text(text: str) -> str:
    """Return ``text`` as XML character data, escaped as lxml writes it."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def escape_attribute(text: str) -> str:
    """Return ``text`` as a double-quoted attribute's value, escaped as lxml writes it."""
    text = escape_text(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\n" in text or "\t" in text:
        text = text.replace("\n", "&#10;").replace("\t", "&#9;")
    return text


def paragraph(style_id: str, *, num_id: int | None = None, align: str | None = None,
              space_before_twips: int | None = None) -> str:
    """Return the opening of a ``w:p`` in ``style_id``, numbered when ``num_id`` is given (close with ``P_END``)."""
    numbering = f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>' if num_id is not None else ""
    spacing = f'<w:spacing w:before="{space_before_twips}"/>' if space_before_twips is not None else ""
    justify = f'<w:jc w:val="{_JUSTIFY[align]}"/>' if align is not None else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{escape_attribute(style_id)}"/>{numbering}{spacing}{justify}</w:pPr>'


def run(text: str, *, style_id: str | None = None, bold: bool = False, italic: bool = False) -> str:
    """Return a ``w:r`` of ``text`` (``\\n`` becomes a line break)."""
    props = ""
    if style_id or bold or italic:
        props = ("<w:rPr>" + (f'<w:rStyle w:val="{escape_attribute(style_id)}"/>' if style_id else "")
                 + ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "") + "</w:rPr>")
    content = _text(text) if "\n" not in text else "<w:br/>".join(_text(line) for line in text.split("\n"))
    return f"<w:r>{props}{content}</w:r>" if props or content else "<w:r/>"


def _text(line: str) -> str:
    if not line:
        return ""
    space = ' xml:space="preserve"' if line[0].isspace() or line[-1].isspace() else ""
    return f"<w:t{space}>{escape_text(line)}</w:t>"


def bookmark_start(name: str, bookmark_id: int) -> str:
    """Return the start of the bookmark ``name`` (it follows the paragraph's properties)."""
    return f'<w:bookmarkStart w:id="{bookmark_id}" w:name="{escape_attribute(name)}"/>'


def bookmark_end(bookmark_id: int) -> str:
    """Return the end of a bookmark (the paragraph's last child)."""
    return f'<w:bookmarkEnd w:id="{bookmark_id}"/>'


def hyperlink(*, anchor: str | None = None, rel_id: str | None = None) -> str:
    """Return the opening of a ``w:hyperlink`` to a bookmark or an external target (close with ``HYPERLINK_END``)."""
    if anchor:
        return f'<w:hyperlink w:anchor="{escape_attribute(anchor)}" w:history="1">'
    return f'<w:hyperlink r:id="{escape_attribute(str(rel_id))}">'


def table(style_id: str, widths_twips: Iterable[int]) -> str:
    """Return the opening of a ``w:tbl`` in ``style_id`` with fixed column widths (close with ``TBL_END``)."""
    widths = list(widths_twips)
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="{escape_attribute(style_id)}"/>'
            f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
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
