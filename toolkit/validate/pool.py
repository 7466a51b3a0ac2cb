"""Worker processes that outlive a task which kills its process: only that task is lost.

A batch's tasks (validating a file, writing its annotated copy) run in one pool. When a
worker dies (the value reader aborting on memory it cannot have), the process pool is
broken and every task not yet done fails with it. ``Workers`` then runs the first few of
those (the ones the workers had taken: the queue is first in, first out) each in a process
of its own, and the rest again in a new pool; a task that kills its own process again is
answered by ``ProcessDied``. Every round settles at least those few, so it ends.
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from manualkit.toolkit.isolate import ProcessDied, run_alone
from manualkit.toolkit.isolate import pool as worker_pool

T = TypeVar("T")
_UNSET: Any = object()


@dataclass(eq=False, slots=True)
class Task(Generic[T]):
    """One call handed to the workers; ``Workers.result`` gives its value."""

    number: int  # the order it was handed in: the order the workers take tasks
    function: Callable[..., T]
    args: tuple[Any, ...]
    future: Future[T] | None = None
    value: T = _UNSET
    died: ProcessDied | None = None

    @property
    def settled(self) -> bool:
        """Return whether the task has its answer (a value or its process's death)."""
        return self.value is not _UNSET or self.died is not None


class Workers:
    """``processes`` worker processes running tasks; a task whose process dies costs only itself."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self._pool: ProcessPoolExecutor = worker_pool(processes)
        self._open: dict[int, Task[Any]] = {}  # handed in, answer not yet taken
        self._numbers = itertools.count()

    def submit(self, function: Callable[..., T], *args: Any) -> Task[T]:
        """Hand ``function(*args)`` to the workers; return the task to ask ``result`` of."""
        task: Task[T] = Task(next(self._numbers), function, args)
        try:
            task.future = self._pool.submit(between_collections, function, *args)
        except BrokenProcessPool:  # a worker died since the last call: settle what it held, then hand this in
            self._recover()
            task.future = self._pool.submit(between_collections, function, *args)
        self._open[task.number] = task
        return task

    def done(self, task: Task[Any]) -> bool:
        """Return whether ``task``'s answer is there without waiting (a broken pool's tasks count as done)."""
        return task.settled or (task.future is not None and task.future.done())

    def result(self, task: Task[T]) -> T:
        """Return ``task``'s value, waiting for it; the task is done with then.

        Raises:
            ProcessDied: the task killed the process running it, even when run alone.
            Exception: what the function raised.
        """
        try:
            while not task.settled:
                assert task.future is not None
                try:
                    task.value = task.future.result()
                except BrokenProcessPool:
                    self._recover()
        finally:
            self._open.pop(task.number, None)
        if task.died is not None:
            raise task.died
        return task.value

    def _recover(self) -> None:
        """After a worker died: settle the tasks the workers held, each alone; the rest go to a new pool."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        lost: list[Task[Any]] = []
        for task in sorted(self._open.values(), key=lambda t: t.number):
            if task.settled:
                continue
            future = task.future
            assert future is not None
            if future.done() and not future.cancelled() and not isinstance(future.exception(), BrokenProcessPool):
                continue  # finished before the pool broke: its answer (or exception) is still there
            lost.append(task)
        self._pool = worker_pool(self.processes)
        alone = 2 * (self.processes + 1)  # those a worker was running or had queued, in the order handed in
        for task in lost[:alone]:
            try:
                task.value = run_alone(task.function, *task.args)
            except ProcessDied as exc:
                task.died = exc
            except Exception as exc:
                failed: Future[Any] = Future()
                failed.set_exception(exc)
                task.future = failed
        for task in lost[alone:]:
            task.future = self._pool.submit(between_collections, task.function, *task.args)

    def shutdown(self) -> None:
        """Stop the workers; tasks not yet started are dropped (an interrupted batch does not finish first)."""
        self._pool.shutdown(cancel_futures=True)
        self._open.clear()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


def between_collections(function: Callable[..., T], *args: Any) -> T:
    """Return ``function(*args)``, run in a worker with the cycle collector on; it is off once the task returns.

    The collector runs between a worker's tasks: not while the answer is pickled (a collection then
    would scan every row object of a big book just before they are freed), but at the next task's start.
    """
    gc.enable()
    try:
        return function(*args)
    finally:
        gc.disable()
