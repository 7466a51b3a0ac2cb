"""What LibreOffice printed: the text, the pages and the ink of a PDF (poppler's pdftotext and pdftoppm)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.DOTALL)


def pdf_text(path: Path) -> str:
    """Return the text of the PDF as laid out on its pages."""
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return result.stdout


def page_texts(path: Path) -> list[str]:
    """Return the text of each page."""
    return pdf_text(path).split("\f")[:-1]


@dataclass(frozen=True, slots=True)
class Word:
    """A word printed on a page, with its box in points from the page's top left corner."""

    text: str
    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True, slots=True)
class Page:
    """A printed page: its size in points and its words."""

    number: int
    width: float
    height: float
    words: tuple[Word, ...]


def pages(path: Path) -> list[Page]:
    """Return every page of the PDF with the boxes of its words."""
    xml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [
        Page(number, float(width), float(height),
             tuple(Word(text, *map(float, box)) for *box, text in _WORD.findall(body)))
        for number, (width, height, body) in enumerate(_PAGE.findall(xml), 1)
    ]


def dark_pixels(path: Path, page: int, box: tuple[float, float, float, float], dpi: int = 150) -> int:
    """Return how many dark pixels LibreOffice's print has inside ``box`` (left, top, right, bottom, points).

    A clipped line of text keeps its words in the text layer, but no ink below the clip.
    """
    scale = dpi / 72
    left, top, right, bottom = (round(value * scale) for value in box)
    command = ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), "-x", str(left), "-y", str(top),
               "-W", str(max(right - left, 1)), "-H", str(max(bottom - top, 1)), str(path)]
    image = subprocess.run(command, capture_output=True, check=True).stdout
    header = re.match(rb"P5\s+\d+\s+\d+\s+\d+\s", image)
    assert header is not None, "pdftoppm did not write a greyscale image"
    return sum(1 for pixel in image[header.end():] if pixel < 128)
