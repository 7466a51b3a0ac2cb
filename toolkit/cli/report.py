"""``manualkit report monthly``: draft the monthly report from a month of submissions."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import click

from manualkit.toolkit.cli._chinese import ChineseGroup

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_FORMATS = {"docx": ("docx",), "xlsx": ("xlsx",), "both": ("docx", "xlsx")}


@click.group("report", cls=ChineseGroup, examples=[
    "manualkit report monthly --month 2026-11 --sales 销售表.xlsx 提交的表格/",
    "manualkit report monthly --help                  # 月度报告的全部选项",
])
def command() -> None:
    """根据提交的表格生成报告草稿。"""


def _month(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    if not _MONTH.match(value.strip()):
        raise click.BadParameter(f"“{value}”应写作 2026-11 这样的年月")
    return value.strip()


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    try:
        return None if value is None else dt.date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"“{value}”应写作 2026-12-04 这样的日期") from None


@command.command("monthly", examples=[
    "manualkit report monthly --month 2026-11 --sales 销售表.xlsx 提交的表格/",
    "manualkit report monthly --month 2026-11 --manager 张伟 --sales 销售表.csv --narrative 报告文字.yaml 表格/",
    "manualkit report monthly --month 2026-11 --sales 销售表.xlsx 表格/ --format docx -o 月报",
])
@click.option("--month", required=True, callback=_month, metavar="YYYY-MM", help="报告月份，如 2026-11")
@click.option("--manager", metavar="姓名", help="客户经理（默认：表格中最多的那一位）")
@click.option("--sales", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="文件",
              help="销售表（.xlsx 或 .csv：客户编码、客户名称、月份、销量（条）、销售额（元））")
@click.option("--narrative", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="文件",
              help="报告文字（YAML）：问题与对策、客户意见、次月预测等只有客户经理能写的部分")
@click.option("--policy", "policy_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              metavar="文件", help="政策文件（YAML），覆盖岗位手册的默认数值")
@click.option("--submitted-on", callback=_date, metavar="YYYY-MM-DD",
              help="草稿中的提交日期（默认今天）")
@click.option("--format", "output_format", type=click.Choice(list(_FORMATS)), default="both", show_default=True,
              help="草稿格式")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, metavar="目录", help="输出目录")
@click.argument("submissions", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path),
                metavar="表格或文件夹...")
def monthly(month: str, manager: str | None, sales: Path | None, narrative: Path | None, policy_file: Path | None,
            submitted_on: dt.date | None, output_format: str, output: Path, submissions: tuple[Path, ...]) -> None:
    """根据一个月的日程表、签到簿、特殊访问记录、反馈单和销售表，生成客户月度销售情况分析报告草稿。

    无效的表格列出问题后不计入；草稿缺少的部分会列出，由客户经理补写。
    """
    from manualkit.toolkit.policy import load_policy
    from manualkit.toolkit.report.draft_docx import write_draft
    from manualkit.toolkit.report.monthly import draft_monthly_report
    from manualkit.toolkit.report.summary import summary_lines

    policy = load_policy(policy_file)
    today = submitted_on or dt.date.today()
    draft = draft_monthly_report(list(submissions), month, policy, today=today, manager=manager,
                                 sales=sales, narrative=narrative)
    written = write_draft(draft, output, _FORMATS[output_format]) if draft.writable else []
    for line in summary_lines(draft, written):
        click.echo(line)
    raise SystemExit(0 if draft.inputs_valid and draft.writable else 1)
