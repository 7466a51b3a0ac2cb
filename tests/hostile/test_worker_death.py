"""A workbook that kills the process reading it costs only its own report (issue 16, case 1)."""

from __future__ import annotations

import operator
import os
import random
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from manualkit.toolkit.isolate import CONTEXT, ProcessDied
from manualkit.toolkit.validate import validate_file, validate_paths
from manualkit.toolkit.validate.pool import Workers
from tests.hostile.books import FAR_ROW, SHEET, Change, good, in_sheet, moved_sheet, rewrite

ODD_FAR_CELLS = {
    "moved-part": moved_sheet("xl/data/sheet1.xml"),
    "dat-part": moved_sheet("xl/sheet1.dat"),
    "attribute-order": in_sheet(b"</sheetData>", FAR_ROW.replace(b'r="ALL1000000" t="inlineStr"',
                                                                 b't="inlineStr" r="ALL1000000"')),
    "single-quotes": in_sheet(b"</sheetData>", FAR_ROW.replace(b'r="ALL1000000"', b"r='ALL1000000'")),
    "lower-case": in_sheet(b"</sheetData>", FAR_ROW.replace(b'r="ALL1000000"', b'r="all1000000"')),
    "no-cell-reference": in_sheet(b"</sheetData>", b'<row r="999999">' + b"<c><v>1</v></c>" * 1001
                                  + b"</row></sheetData>"),
}


@pytest.mark.parametrize("change", ODD_FAR_CELLS.values(), ids=ODD_FAR_CELLS.keys())
def test_every_part_the_reader_may_open_is_guarded(tmp_path: Path, change: Change) -> None:
    report = validate_file(rewrite(good(tmp_path / "x.xlsx"), change))
    [(code, message)] = report.flatten("code", "message")
    assert code == "unreadable_file" and "工作表范围过大" in message


def test_prefixed_sheet_elements_are_guarded(tmp_path: Path) -> None:
    def prefixed(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        data = data.replace(b"</sheetData>", FAR_ROW)
        for tag in (b"worksheet", b"sheetData", b"row", b"c", b"is", b"t", b"v"):
            data = data.replace(b"<" + tag + b" ", b"<x:" + tag + b" ").replace(b"<" + tag + b">", b"<x:" + tag + b">")
            data = data.replace(b"</" + tag + b">", b"</x:" + tag + b">")
        return data.replace(b"<x:worksheet xmlns=", b"<x:worksheet xmlns:x=")

    [(message,)] = validate_file(rewrite(good(tmp_path / "x.xlsx"), prefixed)).flatten("message")
    assert "工作表范围过大" in message


def test_shared_strings_declaring_billions_are_refused(tmp_path: Path) -> None:
    def shared(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats'
                                b'.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                b"</Relationships>")
        return data

    path = rewrite(good(tmp_path / "x.xlsx"), shared)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                         'main" count="4000000000" uniqueCount="4000000000"><si><t>x</t></si></sst>')
    [(message,)] = validate_file(path).flatten("message")
    assert "声明了 4000000000 个字符串" in message


def test_folder_with_a_killing_workbook_reports_every_file(tmp_path: Path) -> None:
    for name in "abcd":
        good(tmp_path / f"{name}.xlsx")
    rewrite(good(tmp_path / "moved.xlsx"), moved_sheet("xl/data/sheet1.xml"))
    result = subprocess.run([sys.executable, "-m", "manualkit", "validate", str(tmp_path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "共 5 个文件：有效 4 个，无效 1 个" in result.stdout


@pytest.mark.usefixtures("deadly")
@pytest.mark.parametrize("workers", [1, 2])
def test_a_dead_worker_costs_only_its_own_file(tmp_path: Path, workers: int) -> None:
    names = ["a", "dies1", "b", "c", "dies2", "d", "e", "f", "g"]
    for name in names:
        good(tmp_path / f"{name}.xlsx")
    report = validate_paths([tmp_path], workers=workers)
    assert [r.path.stem for r in report.files] == sorted(names)
    assert {r.path.stem: r.valid for r in report.files} == {name: not name.startswith("dies") for name in names}
    for dead in (r for r in report.files if not r.valid):
        [(code, message)] = dead.flatten("code", "message")
        assert code == "unreadable_file" and message.startswith("处理此文件时进程异常退出")


@pytest.mark.usefixtures("deadly")
def test_a_single_file_that_kills_its_process_is_reported(tmp_path: Path) -> None:
    report = validate_paths([good(tmp_path / "dies.xlsx")])
    [(message,)] = report.files[0].flatten("message")
    assert message.startswith("处理此文件时进程异常退出")


@pytest.mark.parametrize("shift", [-300, -150, -40, -5, 0, 7])
def test_a_far_cell_cut_by_a_chunk_boundary_is_seen(tmp_path: Path, shift: int) -> None:
    from manualkit.toolkit.reader import guard

    rng = random.Random(shift)
    filler = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%d</t></is></c></row>'
                      % (n, n, rng.randrange(10**12)) for n in range(40, 60000))
    far = b'<row r="1000000"><c t="inlineStr" note="' + b"n" * 200 + b'" r="ALL1000000"><is><t>x</t></is></c></row>'

    def padded(name: str, data: bytes) -> bytes:
        if name != SHEET:
            return data
        head, tail = data.split(b"</sheetData>")
        room = guard._CHUNK + shift - len(head)  # the far cell starts near the end of the first chunk
        return head + filler[: filler.rfind(b"<row", 0, room)] + far + b"</sheetData>" + tail

    [(message,)] = validate_file(rewrite(good(tmp_path / "x.xlsx"), padded)).flatten("message")
    assert "工作表范围过大" in message


@pytest.mark.skipif(CONTEXT is None, reason="worker pools fork; elsewhere each file is isolated on its own")
def test_a_task_handed_in_after_a_worker_died_still_runs() -> None:
    """Copies are handed in while files are still checked: a death between two hand-ins costs only its task."""
    with Workers(2) as workers:
        fatal = workers.submit(os._exit, 1)
        while not workers.done(fatal):  # the pool is broken now, before anything else is handed in
            time.sleep(0.05)
        later = workers.submit(operator.add, 1, 2)
        with pytest.raises(ProcessDied):
            workers.result(fatal)
        assert workers.result(later) == 3
