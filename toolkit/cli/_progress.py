"""A progress bar for batches, shown only when a person is watching a terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

import click

T = TypeVar("T")


def progress(items: Iterable[T], length: int, label: str) -> Iterator[T]:
    """Yield ``items``, drawing a bar on stderr if it is a terminal and the batch is not tiny."""
    if length < 3 or not sys.stderr.isatty():
        yield from items
        return
    with click.progressbar(items, length=length, label=label, file=sys.stderr) as bar:
        yield from bar
