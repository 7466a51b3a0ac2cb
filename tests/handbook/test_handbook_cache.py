"""The handbook's Markdown kept in the user's cache: used only while everything it is made of is unchanged.

A stale handbook would state rules the validator no longer enforces, so each test changes one thing
the Markdown is made of (a schema, the policy file, a chapter, a form's workflow section, our code)
and checks that the next build shows it; damaged entries are made anew.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from manualkit.toolkit.handbook import build
from manualkit.toolkit.handbook.build import default_source, read_handbook
from manualkit.toolkit.handbook.sources_cache import KIND
from manualkit.toolkit.paths import forms_dir

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "缓存"
    monkeypatch.setenv("MANUALKIT_CACHE_DIR", str(folder))
    return folder


def markdown(source: Path, policy: Path | None = None) -> str:
    return "\n".join(chapter.chapter.markdown for chapter in read_handbook(source, policy, TODAY).chapters)


def made_count(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the builds that make the Markdown anew (misses)."""
    made = [0]
    make = build._make_sources

    def counting(*args: object) -> object:
        made[0] += 1
        return make(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(build, "_make_sources", counting)
    return made


def test_an_unchanged_handbook_is_read_from_the_cache_and_is_the_same(cache: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    made = made_count(monkeypatch)
    first = markdown(default_source())
    assert markdown(default_source()) == first
    assert made[0] == 1
    assert len(list((cache / KIND).iterdir())) == 1
    monkeypatch.setenv("MANUALKIT_CACHE_DIR", "")  # no cache: the same Markdown
    assert markdown(default_source()) == first


def test_the_entry_is_of_a_year_and_the_cover_of_the_day(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = made_count(monkeypatch)
    read_handbook(default_source(), None, dt.date(2026, 11, 23))
    later = read_handbook(default_source(), None, dt.date(2026, 12, 31))
    assert made[0] == 1 and later.cover.date == dt.date(2026, 12, 31)
    next_year = read_handbook(default_source(), None, dt.date(2027, 1, 2))
    assert made[0] == 2
    assert "## 2027 年月度报告截止日" in "\n".join(chapter.chapter.markdown for chapter in next_year.chapters)


def test_a_changed_policy_file_changes_the_handbook(cache: Path, tmp_path: Path) -> None:
    policy = tmp_path / "政策.yaml"
    policy.write_text("min_daily_visits: 25\n", encoding="utf-8")
    assert "| 每日最少上门拜访零售户数 | 25 |" in markdown(default_source(), policy)
    policy.write_text("min_daily_visits: 27\n", encoding="utf-8")
    changed = markdown(default_source(), policy)
    assert "| 每日最少上门拜访零售户数 | 27 |" in changed and "| 25 |" not in changed


def test_a_changed_or_added_chapter_changes_the_handbook(cache: Path, tmp_path: Path) -> None:
    source = tmp_path / "handbook"
    shutil.copytree(default_source(), source)
    markdown(source)
    chapter = source / "01-role.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n新加的一段。\n", encoding="utf-8")
    assert "新加的一段。" in markdown(source)
    (source / "09-added.md").write_text("# 新的一章\n\n内容。\n", encoding="utf-8")
    assert "# 新的一章" in markdown(source)


def test_an_entry_lists_every_schema_module_and_the_generators_it_was_made_of(cache: Path) -> None:
    markdown(default_source())
    (entry,) = (cache / KIND).iterdir()
    listed = entry.read_text(encoding="utf-8")
    for name in ("schemas/_policy.py", "schemas/_base.py", "schemas/sign_in_book.py", "handbook/form_appendix.py",
                 "handbook/calendar.py", "handbook/chapter_sources.py", "toolkit/errors.py", "toolkit/catalogue.py"):
        assert name in listed, name


@pytest.mark.parametrize("damage", [b"", b"not an entry", "flip", "structure"])
def test_a_damaged_entry_is_made_anew(cache: Path, damage: bytes | str, monkeypatch: pytest.MonkeyPatch) -> None:
    first = markdown(default_source())
    (entry,) = (cache / KIND).iterdir()
    data = entry.read_bytes()
    if damage == "flip":
        data = data[:-10] + bytes([data[-10] ^ 1]) + data[-9:]
    elif damage == "structure":  # a whole entry (right digest) of the wrong shape
        from manualkit.toolkit import user_cache

        user_cache.write(KIND, entry.name, b'{"cover": {}, "chapters": [[1, 2, 3]], "files": {}, "folders": {}}')
        data = entry.read_bytes()
    else:
        data = damage  # type: ignore[assignment]
    entry.write_bytes(data)
    made = made_count(monkeypatch)
    assert markdown(default_source()) == first
    assert made[0] == 1


def run_copy(copy: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("MANUALKIT_FORMS", "PYTHONPATH")}
    env.update(PYTHONPATH=str(copy / ".dev"), MANUALKIT_CACHE_DIR=str(cache), PATH=str(Path(sys.executable).parent))
    return subprocess.run([sys.executable, *args], cwd=copy, env=env, capture_output=True, text=True,
                          encoding="utf-8", check=False)


def document_xml(folder: Path) -> str:
    (path,) = folder.glob("*.docx")
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_a_changed_schema_or_workflow_changes_the_handbook_and_a_hit_imports_no_schema(tmp_path: Path) -> None:
    copy, cache = tmp_path / "project", tmp_path / "缓存"
    for folder in (".dev", "toolkit", "schemas", "forms"):
        shutil.copytree(ROOT / folder, copy / folder, symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__", "goldens", "demo"))
    build_args = ("-X", "importtime", "-m", "manualkit", "handbook", "--format", "docx")
    cold = run_copy(copy, cache, *build_args, "-o", str(tmp_path / "1"))
    assert cold.returncode == 0, cold.stderr
    warm = run_copy(copy, cache, *build_args, "-o", str(tmp_path / "2"))
    assert warm.returncode == 0, warm.stderr
    assert " manualkit.schemas._policy\n" in cold.stderr and " pydantic\n" in cold.stderr
    assert " manualkit.schemas._policy\n" not in warm.stderr and " pydantic\n" not in warm.stderr
    assert " docx\n" not in warm.stderr and " lxml" not in warm.stderr  # nor python-docx: the frame is text
    assert document_xml(tmp_path / "2") == document_xml(tmp_path / "1")
    before = document_xml(tmp_path / "1")
    assert "进店时间" not in before

    schema = copy / "schemas" / "sign_in_book.py"
    schema.write_text(schema.read_text(encoding="utf-8").replace('title="到达时间"', 'title="进店时间"'),
                      encoding="utf-8")
    changed = run_copy(copy, cache, "-m", "manualkit", "handbook", "--format", "docx", "-o", str(tmp_path / "3"))
    assert changed.returncode == 0, changed.stderr
    after = document_xml(tmp_path / "3")
    assert "进店时间" in after and after.count("到达时间") < before.count("到达时间")

    workflow = next((copy / "forms").glob("*/workflow.md"))
    workflow.write_text(workflow.read_text(encoding="utf-8") + "\n工作流程新加的一句。\n", encoding="utf-8")
    changed = run_copy(copy, cache, "-m", "manualkit", "handbook", "--format", "docx", "-o", str(tmp_path / "4"))
    assert changed.returncode == 0, changed.stderr
    assert "工作流程新加的一句。" in document_xml(tmp_path / "4")


def test_other_forms_folder_is_another_entry(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = made_count(monkeypatch)
    markdown(default_source())
    forms = tmp_path / "forms"
    shutil.copytree(forms_dir(), forms, ignore=shutil.ignore_patterns("goldens", "demo"))
    monkeypatch.setenv("MANUALKIT_FORMS", str(forms))
    markdown(ROOT / "forms" / "handbook")  # the same --source, the forms of another folder
    assert made[0] == 2


def test_a_declared_plugin_that_does_not_load_keeps_the_handbook_out_of_the_cache(
        cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fixed later in place (an editable install), its form must show in the next handbook: nothing is kept."""
    from importlib.metadata import EntryPoint

    from manualkit.toolkit import registry

    broken = EntryPoint("broken", "manualkit_no_such_plugin:Form", registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry, "entry_points", lambda group: [broken] if group == registry.ENTRY_POINT_GROUP else [])
    markdown(default_source())  # the forms were loaded already: the plug-in is declared, its form is not there
    assert not (cache / KIND).exists() or not list((cache / KIND).iterdir())


def test_a_file_saved_while_the_handbook_is_made_keeps_it_out_of_the_cache(
        cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "手册"
    shutil.copytree(default_source(), source)
    os.utime(source / "01-role.md", (0, 0))
    make = build._make_sources

    def saved_meanwhile(*args: object) -> object:
        made = make(*args)  # type: ignore[arg-type]
        (source / "01-role.md").write_text("# 岗位\n\n改过的正文。\n", encoding="utf-8")
        return made

    monkeypatch.setattr(build, "_make_sources", saved_meanwhile)
    markdown(source)
    assert not (cache / KIND).exists() or not list((cache / KIND).iterdir())
    monkeypatch.setattr(build, "_make_sources", make)
    assert "改过的正文" in markdown(source)
