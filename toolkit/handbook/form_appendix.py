"""The generated appendices: one per form from its schema, and the finding codes.

Each form's appendix shows its purpose and clause, the blank form's layout (its
header block and the header row of its table) and a table of its fields, all read
from the schema, so a new form gets its appendix without any change here. The
last appendix lists how each kind of field is filled in and every code of
``manualkit.toolkit.errors.CATALOGUE``.
"""

from __future__ import annotations

from typing import Any, get_args

import annotated_types
from pydantic.fields import FieldInfo

from manualkit.schemas._base import FIELD_RULES, FormSchema, Severity, field_kind, field_options
from manualkit.schemas._policy import Policy
from manualkit.schemas._rules import SEVERITY_WORDS
from manualkit.toolkit.catalogue import FORM_CLAUSE, NO_CLAUSE, clause_text
from manualkit.toolkit.errors import CATALOGUE
from manualkit.toolkit.handbook.chapter import Chapter
from manualkit.toolkit.handbook.chapter_sources import escape_markdown, form_anchor
from manualkit.toolkit.registry import CatalogueEntry, FormSpec, all_forms

CODES_ANCHOR = "codes"
_KINDS = {  # kind -> (name, how it is filled in)
    "text": ("文字", "照实填写，不能只填空格"),
    "longtext": ("文字（可多行）", "照实填写，可以写多句话"),
    "code": ("编码", "只能包含数字和字母，如 310101001；在 Excel 中当作文字保存，开头的 0 不会丢失"),
    "number": ("数字", "填阿拉伯数字，可用全角数字；不写单位"),
    "date": ("日期", "2026-11-05，也可写 2026/11/5、2026.11.5 或 2026年11月5日"),
    "time": ("时间", "09:05，也可写 9:05 或 9点05"),
    "datetime": ("日期时间", "日期和时间之间空一格，如 2026-11-05 09:30"),
    "month": ("年月", "2026-11，也可写 2026年11月"),
    "choice": ("单选", "从下拉框或“可选值”中选一项，文字要完全一致"),
    "choices": ("多选", "从“可选值”中选一项或几项，用顿号“、”分隔；也可用逗号“,”“，”、分号“;”“；”或斜杠“/”"),
    "signature": ("签名", "本人手写签名；电子表格中填写姓名"),
    "phone": ("电话号码", "11 位手机号码，或带区号的固定电话，如 0571-87654321"),
    "bool": ("是/否", "填“是”或“否”（√、×、Y、N 也可以）"),
}
_LAYOUT_COLUMNS = 2  # label/blank pairs per line of the header block


def form_chapters(policy: Policy, *, with_rules: bool = True) -> list[Chapter]:
    """Return one appendix chapter per form, in the manual's order; its rules state ``policy``'s values.

    ``with_rules=False`` leaves the rules section out, for a page that shows the rules its own way.
    """
    return [Chapter(f"（自动生成：{spec.title}附录）", _form_markdown(spec, policy, with_rules), appendix=True)
            for spec in all_forms().values()]


def codes_chapter() -> Chapter:
    """Return the appendix of field formats and finding codes."""
    used = {field_kind(info) for spec in all_forms().values() for info in _all_fields(spec)}
    kinds = [kind for kind in _KINDS if kind in used]
    lines = [
        f"# 填写格式与问题代码 {{#{CODES_ANCHOR}}}",
        "",
        "提交的电子表格由系统逐项校验，一次列出全部问题。本附录说明各类栏目的填写格式，以及校验结果中各个问题代码的含义。",
        "",
        "## 填写格式",
        "",
        "| 类型 | 填写方法 |",
        "|---|---|",
        *[f"| {_KINDS[kind][0]} | {_KINDS[kind][1]} |" for kind in kinds],
        "",
        "## 问题代码",
        "",
        "校验结果中的每个问题都有一个代码。级别为“错误”的，表单不能通过，必须改正后重新提交；"
        "级别为“警告”的，表单可以通过，但市场经理会关注。",
        "",
        "| 代码 | 名称 | 级别 | 依据 | 含义 |",
        "|---|---|---|---|---|",
        *[f"| `{t.code}` | {t.title} | {_severity(t.severity)} | "
          f"{escape_markdown(clause_text(CatalogueEntry(None, t)))} | {escape_markdown(t.text)} |"
          for t in CATALOGUE.values()],
        "",
        f"“依据”为“{FORM_CLAUSE}”的问题，以所填表单附录中的条款为依据；为“{NO_CLAUSE}”的问题关于文件本身"
        "（无法读取、模板版本等），不引用手册条款。"
        "各表单自己的规则（代码、级别、依据的条款）见该表单附录的“校验规则”。",
        "",
    ]
    return Chapter("（自动生成：问题代码附录）", "\n".join(lines), appendix=True)


def _form_markdown(spec: FormSpec, policy: Policy, with_rules: bool) -> str:
    model = spec.model
    orientation = "A4 横向" if model.landscape else "A4 纵向"
    lines = [
        f"# {escape_markdown(spec.title)} {{#{form_anchor(spec)}}}",
        "",
        f"**用途**：{escape_markdown(model.purpose)}",
        "",
        f"**依据**：岗位手册 {spec.clause}。**纸张**：{orientation}。"
        f"**表单编号**：`{spec.form_id}`（生成空白表、校验时使用）。",
        "",
        "## 表单样式",
        "",
        *_layout(model),
        "## 表头栏目" if model.rows_field else "## 栏目说明",
        "",
        *_field_table(model, model.header_fields(), policy, with_derived=True),
    ]
    if row_model := model.row_model():
        title = model.model_fields[str(model.rows_field)].title
        lines += [f"## 明细栏目：{title}", "", "明细表格每行一条，以下栏目为各列的列标题。", "",
                  *_field_table(model, row_model.model_fields, policy, with_derived=False)]
    return "\n".join([*lines, *(_rules_section(model, policy) if with_rules else [])])


def _rules_section(model: type[FormSchema], policy: Policy) -> list[str]:
    """Return the rules the validator checks on this form: the field rules, then the form's own rules.

    Generated from the rule catalogue (``FormSchema.rules`` and ``FIELD_RULES``), with each rule's
    severity and the manual's clause it enforces, so the handbook states what is enforced and only that.
    """
    clauses = "、".join(dict.fromkeys([model.clause, *model.field_clauses.values()]))
    values = policy.texts()
    field_rows = [f"| {rule.title} | {_severity(rule.severity)} | {clauses} | {escape_markdown(rule.text)}"
                  f"（代码 `{rule.code}`） |" for rule in FIELD_RULES]
    form_rows = [f"| {rule.title} | {_severity(rule.severity)} | {rule.clause} | "
                 f"{escape_markdown(rule.describe(values))}（代码 `{rule.code}`） |" for rule in model.catalogue()]
    return [
        "",
        "## 校验规则",
        "",
        "提交的表格按下列规则校验，每个问题都注明依据的手册条款。级别为“错误”的须改正后重新提交；"
        "为“警告”的表格可以通过，由市场经理关注。前几行是各栏目按上表填写的要求，其后是本表单自己的规则。",
        "",
        "| 规则 | 级别 | 依据 | 要求 |",
        "|---|---|---|---|",
        *field_rows,
        *form_rows,
        "",
    ]


def _layout(model: type[FormSchema]) -> list[str]:
    """Return the blank form as tables: the header block, then the table's header row."""
    lines = [f"空白表单的标题为“{escape_markdown(model.form_title)}”，表头各栏如下：", "",
             "| 栏目 | 填写 | 栏目 | 填写 |", "|---|---|---|---|", *_header_block(model), ""]
    if row_model := model.row_model():
        labels = [escape_markdown(info.title or name) for name, info in row_model.model_fields.items()]
        lines += ["表头下面是明细表格，列标题如下，每行填写一条：", "",
                  "| " + " | ".join(labels) + " |", "|" + "---|" * len(labels),
                  *["|" + "  |" * len(labels)] * 2, ""]
    return lines


def _header_block(model: type[FormSchema]) -> list[str]:
    """Return the header block's lines: short fields two to a line, long text alone."""
    lines: list[str] = []
    pending: list[str] = []
    cells = [(info.title or name, "", field_kind(info) == "longtext") for name, info in model.header_fields().items()]
    cells += [(label, "（自动显示）", False) for label in model.derived.values()]
    for label, content, alone in cells:
        if alone or len(pending) == 2 * _LAYOUT_COLUMNS:
            lines += _layout_line(pending)
            pending = []
        pending += [escape_markdown(label), content]
        if alone:
            lines += _layout_line(pending)
            pending = []
    return lines + _layout_line(pending)


def _layout_line(cells: list[str]) -> list[str]:
    if not cells:
        return []
    cells = cells + [""] * (2 * _LAYOUT_COLUMNS - len(cells))
    return ["| " + " | ".join(cells) + " |"]


def _field_table(model: type[FormSchema], fields: dict[str, FieldInfo], policy: Policy, *,
                 with_derived: bool) -> list[str]:
    rows = [
        f"| {escape_markdown(info.title or name)} | {_KINDS[field_kind(info)][0]} | "
        f"{_required(model, name, info)} | {escape_markdown('、'.join(_options(info, policy)))} | "
        f"{escape_markdown('；'.join(_rules(info)))} |"
        for name, info in fields.items() if name != model.rows_field
    ]
    if with_derived:
        rows += [f"| {escape_markdown(label)} | 自动显示 | — |  | 根据已填内容自动生成，不用填写 |"
                 for label in model.derived.values()]
    return ["| 栏目 | 类型 | 必填 | 可选值 | 填写要求 |", "|---|---|---|---|---|", *rows, ""]


def _all_fields(spec: FormSpec) -> list[FieldInfo]:
    row_model = spec.model.row_model()
    return [*spec.model.header_fields().values(), *(row_model.model_fields.values() if row_model else ())]


def _required(model: type[FormSchema], name: str, info: FieldInfo) -> str:
    if name in model.completion_required:
        return "定稿必填"
    if info.is_required():
        return "必填"
    return "视情况" if "必填" in (info.description or "") else "选填"


def _options(info: FieldInfo, policy: Policy) -> tuple[str, ...]:
    return ("是", "否") if field_kind(info) == "bool" else field_options(info, policy)


def _rules(info: FieldInfo) -> list[str]:
    rules = [info.description] if info.description else []
    for meta in info.metadata:
        if isinstance(meta, annotated_types.Gt):
            rules.append(f"大于 {meta.gt}")
        elif isinstance(meta, annotated_types.Ge):
            rules.append(f"不小于 {meta.ge}")
        elif isinstance(meta, annotated_types.MinLen) and meta.min_length:
            rules.append(f"至少 {meta.min_length} 项")
    if _is_integer(info.annotation):
        rules.append("整数")
    return rules


def _is_integer(annotation: Any) -> bool:
    return annotation is int or any(_is_integer(arg) for arg in get_args(annotation))


def _severity(severity: Severity) -> str:
    return SEVERITY_WORDS[severity]
