"""The draft as Word and Excel: it reads back as a monthly report, carries a native chart, prints with its figures."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from manualkit.schemas._policy import DEFAULT_POLICY
from manualkit.toolkit.reader import read_workbook
from manualkit.toolkit.records import check_record
from manualkit.toolkit.report.draft_docx import write_draft
from manualkit.toolkit.report.draft_xlsx import CHART_SHEET, FIGURES_SHEET
from manualkit.toolkit.report.monthly import MonthlyDraft, draft_monthly_report
from tests.report.conftest import MONTH, POLICY
from tests.report.month import write_sales_csv

TODAY = dt.date(2026, 12, 3)
NARRATIVE = "客户对商品质量和服务的主要意见和建议: 客户希望缩短调换时间。\n"


@pytest.fixture
def draft(month_dir: Path, tmp_path: Path) -> MonthlyDraft:
    """The month's draft with part c written, parts b and d missing."""
    story = tmp_path / "narrative.yaml"
    story.write_text(NARRATIVE, encoding="utf-8")
    return draft_monthly_report([month_dir], MONTH, POLICY, today=TODAY, narrative=story,
                                sales=write_sales_csv(tmp_path / "sales.csv"))


def test_files_are_named_after_manager_and_month(draft: MonthlyDraft, tmp_path: Path) -> None:
    written = write_draft(draft, tmp_path / "out")
    assert [p.name for p in written] == ["客户月度销售情况分析报告-张伟-2026-11.docx",
                                         "客户月度销售情况分析报告-张伟-2026-11.xlsx"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in written)


def test_excel_draft_reads_back_as_a_monthly_report_with_parts_missing(draft: MonthlyDraft, tmp_path: Path) -> None:
    [path] = write_draft(draft, tmp_path, ("xlsx",))
    sheet = read_workbook(path)
    checked = check_record(sheet.form, sheet.data(), DEFAULT_POLICY)
    assert sheet.form.form_id == "monthly-report" and checked.record is not None
    assert [(v.code, v.field) for v in checked.violations] == [
        ("missing_required", "problems"), ("missing_required", "forecast"),
    ]
    record = checked.record
    assert (record.customers_served, record.total_volume, record.previous_volume, record.total_amount) == (
        5, 500, 415, 126600)
    assert record.overall_analysis == draft.data["overall_analysis"]
    assert record.customer_opinions == "客户希望缩短调换时间。"


def test_excel_draft_has_the_figures_and_a_native_chart(draft: MonthlyDraft, tmp_path: Path) -> None:
    [path] = write_draft(draft, tmp_path, ("xlsx",))
    book = load_workbook(path)
    assert book.sheetnames[:3] == ["客户月度销售情况分析报告", FIGURES_SHEET, CHART_SHEET]
    rows = [[c for c in row if c is not None] for row in book[FIGURES_SHEET].iter_rows(values_only=True)]
    assert ["4301000003", "惠民超市", 200, 150, 50, 52000, "sales.csv 第6\u20137行"] in rows  # a range of rows
    assert ["执行率", "77.8%", "已执行 ÷ 计划上门"] in rows
    assert ["2026-11-10", "4301000004", "阳光小卖部", "未执行", "日程表-2026-11-09.json 表格第2行"] in rows
    with zipfile.ZipFile(path) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = archive.read(charts[0]).decode("utf-8")
    assert re.search(r"<(c:)?barChart>", xml)
    # the series are cells of the sales table: this and last month's volume (C, D), customer names (B)
    first = 1 + next(i for i, row in enumerate(book[FIGURES_SHEET].iter_rows(values_only=True)) if row[0] == "4301000003")
    last = first + 4
    references = set(re.findall(r"<(?:c:)?f>([^<]+)</(?:c:)?f>", xml))
    sheet = f"'{FIGURES_SHEET}'"
    assert {f"{sheet}!${col}${first}:${col}${last}" for col in "BCD"} <= references
    assert {f"{sheet}!C{first - 1}", f"{sheet}!D{first - 1}"} <= references  # series titles


def test_word_draft_has_the_form_and_the_appendix(draft: MonthlyDraft, tmp_path: Path) -> None:
    [path] = write_draft(draft, tmp_path, ("docx",))
    document = Document(str(path))
    text = "".join(document.element.body.itertext())  # text boxes and table cells included
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert draft.data["overall_analysis"] in text
    assert "附：月度报告数据明细（每个数字后注明来源文件和行）" in text
    assert {"126,600.00", "77.8%", "2026-12-07", "阳光小卖部"} <= cells
    customers = next(table for table in document.tables if table.rows[0].cells[0].text == "客户编码")
    assert [cell.text for cell in customers.rows[1].cells] == [  # one line per customer, largest volume first
        "4301000003", "惠民超市", "2", "2", "3", "200", "150", "50", "52,000.00"]
    assert "日程表" not in {cell.text for cell in customers.rows[0].cells}  # no table of each planned visit


@pytest.mark.office
def test_draft_converts_to_pdf_with_the_figures_visible(draft: MonthlyDraft, tmp_path: Path, soffice: str) -> None:
    from manualkit.toolkit.office import convert

    docx, xlsx = write_draft(draft, tmp_path / "out")
    excel = xlsx.rename(xlsx.with_name("excel.xlsx"))  # PDFs are named after their source's stem
    pdfs = convert([docx, excel], "pdf", tmp_path / "pdf")  # one LibreOffice call for both
    for pdf in pdfs:
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        flat = re.sub(r"\s+", "", text)
        for shown in ("客户月度销售情况分析报告", "张伟", "执行率77.8%", "126,600.00", "2026-12-07",
                      "阳光小卖部", "销售异常", "客户希望缩短调换时间。"):
            assert shown in flat, (pdf.name, shown)
    xlsx_text = subprocess.run(["pdftotext", str(pdfs[1]), "-"], capture_output=True, text=True).stdout
    assert "销量前 5 位客户（条）" in xlsx_text  # the chart's title, drawn by LibreOffice


def test_validate_reads_the_excel_draft_with_part_d_missing(draft: MonthlyDraft, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from manualkit.toolkit.cli import cli

    [path] = write_draft(draft, tmp_path, ("xlsx",))
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(path)])
    [entry] = json.loads(result.output)["files"]
    assert (entry["form"], entry["valid"]) == ("monthly-report", False)
    assert [(e["code"], e["field"], e["message"]) for e in entry["errors"]] == [
        ("missing_required", "problems", "“存在的问题、产生原因及对策措施”为必填项"),
        ("missing_required", "forecast", "“次月销售情况预测”为必填项"),
    ]
    assert entry["errors"][1]["cell"] is not None


def test_full_narrative_reads_back_as_a_complete_report(month_dir: Path, tmp_path: Path) -> None:
    story = tmp_path / "full.yaml"
    story.write_text("problems:\n  - 问题: 甲\n    原因: 乙\n    对策措施: 丙\n  - 问题: 丁\n    原因: 戊\n    对策措施: 己\n"
                     "customer_opinions: 庚\nforecast: 辛\n", encoding="utf-8")
    draft = draft_monthly_report([month_dir], MONTH, POLICY, today=TODAY, narrative=story,
                                 sales=write_sales_csv(tmp_path / "sales.csv"))
    [path] = write_draft(draft, tmp_path / "out", ("xlsx",))
    sheet = read_workbook(path)
    checked = check_record(sheet.form, sheet.data(), DEFAULT_POLICY)
    assert checked.valid and checked.violations == []
    assert checked.record is not None
    assert [(p.problem, p.cause, p.measures) for p in checked.record.problems] == [("甲", "乙", "丙"), ("丁", "戊", "己")]
    assert (checked.record.customer_opinions, checked.record.forecast) == ("庚", "辛")


def test_rows_are_cited_as_ranges() -> None:
    from manualkit.toolkit.report.draft_appendix import row_ranges

    assert row_ranges([9, 7, 8, 5, 12, 8, 13]) == "5、7\u20139、12\u201313"
    assert row_ranges(range(7, 585)) == "7\u2013584"


def test_word_draft_counts_many_warnings_of_a_kind_and_lists_errors(draft: MonthlyDraft, tmp_path: Path) -> None:
    from manualkit.toolkit.report.draft_appendix import word_appendix

    findings = next(section for section in word_appendix(draft) if section.title == "核对中发现的问题")
    kinds = {f.issue.code for f in draft.findings}
    listed = [row for row in findings.rows if not str(row[1]).startswith("共 ")]
    counted = [row for row in findings.rows if str(row[1]).startswith("共 ")]
    for code in kinds:
        of_kind = [f for f in draft.findings if f.issue.code == code]
        if len(of_kind) > 3 and of_kind[0].severity == "warning":
            assert any(f"共 {len(of_kind)} 处" == row[1] for row in counted), code
        else:
            assert all(any(row[2] == f.issue.cited for row in listed) for f in of_kind), code


def test_the_draft_is_headed_with_the_organisation_of_the_policy(month_dir: Path, tmp_path: Path) -> None:
    policy = POLICY.model_copy(update={"organisation_name": "某市烟草公司营销部"})
    draft = draft_monthly_report([month_dir], MONTH, policy, today=TODAY, sales=write_sales_csv(tmp_path / "s.csv"))
    docx, xlsx = write_draft(draft, tmp_path / "out")
    assert Document(str(docx)).sections[0].header.paragraphs[0].text == "单位：某市烟草公司营销部"
    assert load_workbook(xlsx).worksheets[0].oddHeader.left.text == "单位：某市烟草公司营销部"
