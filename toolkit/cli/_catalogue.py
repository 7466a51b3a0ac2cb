"""click's own messages in Chinese, through click's gettext hook.

click marks its messages with ``_()`` and ``ngettext()`` (``from gettext import
gettext as _``) and looks those names up in its modules at call time, so one
translations object installed there translates usage errors, "Did you mean",
"Usage:", headings and the help option alike. We install it directly rather than
binding a ``.mo`` file for the ``messages`` domain: the standard library would
pick that file only when ``LANGUAGE``/``LANG`` name a Chinese locale, which a
Windows console never sets.

A message click no longer has simply stays English; ``tests/test_cli.py`` checks
every message here against the installed click.
"""

from __future__ import annotations

import gettext
import importlib

MESSAGES = {
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出",
    "Show the version and exit.": "显示版本并退出",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 {command} {option} 查看帮助。",
    "Aborted!": "已中止。",
    "No such command {name!r}.": "没有命令“{name}”。",
    "No such option {name!r}.": "没有选项 {name}。",
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Option {name!r} requires an argument.": "选项 {name} 需要一个值。",
    "Option {name!r} does not take a value.": "选项 {name} 不带值。",
    "Got unexpected extra argument ({args})": "多余的参数：{args}",
    "Got unexpected extra arguments ({args})": "多余的参数：{args}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "{value!r} is not {choice}.": "“{value}”无效，只能是 {choice}。",
    "{value!r} is not one of {choices}.": "“{value}”无效，可选：{choices}。",
    "Choose from:\n\t{choices}": "可选：{choices}",
    "{value!r} does not match the format {format}.": "“{value}”格式不对，应写作 {format}。",
    "{value!r} does not match the formats {formats}.": "“{value}”格式不对，应写作 {formats}。",
    "{value!r} is not a valid {number_type}.": "“{value}”不是有效的数字。",
    "{value} is not in the range {range}.": "{value} 不在 {range} 范围内。",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name}“{filename}”不存在。",
    "{name} {filename!r} is a file.": "“{filename}”是文件，这里需要文件夹。",
    "{name} {filename!r} is a directory.": "“{filename}”是文件夹，这里需要文件。",
    "{name} {filename!r} is not readable.": "{name}“{filename}”无法读取。",
    "{name} {filename!r} is not writable.": "{name}“{filename}”无法写入。",
    "Could not open file {filename!r}: {message}": "无法打开文件“{filename}”：{message}",
}


class ChineseCatalogue(gettext.NullTranslations):
    """The translations click asks for: ``MESSAGES``, anything else as click wrote it."""

    def gettext(self, message: str) -> str:
        return MESSAGES.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.gettext(msgid1 if n == 1 else msgid2)


CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui")


def install() -> None:
    """Make click's modules translate through ``ChineseCatalogue`` (before any command is defined)."""
    catalogue = ChineseCatalogue()
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        module._ = catalogue.gettext  # type: ignore[attr-defined]  # click's modules look _ up as a global
        if hasattr(module, "ngettext"):
            module.ngettext = catalogue.ngettext  # type: ignore[attr-defined]  # (so does ngettext)
