"""Writing output files so that a failure never leaves half a file behind."""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

# Characters Windows refuses in file names, control characters, and surrogates (no file system stores them).
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f\ud800-\udfff]+')
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
MAX_NAME_BYTES = 180  # of a name we make: file systems allow 255 bytes, our suffixes (_批注_12.xlsx) need the rest
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
    # A short name of our own (a long stem would overflow 255 bytes), created inside the try: an
    # interruption right after creating it still removes it.
    temporary = path.parent / f".manualkit-{secrets.token_hex(6)}{path.suffix}.part"
    try:
        os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        yield temporary
        temporary.chmod(_DEFAULT_MODE)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
_NEW_FILE = os.O_CREAT | os.O_EXCL | os.O_WRONLY | _BINARY


def write_atomically(data: bytes, path: Path) -> None:
    """Write ``data`` to ``path`` as ``atomic_output`` does, in half the system calls: a batch writes thousands.

    The folder is made only when it is missing (the first file of a batch finds it, the others do not ask).
    """
    temporary = path.parent / f".manualkit-{secrets.token_hex(6)}{path.suffix}.part"
    descriptor = -1
    try:
        try:
            descriptor = os.open(temporary, _NEW_FILE, 0o600)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(temporary, _NEW_FILE, 0o600)
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view):]
        os.close(descriptor)
        descriptor = -1
        os.chmod(temporary, _DEFAULT_MODE)
        os.replace(temporary, path)
    except BaseException:
        if descriptor >= 0:  # closed first: Windows removes no open file
            os.close(descriptor)
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise




def save_atomically(save: Callable[[IO[bytes]], Any], path: Path) -> None:
    """Write to ``path`` atomically what ``save`` writes to a file object, built in memory first.

    python-docx and openpyxl leave their zip file open when the disk fills; its cleanup would
    then print a second traceback after our message. Written from memory, a full disk is one
    ``OSError`` and nothing else.
    """
    buffer = io.BytesIO()
    save(buffer)
    with atomic_output(path) as temporary:
        temporary.write_bytes(buffer.getvalue())


def not_regular(path: Path) -> str | None:
    """Return why ``path`` is not a regular file one can read (in Chinese), or None if it is one.

    A named pipe or a device would block a reader forever or never end; a link may point nowhere.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "链接指向的文件不存在" if path.is_symlink() else "文件不存在"
    except OSError as exc:
        return f"无法访问（{exc.strerror or type(exc).__name__}）"
    if stat.S_ISDIR(mode):
        return "这是文件夹，这里需要文件"
    if not stat.S_ISREG(mode):
        return "不是普通文件（是命名管道、设备或套接字），无法读取"
    return None


def safe_filename(text: str, max_bytes: int = MAX_NAME_BYTES) -> str:
    """Return ``text`` as a file name that Windows, macOS and Linux all accept, cut to ``max_bytes`` in UTF-8."""
    name = _UNSAFE.sub("_", printable(text)).strip(" .") or "未命名"
    if name.split(".")[0].upper() in _RESERVED:
        name = f"_{name}"
    return name.encode("utf-8")[:max_bytes].decode("utf-8", "ignore").rstrip(" .") or "未命名"


def printable(text: str) -> str:
    """Return a name or path so that any console, report or cell can show it, one line.

    A name whose bytes are not UTF-8 (Python keeps them as surrogates) is read as GBK, as zips
    made on Chinese Windows have them, else shown with replacement marks; control characters
    (a newline in a file name) are shown escaped, ``\\n``.
    """
    if _SURROGATE.search(text):
        raw = text.encode("utf-8", "surrogateescape") if _escapes_only(text) else b""
        try:
            text = raw.decode("gb18030") if raw else _SURROGATE.sub("\ufffd", text)
        except UnicodeDecodeError:
            text = raw.decode("utf-8", "replace")
    return _CONTROL.sub(lambda found: found[0].encode("unicode_escape").decode("ascii"), text)


def _escapes_only(text: str) -> bool:
    """Return whether every surrogate in ``text`` stands for a byte (as ``os.fsdecode`` makes them)."""
    return all("\udc80" <= char <= "\udcff" for char in _SURROGATE.findall(text))
