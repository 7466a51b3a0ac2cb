"""The rule catalogue as a person reads it: one table row per rule, for the README and the handbook.

The rules themselves are declared on the forms (``FormSchema.rules``) and in
``manualkit.toolkit.errors.GENERAL``; ``manualkit.toolkit.registry.all_rules`` walks them. This
module only words them, so the README's code table and the handbook's appendix
say the same thing.
"""

from __future__ import annotations

from manualkit.schemas._policy import DEFAULT_POLICY, Policy
from manualkit.schemas._rules import SEVERITY_WORDS
from manualkit.toolkit.errors import FILE_CODES
from manualkit.toolkit.registry import CatalogueEntry, all_rules

FORM_CLAUSE = "所属表单的条款"  # what a field rule cites: its form's clause (or the field's own)
NO_CLAUSE = "—"  # a finding about the file itself cites none


def clause_text(entry: CatalogueEntry) -> str:
    """Return the clause a rule's findings cite, in words for a general rule."""
    if entry.rule.clause:
        return entry.rule.clause
    return FORM_CLAUSE if entry.rule.code not in FILE_CODES else NO_CLAUSE


def code_table(policy: Policy = DEFAULT_POLICY) -> list[str]:
    """Return the Markdown table of every rule: code, name, severity, form, clause, what it asks."""
    rows = [
        f"| `{e.rule.code}` | {e.rule.title} | {SEVERITY_WORDS[e.rule.severity]} | "
        f"{_scope(e)} | {clause_text(e)} | {e.rule.describe(policy.texts())} |"
        for e in all_rules()
    ]
    return ["| 代码 | 规则 | 级别 | 表单 | 依据 | 含义 |", "|---|---|---|---|---|---|", *rows]


def _scope(entry: CatalogueEntry) -> str:
    if entry.form:
        return entry.form.title
    return "跨表单" if entry.rule.clause else "各表单"
