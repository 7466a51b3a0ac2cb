"""Write parsed chapters into a python-docx Document: a dispatch over the syntax tree.

``HANDLERS`` maps a block node type to the function writing it, as
markdown-it-py's ``RendererHTML.rules`` does for HTML; inline nodes become runs
(``_INLINE``). All formatting lives in styles (``docx_layout``), whose ids are
looked up once per document; paragraphs, runs and tables are appended as lxml
elements (``manualkit.toolkit.wordxml``), so the build stays fast. A node type without a handler
is a ``HandbookError`` naming the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from docx.document import Document as DocumentObject
from docx.opc.constants import RELATIONSHIP_TYPE
from lxml.etree import _Element
from markdown_it.tree import SyntaxTreeNode

from manualkit.toolkit import wordxml as xml
from manualkit.toolkit.handbook.docx_table import write_table
from manualkit.toolkit.handbook.tree import CJK, ParsedChapter, error_at

_STYLES = ("Body Text", "Quote", "Table Text", "Table Heading", "Hyperlink", "Code", "Table Grid",
           *(f"Heading {n}" for n in range(1, 5)),
           *(f"List {kind}{suffix}" for kind in ("Bullet", "Number", "Continue") for suffix in ("", " 2", " 3")))


def bookmark_name(anchor: str) -> str:
    """Return the Word bookmark name of a heading anchor (letters, digits, ``_``; 40 at most)."""
    return re.sub(r"\W", "_", anchor)[:40]


@dataclass(frozen=True, slots=True)
class Format:
    """Inline formatting in force: bold, italic, code, inside a link."""

    bold: bool = False
    italic: bool = False
    code: bool = False
    link: _Element | None = None


@dataclass(frozen=True, slots=True)
class _Context:
    """Where a block is written: list depth and the paragraph style to use."""

    style: str = "Body Text"
    depth: int = 0


@dataclass(slots=True)
class DocxWriter:
    """Writes chapters into ``doc``; one writer per document."""

    doc: DocumentObject
    origin: str = ""
    style_ids: dict[str, str] = field(default_factory=dict)
    _end: _Element | None = None  # the body's final section properties
    _bookmark_id: int = 0

    def __post_init__(self) -> None:
        # Looked up once: python-docx's by-name lookup scans every style each time.
        self.style_ids = {name: self.doc.styles[name].style_id for name in _STYLES}
        self._end = self.doc.element.body.sectPr

    def write(self, chapter: ParsedChapter) -> None:
        """Append one parsed chapter to the document."""
        self.origin = chapter.chapter.origin
        for node in chapter.tree.children:
            self.block(node, _Context())

    def block(self, node: SyntaxTreeNode, ctx: _Context) -> None:
        """Write one block node with the handler for its type."""
        handler = HANDLERS.get(node.type)
        if handler is None:
            raise error_at(self.origin, _line(node), f"不支持的 Markdown 元素：{node.type}")
        handler(self, node, ctx)

    def append(self, element: _Element) -> _Element:
        """Append a block element (paragraph, table) to the end of the body."""
        assert self._end is not None
        self._end.addprevious(element)
        return element

    def paragraph(self, style: str, num_id: int | None = None) -> _Element:
        """Append and return a new paragraph in ``style``."""
        return self.append(xml.paragraph(self.style_ids[style], num_id=num_id))

    def inline(self, parent: _Element, node: SyntaxTreeNode, fmt: Format = Format()) -> None:
        """Write the inline children of ``node`` as runs of the paragraph ``parent``."""
        for child in node.children:
            writer = _INLINE.get(child.type)
            if writer is None:
                raise error_at(self.origin, _line(node), f"不支持的 Markdown 元素：{child.type}")
            writer(self, parent, child, fmt)

    def run(self, parent: _Element, text: str, fmt: Format) -> None:
        """Append a run of ``text`` with the formatting ``fmt``."""
        style = "Hyperlink" if fmt.link is not None else "Code" if fmt.code else None
        xml.run(fmt.link if fmt.link is not None else parent, text,
                style_id=self.style_ids[style] if style else None, bold=fmt.bold, italic=fmt.italic)

    def bookmark(self, p: _Element, anchor: str) -> None:
        """Make paragraph ``p`` the target of links to ``#anchor``."""
        self._bookmark_id += 1
        xml.bookmark(p, bookmark_name(anchor), self._bookmark_id)

    def new_numbering(self, style: str) -> int:
        """Return a new numbering instance, starting at 1, of the list style ``style``.

        Each list gets its own instance so that it counts from 1; it shares the
        style's list definition, which holds the indentation of that depth.
        """
        numbering = self.doc.part.numbering_part.element
        style_num_id = self.doc.styles[style].element.pPr.numPr.numId.val
        num = numbering.add_num(numbering.num_having_numId(style_num_id).abstractNumId.val)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return int(num.numId)


def _line(node: SyntaxTreeNode) -> int | None:
    while node.parent is not None and not node.parent.is_root and node.map is None:
        node = node.parent
    return node.map[0] + 1 if not node.is_root and node.map else None


# Blocks


def _heading(writer: DocxWriter, node: SyntaxTreeNode, ctx: _Context) -> None:
    p = writer.paragraph(f"Heading {node.tag[1]}")
    if number := node.meta.get("number"):
        writer.run(p, f"{number}\u3000", Format())
    writer.inline(p, node.children[0])
    writer.bookmark(p, str(node.attrs["id"]))


def _paragraph(writer: DocxWriter, node: SyntaxTreeNode, ctx: _Context) -> None:
    writer.inline(writer.paragraph(ctx.style), node.children[0])


def _blockquote(writer: DocxWriter, node: SyntaxTreeNode, ctx: _Context) -> None:
    for child in node.children:
        writer.block(child, replace(ctx, style="Quote"))


def _list(writer: DocxWriter, node: SyntaxTreeNode, ctx: _Context) -> None:
    depth = min(ctx.depth + 1, 3)
    suffix = "" if depth == 1 else f" {depth}"
    ordered = node.type == "ordered_list"
    item_style = f"List {'Number' if ordered else 'Bullet'}{suffix}"
    num_id = writer.new_numbering(item_style) if ordered else None
    for item in node.children:
        for index, child in enumerate(item.children):
            if index == 0 and child.type == "paragraph":
                writer.inline(writer.paragraph(item_style, num_id), child.children[0])
            else:  # later paragraphs of an item, nested lists
                writer.block(child, _Context(style=f"List Continue{suffix}", depth=depth))


def _table(writer: DocxWriter, node: SyntaxTreeNode, ctx: _Context) -> None:
    write_table(writer, node)
    writer.paragraph("Table Text")  # keeps the next table or heading apart from this one


# Inline


def _text(writer: DocxWriter, parent: _Element, node: SyntaxTreeNode, fmt: Format) -> None:
    writer.run(parent, node.content, fmt)


def _code(writer: DocxWriter, parent: _Element, node: SyntaxTreeNode, fmt: Format) -> None:
    writer.run(parent, node.content, replace(fmt, code=True))


def _strong(writer: DocxWriter, parent: _Element, node: SyntaxTreeNode, fmt: Format) -> None:
    writer.inline(parent, node, replace(fmt, bold=True))


def _em(writer: DocxWriter, parent: _Element, node: SyntaxTreeNode, fmt: Format) -> None:
    writer.inline(parent, node, replace(fmt, italic=True))


def _softbreak(writer: DocxWriter, parent: _Element, node: SyntaxTreeNode, fmt: Format) -> None:
    # Chinese lines join without a space; Latin words keep theirs.
    previous, following = node.previous_sibling, node.next_sibling
    before = previous.content[-1:] if previous is not None else ""
    after = following.content[:1] if following is not None else ""
    if not (CJK.match(before) or CJK.match(after)):
        writer.run(parent, " ", fmt)


def _hardbreak(writer: DocxWriter, parent: _Element, node: SyntaxTreeNode, fmt: Format) -> None:
    writer.run(parent, "\n", fmt)


def _link(writer: DocxWriter, parent: _Element, node: SyntaxTreeNode, fmt: Format) -> None:
    href = str(node.attrs["href"])
    if href.startswith("#"):
        link = xml.hyperlink(parent, anchor=bookmark_name(href[1:]))
    else:
        rel_id = writer.doc.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = xml.hyperlink(parent, rel_id=rel_id)
    writer.inline(parent, node, replace(fmt, link=link))


HANDLERS: dict[str, Callable[[DocxWriter, SyntaxTreeNode, _Context], None]] = {
    "heading": _heading,
    "paragraph": _paragraph,
    "bullet_list": _list,
    "ordered_list": _list,
    "blockquote": _blockquote,
    "table": _table,
}
_INLINE: dict[str, Callable[[DocxWriter, _Element, SyntaxTreeNode, Format], None]] = {
    "text": _text,
    "code_inline": _code,
    "strong": _strong,
    "em": _em,
    "softbreak": _softbreak,
    "hardbreak": _hardbreak,
    "link": _link,
}
