"""``manualkit serve``: the local web page (``manualkit.toolkit.serve``), served by uvicorn until Ctrl+C."""

from __future__ import annotations

import errno
import ipaddress
import socket
import threading
import time
import webbrowser
from pathlib import Path

import click

from manualkit.toolkit.cli._chinese import ChineseCommand
from manualkit.toolkit.explain import explain_os_error

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")


@click.command("serve", cls=ChineseCommand, examples=[
    "manualkit serve --open",
    "manualkit serve --port 8080 --policy 本单位.yaml",
    "manualkit serve --host 0.0.0.0            # 同一网络的其他电脑也能打开",
])
@click.option("--host", default="127.0.0.1", show_default=True, metavar="地址",
              help="监听的地址；默认只有本机能打开，0.0.0.0 让同一网络的其他电脑也能打开")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), metavar="端口",
              help="端口（0 为任选一个空闲端口）")
@click.option("--open", "open_browser", is_flag=True, help="启动后在默认浏览器中打开页面")
@click.option("--policy", "policy_file", metavar="文件", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="覆盖手册政策参数的 YAML 文件，用于页面上的全部校验")
def command(host: str, port: int, open_browser: bool, policy_file: Path | None) -> None:
    """在本机启动网页：表单、校验、填表、月报和手册，不用命令行也能完成全部工作。

    页面不需要联网；上传的文件处理完即删除。按 Ctrl+C 停止。
    """
    import uvicorn

    from manualkit.toolkit.policy import load_policy
    from manualkit.toolkit.serve import create_app

    loopback = _is_loopback(host)
    app = create_app(load_policy(policy_file), allowed_hosts=LOOPBACK_NAMES if loopback else None)
    sock = _bind(host, port)
    url = f"http://{_url_host(host)}:{sock.getsockname()[1]}/"
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=5))
    click.echo(f"manualkit 网页已启动：{url}")
    click.echo("在浏览器中打开上面的地址即可使用；按 Ctrl+C 停止。")
    if open_browser:
        threading.Thread(target=_open_when_started, args=(server, url), daemon=True).start()
    server.run(sockets=[sock])
    click.echo("已停止。")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    host = host.strip("[]")
    if host in ("0.0.0.0", "::"):  # listening on every address: this computer's own one works
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def _bind(host: str, port: int) -> socket.socket:
    """Return a listening socket on ``host:port``; a busy port or a wrong address is a Chinese message."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host.strip("[]"), port), family=family)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            address = f"http://{_url_host(host)}:{port}/"
            raise click.ClickException(f"端口 {port} 已被占用（网页可能已经启动过一次）。"
                                       f"可以直接打开 {address}，或用 --port 换一个端口") from exc
        raise click.ClickException(f"无法在 {host}:{port} 启动网页：{explain_os_error(exc)}") from exc


def _open_when_started(server: object, url: str) -> None:
    """Open ``url`` in the default browser once uvicorn listens (it says so in ``started``)."""
    for _ in range(300):
        if getattr(server, "started", False):
            webbrowser.open(url)
            return
        time.sleep(0.1)
