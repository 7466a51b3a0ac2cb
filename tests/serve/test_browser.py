"""The page in a real browser: Chromium (scripts/office's) driven by Playwright against uvicorn.

Each test fails if the page asks for anything but the server itself; every page
is photographed under the test's temporary folder (``page-*.png``).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from manualkit.toolkit.registry import get_form
from manualkit.toolkit.serve.app import TABS
from manualkit.toolkit.serve.uploads import Limits
from manualkit.toolkit.validate.annotate import SUMMARY_SHEET
from tests.serve.conftest import demo_spreadsheets, inbox_summary, serving


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    """A fresh tab that records every request leaving the server."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900}, base_url=server)
    outside: list[str] = []
    context.on("request", lambda request: None if request.url.startswith((server, "data:"))
               else outside.append(request.url))
    tab = context.new_page()
    yield tab
    context.close()
    assert outside == [], f"the page asked for URLs outside the server: {outside}"


def test_every_page_renders(page: Any, tmp_path: Path) -> None:
    for path, title in TABS:
        page.goto(path)
        assert page.locator("nav a.current").inner_text() == title
        page.screenshot(path=tmp_path / f"page-{path.strip('/')}.png", full_page=True)
    page.goto("/forms/sign-in-book")
    assert page.locator("article.appendix h1").inner_text().endswith("营销人员市场走访签到记录簿")
    page.screenshot(path=tmp_path / "page-form.png", full_page=True)
    page.goto("/handbook")
    assert "第一章" in page.frame_locator("iframe.handbook").locator("main").inner_text()


def test_a_folder_is_checked_and_its_annotated_copies_downloaded(page: Any, demo_inbox: Path, tmp_path: Path) -> None:
    page.goto("/validate")
    page.screenshot(path=tmp_path / "page-validate-empty.png")
    page.set_input_files("input[webkitdirectory]", demo_inbox)
    chosen = demo_spreadsheets() + 3  # the month, a broken file, Excel's lock file and a note
    assert page.locator("[data-chosen]").inner_text().startswith(f"已选择 {chosen} 个文件")
    page.click("button[type=submit]")
    page.wait_for_selector("table.summary", timeout=120_000)
    page.screenshot(path=tmp_path / "page-validate.png", full_page=True)
    assert inbox_summary() in page.locator(".notice").inner_text()
    section = page.locator("section.file-findings", has_text="提交的表格/特殊访问记录_张伟_兴旺副食_2026-11-04.xlsx")
    row = section.locator("tbody tr", has_text="B8")
    cells = row.locator("td").all_inner_texts()
    assert cells[:5] == ["错误", "特殊访问记录", "B8", "联系电话", "1380731123"]
    assert cells[6] == get_form("special-visit").model.clause_of("phone")
    with page.expect_download() as download:
        page.click("a.file:has-text('批注副本.zip')")
    saved = tmp_path / "批注副本.zip"
    download.value.save_as(saved)
    archive = zipfile.ZipFile(saved)
    book = load_workbook(io.BytesIO(archive.read("特殊访问记录_张伟_兴旺副食_2026-11-04_批注.xlsx")))
    assert book.sheetnames[0] == SUMMARY_SHEET
    assert "联系电话" in book["特殊访问记录"]["B8"].comment.text


def test_a_blank_form_downloads_from_the_forms_page(page: Any, tmp_path: Path) -> None:
    page.goto("/forms")
    with page.expect_download() as download:
        page.locator("tr", has_text="营销人员市场走访签到记录簿").locator("a.file", has_text="Excel").click()
    assert download.value.suggested_filename == "营销人员市场走访签到记录簿（空白）.xlsx"
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert "营销人员市场走访签到记录簿" in load_workbook(saved).sheetnames


def test_too_many_files_are_refused_before_uploading(browser: Any, tmp_path: Path) -> None:
    for number in range(6):
        (tmp_path / f"{number}.xlsx").write_bytes(b"x")
    with serving(Limits(files=5)) as address:
        tab = browser.new_page()
        tab.goto(address + "/validate")
        tab.set_input_files("input[webkitdirectory]", tmp_path)
        assert tab.locator("[data-chosen]").inner_text() == "一次最多上传 5 个文件，已选择 6 个。请分几次上传。"
        assert tab.locator("button[type=submit]").is_disabled()
        tab.close()


def test_many_findings_are_read_a_page_at_a_time(
        page: Any, demo_inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from manualkit.toolkit.serve import work

    monkeypatch.setattr(work, "FINDINGS_PER_PAGE", 3)  # the server runs in this process: three to a page
    page.goto("/validate")
    page.set_input_files("input[webkitdirectory]", demo_inbox)
    page.click("button[type=submit]")
    page.wait_for_selector("table.summary", timeout=120_000)
    pager = page.locator("nav.pager").first
    assert "这是第 1 页" in pager.inner_text()
    first_rows = page.locator("table.findings tbody tr").count()
    assert 0 < first_rows <= 3
    pager.locator("a[rel=next]").click()
    page.wait_for_url("**page=2#findings")
    assert "这是第 2 页" in page.locator("nav.pager").first.inner_text()
    assert 0 < page.locator("table.findings tbody tr").count() <= 3
    page.screenshot(path=tmp_path / "page-validate-page-2.png", full_page=True)
    last_file = page.locator("table.summary a").last  # a file whose findings are on the last pages
    name, target = last_file.inner_text(), last_file.get_attribute("href")
    last_file.click()
    page.wait_for_url(f"**{target}")
    section = page.locator(f"section#{target.split('#')[1]}")
    assert name in section.locator("h3").inner_text()
    assert section.is_visible() and section.bounding_box()["y"] < 900  # the browser scrolled to it
