"""``manualkit demo``: the main job end to end on the shipped sample data.

The demo is a list of steps (``STEPS``); each takes the output folder and
returns the files it wrote. A later feature joins the demo by appending one
step (a title and a function) to the list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click

from toolkit.cli._chinese import ChineseCommand
from toolkit.paths import default_output


@dataclass(frozen=True, slots=True)
class DemoStep:
    """One part of the demo: what it makes (Chinese, for the user) and how."""

    title: str
    run: Callable[[Path], list[Path]]


def blank_forms(outdir: Path) -> list[Path]:
    """Write every form blank, in Word and Excel, into ``空白表单/``."""
    from toolkit.registry import all_forms
    from toolkit.render.batch import render_blanks

    return render_blanks(list(all_forms().values()), "both", outdir / "空白表单")


def filled_samples(outdir: Path) -> list[Path]:
    """Fill every form with its shipped sample, in Word and Excel, into ``填好的表单/``."""
    from schemas._policy import DEFAULT_POLICY
    from toolkit.registry import all_forms
    from toolkit.render.filling import fill

    written: list[Path] = []
    for form in all_forms().values():
        result = fill(form, [form.sample], "both", outdir / "填好的表单", DEFAULT_POLICY)
        if result.rejected:  # the shipped samples are valid; say so loudly if one is not
            problems = "；".join(line for entry in result.rejected for line in entry.problems)
            raise click.ClickException(f"示例数据 {form.sample} 无效：{problems}")
        written += result.written
    return written


STEPS: list[DemoStep] = [
    DemoStep("空白表单（Word、Excel）", blank_forms),
    DemoStep("用示例数据填好的表单（Word、Excel）", filled_samples),
]


@click.command("demo", cls=ChineseCommand)
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="输出目录（默认 output/）")
def command(output: Path | None) -> None:
    """用随附的示例数据完整运行一遍主要工作，结果写入 output/。"""
    outdir = output or default_output()
    for number, step in enumerate(STEPS, 1):
        written = step.run(outdir)
        click.echo(f"{number}. {step.title}：{len(written)} 个文件")
        for path in written:
            click.echo(f"   {path.relative_to(outdir) if path.is_relative_to(outdir) else path}")
    click.echo(f"完成，全部结果在 {outdir}")
