"""A file's report crosses from the worker process to the main one whole: every finding, every attribute."""

from __future__ import annotations

import pickle
from pathlib import Path

from manualkit.toolkit.errors import Issue
from manualkit.toolkit.registry import get_form
from manualkit.toolkit.validate import validate_file, validate_paths
from manualkit.toolkit.validate.findings import FileReport
from tests.conftest import sample
from tests.filled_workbooks import write_form

SIGN_IN = get_form("sign-in-book")


def _many_findings(path: Path) -> Path:
    record = sample("sign-in-book")
    record["area"] = ""
    record["rows"][0]["customer_signature"] = None
    record["rows"][0]["work_items"] = ["打扫卫生", "传递公司信息"]
    record["rows"][1]["arrived_at"] = record["rows"][0]["arrived_at"]  # overlaps the visit before
    record["rows"][2]["left_at"] = "09:30"
    record["rows"][3]["date"] = "2026-11-31"
    return write_form(SIGN_IN, record, path)


def _attributes(report: FileReport) -> list[tuple[object, ...]]:
    return [tuple(getattr(issue, name) for name in Issue.__dataclass_fields__) for issue in report.issues]


def test_a_report_pickled_comes_back_the_same(tmp_path: Path) -> None:
    report = validate_file(_many_findings(tmp_path / "in.xlsx"))
    assert len(report.issues) >= 5 and {issue.title for issue in report.issues} != {None}
    back = pickle.loads(pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == report
    assert _attributes(back) == _attributes(report)  # ``title`` too, which ``==`` leaves out
    assert back.as_json() == report.as_json() and back.month == report.month


def test_a_report_without_findings_pickled(tmp_path: Path) -> None:
    report = validate_file(write_form(SIGN_IN, sample("sign-in-book"), tmp_path / "in.xlsx"))
    back = pickle.loads(pickle.dumps(report))
    assert back == report and back.issues == [] and back.month == report.month


def test_a_report_from_a_worker_is_the_one_made_here(tmp_path: Path) -> None:
    path = _many_findings(tmp_path / "in.xlsx")
    [worker] = validate_paths([path], workers=1).files
    assert _attributes(worker) == _attributes(validate_file(path))
