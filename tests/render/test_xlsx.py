"""Excel forms: the docs/excel.md conventions, the reader contract, safety of values, goldens."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from _extract import xlsx_data
from _golden import as_yaml, check_golden
from openpyxl import load_workbook

from manualkit.schemas._base import field_kind
from manualkit.schemas._policy import DEFAULT_POLICY
from manualkit.toolkit.records import check_record
from manualkit.toolkit.registry import FormSpec, get_form
from manualkit.toolkit.render.xlsx import render_xlsx
from tests.conftest import FORMS, sample

TABLE_FORMS = [form for form in FORMS if form.model.rows_field]


def filled(form: FormSpec, tmp_path: Path, data: dict | None = None) -> Path:
    checked = check_record(form, data or sample(form.form_id), DEFAULT_POLICY)
    assert checked.record is not None, checked.violations
    return render_xlsx(form, checked.record, tmp_path / "filled.xlsx")


def test_blank_workbook_matches_golden(form: FormSpec, tmp_path: Path) -> None:
    data = xlsx_data(render_xlsx(form, None, tmp_path / "blank.xlsx"))
    check_golden(form, "blank.xlsx.yml", as_yaml(data))


def test_filled_workbook_matches_golden(form: FormSpec, tmp_path: Path) -> None:
    data = xlsx_data(filled(form, tmp_path))
    sheet = data[form.title]
    # Long tables: the first rows are enough for the golden; the round trip checks the rest.
    sheet["cells"] = {k: v for k, v in sheet["cells"].items() if int("".join(filter(str.isdigit, k))) <= 20}
    check_golden(form, "filled.xlsx.yml", as_yaml(data))


def test_contract_sheet_names_form_and_version(form: FormSpec, tmp_path: Path) -> None:
    workbook = load_workbook(render_xlsx(form, None, tmp_path / "blank.xlsx"))
    assert workbook.sheetnames == [form.title, "_manualkit"]
    contract = workbook["_manualkit"]
    assert contract.sheet_state == "hidden"
    assert [[c.value for c in row] for row in contract.iter_rows()] == [
        ["form_id", form.form_id], ["version", form.model.version], ["generator", "manualkit 0.1.0"],
    ]


def test_every_header_field_has_a_named_cell_beside_its_label(form: FormSpec, tmp_path: Path) -> None:
    workbook = load_workbook(filled(form, tmp_path))
    sheet = workbook[form.title]
    expected = {*form.model.header_fields(), *form.model.derived}
    assert set(workbook.defined_names) == expected
    labels = {**{n: i.title for n, i in form.model.header_fields().items()}, **form.model.derived}
    for name in expected:
        (title, coordinate), = workbook.defined_names[name].destinations
        assert title == form.title
        cell = sheet[coordinate.replace("$", "")]
        assert sheet.cell(cell.row, cell.column - 1).value == labels[name]


@pytest.mark.parametrize("form", TABLE_FORMS, ids=lambda f: f.form_id)
def test_table_header_row_holds_the_exact_labels_then_the_rows(form: FormSpec, tmp_path: Path) -> None:
    row_model = form.model.row_model()
    sheet = load_workbook(filled(form, tmp_path))[form.title]
    labels = [info.title for info in row_model.model_fields.values()]
    rows = [[c.value for c in row] for row in sheet.iter_rows(max_col=len(labels))]
    header = rows.index(labels)
    assert sheet.freeze_panes == f"A{header + 2}"
    assert sheet.print_title_rows == f"${header + 1}:${header + 1}"
    data = sample(form.form_id)[form.model.rows_field]
    table = list(itertools.takewhile(lambda r: any(v is not None for v in r), rows[header + 1:]))
    assert len(table) == len(data)  # then a blank line (and the fields that follow the table on the form)


def test_fields_after_the_table_on_the_form_come_after_it_on_the_sheet(tmp_path: Path) -> None:
    form = get_form("monthly-report")
    for record in (None, check_record(form, sample(form.form_id), DEFAULT_POLICY).record):
        workbook = load_workbook(render_xlsx(form, record, tmp_path / "report.xlsx"))
        labels = [row[0] for row in workbook[form.title].iter_rows(values_only=True, max_col=1)]
        order = [labels.index(label) for label in ("整体销售情况分析", "问题", "客户对商品质量和服务的主要意见和建议",
                                                   "审阅人签名")]
        assert order == sorted(order)
        (_, cell), = workbook.defined_names["reviewer_signature"].destinations
        assert cell == f"$B${order[-1] + 1}"  # the name moved with the field
        assert workbook[form.title].print_area.endswith(f"$D${order[-1] + 1}")


def test_the_table_carries_its_title_above_it_as_the_word_form_does(tmp_path: Path) -> None:
    form = get_form("monthly-report")
    sheet = load_workbook(render_xlsx(form, None, tmp_path / "blank.xlsx"))[form.title]
    rows = [[c.value for c in row] for row in sheet.iter_rows(max_col=3)]
    header = rows.index(["问题", "原因", "对策措施"])
    assert rows[header - 1][0] == "存在的问题、产生原因及对策措施"


def test_choice_columns_have_drop_downs_with_the_options(tmp_path: Path) -> None:
    form = get_form("visit-schedule")
    sheet = load_workbook(filled(form, tmp_path))[form.title]
    by_prompt = {dv.promptTitle: dv for dv in sheet.data_validations.dataValidation}
    assert by_prompt["访问方式"].type == "list"
    assert by_prompt["访问方式"].formula1 == '"上门,电话"'
    assert str(by_prompt["访问方式"].sqref).startswith("F")
    assert by_prompt["访问重点"].type is None  # several-of: a prompt, not a one-value list
    assert "新品推广、品牌促销" in by_prompt["访问重点"].prompt


def test_values_are_typed_as_a_person_expects(tmp_path: Path) -> None:
    form = get_form("sign-in-book")
    data = sample(form.form_id)
    data["rows"][0]["customer_code"] = "0043010001"
    sheet = load_workbook(filled(form, tmp_path, data))[form.title]
    first = next(row for row in sheet.iter_rows() if row[0].value == dt.datetime(2026, 11, 2))
    assert first[0].number_format == "yyyy-mm-dd"
    assert first[1].value == dt.time(8, 40)
    assert first[3].value == "0043010001" and first[3].data_type == "s"
    assert first[5].value == "协助陈列与调换标价签、检查价格执行"


@pytest.mark.parametrize("text", ["=SUM(A1:A9)", "+86 131", "-1", "@user", "=HYPERLINK(\"x\")"])
def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path, text: str) -> None:
    form = get_form("special-visit")
    data = sample(form.form_id) | {"description": text}
    workbook = load_workbook(filled(form, tmp_path, data))
    (_, coordinate), = workbook.defined_names["description"].destinations
    cell = workbook[form.title][coordinate.replace("$", "")]
    assert (cell.value, cell.data_type) == (text, "s")


def test_control_characters_are_removed_not_a_corrupt_file(tmp_path: Path) -> None:
    form = get_form("special-visit")
    data = sample(form.form_id) | {"description": "铃声\x07响\x1b了\t一下"}
    workbook = load_workbook(filled(form, tmp_path, data))
    (_, coordinate), = workbook.defined_names["description"].destinations
    assert workbook[form.title][coordinate.replace("$", "")].value == "铃声响了\t一下"


def test_print_setup_is_a4_fit_to_width(form: FormSpec, tmp_path: Path) -> None:
    sheet = load_workbook(render_xlsx(form, None, tmp_path / "blank.xlsx"))[form.title]
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.orientation == ("landscape" if form.model.landscape else "portrait")
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1


@pytest.mark.parametrize("filled", [False, True], ids=["blank", "filled"])
def test_every_row_with_a_drop_down_is_ruled_and_formatted(filled: bool, tmp_path: Path) -> None:
    form = get_form("visit-schedule")
    record = check_record(form, sample(form.form_id), DEFAULT_POLICY).record if filled else None
    sheet = load_workbook(render_xlsx(form, record, tmp_path / "form.xlsx"))[form.title]
    kinds = [field_kind(info) for info in form.model.row_model().model_fields.values()]
    header = next(r for r in sheet.iter_rows() if r[0].value == "访问日期")[0].row
    (last,) = {int(str(dv.sqref).split(":")[1][1:]) for dv in sheet.data_validations.dataValidation
               if str(dv.sqref).startswith("F")}
    expected = [{"date": "yyyy-mm-dd", "code": "@"}.get(kind) for kind in kinds]
    for row in sheet.iter_rows(min_row=header + 1, max_row=last, max_col=len(kinds)):
        for cell, number_format in zip(row, expected, strict=True):
            assert cell.border.left.style == "thin", cell.coordinate
            assert number_format is None or cell.number_format == number_format, cell.coordinate
    printed = len(record.table()) if record else 5 * DEFAULT_POLICY.min_daily_visits  # a week of rows
    assert sheet.print_area == f"'{form.title}'!$A$1:$H${header + printed}"
    assert last == header + printed + 500


def test_amounts_show_as_money_and_volumes_as_numbers(tmp_path: Path) -> None:
    form = get_form("monthly-report")
    workbook = load_workbook(render_xlsx(form, None, tmp_path / "blank.xlsx"))
    sheet = workbook[form.title]

    def format_of(name: str) -> str:
        (_, coordinate), = workbook.defined_names[name].destinations
        return sheet[coordinate.replace("$", "")].number_format

    assert format_of("total_amount") == "#,##0.00"  # 1,494,390.00, as the Word form and the report print it
    assert format_of("total_volume") == "General"


def test_a_derived_value_has_a_box_only_when_there_is_one(tmp_path: Path) -> None:
    form = get_form("feedback-slip")
    blank = load_workbook(render_xlsx(form, None, tmp_path / "blank.xlsx"))
    assert "办理阶段" not in [row[0] for row in blank[form.title].iter_rows(values_only=True, max_col=1)]
    assert "stage" not in blank.defined_names
    record = check_record(form, sample(form.form_id), DEFAULT_POLICY).record
    filled = load_workbook(render_xlsx(form, record, tmp_path / "filled.xlsx"))
    (_, cell), = filled.defined_names["stage"].destinations
    assert filled[form.title][cell.replace("$", "")].value == "已完结"
