"""Word (WordprocessingML) XML that python-docx has no API for, shared by render, report and handbook.

Three kinds of helper live here:

- **fonts and fields**: Chinese text must name an East Asian font (``w:eastAsia``)
  and carry ``w:lang w:eastAsia="zh-CN"``, otherwise Word, WPS and LibreOffice fall
  back to a Japanese or Latin font; digits and Latin text keep a Latin font;
- **document set-up** on python-docx objects (styles, page, shading, rows), used when
  the form templates are built (``manualkit.toolkit.render.scaffold``);
- **elements built directly with lxml, in schema order**, for documents of thousands of
  runs (the monthly draft's appendix; the handbook writes the same elements as text,
  ``handbook.body_xml``, checked against these): python-docx's element API finds each
  child's place by scanning the list of possible successors and resolves styles by name
  through every style of the document, which was most of the handbook's build time. The
  writer knows the order of what it creates, so it appends children directly; each of
  these functions returns the element it made.
"""

from __future__ import annotations

import zipfile
from functools import cache
from pathlib import Path

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.styles.style import BaseStyle
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph
from lxml.etree import SubElement, _Element

# Fonts and fields

def set_fonts(rpr: _Element, fonts: tuple[str, str], *, latin_language: str = "en-US") -> None:
    """Set the Latin and East Asian fonts and the zh-CN language on run properties ``rpr``.

    Theme fonts are removed, because they would win over the named ones.
    ``latin_language`` is the language (``w:val``) of the non-Chinese text.
    """
    latin, east_asian = fonts
    rfonts = ensure_child(rpr, "w:rFonts", first=True)
    for attribute in list(rfonts.attrib):
        if attribute.endswith("Theme") or attribute.endswith("theme"):
            del rfonts.attrib[attribute]
    for key, value in (("ascii", latin), ("hAnsi", latin), ("cs", latin), ("eastAsia", east_asian)):
        rfonts.set(qn(f"w:{key}"), value)
    lang = ensure_child(rpr, "w:lang")
    lang.set(qn("w:val"), latin_language)
    lang.set(qn("w:eastAsia"), "zh-CN")


def add_field(paragraph: Paragraph, instruction: str, size: float | None = None) -> None:
    """Append a simple field (``PAGE``, ``NUMPAGES``) to ``paragraph``, its run ``size`` pt if given."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = paragraph.add_run("1")
    if size is not None:
        run.font.size = Pt(size)
    field.append(run._r)
    p: _Element = paragraph._p  # lxml's type: its append() takes any element
    p.append(field)


def ensure_child(parent: _Element, tag: str, *, first: bool = False) -> _Element:
    """Return ``parent``'s child ``tag``, adding it (at the start if ``first``) when missing."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


# Document set-up (python-docx objects)

BODY_FONTS = ("Times New Roman", "宋体")  # (Latin, East Asian): body text
TITLE_FONTS = ("Arial", "黑体")  # titles and labels that stand out
# fontTable entries so that Word and LibreOffice find the fonts by their English names too.
FONT_TABLE = {
    "宋体": ("SimSun", "02010600030101010101"),
    "黑体": ("SimHei", "02010609060101010101"),
}
_AFTER_SHADING = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")
_FONT_ENTRY = (
    '<w:font w:name="{name}">'
    '<w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/><w:charset w:val="86"/>'
    '<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
)


def set_style_fonts(style: BaseStyle, fonts: tuple[str, str]) -> None:
    """Give ``style`` the Latin and East Asian fonts and the zh-CN language."""
    set_fonts(style.element.get_or_add_rPr(), fonts)


def set_document_defaults(document: Document, fonts: tuple[str, str], size: float) -> None:
    """Set the fonts, language and size every style inherits (``w:docDefaults``)."""
    styles = document.styles.element
    defaults = ensure_child(styles, "w:docDefaults", first=True)
    rpr = ensure_child(ensure_child(defaults, "w:rPrDefault"), "w:rPr")
    set_fonts(rpr, fonts)
    for tag in ("w:sz", "w:szCs"):
        ensure_child(rpr, tag).set(qn("w:val"), str(round(size * 2)))
    settings = document.settings.element
    ensure_child(settings, "w:themeFontLang").set(qn("w:eastAsia"), "zh-CN")


def prune_styles(document: Document, keep: set[str]) -> None:
    """Remove the latent and unused styles python-docx's default template carries.

    Keeps the file small, which makes filling many documents faster.
    """
    styles = document.styles.element
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in keep and not style.get(qn("w:default")):
            styles.remove(style)
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rel_id)


def set_page(document: Document, *, landscape: bool, margin_cm: float) -> None:
    """Set A4 paper, the orientation and equal margins on every section."""
    for section in document.sections:
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        short, long = Cm(21.0), Cm(29.7)
        section.page_width, section.page_height = (long, short) if landscape else (short, long)
        section.left_margin = section.right_margin = Cm(margin_cm)
        section.top_margin = section.bottom_margin = Cm(margin_cm)
        section.header_distance = section.footer_distance = Cm(margin_cm / 2)


def shade(cell: _Cell, fill: str) -> None:
    """Fill ``cell`` with the colour ``fill`` (hex RGB, e.g. ``F2F2F2``)."""
    properties: _Element = cell._tc.get_or_add_tcPr()  # lxml's type: its append() takes any element
    shading = OxmlElement("w:shd")
    later = [properties.find(qn(tag)) for tag in _AFTER_SHADING]
    if placed := [element for element in later if element is not None]:
        placed[0].addprevious(shading)  # the schema fixes the order of cell properties
    else:
        properties.append(shading)
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)


def keep_row_together(row: _Row, *, repeat_as_header: bool = False) -> None:
    """Forbid ``row`` to break across pages; optionally repeat it on every page."""
    properties = row._tr.get_or_add_trPr()
    ensure_child(properties, "w:cantSplit")
    if repeat_as_header:
        ensure_child(properties, "w:tblHeader")


def font_table_entries(xml: bytes) -> bytes:
    """Return ``word/fontTable.xml`` with our Chinese fonts declared."""
    text = xml.decode("utf-8")
    entries = "".join(
        _FONT_ENTRY.format(name=name, alt=alt, panose=panose)
        for name, (alt, panose) in FONT_TABLE.items()
        if f'w:name="{name}"' not in text
    )
    return text.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")


def declare_fonts(path: Path) -> None:
    """Add our Chinese fonts to ``word/fontTable.xml`` of the saved document at ``path``."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            is_font_table = info.filename == "word/fontTable.xml"
            target.writestr(info, font_table_entries(data) if is_font_table else data)


# Elements built directly (lxml)

W_VAL = qn("w:val")
_TAGS = {name: qn(f"w:{name}") for name in (
    "p", "pPr", "pStyle", "numPr", "ilvl", "numId", "r", "rPr", "rStyle", "b", "i", "t", "br",
    "tbl", "tblPr", "tblStyle", "tblW", "tblLayout", "tblLook", "tblGrid", "gridCol", "tr", "trPr",
    "cantSplit", "tblHeader", "trHeight", "tc", "tcPr", "tcW", "shd", "jc", "spacing", "sz", "tblBorders",
    "top", "left", "bottom", "right", "insideH", "insideV", "tblCellMar",
)}
_BORDER_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")
_PRESERVE = qn("xml:space")
_JUSTIFY = {"left": "left", "center": "center", "right": "right"}


def append(parent: _Element, name: str, **attrs: str) -> _Element:
    """Append and return a ``w:<name>`` child whose attributes are ``w:`` attributes."""
    return SubElement(parent, _TAGS[name], {_attribute(key): value for key, value in attrs.items()})


@cache
def _attribute(name: str) -> str:
    return qn(f"w:{name}")


def paragraph(style_id: str | None = None, *, num_id: int | None = None, align: str | None = None,
              exact_line_twips: int | None = None) -> _Element:
    """Return a detached ``w:p``: in ``style_id`` (else the default style), numbered when ``num_id`` is given.

    ``exact_line_twips`` sets an exact line height with no space before or after (dense tables).
    """
    p = OxmlElement("w:p")
    ppr = append(p, "pPr")
    if style_id is not None:
        append(ppr, "pStyle", val=style_id)
    if num_id is not None:
        num_pr = append(ppr, "numPr")
        append(num_pr, "ilvl", val="0")
        append(num_pr, "numId", val=str(num_id))
    if exact_line_twips is not None:
        append(ppr, "spacing", before="0", after="0", line=str(exact_line_twips), lineRule="exact")
    if align is not None:
        append(ppr, "jc", val=_JUSTIFY[align])
    return p


def run(parent: _Element, text: str, *, style_id: str | None = None,
        bold: bool = False, italic: bool = False, half_points: int | None = None) -> _Element:
    """Append a ``w:r`` of ``text`` (``\\n`` becomes a line break) to a paragraph or link.

    ``half_points`` is the font size in half points (18 is 9 pt), when not the style's.
    """
    r = append(parent, "r")
    if style_id or bold or italic or half_points:
        rpr = append(r, "rPr")
        if style_id:
            append(rpr, "rStyle", val=style_id)
        if bold:
            append(rpr, "b")
        if italic:
            append(rpr, "i")
        if half_points:
            append(rpr, "sz", val=str(half_points))
    for index, line in enumerate(text.split("\n")):
        if index:
            append(r, "br")
        if line:
            t = append(r, "t")
            t.text = line
            if line[0].isspace() or line[-1].isspace():
                t.set(_PRESERVE, "preserve")
    return r


def table(style_id: str | None, widths_twips: list[int], *, border_colour: str | None = None,
          cell_margin_twips: int | None = None) -> _Element:
    """Return a detached ``w:tbl`` with fixed column widths and no rows yet.

    The look comes from the table style ``style_id``, or, without one, from thin borders of
    ``border_colour`` (hex RGB) and left and right cell margins of ``cell_margin_twips``.
    """
    tbl = OxmlElement("w:tbl")
    tbl_pr = append(tbl, "tblPr")
    if style_id is not None:
        append(tbl_pr, "tblStyle", val=style_id)
    append(tbl_pr, "tblW", w=str(sum(widths_twips)), type="dxa")
    if border_colour is not None:
        borders = append(tbl_pr, "tblBorders")
        for side in _BORDER_SIDES:
            append(borders, side, val="single", sz="4", space="0", color=border_colour)
    append(tbl_pr, "tblLayout", type="fixed")
    if cell_margin_twips is not None:
        margins = append(tbl_pr, "tblCellMar")
        for side in ("left", "right"):
            append(margins, side, w=str(cell_margin_twips), type="dxa")
    if style_id is not None:
        append(tbl_pr, "tblLook", val="04A0", firstRow="1", lastRow="0", firstColumn="0", lastColumn="0",
               noHBand="0", noVBand="1")
    grid = append(tbl, "tblGrid")
    for width in widths_twips:
        append(grid, "gridCol", w=str(width))
    return tbl


def table_row(tbl: _Element, *, heading: bool, height_twips: int | None = None) -> _Element:
    """Append a ``w:tr``: never split across pages; a heading row repeats on every page."""
    tr = append(tbl, "tr")
    tr_pr = append(tr, "trPr")
    append(tr_pr, "cantSplit")
    if height_twips is not None:
        append(tr_pr, "trHeight", val=str(height_twips))
    if heading:
        append(tr_pr, "tblHeader")
    return tr


def table_cell(tr: _Element, width_twips: int, *, shade: str | None = None) -> _Element:
    """Append a ``w:tc`` of ``width_twips``; the caller appends at least one paragraph."""
    tc = append(tr, "tc")
    tc_pr = append(tc, "tcPr")
    append(tc_pr, "tcW", w=str(width_twips), type="dxa")
    if shade is not None:
        append(tc_pr, "shd", val="clear", color="auto", fill=shade)
    return tc
