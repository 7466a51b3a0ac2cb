"""``manualkit schema FORM``: print a form's JSON Schema."""

from __future__ import annotations

import json

import click

from toolkit.cli._chinese import ChineseCommand
from toolkit.registry import get_form
from toolkit.schema_export import json_schema


@click.command("schema", cls=ChineseCommand)
@click.argument("form", metavar="表单")
def command(form: str) -> None:
    """打印表单的 JSON Schema（draft 2020-12），字段标题为中文标签。

    表单可写编号（如 visit-schedule）或中文名称。
    """
    click.echo(json.dumps(json_schema(get_form(form)), ensure_ascii=False, indent=2))
