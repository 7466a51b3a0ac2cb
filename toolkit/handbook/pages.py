"""The page each heading of the Word handbook falls on, as LibreOffice lays the document out.

Word fills a table of contents only when asked on opening, LibreOffice not at
all; so when LibreOffice is installed the handbook is printed to PDF once, the
headings are looked up page by page, and the contents are written with their
page numbers (``manualkit.toolkit.handbook.docx_build``). Without LibreOffice (or
poppler's ``pdftotext``) there are no numbers and Word is asked to fill them.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from manualkit.toolkit.office import convert, find_soffice

PLACEHOLDER = "000"  # as wide as a page number, so the layout measured is the layout printed


def can_number_pages() -> bool:
    """Return whether LibreOffice and pdftotext are here to find the pages."""
    return find_soffice() is not None and shutil.which("pdftotext") is not None


def heading_pages(docx: Path, headings: Sequence[str]) -> list[int] | None:
    """Return the page of each heading (in document order) of ``docx``, or None if one is not found.

    The contents list every heading before the body does, so each heading is looked
    for after its own entry in the contents, and after the heading before it.
    """
    import subprocess  # only when LibreOffice is here: a build without it does not load it

    with tempfile.TemporaryDirectory(prefix="manualkit-pages-") as folder:
        copy = Path(shutil.copy(docx, Path(folder) / "handbook.docx"))  # a plain name: it names the PDF
        (pdf,) = convert([copy], "pdf", Path(folder))
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout  # -layout: a heading stays one line
    pages = [re.sub(r"\s+", "", page) for page in text.split("\f")]
    found: list[int] = []
    for heading in headings:
        wanted = re.sub(r"\s+", "", heading)
        occurrences = [number for number, page in enumerate(pages, 1) if wanted in page]
        after = [page for page in occurrences[1:] if page >= (found[-1] if found else 0)]
        if not after:
            return None
        found.append(after[0])
    return found
