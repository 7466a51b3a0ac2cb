"""The handbook's chapter sources: Jinja2 placeholders over Markdown, rendered strictly.

A chapter is ``forms/handbook/NN-name.md``. Its text may use three placeholders,
and nothing else from Jinja is offered:

- ``{{ policy.<key> }}``: a number or list of the ``Policy`` (``30``, ``周六、周日``);
- ``{{ form('<form id>') }}``: the form's Chinese title, linked to its appendix;
- ``{{ field('<form id>', '<field name>') }}``: the Chinese label of a field.

A heading may end in ``{#id}``, its anchor for links ``[text](#id)``; Jinja's
comments are therefore written ``{## ... ##}``.

Rendering is strict: an unknown name, form, field or policy key raises
``HandbookError`` naming the file and line. Placeholders never add or remove
lines, so a line of the rendered Markdown is the same line of the source file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2

from schemas._policy import Policy
from toolkit.errors import FormNotFoundError, HandbookError
from toolkit.registry import FormSpec, get_form

CHAPTER_PATTERN = "[0-9][0-9]-*.md"
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>|#])")

# Policy values that read better as words than as Python values.
_BOOLEAN_TEXT = {
    "report_due_postpone_holidays": (
        "截止日遇周末或法定节假日顺延至其后的第一个工作日",
        "截止日遇周末或法定节假日不顺延",
    ),
}


@dataclass(frozen=True, slots=True)
class Chapter:
    """One chapter's Markdown, ready to parse, and where it came from.

    ``origin`` names the source in error messages: a file path, or a description
    of a generated chapter. ``appendix`` chapters are lettered, not numbered.
    """

    origin: str
    markdown: str
    appendix: bool = False


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
    if key not in Policy.model_fields:
        raise KeyError(key)
    value = getattr(policy, key)
    if key == "schedule_prepared_weekdays":
        return policy.weekday_names()
    if isinstance(value, bool):
        yes, no = _BOOLEAN_TEXT.get(key, ("是", "否"))
        return yes if value else no
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    return str(value)


class _Problem(Exception):  # noqa: N818 - internal signal, becomes a HandbookError
    """A placeholder that names something unknown; the message is Chinese."""


class _PolicyView:
    """``policy.<key>`` in a chapter: the formatted value, or a clear failure."""

    def __init__(self, policy: Policy) -> None:
        self._policy = policy

    def __getattr__(self, key: str) -> str:
        try:
            return escape_markdown(policy_text(self._policy, key))
        except KeyError:
            known = "、".join(Policy.model_fields)
            raise _Problem(f"未知的政策项“{key}”，可用的有：{known}") from None


def _form(name: str) -> str:
    return form_link(_lookup_form(name))


def _field(form_name: str, field_name: str) -> str:
    model = _lookup_form(form_name).model
    for owner in (model, model.row_model()):
        if owner is not None and field_name in owner.model_fields:
            return escape_markdown(owner.label(field_name))
    raise _Problem(f"表单“{model.form_title}”没有字段“{field_name}”")


def _lookup_form(name: str) -> FormSpec:
    try:
        return get_form(str(name))
    except FormNotFoundError as exc:
        raise _Problem(str(exc)) from None


def _environment(folder: Path, policy: Policy) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder, encoding="utf-8"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown; markdown-it escapes for HTML
        keep_trailing_newline=True,
        # ``{#id}`` after a heading is its anchor (pandoc's syntax), not a Jinja comment.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    placeholders: dict[str, Callable[..., str] | _PolicyView] = {
        "policy": _PolicyView(policy), "form": _form, "field": _field,
    }
    env.globals.update(placeholders)
    return env


def load_chapters(folder: Path, policy: Policy) -> list[Chapter]:
    """Return the rendered chapters of ``folder`` in file-name order.

    Raises:
        HandbookError: the folder has no chapters, or a chapter does not render;
            the message names the file and line.
    """
    paths = sorted(folder.glob(CHAPTER_PATTERN))
    if not paths:
        raise HandbookError(f"手册源文件夹 {folder} 中没有章节文件（{CHAPTER_PATTERN}）")
    env = _environment(folder, policy)
    return [Chapter(str(path), _render(env, path)) for path in paths]


def _render(env: jinja2.Environment, path: Path) -> str:
    try:
        template = env.get_template(path.name)
    except jinja2.TemplateSyntaxError as exc:
        raise HandbookError(f"{path} 第 {exc.lineno} 行：占位符语法错误：{exc.message}") from exc
    except UnicodeDecodeError as exc:
        raise HandbookError(f"{path}：不是 UTF-8 编码的文本") from exc
    try:
        return template.render()
    except (_Problem, jinja2.UndefinedError) as exc:
        line = _template_line(exc.__traceback__, template.filename)
        reason = str(exc) if isinstance(exc, _Problem) else f"未知的占位符：{exc}"
        raise HandbookError(f"{path} 第 {line} 行：{reason}") from exc
    except (TypeError, jinja2.TemplateError) as exc:  # e.g. form() called without a name
        line = _template_line(exc.__traceback__, template.filename)
        raise HandbookError(f"{path} 第 {line} 行：占位符用法有误：{exc}") from exc


def _template_line(trace: TracebackType | None, filename: str | None) -> Any:
    """Return the template line of the innermost frame of ``filename`` in a traceback.

    Jinja rewrites tracebacks so that template frames carry the template's own
    file name and line numbers.
    """
    line: int | str = "?"
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == filename:
            line = trace.tb_lineno
        trace = trace.tb_next
    return line
