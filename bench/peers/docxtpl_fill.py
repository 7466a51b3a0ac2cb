"""Peer: a plain docxtpl loop filling the sign-in book's Word template once per record.

Usage: python docxtpl_fill.py TEMPLATE.docx RECORDS.json OUT_DIR
For each record: ``DocxTemplate(path)``, ``render(context)``, ``save``, as anyone would write
it from docxtpl's documentation. The context holds what our templates read (header values,
``rows`` of display values, the ``tick`` and ``blank_rows`` helpers), built from the JSON
without validation: the peer does less than ``manualkit fill``, never more.
"""

import json
import sys
from pathlib import Path

from docxtpl import DocxTemplate


def display(value):
    """Return a JSON value as the form shows it: empty for null, lists kept."""
    if value is None:
        return ""
    return value if isinstance(value, list) else str(value)


def context(record: dict) -> dict:
    """Return the template context of one sign-in book."""
    result = {name: display(value) for name, value in record.items() if name != "rows"}
    result["rows"] = [{name: display(value) for name, value in row.items()} for row in record["rows"]]
    result["tick"] = lambda value, option: "☑" if option in (value if isinstance(value, list) else [value]) else "☐"
    result["blank_rows"] = lambda count: [{}] * count
    return result


def main(template: str, records_path: str, out_dir: str) -> None:
    """Render every record of RECORDS into OUT_DIR."""
    records = json.loads(Path(records_path).read_text(encoding="utf-8"))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for n, record in enumerate(records, start=1):
        document = DocxTemplate(template)
        document.render(context(record))
        document.save(out / f"{n:03d}-{record['manager']}.docx")
    sys.stdout.write(f"{len(records)} documents\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
