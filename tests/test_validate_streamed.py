"""Checking rows as they stream in finds what ``check_record`` finds on the whole record.

(It finds more only where a header field is broken: then ``check_record`` runs no rule at
all, the streamed check still runs the rules that do not need that field; see test_validate.)
"""

from __future__ import annotations

from typing import Any

import pytest

from schemas._policy import DEFAULT_POLICY
from tests.conftest import sample
from tests.test_validate_rules import CASES
from toolkit.records import check_record
from toolkit.registry import get_form
from toolkit.validate.streamed import StreamedCheck


def _streamed(form_id: str, record: dict[str, Any]) -> list[tuple]:
    form = get_form(form_id)
    check = StreamedCheck(form)
    header = {k: v for k, v in record.items() if k != form.model.rows_field and v not in (None, "", [])}
    for row in record.get(form.model.rows_field or "") or []:
        check.add({k: v for k, v in row.items() if v not in (None, "", [])})
    return sorted((v.code, v.field, v.row, v.message, v.severity) for v in check.finish(header, DEFAULT_POLICY))


def _whole(form_id: str, record: dict[str, Any]) -> list[tuple]:
    cleaned = {k: v for k, v in record.items() if v not in (None, "", [])}
    rows_field = get_form(form_id).model.rows_field
    if rows_field and rows_field in cleaned:
        cleaned[rows_field] = [{k: v for k, v in row.items() if v not in (None, "", [])} for row in cleaned[rows_field]]
    found = check_record(get_form(form_id), cleaned, DEFAULT_POLICY).violations
    return sorted((v.code, v.field, v.row, v.message, v.severity) for v in found)


@pytest.mark.parametrize(("form_id", "change"), [(c[0], c[2]) for c in CASES], ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_streamed_check_finds_what_check_record_finds(form_id: str, change: Any) -> None:
    record = sample(form_id)
    change(record)
    assert _streamed(form_id, record) == _whole(form_id, record)


def test_rows_all_broken_or_absent() -> None:
    record = sample("sign-in-book")
    for row in record["rows"]:
        row["customer_signature"] = None
    assert _streamed("sign-in-book", record) == _whole("sign-in-book", record)
    record["rows"] = []
    assert _streamed("sign-in-book", record) == _whole("sign-in-book", record)
