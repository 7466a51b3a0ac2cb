"""What a batch would otherwise rebuild on every run, kept in the user's cache folder.

Compiled Word templates, blank workbooks (``render``) and the handbook's Markdown
(``handbook.sources_cache``) depend only on their inputs (the template's bytes, the
form, the policy, the chapters) and on our code, so they are kept under
a key made of all of these (``key``): a changed template, form, policy, library
or manualkit gets a new key, and the old entry is simply never read again.

The folder is the user's cache folder (``~/.cache/manualkit`` on Linux, the
platform's equivalent elsewhere; ``MANUALKIT_CACHE_DIR`` points elsewhere, and
set empty turns caching off), not the output folder: output is what people hand
on, and one cache serves every output folder and every run.

Each entry carries the digest of its content; an entry that does not match, or
cannot be read, is as if missing, and the caller builds the thing anew. A cache
that cannot be written is no error either: the run just builds what it needs.
"""

from __future__ import annotations

import hashlib
import os
import sys
from functools import cache
from pathlib import Path

from manualkit.toolkit.files import atomic_output

_MAGIC = b"manualkit-cache 1\n"
_DIGEST = hashlib.sha256().digest_size * 2  # hex


def cache_dir() -> Path | None:
    """Return the folder for cached entries, or None when caching is off."""
    if (override := os.environ.get("MANUALKIT_CACHE_DIR")) is not None:
        return Path(override) if override else None
    try:
        home = Path.home()
    except (RuntimeError, KeyError):  # no home at all (a service account): no cache
        return None
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = home / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache")
    return base / "manualkit"


def key(*parts: str | bytes | None) -> str | None:
    """Return the key of an entry made from ``parts`` (a kind, digests, versions...); None if one is unknown."""
    if None in parts:
        return None
    digest = hashlib.sha256()
    for part in parts:
        assert part is not None
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)  # lengths first: ("ab", "c") is not ("a", "bc")
    return digest.hexdigest()


@cache
def code_version(files: tuple[Path, ...], packages: tuple[str, ...]) -> str | None:
    """Return a digest of our own source ``files`` and the versions of ``packages``: what cached things depend on.

    Our sources rather than our version number, so that a checkout between releases is covered too.
    None when they cannot be read (a frozen install): nothing is then cached.
    """
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256()
    try:
        for file in files:
            digest.update(file.read_bytes())
        for package in packages:
            digest.update(version(package).encode() + b"\0")
    except (OSError, PackageNotFoundError):
        return None
    return digest.hexdigest()


def read(kind: str, entry: str | None) -> bytes | None:
    """Return the content stored under ``entry``, or None if it is missing, unreadable or damaged (or no entry)."""
    folder = cache_dir()
    if folder is None or entry is None:
        return None
    try:
        data = (folder / kind / entry).read_bytes()
    except OSError:
        return None
    head, content = data[:len(_MAGIC) + _DIGEST + 1], data[len(_MAGIC) + _DIGEST + 1:]
    if head != _MAGIC + hashlib.sha256(content).hexdigest().encode() + b"\n":
        return None
    return content


def write(kind: str, entry: str | None, content: bytes) -> None:
    """Store ``content`` under ``entry``, if there is one and the cache folder can be written (else nothing)."""
    folder = cache_dir()
    if folder is None or entry is None:
        return
    try:
        with atomic_output(folder / kind / entry) as temporary:
            temporary.write_bytes(_MAGIC + hashlib.sha256(content).hexdigest().encode() + b"\n" + content)
    except OSError:
        pass  # a read-only home or a full disk: the next run builds it again
