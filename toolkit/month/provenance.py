"""Where the month's figures come from: records with their file, sheet and rows.

Every figure of the monthly report points back to the rows it was computed from,
so that a market manager can check it. A ``Submission`` is one validated record
with its ``Source``; a ``RowRef`` is one row of one file; a ``Finding`` is an
``Issue`` about the inputs together with the file it belongs to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from manualkit.schemas._base import FormSchema, Rule, Severity
from manualkit.schemas._month import MonthRole
from manualkit.toolkit.errors import CATALOGUE, Issue


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record (or a sheet of rows) was read from.

    Attributes:
        path: the file.
        sheet: the sheet title, for a spreadsheet.
        rows: the spreadsheet row (1-based) of each table row, in table order.
        columns: the column letter of each field of the table, when the table has fixed columns.
        cells: the A1 cell of a value, ``(table row index or None for the header, field) -> "C7"``;
            it takes precedence over ``rows`` and ``columns``.
        item: the record's 0-based position in a data file holding a list of records.
    """

    path: str
    sheet: str | None = None
    rows: tuple[int, ...] = ()
    columns: Mapping[str, str] = field(default_factory=dict)
    cells: Mapping[tuple[int | None, str], str] = field(default_factory=dict)
    item: int | None = None

    def ref(self, index: int | None = None) -> RowRef:
        """Return the reference of table row ``index`` (the whole record for ``None``)."""
        return RowRef(self, index)

    def cell(self, index: int | None, name: str) -> str | None:
        """Return the A1 cell of field ``name`` in table row ``index`` (the header for ``None``), if known."""
        if (index, name) in self.cells:
            return self.cells[(index, name)]
        if index is not None and index < len(self.rows) and name in self.columns:
            return f"{self.columns[name]}{self.rows[index]}"
        return None


@dataclass(frozen=True, slots=True)
class RowRef:
    """One row of a table in a submitted file, or the whole record when ``index`` is None."""

    source: Source
    index: int | None = None

    @property
    def path(self) -> str:
        """Return the file."""
        return self.source.path

    @property
    def row(self) -> int | None:
        """Return the spreadsheet's own 1-based row, when the record came from a spreadsheet."""
        if self.index is not None and self.index < len(self.source.rows):
            return self.source.rows[self.index]
        return None

    def __str__(self) -> str:
        name = Path(self.source.path).name
        if self.source.item is not None:
            name += f" 第{self.source.item + 1}条"
        if self.row is not None:
            return f"{name} 第{self.row}行"
        if self.index is not None:
            return f"{name} 表格第{self.index + 1}行"
        return name


@dataclass(frozen=True, slots=True)
class Submission:
    """One validated record and where it came from."""

    record: FormSchema
    source: Source


@dataclass(frozen=True, slots=True)
class MonthPart:
    """What the month engine needs of one valid record, as plain values (``MonthRole.pack``), and its ``Source``.

    A worker process sends this back with the file's report; ``submission`` rebuilds the record.
    """

    model: type[FormSchema]
    header: dict[str, Any]
    rows: tuple[tuple[Any, ...], ...]  # the table by column (``MonthRole.pack``)
    source: Source

    @classmethod
    def of(cls, record: FormSchema, source: Source) -> MonthPart | None:
        """Return the part of ``record`` (None for a form with no ``month_role``)."""
        role = type(record).month_role
        if role is None:
            return None
        header, rows = role.pack(record)
        return cls(type(record), header, rows, source)

    @property
    def role(self) -> MonthRole:
        """Return the record's part in the month."""
        role = self.model.month_role
        assert role is not None  # only made for forms with a role
        return role

    def manager(self) -> str:
        """Return the account manager the record belongs to."""
        return self.role.packed_manager(self.header)

    def months(self) -> set[str]:
        """Return the months the record is about."""
        return self.role.packed_months(self.model, self.header, self.rows)

    def at(self, path: str) -> MonthPart:
        """Return the part read from the file now at ``path`` (a cached or remote report)."""
        return replace(self, source=replace(self.source, path=path))

    def submission(self) -> Submission:
        """Return the record rebuilt, with its source."""
        return Submission(self.role.unpack(self.model, self.header, self.rows), self.source)


@dataclass(frozen=True, slots=True)
class Finding:
    """A finding about the month's inputs, and the file it belongs to (None: the month as a whole).

    ``where`` says where it is for a person: ``签到簿.xlsx 第7行``, ``特殊访问.json 第2条``.
    """

    path: str | None
    issue: Issue
    where: str = ""

    @property
    def severity(self) -> Severity:
        """Return the issue's severity."""
        return self.issue.severity


def finding(
    code: str | Rule,
    message: str,
    at: Source | RowRef | None = None,
    *,
    field_name: str | None = None,
    label: str | None = None,
    value: Any = None,
    severity: Severity | None = None,
    clause: str | None = None,
    title: str | None = None,
) -> Finding:
    """Return a finding about a file, or one row of it (``at`` a ``RowRef``), or the month (None).

    ``code`` is a code of the general catalogue or a form's ``Rule``; severity and clause are the
    rule's unless given.
    """
    rule = code if isinstance(code, Rule) else CATALOGUE.get(code)
    if rule is None:  # a form's finding passed on (``severity``, ``clause`` and ``title`` given)
        rule = Rule(str(code), severity or Severity.ERROR, title or str(code), clause, "")
    ref = at.ref() if isinstance(at, Source) else at
    issue = Issue(
        code=rule.code,
        severity=severity or rule.severity,
        message=message,
        sheet=ref.source.sheet if ref else None,
        cell=ref.source.cell(ref.index, field_name) if ref and field_name else None,
        row=ref.row if ref else None,
        field=field_name,
        label=label,
        value=value,
        clause=clause or rule.clause,
        title=title or (rule.title if isinstance(code, Rule) else None),
    )
    return Finding(ref.path if ref else None, issue, str(ref) if ref else "")
