"""Validate a 100,000-row book where most rows have a finding, ``--format json``, against a bare calamine read."""

from __future__ import annotations

from pathlib import Path

from bench.env import Env
from bench.harness import Command
from bench.suite import Case, Target

ROWS = 100_000


def overlaps_reported(count: int) -> object:
    """Return a check that the JSON report names ``count`` overlapping visits and no other error."""
    def check(stdout: Path) -> str | None:
        # Counted in the bytes, a chunk at a time, not parsed: the 45 MB report parsed (or read whole)
        # would stay in this process's memory, and every command started after it would count it in
        # its own peak (a child starts as a copy of this process).
        overlaps = errors = 0
        with stdout.open("rb") as report:
            head = report.read(1)
            for line in report:
                overlaps += line.count(b'"code": "time_overlap"')
                errors += line.count(b'"severity": "error"')
        if head != b"{":
            return "输出不是 JSON"
        if overlaps != count or errors != count:
            return f"应报出 {count} 条 time_overlap 错误，实际 {overlaps} 条（错误共 {errors} 条）"
        return None
    return check


def case(env: Env) -> Case:
    """Return the case: the same workbook for both; manualkit writes every finding as JSON."""
    book, overlapping = env.data.overlapping_book(ROWS)
    _, layout = env.data.template()
    calamine = Command("python-calamine 只读", env.peer("calamine_read.py", book, layout.sheet))
    ours = None
    if env.has("validate"):
        ours = Command("manualkit validate --format json", (str(env.manualkit), "validate", str(book),
                                                             "--format", "json"),
                       ok_codes=(1,), check=overlaps_reported(overlapping))  # type: ignore[arg-type]
    notes = [f"一份 {ROWS:,} 行的签到簿，每天的每次走访都与前一次重叠：{overlapping:,} 行各有一条 time_overlap 错误；"
             "manualkit 必须全部报出（JSON 约 45 MB），且没有别的错误。"]
    return Case("validate_findings", f"校验 {ROWS:,} 行、几乎每行都有问题的签到簿（--format json）", ours, [calamine], [
        Target("不超过 calamine 只读时间的 2 倍", calamine.label, "slower_at_most", 2.0),
    ], notes)


if __name__ == "__main__":
    from bench.__main__ import main
    main(["validate_findings"])
