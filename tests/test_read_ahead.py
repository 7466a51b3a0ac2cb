"""A worker opens its file before it loads the checks (``reader.opening``, ``validate.ahead``): the guard
has said yes and calamine is parsing while pydantic and the forms are imported, and what is read is the same."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from manualkit.toolkit.cli import cli
from manualkit.toolkit.errors import WorkbookReadError
from manualkit.toolkit.reader import read_workbook
from manualkit.toolkit.reader.opening import read_ahead
from manualkit.toolkit.validate import ahead
from tests.hostile.books import good


def test_the_guard_and_the_parse_start_before_the_checks_are_imported(tmp_path: Path) -> None:
    book = good(tmp_path / "book.xlsx")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from manualkit.toolkit.validate.ahead import hand_ahead, validate_read_ahead\n"
        "from manualkit.toolkit.validate.collect import collect_paths\n"
        "from manualkit.toolkit.reader.opening import open_book\n"
        f"opened = open_book(collect_paths([Path({str(book)!r})])[0])\n"
        "loaded = sorted(name for name in sys.modules if name.split('.')[0] == 'pydantic')\n"
        "print(opened.form.form_id, opened.sheet, loaded, opened.values().height > 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["sign-in-book", "营销人员市场走访签到记录簿", "[]", "True"]


@pytest.mark.skipif(sys.platform == "win32", reason="an open file cannot be removed on Windows")
def test_the_book_read_ahead_is_the_one_read(tmp_path: Path) -> None:
    book, copy = good(tmp_path / "book.xlsx"), tmp_path / "copy.xlsx"
    shutil.copy(book, copy)
    read_ahead(book)
    book.unlink()  # opened (and being parsed) already: the next read takes that, not the path
    ahead_read, read = read_workbook(book), read_workbook(copy)
    assert (ahead_read.form, ahead_read.sheet, ahead_read.data()) == (read.form, read.sheet, read.data())
    with pytest.raises(WorkbookReadError):
        read_workbook(book)  # once only


def test_what_opening_raised_is_raised_by_the_read(tmp_path: Path) -> None:
    text = tmp_path / "text.xlsx"
    text.write_text("客户编码,客户名称\n", encoding="utf-8")
    with pytest.raises(WorkbookReadError) as plain:
        read_workbook(text)
    read_ahead(text)  # never raises
    other = good(tmp_path / "other.xlsx")
    assert read_workbook(other).form.form_id == "sign-in-book"  # another file: not the one read ahead
    read_ahead(text)
    with pytest.raises(WorkbookReadError) as after:
        read_workbook(text)
    assert str(after.value) == str(plain.value)


def test_the_command_hands_files_ahead_only_without_a_policy_file_or_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in "abc":
        good(folder / f"{name}.xlsx")
    (folder / "d.xlsx").write_text("not a workbook", encoding="utf-8")
    handed: list[int] = []
    real = ahead.hand_ahead

    def counting(*args: object) -> object:
        tasks = real(*args)  # type: ignore[arg-type]
        handed.append(len(tasks))
        return tasks

    monkeypatch.setattr(ahead, "hand_ahead", counting)
    runs = [CliRunner().invoke(cli, ["validate", str(folder), "--format", "json", *extra])
            for extra in ([], ["--jobs", "1"], ["--cache", str(tmp_path / "cache")])]
    assert handed == [4, 4]  # the cache looks first, then hands in what it lacks
    assert {run.exit_code for run in runs} == {1}
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    assert [entry["valid"] for entry in json.loads(runs[0].stdout)["files"]] == [True, True, True, False]


@pytest.mark.parametrize("ahead_from", [0, 10**12])
def test_a_sheet_parsed_in_its_thread_or_when_asked_is_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ahead_from: int) -> None:
    """A big file's sheet is parsed in a thread of its own, a small one's when its values are asked for."""
    from manualkit.toolkit.reader import opening

    book = good(tmp_path / "book.xlsx")
    expected = read_workbook(book).data()
    monkeypatch.setattr(opening, "PARSE_AHEAD_FROM", ahead_from)
    opened = opening.open_book(book)
    assert (opened._parse.thread is not None) is (ahead_from == 0)
    opened.close()
    assert read_workbook(book).data() == expected


def test_a_thread_that_cannot_start_leaves_the_parse_to_the_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from manualkit.toolkit.reader import opening

    def refused(_thread: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    book = good(tmp_path / "book.xlsx")
    expected = read_workbook(book).data()
    monkeypatch.setattr(opening, "PARSE_AHEAD_FROM", 0)
    monkeypatch.setattr(threading.Thread, "start", refused)
    assert read_workbook(book).data() == expected


def test_ctrl_c_while_a_small_sheet_is_parsed_stops_the_reading_and_is_no_finding(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from python_calamine import CalamineWorkbook

    from manualkit.toolkit.reader.opening import RECORD_SHEET

    parse = CalamineWorkbook.get_sheet_by_name

    def interrupted(book: CalamineWorkbook, name: str) -> object:
        if name == RECORD_SHEET:  # read while opening: the form sheet's parse is the one interrupted
            return parse(book, name)
        raise KeyboardInterrupt

    book = good(tmp_path / "book.xlsx")
    monkeypatch.setattr(CalamineWorkbook, "get_sheet_by_name", interrupted)
    with pytest.raises(KeyboardInterrupt):
        read_workbook(book)


def test_a_task_leaves_the_cycle_collector_as_it_found_it_and_workers_run_theirs_with_it_on(tmp_path: Path) -> None:
    import gc

    from manualkit.toolkit.validate.ahead import validate_read_ahead
    from manualkit.toolkit.validate.pool import Workers

    assert gc.isenabled()
    validate_read_ahead(good(tmp_path / "book.xlsx"), None, None)  # as a task run here (no fork: Windows)
    assert gc.isenabled()
    with Workers(1) as workers:
        assert [workers.result(workers.submit(gc.isenabled)) for _ in range(2)] == [True, True]
