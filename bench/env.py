"""Where the benchmarks find things: the interpreter, ``manualkit``, pandoc, data and work folders.

The benchmarks run under the bench virtual environment (``bench/.venv``, made by
``bench/setup``), which holds manualkit itself (editable) and the peers. Every measured run
is a fresh child process of that environment's interpreter or its ``manualkit`` script.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bench.datasets import ROOT, Datasets
from bench.workbook import has_command

BENCH = ROOT / "bench"
PEERS = BENCH / "peers"


@dataclass(frozen=True, slots=True)
class Env:
    """The tools and folders of one benchmark run."""

    python: Path
    manualkit: Path
    data: Datasets
    work: Path
    runs: int

    @classmethod
    def default(cls, runs: int = 5) -> Env:
        """Return the environment of the running interpreter, data in ``bench/data``."""
        python = Path(sys.executable)
        manualkit = python.parent / "manualkit"
        return cls(python, manualkit, Datasets(BENCH / "data", manualkit), BENCH / "work", runs)

    def peer(self, script: str, *args: object) -> tuple[str, ...]:
        """Return the command line running the peer script ``bench/peers/SCRIPT``."""
        return (str(self.python), str(PEERS / script), *map(str, args))

    def has(self, command: str) -> bool:
        """Return whether ``manualkit COMMAND`` exists yet."""
        return _has_command(str(self.manualkit), command)

    def folder(self, name: str) -> Path:
        """Return the work folder ``name`` (made empty by ``emptier``)."""
        return self.work / name

    def emptier(self, name: str) -> Callable[[], None]:
        """Return a function that empties the work folder ``name`` (run before each run)."""
        def empty() -> None:
            path = self.work / name
            shutil.rmtree(path, ignore_errors=True)
            path.mkdir(parents=True)
        return empty


@cache
def _has_command(manualkit: str, command: str) -> bool:
    return has_command(Path(manualkit), command)


def pandoc() -> str | None:
    """Return the pandoc executable, if installed."""
    return shutil.which("pandoc")
