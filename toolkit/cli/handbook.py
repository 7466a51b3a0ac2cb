"""``manualkit handbook``: build the staff handbook (Word and/or HTML, or PDF)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from manualkit.toolkit.cli._chinese import ChineseCommand
from manualkit.toolkit.paths import HANDBOOK_FOLDER, default_output

_FORMATS = {"docx": ("docx",), "html": ("html",), "both": ("docx", "html"), "pdf": ("pdf",)}


@click.command("handbook", cls=ChineseCommand, examples=[
    "manualkit handbook",
    "manualkit handbook --format html -o 手册",
    "manualkit handbook --policy 本单位.yaml",
])
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help=f"输出文件夹（默认 output/{HANDBOOK_FOLDER}）")
@click.option("--format", "fmt", type=click.Choice(list(_FORMATS)), default="both", show_default=True,
              help="输出格式：docx（Word）、html（单个网页）、both（两者）或 pdf（需要 LibreOffice）")
@click.option("--policy", "policy_file", type=click.Path(dir_okay=False, path_type=Path),
              help="政策参数文件（YAML），覆盖手册中的数字")
@click.option("--source", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="手册源文件夹（默认为随工具包发布的 forms/handbook）")
def command(out_dir: Path | None, fmt: str, policy_file: Path | None, source: Path | None) -> None:
    """生成客户经理岗位职责手册：Word 文档和/或可离线阅读的单个网页。

    手册中的数字取自政策参数，表单附录和问题代码由表单定义自动生成，与校验使用同一份定义。
    """
    from manualkit.toolkit.handbook.build import build_handbook

    target = out_dir if out_dir is not None else default_output() / HANDBOOK_FOLDER
    for path in build_handbook(target, _FORMATS[fmt], policy_file, today=dt.date.today(), source=source):
        click.echo(f"已生成：{path}")
