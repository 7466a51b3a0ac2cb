"""What a Windows user relies on: ``python -m toolkit`` with worker processes, and no bash needed."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_worker_processes_importing_the_main_module_do_not_run_the_command_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    """Windows starts each ``validate`` worker by importing ``python -m toolkit``'s module as ``__mp_main__``."""
    runpy.run_module("toolkit", run_name="__mp_main__")
    assert capsys.readouterr() == ("", "")


def test_the_readme_tells_windows_users_how_to_install_and_run() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 在 Windows 上安装和使用")[1].split("\n## ")[0]
    for step in ("python.org", "py -m pip install .", "manualkit demo", "PowerShell", "py -m toolkit"):
        assert step in section


def test_the_windows_section_needs_no_bash() -> None:
    """scripts/ are bash, for developers; on Windows every job is a ``manualkit`` (or ``py``) command."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 在 Windows 上安装和使用")[1].split("\n## ")[0]
    blocks = re.findall(r"```powershell\n(.*?)```", section, re.DOTALL)
    commands = [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]
    commands = [command for command in commands if command]
    assert len(commands) >= 4
    assert [c for c in commands if not c.startswith(("manualkit ", "py ", "cd "))] == []
