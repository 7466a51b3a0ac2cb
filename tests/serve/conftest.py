"""The web page's fixtures: a client of the app, uploads run to their end, and a real server for Chromium."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from manualkit.toolkit.serve import create_app
from manualkit.toolkit.serve.uploads import Limits

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"]
Files = Sequence[tuple[str, tuple[str, bytes]]]


@pytest.fixture
def client() -> Iterator[TestClient]:
    """A client of a fresh app with the default limits."""
    with TestClient(create_app()) as test_client:
        yield test_client


def finish(client: TestClient, response: Any) -> Any:
    """Follow an upload's answer to its job page and poll it until the job is done; return that page."""
    assert response.status_code == 303, response.text
    url = response.headers["location"]
    for _ in range(1200):
        page = client.get(url)
        if 'http-equiv="refresh"' not in page.text:
            return page
        time.sleep(0.1)
    raise AssertionError(f"{url} did not finish")


def upload(client: TestClient, path: str, files: Files, data: dict[str, str] | None = None) -> Any:
    """Post ``files`` (field, (browser name, content)) to ``path`` and return the finished job's page."""
    return finish(client, client.post(path, files=list(files), data=data or {}, follow_redirects=False))


def downloads(page: Any) -> dict[str, str]:
    """Return the download links of a result page, by file name."""
    return {name: href for href, name in re.findall(r'<a class="file" href="(/jobs/[^"]+)" download>([^<]+)</a>',
                                                    page.text)}


def folder_files(folder: Path, field: str = "files", under: str | None = None) -> list[tuple[str, tuple[str, bytes]]]:
    """Return every file below ``folder`` as the browser's folder picker sends them (``folder/sub/name``)."""
    top = under or folder.name
    return [(field, (f"{top}/{path.relative_to(folder).as_posix()}", path.read_bytes()))
            for path in sorted(folder.rglob("*")) if path.is_file()]


@pytest.fixture(scope="session")
def demo_inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's month as handed in (two files with typed mistakes), plus what else lies in such a folder."""
    from manualkit.toolkit.demo import submitted_month

    folder = tmp_path_factory.mktemp("demo") / "提交的表格"
    submitted_month(folder.parent)
    (folder / "二组").mkdir()
    (folder / "二组" / "坏文件.xlsx").write_text("客户编码,客户名称\n", encoding="utf-8")
    (folder / "~$客户访问日程表.xlsx").write_bytes(b"lock")  # Excel's lock file: not a submission
    (folder / "说明.txt").write_text("不是表格", encoding="utf-8")
    return folder


def demo_spreadsheets() -> int:
    """Return how many spreadsheets the demo's month is handed in as: one per record of its data files."""
    import json

    from manualkit.toolkit.demo import month_files

    counts = [json.loads(path.read_text(encoding="utf-8")) for _, path in month_files()]
    return sum(len(data) if isinstance(data, list) else 1 for data in counts)


def inbox_summary() -> str:
    """Return the summary line of ``demo_inbox`` checked: the month's spreadsheets and the broken file.

    Two of the month's spreadsheets carry typed mistakes (``forms/demo/填写错误.yaml``); the broken file
    is the third invalid one.
    """
    files = demo_spreadsheets() + 1
    return f"共 {files} 个文件：有效 {files - 3} 个，无效 3 个"


@pytest.fixture
def small_limits() -> Limits:
    return Limits(files=5, file_bytes=2000, total_bytes=6000)


# Real-browser tests: the Chromium of scripts/office, driven by Playwright, against uvicorn on a free port.

def chromium_path() -> str | None:
    """Return the machine's Chromium if Playwright is installed to drive it (both required in CI)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        import playwright  # noqa: F401
    except ImportError:
        found = None
    if not found and os.environ.get("MANUALKIT_REQUIRE_OFFICE"):
        pytest.fail("Chromium or Playwright missing but MANUALKIT_REQUIRE_OFFICE is set")
    return found


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium (the machine's own, launched by its path: no browser download)."""
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium 未安装")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@contextlib.contextmanager
def serving(limits: Limits | None = None) -> Iterator[str]:
    """Serve the app with uvicorn on a free loopback port, in a thread; yield its address."""
    import uvicorn

    sock = socket.create_server(("127.0.0.1", 0))
    app = create_app(limits=limits, allowed_hosts=["127.0.0.1"])
    live = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=live.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not live.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        live.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """The page served by uvicorn, as ``manualkit serve`` serves it."""
    with serving() as address:
        yield address
