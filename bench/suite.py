"""A benchmark case: commands compared side by side, and the targets their ratios must meet.

A case names the toolkit's command (``ours``, absent until the feature has landed) and its
peers; ``run_case`` measures them interleaved in fresh processes and judges each target on
the medians of this one run. Ratios are "times faster than the peer" for time and "times the
peer's peak" for memory.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.harness import Command, Measured, run_interleaved


@dataclass(frozen=True, slots=True)
class Target:
    """One target: ``ours`` against ``peer`` on ``metric``; ``limit`` as the issue states it.

    ``kind`` is ``faster`` (peer time / our time >= limit), ``slower_at_most`` (our time /
    peer time <= limit), ``memory_at_most`` (our peak / peer peak <= limit), ``cores``
    (our CPU time / wall time >= limit) or ``seconds_at_most`` (our median wall time in seconds
    <= limit; ``peer`` may name a reference shown beside it).
    """

    text: str
    peer: str | None
    kind: str
    limit: float


@dataclass(slots=True)
class Case:
    """A benchmark: what it measures, the commands, the targets."""

    name: str
    title: str
    ours: Command | None
    peers: list[Command]
    targets: list[Target]
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Verdict:
    """A target judged on one run: the measured ratio (``None`` if it could not be measured)."""

    target: Target
    ratio: float | None
    cpu_ratio: float | None = None  # the same ratio on CPU seconds, for time targets

    @property
    def met(self) -> bool | None:
        """Return whether the target is met, ``None`` when not measured."""
        if self.ratio is None:
            return None
        if self.target.kind in ("faster", "cores"):
            return self.ratio >= self.target.limit
        return self.ratio <= self.target.limit


@dataclass(slots=True)
class Outcome:
    """A case after its run: the measurements and the verdicts."""

    case: Case
    measured: list[Measured]
    verdicts: list[Verdict]


def run_case(case: Case, runs: int, logs: Path, report: Callable[[str], None]) -> Outcome:
    """Measure the case's commands interleaved and judge its targets."""
    commands = ([case.ours] if case.ours else []) + case.peers
    measured = run_interleaved(commands, runs, logs, report)
    by_label = {entry.command.label: entry for entry in measured}
    ours = by_label.get(case.ours.label) if case.ours else None
    verdicts = [Verdict(t, _ratio(t, ours, by_label.get(t.peer or "")),
                        _ratio(t, ours, by_label.get(t.peer or ""), "cpu")) for t in case.targets]
    return Outcome(case, measured, verdicts)


def _ratio(target: Target, ours: Measured | None, peer: Measured | None, metric: str = "wall") -> float | None:
    """Return the target's ratio on ``metric`` (``wall`` or ``cpu``; memory targets use peaks)."""
    if ours is None or not ours.samples or ours.problems:
        return None
    if target.kind == "cores":
        return ours.cpu_per_wall if metric == "wall" else None
    if target.kind == "seconds_at_most":
        return ours.stat(metric)["median"]
    if peer is None or not peer.samples:
        return None
    if target.kind == "memory_at_most":
        return ours.stat("rss")["median"] / peer.stat("rss")["median"] if metric == "wall" else None
    mine, theirs = ours.stat(metric)["median"], peer.stat(metric)["median"]
    return theirs / mine if target.kind == "faster" else mine / theirs


def median_wall(entry: Measured) -> float:
    """Return the median wall time of a command's runs (scaled)."""
    return statistics.median(s.wall * entry.command.scale for s in entry.samples)
