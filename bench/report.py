"""The benchmark's printed tables: one line per command, then the targets and their verdicts.

The same lines go to the terminal and, as Markdown, into ``bench/results/CASE.md`` (from which
``docs/performance.md`` quotes); the raw samples go to ``bench/results/CASE.json``.
"""

from __future__ import annotations

import json
import platform
from collections.abc import Iterable
from typing import Any

from bench.suite import Outcome, Verdict

MIB = 2**20
HEADER = ("命令", "次数", "中位数 s", "最小 s", "最大 s", "CPU s", "峰值内存 MiB", "CPU/墙钟", "与本工具之比")


def table(outcome: Outcome) -> list[str]:
    """Return the Markdown table of one case's commands."""
    rows = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    ours = outcome.measured[0] if outcome.case.ours else None
    for entry in outcome.measured:
        if not entry.samples:
            rows.append(f"| {entry.command.label} | 0 |" + " – |" * (len(HEADER) - 2))
            continue
        wall, cpu, rss = entry.stat("wall"), entry.stat("cpu"), entry.stat("rss")
        ratio = "–"
        if ours is not None and ours is not entry and ours.samples:
            ratio = f"{wall['median'] / ours.stat('wall')['median']:.1f}×"
        scaled = f" (×{entry.command.scale:g})" if entry.command.scale != 1 else ""
        rows.append(
            f"| {entry.command.label}{scaled} | {len(entry.samples)} | {wall['median']:.2f} | "
            f"{wall['min']:.2f} | {wall['max']:.2f} | {cpu['median']:.2f} | {rss['median'] / MIB:.0f} | "
            f"{entry.cpu_per_wall:.2f} | {ratio} |"
        )
    return rows


def verdict_line(verdict: Verdict) -> str:
    """Return one target's line: the target, the measured ratio, met or not."""
    target = verdict.target
    if verdict.ratio is None:
        return f"- {target.text}：未测（本工具的命令尚不可用或运行出错）"
    mark = "达到" if verdict.met else "未达到"
    cpu = f"（按 CPU 时间 {verdict.cpu_ratio:.2f}）" if verdict.cpu_ratio is not None else ""
    return f"- {target.text}：实测 {verdict.ratio:.2f}{cpu}，{mark}"


def section(outcome: Outcome) -> list[str]:
    """Return the Markdown section of one case: title, table, targets, notes, problems."""
    case = outcome.case
    lines = [f"### {case.title}", "", *table(outcome), ""]
    lines += [verdict_line(v) for v in outcome.verdicts]
    lines += [f"- 注：{note}" for note in case.notes]
    for entry in outcome.measured:
        lines += [f"- 问题（{entry.command.label}）：{p}" for p in entry.problems]
    return [*lines, ""]


def machine() -> str:
    """Return a one-line description of this machine and interpreter."""
    cpus = _cpu_model()
    return f"{cpus}，Python {platform.python_version()}，{platform.system()} {platform.release()}"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            lines = [line.split(":", 1)[1].strip() for line in info if line.startswith("model name")]
    except OSError:
        return platform.processor() or "unknown CPU"
    return f"{len(lines)} × {lines[0]}" if lines else "unknown CPU"


def raw(outcomes: Iterable[Outcome]) -> str:
    """Return every sample and verdict as JSON."""
    data: list[dict[str, Any]] = []
    for outcome in outcomes:
        data.append({
            "case": outcome.case.name,
            "commands": [{
                "label": m.command.label, "argv": list(m.command.argv), "scale": m.command.scale,
                "samples": [{"wall": s.wall, "cpu": s.cpu, "rss": s.rss} for s in m.samples],
                "problems": m.problems,
            } for m in outcome.measured],
            "targets": [{"text": v.target.text, "ratio": v.ratio, "met": v.met} for v in outcome.verdicts],
        })
    return json.dumps(data, ensure_ascii=False, indent=1)
