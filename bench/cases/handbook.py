"""Build the handbook .docx: ``manualkit handbook`` against pandoc on the same Markdown."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from bench.datasets import ROOT
from bench.env import Env, pandoc
from bench.findings import files_written
from bench.harness import Command
from bench.suite import Case, Target

SOURCES = ROOT / "forms" / "handbook"


def handbook_markdown(folder: Path) -> list[Path]:
    """Write the handbook's whole Markdown (chapters after Jinja, generated appendices) to ``folder``.

    This is the Markdown manualkit itself parses, so pandoc converts the same content. Before the
    handbook builder exists, the chapter sources are used as they are.
    """
    try:
        from manualkit.schemas._policy import DEFAULT_POLICY
        from manualkit.toolkit.handbook.build import default_source
        from manualkit.toolkit.handbook.calendar import calendar_chapter
        from manualkit.toolkit.handbook.chapter_sources import load_chapters
        from manualkit.toolkit.handbook.form_appendix import codes_chapter, form_chapters
    except ImportError:
        return sorted(SOURCES.glob("[0-9][0-9]-*.md"))
    chapters = [*load_chapters(default_source(), DEFAULT_POLICY),
                calendar_chapter(DEFAULT_POLICY, dt.date.today().year), *form_chapters(DEFAULT_POLICY), codes_chapter()]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, chapter in enumerate(chapters, start=1):
        path = folder / f"{n:02d}.md"
        path.write_text(chapter.markdown, encoding="utf-8")
        paths.append(path)
    return paths


def case(env: Env) -> Case:
    """Return the case: both turn the handbook's Markdown into one Word document."""
    sources = handbook_markdown(env.data.root / "handbook-md")
    peer_out, ours_out = env.folder("handbook/pandoc"), env.folder("handbook/manualkit")
    peers = []
    if (exe := pandoc()) is not None:
        peers.append(Command("pandoc", (exe, "-f", "markdown", "-t", "docx", "-o", str(peer_out / "handbook.docx"),
                                        *map(str, sources)),
                             prepare=env.emptier("handbook/pandoc"), check=files_written(peer_out, ".docx", 1)))
    ours = None
    if env.has("handbook"):
        # pandoc writes no page numbers into the contents; manualkit does when LibreOffice is here
        # (it lays the document out once). Compared like for like, LibreOffice is out of its PATH.
        argv = (str(env.manualkit), "handbook", "--format", "docx", "-o", str(ours_out))
        ours = Command("manualkit handbook --format docx（目录不排页码）", argv,
                       prepare=env.emptier("handbook/manualkit"), check=files_written(ours_out, ".docx", 1),
                       env={**os.environ, "PATH": str(env.python.parent)})
        paged_out = env.folder("handbook/paged")
        peers.append(Command("manualkit handbook --format docx（LibreOffice 排页码）",
                             (*argv[:-1], str(paged_out)), runs=2, prepare=env.emptier("handbook/paged"),
                             check=files_written(paged_out, ".docx", 1)))
    size = sum(len(path.read_text(encoding="utf-8")) for path in sources)
    notes = [f"pandoc 转换的是 manualkit 自己解析的同一份 Markdown（{len(sources)} 个文件，{size:,} 个字符："
             "章节经模板展开后的正文，加上生成的节假日表、表单字段表和错误代码附录）；"
             "manualkit 另外还要展开模板、生成这些附录、封面和目录。",
             "本工具的一行在 PATH 中去掉了 LibreOffice：与 pandoc 一样，目录不填页码；"
             "装有 LibreOffice 时手册会先排版一次以填入页码（另一行，只跑 2 次，仅供参考）。"]
    if not peers:
        notes.append("未安装 pandoc（bench/setup 会用 apt 安装）。")
    return Case("handbook", "生成岗位职责手册（.docx）", ours, peers, [
        Target("不慢于 pandoc", peers[0].label if peers else None, "slower_at_most", 1.0),
    ], notes)


if __name__ == "__main__":
    from bench.__main__ import main
    main(["handbook"])
