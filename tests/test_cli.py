"""The command line: Chinese help, the forms list, the schema, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import cli, main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "toolkit", *args], capture_output=True, text=True,
                          encoding="utf-8", check=False)


def test_forms_lists_id_title_and_clause() -> None:
    result = run("forms")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["visit-schedule", "客户访问日程表（§4.1.1）"]
    assert len(lines) == 5


def test_schema_prints_json_schema_with_chinese_titles() -> None:
    result = run("schema", "sign-in-book")
    assert result.returncode == 0
    document = json.loads(result.stdout)
    assert document["title"] == "营销人员市场走访签到记录簿"
    row = document["$defs"]["SignIn"]["properties"]
    assert row["customer_signature"]["title"] == "客户签名确认"


def test_unknown_form_is_exit_1_with_chinese_message() -> None:
    result = run("schema", "考勤表")
    assert result.returncode == 1
    assert result.stderr.startswith("错误：未知表单：考勤表")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["nope"], ["schema"], ["forms", "--bad"]])
def test_wrong_usage_is_exit_2_in_chinese(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert "用法错误：" in result.stderr
    assert "Usage" not in result.stderr and "Error" not in result.stderr


@pytest.mark.parametrize(("args", "chinese"), [
    (["validate", "没有这个文件.xlsx"], "“没有这个文件.xlsx”不存在"),
    (["report", "monthly", "--month", "2026-11", "--submitted-on", "12月3日", "."], "“12月3日”格式不对"),
    (["fill", "special-visit", "."], "“.”是文件夹，这里需要文件"),
    (["blank", "--all", "-o", sys.executable], f"-o / --output 的值无效：“{sys.executable}”是文件，这里需要文件夹"),
])
def test_bad_values_are_explained_in_chinese(args: list[str], chinese: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert chinese in result.stderr
    assert "does not" not in result.stderr and " is a " not in result.stderr


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_chinese_help(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "用法：" in result.output and "显示本帮助并退出" in result.output
    assert "Show this message" not in result.output
    assert any("\u4e00" <= ch <= "\u9fff" for ch in cli.commands[name].help or "")


@pytest.mark.parametrize("args", [[name] for name in sorted(cli.commands)] + [["report", "monthly"]])
def test_option_lines_in_help_have_no_english_words_of_click(args: list[str]) -> None:
    output = CliRunner().invoke(cli, [*args, "--help"]).output
    for english in ("[default:", "required]", "DIRECTORY", "FILE", "TEXT", "PATH"):
        assert english not in output


def test_top_help_lists_only_commands_that_exist() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    listed = {line.split()[0] for line in result.output.split("命令:")[1].splitlines() if line.strip()}
    assert listed == set(cli.commands)


def test_main_returns_normally_for_forms(capsys: pytest.CaptureFixture[str]) -> None:
    main(["forms"])
    assert "feedback-slip" in capsys.readouterr().out


@pytest.mark.parametrize("args", [
    ["blank", "special-visit", "--format", "xlsx", "-o", "{blocked}"],
    ["handbook", "--format", "html", "-o", "{blocked}"],
    ["validate", "{submission}", "--annotate", "{blocked}"],
])
def test_an_output_folder_that_cannot_be_made_is_a_chinese_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    (tmp_path / "a file").write_text("not a folder", encoding="utf-8")
    blocked = tmp_path / "a file" / "输出"
    submission = tmp_path / "空白.xlsx"
    main(["blank", "special-visit", "--format", "xlsx", "-o", str(tmp_path / "blank")])
    next((tmp_path / "blank").glob("*.xlsx")).rename(submission)
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_info:
        main([arg.format(blocked=blocked, submission=submission) for arg in args])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert f"错误：“{blocked}”：路径中有一部分是文件，不是文件夹" in err
    assert "Traceback" not in err and "Errno" not in err


def test_help_columns_line_up_with_chinese_value_names() -> None:
    from toolkit.cli._chinese import display_width

    result = CliRunner().invoke(cli, ["report", "monthly", "--help"], terminal_width=200)
    lines = [line for line in result.output.splitlines() if line.startswith("  -")]
    starts = {display_width(match[0]) for line in lines if (match := re.match(r"\s*\S.*?\s{2,}", line))}
    assert len(lines) > 5 and len(starts) == 1, result.output
