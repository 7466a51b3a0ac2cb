"""Validate files on any ``concurrent.futures``-style executor: a Dask cluster's, or a plain pool.

Each task carries the file's name and bytes, not its path, so that a worker on another
machine needs no share of this machine's disk: it writes the bytes to a temporary folder
of its own under the same name, validates them, and the report comes back pointing at the
file here. At most ``window`` files are in flight, so memory stays flat however many there
are; reports are yielded in the order of the files. A task that fails (its worker died:
Dask gives up on a task that kills workers) costs only its file's report.
"""

from __future__ import annotations

import tempfile
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, Future
from pathlib import Path

from manualkit.schemas._policy import Policy
from manualkit.toolkit.isolate import DIED
from manualkit.toolkit.registry import FormSpec
from manualkit.toolkit.validate.findings import FileReport, file_issue, validate_file

WINDOW = 256  # files in flight: enough to keep a cluster's workers busy, few enough to hold in memory


def on_executor(executor: Executor, files: Sequence[Path], form: FormSpec | None, policy: Policy,
                window: int = WINDOW) -> Iterator[FileReport]:
    """Yield the report of each of ``files`` validated on ``executor``, in order."""
    waiting: deque[tuple[Path, Future[FileReport] | FileReport]] = deque()
    upcoming = iter(files)
    for path in upcoming:
        waiting.append((path, _submit(executor, path, form, policy)))
        if len(waiting) >= window:
            yield _report(*waiting.popleft())
    while waiting:
        yield _report(*waiting.popleft())


def _submit(executor: Executor, path: Path, form: FormSpec | None,
            policy: Policy) -> Future[FileReport] | FileReport:
    try:
        data = path.read_bytes()
    except OSError:  # not readable here: validated here, where the reader says why
        return validate_file(path, form, policy)
    return executor.submit(validate_sent, path.name, data, form, policy)


def _report(path: Path, task: Future[FileReport] | FileReport) -> FileReport:
    """Return the task's report pointing at ``path``; a failed task is the file's finding."""
    try:
        report = task if isinstance(task, FileReport) else task.result()
    except Exception:  # the worker died or the task was lost: this file only
        return FileReport(path, None, [file_issue("unreadable_file", DIED)])
    return report.at(path)


def validate_sent(name: str, data: bytes, form: FormSpec | None, policy: Policy) -> FileReport:
    """Return the report of a file sent as its name and bytes (run on the executor's worker)."""
    from manualkit.toolkit.validate.batch import validate_one

    with tempfile.TemporaryDirectory(prefix="manualkit-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return validate_one(path, form, policy)
