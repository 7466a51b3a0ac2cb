"""The parts of ``docs/`` and the README that list forms, fields, codes or policy keys, generated.

Those lists come from the registry, the finding catalogue and the policy model (the
forms and codes the same way the handbook's appendices do), so they cannot drift from
the code (the rule table is ``manualkit.toolkit.catalogue``'s). Hand-written text keeps each
generated part between two markers::

    <!-- generated: forms-table -->
    ...
    <!-- end generated -->

In a source checkout, ``python -m manualkit.toolkit.docs`` rewrites the parts in place; ``--check`` only says which
files are stale (``tests/test_docs.py`` fails on a stale one).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from manualkit.schemas._policy import DEFAULT_POLICY, Policy
from manualkit.toolkit.catalogue import code_table
from manualkit.toolkit.handbook.chapter_sources import escape_markdown, policy_text
from manualkit.toolkit.handbook.form_appendix import codes_chapter, form_chapters
from manualkit.toolkit.registry import all_forms

ROOT = Path(__file__).resolve().parent.parent
_PART = re.compile(r"(<!-- generated: ([\w-]+) -->\n).*?(<!-- end generated -->)", re.DOTALL)
_ANCHOR = re.compile(r" \{#[\w-]+\}$", re.MULTILINE)  # the handbook's heading ids: not Markdown elsewhere


def forms_table() -> str:
    """Return the table of forms: id, Chinese title, clause."""
    rows = [f"| `{spec.form_id}` | {spec.title} | {spec.clause} |" for spec in all_forms().values()]
    return "\n".join(["| 编号 | 名称 | 条款 |", "|---|---|---|", *rows])


def forms_reference() -> str:
    """Return every form's purpose, layout and fields, as in the handbook's appendices."""
    return "\n\n".join(_demoted(chapter.markdown) for chapter in form_chapters(DEFAULT_POLICY))


def codes_reference() -> str:
    """Return how each kind of field is filled in (as the handbook says), then every rule and its code."""
    chapter = codes_chapter().markdown.split("\n", 2)[2]  # without the appendix's own title
    formats = chapter.split("\n## 问题代码")[0]
    return f"{formats.strip()}\n\n## 问题代码\n\n" + codes_table()


def codes_table() -> str:
    """Return every rule: code, name, severity, form, clause, what it asks (``manualkit.toolkit.catalogue``)."""
    return "\n".join(code_table())


def policy_table() -> str:
    """Return the policy keys: key, the Chinese name the handbook prints, the manual's value."""
    rows = [f"| `{key}` | {info.title} | {escape_markdown(_default(key))} | {info.description} |"
            for key, info in Policy.model_fields.items()]
    return "\n".join(["| 键 | 中文名称 | 手册默认值 | 说明 |", "|---|---|---|---|", *rows])


def _default(key: str) -> str:
    value = getattr(DEFAULT_POLICY, key)
    return ("true" if value else "false") if isinstance(value, bool) else policy_text(DEFAULT_POLICY, key)


def _demoted(markdown: str) -> str:
    """Return a handbook chapter one heading level down, without its heading ids."""
    text = re.sub(r"^#", "##", markdown.strip(), flags=re.MULTILINE)
    return _ANCHOR.sub("", text)


PARTS: dict[str, Callable[[], str]] = {
    "forms-table": forms_table,
    "forms": forms_reference,
    "codes": codes_reference,
    "codes-table": codes_table,
    "policy": policy_table,
}
FILES = ("README.md", "docs/README.md", "docs/forms.md", "docs/codes.md", "docs/policy.md")


def refreshed(text: str) -> str:
    """Return ``text`` with every generated part made anew.

    Raises:
        KeyError: a marker names no part.
    """
    return _PART.sub(lambda match: f"{match[1]}{PARTS[match[2]]()}\n{match[3]}", text)


def stale_files(root: Path = ROOT) -> list[Path]:
    """Return the files whose generated parts differ from what the code says now."""
    return [path for path in (root / name for name in FILES)
            if path.read_text(encoding="utf-8") != refreshed(path.read_text(encoding="utf-8"))]


def main(args: list[str]) -> int:
    """Rewrite the stale files (or with ``--check`` only name them); return the exit status."""
    stale = stale_files()
    for path in stale:
        if "--check" not in args:
            path.write_text(refreshed(path.read_text(encoding="utf-8")), encoding="utf-8")
        sys.stderr.write(f"{'stale' if '--check' in args else 'updated'}: {path.relative_to(ROOT)}\n")
    return 1 if stale and "--check" in args else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
