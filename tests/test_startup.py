"""Start-up is paid only for what a command uses: listing commands or forms imports no model or document library."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

HEAVY = ("pydantic", "docxtpl", "openpyxl", "lxml", "docx", "yaml", "python_calamine", "markdown_it")


def _loaded_after(args: list[str]) -> tuple[str, list[str]]:
    """Return what ``manualkit ARGS`` printed and which of the heavy libraries it had imported."""
    code = ("import sys\nfrom manualkit.toolkit.cli import main\n"
            f"main({args!r})\n"
            f"print('LOADED', sorted(set({HEAVY!r}) & {{name.split('.')[0] for name in sys.modules}}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    output, _, loaded = result.stdout.rpartition("LOADED ")
    return output, ast.literal_eval(loaded)


@pytest.mark.parametrize("args", [["--help"], ["forms"], ["validate", "--help"], ["handbook", "--help"]])
def test_listing_loads_no_model_or_document_library(args: list[str]) -> None:
    output, loaded = _loaded_after(args)
    assert output.strip()
    assert loaded == []


def test_forms_lists_every_form_of_the_registry_without_importing_it() -> None:
    output, loaded = _loaded_after(["forms"])
    assert loaded == []
    from manualkit.toolkit.registry import all_forms

    width = max(len(form_id) for form_id in all_forms())
    assert output.splitlines() == [f"{spec.form_id:<{width}}  {spec.title}（{spec.clause}）"
                                   for spec in all_forms().values()]
    # what was read from the sources without importing them is what the models say
    assert [(spec.model.form_id, spec.model.form_title, spec.model.clause) for spec in all_forms().values()] == [
        (spec.form_id, spec.title, spec.clause) for spec in all_forms().values()]
