"""``manualkit demo``: the main job end to end on the shipped sample data (steps in ``manualkit.toolkit.demo``)."""

from __future__ import annotations

from pathlib import Path

import click

from manualkit.toolkit.cli._chinese import ChineseCommand
from manualkit.toolkit.paths import default_output


@click.command("demo", cls=ChineseCommand, examples=[
    "manualkit demo",
    "manualkit demo -o 演示结果",
])
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="输出目录（默认 output/）")
def command(output: Path | None) -> None:
    """用随附的示例数据完整运行一遍主要工作，结果写入 output/。

    依次生成：空白表单、填好的表单、一个月的提交表格及其校验报告、月度报告草稿、岗位职责手册。
    """
    from manualkit.toolkit.demo import STEPS, SUBMITTED

    outdir = output or default_output()
    for number, step in enumerate(STEPS, 1):
        written = step.run(outdir)
        click.echo(f"{number}. {step.title}：{len(written)} 个文件")
        for path in written:
            click.echo(f"   {path.relative_to(outdir) if path.is_relative_to(outdir) else path}")
    click.echo(f"完成，全部结果在 {outdir}")
    click.echo(f"不用命令行也可以：运行 manualkit serve --open，在网页的“校验”页选择文件夹 {outdir / SUBMITTED}")
