"""Many files: collect them from folders, validate each on its own, sum up.

One broken file never stops the others: whatever goes wrong while reading or
checking one file becomes that file's ``unreadable_file`` finding. Files are read
in worker processes (one per CPU for a batch, one for a few files), so that even a
file that kills its process (the value reader aborts on memory it cannot have)
costs only its own report: the files that were in the dead worker's hands are
then read again one per process, and the one that dies again is reported as such.
Reports come back in the order of the files.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from manualkit.schemas._base import Severity
from manualkit.schemas._policy import DEFAULT_POLICY, Policy
from manualkit.toolkit.isolate import CONTEXT, ProcessDied
from manualkit.toolkit.registry import FormSpec
from manualkit.toolkit.validate.ahead import AHEAD, default_workers, validate_read_ahead
from manualkit.toolkit.validate.collect import collect_paths
from manualkit.toolkit.validate.duplicates import add_duplicate_findings
from manualkit.toolkit.validate.executor import on_executor
from manualkit.toolkit.validate.findings import FileReport, file_issue, validate_file
from manualkit.toolkit.validate.pool import Task, Workers

if TYPE_CHECKING:
    from manualkit.toolkit.month import MonthGroup
    from manualkit.toolkit.validate.cache import ReportCache

__all__ = ["BatchReport", "iter_reports", "validate_one", "validate_paths"]

Progress = Callable[[Iterable[FileReport], int], Iterator[FileReport]]


@dataclass(frozen=True, slots=True)
class BatchReport:
    """The reports of every file validated in one run."""

    files: list[FileReport]
    months: tuple[MonthGroup, ...] = ()  # each manager's month the month engine found (``validate.month``)

    @property
    def valid(self) -> bool:
        """Return whether every file is valid (warnings allowed)."""
        return all(report.valid for report in self.files)

    def summary(self) -> dict[str, int]:
        """Return the counts of the documented JSON ``summary``."""
        valid = sum(1 for report in self.files if report.valid)
        return {
            "files": len(self.files),
            "valid": valid,
            "invalid": len(self.files) - valid,
            "errors": sum(report.count(Severity.ERROR) for report in self.files),
            "warnings": sum(report.count(Severity.WARNING) for report in self.files),
        }

    def as_json(self, shown: Mapping[Path, str] | None = None) -> dict[str, Any]:
        """Return the documented ``validate --format json`` document.

        Args:
            shown: the path to show for a file, where it differs from where it was read (the web page's uploads).
        """
        shown = shown or {}
        return {"files": [report.as_json(shown.get(report.path)) for report in self.files],
                "months": [group.as_json() for group in self.months],
                "summary": self.summary()}


def validate_paths(
    paths: Sequence[Path],
    form: FormSpec | None = None,
    policy: Policy = DEFAULT_POLICY,
    progress: Progress | None = None,
    workers: int | None = None,
    *,
    executor: Executor | None = None,
    cache: ReportCache | None = None,
) -> BatchReport:
    """Return the findings of every .xlsx in ``paths`` (files and folders), in the order found.

    Args:
        paths: files and folders.
        form: the form to assume for workbooks that do not record theirs.
        policy: the manual's numbers.
        progress: wraps the stream of reports to show progress (the CLI's bar), if given.
        workers: processes to validate with; by default one per CPU when there are several files.
        executor: a ``concurrent.futures``-style executor to validate on instead (a Dask cluster's).
        cache: reports of files already validated (``--cache``).
    """
    files = collect_paths(paths)
    reports = iter_reports(files, form, policy, workers, executor=executor, cache=cache)
    batch = BatchReport(list(progress(reports, len(files)) if progress else reports))
    add_duplicate_findings(batch)
    return batch


def iter_reports(
    files: Sequence[Path],
    form: FormSpec | None = None,
    policy: Policy = DEFAULT_POLICY,
    workers: int | None = None,
    *,
    executor: Executor | None = None,
    cache: ReportCache | None = None,
    pool: Workers | None = None,
    ahead: Sequence[Task[FileReport]] = (),
) -> Iterator[FileReport]:
    """Yield the report of each file, in the order of ``files``, as soon as it and those before it are done.

    Files whose report is in ``cache`` are not validated again; the others go to ``executor``
    if given, else to ``pool`` (shared with the batch's other tasks) or ``workers`` processes
    of this machine, and their reports into the cache. ``ahead``: the tasks of the first files,
    already handed to ``pool`` (``manualkit.toolkit.validate.ahead.hand_ahead``; without a cache or an executor).
    """
    if ahead and (cache is not None or executor is not None or pool is None):
        raise ValueError("tasks handed ahead are taken only from the pool, without a cache")
    keys = [cache.key(path) for path in files] if cache else [None] * len(files)
    stored = {index: hit for index, path in enumerate(files) if cache and (hit := cache.get(path, keys[index]))}
    todo = [path for index, path in enumerate(files) if index not in stored]
    fresh = _fresh_reports(todo, form, policy, workers, executor, pool, ahead)
    for index in range(len(files)):
        if index in stored:
            yield stored[index]
            continue
        report = next(fresh)
        if cache:
            cache.put(keys[index], report)
        yield report


def _fresh_reports(files: list[Path], form: FormSpec | None, policy: Policy, workers: int | None,
                   executor: Executor | None, pool: Workers | None,
                   ahead: Sequence[Task[FileReport]]) -> Iterator[FileReport]:
    if not files:
        return iter(())
    if executor is not None:
        return on_executor(executor, files, form, policy)
    if pool is not None:
        return _in_workers(files, form, policy, pool, ahead)
    workers = workers or default_workers(len(files))
    if CONTEXT is None and workers == 1:  # no cheap child process here (Windows, macOS): the guard must do
        return (validate_one(path, form, policy) for path in files)
    return _in_own_workers(files, form, policy, workers)


def _in_own_workers(files: list[Path], form: FormSpec | None, policy: Policy, workers: int) -> Iterator[FileReport]:
    with Workers(workers) as pool:  # interrupted (Ctrl-C), the files not yet started are dropped, not all read first
        yield from _in_workers(files, form, policy, pool)


def _in_workers(files: list[Path], form: FormSpec | None, policy: Policy, pool: Workers,
                handed: Sequence[Task[FileReport]] = ()) -> Iterator[FileReport]:
    """Yield the report of each file in order, read in ``pool``'s processes; a dead worker loses no report.

    At most ``AHEAD`` files a process are handed in before their reports are taken, so that
    reports do not pile up however many files there are, and the batch's other tasks (the
    annotated copies) are taken by the workers between them. ``handed``: the first files' tasks,
    handed in already. Each worker opens its file before it needs the checks (``validate_read_ahead``).
    """
    ahead = AHEAD * pool.processes
    if len(handed) > len(files) or any(task.args[0] != path for path, task in zip(files, handed, strict=False)):
        raise ValueError("the tasks handed ahead are not those of the first files")
    waiting: deque[tuple[Path, Task[FileReport]]] = deque(zip(files, handed, strict=False))
    for path in files[len(waiting):]:
        waiting.append((path, pool.submit(validate_read_ahead, path, form, policy)))
        if len(waiting) >= ahead:
            yield _taken(pool, *waiting.popleft())
    while waiting:
        yield _taken(pool, *waiting.popleft())


def _taken(pool: Workers, path: Path, task: Task[FileReport]) -> FileReport:
    """Return the task's report; a file that killed its process even alone is the file's finding."""
    try:
        return pool.result(task)
    except ProcessDied as exc:
        return FileReport(path, None, [file_issue("unreadable_file", str(exc))])


def validate_one(path: Path, form: FormSpec | None, policy: Policy) -> FileReport:
    """Return ``path``'s report; whatever goes wrong in the checks is the file's finding."""
    try:
        return validate_file(path, form, policy)
    except Exception as exc:  # one file's surprise must not stop the batch; report it on that file
        issue = file_issue("unreadable_file", f"读取或校验此文件时出错：{type(exc).__name__}: {str(exc)[:200]}")
        return FileReport(path, None, [issue])

