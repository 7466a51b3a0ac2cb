"""The rules across the forms of one manager's month, and how one is declared.

A cross-form rule is a function of one ``Month`` (the manager's month: its records
by role, the visit figures, the policy) returning ``Finding`` values, declared with
``cross_form_rule`` in any module of this package (modules are found, not listed)::

    @cross_form_rule(needs=("sign_in_book", "schedule"))
    def missed(month: Month) -> list[Finding]:
        return [finding("missed_visit", "...", entry.planned, field_name="customer_code", ...)
                for entry in month.visits.plan.missed]

- ``needs``: the roles (``MonthRole.role``, declared by the forms in ``schemas``) the rule
  compares; it runs only on a month holding a record of each.
- A finding is made with ``manualkit.toolkit.month.provenance.finding``: its code is a rule of the
  catalogue (``manualkit.toolkit.errors.GENERAL``) or of a form (``SomeForm.rules.name``), so severity
  and clause come from the catalogue; ``at`` is the record's ``Source`` or a row of it
  (``source.ref(index)``), which puts the finding at its file, sheet and cell.
- ``month.inputs.of(role)`` gives the records of a role (``Submission``: ``record`` and
  ``source``); ``month.visits`` the plan against the sign-ins (``manualkit.toolkit.month.visits``).

Rules run in the order of their modules' names, each module's in the order declared.
``compare_forms`` runs every rule whose roles a month has (the monthly report);
``manualkit.toolkit.month.engine`` runs them for each manager's month of a batch (``validate``).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property

from manualkit.schemas._policy import DEFAULT_POLICY, Policy
from manualkit.toolkit.month.provenance import Finding, Submission
from manualkit.toolkit.month.selection import MonthInputs, infer_month, select_month
from manualkit.toolkit.month.visits import VisitFigures, count_visits


@dataclass(frozen=True)
class Month:
    """One manager's month as the rules see it."""

    inputs: MonthInputs
    policy: Policy = DEFAULT_POLICY
    figures: VisitFigures | None = None  # computed when first asked for, unless given

    @cached_property
    def visits(self) -> VisitFigures:
        """Return the visits per customer and the plan against the sign-ins."""
        return self.figures if self.figures is not None else count_visits(self.inputs, self.policy)

    def has(self, role: str) -> bool:
        """Return whether the month holds a record of ``role``."""
        return bool(self.inputs.of(role))


RuleCheck = Callable[[Month], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class CrossFormRule:
    """A rule across forms: the roles it compares and its check."""

    name: str
    needs: frozenset[str]
    check: RuleCheck

    def applies(self, month: Month) -> bool:
        """Return whether ``month`` holds every role the rule compares."""
        return all(month.has(role) for role in self.needs)


_DECLARED: list[CrossFormRule] = []


def cross_form_rule(needs: Sequence[str]) -> Callable[[RuleCheck], RuleCheck]:
    """Declare the decorated function a cross-form rule comparing the roles ``needs``."""
    def declare(check: RuleCheck) -> RuleCheck:
        _DECLARED.append(CrossFormRule(f"{check.__module__}.{check.__name__}", frozenset(needs), check))
        return check
    return declare


@cache
def month_rules() -> tuple[CrossFormRule, ...]:
    """Return every cross-form rule: this package's modules are imported (sorted by name) and their rules taken."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        importlib.import_module(f"{__name__}.{info.name}")
    order = {name: index for index, name in enumerate(sorted({r.check.__module__ for r in _DECLARED}))}
    return tuple(sorted(_DECLARED, key=lambda r: order[r.check.__module__]))  # stable: declared order kept


def run_rules(month: Month) -> list[Finding]:
    """Return the findings of every rule whose roles ``month`` holds."""
    return [found for rule in month_rules() if rule.applies(month) for found in rule.check(month)]


def compare_forms(inputs: MonthInputs, visits: VisitFigures, policy: Policy = DEFAULT_POLICY) -> list[Finding]:
    """Return the findings that compare the month's forms with each other."""
    return run_rules(Month(inputs, policy, visits))


def cross_form_findings(
    submissions: Sequence[Submission], policy: Policy, month: str | None = None, manager: str | None = None
) -> list[Finding]:
    """Return the cross-form findings of one manager's month, and the records left out of it.

    Args:
        submissions: the valid records, each with its ``Source`` (file, sheet, spreadsheet rows).
        policy: the policy (the in-person visits each customer needs, for the figures).
        month: ``YYYY-MM``; by default the month most of the records are about.
        manager: by default the manager most of the month's records belong to.

    Returns:
        Findings (each with its file and an ``Issue`` located by sheet, row and cell when known):
        records of another manager or month, then the comparisons between the forms.
    """
    month = month or infer_month(submissions)
    if month is None:
        return []
    inputs = select_month(submissions, month, manager)
    return [*inputs.findings, *run_rules(Month(inputs, policy))]
