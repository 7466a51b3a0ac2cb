"""Peer: ``frictionless`` validating a sign-in book sheet against an equivalent Table Schema.

Usage: python frictionless_validate.py BOOK.xlsx SCHEMA.json SHEET HEADER_ROW
The schema comes from ``bench.table_schema`` (made untimed by the benchmark). All errors are
collected (no limit), as a validator that reports every finding must. Prints the error count
by type; the exit code is 0 whether or not the data is valid.
"""

import json
import sys
from collections import Counter
from pathlib import Path

from frictionless import Dialect, Resource, Schema, formats


def main(path: str, schema_path: str, sheet: str, header_row: str) -> None:
    """Validate the sheet and print a summary of the errors found."""
    schema = Schema.from_descriptor(json.loads(Path(schema_path).read_text(encoding="utf-8")))
    dialect = Dialect(header_rows=[int(header_row)], controls=[formats.ExcelControl(sheet=sheet)])
    book = Path(path).resolve()  # frictionless refuses absolute paths unless given a basepath
    resource = Resource(book.name, basepath=str(book.parent), schema=schema, dialect=dialect)
    report = resource.validate(limit_errors=10**9)
    types = Counter(error.type for task in report.tasks for error in task.errors)
    rows = report.tasks[0].stats.get("rows") if report.tasks else None
    sys.stdout.write(json.dumps({"rows": rows, "errors": dict(types)}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:5])
