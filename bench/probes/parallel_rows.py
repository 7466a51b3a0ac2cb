"""Probe of the validation proposal: the rows of one big book validated on both cores.

Usage: python -m bench.probes.parallel_rows BOOK.xlsx

What ``validate`` could do with one big file (docs/performance.md, "校验 100,000 行"): calamine
reads the sheet in this process, and the rows are validated in chunks of 10,000 by worker
processes while this one goes on. The probe times, after the same read, row validation here
against validation in a pool of one worker per CPU (the rows travel to the workers and the
rule fields of the sound rows come back), and checks that both give the same. Result
(12:21 UTC, load about 1.8): 1.6-2.2 s in the pool against 1.0-1.3 s here (3.5 s when whole
pydantic rows were sent back): slower on this machine. Kept as the record of a proposal that
was measured and dropped. Not product code.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from manualkit.schemas._base import RowModel
from manualkit.toolkit.reader import read_workbook
from manualkit.toolkit.registry import get_form

CHUNK = 10_000


def _model() -> type[RowModel]:
    model = get_form("sign-in-book").model.row_model()
    assert model is not None
    return model


def validate_chunk(rows: list[dict[str, Any]]) -> list[tuple[Any, ...] | None]:
    """Return what the cross-row rules need of each sound row, ``None`` for a row with field errors.

    Whole pydantic rows are not sent back: pickling 100,000 models costs more than validating them.
    """
    model, result = _model(), []
    for row in rows:
        try:
            made = model.model_validate(row)
        except ValidationError:
            result.append(None)
        else:
            result.append((made.date, made.arrived_at, made.left_at, made.customer_code))
    return result


def main(path: str) -> None:
    """Time row validation in this process against a pool of one worker per CPU."""
    rows = read_workbook(Path(path)).data()["rows"]
    chunks = [rows[i:i + CHUNK] for i in range(0, len(rows), CHUNK)]
    start = time.perf_counter()
    here = [made for chunk in chunks for made in validate_chunk(chunk)]
    middle = time.perf_counter()
    with ProcessPoolExecutor(os.cpu_count()) as pool:
        pooled = [made for part in pool.map(validate_chunk, chunks) for made in part]
    end = time.perf_counter()
    same = sum(a == b for a, b in zip(here, pooled, strict=True))
    sys.stdout.write(f"{len(rows)} rows: here {middle - start:.2f} s, pool of {os.cpu_count()} "
                     f"{end - middle:.2f} s (wall), same result {same}/{len(rows)}\n")


if __name__ == "__main__":
    main(sys.argv[1])
