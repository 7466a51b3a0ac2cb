"""Workbooks nobody here wrote: every one is reported, none stops the batch (issue 16, case 10).

The corpus is the test workbooks of other projects' source releases on PyPI, which
``scripts/test`` puts in tests/corpus (tests/corpus/fetch.py; see tests/corpus/README.md).
Without them the test is skipped, except where the real-client tests are required (CI).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(os.environ.get("MANUALKIT_CORPUS") or Path(__file__).parents[1] / "corpus")
FILES = sorted(path for path in CORPUS.rglob("*") if path.is_file() and path.suffix.lower()
               in {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})


def test_every_corpus_workbook_is_reported_and_annotated_or_explained(tmp_path: Path) -> None:
    if not FILES:
        if os.environ.get("MANUALKIT_REQUIRE_OFFICE"):
            pytest.fail(f"no corpus in {CORPUS}: run tests/corpus/fetch.py (scripts/test does)")
        pytest.skip(f"no corpus in {CORPUS} (see tests/corpus/README.md)")
    result = subprocess.run([sys.executable, "-m", "manualkit", "validate", str(CORPUS), "--form", "sign-in-book",
                             "--annotate", str(tmp_path / "out"), "--format", "json"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    reports = {Path(entry["path"]): entry for entry in json.loads(result.stdout)["files"]}
    assert set(reports) == set(FILES)
    annotated = [entry for entry in reports.values() if not entry["valid"] and entry["form"]]
    explained = [entry for entry in reports.values() if entry["form"] is None]
    assert len(annotated) + len(explained) == len(FILES)
    assert all(entry["errors"][0]["message"] for entry in explained)
    assert f"已写出 {len(annotated)} 份批注副本" in result.stderr
    assert len(list((tmp_path / "out").rglob("*.xlsx"))) == len(annotated)  # in the sub-folders of their files
