"""Compiled Word templates print what Jinja prints; cached programs and workbooks never give a wrong file."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from _extract import docx_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from manualkit.schemas._policy import DEFAULT_POLICY, Policy
from manualkit.toolkit import user_cache
from manualkit.toolkit.records import check_record
from manualkit.toolkit.registry import FormSpec, get_form
from manualkit.toolkit.render._xlsx_template import cell_content, set_value
from manualkit.toolkit.render._zipparts import Parts
from manualkit.toolkit.render.context import blank_context, record_context
from manualkit.toolkit.render.docx import WordTemplate, word_values
from manualkit.toolkit.render.xlsx import blank_parts, workbook_template
from tests.conftest import sample

POLICY = Policy(organisation_name="长沙市烟草专卖局 & <营销中心>", min_daily_visits=12)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own, empty."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("MANUALKIT_CACHE_DIR", str(folder))
    return folder


def record_of(form: FormSpec, data: dict | None = None, policy: Policy = DEFAULT_POLICY):
    checked = check_record(form, data or sample(form.form_id), policy)
    assert checked.record is not None, checked.violations
    return checked.record


def by_jinja(template: WordTemplate, record, policy: Policy = DEFAULT_POLICY) -> bytes:
    """Return the document as Jinja fills it (the path every template had before compiling)."""
    model = template.form.model
    context = record_context(record, policy) if record is not None else blank_context(model, policy)
    return template.render_context(word_values(context))


def parts(document: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("policy", [DEFAULT_POLICY, POLICY], ids=["default", "organisation"])
def test_every_form_compiles_and_prints_exactly_what_jinja_prints(form: FormSpec, policy: Policy,
                                                                  cache_dir: Path) -> None:
    template = WordTemplate(form, policy)
    assert template.compiled
    for record in (None, record_of(form, policy=policy)):
        assert template.render(record) == by_jinja(template, record, policy)


def test_a_program_from_the_cache_prints_the_same(form: FormSpec, cache_dir: Path) -> None:
    first = WordTemplate(form)
    assert list((cache_dir / "word-programs").iterdir())
    again = WordTemplate(form)  # from the cache this time
    record = record_of(form)
    assert again.compiled and again.render(record) == first.render(record) == by_jinja(first, record)


AWKWARD = st.one_of(
    st.sampled_from(["& < > ' \"", "{{ manager }}", "{%tr endfor %}", "]]>", "<w:t>", "a\nb", "\n前后\n", " 空格 ",
                     "_x0041_", "☑", "{", "}"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Co", "Cn")), min_size=1, max_size=20),
).filter(lambda text: bool(text.strip()))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(notes=AWKWARD, name=AWKWARD, manager=AWKWARD)
def test_awkward_values_print_as_jinja_prints_them(notes: str, name: str, manager: str) -> None:
    form = get_form("sign-in-book")
    data = sample(form.form_id) | {"manager": manager}
    data["rows"] = [row | {"notes": notes, "customer_name": name} for row in data["rows"]]
    checked = check_record(form, data, DEFAULT_POLICY)
    if checked.record is None:
        return  # a value the form refuses never reaches a template
    template = TEMPLATES.setdefault(form.form_id, WordTemplate(form))
    assert template.render(checked.record) == by_jinja(template, checked.record)


TEMPLATES: dict[str, WordTemplate] = {}


def edited_template(tmp_path: Path, form: FormSpec, old: bytes, new: bytes) -> FormSpec:
    """Return ``form`` with its Word template edited: ``old`` replaced by ``new`` in the document."""
    folder = tmp_path / "edited"
    folder.mkdir(exist_ok=True)
    with zipfile.ZipFile(form.template(".docx")) as source, zipfile.ZipFile(folder / "template.docx", "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                assert old in data
                data = data.replace(old, new, 1)
            out.writestr(info, data)
    return dataclasses.replace(form, folder=folder)


@pytest.mark.parametrize("tag", ["{{ manager ~ '（经理）' }}", "{{ manager | replace('张', '张') }}（经理）"])
def test_a_template_the_compiler_cannot_handle_is_filled_by_jinja(tmp_path: Path, cache_dir: Path, tag: str) -> None:
    form = edited_template(tmp_path, get_form("special-visit"), b"{{ manager }}", tag.encode())
    template = WordTemplate(form)
    assert not template.compiled
    record = record_of(form)
    assert "张伟（经理）" in docx_text(template.write(record, tmp_path / "filled.docx"))
    assert not (cache_dir / "word-programs").exists()  # nothing cached that could be taken for a program


def test_a_template_looping_with_its_index_is_filled_by_jinja(tmp_path: Path, cache_dir: Path) -> None:
    form = edited_template(tmp_path, get_form("sign-in-book"), b"{{ row.notes }}", b"{{ loop.index }}. {{ row.notes }}")
    template = WordTemplate(form)
    assert not template.compiled
    text = docx_text(template.write(record_of(form), tmp_path / "filled.docx"))
    assert "1. " in text and "2. " in text


def test_an_edited_template_gets_its_own_program_not_the_cached_one(tmp_path: Path, cache_dir: Path) -> None:
    original = get_form("special-visit")
    WordTemplate(original)  # its program is cached
    form = edited_template(tmp_path, original, "特殊访问记录".encode(), "特殊访问登记".encode())
    template = WordTemplate(form)
    assert template.compiled
    text = docx_text(template.write(record_of(form), tmp_path / "edited.docx"))
    assert text.splitlines()[0] == "特殊访问登记"  # the title, edited (the footer keeps its own)


@pytest.mark.parametrize("damage", ["garbage", "flipped", "empty", "wrong shape"])
def test_a_damaged_cache_entry_is_rebuilt_not_used(cache_dir: Path, damage: str) -> None:
    form = get_form("sign-in-book")
    good = WordTemplate(form)
    record = record_of(form)
    expected = good.render(record)
    (entry,) = (cache_dir / "word-programs").iterdir()
    data, first_content = entry.read_bytes(), user_cache.read("word-programs", entry.name)
    entry.write_bytes({
        "garbage": b"\x00\xff" * 50,
        "flipped": data[:-10] + bytes([data[-10] ^ 1]) + data[-9:],
        "empty": b"",
        "wrong shape": _entry_of(b'{"parts": {"word/document.xml": [["field", "manager"]]}}'),
    }[damage])
    again = WordTemplate(form)
    assert again.compiled and again.render(record) == expected
    assert user_cache.read("word-programs", entry.name) == first_content  # rebuilt


def _entry_of(content: bytes) -> bytes:
    import hashlib

    return b"manualkit-cache 1\n" + hashlib.sha256(content).hexdigest().encode() + b"\n" + content


def test_a_cache_folder_that_cannot_be_written_costs_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MANUALKIT_CACHE_DIR", str(blocker / "cache"))
    form = get_form("sign-in-book")
    template = WordTemplate(form)
    record = record_of(form)
    assert template.compiled and template.render(record) == by_jinja(template, record)


def test_with_a_warm_cache_fill_imports_neither_docxtpl_nor_jinja_nor_openpyxl(tmp_path: Path,
                                                                               cache_dir: Path) -> None:
    data = tmp_path / "book.json"
    data.write_text(json.dumps([sample("sign-in-book")] * 2, ensure_ascii=False), encoding="utf-8")
    code = ("import sys\nfrom manualkit.toolkit.cli import main\n"
            "try:\n"
            f"    main(['fill', 'sign-in-book', {str(data)!r}, '--format', 'both', '-o', {str(tmp_path / 'out')!r}])\n"
            "except SystemExit:\n    pass\n"
            "print('LOADED', sorted({name.split('.')[0] for name in sys.modules} & {'docxtpl', 'jinja2', 'openpyxl'}))")
    environment = {**os.environ, "MANUALKIT_CACHE_DIR": str(cache_dir)}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environment)
            for _ in range(2)]
    assert [run.stdout.rpartition("LOADED ")[2].strip() for run in runs] == [
        "['docxtpl', 'jinja2', 'openpyxl']", "[]"]
    assert len(list((tmp_path / "out").glob("*.docx"))) == len(list((tmp_path / "out").glob("*.xlsx"))) == 2


# Zip parts


def test_documents_are_the_bytes_zipfile_writes_for_the_same_parts() -> None:
    with zipfile.ZipFile(get_form("sign-in-book").template(".docx")) as archive:
        entries = [(info, archive.read(info)) for info in archive.infolist()]
    changed = [(info, data + "<!-- 中文 -->".encode()) for info, data in entries if info.filename.startswith("word/")]
    unchanging = [(info, data) for info, data in entries if not info.filename.startswith("word/")]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in unchanging:
            archive.writestr(info, data, compresslevel=1)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        for info, data in changed:
            archive.writestr(info, data, compresslevel=1)
    assert Parts(unchanging).archive(changed) == buffer.getvalue()


# Workbooks


CELL_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**6, max_value=10**6),
    st.dates(min_value=dt.date(1901, 1, 1)), st.times(), st.datetimes(min_value=dt.datetime(1901, 1, 1)),
    st.lists(st.sampled_from(["传递公司信息", "a&b", "_x0041_"]), max_size=3),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20),
    st.sampled_from(["& < > ' \"", " 前后有空格 ", "\r\n", "_x0041_ 与 _x4E2D_", "]]>", "\t"]),
)
_M = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@settings(max_examples=300, deadline=None)
@given(value=CELL_VALUES)
def test_table_cells_written_as_text_are_what_lxml_writes(value: object) -> None:
    root = etree.Element(f"{{{_M}}}sheetData", nsmap={None: _M})
    cell = etree.SubElement(root, f"{{{_M}}}c", r="B7", s="3")
    set_value(cell, value)
    assert etree.tostring(root, encoding="unicode") == f'<sheetData xmlns="{_M}"><c r="B7" s="3"{cell_content(value)}</sheetData>'


def _sheets(workbook: bytes) -> dict[str, bytes]:
    return {name: data for name, data in parts(workbook).items() if name != "docProps/core.xml"}


@pytest.mark.parametrize("policy", [DEFAULT_POLICY, POLICY], ids=["default", "organisation"])
def test_a_cached_blank_workbook_fills_as_a_freshly_built_one(form: FormSpec, policy: Policy, cache_dir: Path) -> None:
    from manualkit.toolkit.render._xlsx_layout import layout_of
    from manualkit.toolkit.render._xlsx_template import WorkbookTemplate

    model = form.model
    built = WorkbookTemplate(model, layout_of(model, model.blank_rows(policy)), *blank_parts(model, policy))
    workbook_template(model, policy)  # builds it and caches it
    cached = workbook_template(model, policy)
    record = record_of(form, policy=policy)
    assert _sheets(cached.workbook_bytes(record)) == _sheets(built.workbook_bytes(record))
    assert _sheets(cached.workbook_bytes(None)) == _sheets(built.workbook_bytes(None))


def test_a_cached_workbook_is_dated_when_it_is_made_not_when_it_was_cached(cache_dir: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    model = get_form("sign-in-book").model
    workbook_template(model)
    assert len(list((cache_dir / "blank-workbooks").iterdir())) == 1
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:
            return later if tz is not None else later.astimezone().replace(tzinfo=None)

    monkeypatch.setattr("manualkit.toolkit.render._xlsx_template.dt.datetime", Later)
    properties = parts(workbook_template(model).blank)["docProps/core.xml"].decode()
    assert f"{later:%Y-%m-%dT%H:%M:%SZ}</dcterms:created>" in properties
    assert f"{later:%Y-%m-%dT%H:%M:%SZ}</dcterms:modified>" in properties


def test_each_policy_has_its_own_cached_workbook(cache_dir: Path) -> None:
    model = get_form("sign-in-book").model
    workbook_template(model)
    workbook_template(model, POLICY)
    assert len(list((cache_dir / "blank-workbooks").iterdir())) == 2
    sheet = html.unescape(parts(workbook_template(model, POLICY).blank)["xl/worksheets/sheet1.xml"].decode())
    assert "单位：长沙市烟草专卖局 && <营销中心>" in sheet  # the page header names the policy's organisation


def test_a_damaged_cached_workbook_is_built_again(cache_dir: Path) -> None:
    form = get_form("sign-in-book")
    record = record_of(form)
    expected = _sheets(workbook_template(form.model).workbook_bytes(record))
    (entry,) = (cache_dir / "blank-workbooks").iterdir()
    data = entry.read_bytes()
    content = data[data.index(b"\n", 20) + 1:]
    entry.write_bytes(_entry_of(content[:8] + b"PK\x03\x04 not a zip" + content[30:]))  # a sound entry, no workbook
    assert _sheets(workbook_template(form.model).workbook_bytes(record)) == expected

