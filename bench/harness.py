"""Run commands interleaved (A B A B …), each run in a fresh process, and measure them.

Every run is one child process started with ``subprocess.Popen`` and reaped with ``os.wait4``,
whose resource usage gives the child's CPU time and peak resident memory (Linux counts the
child's own waited-for children too, so a command that fans out is measured whole). Wall time
is taken around the child. Nothing here knows about manualkit: a case hands in commands.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Command:
    """One side of a comparison: a command line and how to run and check it.

    ``runs`` caps the repetitions of a slow peer; ``scale`` multiplies the measured times when
    the command does 1/scale of the work (a slow peer run on a sample of the input).
    ``prepare`` runs untimed before each run (e.g. emptying an output folder); ``check`` gets
    the path of the first run's stdout and returns a problem in words, or ``None``; ``env`` is
    the environment to run in (``None``: this one).
    """

    label: str
    argv: tuple[str, ...]
    runs: int | None = None
    scale: float = 1.0
    ok_codes: tuple[int, ...] = (0,)
    prepare: Callable[[], None] | None = None
    check: Callable[[Path], str | None] | None = None
    env: dict[str, str] | None = None  # the environment to run in (default: ours)


@dataclass(frozen=True, slots=True)
class Sample:
    """One run: wall seconds, CPU seconds (user + system, children included), peak RSS bytes."""

    wall: float
    cpu: float
    rss: int


@dataclass(slots=True)
class Measured:
    """The runs of one command and anything that went wrong in them."""

    command: Command
    samples: list[Sample] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def stat(self, metric: str) -> dict[str, float]:
        """Return median, min and max of ``wall``, ``cpu`` or ``rss`` (times scaled)."""
        factor = 1.0 if metric == "rss" else self.command.scale
        values = [getattr(sample, metric) * factor for sample in self.samples]
        if not values:
            return {}
        return {"median": statistics.median(values), "min": min(values), "max": max(values)}

    @property
    def cpu_per_wall(self) -> float:
        """Return the median of CPU time over wall time: 2.0 means both cores busy throughout."""
        return statistics.median(s.cpu / s.wall for s in self.samples) if self.samples else 0.0


def run_once(command: Command, stdout: Path, stderr: Path) -> tuple[Sample, int]:
    """Run ``command`` once in a fresh process; return its measurements and exit code."""
    if command.prepare:
        command.prepare()
    with stdout.open("wb") as out, stderr.open("wb") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command.argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=command.env)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
    child.returncode = code = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(wall, cpu, usage.ru_maxrss * 1024), code


def run_interleaved(commands: Sequence[Command], runs: int, logs: Path,
                    report: Callable[[str], None] = lambda _: None) -> list[Measured]:
    """Run the commands in turn, ``runs`` rounds (fewer for those capped), and measure each run.

    The first run of each command is checked; a run with an unexpected exit code is recorded as
    a problem (with the tail of its stderr) and kept out of the statistics.
    """
    logs.mkdir(parents=True, exist_ok=True)
    measured = [Measured(command) for command in commands]
    for round_no in range(runs):
        for n, entry in enumerate(measured):
            command = entry.command
            if round_no >= (command.runs or runs):
                continue
            stdout, stderr = logs / f"{n}-{round_no}.out", logs / f"{n}-{round_no}.err"
            sample, code = run_once(command, stdout, stderr)
            report(f"  {command.label}: {sample.wall * command.scale:.2f} s, "
                   f"{sample.rss / 2**20:.0f} MiB, 退出码 {code}")
            if code not in command.ok_codes:
                tail = stderr.read_text(encoding="utf-8", errors="replace")[-600:]
                entry.problems.append(f"退出码 {code}：{tail.strip()}")
                continue
            if round_no == 0 and command.check and (problem := command.check(stdout)):
                entry.problems.append(problem)
            entry.samples.append(sample)
    return measured
