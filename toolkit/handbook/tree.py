"""Parse the chapters once for both outputs: tokens, headings numbered, links checked.

markdown-it-py parses CommonMark plus tables. Two additions, both pandoc's
syntax so that pandoc reads the same Markdown: a heading may end in ``{#id}``
(its anchor), and links to ``#id`` point at such anchors. Headings are numbered
here (第一章, 1.1, 1.1.1; appendices 附录A, A.1), and every construct the writers
cannot render is refused with its file and line, so nothing is silently lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from manualkit.toolkit.errors import HandbookError
from manualkit.toolkit.handbook.chapter import Chapter

# Node types (token types without _open/_close) the writers render.
BLOCK_TYPES = frozenset({
    "root", "heading", "paragraph", "bullet_list", "ordered_list", "list_item", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "inline",
})
INLINE_TYPES = frozenset({"text", "strong", "em", "code_inline", "link", "softbreak", "hardbreak"})
_KNOWN_TYPES = BLOCK_TYPES | INLINE_TYPES
MAX_HEADING_LEVEL = 4  # levels 1-3 are numbered, 4 is not
_NAMES = {
    "fence": "代码块", "code_block": "缩进代码块", "html_block": "HTML 代码", "html_inline": "HTML 标签",
    "image": "图片", "hr": "分隔线",
}
CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]")  # full-width: Chinese and its punctuation
_ANCHOR = re.compile(r"\s*\{#([A-Za-z][\w-]*)\}\s*$")
_CHINESE_DIGITS = "〇一二三四五六七八九"


@dataclass(frozen=True, slots=True)
class Heading:
    """A numbered heading: level 1 is a chapter or an appendix."""

    level: int
    number: str
    text: str
    anchor: str


@dataclass(slots=True)
class ParsedChapter:
    """A chapter's tokens (headings numbered) and its syntax tree."""

    chapter: Chapter
    tokens: list[Token]
    tree: SyntaxTreeNode  # over the same tokens: numbering them shows in the tree
    headings: list[Heading] = field(default_factory=list)


def markdown_parser() -> MarkdownIt:
    """Return the parser: CommonMark, tables, and ``{#id}`` heading anchors."""
    md = MarkdownIt("commonmark").enable("table")
    md.core.ruler.after("block", "heading_anchors", _heading_anchors)
    return md


def parse_chapters(md: MarkdownIt, chapters: list[Chapter]) -> list[ParsedChapter]:
    """Return the chapters parsed, checked and with their headings numbered.

    Raises:
        HandbookError: an unsupported construct, a chapter not starting with a
            level-1 heading, a duplicate anchor or a link to a missing one.
    """
    parsed = [_parse(md, chapter) for chapter in chapters]
    for item in parsed:
        _check_constructs(item)
    _number_headings(parsed)
    _check_links(parsed)
    return parsed


def error_at(origin: str, line: int | None, message: str) -> HandbookError:
    """Return a HandbookError whose message names the file and line."""
    where = f"{origin} 第 {line} 行" if line is not None else origin
    return HandbookError(f"{where}：{message}")


def chinese_number(value: int) -> str:
    """Return 1-99 in Chinese numerals: 一, 十, 十二, 二十."""
    tens, units = divmod(value, 10)
    if not 0 < value < 100:
        raise ValueError(value)
    text = ("" if tens < 2 else _CHINESE_DIGITS[tens]) + ("十" if tens else "")
    return text + (_CHINESE_DIGITS[units] if units else "")


# Parse


def _parse(md: MarkdownIt, chapter: Chapter) -> ParsedChapter:
    tokens = md.parse(chapter.markdown)
    return ParsedChapter(chapter, tokens, SyntaxTreeNode(tokens))


def _heading_anchors(state: StateCore) -> None:
    """Move a trailing ``{#id}`` of a heading into the heading's ``id`` attribute."""
    for index, token in enumerate(state.tokens):
        if token.type == "heading_open":
            inline = state.tokens[index + 1]
            if match := _ANCHOR.search(inline.content):
                token.attrSet("id", match[1])
                inline.content = inline.content[: match.start()]


def _walk(tokens: list[Token]) -> Iterator[tuple[str, Token, int]]:
    """Yield (node type, opening token, 1-based line of it or of its block) for every node.

    Tokens rather than the syntax tree: the same nodes, several times faster to visit.
    """
    line = 1
    for token in tokens:
        if token.map is not None:
            line = token.map[0] + 1
        for item in (token, *(token.children or ())):
            if item.nesting >= 0:
                yield item.type.removesuffix("_open"), item, line


def _check_constructs(item: ParsedChapter) -> None:
    for kind, token, line in _walk(item.tokens):
        if kind not in _KNOWN_TYPES:
            raise error_at(item.chapter.origin, line, f"不支持的 Markdown 元素：{_NAMES.get(kind, kind)}（{kind}）")
        if kind == "heading" and int(token.tag[1]) > MAX_HEADING_LEVEL:
            raise error_at(item.chapter.origin, line, f"标题最多 {MAX_HEADING_LEVEL} 级（{token.markup}）")
    first = next((t for t in item.tokens if t.block and t.nesting >= 0), None)
    if first is None or first.tag != "h1":
        line = first.map[0] + 1 if first is not None and first.map else 1
        raise error_at(item.chapter.origin, line, "每章应以一级标题（# 标题）开头")


# Number


def _number_headings(parsed: list[ParsedChapter]) -> None:
    counters = {"body": 0, "appendix": 0}
    seen: dict[str, str] = {}
    for item in parsed:
        numbers: list[int | str] = []
        for index, token in enumerate(item.tokens):
            if token.type != "heading_open":
                continue
            level = int(token.tag[1])
            if level == 1:
                kind = "appendix" if item.chapter.appendix else "body"
                counters[kind] += 1
                numbers = [chr(ord("A") + counters[kind] - 1) if kind == "appendix" else counters[kind]]
            elif level <= 3:
                numbers = [*numbers[:level], *[0] * (level - len(numbers))]
                numbers[level - 1] = int(numbers[level - 1]) + 1
            heading = _heading(item, index, level, numbers)
            if heading.anchor in seen:
                raise error_at(item.chapter.origin, _line(token), f"标题锚点“{heading.anchor}”重复")
            seen[heading.anchor] = heading.number
            item.headings.append(heading)


def _heading(item: ParsedChapter, index: int, level: int, numbers: list[int | str]) -> Heading:
    token, inline = item.tokens[index], item.tokens[index + 1]
    if level == 1:
        number = f"附录{numbers[0]}" if item.chapter.appendix else f"第{chinese_number(int(numbers[0]))}章"
    elif level <= 3:
        number = ".".join(str(n) for n in numbers[:level])
    else:
        number = ""
    anchor = str(token.attrGet("id") or "sec-" + "-".join(str(n) for n in numbers[:level]).lower())
    if level == 4:
        anchor = str(token.attrGet("id") or f"{anchor}-{index}")
    token.attrSet("id", anchor)
    token.meta["number"] = number
    return Heading(level, number, _plain(inline), anchor)


def _plain(inline: Token) -> str:
    return "".join(child.content for child in inline.children or [] if child.type in ("text", "code_inline"))


def _line(token: Token) -> int | None:
    return token.map[0] + 1 if token.map else None


# Check links


def _check_links(parsed: list[ParsedChapter]) -> None:
    anchors = {heading.anchor for item in parsed for heading in item.headings}
    for item in parsed:
        for kind, token, line in _walk(item.tokens):
            href = str(token.attrs.get("href", "")) if kind == "link" else ""
            if href.startswith("#") and href[1:] not in anchors:
                raise error_at(item.chapter.origin, line, f"链接指向不存在的标题“{href}”")
