"""Batches at scale: ``--format jsonl`` streams, ``--cache`` skips unchanged files, ``--jobs``, dead workers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import manualkit.toolkit.validate.batch as batch
from manualkit.toolkit.cli import cli
from manualkit.toolkit.registry import get_form
from tests.conftest import sample
from tests.filled_workbooks import write_form
from tests.report.month import write_month_xlsx


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One manager's month, a faulty sign-in book of another and a file that is no workbook."""
    folder = write_month_xlsx(tmp_path_factory.mktemp("batch") / "in")
    record = sample("sign-in-book")
    record["rows"][0]["customer_signature"] = ""
    write_form(get_form("sign-in-book"), record, folder / "另一位-签到簿.xlsx")
    (folder / "坏文件.xlsx").write_text("不是表格", encoding="utf-8")
    return folder


def _invoke(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", *map(str, args)])
    return result.exit_code, result.stdout


@pytest.fixture
def validated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Log the name of every file actually validated (in whichever worker process) to the returned file."""
    log, real = tmp_path / "validated.log", batch.validate_file

    def validate(path: Path, *args: object) -> batch.FileReport:
        with log.open("a", encoding="utf-8") as handle:
            handle.write(path.name + "\n")
        return real(path, *args)

    monkeypatch.setattr(batch, "validate_file", validate)
    log.touch()
    return log


def _taken(log: Path) -> list[str]:
    names = sorted(log.read_text(encoding="utf-8").split())
    log.write_text("", encoding="utf-8")
    return names


def test_jsonl_has_every_file_once_as_json_has_it_then_the_summary(month: Path) -> None:
    code, whole = _invoke(month, "--format", "json")
    code_lines, streamed = _invoke(month, "--format", "jsonl", "--jobs", "2")
    assert code == code_lines == 1
    document, lines = json.loads(whole), [json.loads(line) for line in streamed.splitlines()]
    assert lines[-2:] == [{"months": document["months"]}, {"summary": document["summary"]}]
    assert document["months"] == [{"manager": "张伟", "month": "2026-11", "files": 10, "checked": True, "missing": []}]
    entries = lines[:-2]
    assert sorted(entries, key=lambda e: e["path"]) == sorted(document["files"], key=lambda e: e["path"])
    # Files no month holds come first, as soon as done; the month's files after its rules ran.
    firsts = [Path(e["path"]).name for e in entries[:2]]
    assert firsts == ["另一位-签到簿.xlsx", "坏文件.xlsx"]
    [schedule] = [e for e in entries[2:] if e["path"].endswith("日程表-2026-11-09.xlsx")]
    assert [e["code"] for e in schedule["errors"]].count("missed_visit") == 1


def test_jobs_do_not_change_the_report(month: Path) -> None:
    assert _invoke(month, "--format", "json", "--jobs", "1") == _invoke(month, "--format", "json", "--jobs", "2")


def test_cache_validates_only_what_changed(month: Path, tmp_path: Path, validated: Path) -> None:
    folder, cache = shutil.copytree(month, tmp_path / "in"), tmp_path / "cache"
    fresh = _invoke(folder, "--format", "json", "--cache", cache)
    assert len(_taken(validated)) == 12
    assert _invoke(folder, "--format", "json", "--cache", cache) == fresh  # the month's findings too
    assert _taken(validated) == ["坏文件.xlsx"]  # an unreadable file is not kept: it may be fixed in place
    book = sample("sign-in-book")
    book["rows"][0]["customer_signature"] = "店主"
    write_form(get_form("sign-in-book"), book, folder / "另一位-签到簿.xlsx")  # fixed: valid now
    code, _ = _invoke(folder, "--format", "json", "--cache", cache)
    assert (code, _taken(validated)) == (1, ["另一位-签到簿.xlsx", "坏文件.xlsx"])  # the changed one, and the unreadable
    policy = tmp_path / "policy.yaml"
    policy.write_text("min_monthly_visits_per_customer: 3\n", encoding="utf-8")
    _invoke(folder, "--format", "json", "--cache", cache, "--policy", policy)
    assert len(_taken(validated)) == 12  # another policy: every file again


def test_cached_reports_follow_the_files_to_their_new_folder(month: Path, tmp_path: Path, validated: Path) -> None:
    cache = tmp_path / "cache"
    _invoke(month, "--format", "json", "--cache", cache)
    moved = shutil.copytree(month, tmp_path / "moved")
    _taken(validated)
    cached = _invoke(moved, "--format", "jsonl", "--cache", cache)
    assert _taken(validated) == ["坏文件.xlsx"]
    assert cached == _invoke(moved, "--format", "jsonl")
    assert str(moved) in cached[1]


@pytest.mark.usefixtures("deadly")
def test_a_dead_worker_costs_only_its_file_in_a_stream(month: Path, tmp_path: Path) -> None:
    folder = shutil.copytree(month, tmp_path / "in")
    for name in ("dies-1", "dies-2"):
        shutil.copy(folder / "签到簿-2026-11.xlsx", folder / f"{name}.xlsx")
    code, out = _invoke(folder, "--format", "jsonl", "--jobs", "2", "--cache", tmp_path / "cache")
    entries = {Path(e["path"]).name: e for e in map(json.loads, out.splitlines()[:-2])}
    assert code == 1 and len(entries) == 14
    for name in ("dies-1.xlsx", "dies-2.xlsx"):
        [error] = entries[name]["errors"]
        assert error["code"] == "unreadable_file" and error["message"].startswith("处理此文件时进程异常退出")
    assert [e["code"] for e in entries["日程表-2026-11-09.xlsx"]["errors"]].count("missed_visit") == 1


def test_any_executor_gives_the_same_batch(month: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from manualkit.schemas._policy import DEFAULT_POLICY
    from manualkit.toolkit.validate import validate_paths
    from manualkit.toolkit.validate.month import with_month_findings

    local = with_month_findings(validate_paths([month]), DEFAULT_POLICY)
    with ThreadPoolExecutor(2) as executor:
        threads = with_month_findings(validate_paths([month], executor=executor), DEFAULT_POLICY)
    assert threads.as_json() == local.as_json()


@pytest.fixture
def deadly_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make writing the annotated copy of any file named ``dies*.xlsx`` kill its process."""
    import os

    import manualkit.toolkit.validate.annotate as annotate

    real = annotate.annotate

    def write(report: batch.FileReport, out: Path) -> Path:
        if report.path.name.startswith("dies"):
            os._exit(134)
        return real(report, out)

    monkeypatch.setattr(annotate, "annotate", write)


@pytest.mark.usefixtures("deadly_copy")
@pytest.mark.parametrize("output", ["json", "jsonl"])
def test_a_worker_dying_on_a_copy_costs_only_that_copy(tmp_path: Path, output: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from manualkit.toolkit.cli import main

    record = sample("sign-in-book")
    record["rows"][0]["customer_signature"] = ""
    names = ["a", "b", "dies", "c", "d", "e", "f"]
    for name in names:
        (tmp_path / "in" / name).mkdir(parents=True)
        record["manager"] = name
        write_form(get_form("sign-in-book"), record, tmp_path / "in" / name / f"{name}.xlsx")
    with pytest.raises(SystemExit) as exited:
        main(["validate", str(tmp_path / "in"), "--annotate", str(tmp_path / "out"), "--format", output,
              "--jobs", "2"])
    out, err = capsys.readouterr()
    assert exited.value.code == 1
    assert out.count('"path"') == len(names)  # every file is in the report, as it was found
    copies = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.xlsx"))
    assert copies == [f"{name}/{name}_批注.xlsx" for name in names if name != "dies"]
    assert f"未能写出 {tmp_path / 'in' / 'dies' / 'dies.xlsx'} 的批注副本：写批注副本的进程异常退出" in err
    assert "已写出 6 份批注副本" in err and "Traceback" not in err


def test_json_written_a_file_at_a_time_is_the_whole_documents_text(month: Path) -> None:
    from manualkit.schemas._policy import DEFAULT_POLICY
    from manualkit.toolkit.jsontext import dumps
    from manualkit.toolkit.validate import validate_paths
    from manualkit.toolkit.validate.month import with_month_findings

    _, streamed = _invoke(month, "--format", "json")
    assert streamed == dumps(with_month_findings(validate_paths([month]), DEFAULT_POLICY).as_json()) + "\n"
