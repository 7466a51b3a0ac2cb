"""Real clients: LibreOffice prints the Word handbook, headless Chromium opens the HTML page."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from manualkit.toolkit.handbook.build import build_handbook
from manualkit.toolkit.registry import all_forms
from tests.conftest import office_available

# The appendices are lettered: one per form, in the registry's order, then the codes.
CHAPTERS = [("第一章", "岗位概述"), ("第二章", "岗位职责"), ("第三章", "工作流程"), ("第四章", "行为规范"),
            ("第五章", "市场经理的职责与审核"), ("第六章", "期限与频次"),
            *((f"附录{chr(ord('A') + i)}", form.title) for i, form in enumerate(all_forms().values())),
            (f"附录{chr(ord('A') + len(all_forms()))}", "填写格式与问题代码")]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    formats = ("docx", "html", "pdf") if office_available() else ("docx", "html")
    paths = build_handbook(tmp_path_factory.mktemp("handbook"), formats, today=dt.date(2026, 11, 23))
    return {path.suffix[1:]: path for path in paths}


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium executable; skips when absent (fails when MANUALKIT_REQUIRE_OFFICE is set)."""
    found = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
    if found is None:
        if os.environ.get("MANUALKIT_REQUIRE_OFFICE"):
            pytest.fail("Chromium missing but MANUALKIT_REQUIRE_OFFICE is set")
        pytest.skip("Chromium 未安装")
    return found


@pytest.mark.office
def test_libreoffice_prints_the_chinese_headings(built: dict[str, Path], soffice: str) -> None:
    pages = pdf_pages(built["pdf"])  # the Word handbook printed by LibreOffice (manualkit handbook --format pdf)
    text = "\f".join(pages)
    assert len(pages) > 25
    squeezed = re.sub(r"\s+", "", text)  # LibreOffice spaces Latin letters from Chinese: 附录 A
    for number, title in CHAPTERS:
        assert squeezed.count(number + title) == 2, title  # in the contents and as the heading
    assert re.sub(r"\s+", "", pages[4]).endswith("第5页")  # the footer's page number field
    assert "客户经理岗位职责手册" in pages[0] and "页" not in pages[0]  # the cover has no footer


def _chromium(executable: str, profile: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


@pytest.mark.office
@pytest.mark.parametrize(("device", "size"), [("desktop", "1280,900"), ("phone", "390,844")])
def test_chromium_opens_the_page_without_errors(
    built: dict[str, Path], chromium: str, tmp_path: Path, device: str, size: str
) -> None:
    url = built["html"].as_uri()
    shot = tmp_path / f"handbook-{device}.png"
    shown = _chromium(chromium, tmp_path / "profile", f"--window-size={size}", f"--screenshot={shot}", url)
    assert shot.read_bytes().startswith(PNG_SIGNATURE) and shot.stat().st_size > 20_000
    dom = _chromium(chromium, tmp_path / "profile", f"--window-size={size}", "--dump-dom", url)
    assert '<html lang="zh-CN" class="js">' in dom.stdout  # the page's script ran
    for run in (shown, dom):  # console messages: script errors, resources that failed to load
        assert ":CONSOLE" not in run.stderr, run.stderr


@pytest.mark.office
def test_the_contents_show_the_page_of_each_heading_and_word_is_not_asked(built: dict[str, Path],
                                                                          soffice: str) -> None:
    pages = [re.sub(r"\s+", "", page) for page in pdf_pages(built["pdf"])]
    contents = [line for page in pdf_pages(built["pdf"])[1:4] for line in page.splitlines() if "...." in line]
    assert len(contents) > 40  # every chapter and section, each with its page after a dotted leader
    for line in contents:
        entry, page = re.fullmatch(r"\s*(.+?)\s*\.{4,}\s*(\d+)\s*", line).groups()
        assert re.sub(r"\s+", "", entry) in pages[int(page) - 1], line  # the heading is on that page
    with zipfile.ZipFile(built["docx"]) as archive:
        assert b"updateFields" not in archive.read("word/settings.xml")  # no question on opening
