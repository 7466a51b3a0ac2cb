"""WordprocessingML elements built directly with lxml, in schema order.

python-docx's element API finds each child's place by scanning the list of
possible successors and resolves styles by name through every style of the
document; for a handbook of thousands of runs that is most of the build time.
The writer knows the order of what it creates, so it appends children directly.
Every function here returns the element it made.
"""

from __future__ import annotations

from functools import cache

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml.etree import SubElement

W_VAL = qn("w:val")
_TAGS = {name: qn(f"w:{name}") for name in (
    "p", "pPr", "pStyle", "numPr", "ilvl", "numId", "r", "rPr", "rStyle", "b", "i", "t", "br",
    "tbl", "tblPr", "tblStyle", "tblW", "tblLayout", "tblLook", "tblGrid", "gridCol", "tr", "trPr",
    "cantSplit", "tblHeader", "trHeight", "tc", "tcPr", "tcW", "shd", "jc", "hyperlink",
    "bookmarkStart", "bookmarkEnd", "spacing",
)}
_PRESERVE = qn("xml:space")
_JUSTIFY = {"left": "left", "center": "center", "right": "right"}


def child(parent: BaseOxmlElement, name: str, **attrs: str) -> BaseOxmlElement:
    """Append and return a ``w:<name>`` child whose attributes are ``w:`` attributes."""
    return SubElement(parent, _TAGS[name], {_attribute(key): value for key, value in attrs.items()})


@cache
def _attribute(name: str) -> str:
    return qn(f"w:{name}")


def paragraph(style_id: str, *, num_id: int | None = None, align: str | None = None) -> BaseOxmlElement:
    """Return a detached ``w:p`` in ``style_id``, numbered when ``num_id`` is given."""
    p = OxmlElement("w:p")
    ppr = child(p, "pPr")
    child(ppr, "pStyle", val=style_id)
    if num_id is not None:
        num_pr = child(ppr, "numPr")
        child(num_pr, "ilvl", val="0")
        child(num_pr, "numId", val=str(num_id))
    if align is not None:
        child(ppr, "jc", val=_JUSTIFY[align])
    return p


def run(parent: BaseOxmlElement, text: str, *, style_id: str | None = None,
        bold: bool = False, italic: bool = False) -> BaseOxmlElement:
    """Append a ``w:r`` of ``text`` (``\\n`` becomes a line break) to a paragraph or link."""
    r = child(parent, "r")
    if style_id or bold or italic:
        rpr = child(r, "rPr")
        if style_id:
            child(rpr, "rStyle", val=style_id)
        if bold:
            child(rpr, "b")
        if italic:
            child(rpr, "i")
    for index, line in enumerate(text.split("\n")):
        if index:
            child(r, "br")
        if line:
            t = child(r, "t")
            t.text = line
            if line[0].isspace() or line[-1].isspace():
                t.set(_PRESERVE, "preserve")
    return r


def bookmark(p: BaseOxmlElement, name: str, bookmark_id: int) -> None:
    """Wrap the content of ``p`` (after its properties) in the bookmark ``name``."""
    start = p.makeelement(_TAGS["bookmarkStart"], {qn("w:id"): str(bookmark_id), qn("w:name"): name})
    p.insert(1 if len(p) and p[0].tag == _TAGS["pPr"] else 0, start)
    child(p, "bookmarkEnd", id=str(bookmark_id))


def table(style_id: str, widths_twips: list[int]) -> BaseOxmlElement:
    """Return a detached ``w:tbl`` with fixed column widths and no rows yet."""
    tbl = OxmlElement("w:tbl")
    tbl_pr = child(tbl, "tblPr")
    child(tbl_pr, "tblStyle", val=style_id)
    child(tbl_pr, "tblW", w=str(sum(widths_twips)), type="dxa")
    child(tbl_pr, "tblLayout", type="fixed")
    child(tbl_pr, "tblLook", val="04A0", firstRow="1", lastRow="0", firstColumn="0", lastColumn="0",
          noHBand="0", noVBand="1")
    grid = child(tbl, "tblGrid")
    for width in widths_twips:
        child(grid, "gridCol", w=str(width))
    return tbl


def table_row(tbl: BaseOxmlElement, *, heading: bool, height_twips: int | None = None) -> BaseOxmlElement:
    """Append a ``w:tr``: never split across pages; a heading row repeats on every page."""
    tr = child(tbl, "tr")
    tr_pr = child(tr, "trPr")
    child(tr_pr, "cantSplit")
    if height_twips is not None:
        child(tr_pr, "trHeight", val=str(height_twips))
    if heading:
        child(tr_pr, "tblHeader")
    return tr


def table_cell(tr: BaseOxmlElement, width_twips: int, *, shade: str | None = None) -> BaseOxmlElement:
    """Append a ``w:tc`` of ``width_twips``; the caller appends at least one paragraph."""
    tc = child(tr, "tc")
    tc_pr = child(tc, "tcPr")
    child(tc_pr, "tcW", w=str(width_twips), type="dxa")
    if shade is not None:
        child(tc_pr, "shd", val="clear", color="auto", fill=shade)
    return tc


def hyperlink(p: BaseOxmlElement, *, anchor: str | None = None, rel_id: str | None = None) -> BaseOxmlElement:
    """Append a ``w:hyperlink`` to a bookmark (``anchor``) or an external target (``rel_id``)."""
    attrs = {qn("w:anchor"): anchor, qn("w:history"): "1"} if anchor else {qn("r:id"): str(rel_id)}
    link = p.makeelement(_TAGS["hyperlink"], attrs)
    p.append(link)
    return link
