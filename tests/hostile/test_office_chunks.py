"""LibreOffice stops after ~250 files of one call yet says it succeeded (issue 16, case 7).

A stand-in ``soffice`` on PATH behaves so: it converts only the first files it is given
(and, to test naming, never the files whose name says ``broken``), and logs each call's profile.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from manualkit.toolkit.cli import main
from manualkit.toolkit.office import convert_each
from tests.conftest import sample

FAKE = '''#!{python}
import pathlib, sys
args = sys.argv[1:]
profile = next(a for a in args if a.startswith("-env:UserInstallation="))
with open({log!r}, "a") as log:
    log.write(profile + "\\n")
outdir = pathlib.Path(args[args.index("--outdir") + 1])
for source in args[args.index("--outdir") + 2:][:{limit}]:
    if "broken" not in source:
        (outdir / (pathlib.Path(source).stem + ".pdf")).write_bytes(b"%PDF-1.4")
'''


@pytest.fixture
def calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Put the stand-in soffice first on PATH; return the log of its calls' profiles."""
    folder, log = tmp_path / "bin", tmp_path / "calls.log"
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(FAKE.format(python=sys.executable, log=str(log), limit=150), encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return log


def test_a_big_batch_is_converted_in_chunks_with_a_profile_each(tmp_path: Path, calls: Path) -> None:
    sources = []
    for number in range(320):
        sources.append(tmp_path / "in" / f"表{number:03}.docx")
        sources[-1].parent.mkdir(exist_ok=True)
        sources[-1].write_bytes(b"x")
    done = convert_each(sources, "pdf", tmp_path / "pdf")
    assert [path.stem for path in done.converted] == [path.stem for path in sources] and not done.failed
    profiles = calls.read_text().splitlines()
    assert len(profiles) == 4 and len(set(profiles)) == 4


def test_fill_pdf_keeps_every_pdf_made_and_names_the_failed_records(tmp_path: Path, calls: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    records = []
    for number in range(12):
        record = sample("special-visit")
        record["customer_name"] = f"{'broken' if number in (3, 8) else '店'}{number}"
        records.append(record)
    data = tmp_path / "visits.json"
    data.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["fill", "special-visit", str(data), "--format", "pdf", "-o", str(tmp_path / "out")])
    assert exited.value.code == 1
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 10
    err = capsys.readouterr().err
    assert "共 12 条记录：10 条已生成" in err and "visits.json 第 4 条、visits.json 第 9 条" in err
    assert "错误：visits.json 第 4 条：未能写出文件：LibreOffice 未能转换为 PDF" in err
    assert [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".")] == []
