"""Files handed to the worker processes before this process has loaded the checks.

``validate`` of one big file used to spend its first few tenths of a second importing
pydantic, the policy and the forms, and only then hand the file to a worker. The worker
needs them too, but not before its guard has passed the file and calamine has started
parsing it (calamine lets go of the interpreter while it parses). So the command line
hands the first files to the workers as soon as it knows them (``hand_ahead``), then loads
what it needs itself; each worker task (``validate_read_ahead``) opens its file first
(``manualkit.toolkit.reader.opening.read_ahead``) and imports the checks while the sheet
is parsed. Nothing here imports pydantic.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from manualkit.toolkit.reader.opening import forget_ahead, read_ahead
from manualkit.toolkit.validate.pool import Task, Workers

if TYPE_CHECKING:
    from manualkit.schemas._policy import Policy
    from manualkit.toolkit.registry import FormSpec
    from manualkit.toolkit.validate.findings import FileReport

PARALLEL_FROM = 4  # files: below this, starting worker processes costs more than it saves
AHEAD = 16  # files handed to each worker process before their reports are taken


def default_workers(files: int) -> int:
    """Return one process per CPU for a batch worth it; one for a single file or a few."""
    return min(os.cpu_count() or 1, files // 2) if files >= PARALLEL_FROM else 1


def hand_ahead(pool: Workers, files: Sequence[Path], form: FormSpec | None) -> list[Task[FileReport]]:
    """Hand the first of ``files`` (as many as ``iter_reports`` keeps in hand) to ``pool``, to be
    checked with the manual's policy; ``iter_reports(..., ahead=...)`` takes their reports."""
    return [pool.submit(validate_read_ahead, path, form, None) for path in files[:AHEAD * pool.processes]]


def validate_read_ahead(path: Path, form: FormSpec | None, policy: Policy | None) -> FileReport:
    """Return ``path``'s report (``batch.validate_one``), the file opened before the checks are imported.

    ``policy``: ``None`` for the manual's (what a task handed ahead gets: it is loaded here).
    """
    try:
        read_ahead(path, form)
        from manualkit.schemas._policy import DEFAULT_POLICY
        from manualkit.toolkit.validate import batch

        return batch.validate_one(path, form, DEFAULT_POLICY if policy is None else policy)
    finally:
        forget_ahead()  # a book read ahead but not taken (the checks failed to load) is not kept
