"""A row model's validator compiled once from its fields: each distinct cell value is checked once.

A long table repeats its values: thirty days, a few hundred times of day, a few
signers, a shop's code and name on each of its visits. ``CompiledRows`` builds,
from the row model's own fields (the schema stays the one source of truth), one
pydantic-core validator per field, and keeps each field's results by value, so a
100,000-row book costs a dictionary look-up per cell instead of a pydantic model
validation per row. A row all of whose fields pass becomes the row model built
directly from the validated values (what pydantic itself would have built).

A row it cannot vouch for (a failing field, a missing one, an unknown key, not a
plain dict) is answered ``None``: the caller validates that row with the model as
before, so findings, codes and messages are pydantic's and the cost of a finding is
paid only by the rows that have one.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Sequence
from functools import cache
from itertools import repeat, zip_longest
from operator import itemgetter
from typing import Annotated, Any, cast

from pydantic import ConfigDict, TypeAdapter
from pydantic.fields import FieldInfo

from manualkit.schemas._base import RowModel

# A table column as the sheet scanner hands it over (``manualkit.toolkit.reader.layout``): field name,
# 0-based position in a row's list of cells, the cell → field value conversion (``None``: blank).
Column = tuple[str, int, Callable[[Any], Any]]
# Reads a chunk of a table's rows (each its cells) and says of each whether it held anything.
TableReader = Callable[[list[list[Any]]], list[bool]]

_BAD = object()  # a memo entry: this value fails its field
_BLANK = object()  # a memo entry: a blank cell
_UNSEEN = object()
_MEMO_LIMIT = 20_000  # per field: past this many distinct values, check without remembering
# Cell types whose values equal no value of another type (unlike 1, 1.0 and True): a look-up of a
# cell among one type's remembered values finds only a value of that type.
_EQUAL_ONLY_TO_THEIR_OWN = frozenset({str, dt.date, dt.datetime, dt.time, dt.timedelta})
_set = object.__setattr__


class CompiledRows:
    """The fast validator of one row model for one table (``None`` from ``__call__``: use the model).

    The validators are built once per process (``_validators``), and so are the results they
    remember by value (field validation reads neither the policy nor other fields): a batch of
    files or records from one region repeats its shops, days and signers. Each field remembers
    at most ``_MEMO_LIMIT`` values, so memory stays flat however many files a worker reads.
    """

    def __init__(self, model: type[RowModel]) -> None:
        self.model = model
        self.names = frozenset(model.model_fields)
        validators = _validators(model)
        self.usable = validators is not None
        self.fields: list[tuple[str, Callable[[Any], Any], dict[Any, Any], FieldInfo]] = [
            (name, check, values, info) for name, check, info, values, _ in validators or ()]
        self.cell_memos: list[_CellMemo] = [cells for *_, cells in validators or ()]
        self.fields_sets: dict[frozenset[str], set[str]] = {}

    def __call__(self, row: Any) -> RowModel | None:
        """Return ``row`` validated as the model would, or ``None`` if only the model can tell."""
        if not self.usable or row.__class__ is not dict or not self.names.issuperset(row):
            return None
        values: dict[str, Any] = {}
        for name, check, memo, info in self.fields:
            if name not in row:
                if info.is_required():
                    return None
                values[name] = info.get_default(call_default_factory=True)
                continue
            value = row[name]
            kind = value.__class__
            if kind is str:  # a text is its own key (every other key is a tuple)
                result = memo.get(value, _UNSEEN)
                if result is _UNSEEN:
                    result = _checked(check, value)
                    if len(memo) < _MEMO_LIMIT:
                        memo[value] = result
            elif kind is list:  # the choices of JSON data: remembered by their items
                result = _list_result(check, memo, value)
            else:
                try:
                    key = (kind, value)
                    result = memo.get(key, _UNSEEN)
                    if result is _UNSEEN:
                        result = _checked(check, value)
                        if len(memo) < _MEMO_LIMIT:
                            memo[key] = result
                except TypeError:  # an unhashable value: check it, do not remember
                    result = _checked(check, value)
            if result is _BAD:
                return None
            values[name] = result
        return self._build(values, row)

    def reader(self, columns: list[Column], sound: Callable[[list[RowModel]], None],
               other: Callable[[list[Any]], None]) -> TableReader:
        """Return a reader of a table's rows as cells, for the sheet scanner (``manualkit.toolkit.reader.layout``).

        The reader takes the rows a chunk at a time and says of each whether it held anything.
        Each cell is converted (its column's conversion) and validated once per distinct value;
        the rows all of whose fields pass go to ``sound`` as model instances, a run of them at a time,
        any other row with something in it to ``other`` as its cells, in the rows' order.
        """
        if not self.usable:
            def by_model(rows: list[list[Any]]) -> list[bool]:  # every row to the model
                held = [_held(cells, columns) for cells in rows]
                for cells, filled in zip(rows, held, strict=True):
                    if filled:
                        other(cells)
                return held
            return by_model
        return _ChunkReader(self, columns, sound, other)

    def _build(self, values: dict[str, Any], row: dict[str, Any]) -> RowModel:
        """Return the model instance pydantic would have made from ``row`` (its validated ``values``)."""
        given = frozenset(row)
        fields_set = self.fields_sets.get(given)
        if fields_set is None:
            fields_set = self.fields_sets[given] = set(given)
        return self._instance(values, fields_set)

    def _instance(self, values: dict[str, Any], fields_set: set[str]) -> RowModel:
        """Return the model instance holding the validated ``values`` (in field order), as pydantic builds it."""
        instance = self.model.__new__(self.model)
        _set(instance, "__dict__", values)
        _set(instance, "__pydantic_fields_set__", fields_set)
        _set(instance, "__pydantic_extra__", None)
        _set(instance, "__pydantic_private__", None)
        return instance


class _ChunkReader:
    """The table reader of ``CompiledRows.reader``: a chunk of rows checked column by column.

    Each field's cells of the chunk are taken as one column; the values not seen before
    are converted and validated, every cell's result is then a C-level look-up
    (``map``), and the rows whose every result is a sound value (a blank optional field
    taking its default) become model instances in C-level passes over the chunk (``_instances``):
    no Python step per row. Only the rows with a failing cell or a blank required one go
    through the fields one by one (``_one``), as every row once did.
    """

    def __init__(self, compiled: CompiledRows, columns: list[Column], sound: Callable[[list[RowModel]], None],
                 other: Callable[[list[Any]], None]) -> None:
        at = {name: (j, convert) for name, j, convert in columns}
        self.compiled, self.sound, self.other = compiled, sound, other
        self.plan = [(name, *at.get(name, (None, _blank_cell)), check, cells if name in at else _CellMemo(),
                      info.is_required(), _default(info), 1 << bit)
                     for bit, ((name, check, _, info), cells) in enumerate(zip(compiled.fields, compiled.cell_memos,
                                                                                strict=True))]
        self.names = [name for name, *_ in self.plan]
        self.positions = [j for _, j, *_ in self.plan if j is not None]
        self.everything = set(self.names)  # the fields set of a row holding every field
        self.by_mask: dict[int, set[str]] = {}  # the fields set of a row holding the fields of these bits
        self.all_bits = (1 << len(self.plan)) - 1

    def __call__(self, rows: list[list[Any]]) -> list[bool]:
        """Return whether each of ``rows`` held anything, having handed each on (``sound`` or ``other``)."""
        results: list[list[Any]] = []
        odd: set[int] = set()  # rows with a failing cell or a blank required one: field by field (``_one``)
        lacking: dict[int, int] = {}  # rows with blank optional fields: the bits of those fields
        for (_, _, convert, check, memo, required, default, bit), cells in zip(self.plan, self._columns(rows),
                                                                              strict=True):
            column, failing, blank = _results(cells, memo, convert, check)
            results.append(column)
            odd.update(failing)
            if required:
                odd.update(blank)
                continue
            fresh = default.__class__ is _Fresh
            for position in blank:  # the field's default, as pydantic gives it (a fresh one if mutable)
                column[position] = default.make() if fresh else default
                lacking[position] = lacking.get(position, 0) | bit
        held = [True] * len(rows)
        empty = {position for position, bits in lacking.items() if bits == self.all_bits}  # every field blank
        for position in empty:
            held[position] = False
        by_hand = sorted(odd | empty)
        instances = self._instances(results, lacking, len(rows))
        start = 0
        for position in by_hand:  # the runs of sound rows between them go on at once
            if start < position:
                self.sound(instances[start:position])
            if position in odd:
                held[position] = self._one(rows[position], [column[position] for column in results],
                                           lacking.get(position, 0))
            start = position + 1
        if start < len(rows):
            self.sound(instances[start:] if start else instances)
        return held

    def _instances(self, results: list[list[Any]], lacking: dict[int, int], count: int) -> list[RowModel]:
        """Return a model instance for each row of the chunk (``results``: each field's values), built in C.

        Rows with blank optional fields get the fields set without them (as pydantic's); the rows
        handled by hand get an instance too, unused: that costs less than leaving them out.
        """
        model, names = self.compiled.model, self.names
        instances = list(map(object.__new__, repeat(model, count)))
        values = map(dict, map(zip, repeat(names), zip(*results, strict=True)))
        fields_sets: list[set[str]] = [self.everything] * count
        for position, bits in lacking.items():
            fields_sets[position] = self._fields_set(self.all_bits & ~bits)
        deque(map(_set, instances, repeat("__dict__"), values), 0)
        deque(map(_set, instances, repeat("__pydantic_fields_set__"), fields_sets), 0)
        deque(map(_set, instances, repeat("__pydantic_extra__"), repeat(None)), 0)
        deque(map(_set, instances, repeat("__pydantic_private__"), repeat(None)), 0)
        return instances

    def _fields_set(self, mask: int) -> set[str]:
        """Return the fields set of a row holding the fields of ``mask``'s bits (one set shared by such rows)."""
        fields_set = self.by_mask.get(mask)
        if fields_set is None:
            fields_set = self.by_mask[mask] = {name for name, *_, bit in self.plan if mask & bit}
        return fields_set

    def _columns(self, rows: list[list[Any]]) -> list[Sequence[Any]]:
        """Return each field's cells in ``rows`` (blank where a row is short or the sheet lacks the column)."""
        widths = set(map(len, rows))
        positions = self.positions
        if len(widths) == 1 and len(positions) >= 2 and max(positions) < min(widths):
            picked = dict(zip(positions, zip(*map(itemgetter(*positions), rows), strict=True), strict=True))
        else:
            width = max(widths)
            padded = list(zip_longest(*rows, fillvalue="")) if width else []
            picked = {j: padded[j] for j in positions if j < width}
        blank = ("",) * len(rows)
        return [picked.get(j, blank) if j is not None else blank for _, j, *_ in self.plan]

    def _one(self, cells: list[Any], results: list[Any], blank_bits: int) -> bool:
        """Hand on one row with a blank or failing cell; return whether it held anything.

        ``blank_bits``: its blank optional fields (their results are their defaults already).
        """
        values: dict[str, Any] = {}
        mask, bad = 0, False
        for (name, _, _, _, _, required, default, bit), result in zip(self.plan, results, strict=True):
            if result is _BLANK:
                if required:
                    bad = True
                else:
                    values[name] = default.make() if default.__class__ is _Fresh else default
            elif blank_bits & bit:
                values[name] = result
            elif result is _BAD:
                bad, mask = True, mask | bit
            else:
                values[name], mask = result, mask | bit
        if not mask:
            return False  # a blank row (a row with only blank cells is no row)
        if bad:
            self.other(cells)
            return True
        self.sound([self.compiled._instance(values, self._fields_set(mask))])
        return True


class _CellMemo:
    """One field's results by sheet cell: by the cell value's type, then the value (``1``, ``1.0``
    and ``True`` are equal keys), with the values known to be blank or to fail kept apart."""

    __slots__ = ("by_kind", "odd", "size")

    def __init__(self) -> None:
        self.by_kind: dict[type, dict[Any, Any]] = {}
        self.odd: dict[type, set[Any]] = {}
        self.size = 0

    def remember(self, kind: type, raw: Any, result: Any) -> None:
        """Keep ``raw``'s result (the caller sees to the limit)."""
        self.by_kind.setdefault(kind, {})[raw] = result
        self.size += 1
        if result is _BAD or result is _BLANK:
            self.odd.setdefault(kind, set()).add(raw)


def _results(cells: Sequence[Any], memo: _CellMemo, convert: Callable[[Any], Any],
             check: Callable[[Any], Any]) -> tuple[list[Any], list[int], list[int]]:
    """Return the result of each cell of one column (value, ``_BLANK`` or ``_BAD``), and where it fails, where blank.

    A column of one type (the usual) is looked up at once, a mixed one cell by cell. Once a
    column's values are all known (most chunks of a long table), that is one pass in C.
    """
    if cells and (kind := cells[0].__class__) in _EQUAL_ONLY_TO_THEIR_OWN and (known := memo.by_kind.get(kind)):
        try:
            results = list(map(known.__getitem__, cells))
        except (KeyError, TypeError):  # a value not seen yet (or of another type, or unhashable)
            pass
        else:
            odd = memo.odd.get(kind)
            if not odd or odd.isdisjoint(cells):
                return results, [], []
            return results, _where(results, _BAD), _where(results, _BLANK)
    try:
        distinct = set(cells)
    except TypeError:  # an unhashable cell (not from a sheet): one by one, nothing remembered
        distinct = set()
    kinds = set(map(type, distinct))
    if len(kinds) == 1:
        [kind] = kinds
        known = memo.by_kind.get(kind, {})
        if len(unseen := distinct.difference(known)) <= _MEMO_LIMIT - memo.size:
            for raw in unseen:
                memo.remember(kind, raw, _result(raw, convert, check))
            results = list(map(memo.by_kind[kind].__getitem__, cells))
            if distinct.isdisjoint(memo.odd.get(kind, ())):
                return results, [], []
            return results, _where(results, _BAD), _where(results, _BLANK)
    results = [_cell_result(raw, memo, convert, check) for raw in cells]
    return results, _where(results, _BAD), _where(results, _BLANK)


def _where(results: list[Any], mark: object) -> list[int]:
    return [i for i, result in enumerate(results) if result is mark]


def _cell_result(raw: Any, memo: _CellMemo, convert: Callable[[Any], Any], check: Callable[[Any], Any]) -> Any:
    """Return one cell's result, remembered while the field has room."""
    try:
        result = memo.by_kind.get(raw.__class__, {}).get(raw, _UNSEEN)
    except TypeError:  # unhashable: checked, not remembered
        return _result(raw, convert, check)
    if result is _UNSEEN:
        result = _result(raw, convert, check)
        if memo.size < _MEMO_LIMIT:
            memo.remember(raw.__class__, raw, result)
    return result


def _result(raw: Any, convert: Callable[[Any], Any], check: Callable[[Any], Any]) -> Any:
    """Return a cell's field value as validated, ``_BLANK`` for a blank cell or ``_BAD`` if it fails."""
    value = convert(raw)
    return _BLANK if value is None else _checked(check, value)


@cache
def _validators(model: type[RowModel]) -> list[tuple[str, Callable[[Any], Any], FieldInfo, dict[Any, Any],
                                                     _CellMemo]] | None:
    """Return each field's own validator, compiled from its type and constraints (``None``: not compilable).

    With each, the results it remembers: by field value, and by sheet cell (``_CellMemo``: the cell's
    conversion included).
    """
    if not _compilable(model):
        return None
    config = cast(ConfigDict, {key: value for key, value in model.model_config.items() if key in _VALUE_CONFIG})
    found: list[tuple[str, Callable[[Any], Any], FieldInfo, dict[Any, Any], _CellMemo]] = []
    for name, info in model.model_fields.items():
        field_type: Any = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
        # The core validator itself: what ``TypeAdapter.validate_python`` calls, without its checks of arguments.
        check = TypeAdapter(field_type, config=config).validator.validate_python
        found.append((name, check, info, {}, _CellMemo()))
    return found


# Model settings that change how a value is read; the others (extra, frozen, titles) are the model's own.
_VALUE_CONFIG = frozenset({"str_strip_whitespace", "str_to_lower", "str_to_upper", "str_max_length",
                           "str_min_length", "strict", "coerce_numbers_to_str", "ser_json_timedelta"})


class _Fresh:
    """A mutable default: each row gets its own copy, as pydantic gives it."""

    def __init__(self, info: FieldInfo) -> None:
        self.info = info

    def make(self) -> Any:
        return self.info.get_default(call_default_factory=True)


def _default(info: FieldInfo) -> Any:
    """Return a field's default, or a ``_Fresh`` when it is mutable (or made by a factory)."""
    default = info.get_default(call_default_factory=False)
    if info.default_factory is not None or not isinstance(default, str | int | float | bool | tuple | None):
        return _Fresh(info)
    return default


def _blank_cell(value: Any) -> None:
    return None


def _held(cells: list[Any], columns: list[Column]) -> bool:
    """Return whether any of the table's cells in ``cells`` is filled."""
    return any(j < len(cells) and convert(cells[j]) is not None for _, j, convert in columns)


def _list_result(check: Callable[[Any], Any], memo: dict[Any, Any], value: list[Any]) -> Any:
    """Return the result of a list value (``_BAD`` if it fails), remembered when it is a list of texts.

    Texts only: equal items of other types (``1``, ``1.0``, ``True``) may validate apart. A result is
    remembered only as a list of texts too (a field's choices), and each row gets its own copy of it,
    as pydantic gives each row its own list.
    """
    if not all(item.__class__ is str for item in value):
        return _checked(check, value)
    key = (list, tuple(value))
    result = memo.get(key, _UNSEEN)
    if result is _UNSEEN:
        result = _checked(check, value)
        if result is not _BAD and (result.__class__ is not list or not all(item.__class__ is str for item in result)):
            return result  # not remembered
        if len(memo) < _MEMO_LIMIT:
            memo[key] = result
    return result if result is _BAD else result.copy()


def _checked(check: Callable[[Any], Any], value: Any) -> Any:
    try:
        return check(value)
    except ValueError:  # pydantic's ValidationError is a ValueError
        return _BAD


def _compilable(model: type[RowModel]) -> bool:
    """Return whether each field of ``model`` is checked on its own (no validator spans fields, no alias)."""
    decorators = model.__pydantic_decorators__
    if decorators.model_validators or decorators.field_validators or decorators.root_validators:
        return False
    if model.__pydantic_post_init__ or model.model_config.get("extra") == "allow":
        return False
    return all(info.alias is None and info.validation_alias is None for info in model.model_fields.values())
