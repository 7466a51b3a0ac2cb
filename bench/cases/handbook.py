"""Build the handbook .docx: ``manualkit handbook`` against pandoc on the same Markdown."""

from __future__ import annotations

from bench.datasets import ROOT
from bench.env import Env, pandoc
from bench.findings import files_written
from bench.harness import Command
from bench.suite import Case, Target

SOURCES = ROOT / "forms" / "handbook"


def case(env: Env) -> Case:
    """Return the case: both turn ``forms/handbook/*.md`` into one Word document."""
    sources = sorted(SOURCES.glob("*.md"))
    peer_out, ours_out = env.folder("handbook/pandoc"), env.folder("handbook/manualkit")
    peers = []
    if (exe := pandoc()) is not None:
        peers.append(Command("pandoc", (exe, "-f", "markdown", "-t", "docx", "-o", str(peer_out / "handbook.docx"),
                                        *map(str, sources)),
                             prepare=env.emptier("handbook/pandoc"), check=files_written(peer_out, ".docx", 1)))
    ours = None
    if env.has("handbook"):
        ours = Command("manualkit handbook --format docx",
                       (str(env.manualkit), "handbook", "--format", "docx", "-o", str(ours_out)),
                       prepare=env.emptier("handbook/manualkit"), check=files_written(ours_out, ".docx", 1))
    notes = [f"源文件：forms/handbook/ 下 {len(sources)} 个 Markdown 文件。manualkit 还要生成表单字段表、"
             "错误代码附录和节假日表，pandoc 只转换 Markdown。"]
    if not peers:
        notes.append("未安装 pandoc（bench/setup 会用 apt 安装）。")
    return Case("handbook", "生成岗位职责手册（.docx）", ours, peers, [
        Target("不慢于 pandoc", peers[0].label if peers else None, "slower_at_most", 1.0),
    ], notes)


if __name__ == "__main__":
    from bench.__main__ import main
    main(["handbook"])
