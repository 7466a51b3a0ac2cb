"""Peer: a bare python-calamine read of a workbook's form sheet, every cell touched once.

Usage: python calamine_read.py BOOK.xlsx SHEET
This is the floor for any validator that reads with calamine: open, then iterate the rows.
"""

import sys

from python_calamine import CalamineWorkbook


def main(path: str, sheet_name: str) -> None:
    """Read every row of ``sheet_name`` and print how many rows and filled cells it has."""
    sheet = CalamineWorkbook.from_path(path).get_sheet_by_name(sheet_name)
    rows = cells = 0
    for row in sheet.iter_rows():
        rows += 1
        cells += sum(1 for value in row if value != "")
    sys.stdout.write(f"{rows} rows, {cells} cells\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
