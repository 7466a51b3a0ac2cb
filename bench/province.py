"""A province's month of submissions: every account manager's month of forms, written as .xlsx.

Each manager's month (2026-11) is a sign-in book of about 700 visits, the five weekly visit
schedules planning them (about 140 rows each, a few visits left unplanned), a special-visit
record about one of the customers and, for every other manager, a feedback slip: 7 or 8
files a manager, managers added until the folder holds the number of files asked for.
About one file in ten has a blank required cell (a customer's signature, a planned
customer's code, a description, a problem), so it is invalid.

The workbooks are written with the toolkit's own Excel writer (``workbook_template``: the
blank template's parts compressed once, only the form sheet written per file), in two
processes: 10,000 files take a few minutes where openpyxl would take an hour.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from bench import books

VERSION = "province 1"  # change it when the generated files change: the cached folder is made again
MONTH = "2026-11"
WEEKS = 5  # the Mondays of November 2026 (2nd to 30th): every working day is in one of them
INVALID_SHARE = 0.1
CHUNK = 25  # managers a generating process writes per task

_templates: dict[str, Any] = {}  # form id -> its WorkbookTemplate, one per generating process


def files_of(manager_no: int) -> int:
    """Return how many files manager ``manager_no`` submits: book, schedules, special visit, every other a slip."""
    return 1 + WEEKS + 1 + (manager_no % 2 == 0)


def plan(count: int) -> list[int]:
    """Return, per manager, how many of their files to write so that the folder holds ``count`` files."""
    sizes: list[int] = []
    while (done := sum(sizes)) < count:
        sizes.append(min(files_of(len(sizes)), count - done))
    return sizes


def write_province(folder: Path, count: int, seed: int, workers: int = 2) -> dict[str, Any]:
    """Write ``count`` submissions into ``folder`` (one subfolder a manager); return what validation must find.

    The result: ``files`` (how many), ``managers``, and ``invalid`` (the files, relative to
    ``folder``, with a seeded error).
    """
    sizes = plan(count)
    tasks = [(seed, start, sizes[start:start + CHUNK], str(folder)) for start in range(0, len(sizes), CHUNK)]
    invalid: list[str] = []
    with ProcessPoolExecutor(workers) as pool:
        for written in pool.map(_write_managers, tasks):
            invalid += written
    return {"files": count, "managers": len(sizes), "invalid": sorted(invalid)}


def _write_managers(task: tuple[int, int, list[int], str]) -> list[str]:
    """Write the months of the managers numbered from ``start``; return the invalid files' relative paths."""
    seed, start, sizes, folder = task
    invalid = []
    for offset, size in enumerate(sizes):
        number = start + offset
        rng = random.Random(seed * 100_003 + number)
        for name, form_id, record, broken in list(_month(rng, number))[:size]:
            path = Path(folder) / record["manager"] / name
            path.parent.mkdir(parents=True, exist_ok=True)
            _write(form_id, record, broken, path)
            if broken:
                invalid.append(path.relative_to(folder).as_posix())
    return invalid


def _month(rng: random.Random, number: int) -> Iterator[tuple[str, str, dict[str, Any], bool]]:
    """Yield the manager's files: name, form, record (JSON-like), whether to blank a required cell."""
    book = books.book(rng, MONTH, rng.randint(650, 750), pool=300)
    manager = book["manager"] = f"{book['manager']}{number:04d}"  # generated names repeat; managers must not
    for row in book["rows"]:
        row["manager_signature"] = manager

    def broken() -> bool:
        return rng.random() < INVALID_SHARE

    yield f"签到簿-{MONTH}.xlsx", "sign-in-book", books.as_json(book), broken()
    weeks: dict[dt.date, list[dict[str, Any]]] = {}
    for row in book["rows"]:
        weeks.setdefault(row["date"] - dt.timedelta(days=row["date"].weekday()), []).append(row)
    for monday, visits in sorted(weeks.items()):
        yield f"日程表-{monday}.xlsx", "visit-schedule", {
            "manager": manager, "area": book["area"], "week_start": monday.isoformat(),
            "prepared_on": (monday - dt.timedelta(days=2)).isoformat(),
            "rows": [{"date": v["date"].isoformat(), "route": "一线", "customer_code": v["customer_code"],
                      "customer_name": v["customer_name"], "visit_mode": "上门", "planned_time": "09:00-09:30",
                      "focus": ["销售指导"]} for v in visits if rng.random() > 0.02]}, broken()
    visit = rng.choice(book["rows"])
    shop = {"customer_code": visit["customer_code"], "customer_name": visit["customer_name"]}
    day = visit["date"].isoformat()
    yield "特殊访问.xlsx", "special-visit", {
        "manager": manager, **shop, "occurred_on": day, "visited_at": f"{day}T10:00:00", "situation": "销售异常",
        "description": "销量连续两周下降", "actions": "核对库存，调整订货", "reported": False,
        "manager_signature": manager}, broken()
    yield "反馈单.xlsx", "feedback-slip", {
        "manager": manager, **shop, "feedback_type": "服务质量", "reported_on": day,
        "problem": "送货时间不固定", "customer_signature": "店主"}, broken()


BLANKED = {  # form -> how a seeded error blanks one required cell of the checked record
    "sign-in-book": lambda record: _blank_row(record, "customer_signature"),
    "visit-schedule": lambda record: _blank_row(record, "customer_code"),
    "special-visit": lambda record: record.model_copy(update={"description": ""}),
    "feedback-slip": lambda record: record.model_copy(update={"problem": ""}),
}


def _blank_row(record: Any, field: str) -> Any:
    rows = list(record.rows)
    rows[len(rows) // 2] = rows[len(rows) // 2].model_copy(update={field: ""})
    return record.model_copy(update={"rows": rows})


def _write(form_id: str, data: dict[str, Any], broken: bool, path: Path) -> None:
    """Check ``data`` as ``form_id`` and write it with the toolkit's writer (a required cell blanked if ``broken``)."""
    from manualkit.schemas._policy import DEFAULT_POLICY
    from manualkit.toolkit.records import check_record
    from manualkit.toolkit.registry import get_form
    from manualkit.toolkit.render.xlsx import workbook_template

    form = get_form(form_id)
    checked = check_record(form, data, DEFAULT_POLICY)
    if checked.record is None:
        raise ValueError(f"{path}: the generated record is not valid: {checked.violations}")
    if form_id not in _templates:
        _templates[form_id] = workbook_template(form.model, DEFAULT_POLICY)
    _templates[form_id].write(BLANKED[form_id](checked.record) if broken else checked.record, path)


def main() -> None:
    """Write a province's month: ``python -m bench.province COUNT FOLDER``."""
    import sys

    folder = Path(sys.argv[2])
    expected = write_province(folder, int(sys.argv[1]), seed=20261105)
    sys.stdout.write(json.dumps({k: v for k, v in expected.items() if k != "invalid"} |
                                {"invalid": len(expected["invalid"])}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
