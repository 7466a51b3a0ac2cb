"""Contract tests over every form: folders, labels, codes, schemas."""

from __future__ import annotations

import json
import pkgutil

import jsonschema
import pytest

from manualkit import schemas
from manualkit.schemas._base import FormSchema
from manualkit.schemas._policy import DEFAULT_POLICY
from manualkit.toolkit.errors import FormNotFoundError
from manualkit.toolkit.paths import forms_dir
from manualkit.toolkit.records import check_record
from manualkit.toolkit.registry import FormSpec, get_form
from manualkit.toolkit.schema_export import json_schema
from tests.conftest import FORMS, sample


def test_every_schema_module_is_a_form_in_the_manuals_order() -> None:
    modules = {info.name for info in pkgutil.iter_modules(schemas.__path__) if not info.name.startswith("_")}
    assert {f.form_id.replace("-", "_") for f in FORMS} == modules
    manual = [f for f in FORMS if f.clause.startswith("§")]
    assert FORMS[:len(manual)] == manual  # the manual's forms (§4.1.1 …) before the service norms' (002 …)


def test_every_form_has_its_folder_and_sample(form: FormSpec) -> None:
    assert form.folder == forms_dir() / form.form_id.replace("-", "_")
    assert form.sample.is_file()


def test_every_folder_in_forms_has_a_schema() -> None:
    folders = {p.name for p in forms_dir().iterdir() if p.is_dir()} - {"handbook", "demo"}
    assert folders == {f.form_id.replace("-", "_") for f in FORMS}


def test_every_field_has_a_chinese_label(form: FormSpec) -> None:
    models: list[type] = [form.model]
    if row := form.model.row_model():
        models.append(row)
    for model in models:
        for name, info in model.model_fields.items():
            assert info.title and any("\u4e00" <= ch <= "\u9fff" for ch in info.title), (model, name)


def test_a_field_without_label_is_refused_when_the_form_is_defined() -> None:
    with pytest.raises(TypeError, match="title"):
        class Unlabelled(FormSchema):
            nameless: str


@pytest.mark.parametrize("name", ["visit-schedule", "visit_schedule", "客户访问日程表", " 客户访问日程表 "])
def test_a_form_is_found_by_id_module_or_title(name: str) -> None:
    assert get_form(name).form_id == "visit-schedule"


def test_an_unknown_form_lists_the_known_ones() -> None:
    with pytest.raises(FormNotFoundError, match=r"未知表单：考勤表.*visit-schedule"):
        get_form("考勤表")


def test_schema_output_is_valid_json_schema(form: FormSpec) -> None:
    document = json_schema(form)
    jsonschema.Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["title"] == form.title
    data = json.loads(json.dumps(sample(form.form_id)))
    jsonschema.Draft202012Validator(document).validate(data)


def test_schema_requires_the_parts_of_the_monthly_report() -> None:
    required = json_schema(get_form("monthly-report"))["required"]
    assert {"overall_analysis", "problems", "customer_opinions", "forecast"} <= set(required)


def test_rule_findings_point_at_existing_fields(form: FormSpec) -> None:
    row_model = form.model.row_model()
    names = set(form.model.model_fields) | set(row_model.model_fields if row_model else ())
    for violation in check_record(form, sample(form.form_id), DEFAULT_POLICY).violations:
        assert set(violation.fields) <= names
