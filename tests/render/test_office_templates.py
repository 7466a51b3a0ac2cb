"""Real client: every Word template, re-saved by LibreOffice Writer, still fills the sample as the original does.

An editor re-saving a template writes ``'`` as ``&apos;`` and splits a tag such as
``{{ tick(situation, '销售异常') }}`` into runs wherever the font changes between
Latin and Chinese text. All templates are re-saved in ONE LibreOffice call, then
used as an organisation's ``--templates`` folder.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from _extract import docx_text

from manualkit.schemas._policy import DEFAULT_POLICY
from manualkit.toolkit.office import convert
from manualkit.toolkit.records import check_record
from manualkit.toolkit.registry import FormSpec
from manualkit.toolkit.render.docx import WordTemplate
from tests.conftest import FORMS, sample

pytestmark = pytest.mark.office


@pytest.fixture(scope="module")
def resaved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a templates folder holding every form's template as LibreOffice Writer saves it."""
    from tests.conftest import office_available

    if not office_available():
        pytest.skip("LibreOffice 未安装")
    folder = tmp_path_factory.mktemp("templates")
    originals = [Path(shutil.copy(form.template(".docx"), folder / f"{form.folder.name}.docx")) for form in FORMS]
    saved = convert(originals, "docx:MS Word 2007 XML", folder / "saved")
    for form, path in zip(FORMS, saved, strict=True):
        (folder / "edited" / form.folder.name).mkdir(parents=True)
        path.rename(folder / "edited" / form.folder.name / "template.docx")
    return folder / "edited"


def test_the_editor_left_its_marks_in_the_templates(resaved: Path) -> None:
    with zipfile.ZipFile(resaved / "special_visit" / "template.docx") as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert "&apos;" in xml  # what made compiling fail: "unexpected char '&'"
    assert "{{ tick(situation, &apos;</w:t>" in xml  # a tag split into runs


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.form_id)
def test_a_resaved_template_fills_the_sample_with_the_same_text(form: FormSpec, resaved: Path,
                                                                tmp_path: Path) -> None:
    record = check_record(form, sample(form.form_id), DEFAULT_POLICY).record
    edited = WordTemplate(form, templates_dir=resaved)
    assert edited.path == resaved / form.folder.name / "template.docx"
    for name, value in (("blank", None), ("filled", record)):
        ours = WordTemplate(form).write(value, tmp_path / f"{name}-ours.docx")
        theirs = edited.write(value, tmp_path / f"{name}-theirs.docx")
        assert _text(theirs) == _text(ours), name


def _text(path: Path) -> str:
    """Return what the document reads, page fields left out: Writer stores a page number in them."""
    return re.sub(r"第 \d* 页，共 \d* 页", "第  页，共  页", docx_text(path))
