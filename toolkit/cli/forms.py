"""``manualkit forms``: list the forms the toolkit knows."""

from __future__ import annotations

import click

from manualkit.toolkit.cli._chinese import ChineseCommand
from manualkit.toolkit.registry import all_forms


@click.command("forms", cls=ChineseCommand, examples=[
    "manualkit forms",
    "manualkit forms > 表单清单.txt",
])
def command() -> None:
    """列出全部表单：编号、中文名称和岗位手册条款。"""
    forms = all_forms().values()
    width = max(len(spec.form_id) for spec in forms)
    for spec in forms:
        click.echo(f"{spec.form_id:<{width}}  {spec.title}（{spec.clause}）")
