"""``manualkit blank``: blank, printable forms in Word, Excel or PDF."""

from __future__ import annotations

from pathlib import Path

import click

from manualkit.toolkit.cli._chinese import FORM, ChineseCommand
from manualkit.toolkit.cli._options import FORMAT_HELP, templates_option
from manualkit.toolkit.paths import default_output
from manualkit.toolkit.registry import FormSpec, all_forms


@click.command("blank", cls=ChineseCommand, examples=[
    "manualkit blank visit-schedule",
    "manualkit blank 营销人员市场走访签到记录簿 --format xlsx -o 空白表单",
    "manualkit blank --all --format pdf",
])
@click.argument("forms", nargs=-1, metavar="表单...", type=FORM)
@click.option("--all", "all_forms_", is_flag=True, help="生成全部表单")
@click.option("--format", "fmt", type=click.Choice(["docx", "xlsx", "both", "pdf"]), default="both",
              show_default=True, help=FORMAT_HELP)
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="输出目录（默认 output/）")
@click.option("--policy", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="政策参数文件（YAML）：单位名称、空白表格的行数（每日最少拜访户数）等")
@templates_option
def command(forms: tuple[FormSpec, ...], all_forms_: bool, fmt: str, output: Path | None, policy: Path | None,
            templates: Path | None) -> None:
    """生成空白表单，供打印或在 Excel、WPS 中填写。

    表单可写编号（如 visit-schedule）或中文名称，可写多个；--all 生成全部表单。
    """
    from manualkit.toolkit.policy import load_policy
    from manualkit.toolkit.render.fill_batch import Setting, formats_of, render_blanks

    if not forms and not all_forms_:
        raise click.UsageError("请指定表单，或使用 --all 生成全部表单")
    named = list(all_forms().values()) if all_forms_ else list(forms)
    chosen = list({spec.form_id: spec for spec in named}.values())  # an id and its title are one form
    outdir = output or default_output()
    setting = Setting(load_policy(policy), templates)
    setting.check(chosen, formats_of(fmt))
    written = render_blanks(chosen, fmt, outdir, setting)
    for path in written:
        click.echo(str(path))
    click.echo(f"已生成 {len(written)} 个空白表单文件，位于 {outdir}", err=True)
