"""The benchmark cases, one module each, in the order of the issue's table.

Each module defines ``case(env) -> Case`` and runs alone with ``python -m bench.cases.NAME``.
"""

CASES = ("validate_big", "memory_big", "validate_findings", "validate_folder", "province", "handbook", "startup",
         "fill_docx", "fill_xlsx")
