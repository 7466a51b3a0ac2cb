"""Peer: openpyxl in write-only mode writing the same cells as a filled sign-in book.

Usage: python openpyxl_fill.py RECORDS.json LAYOUT.json OUT_DIR
RECORDS is the list of books given to ``manualkit fill``; LAYOUT (made from our template by
the benchmark, untimed) says where the title, labels, header values and rows go. Each book
becomes one workbook with the same values in the same cells, the defined names of the header
fields and the hidden ``_manualkit`` sheet: what our writer must produce, without styles.
"""

import datetime as dt
import json
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.workbook.defined_name import DefinedName


def typed(name: str, value):
    """Return the cell value for a field: real dates and times, choices joined by 、."""
    if name == "date":
        return dt.date.fromisoformat(value)
    if name in ("arrived_at", "left_at"):
        return dt.time.fromisoformat(value)
    return "、".join(value) if isinstance(value, list) else value


def grid(record: dict, layout: dict) -> list[list]:
    """Return the rows above and including the labels, as lists of cell values."""
    rows = [[None] * layout["width"] for _ in range(layout["label_row"])]
    for coordinate, value in layout["fixed_cells"].items():
        letters, row = coordinate_from_string(coordinate)
        rows[row - 1][column_index_from_string(letters) - 1] = value
    for name, (row, column) in layout["header_cells"].items():
        rows[row - 1][column - 1] = record[name]
    return rows


def write(record: dict, layout: dict, path: Path) -> None:
    """Write one book in write-only mode."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(layout["sheet"])
    for row in grid(record, layout):
        sheet.append(row)
    order = sorted(layout["columns"], key=layout["columns"].get)
    for visit in record["rows"]:
        sheet.append([typed(name, visit.get(name)) for name in order])
    for name, (row, column) in layout["header_cells"].items():
        target = f"'{layout['sheet']}'!${get_column_letter(column)}${row}"
        workbook.defined_names[name] = DefinedName(name, attr_text=target)
    marks = workbook.create_sheet("_manualkit")
    for pair in layout["marks"]:
        marks.append(pair)
    marks.sheet_state = "hidden"
    workbook.save(path)


def main(records_path: str, layout_path: str, out_dir: str) -> None:
    """Write every record of RECORDS to OUT_DIR."""
    records = json.loads(Path(records_path).read_text(encoding="utf-8"))
    layout = json.loads(Path(layout_path).read_text(encoding="utf-8"))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for n, record in enumerate(records, start=1):
        write(record, layout, out / f"{n:03d}-{record['manager']}.xlsx")


if __name__ == "__main__":
    main(*sys.argv[1:4])
