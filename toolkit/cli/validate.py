"""``manualkit validate PATH…``: check submitted spreadsheets, report every finding, set the exit status."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from toolkit.cli._chinese import FORM, ChineseCommand
from toolkit.cli._progress import progress
from toolkit.files import printable

if TYPE_CHECKING:
    from toolkit.registry import FormSpec


@click.command("validate", cls=ChineseCommand, examples=[
    "manualkit validate 收回的表格/",
    "manualkit validate a.xlsx b.xls --format json > 校验报告.json",
    "manualkit validate 收回的表格/ --annotate 批注/ --policy 本单位.yaml",
])
@click.argument("paths", nargs=-1, required=True, metavar="路径...",
                type=click.Path(exists=True, path_type=Path))
@click.option("--form", "form", metavar="表单", type=FORM, help="工作簿未记录表单时按此表单校验（编号或中文名称）")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              help="报告格式：text 为中文报告（默认），json 为机器可读的 JSON")
@click.option("--annotate", "annotate_dir", metavar="目录", type=click.Path(file_okay=False, path_type=Path),
              help="为每个无效文件在此目录写一份批注副本（标出错误单元格并附说明），原文件不改动")
@click.option("--policy", "policy_file", metavar="文件", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="覆盖手册政策参数的 YAML 文件")
def command(paths: tuple[Path, ...], form: FormSpec | None, output_format: str,
            annotate_dir: Path | None, policy_file: Path | None) -> None:
    """校验提交的 Excel 表格（文件或文件夹，文件夹中的表格逐级查找）。

    .xlsx 以外，Excel 97-2003 的 .xls、.xlsm、.xlsb、LibreOffice 的 .ods 和 WPS 的 .et 也直接校验，
    批注副本一律写成 .xlsx。

    一次列出每个文件的全部问题：工作表、单元格、行、项目、填写内容和中文说明。

    退出码：0 = 全部有效（允许警告）；1 = 有无效或无法读取的文件；2 = 用法错误。
    """
    from toolkit.policy import load_policy
    from toolkit.validate import text_report, validate_paths
    from toolkit.validate.findings import FileReport
    from toolkit.validate.month import add_month_findings

    policy = load_policy(policy_file)
    batch = validate_paths(list(paths), form, policy,
                           progress=lambda items, length: progress(items, length, "校验中"))
    add_month_findings(batch, policy)
    if output_format == "json":
        from toolkit.jsontext import dumps  # json.dumps(indent=2)'s text, at the C encoder's pace

        click.echo(dumps(batch.as_json()))
    else:
        click.echo(text_report(batch), nl=False)
    if annotate_dir is not None:
        from toolkit.validate.annotate import annotate_all

        def tell(report: FileReport, reason: str) -> None:
            click.echo(f"未能写出 {printable(str(report.path))} 的批注副本：{reason}", err=True)

        written = annotate_all(batch.files, annotate_dir, on_error=tell)
        click.echo(f"已写出 {len(written)} 份批注副本到 {printable(str(annotate_dir))}", err=True)
    sys.exit(0 if batch.valid else 1)

