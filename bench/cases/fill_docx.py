"""Fill 200 sign-in books of 30 rows as .docx: ``manualkit fill`` against a plain docxtpl loop."""

from __future__ import annotations

from bench import docx_template
from bench.env import Env
from bench.findings import files_written
from bench.harness import Command
from bench.suite import Case, Target

COUNT, ROWS = 200, 30


def case(env: Env) -> Case:
    """Return the case: both write 200 Word files from the same JSON records."""
    records = env.data.fill_records(COUNT, ROWS)
    template = docx_template.sign_in_template(env.data.root / "docx-template")
    ours_out, peer_out = env.folder("fill-docx/manualkit"), env.folder("fill-docx/docxtpl")
    peer = Command("docxtpl 逐份循环", env.peer("docxtpl_fill.py", template, records, peer_out),
                   prepare=env.emptier("fill-docx/docxtpl"),
                   check=files_written(peer_out, ".docx", COUNT))
    ours = None
    if env.has("fill"):
        ours = Command("manualkit fill --format docx",
                       (str(env.manualkit), "fill", "sign-in-book", str(records), "--format", "docx",
                        "-o", str(ours_out)),
                       prepare=env.emptier("fill-docx/manualkit"),
                       check=files_written(ours_out, ".docx", COUNT))
    notes = [f"{COUNT} 份签到簿，每份 {ROWS} 行；两者读同一个 JSON 文件，各自写出 {COUNT} 个 .docx。"]
    if template.name.startswith("stand-in"):
        notes.append("forms/sign_in_book/template.docx 尚不存在，docxtpl 用的是同样结构的替身模板。")
    return Case("fill_docx", f"填写 {COUNT} 份签到簿（.docx）", ours, [peer], [
        Target("至少比 docxtpl 逐份循环快 10 倍", peer.label, "faster", 10.0),
    ], notes)


if __name__ == "__main__":
    from bench.__main__ import main
    main(["fill_docx"])
