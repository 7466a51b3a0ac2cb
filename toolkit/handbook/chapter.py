"""A chapter as the parser receives it: below the sources that make it, so that a cached one needs no schema."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Chapter:
    """One chapter's Markdown, ready to parse, and where it came from.

    ``origin`` names the source in error messages: a file path, or a description
    of a generated chapter. ``appendix`` chapters are lettered, not numbered.
    """

    origin: str
    markdown: str
    appendix: bool = False
