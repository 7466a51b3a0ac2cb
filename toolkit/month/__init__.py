"""The month engine: the rules across the forms of each account manager's month.

Below both ``validate`` and ``report``. Per-file validation produces each valid
record with where it was read (``sources.Submission``); the engine groups them by
manager and month and runs the cross-form rules on each group, reading no file:

    engine = MonthEngine(policy)
    engine.add(part)                  # each valid record of a form with a ``month_role``:
                                      # a ``sources.MonthPart`` (packed) or a ``sources.Submission``
    result = engine.run()             # MonthResult: findings by file path, and every group

How a form takes part in a month (its role, what dates it, what the rules read) is
declared on the form: ``manualkit.schemas._month.MonthRole``. How a rule across forms is
declared: ``manualkit.toolkit.month.rules``. Picking one month out of a folder (the monthly
report) is ``selection.select_month``; the visit figures are ``visits``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from manualkit.toolkit.lazy import imported_when_asked

if TYPE_CHECKING:
    from manualkit.toolkit.month.engine import MonthEngine, MonthGroup, MonthResult

__all__ = ["MonthEngine", "MonthGroup", "MonthResult"]


# Imported when first asked for: a worker validating a file needs only ``provenance``, what a
# valid record carries to the engine, not the engine and its rules.
__getattr__ = imported_when_asked(__name__, dict.fromkeys(__all__, "engine"))
