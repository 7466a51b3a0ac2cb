"""A disk that fills up gives one clear message, no second traceback (issue 16, weak spots)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# Run handbook with every atomic output on a full disk (/dev/full), in a process of its own: the
# complaint of a zip left open comes when the interpreter cleans up, after our message.
ON_FULL_DISK = """
import contextlib, sys
from pathlib import Path
import manualkit.toolkit.files, manualkit.toolkit.handbook.build
from manualkit.toolkit.cli import main

@contextlib.contextmanager
def on_full_disk(path):
    temporary = Path(sys.argv[1]) / ("full" + path.suffix)
    temporary.unlink(missing_ok=True)
    temporary.symlink_to("/dev/full")
    yield temporary

manualkit.toolkit.files.atomic_output = manualkit.toolkit.handbook.build.atomic_output = on_full_disk
main(sys.argv[2:])
"""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_handbook_on_a_full_disk_says_so_once(tmp_path: Path, fmt: str) -> None:
    result = subprocess.run([sys.executable, "-c", ON_FULL_DISK, str(tmp_path), "handbook", "--format", fmt,
                             "-o", str(tmp_path / "out")], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == "错误：磁盘空间不足"
