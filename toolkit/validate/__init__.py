"""Validating submitted spreadsheets: findings at their cells, reports, annotated copies.

Public API::

    validate_file(path, form=None, policy=DEFAULT_POLICY) -> FileReport
    validate_paths(paths, form=None, policy=DEFAULT_POLICY, progress=None) -> BatchReport
    text_report(batch) -> str;  batch.as_json() -> dict
    annotate_all(batch.files, outdir) -> list[Path]

Reading is ``manualkit.toolkit.reader``'s job; the checks are ``manualkit.toolkit.records``'.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from manualkit.toolkit.lazy import imported_when_asked

if TYPE_CHECKING:
    from manualkit.toolkit.validate.batch import BatchReport, validate_paths
    from manualkit.toolkit.validate.collect import collect_paths
    from manualkit.toolkit.validate.findings import FileReport, validate_file
    from manualkit.toolkit.validate.text import text_report

__all__ = ["BatchReport", "FileReport", "collect_paths", "text_report", "validate_file", "validate_paths"]

# Imported when first asked for: the command line and a worker use ``collect`` and ``ahead``
# before they load the checks (pydantic, the forms).
_LATER = {"BatchReport": "batch", "validate_paths": "batch", "collect_paths": "collect",
          "FileReport": "findings", "validate_file": "findings", "text_report": "text"}

__getattr__ = imported_when_asked(__name__, _LATER)
