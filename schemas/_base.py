"""The base every form schema builds on: the form model, its row model, and their rules.

A form is one module in ``schemas/`` holding one ``FormSchema`` subclass. Field
types and required-ness are pydantic's job; rules on one row's own fields live
in its row model's ``check_row`` (run on broken rows too), rules that span the
header or several rows in the form's ``check`` method. Each rule is declared once,
in the ``rules`` of the class that checks it (``manualkit.schemas._rules``), and returns
``Violation`` values (never raises), so that every problem is reported at once and
each one names its field(s), row and the manual's clause."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, ClassVar, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, PrivateAttr
from pydantic.fields import FieldInfo

from manualkit.schemas._handbook import Duty, Review, Workflow
from manualkit.schemas._month import MonthRole
from manualkit.schemas._policy import Policy
from manualkit.schemas._rules import ERROR, FIELD_RULES, WARNING, Rule, RuleSet, Severity, Violation

__all__ = [
    "ERROR",
    "FIELD_RULES",
    "WARNING",
    "Duty",
    "FormSchema",
    "Review",
    "RowModel",
    "Rule",
    "RuleSet",
    "Severity",
    "Violation",
    "Workflow",
    "field_kind",
    "field_options",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if untitled := [name for name, info in cls.model_fields.items() if not info.title]:
            raise TypeError(f"{cls.__name__}: every field needs title=..., missing: {untitled}")

    @classmethod
    def label(cls, name: str) -> str:
        """Return the Chinese label of field ``name``."""
        return cls.model_fields[name].title or name


class RowModel(_Model):
    """One row of a form's table (a planned visit, a sign-in, a problem...)."""

    # The rules ``check_row`` enforces, declared here once (see ``manualkit.schemas._rules``).
    rules: ClassVar[RuleSet] = RuleSet()

    # Rules on this row alone; forms extend it.
    def check_row(self, policy: Policy) -> list[Violation]:
        """Return the rules this row breaks on its own fields (``row`` left ``None``).

        Also run on a row with broken fields, those fields being ``None``
        then: a rule must return nothing when one of its fields is ``None``.
        """
        return []


class FormSchema(_Model):
    """A form of the manual: its fields, labels, rules and where it comes from."""

    form_id: ClassVar[str]  # "visit-schedule": the id in the CLI and JSON
    form_title: ClassVar[str]  # the Chinese title, also the Excel sheet title
    clause: ClassVar[str]  # where the manual asks for it, e.g. "§4.1.1"
    purpose: ClassVar[str]  # one Chinese sentence: what the form is for
    version: ClassVar[str] = "1"  # bump when a field or a label changes
    rows_field: ClassVar[str | None] = None  # the list field holding the table, if any
    landscape: ClassVar[bool] = False  # printed on landscape A4
    # The header field naming what one submission covers (its week, month or visit): a manager
    # hands in one per period, so ``validate`` warns of a second (``duplicate_submission``).
    period_field: ClassVar[str | None] = None
    # Read-only values shown on the form but computed, not typed: property name -> label.
    derived: ClassVar[dict[str, str]] = {}
    # Its part in an account manager's month, for the cross-form rules (``manualkit.schemas._month``); None: no part.
    month_role: ClassVar[MonthRole | None] = None

    # Fields a finished record must have but a draft may lack (reported by ``check``).
    completion_required: ClassVar[tuple[str, ...]] = ()
    # The rules ``check`` enforces, declared here once (see ``manualkit.schemas._rules``); the row
    # model's rules are the form's too (``catalogue``).
    rules: ClassVar[RuleSet] = RuleSet()
    # Fields whose findings (a missing value, a wrong type) cite their own clause, not ``clause``.
    field_clauses: ClassVar[dict[str, str]] = {}
    # What the handbook says of the form besides its appendix: its lines in the calendar of
    # deadlines (第六章) and its section of a chapter (第三章 工作流程), see ``manualkit.schemas._handbook``.
    duties: ClassVar[tuple[Duty, ...]] = ()
    review: ClassVar[Review | None] = None  # what the market manager does with it (第六章)
    workflow: ClassVar[Workflow | None] = None
    # The header fields a filled form's file is named by, after the form's title
    # (``特殊访问记录_张伟_红星食杂店_2026-11-04``); ``None``: the manager, the customer and
    # the first date or month, those the form has (``file_name_parts``).
    file_name_fields: ClassVar[tuple[str, ...] | None] = None

    # How many table rows the checker could not read as rows at all (not a mapping of fields);
    # rows with broken fields are in the table, those fields ``None`` (see ``rows_with``).
    _rows_left_out: int = PrivateAttr(default=0)
    # Where in the table the rows with broken fields (left empty) are: a field that a sound row
    # always holds is in every other row, so ``rows_with`` looks only at these.
    _rows_broken: tuple[int, ...] = PrivateAttr(default=())

    # Rules that span fields or rows; forms extend it.
    def check(self, policy: Policy) -> list[Violation]:
        """Return every rule this record breaks (errors and warnings) across its fields and rows.

        Each row's own rules (``RowModel.check_row``) are run by the checker as the row arrives.
        """
        found = [
            FIELD_RULES.missing_required(f"“{self.label(name)}”为必填项", name, clause=self.clause_of(name))
            for name in self.completion_required
            if getattr(self, name) in (None, "", [])
        ]
        return found

    def rows_with(self, *names: str) -> list[tuple[int, Any]]:
        """Return ``(index, row)`` of the table rows that have every field of ``names``.

        The rules see every row that could be read, a row with broken fields too (those
        fields ``None``), so that one broken cell does not hide the row from a rule that
        does not need it. A rule takes the rows that have the fields it needs from here.
        """
        rows = self.table()
        if (lacking := self._broken_lacking(rows, names)) is not None:
            return [(index, row) for index, row in enumerate(rows) if index not in lacking]
        return [(index, row) for index, row in enumerate(rows) if all(getattr(row, name) is not None for name in names)]

    def rows_lacking(self, *names: str) -> int:
        """Return how many table rows lack a field of ``names`` (broken there, or not readable at all).

        A rule that counts rows (visits a day, a customer's visits) gives no finding while
        this is not zero: a count that misses rows would be short, its warning false.
        """
        rows = self.table()
        if (lacking := self._broken_lacking(rows, names)) is not None:
            return self._rows_left_out + len(lacking)
        return self._rows_left_out + sum(1 for row in rows if any(getattr(row, name) is None for name in names))

    def _broken_lacking(self, rows: list[Any], names: tuple[str, ...]) -> set[int] | None:
        """Return where the rows lacking a field of ``names`` are, when only a broken row can lack one
        (every sound row holds each of ``names``); ``None`` when any row may (look at every row)."""
        if not _always_held(self.row_model(), names):
            return None
        return {index for index in self._rows_broken if any(getattr(rows[index], name) is None for name in names)}

    @classmethod
    def catalogue(cls) -> list[Rule]:
        """Return every rule this form enforces: its own, then its row model's."""
        row_model = cls.row_model()
        return [*cls.rules, *(row_model.rules if row_model else ())]

    @classmethod
    def clause_of(cls, name: str | None) -> str:
        """Return the clause a finding on field ``name`` cites: the field's own, else the form's."""
        if name in cls.field_clauses:
            return cls.field_clauses[name]
        row_model = cls.row_model()
        if row_model and name in row_model.model_fields and name not in cls.model_fields:
            return cls.field_clauses.get(cls.rows_field or "", cls.clause)  # a table's column: the table's clause
        return cls.clause

    @classmethod
    def file_name_parts(cls) -> tuple[str, ...]:
        """Return the header fields a filled form's file name is made of, in order."""
        if cls.file_name_fields is not None:
            return cls.file_name_fields
        header = cls.header_fields()
        named = tuple(name for name in ("manager", "customer_name") if name in header)
        dated = [name for name, info in header.items() if field_kind(info) in ("month", "date", "datetime")]
        return named + tuple(dated[:1])

    @classmethod
    def blank_rows(cls, policy: Policy) -> int:
        """Return how many empty table rows the blank form prints (forms with a table override it)."""
        return 5

    @classmethod
    def row_model(cls) -> type[RowModel] | None:
        """Return the model of one table row, or ``None`` for a form without a table."""
        if cls.rows_field is None:
            return None
        row = get_args(cls.model_fields[cls.rows_field].annotation)[0]  # list[VisitRow] -> VisitRow
        if not (isinstance(row, type) and issubclass(row, RowModel)):
            raise TypeError(f"{cls.__name__}.{cls.rows_field}: the table must be a list of a RowModel")
        return row

    @classmethod
    def header_fields(cls) -> dict[str, FieldInfo]:
        """Return the fields outside the table, in form order."""
        return {n: f for n, f in cls.model_fields.items() if n != cls.rows_field}

    def table(self) -> list[Any]:
        """Return the rows of the table (empty for a form without one)."""
        return list(getattr(self, self.rows_field)) if self.rows_field else []


def field_kind(info: FieldInfo) -> str:
    """Return how a field is shown: ``text``, ``date``, ``choice``, ``signature``..."""
    for meta in _metadata(info):
        extra = getattr(meta, "json_schema_extra", None)
        if isinstance(extra, dict) and "x-kind" in extra:
            return str(extra["x-kind"])
    return "number" if _has_type(info.annotation, (int, Decimal, float)) else "text"


def field_options(info: FieldInfo, policy: Policy | None = None) -> tuple[str, ...]:
    """Return the allowed values of a choice or choices field (empty for others).

    A choice whose options are a policy value (``x-options``: the customer classes) has them
    only with a ``policy``: a Word template, made once for every policy, leaves it to be written.
    """
    for tp in _types(info.annotation):
        if get_origin(tp) is Literal:
            return tuple(str(arg) for arg in get_args(tp))
    key = options_key(info)
    return tuple(str(option) for option in getattr(policy, key)) if key and policy is not None else ()


def options_key(info: FieldInfo) -> str | None:
    """Return the policy key holding a choice field's options, if they are a policy value."""
    for meta in _metadata(info):
        extra = getattr(meta, "json_schema_extra", None)
        if isinstance(extra, dict) and "x-options" in extra:
            return str(extra["x-options"])
    return None


@cache
def _always_held(row_model: type[RowModel] | None, names: tuple[str, ...]) -> bool:
    """Return whether every sound row of ``row_model`` has a value in each field of ``names`` (required, never None)."""
    fields = row_model.model_fields if row_model else {}
    return all(name in fields and fields[name].is_required() and type(None) not in set(_types(fields[name].annotation))
               for name in names)


def _types(tp: Any) -> Iterator[Any]:
    """Yield ``tp`` and every type nested in it (through Annotated, unions, lists)."""
    yield tp
    for arg in get_args(tp) if get_origin(tp) is not Literal else ():
        yield from _types(arg)


def _metadata(info: FieldInfo) -> Iterator[Any]:
    yield from info.metadata
    yield info
    for tp in _types(info.annotation):
        if get_origin(tp) is Annotated:
            yield from tp.__metadata__


def _has_type(annotation: Any, classes: tuple[type, ...]) -> bool:
    return any(isinstance(tp, type) and issubclass(tp, classes) for tp in _types(annotation))
