"""``manualkit fill``: check data, then write filled forms (one file per record)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from manualkit.toolkit.cli._chinese import FORM, ChineseCommand
from manualkit.toolkit.cli._options import FORMAT_HELP, templates_option
from manualkit.toolkit.cli._progress import progress
from manualkit.toolkit.paths import default_output

if TYPE_CHECKING:
    from manualkit.toolkit.registry import FormSpec
    from manualkit.toolkit.render.filling import FillResult


@click.command("fill", cls=ChineseCommand, examples=[
    "manualkit fill special-visit 记录.json",
    "manualkit fill 客户访问日程表 第1周.yaml 第2周.yaml --format docx -o 填好的表单",
    "manualkit fill sign-in-book 签到簿.xlsx --format pdf --policy 本单位.yaml",
])
@click.argument("form", metavar="表单", type=FORM)
@click.argument("data", nargs=-1, required=True, metavar="数据文件...",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["docx", "xlsx", "both", "pdf"]), default="both",
              show_default=True, help=FORMAT_HELP)
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="输出目录（默认 output/）")
@click.option("--policy", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="政策参数文件（YAML），覆盖手册中的默认数字")
@templates_option
def command(form: FormSpec, data: tuple[Path, ...], fmt: str, output: Path | None, policy: Path | None,
            templates: Path | None) -> None:
    """先校验数据，再生成填好的表单，每条记录一个文件。

    数据文件可以是 .json、.yaml/.yml（一条记录或记录列表，键为字段名或中文标签），
    或按本工具模板填写的 .xlsx。有错误的记录不生成文件并逐条列出问题，其余记录照常生成；
    有无效记录时退出码为 1。
    """
    import gc

    from manualkit.toolkit.jsontext import no_cycle_collection

    # The models and rules imported now live as long as the command: they are frozen out of the cycle
    # collector's reach, not looked through again while records are filled. The little garbage the
    # imports leave is frozen with them (a fixed amount, not one growing with the batch).
    with no_cycle_collection():
        from manualkit.toolkit.policy import load_policy
        from manualkit.toolkit.render.filling import fill

        chosen = load_policy(policy)
    gc.freeze()
    outdir = output or default_output()
    result = fill(form, list(data), fmt, outdir, chosen,
                  progress=lambda jobs, n: progress(jobs, n, "生成表单"), templates_dir=templates)
    findings = [f"{kind}：{entry.source}：{line}" for entry in result.entries
                for kind, lines in (("警告", entry.warnings), ("错误", entry.problems)) for line in lines]
    if findings:  # one write for thousands of lines (a batch of sign-in books warns for every row)
        click.echo("\n".join(findings), err=True)
    if result.written:
        click.echo("\n".join(map(str, result.written)))
    _summary(result, outdir)


def _summary(result: FillResult, outdir: Path) -> None:
    """Say how many records were written, which were not, and exit 1 if any was not."""
    total, rejected = len(result.entries), result.rejected
    line = f"共 {total} 条记录：{total - len(rejected)} 条已生成（{len(result.written)} 个文件，位于 {outdir}）"
    if rejected:
        names = "、".join(entry.source for entry in rejected[:10])
        names += f" 等 {len(rejected)} 条" if len(rejected) > 10 else ""
        line += f"；{len(rejected)} 条有错误，未生成：{names}"
    click.echo(line, err=True)
    if rejected:
        sys.exit(1)
