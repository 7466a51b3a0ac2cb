"""Write the handbook as a Word document: page setup, cover, contents (with page numbers), then the chapters."""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from pathlib import Path

from manualkit.toolkit.handbook.docx_frame import Additions, document_parts, load_frame
from manualkit.toolkit.handbook.docx_front import TOC_LEVELS, contents, cover
from manualkit.toolkit.handbook.docx_writer import DocxWriter, bookmark_name
from manualkit.toolkit.handbook.model import Handbook
from manualkit.toolkit.handbook.pages import PLACEHOLDER, can_number_pages, heading_pages
from manualkit.toolkit.office import convert

_LEVEL = 6  # zlib's default, as python-docx wrote


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
    frame = load_frame()
    writer = DocxWriter(Additions.of(frame))
    writer.out += [*cover(frame.style_ids, handbook.cover), *contents(frame.style_ids, entries, pages)]
    for chapter in handbook.chapters:
        writer.write(chapter)
    parts = document_parts(writer.additions, handbook.cover.title, "".join(writer.out),
                           ask_to_update_fields=pages is None)
    buffer = io.BytesIO()  # built in memory: a full disk fails at the one write below
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=_LEVEL) as archive:
        for name, data in parts:
            archive.writestr(name, data)
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
