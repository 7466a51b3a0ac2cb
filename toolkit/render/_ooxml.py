"""Word (OOXML) details python-docx has no API for: Chinese fonts, shading, table rows.

Used by ``scaffold`` when it builds the Word templates. Chinese text must name
an East Asian font and the zh-CN language (``toolkit.ooxml.set_fonts``) in the
document defaults and in every style.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.styles.style import BaseStyle
from docx.table import _Cell, _Row

from toolkit.ooxml import child as _child
from toolkit.ooxml import set_fonts

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
    defaults = _child(styles, "w:docDefaults", first=True)
    rpr = _child(_child(defaults, "w:rPrDefault"), "w:rPr")
    set_fonts(rpr, fonts)
    for tag in ("w:sz", "w:szCs"):
        _child(rpr, tag).set(qn("w:val"), str(round(size * 2)))
    settings = document.settings.element
    _child(settings, "w:themeFontLang").set(qn("w:eastAsia"), "zh-CN")


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
    properties = cell._tc.get_or_add_tcPr()
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
    _child(properties, "w:cantSplit")
    if repeat_as_header:
        _child(properties, "w:tblHeader")


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
