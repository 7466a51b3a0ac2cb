"""``manualkit new-form ID --title 中文名 --clause §x.y``: start a new form from a working stub."""

from __future__ import annotations

import click

from manualkit.toolkit.cli._chinese import ChineseCommand


@click.command("new-form", cls=ChineseCommand, examples=[
    "manualkit new-form store-check --title 门店陈列检查表 --clause §4.7",
    "manualkit new-form shop-survey --title 客户经营情况调查表 --clause \"002 2231\"",
])
@click.argument("form_id", metavar="编号")
@click.option("--title", required=True, metavar="中文名", help="表单的中文名称")
@click.option("--clause", required=True, metavar="条款", help="依据的手册条款，如 §4.1.2 或 002 2232")
def command(form_id: str, title: str, clause: str) -> None:
    """新增一个表单：写出 schema 模块和表单文件夹（示例数据、规则用例、工作流程、Word 模板、金样）。

    只能在源码目录中使用。编号只用小写字母、数字和连字符（如 store-check）；已有的编号不能再用。
    """
    from manualkit.toolkit.newform import NewFormError, new_form

    try:
        made = new_form(form_id, title.strip(), clause.strip())
    except NewFormError as exc:
        raise click.UsageError(str(exc)) from None
    root = made.module.parent.parent
    click.echo(f"已新增表单 {form_id}（{title}，{clause}）：")
    for path in (made.module, *made.files):
        click.echo(f"  {path.relative_to(root)}")
    if not made.goldens:
        click.echo("未生成金样（没有 tests/）：运行 MANUALKIT_REGEN_GOLDENS=1 python -m pytest tests/render 生成。")
    click.echo("下一步：改写 schema 中的示例栏目和规则、示例数据和用例，"
               "再运行 python -m manualkit.toolkit.docs 重新生成文档中的表格。")
