"""``manualkit new-form``: start a form from a working stub, as README's "新增一个表单" describes.

It writes the one new module (``schemas/<module>.py``) and the one new folder
(``forms/<module>/``: sample, rule case, work-flow section, Word template and,
in a source checkout with its tests, the goldens). Nothing else is touched: the
registry finds the form, and ``python -m manualkit.toolkit.docs`` regenerates the tables
that list it. The stub has a few example fields and one example rule in the
catalogue's style, so every contract test passes before the contributor edits it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from manualkit import schemas
from manualkit.toolkit.errors import SetupError, ToolkitError
from manualkit.toolkit.paths import forms_dir
from manualkit.toolkit.registry import all_forms, get_form
from manualkit.toolkit.render.scaffold import write_template

FORM_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
CLAUSE = re.compile(r"\d")  # the registry orders forms by the numbers of their clause

SCHEMA = '''"""{title}: {title_note}（{clause}）."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from manualkit.schemas._base import ERROR, Duty, FormSchema, Rule, RuleSet, Violation, Workflow
from manualkit.schemas._policy import Policy
from manualkit.schemas._types import Date, LongText, OptDate, OptText, Text


class {class_name}(FormSchema):
    """{title}: replace the example fields and rule with the form's own."""

    form_id: ClassVar[str] = "{form_id}"
    form_title: ClassVar[str] = "{title}"
    clause: ClassVar[str] = "{clause}"
    purpose: ClassVar[str] = "（请写一句话：这张表单做什么用，谁在什么时候填写。）"
    file_name_fields: ClassVar[tuple[str, ...] | None] = ("manager", "customer_name", "filled_on")

    manager: Text = Field(title="客户经理")
    filled_on: Date = Field(title="填写日期")
    customer_name: OptText = Field(None, title="客户名称")
    details: LongText = Field(title="情况说明")
    due_on: OptDate = Field(None, title="要求完成日期")

    rules: ClassVar[RuleSet] = RuleSet(
        due_after_filling=Rule(
            "date_order", ERROR, "要求完成日期在填写之后", "{clause}", "要求完成日期不得早于填写日期"),
    )
    duties: ClassVar[tuple[Duty, ...]] = (
        Duty("填写{title}", "（频次或期限）", "{clause}"),
    )
    workflow: ClassVar[Workflow | None] = Workflow()  # forms/{module}/workflow.md, in 第三章

    def check(self, policy: Policy) -> list[Violation]:
        """Return the form's findings: here, the example rule."""
        found = super().check(policy)
        if self.filled_on and self.due_on and self.due_on < self.filled_on:
            found.append(self.rules.due_after_filling(
                f"要求完成日期（{{self.due_on}}）早于填写日期（{{self.filled_on}}）", "due_on", "filled_on"))
        return found
'''

SAMPLE = {
    "manager": "张伟",
    "filled_on": "2026-11-10",
    "customer_name": "红星食杂店",
    "details": "（示例）走访中了解到的情况，按实际填写。",
    "due_on": "2026-11-13",
}

CASES = '''# Each rule of this form broken once (tests/test_validate_rules.py): `set` changes the sample by dotted
# path, `expect` lists [cell, row, field, code, severity, clause].
- name: 要求完成日期早于填写日期
  set: {{due_on: "2026-11-09"}}
  expect:
  - [B7, 7, due_on, date_order, error, "{clause}"]
- name: 填写日期写错
  set: {{filled_on: 11月10日, due_on: null}}
  expect:
  - [B4, 4, filled_on, invalid_date, error, "{clause}"]
'''

WORKFLOW = '''## {title}的填写 {{#flow-{form_id}}}

（请写明这张表单在工作流程中的位置：谁、何时填写，交给谁，怎样处理。）

1. **填写**。客户经理填写{{{{ form('{form_id}') }}}}，写明{{{{ field('{form_id}', 'details') }}}}。
2. **期限**。需要限期办理的，写明{{{{ field('{form_id}', 'due_on') }}}}，不早于填写日期。
'''


class NewFormError(ToolkitError):
    """The id is malformed or taken, or the title or clause unusable: a usage error (exit 2)."""


@dataclass(frozen=True, slots=True)
class NewForm:
    """What ``new_form`` wrote: the module, the folder and its files."""

    module: Path
    folder: Path
    files: tuple[Path, ...]
    goldens: bool  # whether the goldens were written (only in a source checkout with its tests)


def new_form(form_id: str, title: str, clause: str) -> NewForm:
    """Write a working stub of form ``form_id`` into the source tree.

    Raises:
        NewFormError: the id is malformed or taken, the title or clause is empty, or
            the toolkit is installed without its source tree.
    """
    module_name = form_id.replace("-", "_")
    module = Path(schemas.__file__).resolve().parent / f"{module_name}.py"
    folder = forms_dir() / module_name
    _refuse(form_id, title, clause, module, folder)
    folder.mkdir(parents=True)
    try:
        module.write_text(SCHEMA.format(
            form_id=form_id, title=title, clause=clause, module=module_name,
            class_name="".join(part.title() for part in form_id.split("-")),
            title_note="stub written by manualkit new-form"), encoding="utf-8")
        (folder / "sample.json").write_text(
            json.dumps(SAMPLE, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        (folder / "cases.yaml").write_text(CASES.format(clause=clause), encoding="utf-8")
        (folder / "workflow.md").write_text(WORKFLOW.format(form_id=form_id, title=title), encoding="utf-8")
        all_forms.cache_clear()
        write_template(get_form(form_id))
        goldens = _write_goldens(form_id)
    except BaseException:
        module.unlink(missing_ok=True)  # a half-made form would break every command: leave nothing behind
        shutil.rmtree(folder, ignore_errors=True)
        all_forms.cache_clear()
        raise
    return NewForm(module, folder, tuple(sorted(p for p in folder.rglob("*") if p.is_file())), goldens)


def _refuse(form_id: str, title: str, clause: str, module: Path, folder: Path) -> None:
    if not FORM_ID.match(form_id):
        raise NewFormError(f"表单编号“{form_id}”不合要求：只用小写英文字母、数字和连字符，以字母开头，如 store-check")
    if form_id in all_forms() or module.exists() or folder.exists():
        raise NewFormError(f"表单编号 {form_id} 已经存在（{module.name} 或 forms/{folder.name}/），请换一个编号")
    if not title.strip():
        raise NewFormError("请用 --title 写明表单的中文名称")
    if not CLAUSE.search(clause):
        raise NewFormError(f"手册条款“{clause}”中没有条款号，应写成 §4.1.2 或 002 2232 这样")
    if not (module.parent.parent / "toolkit").is_dir() or folder.parent.parent.name == "toolkit":
        raise NewFormError("new-form 只能在 manualkit 的源码目录中使用（安装后的包中没有 schemas/ 和 forms/ 源文件）")


def _write_goldens(form_id: str) -> bool:
    """Write the goldens by running the golden tests for this form, as README's step 2 says; ``False`` without tests."""
    root = Path(schemas.__file__).resolve().parent.parent
    tests = root / "tests" / "render"
    if not tests.is_dir():
        return False
    env = {**os.environ, "MANUALKIT_REGEN_GOLDENS": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
         str(tests / "test_docx.py"), str(tests / "test_xlsx.py"), "-k", f"golden and {form_id}"],
        cwd=root, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SetupError(f"生成 {form_id} 的金样失败：\n{done.stdout[-3000:]}{done.stderr[-2000:]}")
    return True
