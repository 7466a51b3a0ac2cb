"""``manualkit new-form``: README's "新增一个表单" followed in a copy of the project, counting what it changes.

The promise: a new form is one new module and one new folder; ``python -m manualkit.toolkit.docs`` then rewrites
only the generated parts of README and docs/; and the new form passes the contract tests at once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``args`` in ``cwd``; in a copy of the project, ``manualkit`` is imported from the copy (its ``.dev``)."""
    env = {key: value for key, value in os.environ.items() if key not in ("MANUALKIT_FORMS", "PYTHONPATH")}
    if (cwd / ".dev").is_dir():
        env["PYTHONPATH"] = str(cwd / ".dev")
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a git repository holding a copy of the project's files as they are now."""
    copy = tmp_path_factory.mktemp("project")
    listed = run("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT).stdout
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_symlink():  # .dev/manualkit, the checkout's import root
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            (copy / name).symlink_to(os.readlink(source))
        elif source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            (copy / name).write_bytes(source.read_bytes())
    for step in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "before"]):
        assert run("git", *step, cwd=copy).returncode == 0
    return copy


def test_new_form_adds_one_module_and_one_folder_that_pass_the_contract_tests(project: Path) -> None:
    made = run(sys.executable, "-m", "manualkit", "new-form", "shop-survey", "--title", "客户经营情况调查表",
               "--clause", "§4.8", cwd=project)
    assert made.returncode == 0, made.stdout + made.stderr
    docs = run(sys.executable, "-m", "manualkit.toolkit.docs", cwd=project)
    assert docs.returncode == 0, docs.stderr

    status = run("git", "status", "--porcelain", "--untracked-files=all", cwd=project).stdout.splitlines()
    new = sorted(line[3:] for line in status if line.startswith("??"))
    changed = sorted(line[3:] for line in status if not line.startswith("??"))
    assert {path.split("/")[0] + "/" + path.split("/")[1] for path in new} == {
        "schemas/shop_survey.py", "forms/shop_survey"}
    assert sorted(p.rpartition("/")[2] for p in new if p.startswith("forms/")) == [
        "blank.docx.txt", "blank.xlsx.yml", "cases.yaml", "filled.docx.txt", "filled.xlsx.yml",
        "sample.json", "template.docx", "workflow.md"]
    assert changed and all(path == "README.md" or path.startswith("docs/") for path in changed), changed
    diff = run("git", "diff", "-U0", cwd=project).stdout
    assert "客户经营情况调查表" in diff
    for path in changed:  # every changed line lies inside a generated block
        _assert_only_generated(project / path, run("git", "show", f"HEAD:{path}", cwd=project).stdout)

    pytest_args = (sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider")
    per_form = run(*pytest_args, "tests/test_validate_rules.py", "tests/render/test_docx.py",
                   "tests/render/test_xlsx.py", "tests/test_schemas.py", "-k", "shop-survey", "-vv", cwd=project)
    assert per_form.returncode == 0, per_form.stdout[-4000:]
    passed = [line.split("::")[1].split(" ")[0] for line in per_form.stdout.splitlines() if " PASSED" in line]
    assert sum(test.startswith("test_each_rule_is_found_at_its_cell_with_its_clause[shop-survey-")
               for test in passed) == 2  # the cases.yaml it wrote: the example rule and a mistyped date
    assert {"test_blank_document_matches_golden[shop-survey]", "test_filled_workbook_matches_golden[shop-survey]"} \
        <= set(passed)
    whole = run(*pytest_args, "tests/test_registry.py", "tests/test_docs.py",
                "tests/handbook/test_handbook_content.py", cwd=project)
    assert whole.returncode == 0, whole.stdout[-4000:]


def _assert_only_generated(path: Path, before: str) -> None:
    """Fail unless ``path`` differs from ``before`` only between generated markers."""
    def outside(text: str) -> list[str]:
        kept, inside = [], False
        for line in text.splitlines():
            if line.startswith("<!-- generated:"):
                inside = True
            if not inside:
                kept.append(line)
            if line.startswith("<!-- end generated"):
                inside = False
        return kept
    assert outside(path.read_text(encoding="utf-8")) == outside(before), path


@pytest.mark.parametrize(("form_id", "said"), [
    ("liaison-sheet", "已经存在"),
    ("Shop_Survey", "不合要求"),
    ("2nd-form", "不合要求"),
])
def test_new_form_refuses_a_taken_or_malformed_id(project: Path, form_id: str, said: str) -> None:
    refused = run(sys.executable, "-m", "manualkit", "new-form", form_id, "--title", "某表", "--clause", "§4.9",
                  cwd=project)
    assert refused.returncode == 2
    assert said in refused.stderr and "Traceback" not in refused.stderr
