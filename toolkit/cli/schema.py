"""``manualkit schema FORM``: print a form's JSON Schema."""

from __future__ import annotations

import json

import click

from manualkit.toolkit.cli._chinese import FORM, ChineseCommand
from manualkit.toolkit.registry import FormSpec
from manualkit.toolkit.schema_export import json_schema


@click.command("schema", cls=ChineseCommand, examples=[
    "manualkit schema visit-schedule",
    "manualkit schema 特殊访问记录 > special-visit.schema.json",
])
@click.argument("form", metavar="表单", type=FORM)
def command(form: FormSpec) -> None:
    """打印表单的 JSON Schema（draft 2020-12），字段标题为中文标签。

    表单可写编号（如 visit-schedule）或中文名称。
    """
    click.echo(json.dumps(json_schema(form), ensure_ascii=False, indent=2))
