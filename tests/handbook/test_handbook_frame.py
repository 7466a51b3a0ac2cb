"""The Word handbook written as text into a frame: the same parts python-docx and lxml would write.

``frame.docx`` must be what ``docx_layout`` makes now; the body's XML text must be what
``wordxml``'s lxml elements serialise to; the numbering instances, links, title and settings
the build adds must be what python-docx adds to the same frame.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from lxml import etree

from manualkit.toolkit import wordxml
from manualkit.toolkit.errors import HandbookError
from manualkit.toolkit.handbook import body_xml
from manualkit.toolkit.handbook.build import Cover, Handbook
from manualkit.toolkit.handbook.chapter_sources import Chapter
from manualkit.toolkit.handbook.docx_build import write_docx
from manualkit.toolkit.handbook.docx_frame import (
    FRAME_FILE,
    NUMBERED_STYLES,
    Additions,
    document_parts,
    load_frame,
    make_frame,
)
from manualkit.toolkit.handbook.tree import markdown_parser, parse_chapters

W_NS, R_NS = (wordxml.qn(f"{prefix}:id").split("}")[0][1:] for prefix in ("w", "r"))
TEXTS = ["文字", "", " 前后有空格 ", "a & b < c > d \"引号\" 'x'", "两行\n文字", "\n", "末尾换行\n", "制表\t符", "回车\r"]


def lxml_text(element: etree._Element) -> str:
    """Return ``element`` as lxml writes it, without the namespace declaration a detached element carries."""
    return etree.tostring(element, encoding="unicode").replace(f' xmlns:w="{W_NS}"', "").replace(
        f' xmlns:r="{R_NS}"', "")


def lxml_hyperlink(p: etree._Element, *, anchor: str | None = None, rel_id: str | None = None) -> etree._Element:
    """Append a ``w:hyperlink`` as python-docx's element API would (the handbook's writer before it wrote text)."""
    attrs = {wordxml.qn("w:anchor"): anchor, wordxml.qn("w:history"): "1"} if anchor else {wordxml.qn("r:id"): rel_id}
    link = p.makeelement(wordxml.qn("w:hyperlink"), attrs)
    p.append(link)
    return link


def lxml_bookmark(p: etree._Element, name: str, bookmark_id: int) -> None:
    """Wrap the content of ``p`` after its properties in the bookmark ``name``."""
    p.insert(1, p.makeelement(wordxml.qn("w:bookmarkStart"), {wordxml.qn("w:id"): str(bookmark_id),
                                                                 wordxml.qn("w:name"): name}))
    p.append(p.makeelement(wordxml.qn("w:bookmarkEnd"), {wordxml.qn("w:id"): str(bookmark_id)}))


def test_frame_docx_is_what_docx_layout_makes_now() -> None:
    with zipfile.ZipFile(io.BytesIO(make_frame())) as made, zipfile.ZipFile(FRAME_FILE) as kept:
        made_parts = {info.filename: made.read(info) for info in made.infolist()}
        kept_parts = {info.filename: kept.read(info) for info in kept.infolist()}
    assert made_parts == kept_parts, "frame.docx 已过时：运行 python -m manualkit.toolkit.handbook.docx_frame 重新生成"


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize(("style", "bold", "italic"), [(None, False, False), ("Code", True, False), (None, True, True)])
def test_a_run_is_what_lxml_writes(text: str, style: str | None, bold: bool, italic: bool) -> None:
    p = wordxml.paragraph("BodyText")
    wordxml.run(p, text, style_id=style, bold=bold, italic=italic)
    assert body_xml.paragraph("BodyText") + body_xml.run(text, style_id=style, bold=bold, italic=italic) \
        + body_xml.P_END == lxml_text(p)


@pytest.mark.parametrize(("num_id", "align"), [(None, None), (12, None), (None, "center"), (3, "right")])
def test_a_paragraph_is_what_lxml_writes(num_id: int | None, align: str | None) -> None:
    p = wordxml.paragraph("List<&\">", num_id=num_id, align=align)
    assert body_xml.paragraph("List<&\">", num_id=num_id, align=align) + body_xml.P_END == lxml_text(p)


def test_a_table_a_link_and_a_bookmark_are_what_lxml_write() -> None:
    tbl = wordxml.table("TableGrid", [1000, 2345])
    etree.Element(wordxml.qn("w:body"), nsmap={"w": W_NS, "r": R_NS}).append(tbl)  # r: declared, as in a document
    for heading, height in ((True, None), (False, 454)):
        tr = wordxml.table_row(tbl, heading=heading, height_twips=height)
        for width in (1000, 2345):
            tc = wordxml.table_cell(tr, width, shade="E7E6E6" if heading else None)
            tc.append(p := wordxml.paragraph("TableText"))
            wordxml.run(lxml_hyperlink(p, anchor="sec-1_2"), "链接")
            wordxml.run(lxml_hyperlink(p, rel_id="rId12"), "外链")
    text = [body_xml.table("TableGrid", [1000, 2345])]
    for heading, height in ((True, None), (False, 454)):
        text.append(body_xml.table_row(heading=heading, height_twips=height))
        for width in (1000, 2345):
            text += [body_xml.table_cell(width, shade="E7E6E6" if heading else None), body_xml.paragraph("TableText"),
                     body_xml.hyperlink(anchor="sec-1_2"), body_xml.run("链接"), body_xml.HYPERLINK_END,
                     body_xml.hyperlink(rel_id="rId12"), body_xml.run("外链"), body_xml.HYPERLINK_END,
                     body_xml.P_END, body_xml.TC_END]
        text.append(body_xml.TR_END)
    assert "".join(text) + body_xml.TBL_END == lxml_text(tbl)
    p = wordxml.paragraph("Heading1")
    wordxml.run(p, "标题")
    lxml_bookmark(p, "标题_1", 7)
    assert (body_xml.paragraph("Heading1") + body_xml.bookmark_start("标题_1", 7) + body_xml.run("标题")
            + body_xml.bookmark_end(7) + body_xml.P_END) == lxml_text(p)


@pytest.mark.parametrize("title", ["客户经理岗位职责手册", " 空格 ", "A & B <手册>", "两行\n标题", "制表\t符", ""])
def test_numbering_links_title_and_settings_are_what_python_docx_adds(title: str) -> None:
    frame = load_frame()
    doc = Document(str(FRAME_FILE))  # python-docx opens the frame as it opens any document
    additions = Additions.of(frame)
    numbering = doc.part.numbering_part.element
    for style in [*NUMBERED_STYLES, NUMBERED_STYLES[0]]:
        style_num_id = doc.styles[style].element.pPr.numPr.numId.val
        num = numbering.add_num(numbering.num_having_numId(style_num_id).abstractNumId.val)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        assert additions.new_numbering(style) == num.numId
    for target in ["https://example.com/a?b=1&c=2", "mailto:x@example.com", "https://example.com/a?b=1&c=2"]:
        assert additions.link(target) == doc.part.relate_to(target, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    header = doc.sections[0].header.paragraphs[0]
    header.text = title
    settings = doc.settings.element
    settings.remove(settings.find(qn("w:updateFields")))
    saved = io.BytesIO()
    doc.save(saved)
    with zipfile.ZipFile(saved) as archive:
        expected = {info.filename: archive.read(info) for info in archive.infolist()}
    ours = dict(document_parts(additions, title, "", ask_to_update_fields=False))
    for name in ("word/numbering.xml", "word/_rels/document.xml.rels", "word/header1.xml", "word/settings.xml",
                 "word/document.xml", "word/styles.xml", "[Content_Types].xml"):
        assert ours[name] == expected[name], name


@pytest.mark.parametrize("written", ["\x01", "&#x0c;", "&#12;"])  # (Markdown makes &#1; a U+FFFD itself)
def test_a_control_character_is_refused_naming_the_file_and_line(tmp_path: Path, written: str) -> None:
    """Typed, or written as a character entity (which Markdown turns into the character itself)."""
    chapters = parse_chapters(markdown_parser(), [Chapter("第一章.md", f"# 标题\n\n第一段\n\n有{written}控制字符\n")])
    handbook = Handbook(Cover("手册", "单位", "第 1 版", dt.date(2026, 11, 23)), chapters)
    code = "0001" if written == "\x01" else "000C"
    with pytest.raises(HandbookError, match=rf"第一章\.md 第 5 行：含有 Word 文档不能保存的控制字符 U\+{code}"):
        write_docx(handbook, tmp_path / "手册.docx")
    assert not (tmp_path / "手册.docx").exists()
