"""The handbook's chapter sources: Markdown with three placeholders, rendered strictly.

A chapter is ``forms/handbook/NN-name.md``. Its text may use three placeholders,
each written on one line (``forms/handbook/README.txt`` documents them for editors):

- ``{{ policy.<key> }}``: a number or list of the ``Policy`` (``30``, ``周六、周日``);
- ``{{ form('<form id>') }}``: the form's Chinese title, linked to its appendix;
- ``{{ field('<form id>', '<field name>') }}``: the Chinese label of a field.

A heading may end in ``{#id}``, its anchor for links ``[text](#id)``.

Rendering is strict: anything else between ``{{`` and ``}}``, or an unknown
form, field or policy key, raises ``HandbookError`` naming the file and line.
Placeholders never add or remove lines, so a line of the rendered Markdown is
the same line of the source file. (A regular expression per line rather than a
template engine: the syntax stays exactly the documented one, and it is fast.)
"""

from __future__ import annotations

import re
from pathlib import Path

from manualkit.schemas._policy import Policy
from manualkit.toolkit.errors import FormNotFoundError, HandbookError
from manualkit.toolkit.handbook.chapter import Chapter
from manualkit.toolkit.registry import FormSpec, all_forms, get_form

CHAPTER_PATTERN = "[0-9][0-9]-*.md"
_CHAPTER_ANCHOR = re.compile(r"#[^#\n][^\n]*\{#([\w-]+)\}\s*$", re.MULTILINE)
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>|#])")


def escape_markdown(text: str) -> str:
    """Return ``text`` with the characters Markdown would read as syntax escaped."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def form_anchor(spec: FormSpec) -> str:
    """Return the id of the heading of a form's appendix, e.g. ``form-visit-schedule``."""
    return f"form-{spec.form_id}"


def form_link(spec: FormSpec) -> str:
    """Return the Markdown link from a form's title to its appendix."""
    return f"[{escape_markdown(spec.title)}](#{form_anchor(spec)})"


def policy_text(policy: Policy, key: str) -> str:
    """Return the policy value ``key`` as the handbook prints it.

    Raises:
        KeyError: the policy has no such key.
    """
    return policy.text(key)


class _Problem(Exception):  # noqa: N818 - internal signal, becomes a HandbookError
    """A placeholder that names something unknown; the message is Chinese."""


_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}")
_QUOTED = r"""\s*(?:'([^']*)'|"([^"]*)")\s*"""
_FORMS = {
    "policy": re.compile(r"\s*policy\.(\w+)\s*"),
    "form": re.compile(rf"\s*form\({_QUOTED}\)\s*"),
    "field": re.compile(rf"\s*field\({_QUOTED},{_QUOTED}\)\s*"),
}
_SYNTAX = "{{ policy.参数名 }}、{{ form('表单编号') }}、{{ field('表单编号', '字段名') }}"


def load_chapters(folder: Path, policy: Policy) -> list[Chapter]:
    """Return the rendered chapters of ``folder`` in file-name order.

    Raises:
        HandbookError: the folder has no chapters, or a chapter does not render;
            the message names the file and line.
    """
    paths = sorted(folder.glob(CHAPTER_PATTERN))
    if not paths:
        raise HandbookError(f"手册源文件夹 {folder} 中没有章节文件（{CHAPTER_PATTERN}）")
    return [Chapter(str(path), _with_workflows(render_placeholders(_read(path), policy, str(path)), policy))
            for path in paths]


def _with_workflows(markdown: str, policy: Policy) -> str:
    """Return a chapter with the sections the forms declare for it (``FormSchema.workflow``) appended.

    The chapter is known by its title's anchor (``# 工作流程 {#workflows}``); a form's section
    follows the hand-written ones, in the order of the forms. Appending keeps each line of the
    chapter's source where it was, so an error in the source still names its line.
    """
    anchor = _CHAPTER_ANCHOR.match(markdown)
    if anchor is None:
        return markdown
    sections = [
        render_placeholders(_read(path).strip(), policy, str(path))
        for form in all_forms().values()
        if (workflow := form.model.workflow) is not None and workflow.chapter == anchor[1]
        for path in (form.folder / workflow.file,)
    ]
    return "\n\n".join([markdown.rstrip("\n"), *sections]) + "\n" if sections else markdown


def workflow_files() -> list[Path]:
    """Return the section file of every form that declares one: what ``load_chapters`` may take in."""
    return [form.folder / workflow.file
            for form in all_forms().values() if (workflow := form.model.workflow) is not None]


def render_placeholders(text: str, policy: Policy, origin: str) -> str:
    """Return ``text`` with every placeholder replaced, line by line.

    Raises:
        HandbookError: a placeholder is malformed or names an unknown policy key,
            form or field; the message names ``origin`` and the line.
    """
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if "{{" not in line and "}}" not in line:
            continue
        try:
            lines[number - 1] = _render_line(line, policy)
        except _Problem as exc:
            raise HandbookError(f"{origin} 第 {number} 行：{exc}") from None
    return "\n".join(lines)


def _render_line(line: str, policy: Policy) -> str:
    rendered = _PLACEHOLDER.sub(lambda match: _placeholder(match[1], policy), line)
    if "{{" in rendered or "}}" in rendered:
        raise _Problem(f"占位符语法错误：“{{{{”与“}}}}”应在同一行成对出现；可用的占位符：{_SYNTAX}")
    return rendered


def _placeholder(expression: str, policy: Policy) -> str:
    if match := _FORMS["policy"].fullmatch(expression):
        return _policy(policy, match[1])
    if match := _FORMS["form"].fullmatch(expression):
        return form_link(_lookup_form(_argument(match, 1)))
    if match := _FORMS["field"].fullmatch(expression):
        return _field(_argument(match, 1), _argument(match, 3))
    name = expression.strip().split("(")[0].strip()
    if name and name.split(".")[0] not in _FORMS:
        raise _Problem(f"未知的占位符：{{{{{expression}}}}}；可用的占位符：{_SYNTAX}")
    raise _Problem(f"占位符语法错误：{{{{{expression}}}}}；应写作 {_SYNTAX}")


def _argument(match: re.Match[str], group: int) -> str:
    """Return a quoted argument, whichever quotes it was written in."""
    return match[group] if match[group] is not None else match[group + 1]


def _policy(policy: Policy, key: str) -> str:
    try:
        return escape_markdown(policy_text(policy, key))
    except KeyError:
        raise _Problem(f"未知的政策项“{key}”，可用的有：{'、'.join(Policy.model_fields)}") from None


def _field(form_name: str, field_name: str) -> str:
    model = _lookup_form(form_name).model
    for owner in (model, model.row_model()):
        if owner is not None and field_name in owner.model_fields:
            return escape_markdown(owner.label(field_name))
    raise _Problem(f"表单“{model.form_title}”没有字段“{field_name}”")


def _lookup_form(name: str) -> FormSpec:
    try:
        return get_form(name)
    except FormNotFoundError as exc:
        raise _Problem(str(exc)) from None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise HandbookError(f"{path}：不是 UTF-8 编码的文本") from exc
