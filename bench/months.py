"""How many managers' months of a folder get the cross-form rules: ``python -m bench.months [N] [FOLDER]``.

Writes N managers' months (the synthetic month of ``tests/report/month.py``, every record
naming its manager; one in ten with a sign-in book missing a signature, so invalid) into
FOLDER, once, then runs ``python -m toolkit validate FOLDER --format json`` from the
current directory's code and counts the months whose files got a cross-form finding.
Run it from another checkout (``cd ../main && python -m bench.months 100 /tmp/months``
with this file copied there) to count what that code checks.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

CROSS_FORM = {"unplanned_visit", "missed_visit", "missing_schedule", "unscheduled_customer"}


def write_months(folder: Path, managers: int) -> int:
    """Write the months (unless there already); return how many are valid."""
    from tests.filled_workbooks import write_form
    from tests.report.month import sign_in_book, write_month_xlsx
    from toolkit.registry import get_form

    names = [f"经理{n:03d}" for n in range(managers)]
    if not folder.is_dir():
        for n, name in enumerate(names):
            write_month_xlsx(folder / name, name)
            if n % 10 == 9:  # an unsigned visit: the book is invalid, the month cannot be compared
                book = sign_in_book(manager=name)
                book["rows"][0]["customer_signature"] = ""
                write_form(get_form("sign-in-book"), book, folder / name / "签到簿-2026-11.xlsx")
    return managers - managers // 10


def main() -> None:
    """Write the folder, validate it, print the months checked."""
    managers = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    folder = Path(sys.argv[2] if len(sys.argv) > 2 else f"/tmp/manualkit-months-{managers}")
    valid = write_months(folder, managers)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "toolkit", "validate", str(folder), "--format", "json"],
                            capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    document = json.loads(result.stdout)
    checked = {Path(f["path"]).parent.name for f in document["files"]
               if any(e["code"] in CROSS_FORM for e in f["errors"])}
    sys.stdout.write(f"{len(checked)} of {valid} valid months checked across forms "
                     f"({len(document['files'])} files, {seconds:.1f} s)\n")


if __name__ == "__main__":
    main()
