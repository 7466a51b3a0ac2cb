"""A form's JSON Schema (draft 2020-12), for other systems to reuse our definitions."""

from __future__ import annotations

from typing import Any

from manualkit.toolkit.registry import FormSpec

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(form: FormSpec) -> dict[str, Any]:
    """Return the JSON Schema of ``form`` with Chinese titles and our metadata."""
    model = form.model
    schema = model.model_json_schema(mode="validation")
    required = [*schema.get("required", []), *model.completion_required]
    return {
        "$schema": DIALECT,
        "$id": f"urn:manualkit:form:{form.form_id}:v{model.version}",
        **schema,
        "title": model.form_title,
        "description": model.purpose,
        "required": list(dict.fromkeys(required)),
        "x-form-id": form.form_id,
        "x-clause": model.clause,
        "x-version": model.version,
    }
