"""Long, non-UTF-8 and odd file names never stop a batch (issue 16, cases 5, 6 and 8)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from manualkit.toolkit.cli import main
from manualkit.toolkit.files import atomic_output, printable, safe_filename
from manualkit.toolkit.registry import get_form
from manualkit.toolkit.validate import validate_file
from tests.conftest import sample
from tests.filled_workbooks import write_form
from tests.hostile.books import good

GBK_NAME = os.fsdecode("张三的签到簿.xlsx".encode("gbk"))  # as a zip made on Chinese Windows unpacks
NOT_TEXT = os.fsdecode(b"\x80\xff\x80.xlsx")  # bytes that are neither UTF-8 nor GBK


def _invalid(path: Path) -> Path:
    record = sample("sign-in-book")
    record["rows"][0]["customer_signature"] = None
    path.parent.mkdir(exist_ok=True)
    return write_form(get_form("sign-in-book"), record, path)


def test_fill_with_a_90_character_manager_writes_every_record(tmp_path: Path) -> None:
    records = [sample("sign-in-book") for _ in range(3)]
    records[1]["manager"] = "欧阳" * 45
    data = tmp_path / "records.json"
    data.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    main(["fill", "sign-in-book", str(data), "--format", "both", "-o", str(tmp_path / "out")])  # exits 0: returns
    names = [path.name for path in (tmp_path / "out").iterdir()]
    assert len(names) == 6 and all(len(name.encode()) <= 255 for name in names)


def test_annotate_copies_of_80_character_names_are_all_written(tmp_path: Path) -> None:
    for first in "甲乙丙":
        _invalid(tmp_path / "in" / f"{first}{'签到' * 40}.xlsx")
    with pytest.raises(SystemExit):
        main(["validate", str(tmp_path / "in"), "--annotate", str(tmp_path / "out")])
    assert len(list((tmp_path / "out").glob("*_批注.xlsx"))) == 3


def test_names_are_cut_by_bytes_and_temporary_names_stay_short(tmp_path: Path) -> None:
    name = safe_filename("签" * 200)
    assert len(name.encode()) <= 180 and name == "签" * 60
    with atomic_output(tmp_path / f"{name}.xlsx") as temporary:
        assert len(temporary.name.encode()) < 40
        temporary.write_bytes(b"x")
    assert (tmp_path / f"{name}.xlsx").read_bytes() == b"x"


def test_a_workbook_whose_name_is_not_utf8_is_read(tmp_path: Path) -> None:
    report = validate_file(good(tmp_path / GBK_NAME))
    assert report.valid and report.flatten("code") == []


def test_odd_names_under_a_utf8_console(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    for name in (GBK_NAME, NOT_TEXT, "换\n行.xlsx", "a.xlsx", "b.xlsx", "c.xlsx"):
        _invalid(inbox / name)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([sys.executable, "-m", "manualkit", "validate", str(inbox), "--annotate",
                             str(tmp_path / "out")], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "已写出 6 份批注副本" in result.stderr
    assert "张三的签到簿.xlsx（" in result.stdout and "换\\n行.xlsx（" in result.stdout
    headings = [line for line in result.stdout.splitlines() if line.startswith(str(inbox))]
    assert len(headings) == 12  # each file once in its section and once in the summary: no line broken


def test_printable_names() -> None:
    assert printable(GBK_NAME) == "张三的签到簿.xlsx"
    assert printable(NOT_TEXT) == "\ufffd\ufffd\ufffd.xlsx"
    assert printable("a\nb\tc") == "a\\nb\\tc"
