"""What a worker sends back of a record for the month: what the rules read, compact, rebuilt as it was."""

from __future__ import annotations

import pickle

import pytest

from manualkit.schemas._policy import DEFAULT_POLICY
from manualkit.toolkit.records import check_record
from manualkit.toolkit.registry import get_form
from tests.report.month import schedule, sign_in_book


@pytest.mark.parametrize(("form_id", "data"), [("sign-in-book", sign_in_book()), ("visit-schedule", schedule("2026-11-02"))])
def test_a_packed_record_is_rebuilt_with_what_the_month_reads(form_id: str, data: dict) -> None:
    form = get_form(form_id)
    record = check_record(form, data, DEFAULT_POLICY).record
    role = form.model.month_role
    header, columns = pickle.loads(pickle.dumps(role.pack(record)))
    rebuilt = role.unpack(form.model, header, columns)
    assert role.packed_manager(header) == role.manager(record) == "张伟"
    assert role.packed_months(form.model, header, columns) == role.months(rebuilt) == role.months(record)
    for name in role.row_reads:
        assert [getattr(row, name) for row in rebuilt.table()] == [getattr(row, name) for row in record.table()]
    unread = "route" if form_id == "visit-schedule" else "left_at"
    with pytest.raises(AttributeError):
        getattr(rebuilt.table()[0], unread)  # not sent back: missing, not made up


def test_equal_values_are_one_object_after_the_trip() -> None:
    form = get_form("sign-in-book")
    record = check_record(form, sign_in_book(), DEFAULT_POLICY).record
    _, columns = pickle.loads(pickle.dumps(form.model.month_role.pack(record)))
    codes = columns[form.model.month_role.row_reads.index("customer_code")]
    assert len(codes) > len({id(code) for code in codes}) == len(set(codes))  # one object per customer
