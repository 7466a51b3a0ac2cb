"""``manualkit report monthly``: what a user sees, the files written, the exit codes."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from manualkit.toolkit.cli import cli
from manualkit.toolkit.report.inputs import month_titles
from tests.report.month import sales_rows, sign_in_book, write_sales_csv

DRAFT = "客户月度销售情况分析报告-张伟-2026-11"


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "manualkit", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", check=False)


def test_monthly_writes_both_drafts(month_dir: Path, tmp_path: Path) -> None:
    sales = write_sales_csv(tmp_path / "sales.csv")
    result = CliRunner().invoke(cli, ["report", "monthly", "--month", "2026-11", "--sales", str(sales),
                                      str(month_dir), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:6] == [
        "2026-11 客户月度销售情况分析报告草稿：客户经理 张伟（芙蓉区东片）",
        "读取文件 7 个：有效记录 10 条，未计入 0 项",
        "服务客户 5 户；上门走访 10 次，电话访问 1 次；计划执行率 77.8%（7/9）",
        "本月销量 500 条（上月 415 条，+20.5%），销售额 126,600.00 元",
        "报告截止日期：2026-12-07（依据：§4.4.2，节假日顺延）",
        "核对发现 45 个问题：",  # 17, and the synthetic book's days of a handful of visits (002 三定)
    ]
    assert "  第四部分“次月销售情况预测”未填写（可写入 --narrative 文件）" in lines
    assert lines[-2:] == [f"  {tmp_path / 'out' / DRAFT}.docx", f"  {tmp_path / 'out' / DRAFT}.xlsx"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"{DRAFT}.docx", f"{DRAFT}.xlsx"]


def test_invalid_record_is_listed_left_out_and_exit_1(month_dir: Path, tmp_path: Path) -> None:
    slips = json.loads((month_dir / "反馈单.json").read_text(encoding="utf-8"))
    slips[1]["feedback_type"] = "价格"
    (month_dir / "反馈单.json").write_text(json.dumps(slips), encoding="utf-8")
    sales = write_sales_csv(tmp_path / "sales.csv")
    result = CliRunner().invoke(cli, ["report", "monthly", "--month", "2026-11", "--sales", str(sales), "--format",
                                      "xlsx", str(month_dir), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "  [错误] 反馈单.json 第2条：“反馈类型”只能填写：商品质量/服务质量（填写的是“价格”）（依据：§4.6）" in lines
    assert "未计入本月的文件或记录：反馈单.json 第2条（商品及服务质量信息反馈单）" in lines
    assert [p.name for p in (tmp_path / "out").iterdir()] == [f"{DRAFT}.xlsx"]  # the rest still drafted


def test_invalid_sign_in_book_gives_no_visit_numbers(month_dir: Path, tmp_path: Path) -> None:
    book = sign_in_book()
    del book["rows"][2]["customer_signature"]
    (month_dir / "签到簿-2026-11.json").write_text(json.dumps(book), encoding="utf-8")
    sales = write_sales_csv(tmp_path / "sales.csv")
    result = CliRunner().invoke(cli, ["report", "monthly", "--month", "2026-11", "--sales", str(sales),
                                      str(month_dir), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "  [错误] 签到簿-2026-11.json 表格第3行：“客户签名确认”为必填项（依据：§4.1.4）" in lines
    assert "没有有效的签到簿：上门走访无法统计；计划上门 9 次，电话访问 2 次" in lines  # not "0 visits, 0%"
    assert "  [错误] 全月：没有 张伟 2026-11 的有效签到簿，服务客户数、上门走访次数和计划执行情况无法计算（依据：§4.4.1）" in lines
    assert not (tmp_path / "out").exists()


def test_without_sales_no_draft_and_exit_1(month_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["report", "monthly", "--month", "2026-11", str(month_dir),
                                      "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "  [错误] 全月：未提供销售表（--sales），无法计算本月销量（依据：§4.4.1）" in result.output.splitlines()
    assert result.output.splitlines()[-1] == "未生成草稿：报告的基本数据不全或报告文字有误，见上面的问题。"
    assert not (tmp_path / "out").exists()


def test_narrative_parts_end_up_in_the_draft(month_dir: Path, tmp_path: Path) -> None:
    story = tmp_path / "n.yaml"
    story.write_text("problems:\n  - 问题: 甲\n    原因: 乙\n    对策措施: 丙\n客户对商品质量和服务的主要意见和建议: 丁\n"
                     "次月销售情况预测: 戊\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", "monthly", "--month", "2026-11", "--sales",
                                      str(write_sales_csv(tmp_path / "s.csv")), "--narrative", str(story),
                                      "--submitted-on", "2026-12-04", str(month_dir), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert "草稿待补充" not in result.output and "草稿的其他问题" not in result.output


def test_submitted_on_after_the_due_date_is_said(month_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["report", "monthly", "--month", "2026-11", "--sales",
                                      str(write_sales_csv(tmp_path / "s.csv")), "--submitted-on", "2026-12-08",
                                      str(month_dir), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0  # the inputs are fine; the lateness is the draft's own finding
    assert "  提交日期 2026-12-08 晚于截止日 2026-12-07（每月 5 日，节假日顺延）（依据：§4.4.2）" in result.output.splitlines()


def test_bad_month_is_a_usage_error() -> None:
    result = _run("report", "monthly", "--month", "2026-13", ".")
    assert result.returncode == 2
    assert "“2026-13”应写作 2026-11 这样的年月" in result.stderr


def test_bad_narrative_file_is_exit_1_in_chinese(month_dir: Path, tmp_path: Path) -> None:
    story = tmp_path / "n.yaml"
    story.write_text("结论: 很好\n", encoding="utf-8")
    result = _run("report", "monthly", "--month", "2026-11", "--narrative", story, month_dir, "-o", tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"错误：报告文字文件 {story} 中的“结论”不是报告的部分")
    assert "Traceback" not in result.stderr


def test_help_is_chinese() -> None:
    result = CliRunner().invoke(cli, ["report", "monthly", "--help"])
    assert result.exit_code == 0
    assert result.output.startswith("用法：")
    assert "--narrative 文件" in result.output and "报告月份" in result.output


def test_last_months_report_in_the_folder_is_noted_and_skipped(month_dir: Path, tmp_path: Path) -> None:
    sales = str(write_sales_csv(tmp_path / "s.csv"))
    first = CliRunner().invoke(cli, ["report", "monthly", "--month", "2026-11", "--sales", sales, "--format", "xlsx",
                                     str(month_dir), "-o", str(month_dir)])  # the draft lands among the inputs
    assert first.exit_code == 0
    again = CliRunner().invoke(cli, ["report", "monthly", "--month", "2026-11", "--sales", sales, "--format", "xlsx",
                                     str(month_dir), "-o", str(tmp_path / "out")])
    assert again.exit_code == 0
    assert (f"  [警告] {DRAFT}.xlsx：月度报告只取{month_titles()}；"
            "这份客户月度销售情况分析报告未计入（依据：§4.4.1）") in again.output.splitlines()


def test_unknown_manager_gives_findings_and_no_draft(month_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["report", "monthly", "--month", "2026-11", "--manager", "李强", "--sales",
                                      str(write_sales_csv(tmp_path / "s.csv")), str(month_dir),
                                      "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.count("不是“李强”的，未计入本月报告") == 10
    assert "  [错误] 全月：没有 李强 2026-11 的有效签到簿，服务客户数、上门走访次数和计划执行情况无法计算（依据：§4.4.1）" in result.output
    assert not (tmp_path / "out").exists()


def test_every_finding_of_the_monthly_report_cites_its_clause(month_dir: Path, tmp_path: Path) -> None:
    from manualkit.schemas._policy import DEFAULT_POLICY
    from manualkit.toolkit.errors import FILE_CODES
    from manualkit.toolkit.report.monthly import draft_monthly_report

    (month_dir / "坏.json").write_text("{not json", encoding="utf-8")
    rows = sales_rows()
    rows[1][3] = "很多"  # a volume that is no number
    sales = write_sales_csv(tmp_path / "sales.csv", [row[:4] for row in rows])  # and no 销售额 column
    draft = draft_monthly_report([month_dir], "2026-11", DEFAULT_POLICY, today=dt.date(2026, 12, 4), sales=sales)
    codes = {f.issue.code for f in draft.findings}
    assert {"unreadable_file", "missing_column", "invalid_type", "missed_visit"} <= codes
    assert all(f.issue.clause for f in draft.findings if f.issue.code not in FILE_CODES)
    assert all(v.clause for v in draft.check.violations)
