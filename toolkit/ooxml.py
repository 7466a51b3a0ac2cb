"""Word (OOXML) run properties and fields shared by the form templates and the handbook.

Chinese text must name an East Asian font (``w:eastAsia``) and carry
``w:lang w:eastAsia="zh-CN"``, otherwise Word, WPS and LibreOffice fall back to
a Japanese or Latin font; digits and Latin text keep a Latin font.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph


def set_fonts(rpr: OxmlElement, fonts: tuple[str, str], *, latin_language: str = "en-US") -> None:
    """Set the Latin and East Asian fonts and the zh-CN language on run properties ``rpr``.

    Theme fonts are removed, because they would win over the named ones.
    ``latin_language`` is the language (``w:val``) of the non-Chinese text.
    """
    latin, east_asian = fonts
    rfonts = child(rpr, "w:rFonts", first=True)
    for attribute in list(rfonts.attrib):
        if attribute.endswith("Theme") or attribute.endswith("theme"):
            del rfonts.attrib[attribute]
    for key, value in (("ascii", latin), ("hAnsi", latin), ("cs", latin), ("eastAsia", east_asian)):
        rfonts.set(qn(f"w:{key}"), value)
    lang = child(rpr, "w:lang")
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
    paragraph._p.append(field)


def child(parent: OxmlElement, tag: str, *, first: bool = False) -> OxmlElement:
    """Return ``parent``'s child ``tag``, adding it (at the start if ``first``) when missing."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found
