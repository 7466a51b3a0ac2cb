"""Where each part of a form goes on its Excel sheet: title, header block, table.

Pure arithmetic over the schema, no openpyxl: the writer places cells where
this module says, and the same layout serves the blank and the filled form.
A form with a table is as wide as its table; a form without one is a column
of labels beside values merged over three columns.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from schemas._base import FormSchema, field_kind

TITLE_ROW = 1
NOTE_ROW = 2
FIRST_HEADER_ROW = 3
PLAIN_FORM_WIDTH = 4  # label + value merged over three columns
PAIRS_FROM_WIDTH = 6  # a table this wide fits two label/value pairs on a line
LONG_KINDS = frozenset({"longtext"})


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


def layout_of(model: type[FormSchema]) -> Layout:
    """Return where ``model``'s title, header fields, derived values and table go."""
    row_model = model.row_model()
    columns = tuple(
        (name, info.title or name, field_kind(info)) for name, info in row_model.model_fields.items()
    ) if row_model else ()
    width = max(len(columns), PLAIN_FORM_WIDTH)
    fields = [(name, info.title or name, field_kind(info), False) for name, info in model.header_fields().items()]
    fields += [(name, label, "text", True) for name, label in model.derived.items()]
    slots, next_row = _place(fields, width)
    table_row = next_row + 1 if columns else None
    return Layout(width, tuple(slots), table_row, columns)


def _place(fields: list[tuple[str, str, str, bool]], width: int) -> tuple[list[Slot], int]:
    """Place the header fields two to a line on wide sheets, long texts on a line of their own."""
    spans = [(1, width // 2), (width // 2 + 1, width)] if width >= PAIRS_FROM_WIDTH else [(1, width)]
    slots: list[Slot] = []
    row, position = FIRST_HEADER_ROW, 0
    for name, label, kind, derived in fields:
        alone = kind in LONG_KINDS
        if position and (alone or position == len(spans)):
            row, position = row + 1, 0
        first, last = (1, width) if alone else spans[position]
        slots.append(Slot(name, label, kind, row, first, last, derived))
        position = len(spans) if alone else position + 1
    return slots, (row + 1 if fields else row)


def text_width(text: str) -> int:
    """Return how many character cells ``text`` takes: Chinese characters count two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
