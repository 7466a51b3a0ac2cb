"""The ``manualkit`` command line: Chinese help, exit codes, and nothing else.

Each command is one module in this package defining ``command``; it parses its
options, calls one toolkit function, prints, and sets the exit status
(0 = done and valid, 1 = invalid or unreadable input, 2 = wrong usage). A
command's module is imported only when that command runs (``_commands``), and
the engines inside the commands, so that ``validate`` never loads the Word
renderer. This package is the only importer of click.
"""

from __future__ import annotations

import signal
import sys
import threading
from typing import Any

import click

from manualkit.toolkit import __version__
from manualkit.toolkit.cli._catalogue import MESSAGES
from manualkit.toolkit.cli._chinese import ChineseGroup
from manualkit.toolkit.cli._commands import LazyCommands


@click.group(
    cls=ChineseGroup,
    examples=["manualkit forms", "manualkit blank visit-schedule --format xlsx",
              "manualkit validate 收回的表格/ --annotate 批注/"],
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "-V", "--version", message="manualkit %(version)s",
                      help="显示版本并退出")
def cli() -> None:
    """manualkit：把客户经理岗位手册变成可用的表单、校验和手册。

    生成空白表单和填好的表单（Word、Excel），校验提交的表格，编写岗位职责手册。
    """


cli.commands = LazyCommands(__name__, __path__)


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(args: list[str] | None = None) -> Any:
    """Run the command line: click prints usage errors and our failures in Chinese and exits with their code.

    A command that succeeds returns (as callers of ``main`` expect) instead of exiting with 0.
    """
    for stream in (sys.stdout, sys.stderr):  # a name the console cannot encode is shown as "?", never a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupted)  # clean up as for Ctrl-C: no half-written file stays
    try:
        return cli.main(args=args, prog_name="manualkit")
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
        return None
    except Exception as exc:
        if not _after_interruption(exc):
            raise
        # Half-built objects (a zip closed while a part was being written) complain again when
        # collected; the interruption has been said, and the output was never renamed into place.
        sys.unraisablehook = lambda _unraisable: None
        click.echo(MESSAGES["Aborted!"], err=True)
        raise SystemExit(1) from None


def _after_interruption(exc: BaseException) -> bool:
    """Return whether ``exc`` was raised while unwinding from Ctrl-C or SIGTERM (its context is the interrupt)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__context__
    return False
