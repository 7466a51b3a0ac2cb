"""Write parsed chapters into one python-docx Document: a dispatch over the syntax tree.

``HANDLERS`` maps a block node type to the function writing it, as
markdown-it-py's ``RendererHTML.rules`` does for HTML; inline nodes become runs
(``_INLINE``). Formatting comes from styles looked up once per document, so
writing a paragraph is a few lxml calls. A node type without a handler is a
``HandbookError`` naming the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from docx.document import Document as DocumentObject
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.styles.style import BaseStyle
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from markdown_it.tree import SyntaxTreeNode

from toolkit.handbook.docx_layout import PAGE_SIZE, SIDE_MARGIN
from toolkit.handbook.tree import ParsedChapter, error_at

_CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]")
_ALIGN = {"text-align:left": 0, "text-align:center": 1, "text-align:right": 2}
_BLANK_ROW_HEIGHT = Cm(0.8)
_TEXT_WIDTH_PT = (PAGE_SIZE[0] - 2 * SIDE_MARGIN) / 12700  # EMU per point
_TABLE_FONT_PT = 9  # the size of "Table Text"
_CELL_PADDING = 1.3  # the left and right cell margins, in characters


def bookmark_name(anchor: str) -> str:
    """Return the Word bookmark name of a heading anchor (letters, digits, ``_``; 40 at most)."""
    return re.sub(r"\W", "_", anchor)[:40]


@dataclass(frozen=True, slots=True)
class _Format:
    """Inline formatting in force: bold, italic, code, inside a link."""

    bold: bool = False
    italic: bool = False
    code: bool = False
    link: BaseOxmlElement | None = None


@dataclass(frozen=True, slots=True)
class _Context:
    """Where a block is written: list depth and the paragraph style to use."""

    style: str = "Body Text"
    depth: int = 0
    first_style: str | None = None  # the style of an item's first paragraph


@dataclass(slots=True)
class DocxWriter:
    """Writes chapters into ``doc``; one writer per document."""

    doc: DocumentObject
    origin: str = ""
    styles: dict[str, BaseStyle] = field(default_factory=dict)
    _bookmark_id: int = 0
    _list_number_abstract: str = ""

    def __post_init__(self) -> None:
        names = ["Body Text", "Quote", "Table Text", "Table Heading", "Hyperlink", "Code",
                 *(f"Heading {n}" for n in range(1, 5)),
                 *(f"List {kind}{suffix}" for kind in ("Bullet", "Number", "Continue") for suffix in ("", " 2", " 3"))]
        self.styles = {name: self.doc.styles[name] for name in names}
        number_style = self.styles["List Number"].element
        num_id = number_style.pPr.numPr.numId.val
        numbering = self.doc.part.numbering_part.element
        self._list_number_abstract = numbering.num_having_numId(num_id).abstractNumId.val

    def write(self, chapter: ParsedChapter) -> None:
        """Append one parsed chapter to the document."""
        self.origin = chapter.chapter.origin
        for node in chapter.tree().children:
            self.block(node, _Context())

    def block(self, node: SyntaxTreeNode, ctx: _Context) -> None:
        """Write one block node with the handler for its type."""
        handler = HANDLERS.get(node.type)
        if handler is None:
            line = node.map[0] + 1 if node.map else None
            raise error_at(self.origin, line, f"不支持的 Markdown 元素：{node.type}")
        handler(self, node, ctx)

    # Paragraphs and runs

    def paragraph(self, style: str) -> Paragraph:
        """Return a new paragraph at the end of the body in ``style``."""
        return self.doc.add_paragraph(style=self.styles[style])

    def inline(self, paragraph: Paragraph, node: SyntaxTreeNode, fmt: _Format = _Format()) -> None:
        """Write the inline children of ``node`` as runs of ``paragraph``."""
        for child in node.children:
            writer = _INLINE.get(child.type)
            if writer is None:
                raise error_at(self.origin, None, f"不支持的 Markdown 元素：{child.type}")
            writer(self, paragraph, child, fmt)

    def run(self, paragraph: Paragraph, text: str, fmt: _Format) -> None:
        """Append a run of ``text`` with the formatting ``fmt``."""
        element = OxmlElement("w:r")
        (fmt.link if fmt.link is not None else paragraph._p).append(element)
        run = Run(element, paragraph)  # type: ignore[arg-type]
        run.text = text
        if fmt.link is not None:
            run.style = self.styles["Hyperlink"]  # type: ignore[assignment]
        elif fmt.code:
            run.style = self.styles["Code"]  # type: ignore[assignment]
        if fmt.bold:
            run.bold = True
        if fmt.italic:
            run.italic = True

    def bookmark(self, paragraph: Paragraph, anchor: str) -> None:
        """Wrap the content of ``paragraph`` in a bookmark named after ``anchor``."""
        self._bookmark_id += 1
        attrs = {qn("w:id"): str(self._bookmark_id)}
        start = paragraph._p.makeelement(qn("w:bookmarkStart"), {**attrs, qn("w:name"): bookmark_name(anchor)})
        ppr = paragraph._p.pPr
        paragraph._p.insert(1 if ppr is not None else 0, start)
        paragraph._p.append(paragraph._p.makeelement(qn("w:bookmarkEnd"), attrs))

    def restart_numbering(self, paragraph: Paragraph, level: int) -> int:
        """Give ``paragraph`` a new numbering instance that starts at 1; return its id."""
        numbering = self.doc.part.numbering_part.element
        num = numbering.add_num(self._list_number_abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        self.set_number(paragraph, num.numId)
        return int(num.numId)

    @staticmethod
    def set_number(paragraph: Paragraph, num_id: int) -> None:
        """Number ``paragraph`` with the numbering instance ``num_id``."""
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = num_id


# Blocks


def _heading(writer: DocxWriter, node: SyntaxTreeNode, ctx: _Context) -> None:
    level = int(node.tag[1])
    paragraph = writer.paragraph(f"Heading {level}")
    if number := node.meta.get("number"):
        writer.run(paragraph, f"{number}\u3000", _Format())
    writer.inline(paragraph, node.children[0])
    writer.bookmark(paragraph, str(node.attrs["id"]))


def _paragraph(writer: DocxWriter, node: SyntaxTreeNode, ctx: _Context) -> None:
    paragraph = writer.paragraph(ctx.style)
    writer.inline(paragraph, node.children[0])


def _blockquote(writer: DocxWriter, node: SyntaxTreeNode, ctx: _Context) -> None:
    for child in node.children:
        writer.block(child, replace(ctx, style="Quote"))


def _list(writer: DocxWriter, node: SyntaxTreeNode, ctx: _Context) -> None:
    depth = min(ctx.depth + 1, 3)
    suffix = "" if depth == 1 else f" {depth}"
    ordered = node.type == "ordered_list"
    item_style = f"List {'Number' if ordered else 'Bullet'}{suffix}"
    num_id = None
    for item in node.children:
        item_ctx = _Context(style=f"List Continue{suffix}", depth=depth, first_style=item_style)
        for index, child in enumerate(item.children):
            if index == 0 and child.type == "paragraph":
                paragraph = writer.paragraph(item_style)
                writer.inline(paragraph, child.children[0])
                if ordered and num_id is None:
                    num_id = writer.restart_numbering(paragraph, depth)
                elif ordered and num_id is not None:
                    writer.set_number(paragraph, num_id)
            else:
                writer.block(child, item_ctx)


def _table(writer: DocxWriter, node: SyntaxTreeNode, ctx: _Context) -> None:
    rows = [row for section in node.children for row in section.children]
    width = max(len(row.children) for row in rows)
    table = writer.doc.add_table(rows=len(rows), cols=width)
    table.style = writer.doc.styles["Table Grid"]
    header_rows = len(node.children[0].children) if node.children[0].type == "thead" else 0
    for index, (row_node, row) in enumerate(zip(rows, table.rows, strict=True)):
        _table_row(writer, row_node, row.cells, heading=index < header_rows)
        _row_properties(row._tr, heading=index < header_rows, blank=_is_blank(row_node))
    _column_widths(table, rows, width)
    writer.paragraph("Table Text")  # keeps the next table or heading apart from this one


def _table_row(writer: DocxWriter, row_node: SyntaxTreeNode, cells: list, *, heading: bool) -> None:
    for cell_node, cell in zip(row_node.children, cells, strict=False):
        paragraph = cell.paragraphs[0]
        paragraph.style = writer.styles["Table Heading" if heading else "Table Text"]
        align = _ALIGN.get(str(cell_node.attrs.get("style", "")))
        if align is not None:
            paragraph.alignment = align
        writer.inline(paragraph, cell_node.children[0], _Format())
        if heading:
            _shade(cell._tc)


def _row_properties(tr: BaseOxmlElement, *, heading: bool, blank: bool) -> None:
    tr_pr = tr.get_or_add_trPr()
    tr_pr.append(tr_pr.makeelement(qn("w:cantSplit"), {}))
    if heading:
        tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))  # repeated on every page
    if blank:
        tr_pr.append(tr_pr.makeelement(qn("w:trHeight"), {qn("w:val"): str(_BLANK_ROW_HEIGHT.twips)}))


def _shade(tc: BaseOxmlElement) -> None:
    tc_pr = tc.get_or_add_tcPr()
    tc_pr.append(tc_pr.makeelement(qn("w:shd"), {qn("w:val"): "clear", qn("w:color"): "auto",
                                                  qn("w:fill"): "E7E6E6"}))


def _is_blank(row: SyntaxTreeNode) -> bool:
    return all(not cell.children[0].children for cell in row.children)


def _column_widths(table: Table, rows: list[SyntaxTreeNode], width: int) -> None:
    """Give short columns their natural width and share the rest among the long ones."""
    natural = [1.0] * width
    for row in rows:
        for index, cell in enumerate(row.children):
            natural[index] = max(natural[index], _text_width(cell) + _CELL_PADDING)
    widths = _fit(natural, _TEXT_WIDTH_PT / _TABLE_FONT_PT)
    table.autofit = False
    for column, chars in zip(table.columns, widths, strict=True):
        column.width = Pt(chars * _TABLE_FONT_PT)
    for row in table.rows:
        for cell, chars in zip(row.cells, widths, strict=True):
            cell.width = Pt(chars * _TABLE_FONT_PT)


def _fit(natural: list[float], room: float) -> list[float]:
    """Return column widths summing to ``room``: capped at one width, found by bisection."""
    low, high = 0.0, max(natural)
    for _ in range(30):
        cap = (low + high) / 2
        if sum(min(n, cap) for n in natural) > room:
            high = cap
        else:
            low = cap
    widths = [min(n, low) for n in natural]
    spare = (room - sum(widths)) / len(widths)  # the table always spans the text width
    return [w + spare for w in widths]


def _text_width(node: SyntaxTreeNode) -> float:
    """Return the width of a node's text in em: a Chinese character is 1, a Latin one about half."""
    if node.type in ("text", "code_inline"):
        return sum(1.0 if _CJK.match(char) else 0.55 for char in node.content)
    return sum(_text_width(child) for child in node.children)


# Inline


def _text(writer: DocxWriter, paragraph: Paragraph, node: SyntaxTreeNode, fmt: _Format) -> None:
    writer.run(paragraph, node.content, fmt)


def _code(writer: DocxWriter, paragraph: Paragraph, node: SyntaxTreeNode, fmt: _Format) -> None:
    writer.run(paragraph, node.content, replace(fmt, code=True))


def _strong(writer: DocxWriter, paragraph: Paragraph, node: SyntaxTreeNode, fmt: _Format) -> None:
    writer.inline(paragraph, node, replace(fmt, bold=True))


def _em(writer: DocxWriter, paragraph: Paragraph, node: SyntaxTreeNode, fmt: _Format) -> None:
    writer.inline(paragraph, node, replace(fmt, italic=True))


def _softbreak(writer: DocxWriter, paragraph: Paragraph, node: SyntaxTreeNode, fmt: _Format) -> None:
    # Chinese lines join without a space; Latin words keep theirs.
    previous, following = node.previous_sibling, node.next_sibling
    before = previous.content[-1:] if previous is not None else ""
    after = following.content[:1] if following is not None else ""
    if not (_CJK.match(before) or _CJK.match(after)):
        writer.run(paragraph, " ", fmt)


def _hardbreak(writer: DocxWriter, paragraph: Paragraph, node: SyntaxTreeNode, fmt: _Format) -> None:
    writer.run(paragraph, "\n", fmt)


def _link(writer: DocxWriter, paragraph: Paragraph, node: SyntaxTreeNode, fmt: _Format) -> None:
    href = str(node.attrs["href"])
    if href.startswith("#"):
        attrs = {qn("w:anchor"): bookmark_name(href[1:]), qn("w:history"): "1"}
    else:
        rel = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        attrs = {qn("r:id"): rel}
    link = paragraph._p.makeelement(qn("w:hyperlink"), attrs)
    paragraph._p.append(link)
    writer.inline(paragraph, node, replace(fmt, link=link))


HANDLERS: dict[str, Callable[[DocxWriter, SyntaxTreeNode, _Context], None]] = {
    "heading": _heading,
    "paragraph": _paragraph,
    "bullet_list": _list,
    "ordered_list": _list,
    "blockquote": _blockquote,
    "table": _table,
}
_INLINE: dict[str, Callable[[DocxWriter, Paragraph, SyntaxTreeNode, _Format], None]] = {
    "text": _text,
    "code_inline": _code,
    "strong": _strong,
    "em": _em,
    "softbreak": _softbreak,
    "hardbreak": _hardbreak,
    "link": _link,
}
