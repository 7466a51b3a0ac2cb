"""Write the handbook as a Word document: page setup, cover, contents, then the chapters."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document

from toolkit.handbook.docx_layout import TOC_LEVELS, add_cover, add_toc, setup_document
from toolkit.handbook.docx_writer import DocxWriter, bookmark_name

if TYPE_CHECKING:
    from toolkit.handbook.build import Handbook


def write_docx(handbook: Handbook, path: Path) -> None:
    """Write ``handbook`` to the .docx file ``path``."""
    doc = Document()
    setup_document(doc, handbook.cover.title)
    add_cover(doc, handbook.cover)
    entries = [
        (heading.level, f"{heading.number}\u3000{heading.text}", bookmark_name(heading.anchor))
        for chapter in handbook.chapters for heading in chapter.headings if heading.level <= TOC_LEVELS
    ]
    add_toc(doc, entries)
    writer = DocxWriter(doc)
    for chapter in handbook.chapters:
        writer.write(chapter)
    buffer = io.BytesIO()  # python-docx leaves its zip open if the disk fills, and its cleanup then complains
    doc.save(buffer)
    path.write_bytes(buffer.getvalue())
