"""How wide text is on a terminal or in a spreadsheet cell: a Chinese character takes two places."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=8192)  # batches repeat their names, places and phrases many times
def display_width(text: str) -> int:
    """Return how many character cells ``text`` takes: wide East Asian characters count two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
