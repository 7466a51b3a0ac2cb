"""A form's part in an account manager's month, declared on the form for the month engine (``manualkit.toolkit.month``).

The month engine groups the valid records of a batch by manager and month and runs
the cross-form rules on each group. It knows no form by name: a form takes part by
declaring its role as a class attribute, in its own schema module::

    class SignInBook(FormSchema):
        month_role: ClassVar[MonthRole | None] = MonthRole(
            "sign_in_book", dated_by="month", required=True,
            reads=("manager", "area", "month"), row_reads=("date", "customer_code", "customer_name", "arrived_at"))

- ``role``: the name the cross-form rules and the monthly report ask for
  (``MonthInputs.of("sign_in_book")``); one role per form.
- ``dated_by``: the field that dates the record: a ``YYYY-MM`` month, a date or a date-time.
  With ``rows_dated_by`` the record is about the months of its rows' dates instead (a weekly
  schedule whose week spans two months is in both); ``weekly`` says one record is kept per
  week (``dated_by`` is the week's Monday), the later prepared (``prepared_by``).
- ``required``: a month lacking a valid record of this role cannot be compared: the engine
  says so once (``incomplete_month``) instead of running the rules.
- ``customer_field``: the field naming the one customer a record is about; the month checks
  that customer is in the manager's schedules (``unscheduled_customer``).
- ``reads``/``row_reads``: the header and row fields the cross-form rules read (all of them when
  not declared). A record sent back by a worker process keeps only these, as plain values
  (``pack``/``unpack``): a province's month is thousands of records. A rule reading a field
  not declared here finds it missing (``AttributeError``): declare what the rules read.
- ``manager_field``: whose month it is.

Forms without a role (the monthly report) are not part of any month. The cross-form
rules themselves are declared in ``manualkit.toolkit.month.rules`` (see there).
"""

from __future__ import annotations

import datetime as dt
import gc
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from manualkit.schemas._base import FormSchema


def month_of(day: dt.date) -> str:
    """Return ``YYYY-MM`` of ``day`` (a date or a date-time)."""
    return f"{day.year:04d}-{day.month:02d}"


@dataclass(frozen=True, slots=True)
class MonthRole:
    """What a form is in a manager's month; see the module's docstring."""

    role: str
    dated_by: str
    required: bool = False
    rows_dated_by: str | None = None
    weekly: bool = False
    prepared_by: str | None = None
    customer_field: str | None = None
    reads: tuple[str, ...] = ()
    row_reads: tuple[str, ...] = ()
    manager_field: str = "manager"

    def manager(self, record: FormSchema) -> str:
        """Return the account manager the record belongs to, as typed (stripped)."""
        return str(getattr(record, self.manager_field, "") or "").strip()

    def months(self, record: FormSchema) -> set[str]:
        """Return the months (``YYYY-MM``) the record is about."""
        if self.rows_dated_by:
            return {month_of(day) for row in record.table() if (day := getattr(row, self.rows_dated_by)) is not None}
        return _months(getattr(record, self.dated_by))

    def packed_manager(self, header: dict[str, Any]) -> str:
        """Return ``manager`` of a record ``pack`` made plain, without building it again."""
        return str(header.get(self.manager_field) or "").strip()

    def packed_months(self, model: type[FormSchema], header: dict[str, Any],
                      columns: tuple[tuple[Any, ...], ...]) -> set[str]:
        """Return ``months`` of a record ``pack`` made plain, without building it again."""
        if not self.rows_dated_by:
            return _months(header.get(self.dated_by))
        row_model = model.row_model()
        if not columns or row_model is None:
            return set()
        days = columns[self._row_names(row_model).index(self.rows_dated_by)]
        return {month_of(day) for day in days if day is not None}

    def week(self, record: FormSchema) -> dt.date | None:
        """Return the Monday of the week a weekly record plans (None for other roles)."""
        return getattr(record, self.dated_by) if self.weekly else None

    def pack(self, record: FormSchema) -> tuple[dict[str, Any], tuple[tuple[Any, ...], ...]]:
        """Return what the month reads of ``record`` as plain values: header fields, and the rows by column.

        Only ``reads`` and ``row_reads`` are kept (all fields when none are declared): this is
        what a worker process sends back and the batch holds until the month's rules ran, so it
        is kept small: a column per field, equal values one object (a customer's code and name,
        a day, in every row of theirs), which pickling keeps shared.
        """
        model = type(record)
        header = {name: getattr(record, name) for name in self._header_names(model)}
        if not model.rows_field or (row_model := model.row_model()) is None:
            return header, ()
        rows, shared = record.table(), _Shared()
        return header, tuple(tuple(shared(getattr(row, name)) for row in rows) for name in self._row_names(row_model))

    def unpack(self, model: type[FormSchema], header: dict[str, Any],
               columns: tuple[tuple[Any, ...], ...]) -> FormSchema:
        """Return the record ``pack`` made plain, built without validating again (it was validated).

        Fields the month does not read are missing (``AttributeError``), not defaulted.
        """
        values = dict(header)
        if model.rows_field and (row_model := model.row_model()) is not None:
            names = self._row_names(row_model)
            given = set(names)
            was_collecting = gc.isenabled()
            gc.disable()  # a book's rows hold no cycles: the collector would only rescan them as they are made
            try:
                values[model.rows_field] = [_built(row_model, dict(zip(names, row, strict=True)), given)
                                            for row in zip(*columns, strict=True)]
            finally:
                if was_collecting:
                    gc.enable()
        return model.model_construct(**values)

    def _header_names(self, model: type[FormSchema]) -> tuple[str, ...]:
        names = self.reads or tuple(name for name in model.model_fields if name != model.rows_field)
        return tuple(dict.fromkeys((*names, self.manager_field, self.dated_by)))

    def _row_names(self, row_model: type[Any]) -> tuple[str, ...]:
        names = self.row_reads or tuple(row_model.model_fields)
        return tuple(dict.fromkeys((*names, *([self.rows_dated_by] if self.rows_dated_by else []))))


def _months(value: Any) -> set[str]:
    """Return the month of a ``YYYY-MM`` text, a date or a date-time; none for a blank (optional) one."""
    if value is None:
        return set()
    return {value if isinstance(value, str) else month_of(value)}


class _Shared:
    """Returns one object for equal values of one type (hashable ones), so that they are stored once."""

    def __init__(self) -> None:
        self.seen: dict[tuple[type, Any], Any] = {}

    def __call__(self, value: Any) -> Any:
        try:
            return self.seen.setdefault((type(value), value), value)
        except TypeError:  # a list (several choices): kept as it is
            return value


def _built(model: type[BaseModel], values: dict[str, Any], given: set[str]) -> BaseModel:
    """Return a row of ``model`` holding ``values`` as they are (they were validated).

    As pydantic's ``model_construct`` but without filling the defaults of the fields left
    out: a few times faster, which counts for a province's million rows.
    """
    row = model.__new__(model)
    object.__setattr__(row, "__dict__", values)
    object.__setattr__(row, "__pydantic_fields_set__", given)
    object.__setattr__(row, "__pydantic_extra__", None)
    object.__setattr__(row, "__pydantic_private__", None)
    return row
