"""The LibreOffice wrapper: one call converts a batch, failures are Chinese errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from docx import Document

from manualkit.toolkit.office import OfficeConversionError, OfficeMissingError, convert


def _docx(path: Path, text: str) -> Path:
    document = Document()
    document.add_paragraph(text)
    document.save(path)
    return path


def test_batch_converts_every_file_in_order(tmp_path: Path, soffice: str) -> None:
    sources = [_docx(tmp_path / f"{name}.docx", f"客户经理{name}") for name in ("乙", "甲")]
    pdfs = convert(sources, "pdf", tmp_path / "pdf")
    assert [pdf.name for pdf in pdfs] == ["乙.pdf", "甲.pdf"]
    texts = [subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout for pdf in pdfs]
    assert "客户经理乙" in texts[0] and "客户经理甲" in texts[1]


def test_unconvertible_file_is_reported_by_name(tmp_path: Path, soffice: str) -> None:
    missing = tmp_path / "不存在.docx"
    with pytest.raises(OfficeConversionError, match=r"不存在\.docx"):
        convert([missing], "pdf", tmp_path / "pdf")


def test_same_names_in_two_folders_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with pytest.raises(OfficeConversionError, match="同名"):
        convert([tmp_path / "a" / "表.docx", tmp_path / "b" / "表.docx"], "pdf", tmp_path)


def test_missing_office_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(OfficeMissingError, match="LibreOffice"):
        convert([tmp_path / "x.docx"], "pdf", tmp_path)


def test_empty_batch_starts_nothing(tmp_path: Path) -> None:
    assert convert([], "pdf", tmp_path) == []


def test_libreoffice_is_found_where_its_windows_installer_puts_it(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from manualkit.toolkit.office import find_soffice

    soffice = tmp_path / "LibreOffice" / "program" / "soffice.exe"
    soffice.parent.mkdir(parents=True)
    soffice.write_bytes(b"")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # the installer does not add it to PATH
    monkeypatch.setenv("ProgramFiles", str(tmp_path))
    assert find_soffice() == str(soffice)
