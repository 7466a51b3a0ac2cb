"""Where each part of a form goes on its Excel sheet: title, header block, table.

Pure arithmetic over the schema, no openpyxl: the writer places cells where
this module says, and the same layout serves the blank and the filled form.
A form with a table is as wide as its table; a form without one is a column
of labels beside values merged over three columns. Fields the form has after
its table (a report's reviewer) go below the table, so where they go depends on
how many rows the table has.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from manualkit.schemas._base import FormSchema, field_kind
from manualkit.toolkit.textwidth import display_width

TITLE_ROW = 1
NOTE_ROW = 2
FIRST_HEADER_ROW = 3
PLAIN_FORM_WIDTH = 4  # label + value merged over three columns
PAIRS_FROM_WIDTH = 6  # a table this wide fits two label/value pairs on a line
LONG_KINDS = frozenset({"longtext"})
MIN_WIDTH, MAX_WIDTH, LABEL_WIDTH = 8, 40, 24  # column widths, in characters
WIDE_KINDS = {"choices": 26, "longtext": 34}
WIDTH_SAMPLE = 200  # table rows looked at when fitting the column widths
LINE_HEIGHT, ROW_HEIGHT, LONG_TEXT_HEIGHT = 14.5, 24, 60  # points


@dataclass(frozen=True, slots=True)
class Slot:
    """One header field: its label cell and its value cell (merged up to ``last_column``)."""

    name: str
    label: str
    kind: str
    row: int
    column: int  # the label's column; the value starts one to the right
    last_column: int
    derived: bool = False


@dataclass(frozen=True, slots=True)
class Layout:
    """The positions of everything on one form's sheet (1-based rows and columns)."""

    width: int
    slots: tuple[Slot, ...]
    table_row: int | None  # the header row of the table, if the form has one
    columns: tuple[tuple[str, str, str], ...]  # (name, label, kind) of each table column
    table_rows: int = 0  # the rows of the table (blank or filled) the slots below it are placed after

    @property
    def below_table(self) -> tuple[Slot, ...]:
        """Return the slots placed below the table (the fields that follow it on the form)."""
        return tuple(slot for slot in self.slots if self.table_row is not None and slot.row > self.table_row)

    @property
    def last_row(self) -> int:
        """Return the last row the form fills: its last slot or its table's last row."""
        table_end = self.table_row + self.table_rows if self.table_row is not None else 0
        return max([table_end, *(slot.row for slot in self.slots)])


def layout_of(model: type[FormSchema], table_rows: int = 0, *, derived: bool = True) -> Layout:
    """Return where ``model``'s title, header fields, derived values and table (of ``table_rows``) go.

    ``derived``: whether to place the derived values (a blank form has none to show).
    """
    row_model = model.row_model()
    columns = tuple(
        (name, info.title or name, field_kind(info)) for name, info in row_model.model_fields.items()
    ) if row_model else ()
    width = max(len(columns), PLAIN_FORM_WIDTH)
    fields = [(name, info.title or name, field_kind(info), False) for name, info in model.header_fields().items()]
    fields += [(name, label, "text", True) for name, label in model.derived.items() if derived]
    cut = list(model.model_fields).index(model.rows_field) if model.rows_field else len(fields)  # before the table
    slots, next_row = _place(fields[:cut], width, FIRST_HEADER_ROW)
    table_row = next_row + 1 if columns else None
    if table_row is not None and fields[cut:]:
        slots += _place(fields[cut:], width, table_row + table_rows + 2)[0]  # a spare line under the table
    return Layout(width, tuple(slots), table_row, columns, table_rows)


def _place(fields: list[tuple[str, str, str, bool]], width: int, first_row: int) -> tuple[list[Slot], int]:
    """Place the header fields two to a line on wide sheets, long texts on a line of their own."""
    spans = [(1, width // 2), (width // 2 + 1, width)] if width >= PAIRS_FROM_WIDTH else [(1, width)]
    slots: list[Slot] = []
    row, position = first_row, 0
    for name, label, kind, derived in fields:
        alone = kind in LONG_KINDS
        if position and (alone or position == len(spans)):
            row, position = row + 1, 0
        first, last = (1, width) if alone else spans[position]
        slots.append(Slot(name, label, kind, row, first, last, derived))
        position = len(spans) if alone else position + 1
    return slots, (row + 1 if fields else row)


def column_widths(layout: Layout, record: FormSchema | None) -> list[float]:
    """Return the width of each column: it fits the labels and values, Chinese counted double."""
    widths: list[float] = [MIN_WIDTH] * layout.width
    rows = record.table()[:WIDTH_SAMPLE] if record is not None else []
    for index, (name, label, kind) in enumerate(layout.columns):
        widest = max([display_width(label), *(display_width(shown(getattr(row, name))) for row in rows)]) + 2
        widths[index] = min(max(widest, WIDE_KINDS.get(kind, MIN_WIDTH)), MAX_WIDTH)
    if not layout.columns:
        widths = [MIN_WIDTH, *[22.0] * (layout.width - 1)]
    for slot in layout.slots:  # a label column fits its labels, up to a point (then they wrap)
        index = slot.column - 1
        widths[index] = max(widths[index], min(display_width(slot.label) + 2, LABEL_WIDTH))
    return widths


def header_heights(layout: Layout, record: FormSchema | None, widths: list[float]) -> dict[int, float]:
    """Return the height of each header line, tall enough for its wrapped labels and values.

    Office suites do not grow a row to fit wrapped text on their own when opening a file.
    """
    heights: dict[int, float] = {}
    for slot in layout.slots:
        value = getattr(record, slot.name) if record is not None else None
        lines = max(wrapped_lines(slot.label, widths[slot.column - 1]),
                    wrapped_lines(shown(value), sum(widths[slot.column:slot.last_column])))
        least = LONG_TEXT_HEIGHT if slot.kind in LONG_KINDS else ROW_HEIGHT
        heights[slot.row] = max(least, lines * LINE_HEIGHT + 6, heights.get(slot.row, 0))
    return heights


def table_row_height(texts: list[str], widths: list[float]) -> float | None:
    """Return the height a table row of ``texts`` needs, ``None`` when one line is enough."""
    lines = max((wrapped_lines(text, width) for text, width in zip(texts, widths, strict=False)), default=1)
    return lines * LINE_HEIGHT + 4 if lines > 1 else None


@lru_cache(maxsize=65536)  # a batch's tables repeat their texts, and their columns' widths
def wrapped_lines(text: str, width: float) -> int:
    """Return how many lines ``text`` wraps to in a column ``width`` characters wide."""
    usable = int(max(width - 1.5, 1))
    if "\n" not in text:
        return max(1, -(-display_width(text) // usable))
    return sum(max(1, -(-display_width(part) // usable)) for part in text.split("\n"))


def shown(value: Any) -> str:
    """Return ``value`` as the text whose size decides widths and heights."""
    if type(value) is str:
        return value
    if isinstance(value, list):
        return "、".join(map(str, value))
    return "" if value is None else str(value)
