"""Every page of ``manualkit serve`` renders, in Chinese, from the registry; blanks and handbook download."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from docx import Document
from openpyxl import load_workbook
from starlette.testclient import TestClient

from manualkit.toolkit.registry import FormSpec
from manualkit.toolkit.serve.app import TABS
from tests.conftest import FORMS


@pytest.mark.parametrize(("path", "title"), TABS, ids=[path for path, _ in TABS])
def test_every_tab_renders_with_its_tab_marked(client: TestClient, path: str, title: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert f'<a href="{path}" class="current" aria-current="page">{title}</a>' in page.text
    assert all(f'<a href="{other}"' in page.text for other, _ in TABS)


def test_the_start_page_is_the_validation_page(client: TestClient) -> None:
    page = client.get("/")
    assert page.url.path == "/validate"
    assert "校验提交的表格" in page.text


def test_forms_page_lists_every_form_with_clause_and_blanks(client: TestClient) -> None:
    page = client.get("/forms").text
    for spec in FORMS:
        assert f'<a href="/forms/{spec.form_id}">{spec.title}</a>' in page
        assert spec.clause in page
        assert f"/forms/{spec.form_id}/blank/docx" in page and f"/forms/{spec.form_id}/blank/xlsx" in page


def test_form_page_shows_its_fields_and_rules_as_the_handbook_does(client: TestClient, form: FormSpec) -> None:
    page = client.get(f"/forms/{form.form_id}").text
    assert form.title in page and form.clause in page
    for info in form.model.header_fields().values():
        assert f"<td>{info.title}</td>" in page
    if row_model := form.model.row_model():
        assert all(f"<td>{info.title}</td>" in page for info in row_model.model_fields.values())


def test_blank_word_and_excel_open_and_carry_the_form(client: TestClient, form: FormSpec) -> None:
    word = client.get(f"/forms/{form.form_id}/blank/docx")
    assert word.status_code == 200
    assert "attachment; filename*=UTF-8''" in word.headers["content-disposition"]
    assert form.title in "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    excel = client.get(f"/forms/{form.form_id}/blank/xlsx")
    assert form.title in load_workbook(io.BytesIO(excel.content)).sheetnames


def test_blank_pdf_is_offered_only_where_libreoffice_is(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("manualkit.toolkit.office.find_soffice", lambda: None)
    page = client.get("/forms").text
    assert "/blank/pdf" not in page and "本机未安装 LibreOffice" in page
    missing = client.get("/forms/sign-in-book/blank/pdf")
    assert missing.status_code == 500 and "LibreOffice" in missing.text


@pytest.mark.office
def test_blank_pdf_is_a_pdf(client: TestClient, soffice: str) -> None:
    assert "/forms/visit-schedule/blank/pdf" in client.get("/forms").text
    pdf = client.get("/forms/visit-schedule/blank/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_unknown_form_and_format_are_chinese_404s(client: TestClient) -> None:
    for path in ("/forms/nope", "/forms/nope/blank/docx", "/forms/sign-in-book/blank/exe"):
        page = client.get(path)
        assert page.status_code == 404
        assert "表单" in page.text


def test_handbook_page_embeds_the_handbook_and_offers_word(client: TestClient) -> None:
    assert '<iframe class="handbook" src="/handbook/page"' in client.get("/handbook").text
    html = client.get("/handbook/page").text
    assert "客户经理岗位职责手册" in html and "第一章" in html
    word = client.get("/handbook/docx")
    assert word.headers["content-disposition"].endswith(".docx")
    assert zipfile.ZipFile(io.BytesIO(word.content)).testzip() is None


def test_pages_load_nothing_from_outside(client: TestClient) -> None:
    page = client.get("/validate")
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "http" not in policy
    for path, _ in TABS:
        html = client.get(path).text
        assert not re.search(r'(src|href)="(https?:)?//', html), path


def test_static_files_are_served_from_the_package(client: TestClient) -> None:
    assert "--brand" in client.get("/static/style.css").text
    assert "form[data-upload]" in client.get("/static/page.js").text


def test_readme_states_the_upload_limits_the_page_enforces() -> None:
    from pathlib import Path

    from manualkit.toolkit.serve.uploads import MB, Limits

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    limits = Limits()
    assert (f"一次最多 {limits.files} 个文件，每个文件不超过 {limits.file_bytes // MB} MB，"
            f"合计不超过 {limits.total_bytes // MB} MB") in readme


def test_form_page_lists_every_rule_of_the_catalogue_with_its_clause(client: TestClient, form: FormSpec) -> None:
    page = client.get(f"/forms/{form.form_id}").text
    rows = re.findall(r'<tr><td class="nowrap">(.*?)</td>.*?<td class="nowrap">(.*?)</td>', page, re.S)
    assert rows == [(rule.title, rule.clause or form.model.clause_of(None)) for rule in form.model.catalogue()]


def test_form_rules_state_the_policy_the_page_was_started_with() -> None:
    from manualkit.schemas._policy import DEFAULT_POLICY
    from manualkit.toolkit.serve import create_app

    spec, rule, key = next((spec, rule, key) for spec in FORMS for rule in spec.model.catalogue()
                           for key in rule.policy if type(getattr(DEFAULT_POLICY, key)) is int)
    changed = DEFAULT_POLICY.model_copy(update={key: getattr(DEFAULT_POLICY, key) + 7})
    shown = TestClient(create_app(policy=changed)).get(f"/forms/{spec.form_id}").text
    assert rule.describe({k: changed.text(k) for k in rule.policy}) in shown
    assert rule.describe({k: DEFAULT_POLICY.text(k) for k in rule.policy}) not in shown

