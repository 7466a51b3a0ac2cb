"""Start-up is paid only for what a command uses: listing commands or forms imports no model or document library."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import sample

HEAVY = ("pydantic", "docxtpl", "openpyxl", "lxml", "docx", "yaml", "python_calamine", "markdown_it")


def _loaded_after(args: list[str]) -> tuple[str, list[str]]:
    """Return what ``manualkit ARGS`` printed and which of the heavy libraries it had imported."""
    output, modules = _modules_after(args)
    return output, sorted(set(HEAVY) & {name.split(".")[0] for name in modules})


def _modules_after(args: list[str]) -> tuple[str, list[str]]:
    """Return what ``manualkit ARGS`` printed and every module it had imported."""
    code = ("import sys\nfrom manualkit.toolkit.cli import main\n"
            f"main({args!r})\n"
            "print('LOADED', sorted(sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    output, _, loaded = result.stdout.rpartition("LOADED ")
    return output, ast.literal_eval(loaded)


def _commands_loaded(modules: list[str]) -> list[str]:
    prefix = "manualkit.toolkit.cli."
    return sorted(name.removeprefix(prefix) for name in modules
                  if name.startswith(prefix) and not name.removeprefix(prefix).startswith("_"))


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


def test_a_command_imports_no_other_commands_module(tmp_path: Path) -> None:
    records = tmp_path / "records.json"
    records.write_text(json.dumps([sample("sign-in-book")], ensure_ascii=False), encoding="utf-8")
    out = str(tmp_path / "out")
    _, filled = _modules_after(["fill", "sign-in-book", str(records), "--format", "docx", "-o", out])
    _, built = _modules_after(["handbook", "--format", "html", "-o", out])
    _, helped = _modules_after(["blank", "--help"])
    assert (_commands_loaded(filled), _commands_loaded(built), _commands_loaded(helped)) == (
        ["fill"], ["handbook"], ["blank"])
    assert "yaml" not in {name.split(".")[0] for name in filled}  # JSON data needs no YAML parser


def test_filling_from_the_cached_template_needs_no_holiday_tables_or_html_entities(tmp_path: Path) -> None:
    records = tmp_path / "records.json"
    records.write_text(json.dumps([sample("sign-in-book")], ensure_ascii=False), encoding="utf-8")
    args = ["fill", "sign-in-book", str(records), "--format", "docx", "-o", str(tmp_path / "out")]
    _modules_after(args)  # compiles the template into the cache (that imports html, for its entities)
    _, filled = _modules_after(args)
    assert {"chinese_calendar", "html"}.isdisjoint(name.split(".")[0] for name in filled)


def test_the_top_help_still_lists_every_command() -> None:
    from manualkit.toolkit.cli import cli

    _, modules = _modules_after(["--help"])
    assert _commands_loaded(modules) == sorted(name.replace("-", "_") for name in cli.commands)
