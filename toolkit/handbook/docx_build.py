"""Write the handbook as a Word document: page setup, cover, contents (with page numbers), then the chapters."""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

from docx import Document

from manualkit.toolkit.handbook.docx_layout import TOC_LEVELS, add_cover, add_toc, setup_document
from manualkit.toolkit.handbook.docx_writer import DocxWriter, bookmark_name
from manualkit.toolkit.handbook.model import Handbook
from manualkit.toolkit.handbook.pages import PLACEHOLDER, can_number_pages, heading_pages
from manualkit.toolkit.office import convert


def write_docx(handbook: Handbook, path: Path) -> None:
    """Write ``handbook`` to the .docx file ``path``, its contents with page numbers when LibreOffice is here."""
    entries = [
        (heading.level, f"{heading.number}\u3000{heading.text}", bookmark_name(heading.anchor))
        for chapter in handbook.chapters for heading in chapter.headings if heading.level <= TOC_LEVELS
    ]
    pages = None
    if can_number_pages():
        _write(handbook, path, entries, [PLACEHOLDER] * len(entries))
        found = heading_pages(path, [text for _, text, _ in entries])
        pages = [str(page) for page in found] if found else None
    _write(handbook, path, entries, pages)


def _write(handbook: Handbook, path: Path, entries: list[tuple[int, str, str]], pages: list[str] | None) -> None:
    doc = Document()
    setup_document(doc, handbook.cover.title, ask_to_update_fields=pages is None)
    add_cover(doc, handbook.cover)
    add_toc(doc, entries, pages)
    writer = DocxWriter(doc)
    for chapter in handbook.chapters:
        writer.write(chapter)
    writer.finish()
    buffer = io.BytesIO()  # python-docx leaves its zip open if the disk fills, and its cleanup then complains
    doc.save(buffer)
    path.write_bytes(buffer.getvalue())


def write_pdf(handbook: Handbook, path: Path) -> None:
    """Write ``handbook`` to the PDF file ``path``: the Word handbook printed by LibreOffice.

    Raises:
        OfficeMissingError: LibreOffice is not installed.
    """
    with tempfile.TemporaryDirectory(prefix="manualkit-handbook-") as folder:
        docx = Path(folder) / "handbook.docx"
        write_docx(handbook, docx)
        print_docx(docx, path)


def print_docx(docx: Path, path: Path) -> None:
    """Write the Word handbook ``docx`` printed by LibreOffice to the PDF file ``path``."""
    with tempfile.TemporaryDirectory(prefix="manualkit-handbook-") as folder:
        copy = Path(shutil.copy(docx, Path(folder) / "handbook.docx"))  # a plain name: it names the PDF
        (pdf,) = convert([copy], "pdf", Path(folder))
        shutil.move(pdf, path)
