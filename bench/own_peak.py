"""Run ``manualkit ARGS…`` in this process and write this process's own peak memory to FILE.

Usage: python bench/own_peak.py FILE ARGS…

The harness measures a command's peak as ``wait4`` reports it: the largest process of the
tree, a worker as much as the main process. A target on the main process alone (the one
that gathers every file's result) needs the main process's own figure: ``RUSAGE_SELF`` at
exit, which leaves out the worker processes it forked. The command runs as ``manualkit``
would run it (the same ``manualkit.toolkit.cli.main``); its exit code is kept.
"""

import atexit
import resource
import sys
from pathlib import Path


def _write_peak(path: Path) -> None:
    path.write_text(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024), encoding="utf-8")


def main() -> None:
    """Register the peak's writing at exit, then run the command line."""
    del sys.path[0]  # this script's folder (bench/): its modules must not shadow anything
    atexit.register(_write_peak, Path(sys.argv[1]))
    from manualkit.toolkit.cli import main as manualkit

    manualkit(sys.argv[2:])


if __name__ == "__main__":
    main()
