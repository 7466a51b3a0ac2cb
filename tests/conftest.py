"""Shared fixtures: the forms, their samples, and fresh copies to break."""

from __future__ import annotations

import copy
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

import manualkit.toolkit.validate.batch as batch
from manualkit.toolkit.registry import FormSpec, all_forms, get_form

FORMS = list(all_forms().values())
# Compiled templates and blank workbooks are cached (toolkit/user_cache.py): in a folder of the test run's own.
os.environ.setdefault("MANUALKIT_CACHE_DIR", tempfile.mkdtemp(prefix="manualkit-test-cache-"))


def sample(form_id: str) -> dict[str, Any]:
    """Return a fresh copy of a form's shipped sample record."""
    return copy.deepcopy(json.loads(get_form(form_id).sample.read_text(encoding="utf-8")))


@pytest.fixture(params=FORMS, ids=lambda f: f.form_id)
def form(request: pytest.FixtureRequest) -> FormSpec:
    """Each form in turn."""
    return request.param


def office_available() -> bool:
    """Return whether LibreOffice and pdftotext are here (required in CI)."""
    found = bool(shutil.which("soffice") and shutil.which("pdftotext"))
    if not found and os.environ.get("MANUALKIT_REQUIRE_OFFICE"):
        pytest.fail("LibreOffice/pdftotext missing but MANUALKIT_REQUIRE_OFFICE is set")
    return found


@pytest.fixture(scope="session")
def soffice() -> str:
    """The LibreOffice executable; skips the test when absent (fails in CI, see office_available)."""
    from manualkit.toolkit.office import find_soffice

    if not office_available():
        pytest.skip("LibreOffice 未安装")
    return find_soffice()


@pytest.fixture
def deadly(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make reading any file named ``dies*.xlsx`` kill its process, as an aborting reader would."""
    real = batch.validate_file

    def validate(path: Path, *args: object) -> batch.FileReport:
        if path.name.startswith("dies"):
            os._exit(134)
        return real(path, *args)

    monkeypatch.setattr(batch, "validate_file", validate)
