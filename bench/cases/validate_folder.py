"""Validate a folder of 1,000 small submissions: one ``manualkit validate`` against one process per file."""

from __future__ import annotations

from bench.env import Env
from bench.findings import findings_reported
from bench.harness import Command
from bench.suite import Case, Target

COUNT, SAMPLE = 1000, 100


def case(env: Env) -> Case:
    """Return the case: the per-file loop runs on the first 100 files and is scaled to 1,000."""
    folder, expected = env.data.submissions(COUNT)
    ours = None
    if env.has("validate"):
        ours = Command("manualkit validate 文件夹", (str(env.manualkit), "validate", str(folder), "--format", "json"),
                       ok_codes=(1,), check=findings_reported(expected))
        each = Command("每个文件一个 manualkit validate 进程", runs=2, scale=COUNT / SAMPLE,
                       argv=env.peer("validate_each.py", env.manualkit, folder, SAMPLE))
        peers = [each]
    else:
        peers = []
    notes = [f"{COUNT:,} 份 20–40 行的签到簿，每 10 份有 1 份埋了一处错误。",
             f"逐文件的做法只跑前 {SAMPLE} 个文件，时间乘以 {COUNT // SAMPLE}；只跑 2 次。"]
    return Case("validate_folder", f"校验 {COUNT:,} 份小文件组成的文件夹", ours, peers, [
        Target("至少比每个文件一个进程快 10 倍", peers[0].label if peers else None, "faster", 10.0),
        Target("两个核都用上（CPU 时间 / 墙钟时间 ≥ 1.5）", None, "cores", 1.5),
    ], notes)


if __name__ == "__main__":
    from bench.__main__ import main
    main(["validate_folder"])
