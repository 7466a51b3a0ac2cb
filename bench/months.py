"""How many managers' months of a folder get the cross-form rules: ``python -m bench.months [N] [FOLDER]``.

``python -m bench.months --realistic N FOLDER`` writes months of realistic sizes instead
(a sign-in book of 700 visits and a schedule of each week's visits, about 150 rows) and
reports the time and the main process's peak memory of ``validate --format json`` and
``--format jsonl`` on them: the month engine at a province's scale, N/1000 of it.

Writes N managers' months (the synthetic month of ``tests/report/month.py``, every record
naming its manager; one in ten with a sign-in book missing a signature, so invalid) into
FOLDER, once, then runs ``python -m manualkit validate FOLDER --format json`` from the
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
    from manualkit.toolkit.registry import get_form
    from tests.filled_workbooks import write_form
    from tests.report.month import sign_in_book, write_month_xlsx

    names = [f"经理{n:03d}" for n in range(managers)]
    if not folder.is_dir():
        for n, name in enumerate(names):
            write_month_xlsx(folder / name, name)
            if n % 10 == 9:  # an unsigned visit: the book is invalid, the month cannot be compared
                book = sign_in_book(manager=name)
                book["rows"][0]["customer_signature"] = ""
                write_form(get_form("sign-in-book"), book, folder / name / "签到簿-2026-11.xlsx")
    return managers - managers // 10


def write_realistic(folder: Path, managers: int) -> None:
    """Write ``managers`` months of realistic sizes (unless there already)."""
    import datetime as dt
    import random

    from bench import books
    from bench.datasets import Datasets
    from bench.workbook import write_book
    from manualkit.toolkit.registry import get_form
    from tests.filled_workbooks import write_form

    if folder.is_dir():
        return
    template, layout = Datasets(folder.parent / "template", Path(sys.executable).with_name("manualkit")).template()
    rng = random.Random(20261105)
    for n in range(managers):
        book = books.book(rng, "2026-11", 700, pool=300)
        book["manager"] = f"{book['manager']}{n:04d}"  # generated names repeat; managers must not
        for row in book["rows"]:
            row["manager_signature"] = book["manager"]
        (folder / book["manager"]).mkdir(parents=True)
        write_book(template, layout, book, folder / book["manager"] / "签到簿.xlsx")
        weeks: dict[dt.date, list[dict]] = {}
        for row in book["rows"]:
            weeks.setdefault(row["date"] - dt.timedelta(days=row["date"].weekday()), []).append(row)
        for monday, visits in weeks.items():
            plan = {"manager": book["manager"], "area": book["area"], "week_start": monday.isoformat(),
                    "prepared_on": (monday - dt.timedelta(days=2)).isoformat(),
                    "rows": [{"date": v["date"].isoformat(), "route": "一线", "customer_code": v["customer_code"],
                              "customer_name": v["customer_name"], "visit_mode": "上门",
                              "planned_time": "09:00-09:30", "focus": ["销售指导"]}
                             for v in visits if rng.random() > 0.02]}  # a few visits unplanned
            write_form(get_form("visit-schedule"), plan, folder / book["manager"] / f"日程表-{monday}.xlsx")


def realistic(managers: int, folder: Path) -> None:
    """Write the realistic months, validate them both ways, print time and peak memory."""
    import resource

    write_realistic(folder, managers)
    for output in ("json", "jsonl"):
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "manualkit", "validate", str(folder),
                                 "--format", output], capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        lines = result.stdout.splitlines()
        months = json.loads(lines[-2] if output == "jsonl" else result.stdout)["months"]
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child so far
        sys.stdout.write(f"--format {output}: {seconds:.1f} s, {sum(m['checked'] for m in months)} months checked, "
                         f"largest process so far {peak:.0f} MB\n")


def main() -> None:
    """Write the folder, validate it, print the months checked."""
    if sys.argv[1:2] == ["--realistic"]:
        realistic(int(sys.argv[2]), Path(sys.argv[3]))
        return
    managers = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    folder = Path(sys.argv[2] if len(sys.argv) > 2 else f"/tmp/manualkit-months-{managers}")
    valid = write_months(folder, managers)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "manualkit", "validate", str(folder), "--format", "json"],
                            capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    document = json.loads(result.stdout)
    checked = {Path(f["path"]).parent.name for f in document["files"]
               if any(e["code"] in CROSS_FORM for e in f["errors"])}
    sys.stdout.write(f"{len(checked)} of {valid} valid months checked across forms "
                     f"({len(document['files'])} files, {seconds:.1f} s)\n")


if __name__ == "__main__":
    main()
