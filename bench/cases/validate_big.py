"""Validate a 100,000-row sign-in book with all rules, against a bare calamine read and frictionless."""

from __future__ import annotations

import json

from bench.env import Env
from bench.findings import findings_reported
from bench.harness import Command
from bench.suite import Case, Target
from bench.table_schema import table_schema

ROWS = 100_000


def case(env: Env) -> Case:
    """Return the case: the same workbook with ten seeded defects for all three."""
    book, expected = env.data.big_book(ROWS)
    _, layout = env.data.template()
    schema = book.parent / "table-schema.json"
    schema.write_text(json.dumps(table_schema(layout), ensure_ascii=False, indent=1), encoding="utf-8")
    calamine = Command("python-calamine 只读", env.peer("calamine_read.py", book, layout.sheet))
    frictionless = Command("frictionless validate", runs=2, argv=env.peer(
        "frictionless_validate.py", book, schema, layout.sheet, layout.label_row))
    ours = None
    if env.has("validate"):
        ours = Command("manualkit validate", (str(env.manualkit), "validate", str(book), "--format", "json"),
                       ok_codes=(1,), check=findings_reported(expected))
    notes = [f"一份 {ROWS:,} 行的签到簿，埋入 10 处错误（漏签、无效日期、时间颠倒、时间重叠、无效选项、"
             "同日重复、编码格式、跨月、无效时间）；manualkit 必须全部报出且不多报。",
             "frictionless 用等价的 Table Schema（类型、必填、格式、选项），不含跨行规则；只跑 2 次。"]
    return Case("validate_big", f"校验 {ROWS:,} 行的签到簿（全部规则）", ours, [calamine, frictionless], [
        Target("不超过 calamine 只读时间的 1.4 倍", calamine.label, "slower_at_most", 1.4),
        Target("至少比 frictionless 快 10 倍", frictionless.label, "faster", 10.0),
    ], notes)


if __name__ == "__main__":
    from bench.__main__ import main
    main(["validate_big"])
