"""``manualkit --help``: start-up paid only for what a command uses; a bare interpreter shown beside it."""

from __future__ import annotations

from bench.env import Env
from bench.harness import Command
from bench.suite import Case, Target


def case(env: Env) -> Case:
    """Return the case: the help text, and ``python -c pass`` as the floor of any Python command."""
    bare = Command("python -c pass（解释器启动）", (str(env.python), "-c", "pass"))
    listing = Command("manualkit forms", (str(env.manualkit), "forms"))
    ours = Command("manualkit --help", (str(env.manualkit), "--help"))
    notes = ["--help 和 forms 不导入 pydantic、表单模型、openpyxl、docxtpl、lxml、PyYAML"
             "（tests/test_startup.py 检查）。"]
    return Case("startup", "启动：manualkit --help", ours, [listing, bare], [
        Target("manualkit --help 墙钟时间不超过 0.15 秒", None, "seconds_at_most", 0.15),
    ], notes)


if __name__ == "__main__":
    from bench.__main__ import main
    main(["startup"])
