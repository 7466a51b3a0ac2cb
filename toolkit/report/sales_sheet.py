"""Read the sales system's export: one row per customer and month, .xlsx (first sheet) or .csv.

The header row holds the labels 客户编码 | 客户名称 | 月份 | 销量（条） | 销售额（元）
(in any order, anywhere in the first rows, full- or half-width brackets); other
columns are ignored. A CSV file may be UTF-8 with or without BOM, or GBK. Codes
stay text, so leading zeros survive. What cannot be read is a finding that
names the file, the cell and the label; the row is then left out of the sums.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from pydantic import TypeAdapter, ValidationError

from manualkit.schemas._types import Amount, Code, Month
from manualkit.toolkit.errors import WorkbookReadError
from manualkit.toolkit.files import not_regular
from manualkit.toolkit.month.provenance import Finding, RowRef, Source, finding
from manualkit.toolkit.reader import check_readable
from manualkit.toolkit.reader.guard import MAX_FILE_BYTES

# The sales sheet's findings cite the clause the analysis rests on: the customers' sales situation.
SALES_CLAUSE = "§4.4.1"

SALES_LABELS: dict[str, str] = {
    "customer_code": "客户编码",
    "customer_name": "客户名称",
    "month": "月份",
    "volume": "销量（条）",
    "amount": "销售额（元）",
}
_HEADER_SEARCH_ROWS = 30
_CODE: TypeAdapter[str] = TypeAdapter(Code)
_MONTH: TypeAdapter[str] = TypeAdapter(Month)
_AMOUNT: TypeAdapter[Decimal] = TypeAdapter(Amount)
_HINTS = {
    "customer_code": "应为客户编码",
    "month": "应写作 2026-11 这样的年月，或该月中的一个日期",
    "volume": "应为数字",
    "amount": "应为数字",
}


@dataclass(frozen=True, slots=True)
class SalesRow:
    """One customer's sales in one month, and the row it came from."""

    customer_code: str
    customer_name: str
    month: str
    volume: Decimal
    amount: Decimal | None
    ref: RowRef


@dataclass(frozen=True, slots=True)
class SalesSheet:
    """The rows of a sales sheet that could be read, the columns found, and the findings."""

    path: str
    rows: tuple[SalesRow, ...]
    columns: frozenset[str]
    findings: tuple[Finding, ...] = ()

    def only(self, customers: frozenset[str]) -> tuple[SalesSheet, list[str]]:
        """Return the sheet keeping only ``customers``' rows, and the other customers' codes (sorted)."""
        kept = tuple(row for row in self.rows if row.customer_code in customers)
        others = sorted({row.customer_code for row in self.rows} - customers)
        return replace(self, rows=kept), others


class _UnreadableError(Exception):
    """The file is not a spreadsheet or CSV file we can open; the message is Chinese."""


def read_sales(path: Path) -> SalesSheet:
    """Return the sales rows of ``path`` (.xlsx first visible sheet, or .csv) and what was wrong."""
    try:
        sheet, grid = _read_grid(path)
    except _UnreadableError as exc:
        return SalesSheet(str(path), (), frozenset(), (finding("unreadable_file", str(exc), Source(str(path))),))
    header_row, columns = _find_header(grid)
    source = Source(
        str(path), sheet, rows=tuple(line for line, _ in grid),
        columns={name: get_column_letter(index + 1) for name, index in columns.items()},
    )
    found = [
        finding("missing_column", f"销售表缺少“{label}”列", source, label=label, clause=SALES_CLAUSE)
        for name, label in SALES_LABELS.items() if name not in columns
    ]
    rows: list[SalesRow] = []
    if "customer_code" in columns and "month" in columns and "volume" in columns:
        for position in range(header_row, len(grid)):
            row, problems = _parse_row(grid[position][1], columns, source.ref(position))
            rows += [row] if row else []
            found += problems
    return SalesSheet(str(path), tuple(rows), frozenset(columns), tuple(found))


# Read


def _read_grid(path: Path) -> tuple[str | None, list[tuple[int, Sequence[Any]]]]:
    """Return the sheet title (None for CSV) and the rows with their 1-based line numbers."""
    suffix = path.suffix.lower()
    if problem := not_regular(path):
        raise _UnreadableError(f"销售表 {path.name}：{problem}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise _UnreadableError(f"销售表 {path.name} 过大（超过 {MAX_FILE_BYTES // 1024 // 1024} MB）")
    if suffix in (".xlsx", ".xlsm"):
        return _read_workbook(path)
    if suffix in (".csv", ".txt"):
        return None, list(enumerate(csv.reader(io.StringIO(_decode(path.read_bytes()), newline="")), 1))
    if suffix == ".xls":
        raise _UnreadableError(f"{path.name} 是旧版 Excel（.xls）文件，请另存为 .xlsx 或 .csv 后再试")
    raise _UnreadableError(f"{path.name} 不是 .xlsx 或 .csv 文件")


def _read_workbook(path: Path) -> tuple[str, list[tuple[int, Sequence[Any]]]]:
    try:
        check_readable(path)  # the reader's guard: no zip bombs, encrypted or absurdly large sheets
    except WorkbookReadError as exc:
        raise _UnreadableError(f"{path.name}：{exc}") from exc
    try:
        with path.open("rb") as handle:  # a file object: the name may not be UTF-8
            book = load_workbook(handle, read_only=True, data_only=True)
            try:
                sheet = next((ws for ws in book.worksheets if ws.sheet_state == "visible"), book.worksheets[0])
                return sheet.title, list(enumerate(sheet.iter_rows(values_only=True), 1))
            finally:
                book.close()
    except Exception as exc:  # openpyxl fails in many ways (XML cut short, odd parts): all mean "cannot open"
        raise _UnreadableError(
            f"{path.name} 无法作为 Excel 工作簿打开（文件损坏；供技术人员参考：{type(exc).__name__}）") from exc


def _decode(data: bytes) -> str:
    """Return CSV text: UTF-8 (with or without BOM), else GBK (read as its superset GB18030)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise _UnreadableError("销售表的编码无法识别，请另存为 UTF-8 或 GBK 编码的 CSV 文件") from exc


def _find_header(grid: list[tuple[int, Sequence[Any]]]) -> tuple[int, dict[str, int]]:
    """Return the position of the header row in ``grid`` and the column index of each label found."""
    wanted = {_folded(label): name for name, label in SALES_LABELS.items()}
    best: tuple[int, dict[str, int]] = (0, {})
    for position, (_, values) in enumerate(grid[:_HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for index, value in enumerate(values):
            name = wanted.get(_folded(value))
            if name is not None:
                columns.setdefault(name, index)
        if len(columns) > len(best[1]):
            best = (position + 1, columns)
    return best


def _folded(value: Any) -> str:
    """Return a header cell as compared with the labels: NFKC, without spaces."""
    return "".join(unicodedata.normalize("NFKC", str(value or "")).split())


# Parse


def _parse_row(
    values: Sequence[Any], columns: dict[str, int], ref: RowRef
) -> tuple[SalesRow | None, list[Finding]]:
    """Return the row read from ``values`` (None if blank or unusable) and what was wrong with it.

    A bad code, month or volume keeps the row out of the sums; a bad or blank amount
    only leaves the amount unknown.
    """
    raw = {name: _blank(values[index]) if index < len(values) else None for name, index in columns.items()}
    label = _folded(raw.get("customer_code") or raw.get("customer_name"))
    if all(value is None for value in raw.values()) or label in _TOTALS:
        return None, []  # a blank line, or the export's own 合计 line: not a customer
    parsed: dict[str, Any] = {}
    found: list[Finding] = []
    for name, adapter in (("customer_code", _CODE), ("month", _MONTH), ("volume", _AMOUNT), ("amount", _AMOUNT)):
        if name in columns:
            try:
                parsed[name] = adapter.validate_python(raw[name])
            except ValidationError:
                found.append(_bad_value(name, raw[name], ref))
    if any(name not in parsed for name in ("customer_code", "month", "volume")):
        return None, found
    row = SalesRow(
        customer_code=parsed["customer_code"],
        customer_name=str(raw.get("customer_name") or "").strip(),
        month=parsed["month"],
        volume=parsed["volume"],
        amount=parsed.get("amount"),
        ref=ref,
    )
    return row, found


_TOTALS = {"合计", "总计", "小计", "共计"}


def _blank(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _bad_value(name: str, value: Any, ref: RowRef) -> Finding:
    label = SALES_LABELS[name]
    effect = "该行销售额未计入" if name == "amount" else "该行未计入"
    if value is None:
        return finding("missing_required", f"“{label}”为必填项，{effect}", ref,
                       field_name=name, label=label, clause=SALES_CLAUSE)
    code = "invalid_date" if name == "month" else "invalid_type"
    return finding(code, f"“{label}”{_HINTS[name]}（填写的是“{value}”），{effect}", ref,
                   field_name=name, label=label, value=str(value), clause=SALES_CLAUSE)

