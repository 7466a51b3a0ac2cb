"""Options that more than one command takes, kept here so that no command imports another."""

from __future__ import annotations

from pathlib import Path

import click

FORMAT_HELP = "输出格式：docx（Word）、xlsx（Excel）、both（两者，默认）或 pdf（需要 LibreOffice）"
templates_option = click.option(
    "--templates", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None, metavar="目录",
    help="本单位修改过的 Word 模板所在的文件夹：每个表单一个子文件夹（如 sign-in-book/template.docx），"
         "没有的表单用随附的模板；开始前检查模板中的字段",
)
