"""Run the benchmarks: ``python -m bench [CASE…] [--runs N]`` (``make bench`` runs them all).

Each case measures its commands interleaved in fresh processes, prints a table of median,
min and max seconds, peak memory and the ratios against the peers, and judges its targets.
Each case's table is saved to ``bench/results/CASE.md`` and its raw samples to ``CASE.json``,
so running some cases leaves the others' last results in place.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import subprocess
import sys

from bench.cases import CASES
from bench.env import BENCH, Env
from bench.report import machine, raw, section
from bench.suite import run_case

RESULTS = BENCH / "results"


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description="运行性能基准，与同类工具对比。")
    parser.add_argument("cases", nargs="*", metavar="CASE", help=f"要运行的基准（默认全部）：{'、'.join(CASES)}")
    parser.add_argument("--runs", type=int, default=5, help="每个命令运行的轮数（默认 5）")
    args = parser.parse_args(argv)
    if unknown := [name for name in args.cases if name not in CASES]:
        parser.error(f"没有基准 {'、'.join(unknown)}，可选：{'、'.join(CASES)}")
    return args


def _commit() -> str:
    done = subprocess.run(["git", "-C", str(BENCH), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True, check=False)
    dirty = subprocess.run(["git", "-C", str(BENCH), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, check=False).stdout.strip()
    return done.stdout.strip() + ("（有未提交的修改）" if dirty else "")


def main(argv: list[str] | None = None) -> None:
    """Run the chosen cases (all by default) and save the results."""
    args = _arguments(argv)
    env = Env.default(args.runs)
    stamp = (f"运行于 {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC，提交 {_commit()}，{machine()}，"
             f"每个命令 {args.runs} 轮（另有说明的除外），开始时 1 分钟平均负载 {os.getloadavg()[0]:.1f}。")
    RESULTS.mkdir(exist_ok=True)
    for name in args.cases or CASES:
        _say(f"== {name}：准备数据……")
        case = importlib.import_module(f"bench.cases.{name}").case(env)
        _say(f"== {case.title}")
        outcome = run_case(case, args.runs, env.work / "logs" / name, _say)
        text = section(outcome)
        _say("\n".join(text))
        (RESULTS / f"{name}.md").write_text("\n".join([*text, stamp, ""]), encoding="utf-8")
        (RESULTS / f"{name}.json").write_text(raw([outcome]), encoding="utf-8")
        _say(f"结果已写入 {RESULTS / (name + '.md')}")


if __name__ == "__main__":
    main()
