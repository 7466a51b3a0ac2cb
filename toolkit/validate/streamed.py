"""Check a form while its table is being read: each row is validated as it arrives.

``check_record`` takes a whole record; for a 200,000-row book that means the
raw rows and the validated rows in memory together, and the sound rows
validated a second time when some are broken. Here each row is validated on
its own as the reader hands it over and only the validated row is kept; the
header is validated once the sheet is read, and then the form's rules run on
the sound rows. The findings are the same as ``check_record``'s (pydantic's
errors translated by ``toolkit.records.translate``, then the form's rules
with their rows mapped back), only cheaper.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from dataclasses import replace
from functools import cache
from typing import Any

from pydantic import Field, ValidationError, create_model

from schemas._base import FormSchema, RowModel, Violation
from schemas._policy import Policy
from toolkit.records import translate
from toolkit.registry import FormSpec
from toolkit.validate.values import json_value


class StreamedCheck:
    """The findings of one form whose table rows arrive one at a time (``add``), then ``finish``."""

    def __init__(self, form: FormSpec) -> None:
        self.model = form.model
        self.row_model = form.model.row_model()
        self.rows_field = form.model.rows_field or ""
        self.sound: list[RowModel] = []  # the rows that validated, in order
        self.kept = array("q")  # their indexes among all rows (compact: 200,000 of them happen)
        self.count = 0
        self.found: list[Violation] = []
        self.fields_sets: dict[frozenset[str], set[str]] = {}

    def add(self, row: dict[str, Any]) -> None:
        """Validate one table row (field names as keys) as it is read."""
        index, self.count = self.count, self.count + 1
        try:
            validated = self.row_model.model_validate(row)  # type: ignore[union-attr]
        except ValidationError as exc:
            self.found += [translate(self.model, {**err, "loc": (self.rows_field, index, *err["loc"])})
                           for err in exc.errors()]
        else:
            self._share_fields_set(validated)
            self.sound.append(validated)
            self.kept.append(index)

    def _share_fields_set(self, row: RowModel) -> None:
        """Let rows filled alike share one "fields set" instead of a set each.

        pydantic keeps, per instance, the set of field names given; on a
        200,000-row book those sets take more memory than the values. The rows
        here are frozen and only read by the rules, so equal sets can be one object.
        """
        given = frozenset(row.__pydantic_fields_set__)
        shared = self.fields_sets.setdefault(given, row.__pydantic_fields_set__)
        object.__setattr__(row, "__pydantic_fields_set__", shared)

    def finish(self, header: dict[str, Any], policy: Policy, *, table_found: bool = True) -> list[Violation]:
        """Return every finding: the rows', the header's and the form's rules on what is sound."""
        data = dict(header)
        if self.row_model is not None and table_found:
            data[self.rows_field] = self.sound[:1]  # enough for the header's own checks
        try:
            record = self.model.model_validate(data)
        except ValidationError as exc:
            broken = [translate(self.model, err) for err in exc.errors() if not self._rows_are_bad(err)]
            return self.found + broken + self._rules_despite(data, broken, policy)
        return self.found + self._rules(record, policy)

    def _rules(self, record: Any, policy: Policy) -> list[Violation]:
        """Return the form's rule findings on ``record`` with the sound rows."""
        if self.row_model is None:
            return [self._with_value(v, record) for v in record.check(policy)]
        if not self.sound:  # all rows broken: no rule findings (as check_record); no rows at all: the rules run
            return [] if self.count else [self._with_value(v, record) for v in record.check(policy)]
        values = {name: getattr(record, name) for name in self.model.model_fields if name != self.rows_field}
        whole = self.model.model_construct(**values, **{self.rows_field: self.sound})
        return [self._with_value(v, whole) for v in whole.check(policy)]

    def _rules_despite(self, data: dict[str, Any], broken: list[Violation], policy: Policy) -> list[Violation]:
        """Return the rule findings that do not depend on a broken header field.

        So that a forgotten 所辖区域 does not hide two overlapping visits. The
        broken fields are left empty; a rule that needs one of them either
        fails (then no rule finding is given, as before) or names the field
        (then its finding is dropped: the field's own finding says enough).
        """
        names = {v.field for v in broken if v.field and v.field != self.rows_field}
        if not names or any(v.field == self.rows_field for v in broken):
            return []
        try:
            record = _lenient(self.model, frozenset(names)).model_validate(
                {k: v for k, v in data.items() if k not in names})
            found = self._rules(record, policy)
        except Exception:  # a rule that needs a broken field: no rule findings, as check_record
            return []
        return [v for v in found if not names.intersection(v.fields)]

    def _rows_are_bad(self, err: Any) -> bool:
        """Return whether ``err`` only says "no rows" while rows were there but all broken."""
        return bool(self.count) and tuple(err["loc"][:1]) == (self.rows_field,)

    def _with_value(self, violation: Violation, record: Any) -> Violation:
        """Return a rule finding with its row mapped to all rows and the value found in its field."""
        source, row = (record, None) if violation.row is None else (self.sound[violation.row], self.kept[violation.row])
        value = violation.value
        if value is None and violation.field and hasattr(source, violation.field):
            value = json_value(getattr(source, violation.field))
        return replace(violation, row=row, value=value)

    def row_value(self, index: int, name: str) -> Any:
        """Return the validated value of field ``name`` in row ``index`` (``None`` if that row is broken)."""
        position = bisect_left(self.kept, index)
        if position < len(self.kept) and self.kept[position] == index:
            return getattr(self.sound[position], name, None)
        return None


@cache
def _lenient(model: type[FormSchema], optional: frozenset[str]) -> type[FormSchema]:
    """Return ``model`` with the fields ``optional`` made optional (empty), its rules unchanged."""
    fields: dict[str, Any] = {
        name: (info.annotation | None, Field(None, title=info.title)) for name, info in model.model_fields.items()
        if name in optional
    }
    return create_model(model.__name__, __base__=model, **fields)
