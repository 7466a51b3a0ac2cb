"""The 填表 and 月报 pages: the same results as ``manualkit fill`` and ``manualkit report monthly``."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from starlette.testclient import TestClient

from manualkit.toolkit.paths import forms_dir
from manualkit.toolkit.registry import FormSpec, get_form
from tests.conftest import sample
from tests.serve.conftest import downloads, folder_files, upload


def _json(name: str, data: object) -> tuple[str, tuple[str, bytes]]:
    return ("data", (name, json.dumps(data, ensure_ascii=False).encode()))


def test_fill_gives_a_zip_of_the_filled_forms(client: TestClient, form: FormSpec) -> None:
    page = upload(client, "/fill", [_json("数据.json", sample(form.form_id))], {"form": form.form_id, "format": "both"})
    assert "共 1 条记录：1 条已生成（2 个文件）" in page.text
    archive = zipfile.ZipFile(io.BytesIO(client.get(downloads(page)["填好的表单.zip"]).content))
    names = archive.namelist()
    assert [Path(name).suffix for name in names] == [".docx", ".xlsx"]
    assert all(name.startswith(form.title) for name in names)
    assert form.title in load_workbook(io.BytesIO(archive.read(names[1]))).sheetnames
    assert Document(io.BytesIO(archive.read(names[0]))).paragraphs


def test_fill_lists_the_findings_of_invalid_records_and_writes_the_rest(client: TestClient) -> None:
    good, bad = sample("special-visit"), sample("special-visit")
    bad["phone"] = "123"
    page = upload(client, "/fill", [_json("记录.json", [good, bad])], {"form": "特殊访问记录", "format": "xlsx"})
    assert "共 2 条记录：1 条已生成（1 个文件）；1 条有错误，未生成" in page.text
    assert "记录.json 第 2 条" in page.text and "联系电话" in page.text
    names = zipfile.ZipFile(io.BytesIO(client.get(downloads(page)["填好的表单.zip"]).content)).namelist()
    assert len(names) == 1 and names[0].endswith(".xlsx")


def test_fill_of_only_invalid_records_offers_nothing_to_download(client: TestClient) -> None:
    page = upload(client, "/fill", [("data", ("坏.json", b"{not json"))], {"form": "feedback-slip", "format": "both"})
    assert "不是有效的 JSON 文件" in page.text
    assert downloads(page) == {}


@pytest.mark.parametrize(("fields", "message"), [
    ({"form": "nope", "format": "both"}, "未知表单：nope"),
    ({"form": "feedback-slip", "format": "exe"}, "请选择生成的格式"),
])
def test_fill_with_a_wrong_choice_says_so(client: TestClient, fields: dict[str, str], message: str) -> None:
    page = client.post("/fill", data=fields, files=[_json("a.json", {})])
    assert page.status_code == 400 and message in page.text


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's month as the manager hands it in (Excel files)."""
    from manualkit.toolkit.demo import submitted_month

    folder = tmp_path_factory.mktemp("month") / "十一月"
    submitted_month(folder.parent)
    (folder.parent / "提交的表格").rename(folder)
    return folder


def test_report_drafts_the_month_and_lists_what_is_missing(client: TestClient, month: Path) -> None:
    demo = forms_dir() / "demo"
    files = [*folder_files(month, "submissions"),
             ("sales", ("销售表.csv", (demo / "销售表.csv").read_bytes())),
             ("narrative", ("月度分析.yaml", (demo / "月度分析.yaml").read_bytes()))]
    page = upload(client, "/report", files, {"month": "2026-11", "manager": "", "format": "both"})
    assert "草稿已生成" in page.text
    assert "客户经理 张伟" in page.text and "第四部分“次月销售情况预测”未填写" in page.text
    assert "manualkit-serve" not in page.text  # the temporary folder never shows
    offered = downloads(page)
    assert sorted(offered) == ["客户月度销售情况分析报告-张伟-2026-11.docx", "客户月度销售情况分析报告-张伟-2026-11.xlsx"]
    book = load_workbook(io.BytesIO(client.get(offered["客户月度销售情况分析报告-张伟-2026-11.xlsx"]).content))
    assert get_form("monthly-report").title in book.sheetnames


def test_report_without_sales_says_why_it_cannot_be_complete(client: TestClient, month: Path) -> None:
    page = upload(client, "/report", folder_files(month, "submissions"), {"month": "2026-11", "format": "docx"})
    assert "未提供销售表" in page.text


@pytest.mark.parametrize(("fields", "message"), [
    ({"month": "2026-13", "format": "both"}, "报告月份“2026-13”应写作 2026-11 这样的年月"),
    ({"month": "2026-11", "format": "pdf"}, "请选择草稿的格式"),
])
def test_report_with_a_wrong_choice_says_so(client: TestClient, fields: dict[str, str], message: str) -> None:
    page = client.post("/report", data=fields, files=[("submissions", ("a.xlsx", b"x"))])
    assert page.status_code == 400 and message in page.text


def test_report_without_submissions_says_so(client: TestClient) -> None:
    page = client.post("/report", data={"month": "2026-11", "format": "both"}, files=[("sales", ("s.csv", b"a"))])
    assert page.status_code == 400 and "请先选择这个月提交的表格" in page.text
