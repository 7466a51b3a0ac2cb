"""Write the handbook as one self-contained HTML page: side navigation, phone-readable, printable.

markdown-it-py's own renderer writes the chapters, with two rules of ours:
headings carry their number and anchor, and tables sit in a scrolling box so a
wide table does not widen the page on a phone. The page template
(``handbook.html``) holds all the CSS and a few lines of script inline; the page
loads nothing from the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup, escape

from manualkit.toolkit.handbook.model import Handbook
from manualkit.toolkit.handbook.tree import CJK, ParsedChapter, markdown_parser

if TYPE_CHECKING:
    from markdown_it.renderer import RendererHTML

NAV_LEVELS = 2
_TEMPLATE = "handbook.html"


def write_html(handbook: Handbook, path: Path) -> None:
    """Write ``handbook`` to the HTML file ``path``."""
    chapters = chapters_html(handbook.chapters)
    nav = [
        {"level": heading.level, "number": heading.number, "text": heading.text, "anchor": heading.anchor}
        for chapter in handbook.chapters for heading in chapter.headings if heading.level <= NAV_LEVELS
    ]
    page = _environment().get_template(_TEMPLATE).render(
        cover=handbook.cover, nav=nav, chapters=[Markup(html) for html in chapters],
    )
    path.write_text(page, encoding="utf-8")


def chapters_html(chapters: list[ParsedChapter]) -> list[str]:
    """Return each chapter as HTML: numbered headings with ids, tables in scrolling boxes."""
    md = _html_parser()
    return [md.renderer.render(chapter.tokens, md.options, {}) for chapter in chapters]


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("manualkit.toolkit.handbook", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
    )


def _html_parser() -> MarkdownIt:
    md = markdown_parser()
    md.add_render_rule("heading_open", _heading_open)
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("table_close", _table_close)
    md.add_render_rule("softbreak", _softbreak)
    return md


def _heading_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    number = token.meta.get("number", "")
    opening = self.renderToken(tokens, idx, options, env)
    if not number:
        return opening
    return f'{opening}<span class="number">{escape(number)}</span>'


def _softbreak(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    # A browser shows a line break as a space; Chinese lines join without one (as in Word).
    before = tokens[idx - 1].content[-1:] if idx > 0 else ""
    after = tokens[idx + 1].content[:1] if idx + 1 < len(tokens) else ""
    return "" if CJK.match(before) or CJK.match(after) else "\n"


def _table_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    return '<div class="table">' + self.renderToken(tokens, idx, options, env)


def _table_close(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"
