"""Workbooks filled in the toolkit's own blank template (render's writer), validated."""

from __future__ import annotations

from pathlib import Path

import pytest

from manualkit.toolkit.registry import all_forms, get_form
from manualkit.toolkit.render.xlsx import render_xlsx
from manualkit.toolkit.validate import validate_file
from tests.conftest import sample
from tests.filled_workbooks import fill_blank_template


@pytest.mark.parametrize("form", list(all_forms().values()), ids=lambda f: f.form_id)
def test_blank_template_filled_with_the_sample_is_valid(tmp_path: Path, form) -> None:
    report = validate_file(fill_blank_template(form, sample(form.form_id), tmp_path / "in.xlsx"))
    assert report.flatten("cell", "code", "message") == []


@pytest.mark.parametrize("form", list(all_forms().values()), ids=lambda f: f.form_id)
def test_filled_form_written_by_the_toolkit_is_valid(tmp_path: Path, form) -> None:
    record = form.model.model_validate(sample(form.form_id))
    assert validate_file(render_xlsx(form, record, tmp_path / "in.xlsx")).flatten("cell", "code") == []


def test_blank_template_with_mistakes_points_at_its_cells(tmp_path: Path) -> None:
    record = sample("sign-in-book")
    record["rows"][0]["customer_signature"] = None
    record["rows"][1]["work_items"] = "检查价格执行；发放宣传品"
    record["rows"][2]["left_at"] = "9点"
    path = fill_blank_template(get_form("sign-in-book"), record, tmp_path / "in.xlsx")
    assert validate_file(path).flatten("cell", "code", "message") == [
        ("I7", "missing_required", "第7行“客户签名确认”为必填项"),
        ("F8", "invalid_choice", "第8行“工作内容”只能填写：传递公司信息/收集客户信息/核对库存及订货建议/"
                                 "协助陈列与调换标价签/观察销售督促守法经营/检查价格执行（填写的是“发放宣传品”）"),
        ("C9", "time_order", "第9行离开时间 09:00 应晚于到达时间 09:40"),
    ]


def test_blank_template_is_invalid_but_readable(tmp_path: Path) -> None:
    blank = render_xlsx(get_form("sign-in-book"), None, tmp_path / "blank.xlsx")
    assert validate_file(blank).flatten("cell", "code", "message") == [
        (None, "missing_required", "“走访记录”至少填写一行"),  # about the whole form: listed first
        ("B3", "missing_required", "“客户经理”为必填项"),
        ("F3", "missing_required", "“所辖区域”为必填项"),
        ("B4", "missing_required", "“月份”为必填项"),
    ]
