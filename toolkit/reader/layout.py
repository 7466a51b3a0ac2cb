"""Find a form's values on a sheet in one pass over its rows: header fields, table, positions.

Header fields are taken from their defined-name cells when the workbook has
them, else from the cell right of their label. The table is found by its header
row (the row holding at least two of the row labels); its data runs from the
next row to the first row holding a header label or a named header cell (or
the end), and blank rows are skipped. Nothing here knows a particular form.
"""

from __future__ import annotations

import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, chain, compress, islice
from operator import itemgetter
from typing import Any

from manualkit.schemas._base import FormSchema, field_kind
from manualkit.toolkit.reader.names import cell_name, column_letters
from manualkit.toolkit.rowcheck import TableReader

_CHUNK_ROWS = 2048  # table rows handed to the sink's reader at once: few enough to hold, enough to check as columns
_TEXT_KINDS = frozenset({"text", "longtext", "signature", "code", "phone", "choice", "choices", "month"})
# Columns whose values repeat down a long table (a few signers, thirty days, times of day):
# the rows share one object per value instead of holding a copy each, which matters at 200,000 rows.
_REPEATING_KINDS = frozenset({"signature", "date", "time", "choice", "bool"})


@lru_cache(maxsize=4096)
def normalize_label(text: str) -> str:
    """Return a label as compared: NFKC, no spaces, no trailing colon, no required-mark asterisk."""
    folded = "".join(unicodedata.normalize("NFKC", text).split())
    return folded.strip("*").rstrip(":").strip("*")


@dataclass(slots=True)
class SheetScan:
    """What one pass over a form's sheet found (rows and columns 0-based)."""

    header: dict[str, Any] = field(default_factory=dict)
    header_cells: dict[str, tuple[int, int]] = field(default_factory=dict)
    table_row: int | None = None
    columns: dict[str, int] = field(default_factory=dict)
    unknown_columns: list[tuple[str, int]] = field(default_factory=list)
    repeated_columns: list[tuple[str, int]] = field(default_factory=list)  # a label a second time: ignored
    rows: list[dict[str, Any]] = field(default_factory=list)
    row_indexes: array[int] = field(default_factory=lambda: array("q"))  # compact: one per table row
    numeric_codes: list[tuple[str, int | None]] = field(default_factory=list)
    streamed: bool = False  # the rows went to a sink and are not in ``rows``

    def cell(self, name: str, row: int | None = None) -> str | None:
        """Return the A1 cell of header field ``name`` or of row field ``name`` in table row ``row``."""
        if row is None:
            position = self.header_cells.get(name)
            return cell_name(*position) if position else None
        column = self.columns.get(name)
        return f"{column_letters(column)}{self.row_indexes[row] + 1}" if column is not None else None


RowSink = Callable[[dict[str, Any]], None]


def scan_sheet(
    model: type[FormSchema],
    rows: Iterable[list[Any]],
    first_column: int,
    named: dict[str, tuple[int, int]],
    sink: RowSink | None = None,
) -> SheetScan:
    """Return the header values, table rows and positions of ``model`` found in ``rows``.

    Args:
        model: the form.
        rows: the sheet's rows from the first row, each a list of values starting at ``first_column``.
        first_column: the 0-based column of each row list's first value.
        named: header field → (row, column) of its defined-name cell on this sheet.
        sink: if given, each table row is handed to it as soon as it is read instead of being kept
            in ``SheetScan.rows`` (so that a 200,000-row book is never held twice). A sink with a
            ``table_reader(columns, as_record)`` method is asked, once the table's columns are
            known, for a ``TableReader`` that takes the rows' cells itself, a chunk at a time; ``as_record`` turns
            cells into the row dict the sink would otherwise have been given.
    """
    return _Scanner(model, first_column, named, sink).run(rows)


class _Scanner:
    """The one-pass state machine behind ``scan_sheet``: before, in and after the table."""

    def __init__(self, model: type[FormSchema], first_column: int, named: dict[str, tuple[int, int]],
                 sink: RowSink | None) -> None:
        self.model, self.offset, self.found = model, first_column, SheetScan()
        self.sink = sink or self.found.rows.append
        self.found.streamed = sink is not None
        header = model.header_fields()
        header.pop(model.rows_field or "", None)
        self.header_labels: dict[str, str | None] = {normalize_label(i.title or n): n for n, i in header.items()}
        self.header_labels.update({normalize_label(label): None for label in model.derived.values()})
        self.header_kinds = {name: field_kind(info) for name, info in header.items()}
        self.named = {name: position for name, position in named.items() if name in header}
        self.named_rows = {row for row, _ in self.named.values()}
        row_model = model.row_model()
        row_fields = row_model.model_fields if row_model else {}
        self.row_labels = {normalize_label(info.title or name): name for name, info in row_fields.items()}
        self.row_kinds = {name: field_kind(info) for name, info in row_fields.items()}
        self.phase = "before" if self.row_labels else "after"
        # The table's columns once found: (field, position in the row, kind, the values its cells share).
        self.columns: list[tuple[str, int, str, dict[Any, Any] | None]] = []
        self.by_label: dict[str, tuple[int, int, Any]] = {}
        self.reader: TableReader | None = None  # the sink's own reader of table rows, if it has one

    def run(self, rows: Iterable[list[Any]]) -> SheetScan:
        remaining: Iterator[list[Any]] = iter(rows)
        index = 0
        while (cells := next(remaining, None)) is not None:
            if self.phase == "table" and not self._ends_table(index, cells):
                if self.reader is None:
                    self._table_row(index, cells)
                    index += 1
                    continue
                index, rest = self._read_table(index, cells, remaining)
                remaining = chain(rest, remaining)  # from the row past the table on, if there is one
                continue
            self._header_row(index, cells)
            if self.phase == "before" and self._is_table_header(cells):
                self._start_table(index, cells)
            index += 1
        self._take_labelled_values()
        return self.found

    # Header fields
    def _header_row(self, index: int, cells: list[Any]) -> None:
        for named, (row, column) in self.named.items():
            if row == index:
                self._set_header(named, row, column, _at(cells, column - self.offset))
        labels = [(j, self.header_labels[key]) for j, value in enumerate(cells)
                  if isinstance(value, str) and (key := normalize_label(value)) in self.header_labels]
        for position, (j, name) in enumerate(labels):
            if name is None or name in self.by_label:
                continue
            stop = labels[position + 1][0] if position + 1 < len(labels) else len(cells)
            filled = next((k for k in range(j + 1, stop) if not _blank(cells[k])), j + 1)
            self.by_label[name] = (index, filled + self.offset, _at(cells, filled))

    def _take_labelled_values(self) -> None:
        for name, (row, column, value) in self.by_label.items():
            if name not in self.named:
                self._set_header(name, row, column, value)

    def _set_header(self, name: str, row: int, column: int, value: Any) -> None:
        self.found.header_cells[name] = (row, column)
        converted = to_field_value(value, self.header_kinds[name])
        if converted is not None:
            self.found.header[name] = converted
            if self.header_kinds[name] == "code" and value.__class__ in (float, int):  # .xls gives whole numbers as int
                self.found.numeric_codes.append((name, None))

    # Table
    def _is_table_header(self, cells: list[Any]) -> bool:
        hits = sum(1 for value in cells if isinstance(value, str) and normalize_label(value) in self.row_labels)
        return hits >= min(2, len(self.row_labels))

    def _start_table(self, index: int, cells: list[Any]) -> None:
        self.phase, self.found.table_row = "table", index
        for j, value in enumerate(cells):
            if _blank(value):
                continue
            name = self.row_labels.get(normalize_label(str(value)))
            if name is not None and name not in self.found.columns:
                self.found.columns[name] = j + self.offset
            elif name is not None:
                self.found.repeated_columns.append((name, j + self.offset))
            elif normalize_label(str(value)) not in self.header_labels:
                self.found.unknown_columns.append((str(value).strip(), j + self.offset))
        self.columns = [(name, column - self.offset, kind, {} if kind in _REPEATING_KINDS else None)
                        for name, column in self.found.columns.items() for kind in [self.row_kinds[name]]]
        self.code_columns = [(name, j) for name, j, kind, _ in self.columns if kind == "code"]
        if make_reader := getattr(self.sink, "table_reader", None):
            columns = [(name, j, _converter(kind)) for name, j, kind, _ in self.columns]
            self.reader = make_reader(columns, self._record)

    def _ends_table(self, index: int, cells: list[Any]) -> bool:
        """Return whether this row is past the table: a named header cell, or a row starting with a header label."""
        first: Any = ""
        for value in cells:
            if value != "":
                first = value
                break
        if index in self.named_rows or (first.__class__ is str and normalize_label(first) in self.header_labels):
            self.phase = "after"
            return True
        return False

    def _table_row(self, index: int, cells: list[Any]) -> None:
        record = self._record(cells, numeric_codes=True)
        if record:
            self.sink(record)
            self.found.row_indexes.append(index)

    def _read_table(self, index: int, cells: list[Any], remaining: Iterator[list[Any]]) -> tuple[int, list[list[Any]]]:
        """Hand the table's rows, from ``cells`` (row ``index``) on, to the sink's reader a chunk at a time.

        Return the index of the first row not handed on and the rows of the last chunk from it
        on: the row past the table (the phase is "after" then) and those after it, or nothing.
        """
        assert self.reader is not None
        chunk, looked_at = [cells], 1  # ``run`` has seen that the first row is in the table
        while True:
            chunk += islice(remaining, _CHUNK_ROWS - len(chunk))
            end = self._table_end(index, chunk, looked_at)
            self._hand(index, chunk if end is None else chunk[:end])
            if end is not None:
                return index + end, chunk[end:]
            index += len(chunk)
            if len(chunk) < _CHUNK_ROWS:
                return index, []
            chunk, looked_at = [], 0

    def _table_end(self, index: int, chunk: list[list[Any]], looked_at: int) -> int | None:
        """Return where in ``chunk`` (from row ``index``) the first row past the table is, if it is there.

        ``looked_at``: how many of its first rows are known to be in the table. Only a row
        starting with text (or blank) can start with a header label: the others are not looked into.
        """
        named = [row - index for row in self.named_rows if index + looked_at <= row < index + len(chunk)]
        stop = min(named, default=len(chunk))
        firsts = [row[0] if row else "" for row in chunk[looked_at:stop]]
        for position in [position for position, value in enumerate(firsts, looked_at) if value.__class__ is str]:
            if self._ends_table(index + position, chunk[position]):
                return position
        if stop < len(chunk):
            self.phase = "after"
            return stop
        return None

    def _hand(self, index: int, rows: list[list[Any]]) -> None:
        """Hand table rows (from row ``index``) to the sink's reader; note where the held ones are."""
        if not rows:
            return
        assert self.reader is not None
        found = self.found
        held = self.reader(rows)
        numbers = [(position, order, name) for order, (name, j) in enumerate(self.code_columns)
                   for position in _numbers_in(rows, j)]  # a code Excel stores as a number may have lost its zeros
        if numbers:
            ranks = list(accumulate(held))  # a held row's place among the held rows, plus one
            first = len(found.row_indexes)
            found.numeric_codes += [(name, first + ranks[position] - 1)
                                    for position, _, name in sorted(numbers) if held[position]]
        found.row_indexes.extend(compress(range(index, index + len(rows)), held))

    def _record(self, cells: list[Any], numeric_codes: bool = False) -> dict[str, Any]:
        """Return one table row's values by field name (blank cells left out)."""
        record: dict[str, Any] = {}
        width = len(cells)
        for name, j, kind, shared in self.columns:
            value = cells[j] if j < width else ""
            cls = value.__class__
            if cls is str:  # the common cases first and cheap: 200,000-row books exist
                if value and (value[0] > " " or value.strip()):
                    record[name] = shared.setdefault(value, value) if shared is not None else value
            elif cls is not float and cls is not int:  # dates, times, booleans: as the field types take them
                record[name] = shared.setdefault(value, value) if shared is not None else value
            else:
                record[name] = _CONVERTERS.get(kind, _as_value)(value)
                if kind == "code" and numeric_codes:
                    self.found.numeric_codes.append((name, len(self.found.row_indexes)))
        return record


def _numbers_in(rows: list[list[Any]], j: int) -> list[int]:
    """Return where in ``rows`` cell ``j`` holds a number (found in C when none does)."""
    try:
        column = list(map(itemgetter(j), rows))
    except IndexError:  # a short row
        column = [cells[j] if j < len(cells) else "" for cells in rows]
    kinds = set(map(type, column))
    if float not in kinds and int not in kinds:
        return []
    return [position for position, value in enumerate(column) if value.__class__ in (float, int)]


def _converter(kind: str) -> Callable[[Any], Any]:
    """Return the cell → field value conversion of a table column of ``kind`` (``None`` for a blank cell).

    The same values as the scanner's own row dicts (``_Scanner._record``) hold.
    """
    number = _CONVERTERS.get(kind, _as_value)

    def convert(value: Any) -> Any:
        cls = value.__class__
        if cls is str:
            return value if value and (value[0] > " " or value.strip()) else None
        return number(value) if cls is float or cls is int else value
    return convert


def to_field_value(value: Any, kind: str) -> Any:
    """Return a cell's value as the field types expect it; ``None`` for a blank cell."""
    return None if value == "" else _CONVERTERS.get(kind, _as_value)(value)


def _as_text(value: Any) -> Any:
    """A number typed in a text cell is the text shown: ``4301.0`` → ``"4301"``."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value) if value.__class__ is int else value  # .xls and .ods give whole numbers as int


def _as_value(value: Any) -> Any:
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


_CONVERTERS: dict[str, Callable[[Any], Any]] = dict.fromkeys(_TEXT_KINDS, _as_text)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _at(cells: list[Any], index: int) -> Any:
    return cells[index] if 0 <= index < len(cells) else ""
