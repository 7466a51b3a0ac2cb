"""The command line: Chinese help, the forms list, the schema, exit codes."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from manualkit.toolkit.cli import cli, main
from manualkit.toolkit.cli._chinese import FORM
from manualkit.toolkit.registry import all_forms


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "manualkit", *args], capture_output=True, text=True,
                          encoding="utf-8", check=False)


def test_forms_lists_id_title_and_clause() -> None:
    result = run("forms")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["visit-schedule", "客户访问日程表（§4.1.1）"]
    assert len(lines) == len(all_forms())


def test_schema_prints_json_schema_with_chinese_titles() -> None:
    result = run("schema", "sign-in-book")
    assert result.returncode == 0
    document = json.loads(result.stdout)
    assert document["title"] == "营销人员市场走访签到记录簿"
    row = document["$defs"]["SignIn"]["properties"]
    assert row["customer_signature"]["title"] == "客户签名确认"


@pytest.mark.parametrize("args", [["schema", "visit-schedul"], ["blank", "visit_schedule2"],
                                  ["validate", ".", "--form", "visit-schedul"]])
def test_a_mistyped_form_is_a_usage_error_that_suggests_the_form(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert "错误：未知表单：" in result.stderr and "您是不是要找 visit-schedule？" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_form_lists_the_forms() -> None:
    result = run("schema", "考勤表")
    assert result.returncode == 2
    assert "错误：未知表单：考勤表。可用的表单：visit-schedule（客户访问日程表）" in result.stderr
    assert "您是不是要找" not in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["nope"], "错误：没有命令“nope”。\n"),
    (["valdate", "x.xlsx"], "错误：没有命令“valdate”。您是不是要找 validate？"),
    (["validate", "--formt", "json", "."], "错误：没有选项 --formt。您是不是要找 --format？"),
    (["schema"], "错误：缺少参数 '表单'"),
    (["forms", "--bad"], "错误：没有选项 --bad。"),
])
def test_wrong_usage_is_exit_2_in_chinese(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("用法：manualkit")
    assert message in result.stderr
    assert "Usage" not in result.stderr and "Error" not in result.stderr and "Did you" not in result.stderr


def test_bare_manualkit_prints_the_chinese_help() -> None:
    result = run()
    assert result.returncode == 2  # as click: no command is wrong usage, answered with the help
    assert result.stderr.startswith("用法：manualkit [选项] 命令 [参数]...\n\n  manualkit：把客户经理岗位手册")
    assert "命令：" in result.stderr and "示例：" in result.stderr and "错误" not in result.stderr


@pytest.mark.parametrize(("args", "chinese"), [
    (["validate", "没有这个文件.xlsx"], "'路径...' 的值无效：路径“没有这个文件.xlsx”不存在。"),
    (["report", "monthly", "--month", "2026-11", "--submitted-on", "12月3日", "."], "“12月3日”应写作 2026-12-04"),
    (["fill", "special-visit", "."], "“.”是文件夹，这里需要文件"),
    (["blank", "--all", "-o", sys.executable], f"'-o' / '--output' 的值无效：“{sys.executable}”是文件，这里需要文件夹"),
    (["blank", "--all", "--format", "pdff"], "'--format' 的值无效：“pdff”无效，可选：'docx', 'xlsx', 'both', 'pdf'。"),
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


HELP_PAGES = [[], *([name] for name in sorted(cli.commands)), ["report", "monthly"]]


@pytest.mark.parametrize("args", HELP_PAGES, ids=" ".join)
def test_help_has_no_english_words_of_click(args: list[str]) -> None:
    output = CliRunner().invoke(cli, [*args, "--help"]).output
    for english in ("[default:", "required]", "DIRECTORY", "FILE", "TEXT", "PATH", "COMMAND", "ARGS", "OPTIONS",
                    "Usage", "Options", "Commands", "Show "):
        assert english not in output


@pytest.mark.parametrize("args", HELP_PAGES, ids=" ".join)
def test_every_help_page_ends_with_two_or_three_examples(args: list[str]) -> None:
    output = CliRunner().invoke(cli, [*args, "--help"]).output
    examples = output.split("\n示例：\n")[1].splitlines()
    assert 2 <= len(examples) <= 3
    assert all(line.startswith("  " + " ".join(["manualkit", *args])) for line in examples), examples


def test_every_message_in_the_catalogue_is_one_click_asks_for() -> None:
    """The catalogue works only while its messages are click's own, word for word: a new click may reword."""
    import ast

    import click

    from manualkit.toolkit.cli._catalogue import CLICK_MODULES, MESSAGES

    asked = set()
    for name in CLICK_MODULES:
        tree = ast.parse(Path(click.__file__).with_name(f"{name}.py").read_text(encoding="utf-8"))
        asked |= {arg.value for node in ast.walk(tree) if isinstance(node, ast.Call)
                  and getattr(node.func, "id", None) in ("_", "ngettext")
                  for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)}
    asked.add("required")  # core.py asks _(extra["required"]) for the word it set a line before
    assert set(MESSAGES) - asked == set()


def test_top_help_lists_only_commands_that_exist() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    listed = result.output.split("命令：\n")[1].split("\n\n")[0].splitlines()
    assert {line.split()[0] for line in listed} == set(cli.commands)


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
    assert f"“{blocked}”：路径中有一部分是文件，不是文件夹" in err  # validate names the copy it could not write
    assert "Traceback" not in err and "Errno" not in err


def test_help_columns_line_up_with_chinese_value_names() -> None:
    from manualkit.toolkit.cli._chinese import display_width

    result = CliRunner().invoke(cli, ["report", "monthly", "--help"], terminal_width=200)
    lines = [line for line in result.output.splitlines() if line.startswith("  -")]
    starts = {display_width(match[0]) for line in lines if (match := re.match(r"\s*\S.*?\s{2,}", line))}
    assert len(lines) > 5 and len(starts) == 1, result.output


def _commands(command: click.Command, path: list[str]) -> list[tuple[click.Command, list[str]]]:
    found = [(command, path)]
    for name, sub in getattr(command, "commands", {}).items():
        found += _commands(sub, [*path, name])
    return found


@pytest.mark.parametrize(("command", "example"), [
    (command, example) for command, _ in _commands(cli, []) for example in command.examples])
def test_examples_name_real_forms_and_choices(command: click.Command, example: str) -> None:
    """Each example parses as its command's line; every form and every choice it names exists."""
    words = shlex.split(example.split("  #")[0].split(" > ")[0])[1:]
    args = words[words.index(command.name) + 1:] if command is not cli else words
    ctx = click.Context(command, info_name=command.name)
    values, _, _ = command.make_parser(ctx).parse_args(args)  # words to parameters: no file need exist
    for param in command.params:
        raw = values.get(param.name)
        if raw is not None and isinstance(param.type, type(FORM) | click.Choice):
            for value in raw if isinstance(raw, list | tuple) else [raw]:
                if isinstance(value, str):  # not click's marker of a value left out
                    param.type.convert(value, param, ctx)  # a wrong form or choice raises
