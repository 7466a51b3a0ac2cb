"""Writing output files so that a failure never leaves half a file behind."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Characters Windows refuses in file names, control characters, and trailing dots/spaces.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')
# mkstemp makes owner-only files; outputs are for sharing, so give them the usual umask mode.
_UMASK = os.umask(0)
os.umask(_UMASK)
_DEFAULT_MODE = 0o666 & ~_UMASK
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` only on success.

    The caller writes the whole file to the yielded path. If the block raises
    (or the process is interrupted) the temporary file is removed and ``path``
    is untouched.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f"{path.suffix}.part", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        temporary.chmod(_DEFAULT_MODE)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def safe_filename(text: str, max_length: int = 120) -> str:
    """Return ``text`` as a file name that Windows, macOS and Linux all accept."""
    name = _UNSAFE.sub("_", text).strip(" .") or "未命名"
    if name.split(".")[0].upper() in _RESERVED:
        name = f"_{name}"
    return name[:max_length].rstrip(" .")
