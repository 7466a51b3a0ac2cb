"""The ``manualkit`` command line: Chinese help, exit codes, and nothing else.

Each command is one module in this package defining ``command``; it parses its
options, calls one toolkit function, prints, and sets the exit status
(0 = done and valid, 1 = invalid or unreadable input, 2 = wrong usage). The
engines are imported inside the commands so that ``validate`` never loads the
Word renderer. This package is the only importer of click.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import signal
import sys
import threading
from typing import Any

import click

from toolkit import __version__
from toolkit.cli._chinese import ChineseGroup
from toolkit.errors import ToolkitError
from toolkit.explain import explain_os_error


@click.group(
    cls=ChineseGroup,
    subcommand_metavar="命令 [参数]...",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "-V", "--version", message="manualkit %(version)s",
                      help="显示版本并退出")
def cli() -> None:
    """manualkit：把客户经理岗位手册变成可用的表单、校验和手册。

    生成空白表单和填好的表单（Word、Excel），校验提交的表格，编写岗位职责手册。
    """


def _register_commands() -> None:
    """Add every command module of this package to the group, in name order."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            cli.add_command(module.command)


_register_commands()

# click's own usage messages, in Chinese (the rest of click's text is ours already).
_USAGE_MESSAGES = [
    (r"No such command '(.+)'\.?", "没有命令“{0}”"),
    (r"No such option:? '?([^']+?)'?\.?", "没有选项 {0}"),
    (r"Missing argument '(.+)'\.?", "缺少参数 {0}"),
    (r"Missing argument '(.+)'\. Choose from:(.+)", "缺少参数 {0}，可选：{1}"),
    (r"Missing option '(.+)'\.?", "缺少选项 {0}"),
    (r"Option '(.+)' requires an argument\.?", "选项 {0} 需要一个值"),
    (r"Invalid value for '(.+)': '(.+)' is not one of (.+)\.", "{0} 的值“{1}”无效，可选：{2}"),
    (r"Invalid value for '(.+)': (.+)", "{0} 的值无效：{1}"),
    (r"Got unexpected extra arguments? \((.+)\)", "多余的参数：{0}"),
]
# What click says of the value itself, inside "Invalid value for ...".
_VALUE_MESSAGES = [
    (r"(?:File|Directory|Path) '(.+)' does not exist\.", "“{0}”不存在"),
    (r"(?:File|Path) '(.+)' is a directory\.", "“{0}”是文件夹，这里需要文件"),
    (r"(?:Directory|Path) '(.+)' is a file\.", "“{0}”是文件，这里需要文件夹"),
    (r"'(.+)' does not match the formats? (.+)\.", "“{0}”格式不对，应写作 {1}"),
    (r"'(.+)' is not a valid (?:integer|float|integer range|float range)\.", "“{0}”不是有效的数字"),
]


def _usage_message(message: str) -> str:
    for pattern, chinese in _USAGE_MESSAGES:
        if match := re.fullmatch(pattern, message.strip()):
            # click quotes each name of a parameter: '-o' / '--output' -> -o / --output
            groups = (group.replace("' / '", " / ") for group in match.groups())
            return chinese.format(*map(_value_message, groups))
    return message


def _value_message(message: str) -> str:
    for pattern, chinese in _VALUE_MESSAGES:
        if match := re.fullmatch(pattern, message.strip()):
            return chinese.format(*match.groups())
    return message


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(args: list[str] | None = None) -> Any:
    """Run the command line; turn our failures into Chinese messages and exit codes."""
    for stream in (sys.stdout, sys.stderr):  # a name the console cannot encode is shown as "?", never a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupted)  # clean up as for Ctrl-C: no half-written file stays
    try:
        return cli.main(args=args, prog_name="manualkit", standalone_mode=False)
    except click.UsageError as exc:
        if exc.ctx is not None:
            click.echo(exc.ctx.get_usage(), err=True)
            click.echo("运行 manualkit --help 查看帮助。", err=True)
        click.echo(f"用法错误：{_usage_message(exc.format_message())}", err=True)
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("已中止。", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        click.echo(f"错误：{exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except ToolkitError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(1)  # the reader of our output went away (e.g. `| head`): nothing left to tell
    except OSError as exc:
        # An output folder that is a file, no permission, a full disk: the system's words, in Chinese.
        click.echo(f"错误：{explain_os_error(exc)}", err=True)
        sys.exit(1)
