"""A compiled template's table rows: a loop body of texts, fields and ticks prints as the operations do."""

from __future__ import annotations

from typing import Any

from manualkit.toolkit.render.context import tick
from manualkit.toolkit.render.word_program import FIELD, IF, LOOP, TEXT, TICK_FIELD, VALUE, Program

_FLAT = ((TEXT, "<w:tr>{{"), (FIELD, "name"), (TEXT, "}</w:t>"), (TICK_FIELD, "items", "甲"),
         (TICK_FIELD, "items", "乙"), (FIELD, "count"), (TEXT, "</w:tr>"))
_WITH_IF = ((TEXT, "<w:tr>"), (IF, (FIELD, "name"), ((FIELD, "name"),), ((TEXT, "—"),)), (TEXT, "</w:tr>"))
_ROWS: list[dict[str, Any]] = [{"name": "王&记", "items": ["甲"], "count": 3},
                               {"name": "", "items": [], "count": ["<b>"]}, {"name": "{0}", "items": "乙", "count": ""}]


def _blank_rows(count: int | None) -> list[dict[str, str]]:
    return [{"name": "", "items": "", "count": ""}] * (count or 2)


def _printed(parts: dict[str, tuple[Any, ...]], rows: list[dict[str, Any]], *, flat: bool) -> dict[str, str]:
    program = Program(parts)
    if not flat:
        program.flat = {}
    return {name: xml.decode("utf-8") for name, xml in program.render_utf8({"title": "表"}, rows, tick, _blank_rows).items()}


def test_a_flat_loop_body_prints_what_its_operations_print() -> None:
    parts = {"word/document.xml": ((VALUE, "title"), (LOOP, None, _FLAT), (TEXT, "</w:tbl>")),
             "word/footer.xml": ((LOOP, "default", _FLAT),)}
    assert len(Program(parts).flat) == 1  # one body, in two loops
    for rows in (_ROWS, []):
        assert _printed(parts, rows, flat=True) == _printed(parts, rows, flat=False)
        assert Program(parts).render_utf8({"title": "表"}, rows, tick, _blank_rows) == {
            name: xml.encode("utf-8") for name, xml in _printed(parts, rows, flat=True).items()}
    assert _printed(parts, _ROWS, flat=True)["word/document.xml"].startswith(
        "表<w:tr>{{王&记}</w:t>☑☐3</w:tr><w:tr>{{}</w:t>☐☐[&#39;&lt;b&gt;&#39;]</w:tr>")  # texts come escaped


def test_a_loop_body_with_a_condition_is_run_operation_by_operation() -> None:
    parts = {"word/document.xml": ((LOOP, None, _WITH_IF),)}
    assert Program(parts).flat == {}
    assert _printed(parts, _ROWS, flat=True)["word/document.xml"] == (
        "<w:tr>王&记</w:tr><w:tr>—</w:tr><w:tr>{0}</w:tr>")
