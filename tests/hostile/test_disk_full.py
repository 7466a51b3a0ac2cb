"""A disk that fills up gives one clear message, no second traceback (issue 16, weak spots)."""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import toolkit.files
import toolkit.handbook.build
from toolkit.cli import main


@pytest.fixture
def full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Make every atomic output a file on a full disk (/dev/full); return the unraisable errors seen."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")

    @contextlib.contextmanager
    def on_full_disk(path: Path) -> Iterator[Path]:
        temporary = tmp_path / f"full-{path.suffix}"
        temporary.unlink(missing_ok=True)
        temporary.symlink_to("/dev/full")
        yield temporary

    seen: list[object] = []
    for module in (toolkit.files, toolkit.handbook.build):
        monkeypatch.setattr(module, "atomic_output", on_full_disk)
    monkeypatch.setattr(sys, "unraisablehook", seen.append)
    return seen


def test_handbook_on_a_full_disk_says_so_once(tmp_path: Path, full_disk: list[object],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["handbook", "--format", "docx", "-o", str(tmp_path / "out")])
    gc.collect()
    assert exited.value.code == 1
    assert "磁盘空间不足" in capsys.readouterr().err
    assert full_disk == []
