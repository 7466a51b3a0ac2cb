"""Read a built handbook back as text a person would check: one line per paragraph or table row."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

_P, _TBL, _R, _LINK = qn("w:p"), qn("w:tbl"), qn("w:r"), qn("w:hyperlink")


def docx_lines(path: Path) -> list[str]:
    """Return the body as lines: ``[style] text`` per paragraph, ``| a | b |`` per table row.

    Bold runs read ``**text**``, italic ``*text*``, code-styled `` `text` ``, internal links
    ``[text](#bookmark)``; a numbered paragraph reads ``[List Number #<numId>] text``, and a
    paragraph holding a bookmark ends in `` {#bookmark}``.
    """
    doc = Document(str(path))
    names = {style.style_id: style.name for style in doc.styles}
    lines = []
    for block in doc.element.body:
        if block.tag == _P:
            text = _paragraph_text(block)
            style = names.get(block.style or "Normal", block.style)
            num = block.pPr.numPr if block.pPr is not None else None
            if num is not None:
                style = f"{style} #{num.numId.val}"
            marks = "".join(f" {{#{mark.get(qn('w:name'))}}}" for mark in block.iter(qn("w:bookmarkStart")))
            if text.strip():
                lines.append(f"[{style}] {text}{marks}")
        elif block.tag == _TBL:
            for row in block.tr_lst:
                cells = [" ".join(_paragraph_text(p) for p in tc.p_lst) for tc in row.tc_lst]
                lines.append("| " + " | ".join(cells) + " |")
    return lines


def body_after_contents(path: Path) -> str:
    """Return the lines from the first chapter heading on (no cover, no table of contents)."""
    lines = docx_lines(path)
    start = next(i for i, line in enumerate(lines) if line.startswith("[Heading 1]"))
    return "\n".join(lines[start:]) + "\n"


def _paragraph_text(p) -> str:
    parts = []
    for child in p:
        if child.tag == _R:
            parts.append(_run_text(child))
        elif child.tag == _LINK:
            inner = "".join(_run_text(r) for r in child.iter(_R))
            parts.append(f"[{inner}](#{child.get(qn('w:anchor'))})")
    return "".join(parts)


def _run_text(r) -> str:
    text = "".join("\n" if node.tag == qn("w:br") else (node.text or "") for node in r
                   if node.tag in (qn("w:t"), qn("w:br")))
    rpr = r.rPr
    if rpr is None or not text:
        return text
    if rpr.find(qn("w:rStyle")) is not None and rpr.find(qn("w:rStyle")).get(qn("w:val")) == "Code":
        text = f"`{text}`"
    if rpr.find(qn("w:b")) is not None:
        text = f"**{text}**"
    if rpr.find(qn("w:i")) is not None:
        text = f"*{text}*"
    return text
