"""Group a batch's valid records by manager and month, and run the cross-form rules on each group.

A record joins the group of each month it is about (a schedule whose week spans two
months is in both). A group holding a record of every required role (``MonthRole.required``:
the sign-in book and the schedules) is checked; one lacking a role is not, and says so
once (``incomplete_month``, on its first file that no checked group holds) rather than
being skipped in silence. A batch with no record at all of some required role is a check
of single forms (one sign-in book on its own), not of months: nothing is said then.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import IO, Any

from manualkit.schemas._month import MonthRole
from manualkit.schemas._policy import DEFAULT_POLICY, Policy
from manualkit.toolkit.errors import CATALOGUE, Issue
from manualkit.toolkit.month.provenance import Finding, MonthPart, Submission
from manualkit.toolkit.month.rules import Month, month_rules
from manualkit.toolkit.month.selection import role_of, select_month

Member = Submission | MonthPart  # a record as the month engine takes it

# Findings of picking a month out of a folder that mean nothing in a group (it is one manager's month).
_REPORT_ONLY = frozenset({"other_manager", "other_month"})
SETTLE_AFTER = 256  # records: a month that took none for this many is run and let go (a folder keeps one together)


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


@dataclass(slots=True)
class _Group:
    """One manager's month as the engine holds it: its records while open; once closed, what ``run`` needs."""

    members: list[Member] = field(default_factory=list)  # while open (and again when reopened)
    last: int = 0  # the number of the record last added to it
    # Once closed: each member's (path, role, sheet), the findings of its rules (when complete) and
    # where its records were put aside, to take them back if a later record joins it.
    light: list[tuple[str, str, str | None]] = field(default_factory=list)
    found: list[Finding] | None = None
    spilled: tuple[int, int] | None = None


class MonthEngine:
    """Collects the valid records of a batch and runs the month's rules on each manager's month.

    Records come in the order of their files, and a folder keeps a manager's files together:
    a month that has taken no record for ``settle_after`` records is run then and its records
    let go (put aside in a temporary file), so that memory holds only the months still being
    filled. A later record of a month already run takes its records back and runs it again
    at the end: the findings are those of running every month once all records are in.
    """

    def __init__(self, policy: Policy = DEFAULT_POLICY, settle_after: int = SETTLE_AFTER) -> None:
        self.policy = policy
        self.settle_after = settle_after
        self._groups: dict[tuple[str, str], _Group] = {}  # in the order first seen
        self._open: dict[tuple[str, str], _Group] = {}  # the open ones, least recently added first
        self._added = 0
        self._spill: IO[bytes] | None = None  # the records of the months already run
        self.roles: set[str] = set()

    def add(self, item: Member) -> None:
        """Take one valid record (of a form with a ``month_role``; others are ignored).

        A ``MonthPart`` (what a worker sent back) stays packed until its month's rules run,
        so a batch holds its months' rows compactly.
        """
        role = item.role if isinstance(item, MonthPart) else role_of(item.record)
        if role is None:
            return
        if isinstance(item, MonthPart):
            manager, months = item.manager(), item.months()
        else:
            manager, months = role.manager(item.record), role.months(item.record)
        self.roles.add(role.role)
        self._added += 1
        for month in sorted(months):
            key = (manager, month)
            group = self._groups.setdefault(key, _Group())
            if key not in self._open:
                self._reopen(group)
            else:
                del self._open[key]  # to the end: the most recently added
            self._open[key] = group
            group.members.append(item)
            group.last = self._added
        self._settle()

    def _settle(self) -> None:
        """Run and let go the months that took no record for ``settle_after`` records (the least recent first)."""
        while self._open:
            key = next(iter(self._open))
            if self._open[key].last > self._added - self.settle_after:
                return
            self._close(key, self._open.pop(key))

    def run(self) -> MonthResult:
        """Return the findings of every manager's month taken so far."""
        if not self._groups:  # nothing to group (one invalid file): no need to load every form for its role
            return MonthResult({}, ())
        for key in list(self._open):
            self._close(key, self._open.pop(key), keep=False)  # run last: nothing will take its records back
        if self._spill is not None:
            self._spill.close()
            self._spill = None
        required = required_roles()
        months = self.roles >= required  # some month is there to compare; else these are single forms
        groups = [self._summary(key, group, required) for key, group in self._groups.items()]
        found: dict[str, list[Issue]] = {}
        for held in self._groups.values():
            for item in held.found or ():
                if item.path is not None and item.issue.code not in _REPORT_ONLY:
                    found.setdefault(item.path, []).append(item.issue)
        if months:
            checked_paths = {path for group in groups if group.checked for path in group.paths}
            for index, (group, kept) in enumerate(zip(groups, self._groups.values(), strict=True)):
                if not group.checked and (told := self._told(kept, checked_paths, required)):
                    path, sheet = told
                    found.setdefault(path, []).append(self._incomplete(group, sheet))
                    groups[index] = replace(group, told=True)
        return MonthResult(found, tuple(groups))

    def _close(self, key: tuple[str, str], group: _Group, keep: bool = True) -> None:
        """Run the month's rules on a group (when it has every required role), keep the findings, let go the records.

        The records are kept in the spill file (``keep``), from where a record joining later takes them back.
        """
        group.light = [(item.source.path, _role(item).role, item.source.sheet) for item in group.members]
        present = {role for _, role, _ in group.light}
        group.found = self._check(key, group.members) if present >= required_roles() else None
        if not keep:
            group.members = []
            return
        if self._spill is None:
            self._spill = tempfile.TemporaryFile(prefix="manualkit-month-")  # noqa: SIM115 - closed by ``run``
        spill = self._spill
        spill.seek(0, os.SEEK_END)
        start = spill.tell()
        pickle.dump(group.members, spill, protocol=pickle.HIGHEST_PROTOCOL)
        group.spilled, group.members = (start, spill.tell() - start), []

    def _reopen(self, group: _Group) -> None:
        """Take back the records of a group already run (a later record joins it): it is run again."""
        if group.spilled is None:
            return
        assert self._spill is not None
        start, size = group.spilled
        self._spill.seek(start)
        group.members = pickle.loads(self._spill.read(size))
        group.light, group.found, group.spilled = [], None, None

    def _summary(self, key: tuple[str, str], group: _Group, required: frozenset[str]) -> MonthGroup:
        present = {role for _, role, _ in group.light}
        paths = tuple(dict.fromkeys(path for path, _, _ in group.light))
        return MonthGroup(key[0], key[1], paths, tuple(sorted(required - present)))

    def _check(self, key: tuple[str, str], held: list[Member]) -> list[Finding]:
        manager, month_name = key
        members = [item.submission() if isinstance(item, MonthPart) else item for item in held]
        inputs = select_month(members, month_name, manager)
        month, found = Month(inputs, self.policy), list(inputs.findings)
        first = next((item for item in members if _role(item).required), members[0])
        for rule in month_rules():
            if rule.applies(month):
                try:
                    found += rule.check(month)
                except Exception as exc:  # one rule's surprise costs that month's rule, not the batch
                    found.append(self._failed(key, first, rule.name, exc))
        return found

    def _failed(self, key: tuple[str, str], first: Submission, rule: str, exc: Exception) -> Finding:
        """Return the warning that one cross-form rule could not be run on ``key``'s month."""
        rule_code = CATALOGUE["incomplete_month"]
        issue = Issue(code=rule_code.code, severity=rule_code.severity, sheet=first.source.sheet,
                      clause=rule_code.clause, message=(
                          f"客户经理“{key[0]}” {key[1]} 的跨表单核对有一项未能完成"
                          f"（{rule.rsplit('.', 1)[-1]}：{type(exc).__name__}: {str(exc)[:200]}）"))
        return Finding(first.source.path, issue)

    def _told(self, group: _Group, checked: set[str], required: frozenset[str]) -> tuple[str, str | None] | None:
        """Return the file (and its sheet) to tell of an incomplete month: the first of a required form, else the first.

        A file that a checked month holds is not told (a schedule whose week starts in the
        month before, where there is no sign-in book of that month to compare with).
        """
        members = [(path, role, sheet) for path, role, sheet in group.light if path not in checked]
        main = [member for member in members if member[1] in required]
        if not members:
            return None
        path, _, sheet = (main or members)[0]
        return path, sheet

    def _incomplete(self, group: MonthGroup, sheet: str | None) -> Issue:
        titles = "、".join(role_titles()[role] for role in group.missing)
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
