"""The handbook's Markdown and cover, kept between runs so that a build need not import the schemas.

The chapters after their placeholders, the calendar and the appendices generated from the forms
depend only on files: the chapter sources and the forms' workflow sections, ``handbook.yaml``,
the policy file, our own modules (the schemas among them) and the installed libraries. Making
them imports pydantic and every form's model, about a third of ``manualkit handbook``'s time, so
they are kept in the user's cache folder (``manualkit.toolkit.user_cache``: the same folder,
``MANUALKIT_CACHE_DIR``, digest and damage handling as the compiled templates).

An entry lists what it was made from, each file with its SHA-256 and each folder with its names,
and is used only while all of them are still so; anything else is a miss, and the handbook is made
anew and stored again. Our modules are the ones loaded when the entry was made (every module of
``manualkit.toolkit`` and ``manualkit.schemas`` the making used is among them), so a changed schema,
rule, policy default or generator is a miss. The key holds what the list cannot: the year (the
calendar's due dates are of this year), the Python, the folders, and the installed distributions
(names with versions, and when each was installed). A form from an installed plug-in is not cached at all:
its package's files are not ours to list.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from manualkit import schemas, toolkit
from manualkit.toolkit import user_cache
from manualkit.toolkit.handbook.chapter import Chapter

KIND = "handbook"
_FORMAT = "handbook-sources 1"
_SAVED_WITHIN = 2.0  # seconds: a file saved this close to a build's start may be newer than what it read
_STALE_SECONDS = 30 * 24 * 3600  # entries written this long ago are removed when one is written
_OURS = (Path(toolkit.__path__[0]), Path(schemas.__path__[0]))  # our modules: what an entry's making imported


@dataclass(frozen=True, slots=True)
class Sources:
    """What the writers' input is made of: the cover's texts (title, organisation, edition) and the chapters."""

    cover: dict[str, str]
    chapters: list[Chapter]


@dataclass(frozen=True, slots=True)
class Made:
    """Sources just made, with the files and folders they were made from (besides our modules)."""

    sources: Sources
    files: list[Path]
    folders: list[Path]
    cacheable: bool = True


def cached_sources(key_parts: tuple[str, ...], year: int, make: Callable[[], Made]) -> Sources:
    """Return the sources stored under ``key_parts`` and ``year`` if still current, else ``make()`` them and store."""
    if user_cache.cache_dir() is None:  # no cache (``MANUALKIT_CACHE_DIR=""``, no home folder): nothing to look up
        return make().sources
    entry = user_cache.key(_FORMAT, *key_parts, str(year), sys.version, *map(str, _OURS), _installed())
    if (found := _read(entry)) is not None:
        return found
    started = time.time()
    made = make()
    if made.cacheable:
        _write(entry, made, started)
    return made.sources


def _installed() -> str:
    """Return the names (with versions) and times of the distributions and ``.pth`` files on ``sys.path``."""
    found = []
    for folder in sys.path:
        try:
            with os.scandir(folder or ".") as entries:
                for item in entries:
                    if item.name.endswith((".dist-info", ".egg-info", ".egg-link", ".pth")):
                        found.append(f"{folder}/{item.name}:{item.stat().st_mtime_ns}")
        except OSError:  # not a folder (a zip), or gone
            continue
    return "\n".join(found)


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def _names(folder: Path) -> list[str]:
    """Return what ``folder`` holds, but Python's byte code and hidden files (nothing is made of them)."""
    try:
        return sorted(name for name in os.listdir(folder) if name != "__pycache__" and not name.startswith("."))
    except FileNotFoundError:
        return []


def _our_modules() -> list[Path]:
    """Return the source files of our modules loaded in this process."""
    files = []
    for module in list(sys.modules.values()):
        name = getattr(module, "__file__", None)
        if name and any(Path(name).is_relative_to(root) for root in _OURS):
            files.append(Path(name))
    return sorted(set(files))


def _write(entry: str | None, made: Made, started: float) -> None:
    """Store ``made`` unless one of its files changed while it was made (its digest now is not what was read)."""
    if entry is None or (folder := user_cache.cache_dir()) is None:
        return
    sources = sorted({*made.files, *_our_modules()})
    try:
        if any(path.exists() and path.stat().st_mtime >= started - _SAVED_WITHIN for path in sources):
            return
        files = {str(path): _digest(path) for path in sources}
        folders = {str(path): _names(path) for path in sorted(set(made.folders))}
    except OSError:  # one cannot be read (nor checked next time): nothing to store
        return
    content = {
        "cover": made.sources.cover,
        "chapters": [[chapter.origin, chapter.markdown, chapter.appendix] for chapter in made.sources.chapters],
        "files": files,
        "folders": folders,
    }
    try:
        data = json.dumps(content, ensure_ascii=False).encode("utf-8")
    except ValueError:  # text that is not Unicode (a lone surrogate): the build reports it, the cache keeps nothing
        return
    user_cache.write(KIND, entry, data)
    _remove_stale(folder / KIND, entry)


def _read(entry: str | None) -> Sources | None:
    """Return the entry's sources if it is whole and everything it was made from is unchanged, else None."""
    data = user_cache.read(KIND, entry)
    if data is None:
        return None
    try:
        content = json.loads(data)
        files, folders = content["files"], content["folders"]
        if any(_digest(Path(path)) != digest for path, digest in files.items()):
            return None
        if any(_names(Path(path)) != names for path, names in folders.items()):
            return None
        return Sources(_texts(content["cover"]), [_chapter(item) for item in content["chapters"]])
    except (ValueError, TypeError, KeyError, AttributeError, OSError):
        return None  # not the structure we write: as if missing


def _texts(cover: Any) -> dict[str, str]:
    if not isinstance(cover, dict) or not all(isinstance(v, str) for v in cover.values()):
        raise TypeError("cover")
    return {str(key): value for key, value in cover.items()}


def _chapter(item: Any) -> Chapter:
    origin, markdown, appendix = item
    if not (isinstance(origin, str) and isinstance(markdown, str) and isinstance(appendix, bool)):
        raise TypeError("chapter")
    return Chapter(origin, markdown, appendix)


def _remove_stale(folder: Path, keep: str) -> None:
    """Remove the entries written long ago (of an earlier year, or of sources since changed)."""
    limit = time.time() - _STALE_SECONDS
    try:
        for item in os.scandir(folder):
            if item.name != keep and item.stat().st_mtime < limit:
                os.unlink(item.path)
    except OSError:
        pass
