"""The handbook as the writers receive it: its cover and its parsed chapters.

Below ``build`` (which makes it) and the writers (which read it), so that imports
only go down.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from manualkit.toolkit.handbook.tree import ParsedChapter


@dataclass(frozen=True, slots=True)
class Cover:
    """What the cover page says."""

    title: str
    organisation: str
    version: str
    date: dt.date

    def date_text(self) -> str:
        """Return the date as Chinese text: 2026年11月23日."""
        return f"{self.date.year}年{self.date.month}月{self.date.day}日"


@dataclass(frozen=True, slots=True)
class Handbook:
    """The parsed handbook, ready for a writer."""

    cover: Cover
    chapters: list[ParsedChapter]
