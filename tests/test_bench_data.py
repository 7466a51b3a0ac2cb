"""Smoke tests of the benchmarks: the scripts import, and their data is what they claim.

No timings here: the benchmarks run with ``make bench``. These tests only make sure that the
generated sign-in books are clean where they should be, that every seeded defect gives exactly
the finding the benchmark expects, and that the harness and the findings check work.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import random
import re
import sys
from pathlib import Path

import openpyxl
import pytest
from docxtpl import DocxTemplate

from bench import books, chinese, docx_template, findings, harness, workbook
from bench.cases import CASES
from bench.datasets import ROOT, Datasets
from bench.report import section
from bench.suite import Case, Target, run_case
from bench.table_schema import table_schema
from manualkit.schemas._policy import DEFAULT_POLICY
from manualkit.toolkit.records import check_record
from manualkit.toolkit.registry import get_form

FORM = get_form("sign-in-book")


@pytest.mark.parametrize("name", CASES)
def test_case_module_imports_and_defines_case(name: str) -> None:
    module = importlib.import_module(f"bench.cases.{name}")
    assert callable(module.case)


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "bench" / "probes").glob("[a-z]*.py")))
def test_probe_module_imports(name: str) -> None:
    assert callable(importlib.import_module(f"bench.probes.{name}").main)


@pytest.mark.parametrize("script", sorted((ROOT / "bench" / "peers").glob("*.py")), ids=lambda p: p.name)
def test_peer_scripts_compile(script: Path) -> None:
    compile(script.read_text(encoding="utf-8"), str(script), "exec")


def test_names_shops_and_codes_look_chinese() -> None:
    rng = random.Random(7)
    names = [chinese.person(rng) for _ in range(200)]
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", name) for name in names)
    shops = chinese.customers(rng, "430102", 300)
    assert len({shop.code for shop in shops}) == 300
    assert all(re.fullmatch(r"00\d{10}", shop.code) for shop in shops)
    assert all(shop.address.startswith("长沙市芙蓉区") for shop in shops)


@pytest.mark.parametrize(("month", "rows"), [("2026-11", 1), ("2026-11", 30), ("2026-10", 400), ("2026-02", 3000)])
def test_clean_books_break_no_rule(month: str, rows: int) -> None:
    record = books.book(random.Random(rows), month, rows, pool=300)
    assert len(record["rows"]) == rows
    checked = check_record(FORM, books.as_json(record), DEFAULT_POLICY)
    # a small book cannot reach the manual's daily and monthly visit counts: those warnings only
    assert {v.code for v in checked.violations} <= {
        "visits_below_daily_minimum", "market_hours_below_minimum", "visits_below_minimum"}
    assert checked.valid


def test_office_hours_books_keep_office_hours_in_whole_minutes() -> None:
    record = books.book(random.Random(3), "2026-11", 30, pool=300)
    for row in record["rows"]:
        assert dt.time(8, 30) <= row["arrived_at"] < row["left_at"] <= dt.time(18, 0)
        assert row["arrived_at"].second == row["left_at"].second == 0


def test_each_seeded_defect_gives_exactly_its_finding() -> None:
    record = books.book(random.Random(11), "2026-10", 600)
    expected = books.seed_defects(random.Random(12), record, len(books.DEFECTS))
    assert {finding.code for finding in expected} == {code for code, *_ in books.DEFECTS}
    checked = check_record(FORM, books.as_json(record), DEFAULT_POLICY)
    found = {(v.code, v.field, v.row) for v in checked.violations}
    assert found == {(f.code, f.field, f.index) for f in expected}


def test_book_written_to_template_keeps_values_in_their_cells(tmp_path: Path) -> None:
    template = tmp_path / "template.xlsx"
    workbook.stand_in_template(template)
    layout = workbook.Layout.of(template)
    record = books.book(random.Random(5), "2026-11", 12, pool=50)
    workbook.write_book(template, layout, record, tmp_path / "book.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "book.xlsx")[layout.sheet]
    first, last = record["rows"][0], record["rows"][-1]
    assert sheet.cell(*layout.header_cells["manager"]).value == record["manager"]
    top = layout.first_data_row
    assert sheet.cell(top, layout.columns["customer_code"]).value == first["customer_code"]
    assert sheet.cell(top, layout.columns["date"]).value.date() == first["date"]
    assert sheet.cell(top + 11, layout.columns["work_items"]).value == "、".join(last["work_items"])


def test_datasets_are_made_once_and_list_findings_by_sheet_row(tmp_path: Path) -> None:
    data = Datasets(tmp_path, Path("/nonexistent/manualkit"))
    book, expected_path = data.big_book(300, defects=3)
    made = book.stat().st_mtime_ns
    assert data.big_book(300, defects=3)[0].stat().st_mtime_ns == made
    expected = json.loads(expected_path.read_text(encoding="utf-8"))["book.xlsx"]
    sheet = openpyxl.load_workbook(book)[FORM.title]
    layout = data.template()[1]
    signature = next(item for item in expected if item["field"] == "customer_signature")
    assert sheet.cell(signature["row"], layout.columns["customer_signature"]).value is None


def test_table_schema_names_every_label_in_sheet_order(tmp_path: Path) -> None:
    template = tmp_path / "template.xlsx"
    workbook.stand_in_template(template)
    schema = table_schema(workbook.Layout.of(template))
    assert [field["name"] for field in schema["fields"]] == list(workbook.ROW_LABELS.values())
    assert schema["fields"][0] == {"name": "走访日期", "type": "date", "constraints": {"required": True}}


def test_stand_in_docx_template_renders_a_book(tmp_path: Path) -> None:
    record = books.as_json(books.book(random.Random(9), "2026-11", 3, pool=10))
    document = DocxTemplate(docx_template.stand_in(tmp_path / "template.docx"))
    document.render({**record, "rows": [{**row, "notes": row["notes"] or ""} for row in record["rows"]]})
    document.save(tmp_path / "out.docx")
    rows = DocxTemplate(tmp_path / "out.docx").get_docx().tables[0].rows
    assert [cell.text for cell in rows[1].cells][:4] == [
        record["rows"][0]["date"], record["rows"][0]["arrived_at"], record["rows"][0]["left_at"],
        record["rows"][0]["customer_code"],
    ]
    assert len(rows) == 4


def test_findings_check_names_what_is_missed_and_what_is_added() -> None:
    expected = {"a.xlsx": [{"code": "time_order", "field": "left_at", "row": 9}], "b.xlsx": []}
    report = {"files": [
        {"path": "in/a.xlsx", "errors": []},
        {"path": "in/b.xlsx", "errors": [{"code": "invalid_date", "field": "date", "row": 5, "severity": "error"},
                                         {"code": "duplicate", "field": "customer_code", "row": 6,
                                          "severity": "warning"}]},
    ]}
    problem = findings.compare(expected, report)
    assert "漏报 1 条：a.xlsx 第9行 time_order（left_at）" in problem
    assert "多报 1 条错误：b.xlsx 第5行 invalid_date（date）" in problem
    assert findings.compare(expected, {"files": [{"path": "a.xlsx", "errors": [
        {"code": "time_order", "field": "left_at", "row": 9, "severity": "error"}]},
        {"path": "b.xlsx", "errors": []}]}) is None


def test_harness_interleaves_runs_and_keeps_failures_out(tmp_path: Path) -> None:
    order = tmp_path / "order"
    good = harness.Command("good", (sys.executable, "-c", f"open({str(order)!r}, 'a').write('A')"))
    bad = harness.Command("bad", (sys.executable, "-c", f"open({str(order)!r}, 'a').write('B'); raise SystemExit(3)"))
    measured = harness.run_interleaved([good, bad], 3, tmp_path / "logs")
    assert order.read_text() == "ABABAB"
    assert len(measured[0].samples) == 3
    assert measured[0].samples[0].rss > 1_000_000
    assert measured[1].samples == []
    assert measured[1].problems[0].startswith("退出码 3")


def test_case_verdicts_compare_medians_of_the_same_run(tmp_path: Path) -> None:
    ours = harness.Command("ours", (sys.executable, "-c", "pass"))
    peer = harness.Command("peer", (sys.executable, "-c", "import time; time.sleep(0.3)"))
    case = Case("demo", "demo", ours, [peer], [
        Target("faster", "peer", "faster", 1.0),
        Target("memory", "peer", "memory_at_most", 100.0),
        Target("slower", "peer", "slower_at_most", 0.01),
    ])
    outcome = run_case(case, 2, tmp_path, lambda _: None)
    faster, memory, slower = outcome.verdicts
    assert faster.met and faster.ratio > 1.0
    assert memory.met and memory.cpu_ratio is None
    assert slower.met is False
    assert "| ours | 2 |" in "\n".join(section(outcome))


def test_fast_lane_probe_builds_only_rows_pydantic_accepts_and_the_same() -> None:
    from bench.probes.fast_rows import fast_rows

    record = books.book(random.Random(21), "2026-11", 40, pool=100)
    found = books.seed_defects(random.Random(22), record, 5)
    model = FORM.model.row_model()
    build = fast_rows(model)
    rows = [{**books.as_cells(row), "notes": row["notes"]} for row in record["rows"]]
    rows = [{k: v for k, v in row.items() if v is not None} for row in rows]
    built = [build(row) for row in rows]
    # the first five defects: three break a field (left to pydantic), two only break a rule
    assert [i for i, made in enumerate(built) if made is None] == sorted(
        f.index for f in found if f.code in ("missing_required", "invalid_date", "invalid_choice"))
    for row, made in zip(rows, built, strict=True):
        if made is not None:
            assert made == model.model_validate(row)


def test_province_month_writes_every_form_and_its_check_passes_on_a_real_run(tmp_path: Path) -> None:
    import subprocess

    from bench import province
    from bench.cases.province import checked_run

    folder, expected_path = Datasets(tmp_path, Path("/nonexistent/manualkit")).province(40)
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    files = sorted(folder.rglob("*.xlsx"))
    assert len(files) == expected["files"] == 40
    assert expected["managers"] == len(province.plan(40)) == len({path.parent for path in files})
    assert {path.name.split("-")[0].removesuffix(".xlsx") for path in files} == {"签到簿", "日程表", "特殊访问", "反馈单"}
    assert 0 < len(expected["invalid"]) < 40
    book = openpyxl.load_workbook(next(folder.rglob("签到簿-*.xlsx")), read_only=True)
    visits = sum(1 for row in book.worksheets[0].iter_rows(values_only=True) if isinstance(row[0], dt.datetime))
    book.close()
    assert 650 <= visits <= 750

    annotated, peak, notes = tmp_path / "annotated", tmp_path / "peak", []
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "own_peak.py"), str(peak), "validate", str(folder),
                           "--annotate", str(annotated), "--format", "json"], capture_output=True, check=False)
    assert done.returncode == 1, done.stderr.decode()
    (tmp_path / "report.json").write_bytes(done.stdout)
    assert checked_run(folder, expected_path, annotated, peak, "json", notes)(tmp_path / "report.json") is None
    assert f"{len(expected['invalid'])} 个无效" in notes[0]
    assert int(peak.read_text(encoding="utf-8")) > 10 * 2**20
