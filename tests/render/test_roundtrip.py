"""Round trip: a record → filled .xlsx → the reader → the same record, for awkward text too."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from manualkit.schemas._policy import DEFAULT_POLICY
from manualkit.toolkit.reader import read_workbook
from manualkit.toolkit.records import check_record
from manualkit.toolkit.registry import FormSpec, get_form
from manualkit.toolkit.render.xlsx import build_workbook, render_xlsx
from tests.conftest import sample


def read_back(path: Path) -> Any:
    submission = read_workbook(path)
    checked = check_record(submission.form, submission.data(), DEFAULT_POLICY)
    assert checked.record is not None, [v.message for v in checked.violations]
    return checked.record


def test_sample_round_trips_through_the_filled_workbook(form: FormSpec, tmp_path: Path) -> None:
    record = check_record(form, sample(form.form_id), DEFAULT_POLICY).record
    assert record is not None
    path = render_xlsx(form, record, tmp_path / "filled.xlsx")
    assert read_workbook(path).form == form
    assert read_back(path) == record


def test_blank_workbook_reads_back_empty(form: FormSpec, tmp_path: Path) -> None:
    submission = read_workbook(render_xlsx(form, None, tmp_path / "blank.xlsx"))
    assert submission.form == form
    assert all(value in ([], None) for value in submission.data().values())


# Text people really type, and text that breaks naive writers.
AWKWARD = st.one_of(
    st.sampled_from([
        "& < > \" '", "{{ manager }}", "{% if x %}", "=SUM(A1:A3)", "+86", "-1", "@home", "_x0041_",
        "0012", "2026-11-05", "1e5", "TRUE", "是", "第1行\n第2行", "“引号”、《书名》……", "&amp;", "]]>",
        "月份", "客户经理", "走访日期",  # a value that is also a label must stay a value
    ]),
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Co", "Cn")),
        min_size=1, max_size=40,
    ),
)


def _usable(text: str) -> bool:
    return bool(text.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    description=AWKWARD.filter(_usable), actions=AWKWARD.filter(_usable),
    customer_name=AWKWARD.filter(_usable), result=AWKWARD,
)
def test_awkward_text_round_trips(tmp_path: Path, description: str, actions: str, customer_name: str,
                                  result: str) -> None:
    form = get_form("special-visit")
    data = sample(form.form_id) | {
        "description": description, "actions": actions, "customer_name": customer_name, "result": result,
    }
    record = check_record(form, data, DEFAULT_POLICY).record
    assert record is not None
    buffer = io.BytesIO()
    build_workbook(form.model, record).save(buffer)
    path = tmp_path / "awkward.xlsx"
    path.write_bytes(buffer.getvalue())
    assert read_back(path) == record


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(notes=st.lists(AWKWARD, min_size=1, max_size=5), name=AWKWARD.filter(_usable))
def test_awkward_text_in_table_rows_round_trips(tmp_path: Path, notes: list[str], name: str) -> None:
    form = get_form("sign-in-book")
    data = sample(form.form_id)
    data["rows"] = [dict(data["rows"][i], notes=note, customer_name=name) for i, note in enumerate(notes)]
    record = check_record(form, data, DEFAULT_POLICY).record
    assert record is not None
    path = render_xlsx(form, record, tmp_path / "rows.xlsx")
    assert read_back(path) == record


@pytest.mark.parametrize("code", ["0043010001", "00123", "4301000001"])
def test_codes_keep_leading_zeros(tmp_path: Path, code: str) -> None:
    form = get_form("feedback-slip")
    record = check_record(form, sample(form.form_id) | {"customer_code": code}, DEFAULT_POLICY).record
    assert read_back(render_xlsx(form, record, tmp_path / "codes.xlsx")).customer_code == code
