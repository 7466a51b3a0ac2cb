"""The benchmarks' input files, generated once from a seed and kept in ``bench/data/``.

Each data set lives in its own folder with a ``key`` file naming what it was made from (the
generator's version, the seed, the template's layout); a folder whose key differs is made
again. Expected findings of the seeded defects are written beside the workbooks as JSON: a
list of ``{"code", "field", "row", "severity"}`` per file, ``row`` being the sheet's row.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench import books, province, workbook
from bench.workbook import Layout

GENERATOR_VERSION = "1"
SEED = 20261105
FILL_MONTH, BIG_MONTH = "2026-11", "2026-10"
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class Datasets:
    """Makes (or finds) each input under ``root``, using the given ``manualkit`` executable."""

    root: Path
    manualkit: Path

    def template(self) -> tuple[Path, Layout]:
        """Return the blank sign-in book template and its layout (made afresh, it is cheap)."""
        path = workbook.blank_template(self.root / "template", self.manualkit)
        return path, Layout.of(path)

    def fill_records(self, count: int = 200, rows: int = 30) -> Path:
        """Return a JSON list of ``count`` clean sign-in books of ``rows`` visits each."""
        def make(folder: Path) -> None:
            rng = random.Random(SEED)
            records = [books.as_json(books.book(rng, FILL_MONTH, rows, pool=300)) for _ in range(count)]
            _write_json(folder / "records.json", records)
        return self._cached(f"fill-{count}x{rows}", make, "") / "records.json"

    def big_book(self, n_rows: int, defects: int = 10) -> tuple[Path, Path]:
        """Return one book of ``n_rows`` visits with seeded defects, and its expected findings."""
        template, layout = self.template()

        def make(folder: Path) -> None:
            rng = random.Random(SEED + n_rows)
            record = books.book(rng, BIG_MONTH, n_rows)
            found = books.seed_defects(rng, record, defects)
            workbook.write_book(template, layout, record, folder / "book.xlsx")
            _write_json(folder / "expected.json", {"book.xlsx": _rows(found, layout)})
        folder = self._cached(f"book-{n_rows}", make, repr(layout))
        return folder / "book.xlsx", folder / "expected.json"

    def overlapping_book(self, n_rows: int) -> tuple[Path, int]:
        """Return one book of ``n_rows`` visits where each visit overlaps the one before (most rows a finding).

        Also returns how many ``time_overlap`` findings it must give.
        """
        template, layout = self.template()

        def make(folder: Path) -> None:
            rng = random.Random(SEED + n_rows + 1)
            record = books.book(rng, BIG_MONTH, n_rows)
            overlapping = books.overlap_every_visit(record)
            workbook.write_book(template, layout, record, folder / "book.xlsx")
            (folder / "overlapping.txt").write_text(str(overlapping), encoding="utf-8")
        folder = self._cached(f"overlapping-{n_rows}", make, repr(layout))
        return folder / "book.xlsx", int((folder / "overlapping.txt").read_text(encoding="utf-8"))

    def submissions(self, count: int = 1000, every: int = 10) -> tuple[Path, Path]:
        """Return a folder of ``count`` small books (one in ``every`` with a defect) and the findings."""
        template, layout = self.template()

        def make(folder: Path) -> None:
            rng = random.Random(SEED + count)
            (folder / "in").mkdir()
            expected = {}
            for n in range(count):
                record = books.book(rng, FILL_MONTH, rng.randint(20, 40), pool=300)
                found = books.seed_defects(rng, record, 1, first=n // every) if n % every == 0 else []
                name = f"{n + 1:04d}-{record['manager']}-{FILL_MONTH}-签到簿.xlsx"
                workbook.write_book(template, layout, record, folder / "in" / name)
                expected[name] = _rows(found, layout)
            _write_json(folder / "expected.json", expected)
        folder = self._cached(f"submissions-{count}", make, repr(layout))
        return folder / "in", folder / "expected.json"

    def province(self, count: int = 10_000) -> tuple[Path, Path]:
        """Return a province's month of ``count`` submissions (``bench.province``) and what validation must find."""
        def make(folder: Path) -> None:
            _write_json(folder / "expected.json", province.write_province(folder / "in", count, SEED))
        folder = self._cached(f"province-{count}", make, f"{province.VERSION} {self.template()[1]!r}")
        return folder / "in", folder / "expected.json"

    def _cached(self, name: str, make: Callable[[Path], None], key: str) -> Path:
        folder = self.root / name
        full_key = f"{GENERATOR_VERSION} {SEED} {key}"
        if (folder / "key").is_file() and (folder / "key").read_text(encoding="utf-8") == full_key:
            return folder
        shutil.rmtree(folder, ignore_errors=True)
        building = folder.with_name(folder.name + ".part")
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        make(building)
        (building / "key").write_text(full_key, encoding="utf-8")
        building.rename(folder)
        return folder


def _rows(found: list[books.Finding], layout: Layout) -> list[dict[str, Any]]:
    """Return the findings with the sheet's row instead of the 0-based data row."""
    result = []
    for finding in found:
        item = asdict(finding)
        item["row"] = layout.first_data_row + item.pop("index")
        result.append(item)
    return result


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
