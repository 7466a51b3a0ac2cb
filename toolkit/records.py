"""Check one record of a form: pydantic's field checks plus the form's rules, in ONE way.

A record arrives whole (``check_record``: fill, the monthly report, the tests)
or as a table streamed row by row from a workbook (``StreamedCheck``: validate).
Both are the same check: ``check_record`` feeds the record's rows to a
``StreamedCheck`` and finishes it with the header. Each row is validated on its
own as it arrives, and its own rules (``RowModel.check_row``, with the policy) run
at once; a row with broken fields is kept with those fields empty (``None``), so
that an empty 工作内容 neither hides a 离开时间 before the 到达时间 nor keeps the
row from the form's rules. The header is validated with the rows; the form's rules
then run over every row that has the fields they need (``FormSchema.rows_with``),
with their rows mapped back to all rows, even when a header field is broken
(through a model where that field may be empty), so that a forgotten 所辖区域 does
not hide two overlapping visits: a submitter sees every finding in one round.
A rule's finding that names a broken field is dropped (the field's own finding
says enough). pydantic's errors become our findings in ``manualkit.toolkit.messages``.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import repeat
from typing import Any, TypeVar

from pydantic import Field, ValidationError, create_model

from manualkit.schemas._base import FormSchema, RowModel, Severity, Violation
from manualkit.schemas._policy import Policy
from manualkit.toolkit.messages import json_value, translate
from manualkit.toolkit.registry import FormSpec
from manualkit.toolkit.rowcheck import Column, CompiledRows, TableReader

Lenient = TypeVar("Lenient", FormSchema, RowModel)
_NO_FIELDS: frozenset[str] = frozenset()
_ABSENT = object()
_ByLabel = dict[str | None, str]  # field names by their labels


@dataclass(frozen=True, slots=True)
class RecordCheck:
    """A checked record: the model if its fields are sound, and every finding."""

    record: FormSchema | None
    violations: list[Violation] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """Return whether nothing error-severity was found."""
        return self.record is not None and not any(
            v.severity is Severity.ERROR for v in self.violations
        )


def check_record(form: FormSpec, data: Mapping[str, Any], policy: Policy) -> RecordCheck:
    """Return ``data`` validated against ``form`` and checked by its rules.

    ``data`` is keyed by field names or by the Chinese labels; its rows by the
    row model's names or labels too. The record is the validated model when no
    field is broken (else ``None``); the findings are in the order ``validate``
    reports them on the form's sheet (see ``in_form_order``).
    """
    data = keyed_by_name(form.model, data)
    check = StreamedCheck(form, policy)
    has_table = check.row_model is not None and isinstance(data.get(check.rows_field), list | tuple)
    if has_table:  # else the header's validation reports a missing table, or one that is not a list
        for row in data.pop(check.rows_field):
            check.add(row)
    checked = check.finish(data, table_found=has_table)
    return replace(checked, violations=in_form_order(form.model, checked.violations))


def keyed_by_name(model: type[FormSchema], data: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``data`` with labels replaced by field names (rows included)."""
    names, dropped, rows_field, row_names = _renaming(model)
    result = {names.get(key, key): value for key, value in data.items() if key not in dropped}
    if row_names is not None and isinstance(rows := result.get(rows_field), list):
        result[rows_field] = [
            row if row.__class__ is dict and row_names.keys().isdisjoint(row)  # keyed by name already: as it is
            else {row_names.get(k, k): v for k, v in row.items()} if isinstance(row, Mapping) else row
            for row in rows
        ]
    return result


@cache
def _renaming(model: type[FormSchema]) -> tuple[_ByLabel, frozenset[str], str, _ByLabel | None]:
    """Return what ``keyed_by_name`` needs of ``model``: its fields by label, the derived values to drop,
    the table's field, and the row model's fields by label (``None``: no table)."""
    rows_model = model.row_model()
    return ({info.title: name for name, info in model.model_fields.items()},
            frozenset({*model.derived, *model.derived.values()}), model.rows_field or "",
            {info.title: name for name, info in rows_model.model_fields.items()} if rows_model else None)


def in_form_order(model: type[FormSchema], violations: list[Violation]) -> list[Violation]:
    """Return ``violations`` as the form's sheet reads: unplaced first, the header, then row by row.

    The same order as ``validate``'s (by cell): header fields are laid out in
    form order above the table, table columns in row-model order. Ties keep their order.
    """
    header, columns = _positions(model)

    def position(violation: Violation) -> tuple[int, int, int]:
        if violation.row is None:
            return (1, header[violation.field], 0) if violation.field in header else (0, 0, 0)
        return (2, violation.row, columns.get(violation.field or "", -1))

    return sorted(violations, key=position)


@cache
def _positions(model: type[FormSchema]) -> tuple[dict[str, int], dict[str, int]]:
    row_model = model.row_model()
    return ({name: i for i, name in enumerate(model.header_fields())},
            {name: i for i, name in enumerate(row_model.model_fields)} if row_model else {})


class StreamedCheck:
    """The check of one record whose table rows arrive one at a time (``add``), then ``finish``."""

    def __init__(self, form: FormSpec, policy: Policy) -> None:
        self.model = form.model
        self.policy = policy
        self.row_model = form.model.row_model()
        self.rows_field = form.model.rows_field or ""
        # Every row that could be read, in order: validated, or with its broken fields left empty
        # (``None``), so that the form's rules see it too (``FormSchema.rows_with``).
        self.rows: list[RowModel] = []
        self.kept = array("q")  # their indexes among all rows (compact: 200,000 of them happen)
        self.broken: dict[int, frozenset[str]] = {}  # the broken fields of each broken row, by index
        self.count = 0
        self.found: list[Violation] = []
        self.fields_sets: dict[frozenset[str], set[str]] = {}
        self.compiled = _compiled_rows(self.row_model) if self.row_model is not None else None

    def add(self, row: Any) -> None:
        """Validate one table row (field names as keys) as it is read, and run its own rules.

        The row model's compiled validator (``manualkit.toolkit.rowcheck``) takes the sound rows; a row it
        cannot vouch for is validated by the model itself, whose errors become the findings.
        """
        index, self.count = self.count, self.count + 1
        assert self.row_model is not None, "rows are added only to a form with a table"
        validated = self.compiled(row) if self.compiled is not None else None
        if validated is not None:
            self._keep(index, validated, set())
            return
        try:
            validated = self.row_model.model_validate(row)
        except ValidationError as exc:
            self.found += [translate(self.model, {**err, "loc": (self.rows_field, index, *err["loc"])})
                           for err in exc.errors()]
            broken = {str(err["loc"][0]) for err in exc.errors() if err["loc"]}
            kept = self._lenient_row(row, broken)
        else:
            self._share_fields_set(validated)
            kept, broken = validated, set()
        if kept is not None:  # else not a row at all: it is left out of the record
            self._keep(index, kept, broken)

    __call__ = add  # a ``RowSink`` for the reader

    def table_reader(self, columns: list[Column], as_record: Callable[[list[Any]], dict[str, Any]]) -> TableReader:
        """Return the sheet scanner's reader of this table's rows as cells (see ``manualkit.toolkit.reader.layout``).

        A row whose every field the compiled validator vouches for is kept as it stands; any
        other is handed to ``add`` as its dict, to be validated (and its findings made) by the model.
        """
        rows, kept, policy = self.rows, self.kept, self.policy
        assert self.row_model is not None, "only a form with a table has a table reader"
        check_row = self.row_model.check_row
        own_rules = check_row is not RowModel.check_row  # (else it finds nothing)

        def sound(sound_rows: list[RowModel]) -> None:  # ``_keep`` for rows without broken fields: a run at once
            index = self.count
            self.count = index + len(sound_rows)
            rows.extend(sound_rows)
            kept.extend(range(index, self.count))
            if own_rules:  # each row's own rules, called from C (``map``): most rows break none
                for offset, own in enumerate(map(check_row, sound_rows, repeat(policy))):
                    if own:
                        self.found += [_with_found_value(v, sound_rows[offset], row=index + offset) for v in own]
        assert self.compiled is not None, "only a form with a table has a table reader"
        return self.compiled.reader(columns, sound, lambda cells: self.add(as_record(cells)))

    def _keep(self, index: int, kept: RowModel, broken: set[str]) -> None:
        """Keep row ``index`` (its ``broken`` fields empty) for the form's rules, and run its own rules."""
        if broken:
            self.broken[index] = frozenset(broken)
        self.rows.append(kept)
        self.kept.append(index)
        if own := kept.check_row(self.policy):
            self.found += [_with_found_value(v, kept, row=index) for v in own if not broken.intersection(v.fields)]

    def _share_fields_set(self, row: RowModel) -> None:
        """Let rows filled alike share one "fields set" instead of a set each.

        pydantic keeps, per instance, the set of field names given; on a
        200,000-row book those sets take more memory than the values. The rows
        here are frozen and only read, so equal sets can be one object.
        """
        given = frozenset(row.__pydantic_fields_set__)
        shared = self.fields_sets.setdefault(given, row.__pydantic_fields_set__)
        object.__setattr__(row, "__pydantic_fields_set__", shared)

    def finish(self, header: dict[str, Any], *, table_found: bool = True) -> RecordCheck:
        """Return the record and every finding: the rows', the header's, the form's rules over the rows.

        Args:
            header: the values outside the table, by field name.
            table_found: whether the table was there (its rows, if any, went to ``add``);
                if not, ``header`` alone is validated (and says that the table is missing).
        """
        data = dict(header)
        if self.row_model is not None and table_found:
            data[self.rows_field] = self.rows  # already validated rows: pydantic takes them as they are
        try:
            record = self.model.model_validate(data)
        except ValidationError as exc:
            broken = [translate(self.model, err) for err in exc.errors() if not self._rows_are_bad(err)]
            return RecordCheck(None, self.found + broken + self._rules_despite(data, broken))
        if self.row_model is not None and table_found:
            self.rows = getattr(record, self.rows_field)  # the record's list: one list of rows, not two
        return RecordCheck(None if self.found else record, self.found + self._rules(record))

    def _rules(self, record: FormSchema) -> list[Violation]:
        """Return the form's rule findings on ``record`` (which holds every row that could be read)."""
        if self.count and not self.rows:
            return []  # no row could be read: nothing to run the rules on
        if left_out := self.count - len(self.rows):
            record._rows_left_out = left_out
        record._rows_broken = tuple(bisect_left(self.kept, index) for index in sorted(self.broken))  # where in rows
        rows, kept, broken = self.rows, self.kept, self.broken
        found = []
        for v in record.check(self.policy):  # a book may have a finding on each of 100,000 rows: kept lean
            if v.row is None:
                found.append(_with_found_value(v, record))
            elif not broken or not broken.get(kept[v.row], _NO_FIELDS).intersection(v.fields):
                found.append(_with_found_value(v, rows[v.row], row=kept[v.row]))
        return found

    def _rules_despite(self, data: dict[str, Any], broken: list[Violation]) -> list[Violation]:
        """Return the rule findings that do not depend on a broken header field.

        The broken fields are left empty; a rule that needs one of them either
        fails (then no rule finding is given) or names the field (then its
        finding is dropped: the field's own finding says enough).
        """
        names = {v.field for v in broken if v.field and v.field != self.rows_field}
        if not names or any(v.field == self.rows_field for v in broken):
            return []
        try:
            record = _lenient(self.model, frozenset(names)).model_validate(
                {k: v for k, v in data.items() if k not in names})
            found = self._rules(record)
        except Exception:  # a rule that needs a broken field: no rule findings
            return []
        return [v for v in found if not names.intersection(v.fields)]

    def _lenient_row(self, row: Any, broken: set[str]) -> RowModel | None:
        """Return ``row`` with its ``broken`` fields left empty (``None``), or ``None`` if it is no row at all.

        The rules, the row's and the form's, guard against the empty fields; a rule finding
        that names a broken field is dropped (the field's own finding says enough).
        """
        if not broken or not isinstance(row, Mapping):
            return None  # not a row at all (a list, a number): no fields to run rules on
        assert self.row_model is not None, "rows are added only to a form with a table"
        optional = frozenset(broken.intersection(self.row_model.model_fields))
        try:
            lenient: type[RowModel] = _lenient(self.row_model, optional)  # (@cache drops the type variable)
            return lenient.model_validate(
                {k: v for k, v in row.items() if k not in broken})
        except (ValidationError, TypeError, AttributeError, ValueError):
            return None

    def _rows_are_bad(self, err: Any) -> bool:
        """Return whether ``err`` only says "no rows" while rows were there but all broken."""
        return bool(self.count) and tuple(err["loc"][:1]) == (self.rows_field,)

    def row_value(self, index: int, name: str) -> Any:
        """Return the validated value of field ``name`` in row ``index`` (``None`` if that row is broken)."""
        position = bisect_left(self.kept, index)
        if position < len(self.kept) and self.kept[position] == index:
            return getattr(self.rows[position], name, None)
        return None


def _with_found_value(violation: Violation, source: FormSchema | RowModel, row: int | None = None) -> Violation:
    """Return ``violation`` with the value found in its field of ``source`` (unless it has one), at ``row`` if given.

    Built directly rather than by ``dataclasses.replace``: a book may have a finding on each of 100,000 rows.
    """
    v = violation
    value = v.value
    if value is None and v.fields and (found := getattr(source, v.fields[0], _ABSENT)) is not _ABSENT:
        value = json_value(found)
    if value is v.value and (row is None or row == v.row):
        return v  # nothing to add (a rule that gave the value, on a table without broken rows): no new finding
    return Violation(v.code, v.message, v.fields, v.row if row is None else row, v.severity, value, v.clause, v.title)


@cache
def _compiled_rows(model: type[RowModel]) -> CompiledRows:
    """Return the compiled validator of ``model``, one for every record of a batch (it only reads and remembers)."""
    return CompiledRows(model)


@cache
def _lenient(model: type[Lenient], optional: frozenset[str]) -> type[Lenient]:
    """Return ``model`` (a form or a row) with the fields ``optional`` made optional (empty), its rules unchanged."""
    fields: dict[str, Any] = {
        name: (info.annotation | None, Field(None, title=info.title)) for name, info in model.model_fields.items()
        if name in optional and info.annotation is not None  # (pydantic types it optional; a field has one)
    }
    return create_model(model.__name__, __base__=model, **fields)
