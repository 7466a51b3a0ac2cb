"""The Word handbook's page, styles, cover, table of contents and footer.

Styles carry all formatting (the writer only picks a style per paragraph): an
East Asian font through ``w:eastAsia`` and the zh-CN language in docDefaults and
in every style we touch, so Word, WPS and LibreOffice choose Simplified Chinese
glyphs. Theme font references of python-docx's default template are removed,
because they would override the named fonts.
"""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION_START
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.styles.style import BaseStyle, CharacterStyle
from docx.styles.styles import Styles
from lxml.etree import _Element

from manualkit.toolkit.handbook.docx_frame import PAGE_HEIGHT_EMU, PAGE_WIDTH_EMU, SIDE_MARGIN_EMU
from manualkit.toolkit.handbook.docx_front import TOC_LEVELS
from manualkit.toolkit.wordxml import add_field, set_fonts

SERIF = ("Times New Roman", "宋体")  # (Latin, East Asian): body text
SANS = ("Arial", "黑体")  # headings, cover, table headers
LANGUAGE = "zh-CN"  # of the Latin text too (w:val)
PAGE_SIZE = (Emu(PAGE_WIDTH_EMU), Emu(PAGE_HEIGHT_EMU))  # A4
SIDE_MARGIN = Emu(SIDE_MARGIN_EMU)
_SETTINGS_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr",
    "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
    "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)
_HEADINGS = {1: (16, 24, 18), 2: (14, 18, 8), 3: (12, 12, 6), 4: (10.5, 8, 4)}  # size, before, after (pt)


def setup_document(doc: DocumentObject, title: str, *, ask_to_update_fields: bool = True) -> None:
    """Give ``doc`` A4 pages, the handbook's styles and a footer with page numbers.

    ``ask_to_update_fields``: make Word fill the contents on opening (when they lack page numbers).
    """
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_SIZE
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.left_margin = section.right_margin = SIDE_MARGIN
    section.start_type = WD_SECTION_START.NEW_PAGE
    _set_fonts(doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")), SERIF)
    _paragraph_styles(doc)
    _character_styles(doc)
    _header_footer(doc, title)
    if ask_to_update_fields:
        _ask_to_update_fields(doc)


# Styles


def _paragraph_styles(doc: DocumentObject) -> None:
    _body_styles(doc.styles)
    _heading_styles(doc.styles)
    _contents_styles(doc.styles)
    _table_styles(doc.styles)


def _body_styles(styles: Styles) -> None:
    normal = styles["Normal"]
    _font(normal, SERIF, 10.5)
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.3
    body = styles["Body Text"]
    body.paragraph_format.first_line_indent = Pt(21)  # two characters, as Chinese prose is set
    body.paragraph_format.space_after = Pt(6)
    quote = styles["Quote"]
    _font(quote, SERIF, 10.5)  # upright: Chinese has no italic, Word would slant it
    quote.font.color.rgb = RGBColor(0x59, 0x63, 0x6E)
    quote.paragraph_format.left_indent = Pt(21)
    for name in ("List Bullet", "List Bullet 2", "List Number", "List Number 2", "List Continue"):
        styles[name].paragraph_format.space_after = Pt(2)


def _heading_styles(styles: Styles) -> None:
    for level, (size, before, after) in _HEADINGS.items():
        heading = styles[f"Heading {level}"]
        _font(heading, SANS, size, bold=True)
        fmt = heading.paragraph_format
        fmt.space_before, fmt.space_after, fmt.keep_with_next = Pt(before), Pt(after), True
        fmt.page_break_before = level == 1
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER if level == 1 else None
    _font(styles["Title"], SANS, 26, bold=True)
    _font(styles["Subtitle"], SERIF, 15)
    for name in ("Title", "Subtitle"):
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _clear_borders(styles[name].element)


def _contents_styles(styles: Styles) -> None:
    toc_heading = styles["TOC Heading"]
    _font(toc_heading, SANS, 16, bold=True)
    toc_heading.paragraph_format.page_break_before = True
    toc_heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for level in range(1, TOC_LEVELS + 1):
        toc = styles.add_style(f"TOC {level}", WD_STYLE_TYPE.PARAGRAPH)
        toc.base_style, toc.paragraph_format.left_indent = styles["Normal"], Pt(21 * (level - 1))
        toc.paragraph_format.space_after = Pt(2)
        toc.paragraph_format.tab_stops.add_tab_stop(PAGE_SIZE[0] - 2 * SIDE_MARGIN, WD_TAB_ALIGNMENT.RIGHT,
                                                    WD_TAB_LEADER.DOTS)  # the page number, after dots
        _font(toc, SANS if level == 1 else SERIF, 10.5)


def _table_styles(styles: Styles) -> None:
    table_text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = styles["Normal"]
    _font(table_text, SERIF, 9)
    table_text.paragraph_format.space_after, table_text.paragraph_format.line_spacing = Pt(0), 1.15
    table_heading = styles.add_style("Table Heading", WD_STYLE_TYPE.PARAGRAPH)
    table_heading.base_style = table_text
    _font(table_heading, SANS, 9, bold=True)
    table_heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _character_styles(doc: DocumentObject) -> None:
    link = doc.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb, link.font.underline = RGBColor(0x1F, 0x4E, 0x9A), True
    code = doc.styles.add_style("Code", WD_STYLE_TYPE.CHARACTER)
    code.font.name = "Consolas"


def _font(style: BaseStyle, fonts: tuple[str, str], size: float, *, bold: bool = False) -> None:
    assert isinstance(style, CharacterStyle)  # a paragraph or character style: they have a font
    font = style.font
    font.size, font.bold, font.italic = Pt(size), bold, False
    font.color.rgb = RGBColor(0, 0, 0)
    _set_fonts(style.element.get_or_add_rPr(), fonts)


def _set_fonts(rpr: _Element, fonts: tuple[str, str]) -> None:
    set_fonts(rpr, fonts, latin_language=LANGUAGE)


def _clear_borders(element: _Element) -> None:
    ppr = element.find(qn("w:pPr"))
    if ppr is not None and (border := ppr.find(qn("w:pBdr"))) is not None:
        ppr.remove(border)


# Header, footer, fields


def _ask_to_update_fields(doc: DocumentObject) -> None:
    """Make Word and WPS offer to fill the table of contents when the file is opened."""
    settings = doc.settings.element
    update = settings.makeelement(qn("w:updateFields"), {qn("w:val"): "true"})
    # w:settings is a strict sequence: the element goes before its schema successors.
    settings.insert_element_before(update, *_SETTINGS_AFTER_UPDATE_FIELDS)


def _header_footer(doc: DocumentObject, title: str) -> None:
    section = doc.sections[0]
    section.different_first_page_header_footer = True  # no header or number on the cover
    header = section.header.paragraphs[0]
    header.text, header.style = title, doc.styles["Header"]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    add_field(footer, "PAGE")
    footer.add_run(" 页")
    for paragraph in (header, footer):
        _set_fonts(paragraph.style.element.get_or_add_rPr(), SERIF)
