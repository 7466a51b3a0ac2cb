"""docs/ and the README: what they list of forms, fields, codes and policy keys is what the code has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from manualkit.schemas._policy import Policy
from manualkit.toolkit import docs
from manualkit.toolkit.errors import CATALOGUE
from manualkit.toolkit.registry import all_forms, all_rules

DOCS = docs.ROOT / "docs"


def test_no_generated_part_is_stale() -> None:
    assert docs.stale_files() == [], "run: python -m manualkit.toolkit.docs"


def test_a_changed_form_makes_its_pages_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = next(iter(all_forms().values()))
    monkeypatch.setattr(spec.model, "purpose", "改过的用途")
    assert docs.stale_files() == [DOCS / "forms.md"]


def test_the_pages_list_every_form_field_code_and_policy_key() -> None:
    forms, codes, policy = ((DOCS / name).read_text(encoding="utf-8") for name in ("forms.md", "codes.md", "policy.md"))
    for spec in all_forms().values():
        assert f"## {spec.title}" in forms and f"`{spec.form_id}`" in forms
        for info in spec.model.header_fields().values():
            assert f"| {info.title} |" in forms
    assert set(re.findall(r"^\| `([a-z_]+)` \|", codes, flags=re.MULTILINE)) == {e.rule.code for e in all_rules()}
    assert set(CATALOGUE) <= {e.rule.code for e in all_rules()}
    for key, info in Policy.model_fields.items():
        assert f"| `{key}` | {info.title} |" in policy


def test_every_page_is_linked_from_the_index_and_the_readme_cites_docs_not_the_spec() -> None:
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    for page in DOCS.glob("*.md"):
        assert page.name == "README.md" or f"]({page.name})" in index
    readme = (docs.ROOT / "README.md").read_text(encoding="utf-8")
    assert "interfaces.md" not in readme and "spec/" not in readme and "](docs/README.md)" in readme
    for link in re.findall(r"\]\((docs/[^)#]+)\)", readme):
        assert Path(docs.ROOT / link).is_file(), link
