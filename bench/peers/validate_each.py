"""Peer: one ``manualkit validate`` process per file of a folder, one after the other.

Usage: python validate_each.py MANUALKIT FOLDER [LIMIT]
What a clerk's shell loop does (``for f in *.xlsx; do manualkit validate "$f"; done``).
LIMIT takes only the first files (in name order), for a sample of a folder too big to run
whole. Prints how many files were valid and invalid; exits 0.
"""

import subprocess
import sys
from pathlib import Path


def main(manualkit: str, folder: str, limit: str = "0") -> None:
    """Validate each .xlsx of FOLDER (the first LIMIT if given) in its own process; count outcomes."""
    outcomes = {0: 0, 1: 0}
    paths = sorted(Path(folder).glob("*.xlsx"))
    for path in paths[: int(limit) or None]:
        done = subprocess.run([manualkit, "validate", str(path), "--format", "json"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        outcomes[done.returncode] = outcomes.get(done.returncode, 0) + 1
    other = sum(outcomes.values()) - outcomes[0] - outcomes[1]
    sys.stdout.write(f"valid {outcomes[0]}, invalid {outcomes[1]}, other {other}\n")
    sys.exit(1 if other else 0)


if __name__ == "__main__":
    main(*sys.argv[1:4])
