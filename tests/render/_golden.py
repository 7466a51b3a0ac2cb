"""Golden files: what a person reads, stored as text and compared line by line.

A form's goldens live in its own folder (``forms/<form>/goldens/``), so that adding a form
adds its folder and touches no test. Set ``MANUALKIT_REGEN_GOLDENS=1`` to rewrite them;
review the diff like code.
"""

from __future__ import annotations

import difflib
import os
from typing import Any

import pytest
import yaml

from manualkit.toolkit.registry import FormSpec


def check_golden(form: FormSpec, name: str, text: str) -> None:
    """Fail with a diff unless ``text`` equals ``form``'s golden file ``name``."""
    path = form.folder / "goldens" / name
    if os.environ.get("MANUALKIT_REGEN_GOLDENS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    if not path.is_file():
        pytest.fail(f"golden {path} missing; run with MANUALKIT_REGEN_GOLDENS=1 to create it")
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True), "golden", "now"))
        pytest.fail(f"{name} differs from its golden:\n{diff[:6000]}")


def as_yaml(data: Any) -> str:
    """Return ``data`` as readable YAML (Chinese kept as it is)."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)
