"""Many files: collect them from folders, validate each on its own, sum up.

One broken file never stops the others: whatever goes wrong while reading or
checking one file becomes that file's ``unreadable_file`` finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemas._base import Severity
from schemas._policy import DEFAULT_POLICY, Policy
from toolkit.errors import CATALOGUE, Issue, ToolkitError
from toolkit.registry import FormSpec
from toolkit.validate.findings import FileReport, validate_file

Progress = Callable[[Iterable[Path], int], Iterator[Path]]


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
    """Return the files to validate: files as given, folders searched recursively for .xlsx.

    Excel's lock files (``~$name.xlsx``) and hidden files are skipped.

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


def _is_submission(path: Path) -> bool:
    return path.suffix.lower() == ".xlsx" and path.is_file() and not path.name.startswith(("~$", "."))


def validate_paths(
    paths: Sequence[Path],
    form: FormSpec | None = None,
    policy: Policy = DEFAULT_POLICY,
    progress: Progress | None = None,
) -> BatchReport:
    """Return the findings of every .xlsx in ``paths`` (files and folders).

    Args:
        paths: files and folders.
        form: the form to assume for workbooks that do not record theirs.
        policy: the manual's numbers.
        progress: wraps the file list to show progress (the CLI's bar), if given.
    """
    files = collect_paths(paths)
    items = progress(files, len(files)) if progress else iter(files)
    return BatchReport([_validate_one(path, form, policy) for path in items])


def _validate_one(path: Path, form: FormSpec | None, policy: Policy) -> FileReport:
    try:
        return validate_file(path, form, policy)
    except Exception as exc:  # one file's surprise must not stop the batch; report it on that file
        issue = Issue(code="unreadable_file", severity=CATALOGUE["unreadable_file"].severity,
                      message=f"读取或校验此文件时出错：{type(exc).__name__}: {str(exc)[:200]}")
        return FileReport(path, None, [issue])

