"""``manualkit validate PATH…``: check submitted spreadsheets, report every finding, set the exit status."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from toolkit.cli._chinese import ChineseCommand
from toolkit.cli._progress import progress
from toolkit.files import printable


@click.command("validate", cls=ChineseCommand)
@click.argument("paths", nargs=-1, required=True, metavar="路径...",
                type=click.Path(exists=True, path_type=Path))
@click.option("--form", "form_name", metavar="表单", help="工作簿未记录表单时按此表单校验（编号或中文名称）")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              help="报告格式：text 为中文报告（默认），json 为机器可读的 JSON")
@click.option("--annotate", "annotate_dir", metavar="目录", type=click.Path(file_okay=False, path_type=Path),
              help="为每个无效文件在此目录写一份批注副本（标出错误单元格并附说明），原文件不改动")
@click.option("--policy", "policy_file", metavar="文件", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="覆盖手册政策参数的 YAML 文件")
def command(paths: tuple[Path, ...], form_name: str | None, output_format: str,
            annotate_dir: Path | None, policy_file: Path | None) -> None:
    """校验提交的 Excel 表格（文件或文件夹，文件夹中的表格逐级查找）。

    文件夹中除 .xlsx 外，.xls、.xlsm、.xlsb、.et、.ods 也会列出，格式不对的提示另存为 .xlsx。

    一次列出每个文件的全部问题：工作表、单元格、行、项目、填写内容和中文说明。

    退出码：0 = 全部有效（允许警告）；1 = 有无效或无法读取的文件；2 = 用法错误。
    """
    from toolkit.policy import load_policy
    from toolkit.registry import get_form
    from toolkit.validate import text_report, validate_paths
    from toolkit.validate.findings import FileReport
    from toolkit.validate.month import add_month_findings

    form = get_form(form_name) if form_name else None
    policy = load_policy(policy_file)
    batch = validate_paths(list(paths), form, policy,
                           progress=lambda items, length: progress(items, length, "校验中"))
    add_month_findings(batch, policy)
    if output_format == "json":
        click.echo(json.dumps(batch.as_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(text_report(batch), nl=False)
    if annotate_dir is not None:
        from toolkit.validate.annotate import annotate_all

        def tell(report: FileReport, reason: str) -> None:
            click.echo(f"未能写出 {printable(str(report.path))} 的批注副本：{reason}", err=True)

        written = annotate_all(batch.files, annotate_dir, on_error=tell)
        click.echo(f"已写出 {len(written)} 份批注副本到 {printable(str(annotate_dir))}", err=True)
    sys.exit(0 if batch.valid else 1)

