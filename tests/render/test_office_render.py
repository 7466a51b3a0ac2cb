"""Real client: LibreOffice opens every blank and filled form, and the Chinese text renders.

All documents and workbooks are converted to PDF in ONE LibreOffice call; ``pdftotext``
must then show each form's Chinese title and, for filled forms, the filled values.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from schemas._policy import DEFAULT_POLICY
from tests.conftest import sample
from toolkit.cli import cli
from toolkit.office import convert
from toolkit.records import check_record
from toolkit.registry import all_forms
from toolkit.render.batch import blank_jobs, record_jobs, render_jobs

pytestmark = pytest.mark.office


def pdf_text(path: Path) -> str:
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return result.stdout


def values_to_find(form_id: str) -> list[str]:
    """Return a few filled values that must appear in the printed form."""
    data = sample(form_id)
    wanted = [data["manager"]]
    rows = data.get("rows") or data.get("problems") or []
    first = rows[0] if rows else data
    wanted += [value for key, value in first.items() if key in ("customer_name", "customer_code", "problem")]
    return wanted


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Render every form blank and filled in both formats, convert all in one call; return texts."""
    from tests.conftest import office_available

    if not office_available():
        pytest.skip("LibreOffice 未安装")
    folder = tmp_path_factory.mktemp("office")
    forms = list(all_forms().values())
    records = [check_record(form, sample(form.form_id), DEFAULT_POLICY).record for form in forms]
    jobs = blank_jobs(forms) + [job for form, record in zip(forms, records, strict=True)
                                for job in record_jobs(form, [record])]
    written = render_jobs(jobs, ("docx", "xlsx"), folder / "files")
    # Same stems for .docx and .xlsx: give each a distinct name so the PDFs do not collide.
    sources = []
    for path in written:
        sources.append(shutil.copy(path, folder / f"{path.stem}-{path.suffix[1:]}{path.suffix}"))
    pdfs = convert([Path(p) for p in sources], "pdf", folder / "pdf")
    return {pdf.stem: pdf_text(pdf) for pdf in pdfs}


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
