"""Atomic output and safe file names."""

from __future__ import annotations

from pathlib import Path

import pytest

from manualkit.toolkit.files import atomic_output, safe_filename


def test_atomic_output_renames_on_success(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.docx"
    with atomic_output(target) as temporary:
        temporary.write_bytes(b"done")
        assert not target.exists()
    assert target.read_bytes() == b"done"
    assert [p.name for p in target.parent.iterdir()] == ["out.docx"]


def test_atomic_output_is_readable_by_others_as_a_normal_file(tmp_path: Path) -> None:
    target = tmp_path / "handbook.docx"
    with atomic_output(target) as temporary:
        temporary.write_bytes(b"x")
    plain = tmp_path / "plain"
    plain.write_bytes(b"x")
    assert target.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777


def test_atomic_output_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_output(target) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError("interrupted")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


@pytest.mark.parametrize(("text", "expected"), [
    ("客户访问日程表_张伟_2026-11-09", "客户访问日程表_张伟_2026-11-09"),
    ('a/b\\c:d*e?"f<g>h|i', "a_b_c_d_e_f_g_h_i"),
    ("CON", "_CON"),
    ("  名称. ", "名称"),
    ("", "未命名"),
])
def test_safe_filename(text: str, expected: str) -> None:
    assert safe_filename(text) == expected


@pytest.mark.parametrize("stop", [KeyboardInterrupt, OSError(28, "No space left on device")])
def test_write_atomically_interrupted_leaves_no_file_and_no_part(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop: BaseException | type[BaseException]) -> None:
    import os

    from manualkit.toolkit.files import write_atomically

    closed: list[int] = []
    close = os.close

    def failing(_descriptor: int, _data: object) -> int:
        raise stop

    def counted(descriptor: int) -> None:
        closed.append(descriptor)
        close(descriptor)

    monkeypatch.setattr(os, "write", failing)
    monkeypatch.setattr(os, "close", counted)
    with pytest.raises(KeyboardInterrupt if stop is KeyboardInterrupt else OSError):
        write_atomically(b"data", tmp_path / "a.docx")
    assert list(tmp_path.iterdir()) == [] and len(closed) == 1  # nothing left, the descriptor closed once
