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

from collections.abc import Callable
from functools import cache
from typing import Annotated, Any, cast

from pydantic import ConfigDict, TypeAdapter
from pydantic.fields import FieldInfo

from manualkit.schemas._base import RowModel

# A table column as the sheet scanner hands it over (``manualkit.toolkit.reader.layout``): field name,
# 0-based position in a row's list of cells, the cell → field value conversion (``None``: blank).
Column = tuple[str, int, Callable[[Any], Any]]
# Reads one table row's cells and says whether the row held anything.
TableReader = Callable[[list[Any]], bool]

_BAD = object()  # a memo entry: this value fails its field
_BLANK = object()  # a memo entry: a blank cell
_UNSEEN = object()
_MEMO_LIMIT = 20_000  # per field: past this many distinct values, check without remembering
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
        self.cell_memos = [cells for *_, cells in validators or ()]
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
            try:
                key = (value.__class__, value)
                result = memo.get(key, _UNSEEN)
                if result is _UNSEEN:
                    result = _checked(check, value)
                    if len(memo) < _MEMO_LIMIT:
                        memo[key] = result
            except TypeError:  # an unhashable value (a list from JSON data): check it, do not remember
                result = _checked(check, value)
            if result is _BAD:
                return None
            values[name] = result
        return self._build(values, row)

    def reader(self, columns: list[Column], sound: Callable[[RowModel], None],
               other: Callable[[list[Any]], None]) -> TableReader:
        """Return a reader of a table's rows as cells, for the sheet scanner (``manualkit.toolkit.reader.layout``).

        Each cell is converted (its column's conversion) and validated once per distinct value;
        a row all of whose fields pass goes to ``sound`` as the model instance, any other row
        with something in it to ``other`` as its cells. The reader says whether the row held anything.
        """
        at = {name: (j, convert) for name, j, convert in columns}
        absent = (1 << 62, _blank_cell)  # a column the sheet lacks: every cell blank
        plan = [(name, *at.get(name, absent), check, cells if name in at else {}, info.is_required(), _default(info),
                 1 << bit) for bit, ((name, check, _, info), cells) in enumerate(zip(self.fields, self.cell_memos,
                                                                                      strict=True))]
        by_mask: dict[int, set[str]] = {}
        names = [name for name, *_ in plan]
        if not self.usable:
            def by_model(cells: list[Any]) -> bool:  # every row to the model
                if not _held(cells, columns):
                    return False
                other(cells)
                return True
            return by_model

        def read(cells: list[Any]) -> bool:
            width, values, mask, bad = len(cells), {}, 0, False
            for name, j, convert, check, memo, required, default, bit in plan:
                raw = cells[j] if j < width else ""
                key = (raw.__class__, raw)
                result = memo.get(key, _UNSEEN)
                if result is _UNSEEN:
                    value = convert(raw)
                    result = _BLANK if value is None else _checked(check, value)
                    if len(memo) < _MEMO_LIMIT:
                        memo[key] = result
                if result is _BLANK:
                    if required:
                        bad = True
                    else:
                        values[name] = default.make() if default.__class__ is _Fresh else default
                elif result is _BAD:
                    bad, mask = True, mask | bit
                else:
                    values[name], mask = result, mask | bit
            if not mask:
                return False  # a blank row (a row with only blank cells is no row)
            if bad:
                other(cells)
                return True
            fields_set = by_mask.get(mask)
            if fields_set is None:
                fields_set = by_mask[mask] = {n for n, (*_, b) in zip(names, plan, strict=True) if mask & b}
            sound(self._instance(values, fields_set))
            return True
        return read

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


@cache
def _validators(model: type[RowModel]) -> list[tuple[str, Callable[[Any], Any], FieldInfo, dict[Any, Any],
                                                     dict[Any, Any]]] | None:
    """Return each field's own validator, compiled from its type and constraints (``None``: not compilable).

    With each, the results it remembers: by field value, and by sheet cell (the cell's conversion included).
    """
    if not _compilable(model):
        return None
    config = cast(ConfigDict, {key: value for key, value in model.model_config.items() if key in _VALUE_CONFIG})
    found: list[tuple[str, Callable[[Any], Any], FieldInfo, dict[Any, Any], dict[Any, Any]]] = []
    for name, info in model.model_fields.items():
        field_type: Any = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
        found.append((name, TypeAdapter(field_type, config=config).validate_python, info, {}, {}))
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
