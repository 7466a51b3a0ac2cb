"""``--scheduler``: the per-file work on a Dask cluster gives the same report as this machine, byte for byte."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from manualkit.toolkit.cli import cli
from tests.report.month import write_month_xlsx

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A small cluster in this process (threads): its scheduler's address."""
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = write_month_xlsx(tmp_path_factory.mktemp("dask") / "in")
    (folder / "坏文件.xlsx").write_text("不是表格", encoding="utf-8")
    return folder


@pytest.mark.parametrize("output", ["json", "jsonl"])
def test_cluster_report_is_the_local_report(month: Path, scheduler: str, output: str, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import manualkit.toolkit.validate.executor as executor

    log, real = tmp_path / "sent.log", executor.validate_sent

    def validate_sent(name: str, *args: object) -> object:  # runs on the cluster's worker: it logs to a file
        with log.open("a", encoding="utf-8") as handle:
            handle.write(name + "\n")
        return real(name, *args)

    monkeypatch.setattr(executor, "validate_sent", validate_sent)
    local = CliRunner().invoke(cli, ["validate", "--format", output, str(month)])
    assert not log.exists()
    remote = CliRunner().invoke(cli, ["validate", "--format", output, "--scheduler", scheduler, str(month)])
    assert sorted(log.read_text(encoding="utf-8").split()) == sorted(p.name for p in month.iterdir())
    assert (remote.exit_code, remote.stdout_bytes) == (local.exit_code, local.stdout_bytes) == (1, local.stdout_bytes)
    assert b"missed_visit" in remote.stdout_bytes  # the month's rules ran on what the cluster sent back


def test_unreachable_scheduler_is_a_usage_error(month: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import manualkit.toolkit.cli.validate

    monkeypatch.setattr(manualkit.toolkit.cli.validate, "CONNECT_SECONDS", 1)
    result = CliRunner().invoke(cli, ["validate", "--scheduler", "tcp://127.0.0.1:1", str(month)])
    assert result.exit_code == 2
    assert "无法连接 Dask 调度器" in result.output
