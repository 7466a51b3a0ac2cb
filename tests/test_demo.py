"""``manualkit demo``: the main job on the shipped sample month, every step checked on its output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from docx import Document

from manualkit.toolkit.cli import cli
from manualkit.toolkit.demo import demo_data, month_files
from manualkit.toolkit.errors import FILE_CODES
from manualkit.toolkit.reader import read_workbook
from manualkit.toolkit.records import check_record
from manualkit.toolkit.registry import all_forms


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of one demo run."""
    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(cli, ["demo", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _names(folder: Path, suffix: str = "") -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(suffix))


def _report(demo: Path) -> dict[str, Any]:
    return json.loads((demo / "校验报告" / "校验报告.json").read_text(encoding="utf-8"))


def test_every_form_blank_and_filled_in_word_and_excel(demo: Path) -> None:
    for folder in ("空白表单", "填好的表单"):
        assert len(_names(demo / folder, ".docx")) == len(_names(demo / folder, ".xlsx")) == len(all_forms())


def test_the_month_is_handed_in_as_one_spreadsheet_per_record(demo: Path) -> None:
    records = 0
    for _, data_file in month_files():
        data = json.loads(data_file.read_text(encoding="utf-8"))
        records += len(data) if isinstance(data, list) else 1
    assert len(_names(demo / "提交的表格", ".xlsx")) == records


def test_validation_finds_exactly_the_typed_mistakes_at_their_cells(demo: Path) -> None:
    mistakes = yaml.safe_load((demo_data() / "填写错误.yaml").read_text(encoding="utf-8"))
    report = _report(demo)
    findings = [issue for f in report["files"] for issue in f["errors"]]
    errors = [issue for issue in findings if issue["severity"] == "error"]
    assert {issue["field"] for issue in errors} == {m["field"] for m in mistakes}
    assert {issue["code"] for issue in errors} == {"not_reported", "date_order", "pattern_mismatch", "invalid_date"}
    assert all(issue["cell"] for issue in errors)
    assert report["summary"]["invalid"] == len({m["file"] + str(m["record"]) for m in mistakes})
    assert "missed_visit" in {issue["code"] for issue in findings}  # the rules across forms ran


def test_every_finding_of_the_demo_cites_its_clause(demo: Path) -> None:
    findings = [issue for f in _report(demo)["files"] for issue in f["errors"]]
    assert findings and all(issue["clause"] for issue in findings if issue["code"] not in FILE_CODES)


def test_the_demo_book_is_held_to_the_daily_minimum_actually_done(demo: Path) -> None:
    [book] = [f for f in _report(demo)["files"] if f["form"] == "sign-in-book"]
    short = [issue for issue in book["errors"] if issue["code"] == "visits_below_daily_minimum"]
    assert short and all(issue["severity"] == "warning" and issue["clause"] == "002 三定(3)" for issue in short)
    text = (demo / "校验报告" / "校验报告.txt").read_text(encoding="utf-8")
    assert f"{short[0]['message']}（依据：002 三定(3)）" in text


def test_invalid_files_get_annotated_copies_and_a_text_report(demo: Path) -> None:
    invalid = [Path(f["path"]).stem for f in _report(demo)["files"] if not f["valid"]]
    copies = _names(demo / "校验报告" / "批注副本")
    assert sorted(f"{stem}_批注.xlsx" for stem in invalid) == copies
    text = (demo / "校验报告" / "校验报告.txt").read_text(encoding="utf-8")
    assert "特殊情况“价格违规”必须上报区域市场经理" in text and "汇总" in text


def test_monthly_draft_reads_back_with_only_part_d_missing(demo: Path) -> None:
    draft = demo / "月度报告" / "客户月度销售情况分析报告-张伟-2026-11.xlsx"
    submission = read_workbook(draft)
    check = check_record(submission.form, submission.data(), policy=_policy())
    assert {v.field for v in check.violations if v.severity.value == "error"} == {"forecast"}
    word = Document(str(draft.with_suffix(".docx")))
    text = "".join(cell.text for table in word.tables for row in table.rows for cell in row.cells)
    assert "送货时间更固定" in text  # the manager's own text from 月度分析.yaml


def test_handbook_in_word_and_html(demo: Path) -> None:
    assert [p.suffix for p in sorted((demo / "岗位职责手册").iterdir())] == [".docx", ".html"]


def test_nothing_half_written_is_left(demo: Path) -> None:
    assert not [p for p in demo.rglob("*") if p.name.startswith(".") or p.suffix == ".part"]


def _policy():
    from manualkit.schemas._policy import DEFAULT_POLICY

    return DEFAULT_POLICY


def test_monthly_draft_comes_with_its_notes(demo: Path) -> None:
    notes = (demo / "月度报告" / "草稿说明.txt").read_text(encoding="utf-8")
    assert "第四部分“次月销售情况预测”未填写" in notes
    assert "有效记录" in notes


def test_monthly_notes_point_at_the_cell_of_each_spreadsheet_finding(demo: Path) -> None:
    notes = (demo / "月度报告" / "草稿说明.txt").read_text(encoding="utf-8")
    assert "工作表“特殊访问记录” B15：特殊情况“价格违规”必须上报区域市场经理" in notes
