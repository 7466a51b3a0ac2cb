"""``manualkit serve``: prints its address, serves the page on the loopback, says plainly when the port is taken."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def served() -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``manualkit serve --port 0`` in a subprocess; yield its address once it says it."""
    with subprocess.Popen([sys.executable, "-m", "manualkit", "serve", "--port", "0"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, encoding="utf-8") as process:
        try:
            line = process.stdout.readline()
            match = re.fullmatch(r"manualkit 网页已启动：(http://127\.0\.0\.1:\d+/)\n", line)
            assert match, line
            yield match.group(1), process
        finally:
            process.terminate()
            process.wait(20)


def _get(url: str, host: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def test_serve_prints_its_address_and_serves_the_page(served: tuple[str, subprocess.Popen[str]]) -> None:
    url, process = served
    assert process.stdout.readline() == "在浏览器中打开上面的地址即可使用；按 Ctrl+C 停止。\n"
    status, page = _get(url + "forms")
    assert status == 200 and "客户访问日程表" in page


def test_another_site_cannot_reach_the_page_by_its_name(served: tuple[str, subprocess.Popen[str]]) -> None:
    url, _ = served
    assert _get(url + "forms", host="evil.example")[0] == 400  # DNS rebinding: a foreign Host is refused
    assert _get(url.replace("127.0.0.1", "localhost") + "forms")[0] == 200


def test_a_busy_port_is_a_chinese_message() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "manualkit", "serve", "--port", str(port)], capture_output=True,
                                text=True, encoding="utf-8", timeout=60, check=False)
    assert result.returncode == 1
    assert f"错误：端口 {port} 已被占用" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_demo_points_to_the_page_with_the_folder_to_check(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from manualkit.toolkit.cli import cli

    result = CliRunner().invoke(cli, ["demo", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    hint = result.output.splitlines()[-1]
    assert hint == f"不用命令行也可以：运行 manualkit serve --open，在网页的“校验”页选择文件夹 {tmp_path / '提交的表格'}"
    assert (tmp_path / "提交的表格").is_dir()


def test_open_waits_for_the_server_then_opens_the_default_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from manualkit.toolkit.cli import serve

    opened: list[str] = []
    monkeypatch.setattr(serve.webbrowser, "open", opened.append)
    server = SimpleNamespace(started=False)
    monkeypatch.setattr(serve.time, "sleep", lambda _seconds: setattr(server, "started", True))
    serve._open_when_started(server, "http://127.0.0.1:8000/")
    assert opened == ["http://127.0.0.1:8000/"]
