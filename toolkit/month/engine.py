"""Group a batch's valid records by manager and month, and run the cross-form rules on each group.

A record joins the group of each month it is about (a schedule whose week spans two
months is in both). A group holding a record of every required role (``MonthRole.required``:
the sign-in book and the schedules) is checked; one lacking a role is not, and says so
once (``incomplete_month``, on its first file that no checked group holds) rather than
being skipped in silence. A batch with no record at all of some required role is a check
of single forms (one sign-in book on its own), not of months: nothing is said then.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from manualkit.schemas._month import MonthRole
from manualkit.schemas._policy import DEFAULT_POLICY, Policy
from manualkit.toolkit.errors import CATALOGUE, Issue
from manualkit.toolkit.month.provenance import Finding, MonthPart, Submission
from manualkit.toolkit.month.rules import Month, month_rules
from manualkit.toolkit.month.selection import role_of, select_month

Member = Submission | MonthPart  # a record as the month engine takes it

# Findings of picking a month out of a folder that mean nothing in a group (it is one manager's month).
_REPORT_ONLY = frozenset({"other_manager", "other_month"})


@dataclass(frozen=True, slots=True)
class MonthGroup:
    """One manager's month in a batch: its files, and the required roles it lacks (none: it was checked)."""

    manager: str
    month: str
    paths: tuple[str, ...]
    missing: tuple[str, ...] = ()
    told: bool = False  # an incomplete month whose ``incomplete_month`` warning was given

    @property
    def checked(self) -> bool:
        """Return whether the cross-form rules ran on the group."""
        return not self.missing

    def as_json(self) -> dict[str, Any]:
        """Return the group's entry of the JSON report's ``months``: the missing roles as form ids."""
        forms = role_forms()
        return {"manager": self.manager, "month": self.month, "files": len(self.paths), "checked": self.checked,
                "missing": [form for role in self.missing for form in forms[role]]}


@dataclass(frozen=True, slots=True)
class MonthResult:
    """The findings of every group, by file path, and the groups."""

    findings: dict[str, list[Issue]] = field(default_factory=dict)
    groups: tuple[MonthGroup, ...] = ()

    def of(self, path: str) -> list[Issue]:
        """Return the findings the month's rules added to the file at ``path``."""
        return self.findings.get(path, [])


class MonthEngine:
    """Collects the valid records of a batch, then runs the month's rules on each manager's month."""

    def __init__(self, policy: Policy = DEFAULT_POLICY) -> None:
        self.policy = policy
        self.groups: dict[tuple[str, str], list[Member]] = {}
        self.roles: set[str] = set()

    def add(self, item: Member) -> None:
        """Take one valid record (of a form with a ``month_role``; others are ignored).

        A ``MonthPart`` (what a worker sent back) stays packed until its month's rules run,
        so a batch holds its months' rows compactly however many there are.
        """
        role = item.role if isinstance(item, MonthPart) else role_of(item.record)
        if role is None:
            return
        if isinstance(item, MonthPart):
            manager, months = item.manager(), item.months()
        else:
            manager, months = role.manager(item.record), role.months(item.record)
        self.roles.add(role.role)
        for month in sorted(months):
            self.groups.setdefault((manager, month), []).append(item)

    def run(self) -> MonthResult:
        """Return the findings of every manager's month taken so far."""
        if not self.groups:  # nothing to group (one invalid file): no need to load every form for its role
            return MonthResult({}, ())
        required = required_roles()
        months = self.roles >= required  # some month is there to compare; else these are single forms
        groups = [self._group(key, members, required) for key, members in self.groups.items()]
        found: dict[str, list[Issue]] = {}
        for group in groups:
            if group.checked:
                for item in self._check(group):
                    if item.path is not None and item.issue.code not in _REPORT_ONLY:
                        found.setdefault(item.path, []).append(item.issue)
        if months:
            checked_paths = {path for group in groups if group.checked for path in group.paths}
            for index, group in enumerate(groups):
                if not group.checked and (path := self._told(group, checked_paths, required)):
                    found.setdefault(path, []).append(self._incomplete(group, path))
                    groups[index] = replace(group, told=True)
        return MonthResult(found, tuple(groups))

    def _group(self, key: tuple[str, str], members: list[Member], required: frozenset[str]) -> MonthGroup:
        present = {_role(item).role for item in members}
        paths = tuple(dict.fromkeys(s.source.path for s in members))
        return MonthGroup(key[0], key[1], paths, tuple(sorted(required - present)))

    def _check(self, group: MonthGroup) -> list[Finding]:
        members = [item.submission() if isinstance(item, MonthPart) else item
                   for item in self.groups[(group.manager, group.month)]]  # built for the check, then let go
        inputs = select_month(members, group.month, group.manager)
        month, found = Month(inputs, self.policy), list(inputs.findings)
        first = next((item for item in members if _role(item).required), members[0])
        for rule in month_rules():
            if rule.applies(month):
                try:
                    found += rule.check(month)
                except Exception as exc:  # one rule's surprise costs that month's rule, not the batch
                    found.append(self._failed(group, first, rule.name, exc))
        return found

    def _failed(self, group: MonthGroup, first: Submission, rule: str, exc: Exception) -> Finding:
        """Return the warning that one cross-form rule could not be run on ``group``."""
        rule_code = CATALOGUE["incomplete_month"]
        issue = Issue(code=rule_code.code, severity=rule_code.severity, sheet=first.source.sheet,
                      clause=rule_code.clause, message=(
                          f"客户经理“{group.manager}” {group.month} 的跨表单核对有一项未能完成"
                          f"（{rule.rsplit('.', 1)[-1]}：{type(exc).__name__}: {str(exc)[:200]}）"))
        return Finding(first.source.path, issue)

    def _told(self, group: MonthGroup, checked: set[str], required: frozenset[str]) -> str | None:
        """Return the file to tell of an incomplete month: the first of a required form, else the first.

        A file that a checked month holds is not told (a schedule whose week starts in the
        month before, where there is no sign-in book of that month to compare with).
        """
        members = [s for s in self.groups[(group.manager, group.month)] if s.source.path not in checked]
        main = [item for item in members if _role(item).role in required]
        return (main or members)[0].source.path if members else None

    def _incomplete(self, group: MonthGroup, path: str) -> Issue:
        titles = "、".join(role_titles()[role] for role in group.missing)
        sheet = next(s.source.sheet for s in self.groups[(group.manager, group.month)] if s.source.path == path)
        rule = CATALOGUE["incomplete_month"]
        return Issue(code=rule.code, severity=rule.severity, sheet=sheet, clause=rule.clause, message=(
            f"客户经理“{group.manager}” {group.month} 没有有效的{titles}，"
            f"这个月的跨表单核对（日程表与签到簿对照等）未进行"))


def _role(item: Member) -> MonthRole:
    role = item.role if isinstance(item, MonthPart) else role_of(item.record)
    assert role is not None, "a month's members all have a part in it"
    return role


def required_roles() -> frozenset[str]:
    """Return the roles every checked month must hold, as the forms declare them."""
    from manualkit.toolkit.registry import all_forms

    return frozenset(role.role for spec in all_forms().values() if (role := spec.model.month_role) and role.required)


def role_titles() -> dict[str, str]:
    """Return the Chinese title of each role: its form's (forms sharing a role are joined with 或)."""
    from manualkit.toolkit.registry import get_form

    return {role: "或".join(get_form(form_id).title for form_id in forms) for role, forms in role_forms().items()}


def role_forms() -> dict[str, list[str]]:
    """Return the ids of the forms playing each role."""
    from manualkit.toolkit.registry import all_forms

    forms: dict[str, list[str]] = {}
    for spec in all_forms().values():
        if (role := spec.model.month_role) is not None:
            forms.setdefault(role.role, []).append(spec.form_id)
    return forms


def months_line(groups: Iterable[MonthGroup]) -> str | None:
    """Return the text report's line on the months, or None when no month was checked or told of."""
    groups = list(groups)
    checked, told = sum(g.checked for g in groups), sum(g.told for g in groups)
    if not checked and not told:
        return None
    line = f"跨表单核对：{checked} 个客户经理月份已核对"
    return line + (f"，{told} 个因表格不全未核对" if told else "")


def run_months(submissions: Iterable[Member], policy: Policy = DEFAULT_POLICY) -> MonthResult:
    """Return the month findings of ``submissions`` (every manager's month among them)."""
    engine = MonthEngine(policy)
    for submission in submissions:
        engine.add(submission)
    return engine.run()
