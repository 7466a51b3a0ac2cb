"""Write parsed chapters as the Word body's XML: a dispatch over the syntax tree.

``HANDLERS`` maps a block node type to the function writing it, as
markdown-it-py's ``RendererHTML.rules`` does for HTML; inline nodes become runs
(``_INLINE``). All formatting lives in styles (``docx_layout``), whose ids are
known from the frame (``docx_frame``). Paragraphs, runs and tables are written as
XML text (``body_xml``), in document order, so the build stays fast. A node type
without a handler is a ``HandbookError`` naming the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from markdown_it.tree import SyntaxTreeNode

from manualkit.toolkit.handbook import body_xml as xml
from manualkit.toolkit.handbook.docx_frame import Additions
from manualkit.toolkit.handbook.docx_table import write_table
from manualkit.toolkit.handbook.tree import CJK, ParsedChapter, error_at

_ENTITY = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));")


def bookmark_name(anchor: str) -> str:
    """Return the Word bookmark name of a heading anchor (letters, digits, ``_``; 40 at most)."""
    return re.sub(r"\W", "_", anchor)[:40]


@dataclass(frozen=True, slots=True)
class Format:
    """Inline formatting in force: bold, italic, code, inside a link."""

    bold: bool = False
    italic: bool = False
    code: bool = False
    link: bool = False


@dataclass(frozen=True, slots=True)
class _Context:
    """Where a block is written: list depth and the paragraph style to use."""

    style: str = "Body Text"
    depth: int = 0


@dataclass(slots=True)
class DocxWriter:
    """Writes chapters as the body's XML (``out``); one writer per document, numbering and links in ``additions``."""

    additions: Additions
    origin: str = ""
    style_ids: dict[str, str] = field(default_factory=dict)
    out: list[str] = field(default_factory=list)  # the body's XML so far, in document order
    _bookmark_id: int = 0

    def __post_init__(self) -> None:
        self.style_ids = self.additions.frame.style_ids

    def write(self, chapter: ParsedChapter) -> None:
        """Write one parsed chapter after what is written.

        Raises:
            HandbookError: the chapter holds a character Word cannot store, or an element no handler writes.
        """
        self.origin = chapter.chapter.origin
        start = len(self.out)
        for node in chapter.tree.children:
            self.block(node, _Context())
        if found := xml.XML_ILLEGAL.search("".join(self.out[start:])):  # typed, or written as an entity
            line = _line_of(chapter.chapter.markdown, found[0])
            raise error_at(self.origin, line, f"含有 Word 文档不能保存的控制字符 U+{ord(found[0]):04X}")

    def block(self, node: SyntaxTreeNode, ctx: _Context) -> None:
        """Write one block node with the handler for its type."""
        handler = HANDLERS.get(node.type)
        if handler is None:
            raise error_at(self.origin, _line(node), f"不支持的 Markdown 元素：{node.type}")
        handler(self, node, ctx)

    def paragraph(self, style: str, node: SyntaxTreeNode | None = None, num_id: int | None = None) -> None:
        """Write a paragraph in ``style`` holding the inline children of ``node``."""
        self.out.append(xml.paragraph(self.style_ids[style], num_id=num_id))
        if node is not None:
            self.inline(node)
        self.out.append(xml.P_END)

    def inline(self, node: SyntaxTreeNode, fmt: Format = Format()) -> None:
        """Write the inline children of ``node`` as runs."""
        for child in node.children:
            writer = _INLINE.get(child.type)
            if writer is None:
                raise error_at(self.origin, _line(node), f"不支持的 Markdown 元素：{child.type}")
            writer(self, child, fmt)

    def run(self, text: str, fmt: Format) -> None:
        """Write a run of ``text`` with the formatting ``fmt``."""
        style = "Hyperlink" if fmt.link else "Code" if fmt.code else None
        self.out.append(xml.run(text, style_id=self.style_ids[style] if style else None,
                                bold=fmt.bold, italic=fmt.italic))

    def next_bookmark_id(self) -> int:
        """Return the id of a new bookmark."""
        self._bookmark_id += 1
        return self._bookmark_id

    def new_numbering(self, style: str) -> int:
        """Return a new numbering instance, starting at 1, of the list style ``style``.

        Each list gets its own instance so that it counts from 1; it shares the
        style's list definition, which holds the indentation of that depth.
        """
        return self.additions.new_numbering(style)


def _line_of(markdown: str, character: str) -> int | None:
    """Return the line of ``markdown`` where ``character`` is, typed or as a character entity (``&#12;``)."""
    at = markdown.find(character)
    if at < 0:
        at = next((m.start() for m in _ENTITY.finditer(markdown)
                   if int(m[1] or m[2], 16 if m[1] else 10) == ord(character)), -1)
    return markdown.count("\n", 0, at) + 1 if at >= 0 else None


def _line(node: SyntaxTreeNode) -> int | None:
    while node.parent is not None and not node.parent.is_root and node.map is None:
        node = node.parent
    return node.map[0] + 1 if not node.is_root and node.map else None


# Blocks


def _heading(writer: DocxWriter, node: SyntaxTreeNode, ctx: _Context) -> None:
    # The heading is the bookmark links to its anchor go to: the bookmark spans the paragraph's runs.
    bookmark_id = writer.next_bookmark_id()
    writer.out += [xml.paragraph(writer.style_ids[f"Heading {node.tag[1]}"]),
                   xml.bookmark_start(bookmark_name(str(node.attrs["id"])), bookmark_id)]
    if number := node.meta.get("number"):
        writer.run(f"{number}\u3000", Format())
    writer.inline(node.children[0])
    writer.out += [xml.bookmark_end(bookmark_id), xml.P_END]


def _paragraph(writer: DocxWriter, node: SyntaxTreeNode, ctx: _Context) -> None:
    writer.paragraph(ctx.style, node.children[0])


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
                writer.paragraph(item_style, child.children[0], num_id)
            else:  # later paragraphs of an item, nested lists
                writer.block(child, _Context(style=f"List Continue{suffix}", depth=depth))


def _table(writer: DocxWriter, node: SyntaxTreeNode, ctx: _Context) -> None:
    write_table(writer, node)
    writer.paragraph("Table Text")  # keeps the next table or heading apart from this one


# Inline


def _text(writer: DocxWriter, node: SyntaxTreeNode, fmt: Format) -> None:
    writer.run(node.content, fmt)


def _code(writer: DocxWriter, node: SyntaxTreeNode, fmt: Format) -> None:
    writer.run(node.content, replace(fmt, code=True))


def _strong(writer: DocxWriter, node: SyntaxTreeNode, fmt: Format) -> None:
    writer.inline(node, replace(fmt, bold=True))


def _em(writer: DocxWriter, node: SyntaxTreeNode, fmt: Format) -> None:
    writer.inline(node, replace(fmt, italic=True))


def _softbreak(writer: DocxWriter, node: SyntaxTreeNode, fmt: Format) -> None:
    # Chinese lines join without a space; Latin words keep theirs.
    previous, following = node.previous_sibling, node.next_sibling
    before = previous.content[-1:] if previous is not None else ""
    after = following.content[:1] if following is not None else ""
    if not (CJK.match(before) or CJK.match(after)):
        writer.run(" ", fmt)


def _hardbreak(writer: DocxWriter, node: SyntaxTreeNode, fmt: Format) -> None:
    writer.run("\n", fmt)


def _link(writer: DocxWriter, node: SyntaxTreeNode, fmt: Format) -> None:
    href = str(node.attrs["href"])
    if href.startswith("#"):
        writer.out.append(xml.hyperlink(anchor=bookmark_name(href[1:])))
    else:
        writer.out.append(xml.hyperlink(rel_id=writer.additions.link(href)))
    start = len(writer.out)
    writer.inline(node, replace(fmt, link=True))
    if len(writer.out) == start:  # no text: an empty element, as lxml writes it
        writer.out[-1] = writer.out[-1][:-1] + "/>"
    else:
        writer.out.append(xml.HYPERLINK_END)


HANDLERS: dict[str, Callable[[DocxWriter, SyntaxTreeNode, _Context], None]] = {
    "heading": _heading,
    "paragraph": _paragraph,
    "bullet_list": _list,
    "ordered_list": _list,
    "blockquote": _blockquote,
    "table": _table,
}
_INLINE: dict[str, Callable[[DocxWriter, SyntaxTreeNode, Format], None]] = {
    "text": _text,
    "code_inline": _code,
    "strong": _strong,
    "em": _em,
    "softbreak": _softbreak,
    "hardbreak": _hardbreak,
    "link": _link,
}
