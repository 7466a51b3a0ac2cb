"""A batch's reports as they come: the month's rules added, each report handed on once it is final.

``--format jsonl`` writes one line per file as soon as it is final, memory flat however
many files. A file that is no part of a manager's month (an invalid or unreadable file, a
monthly report) is final as soon as its report and those before it are in (the duplicate
warnings are added in the order of the files). A valid file of a month's form waits for its
month's rules, which are final only once every file has been seen (the last file may still
belong to any month); those files follow, in the order of the files, each with its month
findings. The last two lines are the months (as ``months`` in ``--format json``) and the
summary. What is held meanwhile is the valid month files' findings, and the months still
being filled (the month engine runs and lets go of each once it takes no more records).

``--format json`` gathers the final reports in the order of the files (``gather``) and
writes the document one file's entry at a time (``write_json``), the same text as
``jsontext.dumps(batch.as_json())``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from manualkit.schemas._base import Severity
from manualkit.schemas._policy import Policy
from manualkit.toolkit.jsontext import dumps
from manualkit.toolkit.month import MonthEngine, MonthGroup
from manualkit.toolkit.validate.batch import BatchReport
from manualkit.toolkit.validate.duplicates import Duplicates
from manualkit.toolkit.validate.findings import FileReport
from manualkit.toolkit.validate.month import merged

Final = Callable[[FileReport], None]  # told each report once it is final (``--annotate`` writes its copy)


@dataclass(slots=True)
class Streamed:
    """What was written: the summary's counts, and the months."""

    summary: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("files", "valid", "invalid", "errors", "warnings"), 0))
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


def write_jsonl(reports: Iterable[FileReport], policy: Policy, write: Callable[[str], None],
                final: Final | None = None) -> Streamed:
    """Write each report of ``reports`` as one JSON line (month files once their months ran), then the summary."""
    done = Streamed()
    for _, report in month_ordered(reports, policy, done):
        done.count(report)
        if final is not None:
            final(report)
        write(json.dumps(report.as_json(), ensure_ascii=False))
    write(json.dumps({"months": [group.as_json() for group in done.months]}, ensure_ascii=False))
    write(json.dumps({"summary": done.summary}, ensure_ascii=False))
    return done


def gather(reports: Iterable[FileReport], policy: Policy, final: Final | None = None) -> BatchReport:
    """Return the batch of ``reports`` with the month's findings, in their order; ``final`` is told each when final."""
    done = Streamed()
    placed: dict[int, FileReport] = {}
    for index, report in month_ordered(reports, policy, done):
        if final is not None:
            final(report)
        placed[index] = report
    return BatchReport([placed[index] for index in range(len(placed))], done.months)


def month_ordered(reports: Iterable[FileReport], policy: Policy, done: Streamed) -> Iterator[tuple[int, FileReport]]:
    """Yield each report, with its place among ``reports``, once final: the others at once, month files at the end.

    A month file's record goes to the month engine and the report is held without it, so
    that the engine alone decides how long the record is kept.
    """
    seen, engine, held = Duplicates(), MonthEngine(policy), []
    for index, report in enumerate(reports):
        seen.check(report)
        if report.month is None:
            yield index, report
        else:
            engine.add(report.month)
            held.append((index, replace(report, month=None)))
    result = engine.run()
    done.months = result.groups
    for index, report in held:
        yield index, merged(report, result)


def write_json(batch: BatchReport, write: Callable[[str], None]) -> None:
    """Write ``batch``'s JSON document, one file's entry at a time: ``jsontext.dumps(batch.as_json())``'s text."""
    write('{\n  "files": [')
    for position, report in enumerate(batch.files):
        write(("," if position else "") + "\n    " + report.json_text(level=2))
    write("\n  ]," if batch.files else "],")
    write('\n  "months": ' + dumps([group.as_json() for group in batch.months], level=1))
    write(',\n  "summary": ' + dumps(batch.summary(), level=1) + "\n}\n")
