"""One risky call in a process of its own: a crash there (the value reader aborting) costs only that call.

On systems with ``fork`` a child costs a few milliseconds and inherits what is loaded;
elsewhere (Windows) the call runs in this process and the reader's guard must do.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")
CONTEXT = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
DIED = "处理此文件时进程异常退出（文件可能过大或内容异常），未能读取；请在 Excel 中打开检查后另存再提交"


class ProcessDied(Exception):  # noqa: N818 - it names what happened, like BrokenProcessPool
    """The child process running the call ended without an answer (killed, out of memory, aborted)."""


def pool(workers: int) -> ProcessPoolExecutor:
    """Return worker processes that leave Ctrl-C to this process (which stops them), printing nothing."""
    return ProcessPoolExecutor(workers, mp_context=CONTEXT, initializer=signal.signal,
                               initargs=(signal.SIGINT, signal.SIG_IGN))


def run_alone(function: Callable[..., T], *args: Any) -> T:
    """Return ``function(*args)`` computed in a child process; its exceptions are raised here.

    Raises:
        ProcessDied: the child died before answering.
    """
    if CONTEXT is None:
        return function(*args)
    with pool(1) as child:
        try:
            return child.submit(function, *args).result()
        except BrokenProcessPool as exc:
            raise ProcessDied(DIED) from exc
