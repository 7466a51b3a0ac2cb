"""Jobs: run off the event loop, remove their folder whatever happens, and are forgotten oldest first."""

from __future__ import annotations

import time
from pathlib import Path

from manualkit.toolkit.errors import ToolkitError
from manualkit.toolkit.serve.jobs import Job, Jobs


def _wait(job: Job) -> Job:
    for _ in range(300):
        if job.finished:
            return job
        time.sleep(0.01)
    raise AssertionError("job did not finish")


def test_a_job_removes_its_folder_and_keeps_its_result(tmp_path: Path) -> None:
    folder = tmp_path / "upload"
    folder.mkdir()

    def work(job: Job, where: Path) -> None:
        assert (where / "file").read_text() == "data"
        job.result["seen"] = True

    (folder / "file").write_text("data")
    job = _wait(Jobs().start("validate", work, folder))
    assert job.result == {"seen": True} and job.error is None
    assert not folder.exists()


def test_our_failures_become_the_jobs_chinese_error(tmp_path: Path) -> None:
    def work(_job: Job, _where: Path) -> None:
        raise ToolkitError("没有数据")

    job = _wait(Jobs().start("fill", work, tmp_path / "missing"))
    assert job.error == "没有数据" and job.finished


def test_the_oldest_finished_jobs_are_forgotten(tmp_path: Path) -> None:
    jobs = Jobs(keep=2)
    started = [_wait(jobs.start("validate", lambda _job, _where: None, tmp_path / str(n))) for n in range(3)]
    assert [jobs.get(job.id) for job in started] == [None, *started[1:]]
    assert len({job.id for job in started}) == 3
