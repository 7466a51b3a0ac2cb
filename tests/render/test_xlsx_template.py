"""One blank workbook per batch, filled per record: no record leaks into the next, sizes follow the text."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import load_workbook

from manualkit.schemas._policy import DEFAULT_POLICY
from manualkit.toolkit.reader import read_workbook
from manualkit.toolkit.records import check_record
from manualkit.toolkit.registry import get_form
from manualkit.toolkit.render.fill_batch import render_batch
from manualkit.toolkit.render.xlsx import render_xlsx
from tests.conftest import sample

LONG_NOTE = "客户反映近期到货不及时，部分规格断货三天以上，建议调整订货周期。" * 3


def _record(form_id: str, change: dict | None = None, rows: int | None = None, long_note_row: int | None = None):
    data = sample(form_id) | (change or {})
    if rows is not None:
        data["rows"] = [dict(row) for row in (data["rows"] * rows)[:rows]]
    if long_note_row is not None:
        data["rows"][long_note_row]["notes"] = LONG_NOTE
    checked = check_record(get_form(form_id), data, DEFAULT_POLICY)
    assert checked.record is not None, checked.violations
    return checked.record


def _header_row(sheet) -> int:
    return next(row[0].row for row in sheet.iter_rows() if row[0].value == "走访日期")


def test_each_file_of_a_batch_holds_only_its_own_record(tmp_path: Path) -> None:
    form = get_form("sign-in-book")
    long_book = _record(form.form_id, {"manager": "张伟"}, rows=12)
    short_book = _record(form.form_id, {"manager": "李强"}, rows=2)
    paths = render_batch(form, [long_book, short_book], "xlsx", tmp_path)
    for path, record in zip(paths, [long_book, short_book], strict=True):
        submission = read_workbook(path)
        assert check_record(form, submission.data(), DEFAULT_POLICY).record == record
    sheet = load_workbook(paths[1])[form.title]
    header = _header_row(sheet)
    assert sheet.print_area.endswith(f"$I${header + 2}")  # two rows, not the longer book's twelve
    assert [cell.value for cell in sheet[header + 3]] == [None] * 9
    ends = {int(re.sub(r"\D", "", str(dv.sqref).split(":")[1])) for dv in sheet.data_validations.dataValidation
            if ":" in str(dv.sqref)}
    assert ends == {header + 2 + 500}


def test_long_text_widens_nothing_past_the_limit_and_makes_its_row_taller(tmp_path: Path) -> None:
    form = get_form("sign-in-book")
    record = _record(form.form_id, rows=3, long_note_row=1)
    sheet = load_workbook(render_xlsx(form, record, tmp_path / "long.xlsx"))[form.title]
    blank = load_workbook(render_xlsx(form, None, tmp_path / "blank.xlsx"))[form.title]
    header = _header_row(sheet)
    notes = next(cell.column_letter for cell in sheet[header] if cell.value == "工作记录")
    assert blank.column_dimensions[notes].width < sheet.column_dimensions[notes].width <= 40
    heights = [sheet.row_dimensions[header + offset].height for offset in (1, 2, 3)]
    assert heights[1] is not None and heights[1] >= 4 * 14.5
    assert heights[0] is None and heights[2] is None  # one line: the default height


def test_a_long_header_value_makes_its_line_taller(tmp_path: Path) -> None:
    form = get_form("special-visit")
    record = _record(form.form_id, {"description": LONG_NOTE * 3})
    workbook = load_workbook(render_xlsx(form, record, tmp_path / "long.xlsx"))
    blank = load_workbook(render_xlsx(form, None, tmp_path / "blank.xlsx"))
    (_, coordinate), = workbook.defined_names["description"].destinations
    row = int(re.sub(r"\D", "", coordinate))
    assert workbook[form.title].row_dimensions[row].height > blank[form.title].row_dimensions[row].height
