"""The guard inflates with ISA-L when it is installed, and refuses the same files as with zlib."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from manualkit.toolkit.errors import WorkbookReadError
from manualkit.toolkit.reader import guard
from tests.hostile.books import SHEET, good


def _flipped(path: Path, at: float = 0.5, value: int | None = None) -> Path:
    """Flip a byte of the sheet's compressed data at ``at`` of its length (or set it to ``value``)."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SHEET)
    data = bytearray(path.read_bytes())
    header = info.header_offset
    start = header + 30 + int.from_bytes(data[header + 26:header + 28], "little") + int.from_bytes(
        data[header + 28:header + 30], "little")
    offset = start + int(info.compress_size * at)
    data[offset] = data[offset] ^ 0x55 if value is None else value
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


def test_a_corrupt_book_gets_the_same_finding_whichever_inflater_read_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corrupt = _flipped(good(tmp_path / "corrupt.xlsx"), at=0, value=0b111)  # a last block of the reserved type
    with pytest.raises(WorkbookReadError) as fast:
        guard.check_readable(corrupt)
    monkeypatch.setattr(guard, "_FAST_INFLATE", None)
    with pytest.raises(WorkbookReadError) as plain:
        guard.check_readable(corrupt)
    assert str(fast.value) == str(plain.value)  # the JSON report is the same on every machine
