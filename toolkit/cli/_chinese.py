"""Click's help in Chinese: headings, usage line and the help option.

Commands use ``@click.command(NAME, cls=ChineseCommand)``.
"""

from __future__ import annotations

import click

_HEADINGS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}


class _ChineseFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法：")

    def write_heading(self, heading: str) -> None:
        super().write_heading(_HEADINGS.get(heading, heading))


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
