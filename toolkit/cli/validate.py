"""``manualkit validate PATH…``: check submitted spreadsheets, report every finding, set the exit status."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from manualkit.toolkit.cli._chinese import FORM, ChineseCommand
from manualkit.toolkit.cli._progress import progress
from manualkit.toolkit.files import printable

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from manualkit.schemas._policy import Policy
    from manualkit.toolkit.registry import FormSpec
    from manualkit.toolkit.validate.annotate import CopyWriter
    from manualkit.toolkit.validate.cache import ReportCache
    from manualkit.toolkit.validate.findings import FileReport
    from manualkit.toolkit.validate.pool import Task, Workers


CONNECT_SECONDS = 30  # how long to try reaching a Dask scheduler before saying it cannot be reached


@click.command("validate", cls=ChineseCommand, examples=[
    "manualkit validate a.xlsx b.xls --format json > 校验报告.json",
    "manualkit validate 收回的表格/ --annotate 批注/ --policy 本单位.yaml",
    "manualkit validate 全省/ --format jsonl --cache 校验缓存/ > 校验报告.jsonl",
])
@click.argument("paths", nargs=-1, required=True, metavar="路径...",
                type=click.Path(exists=True, path_type=Path))
@click.option("--form", "form", metavar="表单", type=FORM, help="工作簿未记录表单时按此表单校验（编号或中文名称）")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "jsonl"]), default="text",
              help="报告格式：text 为中文报告（默认），json 为机器可读的 JSON，jsonl 为每个文件一行、校验完即输出")
@click.option("--annotate", "annotate_dir", metavar="目录", type=click.Path(file_okay=False, path_type=Path),
              help="为每个无效文件在此目录写一份批注副本（标出错误单元格并附说明），原文件不改动")
@click.option("--policy", "policy_file", metavar="文件", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="覆盖手册政策参数的 YAML 文件")
@click.option("--jobs", "jobs", metavar="N", type=click.IntRange(min=1),
              help="同时校验的进程数（默认：CPU 核数）")
@click.option("--cache", "cache_dir", metavar="目录", type=click.Path(file_okay=False, path_type=Path),
              help="校验结果缓存目录：内容、表单版本和政策参数都未变的文件不再重新校验")
@click.option("--scheduler", "scheduler", metavar="地址",
              help="把逐个文件的校验交给 Dask 集群（如 tcp://主机:8786；需安装 manualkit[dask]），跨表单规则在本机运行")
def command(paths: tuple[Path, ...], form: FormSpec | None, output_format: str,
            annotate_dir: Path | None, policy_file: Path | None, jobs: int | None, cache_dir: Path | None,
            scheduler: str | None) -> None:
    """校验提交的 Excel 表格（文件或文件夹，文件夹中的表格逐级查找）。

    .xlsx 以外，Excel 97-2003 的 .xls、.xlsm、.xlsb、LibreOffice 的 .ods 和 WPS 的 .et 也直接校验，
    批注副本一律写成 .xlsx。

    一次列出每个文件的全部问题：工作表、单元格、行、项目、填写内容和中文说明。

    退出码：0 = 全部有效（允许警告）；1 = 有无效或无法读取的文件；2 = 用法错误。
    """
    from manualkit.toolkit.validate.collect import collect_paths

    # Without a policy file, a cache or a cluster, the first files go to the workers before this
    # process imports the checks (pydantic, the forms): a worker's guard and parse run meanwhile.
    early = policy_file is None and cache_dir is None and scheduler is None
    policy, cache = (None, None) if early else _policy_and_cache(policy_file, cache_dir, form)
    files = collect_paths(list(paths))
    with _executor(scheduler) as executor, _workers(jobs, len(files)) as workers:
        ahead = _hand_ahead(workers, files, form) if early else []
        if policy is None:
            policy, cache = _policy_and_cache(policy_file, cache_dir, form)
        from manualkit.toolkit.validate.batch import iter_reports

        copies = _copies(annotate_dir, paths, workers)
        reports = progress(iter_reports(files, form, policy, jobs, executor=executor, cache=cache,
                                        pool=workers if executor is None else None, ahead=ahead),
                           len(files), "校验中")
        if output_format == "jsonl":
            from manualkit.toolkit.validate.stream import write_jsonl

            valid = write_jsonl(reports, policy, click.echo, copies.add if copies else None).valid
        else:
            valid = _whole(reports, policy, output_format, copies.add if copies else None)
        if copies is not None:
            written = copies.finish()
            click.echo(f"已写出 {len(written)} 份批注副本到 {printable(str(annotate_dir))}", err=True)
    sys.exit(0 if valid else 1)


def _whole(reports: Iterable[FileReport], policy: Policy, output_format: str,
           final: Callable[[FileReport], None] | None) -> bool:
    """Gather every report with the month's rules, print the whole report; return whether all are valid."""
    from manualkit.toolkit.validate.stream import gather

    batch = gather(reports, policy, final)
    if output_format == "json":
        from manualkit.toolkit.validate.stream import write_json

        write_json(batch, lambda text: click.echo(text, nl=False))
    else:
        from manualkit.toolkit.validate import text_report

        click.echo(text_report(batch), nl=False)
    return batch.valid


def _copies(annotate_dir: Path | None, paths: tuple[Path, ...], workers: Workers | None) -> CopyWriter | None:
    """Return the writer of the annotated copies (``--annotate``), which tells on stderr a copy it cannot write."""
    if annotate_dir is None:
        return None
    from manualkit.toolkit.validate.annotate import CopyWriter, under_roots

    def tell(report: FileReport, reason: str) -> None:
        click.echo(f"未能写出 {printable(str(report.path))} 的批注副本：{reason}", err=True)

    return CopyWriter(annotate_dir, under_roots(paths), workers, on_error=tell)


def _policy_and_cache(policy_file: Path | None, cache_dir: Path | None,
                      form: FormSpec | None) -> tuple[Policy, ReportCache | None]:
    from manualkit.toolkit.policy import load_policy
    from manualkit.toolkit.validate.cache import ReportCache

    policy = load_policy(policy_file)
    return policy, ReportCache(cache_dir, policy, form) if cache_dir is not None else None


def _hand_ahead(workers: Workers | None, files: list[Path], form: FormSpec | None) -> list[Task[FileReport]]:
    if workers is None:
        return []
    from manualkit.toolkit.validate.ahead import hand_ahead

    return hand_ahead(workers, files, form)


@contextlib.contextmanager
def _workers(jobs: int | None, files: int) -> Iterator[Workers | None]:
    """Yield this machine's worker processes for the batch's tasks (validating, annotated copies), if it forks."""
    from manualkit.toolkit.isolate import CONTEXT
    from manualkit.toolkit.validate.ahead import default_workers
    from manualkit.toolkit.validate.pool import Workers

    if CONTEXT is None:  # no fork (Windows, macOS): copies are written here; ``iter_reports`` starts its own workers
        yield None
        return
    with Workers(jobs or default_workers(files)) as workers:
        yield workers


@contextlib.contextmanager
def _executor(scheduler: str | None) -> Iterator[Executor | None]:
    """Yield the Dask cluster's executor at ``scheduler``, or None (this machine's processes)."""
    if scheduler is None:
        yield None
        return
    try:
        from distributed import Client
    except ImportError:
        raise click.UsageError("--scheduler 需要 Dask：请先安装 pip install \"manualkit[dask]\"") from None
    try:
        client = Client(scheduler, timeout=CONNECT_SECONDS)  # type: ignore[no-untyped-call]  # distributed ships no annotations here
    except (OSError, TimeoutError, ValueError) as exc:
        raise click.UsageError(f"无法连接 Dask 调度器 {scheduler}：{exc}") from None
    with client:
        yield client.get_executor(pure=False)  # type: ignore[no-untyped-call]  # as above

