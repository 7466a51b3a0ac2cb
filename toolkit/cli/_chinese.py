"""Click's help in Chinese: headings, usage line and the help option.

Commands use ``@click.command(NAME, cls=ChineseCommand)``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator, Sequence

import click
import click.formatting

from toolkit.textwidth import display_width

_HEADINGS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}
# click's own words in an option's line: its metavar and the "[default: …; required]" extra.
_METAVARS = {"DIRECTORY": "目录", "FILE": "文件", "PATH": "路径", "TEXT": "文本", "INTEGER": "整数"}
_METAVAR = re.compile(r"\b(" + "|".join(_METAVARS) + r")\b")
_EXTRAS = [("[default: ", "[默认："), ("; required]", "；必填]"), ("[required]", "[必填]")]


def _term(text: str) -> str:
    return _METAVAR.sub(lambda match: _METAVARS[match[1]], text)


def _help(text: str) -> str:
    for english, chinese in _EXTRAS:
        text = text.replace(english, chinese)
    return text


class _ChineseFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法：")

    def write_heading(self, heading: str) -> None:
        super().write_heading(_HEADINGS.get(heading, heading))

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        with _display_width():
            super().write_dl(_chinese_rows(rows), col_max, col_spacing)


def _term_width(text: str) -> int:
    return display_width(click.unstyle(text))


@contextlib.contextmanager
def _display_width() -> Iterator[None]:
    """Let click measure the option column by display width while it lays out a list.

    click counts characters, so options with Chinese value names (``--manager 姓名``)
    push their help text out of line. Its layout code reads ``term_len`` from its module,
    so swapping that one function for the duration is enough.
    """
    original = click.formatting.term_len
    click.formatting.term_len = _term_width
    try:
        yield
    finally:
        click.formatting.term_len = original


def _chinese_rows(rows: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(_term(term), _help(text)) for term, text in rows]


class _Context(click.Context):
    formatter_class = _ChineseFormatter


class ChineseCommand(click.Command):
    """A click command whose help reads in Chinese."""

    context_class = _Context

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "显示本帮助并退出"
        return option


class ChineseGroup(ChineseCommand, click.Group):
    """A click group whose help, and its commands' help, read in Chinese."""

    command_class = ChineseCommand
