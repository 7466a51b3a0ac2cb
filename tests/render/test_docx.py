"""Word forms: goldens of what a person reads, strictness, escaping, fonts and page setup."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import jinja2
import pytest
from _extract import docx_text
from _golden import check_golden
from docx import Document
from docx.enum.section import WD_ORIENT
from docxtpl import DocxTemplate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from manualkit.schemas._policy import DEFAULT_POLICY
from manualkit.toolkit.errors import TemplateRenderError
from manualkit.toolkit.records import check_record
from manualkit.toolkit.registry import FormSpec, get_form
from manualkit.toolkit.render.context import HELPERS, WRITE_ON, blank_context
from manualkit.toolkit.render.docx import WordTemplate, render_docx
from tests.conftest import FORMS, sample

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

TABLE_FORMS = [form for form in FORMS if form.model.rows_field]


def record_of(form: FormSpec, data: dict | None = None):
    checked = check_record(form, data or sample(form.form_id), DEFAULT_POLICY)
    assert checked.record is not None, checked.violations
    return checked.record


def test_blank_document_matches_golden(form: FormSpec, tmp_path: Path) -> None:
    text = docx_text(render_docx(form, None, tmp_path / "blank.docx"))
    check_golden(form, "blank.docx.txt", text)


def test_filled_document_matches_golden(form: FormSpec, tmp_path: Path) -> None:
    text = docx_text(render_docx(form, record_of(form), tmp_path / "filled.docx"))
    check_golden(form, "filled.docx.txt", "\n".join(text.splitlines()[:60]) + "\n")


def test_template_uses_only_schema_names_and_helpers(form: FormSpec) -> None:
    template = form.template(".docx")
    assert template is not None, "every form needs a Word template"
    used = DocxTemplate(str(template)).get_undeclared_template_variables(jinja2.Environment())
    model = form.model
    assert used <= {*model.model_fields, *model.derived, *HELPERS}
    assert set(model.header_fields()) <= used  # every header field is shown
    row_model = model.row_model()
    if row_model is not None:
        with zipfile.ZipFile(template) as archive:
            xml = archive.read("word/document.xml").decode()
        assert all(f"row.{name}" in xml for name in row_model.model_fields)  # and every column


def test_every_table_row_of_the_record_is_printed(form: FormSpec, tmp_path: Path) -> None:
    record = record_of(form)
    text = docx_text(render_docx(form, record, tmp_path / "filled.docx"))
    for row in record.table():
        first_text = next(str(v) for v in row.model_dump().values() if isinstance(v, str))
        assert first_text in text


def test_choices_show_every_option_ticked_or_not(tmp_path: Path) -> None:
    form = get_form("special-visit")
    text = docx_text(render_docx(form, record_of(form), tmp_path / "filled.docx"))
    assert "☑价格违规" in text and "☐销售异常" in text and "☑是" in text and "☐否" in text
    blank = docx_text(render_docx(form, None, tmp_path / "blank.docx"))
    assert "☑" not in blank and "☐价格违规" in blank and "☐否" in blank


def test_blank_table_has_empty_ruled_rows(tmp_path: Path) -> None:
    form = get_form("sign-in-book")
    document = Document(str(render_docx(form, None, tmp_path / "blank.docx")))
    table = document.tables[-1]
    assert len(table.rows) == 2 + 30  # the legend, the labels and a day's sign-ins
    assert all(cell.text.strip() == "" for cell in table.rows[5].cells[:5])


def test_blank_table_rows_follow_the_policy(tmp_path: Path) -> None:
    form = get_form("visit-schedule")
    policy = DEFAULT_POLICY.model_copy(update={"min_daily_visits": 12})
    for daily, template in ((30, WordTemplate(form)), (12, WordTemplate(form, policy))):
        document = Document(io.BytesIO(template.render(None)))
        assert len(document.tables[-1].rows) == 2 + 5 * daily  # a week of five working days


def test_many_options_are_numbered_with_a_legend_repeated_on_every_page(tmp_path: Path) -> None:
    document = Document(str(render_docx(get_form("sign-in-book"), None, tmp_path / "blank.docx")))
    legend, _, first = document.tables[-1].rows[:3]
    assert legend.cells[0].text.startswith("工作内容：1 传递公司信息　2 收集客户信息")
    assert legend._tr.find(f"{W}trPr/{W}tblHeader") is not None
    assert "☐1 ☐2 ☐3 ☐4 ☐5 ☐6" in [cell.text for cell in first.cells]


def test_derived_values_print_only_when_there_is_one(tmp_path: Path) -> None:
    form = get_form("feedback-slip")
    assert "办理阶段" not in docx_text(render_docx(form, None, tmp_path / "blank.docx"))
    assert "| 办理阶段 | 已完结 |" in docx_text(render_docx(form, record_of(form), tmp_path / "filled.docx"))


def test_forms_carry_the_organisation_and_their_number_and_version(tmp_path: Path) -> None:
    form = get_form("special-visit")
    policy = DEFAULT_POLICY.model_copy(update={"organisation_name": "某市烟草专卖局（公司）"})
    document = io.BytesIO(WordTemplate(form, policy).render(None))
    (tmp_path / "named.docx").write_bytes(document.getvalue())
    text = docx_text(tmp_path / "named.docx")
    assert "[页眉] 单位：某市烟草专卖局（公司）" in text
    assert f"[页脚] 表单编号 special-visit　第 {form.model.version} 版" in text
    assert f"[页眉] 单位：{WRITE_ON}" in docx_text(render_docx(form, None, tmp_path / "blank.docx"))


@pytest.mark.parametrize("text", ["A & B <c> >", "{{ manager }}", "{% if x %}y{% endif %}", "=1+1", "]]>&amp;"])
def test_values_are_escaped_and_appear_literally(tmp_path: Path, text: str) -> None:
    form = get_form("special-visit")
    record = record_of(form, sample(form.form_id) | {"description": text, "customer_name": text})
    shown = docx_text(render_docx(form, record, tmp_path / "escaped.docx"))
    assert text in shown


def test_line_breaks_in_a_value_become_line_breaks(tmp_path: Path) -> None:
    form = get_form("special-visit")
    record = record_of(form, sample(form.form_id) | {"description": "第一行\n第二行"})
    document = Document(str(render_docx(form, record, tmp_path / "breaks.docx")))
    xml = document.element.xml
    assert "第一行</w:t>" in xml and "<w:br/>" in xml


def test_control_characters_do_not_corrupt_the_document(tmp_path: Path) -> None:
    form = get_form("special-visit")
    record = record_of(form, sample(form.form_id) | {"description": "响\x07铃\x1b了"})
    assert "响铃了" in docx_text(render_docx(form, record, tmp_path / "control.docx"))


def test_a_missing_variable_is_an_error_not_a_blank(tmp_path: Path) -> None:
    form = get_form("special-visit")
    context = blank_context(form.model)
    del context["manager"]
    with pytest.raises(TemplateRenderError, match="manager"):
        WordTemplate(form).render_context(context)


def test_chinese_text_names_an_east_asian_font_and_zh_cn(form: FormSpec) -> None:
    with zipfile.ZipFile(form.template(".docx")) as archive:
        styles = archive.read("word/styles.xml").decode()
        fonts = archive.read("word/fontTable.xml").decode()
    assert 'w:eastAsia="宋体"' in styles and 'w:eastAsia="zh-CN"' in styles
    assert 'w:ascii="Times New Roman"' in styles  # Latin digits keep a Latin font
    assert 'w:name="宋体"' in fonts and "SimSun" in fonts


def test_page_is_a4_in_the_form_orientation(form: FormSpec, tmp_path: Path) -> None:
    section = Document(str(render_docx(form, None, tmp_path / "blank.docx"))).sections[0]
    landscape = form.model.landscape
    assert section.orientation == (WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT)
    short, long = sorted([round(section.page_width.cm, 1), round(section.page_height.cm, 1)])
    assert (short, long) == (21.0, 29.7)


@pytest.mark.parametrize("form", TABLE_FORMS, ids=lambda f: f.form_id)
def test_table_header_repeats_and_rows_do_not_split(form: FormSpec, tmp_path: Path) -> None:
    document = Document(str(render_docx(form, record_of(form), tmp_path / "filled.docx")))
    first_label = next(iter(form.model.row_model().model_fields.values())).title
    rows = next(t for t in document.tables if any(r.cells[0].text == first_label for r in t.rows[:2])).rows
    headers = [row for row in rows if row._tr.find(f"{W}trPr/{W}tblHeader") is not None]
    assert first_label in [row.cells[0].text for row in headers]  # the labels repeat on every page
    assert all(row._tr.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)
    assert len(rows) == len(headers) + len(record_of(form).table())


def test_one_compiled_template_fills_many_records_independently(tmp_path: Path) -> None:
    form = get_form("special-visit")
    template = WordTemplate(form)
    first = record_of(form, sample(form.form_id) | {"customer_name": "甲店"})
    second = record_of(form, sample(form.form_id) | {"customer_name": "乙店"})
    a, b = template.write(first, tmp_path / "a.docx"), template.write(second, tmp_path / "b.docx")
    assert "甲店" in docx_text(a) and "乙店" not in docx_text(a)
    assert "乙店" in docx_text(b) and "甲店" not in docx_text(b)


# Text people type, and text that breaks naive templates: it must appear in Word as it is.
AWKWARD_TEXT = st.one_of(
    st.sampled_from(["& < >", "{{ manager }}", "{%tr endfor %}", "{_{ x }_}", "=SUM(A1)", "]]>", "<w:t>", "\\n"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Co", "Cn", "Zl", "Zp")),
            min_size=1, max_size=30),
).filter(lambda text: bool(text.strip()))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(description=AWKWARD_TEXT, customer_name=AWKWARD_TEXT)
def test_awkward_text_appears_literally_in_word(tmp_path: Path, description: str, customer_name: str) -> None:
    form = get_form("special-visit")
    record = record_of(form, sample(form.form_id) | {"description": description, "customer_name": customer_name})
    document = Document(io.BytesIO(TEMPLATES.setdefault(form.form_id, WordTemplate(form)).render(record)))
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert record.description in cells and record.customer_name in cells


TEMPLATES: dict[str, WordTemplate] = {}


def test_documents_of_a_batch_share_the_unchanging_parts_and_differ_in_the_document() -> None:
    form = get_form("sign-in-book")
    template = WordTemplate(form)
    record = check_record(form, sample("sign-in-book"), DEFAULT_POLICY).record
    blank, filled = template.render(None), template.render(record)
    with zipfile.ZipFile(io.BytesIO(blank)) as one, zipfile.ZipFile(io.BytesIO(filled)) as other:
        assert sorted(one.namelist()) == sorted(other.namelist())
        assert len(one.namelist()) == len(set(one.namelist()))  # no part written twice
        changed = {name for name in one.namelist() if one.read(name) != other.read(name)}
    assert changed == {"word/document.xml"}


def test_tags_come_back_as_jinja_reads_them_after_an_editor() -> None:
    from manualkit.toolkit.render.docx import plain_tags

    xml = ("<w:t>{{ tick(situation, &apos;销售异常&apos;) }}</w:t><w:t>{% if a &amp;&amp; b %}</w:t>"
           "<w:t>{{ tick(unit, \u2018条\u2019) }} {{ x == \u201c&lt;\u201d }}</w:t><w:t>&amp; &apos;</w:t>")
    assert plain_tags(xml) == (
        "<w:t>{{ tick(situation, '销售异常') }}</w:t><w:t>{% if a && b %}</w:t>"
        "<w:t>{{ tick(unit, '条') }} {{ x == \"<\" }}</w:t><w:t>&amp; &apos;</w:t>"  # text outside tags untouched
    )
