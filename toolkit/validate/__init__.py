"""Validating submitted spreadsheets: findings at their cells, reports, annotated copies.

Public API::

    validate_file(path, form=None, policy=DEFAULT_POLICY) -> FileReport
    validate_paths(paths, form=None, policy=DEFAULT_POLICY, progress=None) -> BatchReport
    text_report(batch) -> str;  batch.as_json() -> dict
    annotate_all(batch.files, outdir) -> list[Path]

Reading is ``manualkit.toolkit.reader``'s job; the checks are ``manualkit.toolkit.records``'.
"""

from manualkit.toolkit.validate.batch import BatchReport, collect_paths, validate_paths
from manualkit.toolkit.validate.findings import FileReport, validate_file
from manualkit.toolkit.validate.text import text_report

__all__ = ["BatchReport", "FileReport", "collect_paths", "text_report", "validate_file", "validate_paths"]
