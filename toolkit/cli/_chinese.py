"""Click in Chinese: its messages (``_catalogue``), the help layout, examples, and our failures.

Commands use ``@click.command(NAME, cls=ChineseCommand, examples=[...])``; a form
name on the command line is ``type=FORM``, so a mistyped one is a usage error
(exit 2) that suggests the nearest form.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import click
import click.formatting

from manualkit.toolkit.cli import _catalogue
from manualkit.toolkit.errors import FormNotFoundError, ToolkitError
from manualkit.toolkit.explain import explain_os_error
from manualkit.toolkit.textwidth import display_width

if TYPE_CHECKING:
    from manualkit.toolkit.registry import FormSpec

_catalogue.install()


class _ChineseFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法：")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        with _display_width():
            super().write_dl(rows, col_max, col_spacing)


def _term_width(x: str) -> int:  # click's term_len(x), by display width
    return display_width(click.unstyle(x))


@contextlib.contextmanager
def _display_width() -> Iterator[None]:
    """Let click measure the option column by display width while it lays out a list.

    click counts characters, so options with Chinese value names (``--manager 姓名``)
    push their help text out of line. Its layout code reads ``term_len`` from its module,
    so swapping that one function for the duration is enough.
    """
    original = click.formatting.term_len  # type: ignore[attr-defined]  # click's own, not exported
    click.formatting.term_len = _term_width  # type: ignore[attr-defined]  # (the same)
    try:
        yield
    finally:
        click.formatting.term_len = original  # type: ignore[attr-defined]  # (the same)


class _Context(click.Context):
    formatter_class = _ChineseFormatter


class ChineseCommand(click.Command):
    """A click command whose help reads in Chinese, ends with examples, and whose failures are ours.

    A ``ToolkitError`` or a system error (an output folder that is a file, a full disk)
    becomes click's error message in Chinese with exit status 1, for ``main`` and
    ``CliRunner`` alike.
    """

    context_class = _Context

    def __init__(self, *args: Any, examples: Sequence[str] = (), **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)
        self.examples = tuple(examples)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        if self.examples:
            with formatter.section("示例"):
                for example in self.examples:
                    formatter.write(f"{'':>{formatter.current_indent}}{example}\n")

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as exc:
            raise _with_guess(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ToolkitError as exc:
            raise click.ClickException(str(exc)) from exc
        except BrokenPipeError:
            raise  # the reader of our output went away (`| head`): click exits quietly
        except OSError as exc:
            raise click.ClickException(explain_os_error(exc)) from exc


class ChineseGroup(ChineseCommand, click.Group):
    """A click group whose help, and its commands' help, read in Chinese."""

    command_class = ChineseCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except click.NoSuchCommand as exc:
            raise _with_guess(exc) from None


def _with_guess(exc: click.NoSuchCommand | click.NoSuchOption) -> click.UsageError:
    """Return click's "no such command/option" with the nearest name suggested as we suggest forms."""
    guess = f"您是不是要找 {exc.possibilities[0]}？" if exc.possibilities else ""
    return click.UsageError(exc.message + guess, exc.ctx)


class _FormName(click.ParamType["FormSpec"]):
    """A form named by id or Chinese title; an unknown name fails with the nearest form suggested."""

    name = "表单"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> FormSpec:
        from manualkit.toolkit.registry import FormSpec, get_form

        if isinstance(value, FormSpec):
            return value
        try:
            return get_form(str(value))
        except FormNotFoundError as exc:
            raise click.UsageError(str(exc), ctx) from None


FORM = _FormName()
