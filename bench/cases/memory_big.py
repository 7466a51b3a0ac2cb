"""Peak memory validating a 200,000-row sign-in book, against a bare calamine read of it."""

from __future__ import annotations

from bench.env import Env
from bench.findings import findings_reported
from bench.harness import Command
from bench.suite import Case, Target

ROWS = 200_000


def case(env: Env) -> Case:
    """Return the case: peak resident memory (the child's ru_maxrss) of both."""
    book, expected = env.data.big_book(ROWS)
    _, layout = env.data.template()
    calamine = Command("python-calamine 只读", env.peer("calamine_read.py", book, layout.sheet), runs=3)
    ours = None
    if env.has("validate"):
        ours = Command("manualkit validate", (str(env.manualkit), "validate", str(book), "--format", "json"),
                       runs=3, ok_codes=(1,), check=findings_reported(expected))
    notes = ["峰值内存取子进程的 ru_maxrss（含其子进程）。"]
    return Case("memory_big", f"校验 {ROWS:,} 行时的峰值内存", ours, [calamine], [
        Target("峰值内存不超过 calamine 只读的 1.5 倍", calamine.label, "memory_at_most", 1.5),
    ], notes)


if __name__ == "__main__":
    from bench.__main__ import main
    main(["memory_big"])
