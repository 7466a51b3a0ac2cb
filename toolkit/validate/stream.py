"""``validate --format jsonl``: one line per file as soon as it is done, memory flat however many files.

A file that is no part of a manager's month (an invalid or unreadable file, a monthly
report) is written as soon as its report and those before it are in. A valid file of a
month's form waits for its month's rules, which can run only once every file has been
seen (the last file may still belong to any month); those files follow, in the order of
the files, each with its month findings. The last two lines are the months
(as ``months`` in ``--format json``) and the summary. What is held
meanwhile is the valid month files' findings and their records slimmed to what the
month's rules read (``MonthRole.reads``), not the rows' full values.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from manualkit.schemas._base import Severity
from manualkit.schemas._policy import Policy
from manualkit.toolkit.month import MonthEngine, MonthGroup
from manualkit.toolkit.validate.duplicates import Duplicates
from manualkit.toolkit.validate.findings import FileReport
from manualkit.toolkit.validate.month import merged


@dataclass(slots=True)
class Streamed:
    """What was written: the summary's counts, and the invalid reports (for ``--annotate``)."""

    summary: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("files", "valid", "invalid", "errors", "warnings"), 0))
    invalid: list[FileReport] = field(default_factory=list)
    months: tuple[MonthGroup, ...] = ()

    @property
    def valid(self) -> bool:
        """Return whether every file was valid (warnings allowed)."""
        return self.summary["invalid"] == 0

    def count(self, report: FileReport) -> None:
        """Add ``report`` to the counts."""
        self.summary["files"] += 1
        self.summary["valid" if report.valid else "invalid"] += 1
        self.summary["errors"] += report.count(Severity.ERROR)
        self.summary["warnings"] += report.count(Severity.WARNING)
        if not report.valid:
            self.invalid.append(report)


def write_jsonl(reports: Iterable[FileReport], policy: Policy, write: Callable[[str], None]) -> Streamed:
    """Write each report of ``reports`` as one JSON line (month files once their months ran), then the summary."""
    done = Streamed()
    for report in month_ordered(reports, policy, done):
        done.count(report)
        write(json.dumps(report.as_json(), ensure_ascii=False))
    write(json.dumps({"months": [group.as_json() for group in done.months]}, ensure_ascii=False))
    write(json.dumps({"summary": done.summary}, ensure_ascii=False))
    return done


def month_ordered(reports: Iterable[FileReport], policy: Policy, done: Streamed) -> Iterator[FileReport]:
    """Yield each report with its duplicate warnings: the others at once, the month files after their months ran."""
    seen, engine, held = Duplicates(), MonthEngine(policy), []
    for report in reports:
        seen.check(report)
        if report.month is None:
            yield report
        else:
            engine.add(report.month)
            held.append(report)
    result = engine.run()
    done.months = result.groups
    for report in held:
        yield merged(report, result)
