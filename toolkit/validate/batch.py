"""Many files: collect them from folders, validate each on its own, sum up.

One broken file never stops the others: whatever goes wrong while reading or
checking one file becomes that file's ``unreadable_file`` finding. A batch of
several files is spread over one worker process per CPU (reports come back in
the order of the files).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any

from schemas._base import Severity
from schemas._policy import DEFAULT_POLICY, Policy
from toolkit.errors import ToolkitError
from toolkit.registry import FormSpec
from toolkit.validate.duplicates import add_duplicate_findings
from toolkit.validate.findings import FileReport, file_issue, validate_file

Progress = Callable[[Iterable[FileReport], int], Iterator[FileReport]]
PARALLEL_FROM = 4  # files: below this, starting worker processes costs more than it saves


@dataclass(frozen=True, slots=True)
class BatchReport:
    """The reports of every file validated in one run."""

    files: list[FileReport]

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

    def as_json(self) -> dict[str, Any]:
        """Return the documented ``validate --format json`` document."""
        return {"files": [report.as_json() for report in self.files],
                "summary": self.summary()}


def collect_paths(paths: Sequence[Path]) -> list[Path]:
    """Return the files to validate: files as given, folders searched recursively for spreadsheets.

    Besides .xlsx, a folder's other spreadsheet files (.xlsm, .xls, .xlsb, .et, .ods) are taken
    too: they are read as well, and one that cannot be (a WPS-only .et) is reported with the
    reason, not silently left out. Excel's lock files (``~$name.xlsx``), hidden files and the annotated copies
    ``--annotate`` writes (``*_批注.xlsx``, so that annotating into the submissions folder twice does
    not check the copies as submissions) are skipped; a file named explicitly is always taken.

    Raises:
        ToolkitError: nothing to validate was found.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if _is_submission(p))
        else:
            found.append(path)
    if not found:
        raise ToolkitError("没有找到要校验的 .xlsx 文件：" + "、".join(map(str, paths)))
    return list(dict.fromkeys(found))


ANNOTATED_SUFFIX = "_批注"  # an annotated copy is named <submission>_批注[_N].xlsx
_ANNOTATED_NAME = re.compile(rf"{ANNOTATED_SUFFIX}(_\d+)?\.xlsx$", re.IGNORECASE)
_SPREADSHEETS = {".xlsx", ".xlsm", ".xls", ".xlsb", ".et", ".ods"}


def is_annotated_copy(path: Path) -> bool:
    """Return whether ``path`` is named like a copy written by ``--annotate``."""
    return bool(_ANNOTATED_NAME.search(path.name))


def _is_submission(path: Path) -> bool:
    return (path.suffix.lower() in _SPREADSHEETS and path.is_file() and not path.name.startswith(("~$", "."))
            and not is_annotated_copy(path))


def validate_paths(
    paths: Sequence[Path],
    form: FormSpec | None = None,
    policy: Policy = DEFAULT_POLICY,
    progress: Progress | None = None,
    workers: int | None = None,
) -> BatchReport:
    """Return the findings of every .xlsx in ``paths`` (files and folders), in the order found.

    Args:
        paths: files and folders.
        form: the form to assume for workbooks that do not record theirs.
        policy: the manual's numbers.
        progress: wraps the stream of reports to show progress (the CLI's bar), if given.
        workers: processes to validate with; by default one per CPU when there are several files.
    """
    files = collect_paths(paths)
    workers = workers or _default_workers(len(files))
    batch = None
    if workers > 1:
        with contextlib.suppress(BrokenProcessPool):  # a worker died (killed, out of memory): do the batch here
            batch = _in_workers(files, form, policy, progress, workers)
    if batch is None:
        reports = (_validate_one(path, form, policy) for path in files)
        batch = BatchReport(list(progress(reports, len(files)) if progress else reports))
    add_duplicate_findings(batch)
    return batch


def _in_workers(files: list[Path], form: FormSpec | None, policy: Policy, progress: Progress | None,
                workers: int) -> BatchReport:
    with ProcessPoolExecutor(workers) as pool:
        chunk = max(1, min(16, len(files) // (workers * 8)))
        reports = pool.map(_validate_one, files, repeat(form), repeat(policy), chunksize=chunk)
        return BatchReport(list(progress(reports, len(files)) if progress else reports))


def _default_workers(files: int) -> int:
    """Return one process per CPU for a batch worth it; one file or a few run in this process."""
    return min(os.cpu_count() or 1, files // 2) if files >= PARALLEL_FROM else 1


def _validate_one(path: Path, form: FormSpec | None, policy: Policy) -> FileReport:
    try:
        return validate_file(path, form, policy)
    except Exception as exc:  # one file's surprise must not stop the batch; report it on that file
        issue = file_issue("unreadable_file", f"读取或校验此文件时出错：{type(exc).__name__}: {str(exc)[:200]}")
        return FileReport(path, None, [issue])

