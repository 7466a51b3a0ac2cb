"""Word templates people edit run sandboxed: Python's insides are out of reach (issue 16, weak spots)."""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

import pytest

from manualkit.schemas._policy import DEFAULT_POLICY
from manualkit.toolkit.errors import TemplateRenderError
from manualkit.toolkit.records import check_record
from manualkit.toolkit.registry import get_form
from manualkit.toolkit.render.docx import WordTemplate
from tests.conftest import sample

ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ manager.__class__.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ [1].append(2) }}",
]


@pytest.mark.parametrize("code", ESCAPES)
def test_template_reaching_for_python_is_refused_in_chinese(tmp_path: Path, code: str) -> None:
    form = get_form("special-visit")
    folder = tmp_path / "form"
    folder.mkdir()
    with zipfile.ZipFile(form.template(".docx")) as source, zipfile.ZipFile(folder / "template.docx", "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"{{ manager }}", code.encode(), 1)
                assert code.encode() in data
            out.writestr(info, data)
    record = check_record(form, sample(form.form_id), DEFAULT_POLICY).record
    with pytest.raises(TemplateRenderError, match="使用了不允许的代码，出于安全原因拒绝填写"):
        WordTemplate(dataclasses.replace(form, folder=folder)).render(record)
