"""The guard inflates with ISA-L when it is installed, and refuses the same files as with zlib."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from manualkit.toolkit.errors import WorkbookReadError
from manualkit.toolkit.reader import guard
from tests.hostile.books import SHEET, good


def _flipped(path: Path) -> Path:
    """Flip a byte in the middle of the sheet's compressed data (its CRC no longer matches, or it does not inflate)."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SHEET)
    data = bytearray(path.read_bytes())
    header = info.header_offset
    start = header + 30 + int.from_bytes(data[header + 26:header + 28], "little") + int.from_bytes(
        data[header + 28:header + 30], "little")
    data[start + info.compress_size // 2] ^= 0x55
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("inflater", ["isal", "zlib"])
def test_either_inflater_passes_a_sound_book_and_refuses_a_corrupt_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inflater: str) -> None:
    if inflater == "zlib":
        monkeypatch.setattr(guard, "_FAST_INFLATE", None)
    else:
        assert guard._FAST_INFLATE is not None, "isal is a dependency: installed with manualkit"
    guard.check_readable(good(tmp_path / "sound.xlsx"))
    with pytest.raises(WorkbookReadError, match="文件已损坏"):
        guard.check_readable(_flipped(good(tmp_path / "corrupt.xlsx")))
