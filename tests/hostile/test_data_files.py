"""YAML and JSON files are read bounded: bombs, deep nesting, huge numbers, tags, pipes (issue 16, cases 3-4)."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from manualkit.toolkit.cli import main
from tests.conftest import sample

BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 10)}]\n" for n in range(9))
DEEP = "[" * 20_000 + "]" * 20_000

HOSTILE = {
    "alias-bomb": (".yaml", BOMB, "YAML 别名（*名称）展开后过大"),
    "self-alias": (".yaml", "a: &a [*a]\n", "引用了自身"),
    "deep-yaml": (".yaml", DEEP, "嵌套超过 50 层"),
    "deep-json": (".json", DEEP, "嵌套超过 50 层"),
    "huge-int-yaml": (".yaml", "a: " + "9" * 5000 + "\n", "有 5000 位"),
    "huge-int-json": (".json", '{"a": ' + "9" * 5000 + "}", "有 5000 位"),
    "python-tag": (".yaml", "a: !!python/object/apply:os.system [echo]\n", "不接受 YAML 标签 !!python/object/apply:os.system"),
}


def _commands(path: Path, tmp_path: Path) -> dict[str, list[str]]:
    out = str(tmp_path / "out")
    return {
        "policy": ["validate", "--policy", str(path), str(tmp_path / "none.xlsx")],
        "fill": ["fill", "feedback-slip", str(path), "-o", out],
        "narrative": ["report", "monthly", "--month", "2026-11", "--narrative", str(path), str(tmp_path / "none.xlsx"),
                      "-o", out],
    }


@pytest.mark.parametrize("command", ["policy", "fill", "narrative"])
@pytest.mark.parametrize("case", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_data_files_are_refused_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   case: tuple[str, str, str], command: str) -> None:
    suffix, text, reason = case
    if command != "fill" and suffix == ".json":
        suffix = ".yaml"  # policy and narrative are YAML; JSON is YAML too
    path = tmp_path / f"data{suffix}"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "none.xlsx").write_bytes(b"")
    with pytest.raises(SystemExit) as exited:
        main(_commands(path, tmp_path)[command])
    assert exited.value.code == 1
    captured = capsys.readouterr()
    assert reason in captured.err + captured.out


def test_aliases_that_only_share_a_value_are_read(tmp_path: Path) -> None:
    record = sample("feedback-slip")
    path = tmp_path / "twice.yaml"
    path.write_text("- &first " + json.dumps(record, ensure_ascii=False) + "\n- *first\n", encoding="utf-8")
    main(["fill", "feedback-slip", str(path), "--format", "xlsx", "-o", str(tmp_path / "out")])  # exits 0: returns
    assert len(list((tmp_path / "out").glob("*.xlsx"))) == 2


def test_a_date_that_does_not_exist_is_the_record_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad-date.yaml"
    record = sample("feedback-slip") | {"reported_on": "DATE"}
    path.write_text(json.dumps(record, ensure_ascii=False).replace('"DATE"', "2026-02-30"), encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["fill", "feedback-slip", str(path), "-o", str(tmp_path / "out")])
    assert "2026-02-30" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["policy", "fill"])
def test_a_named_pipe_as_data_file_does_not_hang(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 command: str) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    (tmp_path / "none.xlsx").write_bytes(b"")
    opened = threading.Timer(20, lambda: os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))  # unblocks a hang: no deadlock
    opened.start()
    try:
        with pytest.raises(SystemExit):
            main(_commands(pipe, tmp_path)[command])
    finally:
        opened.cancel()
    assert "不是普通文件" in capsys.readouterr().err


def test_pipes_devices_and_dangling_links_in_a_folder_are_named(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    from tests.hostile.books import good

    good(tmp_path / "good.xlsx")
    os.mkfifo(tmp_path / "pipe.xlsx")
    (tmp_path / "gone.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    (tmp_path / "device.xlsx").symlink_to("/dev/zero")
    with pytest.raises(SystemExit) as exited:
        main(["validate", str(tmp_path), "--format", "json"])
    assert exited.value.code == 1
    files = {Path(entry["path"]).name: entry["errors"] for entry in json.loads(capsys.readouterr().out)["files"]}
    assert files["good.xlsx"] == []
    assert "链接指向的文件不存在" in files["gone.xlsx"][0]["message"]
    for name in ("pipe.xlsx", "device.xlsx"):
        assert "不是普通文件" in files[name][0]["message"]


def test_a_pipe_in_the_month_folder_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo(tmp_path / "records.yaml")
    with pytest.raises(SystemExit):
        main(["report", "monthly", "--month", "2026-11", str(tmp_path), "-o", str(tmp_path / "out")])
    assert "不是普通文件" in capsys.readouterr().out


def test_a_broken_xls_in_the_month_folder_is_named_with_its_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(SystemExit):
        main(["report", "monthly", "--month", "2026-11", str(tmp_path), "-o", str(tmp_path / "out")])
    [line] = [line for line in capsys.readouterr().out.splitlines() if "old.xls：" in line and "[错误]" in line]
    assert "old.xls：这是 Office 复合文档，但其中没有 Excel 工作簿" in line and line.count("old.xls") == 1
