"""Real client: LibreOffice prints every blank and filled form and the demo's monthly draft, as offices would.

All documents and workbooks are converted to PDF in ONE LibreOffice call; the PDFs
are then read (``pdftotext``) and measured: each form's Chinese title and filled
values are printed, the blank sign-in book holds 15 rows or more a page, the blank
schedule a week of rows, the monthly draft a few pages, every Excel footer is
printed whole (not clipped by the margin).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from _pdf import dark_pixels, page_texts, pages, pdf_text
from click.testing import CliRunner

from manualkit.schemas._policy import DEFAULT_POLICY
from manualkit.toolkit.cli import cli
from manualkit.toolkit.office import convert
from manualkit.toolkit.records import check_record
from manualkit.toolkit.registry import all_forms, get_form
from manualkit.toolkit.render.fill_batch import blank_jobs, record_jobs, render_jobs
from tests.conftest import sample

pytestmark = pytest.mark.office

A4_LANDSCAPE = (842, 595)  # points, rounded
DRAFT = "月度报告草稿"


def values_to_find(form_id: str) -> list[str]:
    """Return a few filled values that must appear in the printed form."""
    data = sample(form_id)
    wanted = [data[name] for name in get_form(form_id).model.file_name_parts()[:1]]  # the manager (or sender)
    rows = data.get(get_form(form_id).model.rows_field or "") or []
    first = rows[0] if rows else data
    wanted += [value for key, value in first.items()
               if key in ("customer_name", "customer_code", "problem") and value is not None]
    return wanted


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Render every form blank and filled in both formats and the demo's draft, print all in one call."""
    from manualkit.toolkit.demo import monthly_report, submitted_month
    from tests.conftest import office_available

    if not office_available():
        pytest.skip("LibreOffice 未安装")
    folder = tmp_path_factory.mktemp("office")
    forms = list(all_forms().values())
    records = [check_record(form, sample(form.form_id), DEFAULT_POLICY).record for form in forms]
    jobs = blank_jobs(forms) + [job for form, record in zip(forms, records, strict=True)
                                for job in record_jobs(form, [record])]
    written = render_jobs(jobs, ("docx", "xlsx"), folder / "files")
    submitted_month(folder / "demo")
    written += [path for path in monthly_report(folder / "demo") if path.suffix in (".docx", ".xlsx")]
    # Same stems for .docx and .xlsx: give each a distinct name so the PDFs do not collide.
    sources = []
    for path in written:
        stem = DRAFT if path.parent.name == "月度报告" else path.stem
        sources.append(shutil.copy(path, folder / f"{stem}-{path.suffix[1:]}{path.suffix}"))
    return {pdf.stem: pdf for pdf in convert([Path(p) for p in sources], "pdf", folder / "pdf")}


@pytest.fixture(scope="module")
def converted(printed: dict[str, Path]) -> dict[str, str]:
    """The text of every printed file, by its name."""
    return {stem: pdf_text(pdf) for stem, pdf in printed.items() if not stem.startswith(DRAFT)}


def test_every_file_converts_and_shows_its_chinese_title(converted: dict[str, str]) -> None:
    assert len(converted) == 4 * len(all_forms())
    for form in all_forms().values():
        for kind in ("docx", "xlsx"):
            text = converted[f"{form.title}（空白）-{kind}"]
            assert form.title in text.replace(" ", ""), f"{form.title} blank {kind}"


def test_filled_files_show_the_filled_values(converted: dict[str, str]) -> None:
    for form in all_forms().values():
        stems = [stem for stem in converted if stem.startswith(f"{form.title}_")]
        assert len(stems) == 2  # the .docx and the .xlsx
        for stem in stems:
            text = converted[stem].replace(" ", "")
            assert form.title in text
            for value in values_to_find(form.form_id):
                assert value.replace(" ", "") in text, f"{value} missing in {stem}"


def test_blank_documents_show_empty_tick_boxes(converted: dict[str, str]) -> None:
    text = converted["特殊访问记录（空白）-docx"]
    assert "☐价格违规" in text.replace(" ", "") and "☑" not in text


def test_fill_format_pdf_writes_only_pdfs(tmp_path: Path, soffice: str) -> None:
    result = CliRunner().invoke(cli, ["fill", "feedback-slip", str(all_forms()["feedback-slip"].sample),
                                      "--format", "pdf", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (pdf,) = sorted(tmp_path.iterdir())
    assert pdf.suffix == ".pdf"
    assert "和平烟酒商行" in pdf_text(pdf).replace(" ", "")


# Measured on the printed pages


def _blank(form_id: str, kind: str = "docx") -> str:
    return f"{get_form(form_id).title}（空白）-{kind}"


def test_blank_sign_in_book_holds_fifteen_rows_a_page_with_the_legend(printed: dict[str, Path]) -> None:
    pdf = printed[_blank("sign-in-book")]
    assert {(round(page.width), round(page.height)) for page in pages(pdf)} == {A4_LANDSCAPE}
    texts = page_texts(pdf)
    rows = [text.count("☐1 ☐2 ☐3 ☐4 ☐5 ☐6") for text in texts]
    assert sum(rows) == DEFAULT_POLICY.min_daily_visits and min(rows) >= 15, rows  # a row is one line high
    for text in texts:  # the legend and the labels head every page
        flat = re.sub(r"\s+", "", text)
        assert "工作内容：1传递公司信息2收集客户信息3核对库存及订货建议" in flat and "到达时间" in flat


def test_blank_schedule_holds_a_week_with_numbered_pages_and_the_header_repeated(printed: dict[str, Path]) -> None:
    texts = page_texts(printed[_blank("visit-schedule")])
    assert sum(text.count("☐上门") for text in texts) == 5 * DEFAULT_POLICY.min_daily_visits >= 150
    for number, text in enumerate(texts, 1):
        flat = re.sub(r"\s+", "", text)
        assert "访问日期" in flat and "访问重点：1新品推广" in flat, number
        assert f"第{number}页，共{len(texts)}页" in flat


def test_demo_monthly_draft_is_a_few_pages(printed: dict[str, Path]) -> None:
    texts = page_texts(printed[f"{DRAFT}-docx"])
    assert len(texts) <= 8  # it was 83: one line per visit and every row number spelled out
    flat = re.sub(r"\s+", "", "".join(texts))
    assert "第1页，共" + str(len(texts)) + "页" in flat
    assert "\u2013584行" in flat and "1,494,390.00" in flat and "1494390" not in flat


def test_every_excel_footer_is_printed_whole(printed: dict[str, Path]) -> None:
    sheets = [stem for stem in printed if stem.endswith("-xlsx")]
    assert len(sheets) == 2 * len(all_forms()) + 1
    for stem in sheets:
        for page in pages(printed[stem]):
            footer = [word for word in page.words if word.top > page.height * 0.85 and "页" in word.text]
            if stem.startswith(DRAFT) and not footer:
                continue  # the draft's figures and chart sheets have no footer
            assert footer, (stem, page.number)
            left, top = min(w.left for w in footer), min(w.top for w in footer)
            right, bottom = max(w.right for w in footer), max(w.bottom for w in footer)
            assert bottom < page.height, (stem, page.number)
            lower_half = (left, top + (bottom - top) * 0.6, right, bottom)  # a clipped line loses its lower part
            assert dark_pixels(printed[stem], page.number, lower_half) > 20, (stem, page.number)
