"""Fill the same 200 sign-in books as .xlsx: ``manualkit fill`` against openpyxl writing the cells."""

from __future__ import annotations

import json
from pathlib import Path

from bench.env import Env
from bench.findings import files_written
from bench.harness import Command
from bench.suite import Case, Target
from bench.workbook import FORM, Layout
from manualkit.toolkit import __version__

COUNT, ROWS = 200, 30


def layout_file(layout: Layout, folder: Path) -> Path:
    """Write what the openpyxl peer needs to know of our template as JSON; return its path."""
    path = folder / "layout.json"
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "sheet": layout.sheet, "label_row": layout.label_row, "columns": layout.columns,
        "width": max(layout.columns.values()), "header_cells": layout.header_cells,
        "fixed_cells": layout.fixed_cells,
        "marks": [["form_id", FORM.form_id], ["version", FORM.model.version],
                  ["generator", f"manualkit {__version__}"]],
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def case(env: Env) -> Case:
    """Return the case: both write 200 workbooks with the same values in the same cells."""
    records = env.data.fill_records(COUNT, ROWS)
    _, layout = env.data.template()
    layout_path = layout_file(layout, env.data.root / "xlsx-layout")
    ours_out, peer_out = env.folder("fill-xlsx/manualkit"), env.folder("fill-xlsx/openpyxl")
    peer = Command("openpyxl 只写模式", env.peer("openpyxl_fill.py", records, layout_path, peer_out),
                   prepare=env.emptier("fill-xlsx/openpyxl"), check=files_written(peer_out, ".xlsx", COUNT))
    ours = None
    if env.has("fill"):
        ours = Command("manualkit fill --format xlsx",
                       (str(env.manualkit), "fill", "sign-in-book", str(records), "--format", "xlsx",
                        "-o", str(ours_out)),
                       prepare=env.emptier("fill-xlsx/manualkit"), check=files_written(ours_out, ".xlsx", COUNT))
    notes = ["openpyxl 写同样的单元格、定义名称和隐藏的 _manualkit 工作表，但不写样式、下拉框和打印设置，"
             "也不校验数据：它做的比 manualkit 少。"]
    return Case("fill_xlsx", f"填写同样 {COUNT} 份签到簿（.xlsx）", ours, [peer], [
        Target("至少比 openpyxl 只写模式快 1.5 倍", peer.label, "faster", 1.5),
    ], notes)


if __name__ == "__main__":
    from bench.__main__ import main
    main(["fill_xlsx"])
