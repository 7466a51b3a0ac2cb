"""A long table is checked a chunk of rows at a time, column by column (``manualkit.toolkit.rowcheck``):
the same rows, findings and cells as the model validating row by row, across the chunks' edges."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from manualkit.schemas._policy import DEFAULT_POLICY
from manualkit.schemas.sign_in_book import SignIn
from manualkit.toolkit.reader import layout, read_workbook
from manualkit.toolkit.records import StreamedCheck, check_record
from manualkit.toolkit.registry import get_form
from manualkit.toolkit.validate import validate_file
from tests.conftest import sample
from tests.filled_workbooks import write_form

SIGN_IN = get_form("sign-in-book")
EDGE = layout._CHUNK_ROWS


def _long_book(path: Path) -> tuple[Path, dict[str, Any]]:
    """Write a book of 2½ chunks whose defects sit on and beside the chunks' edges."""
    record = sample("sign-in-book")
    visits = record["rows"]
    rows = [copy.deepcopy(visits[n % len(visits)]) for n in range(EDGE * 2 + EDGE // 2)]
    for n in (0, EDGE - 1, EDGE, EDGE + 1, 2 * EDGE):
        rows[n]["customer_signature"] = None  # a required field blank
    for n in range(EDGE - 3, EDGE + 3):
        rows[n]["notes"] = None  # an optional one blank, rows on both sides of an edge
    rows[EDGE - 2]["date"] = "2026-11-31"  # text in a column of dates: a chunk of mixed cells
    rows[EDGE + 2]["work_items"] = ["打扫卫生"]
    rows[2 * EDGE - 1]["left_at"] = "06:00"  # its own rule
    rows[2 * EDGE + 1] = dict.fromkeys(rows[0])  # a blank row inside the table
    rows[-1]["customer_code"] = "43-01"
    record["rows"] = rows
    return write_form(SIGN_IN, record, path), record


def test_a_long_table_gives_the_findings_of_the_model(tmp_path: Path) -> None:
    path, _ = _long_book(tmp_path / "long.xlsx")
    submission = read_workbook(path)
    checked = check_record(submission.form, submission.data(), DEFAULT_POLICY)  # row by row, as dicts
    expected = [(v.code, v.field, v.message if v.row is None else f"第{submission.sheet_row(v.row)}行{v.message}")
                for v in checked.violations]
    found = validate_file(path).flatten("code", "field", "message")
    assert found == expected
    assert {code for code, *_ in found} >= {"missing_required", "invalid_date", "invalid_choice", "time_order",
                                            "pattern_mismatch"}


def test_a_long_table_gives_the_rows_the_model_builds(tmp_path: Path) -> None:
    path, _ = _long_book(tmp_path / "long.xlsx")
    data = read_workbook(path).data()["rows"]
    streamed: list[StreamedCheck] = []

    def sink(form: Any) -> StreamedCheck:
        streamed.append(StreamedCheck(form, DEFAULT_POLICY))
        return streamed[0]

    read_workbook(path, row_sink=sink)
    [check] = streamed
    sound = {index for index, row in enumerate(data) if _valid(row)}
    rows = [row for index, row in zip(check.kept, check.rows, strict=True) if index in sound]
    assert len(rows) == len(sound) == len(data) - 8
    expected = [SignIn.model_validate(data[index]) for index in sorted(sound)]
    assert [(row.__dict__, row.__pydantic_fields_set__) for row in rows] == [
        (row.__dict__, row.__pydantic_fields_set__) for row in expected]


def _valid(row: dict[str, Any]) -> bool:
    try:
        SignIn.model_validate(row)
    except ValueError:
        return False
    return True


def test_a_column_known_by_then_still_finds_a_new_or_odd_value(tmp_path: Path) -> None:
    """The third chunk's columns are known from the first two (looked up in one pass): a value never seen,
    a value of another type and a blank there are still each found."""
    record = sample("sign-in-book")
    visits = record["rows"]
    rows = [copy.deepcopy(visits[n % len(visits)]) for n in range(EDGE * 3)]
    last = 2 * EDGE + EDGE // 2
    rows[last]["date"] = "2026-11-31"  # text among dates
    rows[last + 1]["manager_signature"] = None
    rows[last + 2]["customer_code"] = "NEW001"  # not seen before, and sound
    rows[last + 3]["customer_code"] = "43-01"
    record["rows"] = rows
    path = write_form(SIGN_IN, record, tmp_path / "third.xlsx")
    submission = read_workbook(path)
    checked = check_record(submission.form, submission.data(), DEFAULT_POLICY)
    expected = [(v.code, v.field, v.message if v.row is None else f"第{submission.sheet_row(v.row)}行{v.message}")
                for v in checked.violations]
    assert validate_file(path).flatten("code", "field", "message") == expected
    assert {code for code, *_ in expected} >= {"invalid_date", "missing_required", "pattern_mismatch"}
