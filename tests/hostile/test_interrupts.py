"""An interrupted batch leaves no temporary file behind (issue 16, case 9)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from manualkit.toolkit.files import atomic_output
from tests.conftest import sample


def test_an_interruption_right_after_the_temporary_file_is_made_removes_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def open_then_interrupted(path: str | os.PathLike[str], *args: object, **kwargs: object) -> int:
        handle = real_open(path, *args, **kwargs)
        if str(path).endswith(".part"):
            os.close(handle)
            raise KeyboardInterrupt
        return handle

    monkeypatch.setattr(os, "open", open_then_interrupted)
    with pytest.raises(KeyboardInterrupt), atomic_output(tmp_path / "表.docx") as temporary:
        temporary.write_bytes(b"never")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("after_files", [1, 5, 12])
def test_sigterm_in_the_middle_of_fill_leaves_only_whole_files(tmp_path: Path, after_files: int) -> None:
    records = [sample("special-visit") | {"customer_name": f"店{number}"} for number in range(80)]
    data = tmp_path / "visits.json"
    data.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "manualkit", "fill", "special-visit", str(data), "--format",
                                "both", "-o", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while process.poll() is None and len(list(out.glob("*.xlsx")) if out.is_dir() else []) < after_files:
        time.sleep(0.01)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert "Traceback" not in err
    assert [path.name for path in out.iterdir() if path.name.startswith(".")] == []


def test_an_interrupt_while_a_zip_part_is_being_written_is_only_an_abort(tmp_path: Path) -> None:
    """Ctrl-C inside zipfile's write leaves the archive unclosable; that error is the interrupt, not a crash."""
    data = tmp_path / "visits.json"
    data.write_text(json.dumps([sample("special-visit")], ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    script = (
        "import sys, zipfile\n"
        "def interrupted(self): raise KeyboardInterrupt\n"  # as SIGTERM striking while a part is being finished
        "zipfile._ZipWriteFile.close = interrupted\n"
        "from manualkit.toolkit.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    result = subprocess.run([sys.executable, "-c", script, "fill", "special-visit", str(data), "--format", "docx",
                             "-o", str(out)], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, result.stderr
    assert "已中止" in result.stderr
    assert not out.exists() or [path.name for path in out.iterdir()] == []
