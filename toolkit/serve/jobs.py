"""Long work off the event loop: each upload becomes a job that the page polls until it is done.

A job runs in a worker thread (validation itself spreads over processes), owns
the temporary folder its upload was saved in and removes it when it ends,
whatever happened. What it leaves is in memory only: the values its page shows
and the files offered for download. Its id is random, so one person's job is
never found by another; the oldest finished jobs are forgotten once there are
more than ``keep``.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from manualkit.toolkit.errors import ToolkitError
from manualkit.toolkit.explain import explain_os_error

T = TypeVar("T")
log = logging.getLogger("manualkit.serve")


@dataclass(slots=True)
class Job:
    """One piece of work asked for on the page: its progress, then its result or its failure."""

    id: str
    kind: str  # the page it belongs to: "validate", "fill", "report"
    stage: str = "排队等待"
    done: int = 0
    total: int = 0
    finished: bool = False
    error: str | None = None
    result: dict[str, Any] = field(default_factory=dict)  # what the result page shows
    downloads: dict[str, bytes] = field(default_factory=dict)  # file name -> content
    coming: list[str] = field(default_factory=list)  # downloads still being made while the result shows

    @property
    def shown(self) -> bool:
        """Return whether the result page can be shown (the job is done, or its findings are)."""
        return self.finished or bool(self.result)

    def offered(self) -> list[str]:
        """Return the downloads to offer: those made, and while the job runs, those still coming.

        A job that failed offers nothing more to come, even before it is marked finished (its
        temporary folder is still being removed then).
        """
        running = not self.finished and self.error is None
        return [*self.downloads, *(name for name in self.coming if running and name not in self.downloads)]

    def begin(self, stage: str) -> None:
        """Say that the job has moved on to ``stage`` (not counted until ``counted`` is used)."""
        self.stage, self.done, self.total = stage, 0, 0

    def counted(self, items: Iterable[T], total: int) -> Iterator[T]:
        """Yield ``items``, counting them as done (a ``progress`` callback of the library)."""
        self.done, self.total = 0, total
        for item in items:
            yield item
            self.done += 1


Work = Callable[[Job, Path], None]


class Jobs:
    """The jobs of one server: started in a few worker threads, kept for their pages."""

    def __init__(self, workers: int = 2, keep: int = 20) -> None:
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="manualkit-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._keep = keep

    def start(self, kind: str, work: Work, folder: Path) -> Job:
        """Run ``work(job, folder)`` in a worker; ``folder`` is removed when it ends. Return the job."""
        job = Job(secrets.token_urlsafe(16), kind)
        with self._lock:
            self._jobs[job.id] = job
            self._forget_old()
        self._pool.submit(_run, job, work, folder)
        return job

    def get(self, job_id: str) -> Job | None:
        """Return the job ``job_id``, if it is known."""
        with self._lock:
            return self._jobs.get(job_id)

    def shutdown(self) -> None:
        """Wait for the running jobs, then stop the workers."""
        self._pool.shutdown(wait=True)

    def _forget_old(self) -> None:
        finished = [job_id for job_id, job in self._jobs.items() if job.finished]
        for job_id in finished[: max(0, len(self._jobs) - self._keep)]:
            del self._jobs[job_id]


def _run(job: Job, work: Work, folder: Path) -> None:
    try:
        work(job, folder)
    except ToolkitError as exc:
        job.error = str(exc)
    except OSError as exc:
        job.error = explain_os_error(exc)
    except Exception as exc:  # the page must say something; the server's log keeps the details
        log.exception("job %s failed", job.id)
        job.error = f"处理时出错：{type(exc).__name__}: {str(exc)[:200]}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        job.finished = True
