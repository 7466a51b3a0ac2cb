"""Before and after: another checkout of manualkit against this one, the same commands interleaved.

Usage (from outside both trees, so that neither is the current folder)::

    mkdir /tmp/base && git -C ~/manualkit archive 36c12ff | tar -x -C /tmp/base
    cd /tmp && PYTHONPATH=~/manualkit ~/manualkit/bench/.venv/bin/python -m bench.compare /tmp/base [RUNS]

Both sides run ``python -S -m manualkit …`` (``-m manualkit`` for a tree from before the package
was named ``manualkit``) with this tree's bench environment: ``-S`` skips the editable install's path
entry, ``PYTHONPATH`` puts the checkout first, so only manualkit's own code differs. Prints one
Markdown row per command (wall and CPU medians, peak memory).
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path

from bench.datasets import ROOT
from bench.harness import Command, run_interleaved

DATA = ROOT / "bench" / "data"
SITE = sysconfig.get_paths()["purelib"]


def _import_root(tree: Path) -> tuple[Path, str]:
    """Return where a checkout's code is imported from, and its command's module."""
    if (tree / ".dev" / "manualkit").exists():
        return tree / ".dev", "manualkit.toolkit"
    return tree, "toolkit"


def _commands(out: Path) -> list[tuple[str, list[str], tuple[int, ...], bool]]:
    records = str(DATA / "fill-200x30" / "records.json")
    return [
        ("validate 10 万行", ["validate", str(DATA / "book-100000" / "book.xlsx"), "--format", "json"], (1,), False),
        ("validate 10 万行（几乎每行有问题）",
         ["validate", str(DATA / "overlapping-100000" / "book.xlsx"), "--format", "json"], (1,), False),
        ("--help", ["--help"], (0,), False),
        ("forms", ["forms"], (0,), False),
        ("handbook --format docx（无 LibreOffice）", ["handbook", "--format", "docx", "-o", str(out)], (0,), True),
        ("fill 200 docx", ["fill", "sign-in-book", records, "--format", "docx", "-o", str(out)], (0,), False),
        ("fill 200 xlsx", ["fill", "sign-in-book", records, "--format", "xlsx", "-o", str(out)], (0,), False),
    ]


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(base: str, runs: int = 3) -> None:
    """Print the before/after table of ``base`` (a checkout) against this tree."""
    work = Path(tempfile.mkdtemp(prefix="manualkit-compare-"))
    out = work / "out"

    def empty() -> None:
        shutil.rmtree(out, ignore_errors=True)

    _say("| 命令 | 之前 s | 之后 s | 快了 | 之前 CPU s | 之后 CPU s | 按 CPU | 之前 MiB | 之后 MiB |")
    _say("|---|---|---|---|---|---|---|---|---|")
    for label, args, ok, no_office in _commands(out):
        commands = []
        for side, tree in (("之前", base), ("之后", str(ROOT))):
            root, module = _import_root(Path(tree))
            env = {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{SITE}"}
            if no_office:  # like pandoc, no page numbers: LibreOffice out of reach
                env["PATH"] = str(Path(sys.executable).parent)
            commands.append(Command(f"{label} {side}", (sys.executable, "-S", "-m", module, *args),
                                    ok_codes=ok, prepare=empty, env=env))
        before, after = run_interleaved(commands, runs, work / "logs")
        wall = [entry.stat("wall")["median"] for entry in (before, after)]
        cpu = [entry.stat("cpu")["median"] for entry in (before, after)]
        rss = [entry.stat("rss")["median"] / 2**20 for entry in (before, after)]
        _say(f"| {label} | {wall[0]:.2f} | {wall[1]:.2f} | {wall[0] / wall[1]:.2f}× | {cpu[0]:.2f} | {cpu[1]:.2f} "
             f"| {cpu[0] / cpu[1]:.2f}× | {rss[0]:.0f} | {rss[1]:.0f} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1], *(int(arg) for arg in sys.argv[2:3]))
