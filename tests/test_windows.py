"""What a Windows user relies on: ``python -m manualkit`` with worker processes, and no bash needed."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_worker_processes_importing_the_main_module_do_not_run_the_command_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    """Windows starts each ``validate`` worker by importing ``python -m manualkit``'s module as ``__mp_main__``."""
    runpy.run_module("manualkit", run_name="__mp_main__")
    assert capsys.readouterr() == ("", "")


def test_the_readme_tells_windows_users_how_to_install_and_run() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 在 Windows 上安装和使用")[1].split("\n## ")[0]
    for step in ("python.org", "py -m pip install .", "manualkit demo", "PowerShell", "py -m manualkit"):
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


def test_validate_workers_started_as_windows_starts_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows has no fork: workers are fresh interpreters, and everything they get and give must travel."""
    import multiprocessing

    import manualkit.toolkit.isolate
    import manualkit.toolkit.validate.batch as batch
    from manualkit.toolkit.registry import get_form
    from tests.conftest import sample
    from tests.filled_workbooks import write_form

    form = get_form("sign-in-book")
    for number in range(4):
        write_form(form, sample("sign-in-book"), tmp_path / f"{number}.xlsx")
    monkeypatch.setattr(manualkit.toolkit.isolate, "CONTEXT", multiprocessing.get_context("spawn"))
    spawned = batch.validate_paths([tmp_path], form, workers=2)
    here = batch.validate_paths([tmp_path], form, workers=1)
    assert [r.as_json() for r in spawned.files] == [r.as_json() for r in here.files]
    assert [r.flatten("code") for r in spawned.files] == [[]] + [[("duplicate_submission",)]] * 3
