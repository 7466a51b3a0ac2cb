"""Time a folder of 1,000 submissions through the web page, as a person does it in Chromium.

Run with the project's own venv (it needs Playwright and the machine's Chromium, not bench/.venv)::

    .venv/bin/python -m bench.serve_upload [FILES]

The folder is the demo's month (one manager's spreadsheets, a few with typed mistakes) copied into
groups of 100 until it holds FILES files. Printed: the upload (click to the job's page), the findings shown,
and the annotated copies' zip downloaded, each in seconds from the click.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from tests.serve.conftest import CHROMIUM_FLAGS, serving  # the browser tests' server and Chromium


def make_folder(root: Path, count: int) -> Path:
    """Write ``count`` submissions (copies of the demo's month) into ``root/回收``; return that folder."""
    from manualkit.toolkit.demo import SUBMITTED, submitted_month

    submitted_month(root)
    month = sorted((root / SUBMITTED).glob("*.xlsx"))
    inbox = root / "回收"
    for number in range(count):
        source = month[number % len(month)]
        group = inbox / f"第{number // 100 + 1}组"
        group.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, group / f"{number:04d}-{source.name}")
    return inbox


def main(count: int) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch, serving() as address, sync_playwright() as playwright:
        inbox = make_folder(Path(scratch), count)
        size = sum(path.stat().st_size for path in inbox.rglob("*.xlsx")) / 1e6
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
        page = browser.new_page(accept_downloads=True)
        page.goto(address + "/validate")
        page.set_input_files("input[webkitdirectory]", inbox)
        start = time.perf_counter()
        page.click("button[type=submit]")
        page.wait_for_url("**/jobs/**", timeout=600_000)
        uploaded = time.perf_counter() - start
        page.wait_for_selector("table.summary", timeout=600_000)
        shown = time.perf_counter() - start
        with page.expect_download(timeout=600_000) as download:
            page.click("a.file:has-text('批注副本.zip')")
        download.value.path()
        zipped = time.perf_counter() - start
        print(f"{count} files, {size:.1f} MB: uploaded {uploaded:.1f} s, "  # noqa: T201
              f"findings shown {shown:.1f} s, annotated zip {zipped:.1f} s")
        print(page.locator(".notice").inner_text())  # noqa: T201
        browser.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
