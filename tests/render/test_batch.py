"""The library batch API: one compiled template per form per batch, files in record order."""

from __future__ import annotations

from pathlib import Path

import pytest

from manualkit.schemas._policy import DEFAULT_POLICY
from manualkit.toolkit.records import check_record
from manualkit.toolkit.registry import all_forms, get_form
from manualkit.toolkit.render import fill_batch as batch
from manualkit.toolkit.render.fill_batch import record_stem, render_batch, render_blanks
from tests.conftest import sample


def records(form_id: str, names: list[str]) -> list:
    form = get_form(form_id)
    return [check_record(form, sample(form_id) | {"customer_name": name}, DEFAULT_POLICY).record for name in names]


def test_render_batch_compiles_the_template_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compiled = []
    original = batch.WordTemplate

    def counting(form, *args):
        compiled.append(form.form_id)
        return original(form, *args)

    monkeypatch.setattr(batch, "WordTemplate", counting)
    written = render_batch(get_form("special-visit"), records("special-visit", ["甲", "乙", "丙"]), "both", tmp_path)
    assert compiled == ["special-visit"]
    assert [p.name for p in written] == [
        f"特殊访问记录_张伟_{name}_2026-11-04.{ext}" for name in ("甲", "乙", "丙") for ext in ("docx", "xlsx")
    ]


def test_fill_compiles_the_template_once_for_checking_and_filling(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from manualkit.toolkit.render.filling import fill

    compiled = []
    original = batch.WordTemplate

    def counting(form, *args):  # type: ignore[no-untyped-def]
        compiled.append(form.form_id)
        return original(form, *args)

    monkeypatch.setattr(batch, "WordTemplate", counting)
    data = tmp_path / "records.json"
    data.write_text(json.dumps([sample("sign-in-book")] * 2, ensure_ascii=False), encoding="utf-8")
    result = fill(get_form("sign-in-book"), [data], "docx", tmp_path / "out", DEFAULT_POLICY)
    assert compiled == ["sign-in-book"]  # Setting.check's template is the one that fills
    assert len(result.written) == 2


def test_render_blanks_of_every_form_in_one_format(tmp_path: Path) -> None:
    written = render_blanks(list(all_forms().values()), "docx", tmp_path)
    assert [p.suffix for p in written] == [".docx"] * len(all_forms())
    assert all(p.stat().st_size > 0 for p in written)


@pytest.mark.parametrize(("form_id", "stem"), [
    ("visit-schedule", "客户访问日程表_张伟_2026-11-09"),
    ("sign-in-book", "营销人员市场走访签到记录簿_张伟_2026-11"),
    ("monthly-report", "客户月度销售情况分析报告_张伟_2026-10"),
    ("feedback-slip", "商品及服务质量信息反馈单_张伟_和平烟酒商行_2026-11-03"),
])
def test_file_names_say_form_manager_and_period(form_id: str, stem: str) -> None:
    record = check_record(get_form(form_id), sample(form_id), DEFAULT_POLICY).record
    assert record_stem(record) == stem


def test_fill_checks_each_record_only_when_the_previous_one_is_written(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch holds one record at a time: the next record is checked after the last file is written."""
    import json

    from manualkit.toolkit.render import filling
    from manualkit.toolkit.render.filling import fill

    checked: list[str] = []

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        checked.append(args[1]["manager"])
        return check_record(*args, **kwargs)

    monkeypatch.setattr(filling, "check_record", counted)

    form = get_form("sign-in-book")
    records = [{**sample(form.form_id), "manager": name} for name in ("张伟", "李娜", "王芳", "刘洋")]
    data = tmp_path / "records.json"
    data.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    seen: list[tuple[int, int]] = []

    def progress(jobs, count):  # type: ignore[no-untyped-def]
        for job in jobs:
            seen.append((len(list(out.glob("*.docx"))), len(checked), count))
            assert job.record is not None and job.record.manager in job.stem
            yield job

    result = fill(form, [data], "docx", out, DEFAULT_POLICY, progress=progress)
    assert seen == [(0, 1, 4), (1, 2, 4), (2, 3, 4), (3, 4, 4)]  # checked when its turn comes, after the last file
    assert [entry.source for entry in result.entries] == [f"records.json 第 {n} 条" for n in range(1, 5)]
    assert len(result.written) == 4 and not result.rejected
    assert all(entry.record is None for entry in result.entries)  # written records are let go
