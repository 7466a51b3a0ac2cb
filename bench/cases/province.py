"""A province's month: 10,000 submissions of realistic sizes, cross-form rules for every manager's month.

``manualkit validate FOLDER --annotate OUT --format json`` on the folder ``bench.province``
writes (sign-in books of about 700 visits, weekly schedules of about 140, special visits and
feedback slips, one in ten invalid), and the same with ``--format jsonl``. Both run under
``bench/own_peak.py``, which records the main process's own peak memory (the harness's peak is
the largest process of the tree, a worker's as much as the main's); the check adds it to the
case's notes, with whether every file is in the report, the invalid ones are those seeded and
each has its annotated copy.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.env import BENCH, Env
from bench.harness import Command
from bench.suite import Case, Target

COUNT = 10_000
SECONDS, MAIN_PEAK_MIB = 120, 300
MIB = 2**20


def report_lines(stdout: Path, output: str) -> tuple[dict[str, bool], int, int]:
    """Return each file's path and validity, the months checked across forms and the months in the report.

    Read a line at a time, never parsed whole: a report held in this process's memory would
    count in the peak of every command started after it (a child starts as a copy of this process).
    """
    valid: dict[str, bool] = {}
    checked = months = 0
    path = None
    with stdout.open("rb") as report:
        for line in report:
            if output == "jsonl":
                entry: dict[str, Any] = json.loads(line)
                if "path" in entry:
                    valid[entry["path"]] = entry["valid"]
                for month in entry.get("months", ()):
                    months += 1
                    checked += bool(month["checked"])
            elif line.startswith(b'      "path": '):
                path = json.loads(line.split(b": ", 1)[1].rstrip(b",\n"))
            elif line.startswith(b'      "valid": ') and path is not None:
                valid[path] = line.split(b": ", 1)[1].startswith(b"true")
                path = None
            elif line.startswith(b'      "checked": '):
                months += 1
                checked += line.split(b": ", 1)[1].startswith(b"true")
    return valid, checked, months


def checked_run(folder: Path, expected_path: Path, annotated: Path, peak: Path, output: str,
                notes: list[str]) -> Any:
    """Return a check of one run: every file reported, the seeded ones invalid, one copy each; notes the peak."""
    def check(stdout: Path) -> str | None:
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        valid, checked, months = report_lines(stdout, output)
        reported = {Path(name).relative_to(folder).as_posix() for name in valid}
        invalid = {Path(name).relative_to(folder).as_posix() for name, ok in valid.items() if not ok}
        copies = sum(1 for _ in annotated.rglob("*.xlsx"))
        main_peak = int(peak.read_text(encoding="utf-8")) / MIB
        verdict = "达到" if main_peak <= MAIN_PEAK_MIB else "未达到"
        notes.append(f"--format {output}：报告列出 {len(reported):,} 个文件，{len(invalid):,} 个无效"
                     f"（埋错 {len(expected['invalid']):,} 个），批注副本 {copies:,} 份；{months:,} 个经理月份中 "
                     f"{checked:,} 个做了跨表单核对；主进程峰值内存 {main_peak:.0f} MiB"
                     f"（目标 ≤ {MAIN_PEAK_MIB} MiB，{verdict}）。")
        problems = []
        if len(reported) != expected["files"]:
            problems.append(f"报告应列出 {expected['files']} 个文件，实际 {len(reported)} 个")
        if invalid != set(expected["invalid"]):
            problems.append(f"无效文件与埋错的不同：多 {len(invalid - set(expected['invalid']))} 个，"
                            f"少 {len(set(expected['invalid']) - invalid)} 个")
        if copies != len(invalid):
            problems.append(f"应写出 {len(invalid)} 份批注副本，实际 {copies} 份")
        if months != expected["managers"]:
            problems.append(f"报告应有 {expected['managers']} 个经理月份，实际 {months} 个")
        return "；".join(problems) or None
    return check


def command(env: Env, folder: Path, expected: Path, output: str, notes: list[str]) -> Command:
    """Return ``manualkit validate FOLDER --annotate OUT --format OUTPUT`` run under ``own_peak.py``."""
    work = f"province/{output}"
    annotated, peak = env.folder(work) / "annotated", env.folder(work) / "main-peak"
    return Command(f"manualkit validate --annotate --format {output}",
                   (str(env.python), str(BENCH / "own_peak.py"), str(peak), "validate", str(folder),
                    "--annotate", str(annotated), "--format", output),
                   ok_codes=(1,), prepare=env.emptier(work),
                   check=checked_run(folder, expected, annotated, peak, output, notes))


def case(env: Env) -> Case:
    """Return the case: the json run is ours (the targets), the jsonl run beside it."""
    folder, expected_path = env.data.province(COUNT)
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    notes = [f"{COUNT:,} 份提交，{expected['managers']:,} 个客户经理的 2026-11 月份（每人 7–8 个文件："
             "约 700 行的签到簿、5 份约 140 行的周日程表、特殊访问记录，每两人一份反馈单），"
             f"{len(expected['invalid']):,} 份埋了一处必填项空白；跨表单规则对每个经理的月份运行，"
             "无效文件写批注副本。",
             "两条命令都在 bench/own_peak.py 中运行：峰值内存一栏是整个进程树中最大的进程（工作进程也算），"
             "主进程自己的峰值（RUSAGE_SELF，不含它 fork 出的工作进程）见下。"]
    ours = peers = None
    if env.has("validate"):
        ours = command(env, folder, expected_path, "json", notes)
        peers = [command(env, folder, expected_path, "jsonl", notes)]
    return Case("province", f"一个省的月份：校验 {COUNT:,} 份提交（跨表单规则、批注副本）", ours, peers or [], [
        Target(f"不超过 {SECONDS // 60} 分钟（墙钟）", None, "seconds_at_most", SECONDS),
    ], notes)


if __name__ == "__main__":
    from bench.__main__ import main
    main(["province"])
