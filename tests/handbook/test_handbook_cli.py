"""``manualkit handbook``: formats, output folder, and Chinese errors naming the file and line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from manualkit.toolkit.paths import forms_dir


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "manualkit", "handbook", *args], capture_output=True, text=True,
                          encoding="utf-8", check=False, cwd=cwd)


def test_html_only_into_the_given_folder(tmp_path: Path) -> None:
    result = run("--format", "html", "-o", str(tmp_path / "手册"))
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tmp_path / "手册").iterdir()] == ["客户经理岗位职责手册.html"]
    assert result.stdout.strip() == f"已生成：{tmp_path / '手册' / '客户经理岗位职责手册.html'}"


def test_default_output_is_the_demos_handbook_folder_in_the_current_folder(tmp_path: Path) -> None:
    from manualkit.toolkit.demo import HANDBOOK

    result = run("--format", "docx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert HANDBOOK == "岗位职责手册"
    assert [p.name for p in (tmp_path / "output" / "岗位职责手册").iterdir()] == ["客户经理岗位职责手册.docx"]


def test_broken_chapter_is_exit_1_naming_file_and_line_and_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "源"
    shutil.copytree(forms_dir() / "handbook", source)
    chapter = source / "03-workflows.md"
    lines = chapter.read_text(encoding="utf-8").splitlines()
    lines[9] = "用{{ form('attendance') }}记录考勤。"
    chapter.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("--source", str(source), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.startswith(f"错误：{chapter} 第 10 行：未知表单：attendance")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_bad_policy_file_is_exit_1(tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text("min_daily_visits: 很多\n", encoding="utf-8")
    result = run("--policy", str(tmp_path / "policy.yaml"), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "政策文件" in result.stderr and "min_daily_visits" in result.stderr


def test_unknown_format_is_usage_error() -> None:
    result = run("--format", "odt")
    assert result.returncode == 2
    assert "错误：'--format' 的值无效：“odt”无效" in result.stderr
