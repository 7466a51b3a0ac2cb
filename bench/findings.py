"""Checks of what a measured command produced: its output files, its reported findings.

A benchmark that measures a wrong answer measures nothing, so the first run of every command
is checked: ``fill`` must write one file per record, ``validate`` must report every finding
of the seeded defects (code, field and sheet row) and no error on a clean row.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

Check = Callable[[Path], "str | None"]


def files_written(folder: Path, suffix: str, count: int) -> Check:
    """Return a check that ``folder`` holds ``count`` files ending in ``suffix``."""
    def check(_stdout: Path) -> str | None:
        found = len(list(folder.rglob(f"*{suffix}")))
        return None if found == count else f"应写出 {count} 个 {suffix} 文件，实际 {found} 个"
    return check


def findings_reported(expected_path: Path) -> Check:
    """Return a check that the JSON report on stdout has every expected finding, no other error."""
    def check(stdout: Path) -> str | None:
        try:
            report = json.loads(stdout.read_text(encoding="utf-8"))
        except ValueError as exc:
            return f"输出不是 JSON：{exc}"
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        return compare(expected, report)
    return check


def compare(expected: dict[str, list[dict[str, Any]]], report: dict[str, Any]) -> str | None:
    """Return what the report misses or adds, in words, or ``None`` when it matches."""
    by_name = {Path(entry["path"]).name: entry for entry in report.get("files", [])}
    missing, extra = [], []
    for name, wanted in expected.items():
        entry = by_name.get(name)
        if entry is None:
            missing.append(f"{name}：未出现在报告中")
            continue
        got = {(e["code"], e.get("field"), e.get("row")) for e in entry.get("errors", [])}
        keys = {(w["code"], w["field"], w["row"]) for w in wanted}
        missing += [f"{name} 第{row}行 {code}（{field}）" for code, field, row in sorted(keys - got, key=str)]
        extra += [f"{name} 第{e.get('row')}行 {e['code']}（{e.get('field')}）"
                  for e in entry.get("errors", [])
                  if e.get("severity") == "error" and (e["code"], e.get("field"), e.get("row")) not in keys]
    problems = []
    if missing:
        problems.append(f"漏报 {len(missing)} 条：" + "；".join(missing[:5]))
    if extra:
        problems.append(f"多报 {len(extra)} 条错误：" + "；".join(extra[:5]))
    return "；".join(problems) or None
