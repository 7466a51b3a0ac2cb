"""The Word handbook's cover page and table of contents, as XML text before the chapters."""

from __future__ import annotations

from manualkit.toolkit.handbook import body_xml as xml
from manualkit.toolkit.handbook.model import Cover

TOC_LEVELS = 2
_TITLE_SPACE_TWIPS, _VERSION_SPACE_TWIPS = 3600, 2400  # 180 pt and 120 pt: the cover's title low on the page


def cover(style_ids: dict[str, str], handbook_cover: Cover) -> list[str]:
    """Return the cover page and the contents' heading (its style starts a new page)."""
    out = []
    for style, text, space_before in [
        ("Title", handbook_cover.title, _TITLE_SPACE_TWIPS), ("Subtitle", handbook_cover.organisation, None),
        ("Subtitle", f"版本 {handbook_cover.version}", _VERSION_SPACE_TWIPS),
        ("Subtitle", handbook_cover.date_text(), None), ("TOC Heading", "目录", None),
    ]:
        out += [xml.paragraph(style_ids[style], space_before_twips=space_before), xml.run(text), xml.P_END]
    return out


def contents(style_ids: dict[str, str], entries: list[tuple[int, str, str]], pages: list[str] | None) -> list[str]:
    """Return the table of contents: a TOC field whose result lists ``entries``, with their ``pages``.

    Each entry is (level, text, bookmark), a link to its heading. The pages, when
    known, are plain text after a dotted tab: LibreOffice imports the result as
    text, so page references inside it would be lost anyway. Without them, Word and
    WPS refill the field on opening (the frame's ``updateFields``).
    """
    shown = entries or [(1, "", "")]
    out = []
    for index, (level, text, bookmark) in enumerate(shown):
        out.append(xml.paragraph(style_ids[f"TOC {level}"]))
        if index == 0:
            field = _instruction(f'TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u')
            out += [_field_char("begin"), field, _field_char("separate")]
        if bookmark:
            out += [xml.hyperlink(anchor=bookmark), xml.run(text), xml.HYPERLINK_END]
        if pages is not None and index < len(pages):
            out += ["<w:r><w:tab/></w:r>", xml.run(pages[index])]
        if index == len(shown) - 1:
            out.append(_field_char("end"))
        out.append(xml.P_END)
    return out


def _field_char(kind: str) -> str:
    return f'<w:r><w:fldChar w:fldCharType="{kind}"/></w:r>'


def _instruction(text: str) -> str:
    return f'<w:r><w:instrText xml:space="preserve"> {xml.escape_text(text)} </w:instrText></w:r>'
