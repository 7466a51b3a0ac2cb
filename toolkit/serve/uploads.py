"""Uploads: the browser's files saved into one request's own temporary folder, within limits.

A name from the browser is never a path here. Each file is saved as
``<folder>/<field>/<number>/<basename made safe>``; the name the browser sent
(a folder picker sends ``二组/张伟.xlsx``) is kept only to show and report.
The request body is counted as it arrives, so the total limit holds even for a
body that says nothing of its length; the other limits are checked before any
file is saved. Whatever is wrong, the rest of the body is read before the
answer, so that the browser shows the Chinese message instead of a broken
connection.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import ClientDisconnect, Request

from manualkit.toolkit.errors import ToolkitError
from manualkit.toolkit.files import printable, safe_filename

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one upload may hold."""

    files: int = 5000
    file_bytes: int = 50 * MB
    total_bytes: int = 1000 * MB

    def describe(self) -> str:
        """Return the limits as the page states them."""
        return (f"一次最多 {self.files} 个文件，每个文件不超过 {_size(self.file_bytes)}，"
                f"合计不超过 {_size(self.total_bytes)}")


class UploadError(ToolkitError):
    """An upload the page cannot take (too many or too large files, a broken form); shown as it is."""


@dataclass(frozen=True, slots=True)
class Saved:
    """One uploaded file: where it was saved, and the name the browser gave it."""

    path: Path
    shown: str


@dataclass(frozen=True, slots=True)
class Upload:
    """A received form: its text fields and its saved files, by field name, all under ``folder``."""

    fields: dict[str, str]
    files: dict[str, list[Saved]]
    folder: Path

    def text(self, name: str) -> str:
        """Return the text field ``name``, stripped ('' when absent)."""
        return self.fields.get(name, "").strip()

    def saved(self, name: str) -> list[Saved]:
        """Return the files of field ``name`` (none when absent)."""
        return self.files.get(name, [])

    def shown(self) -> dict[Path, str]:
        """Return the browser's name of every saved file, by where it was saved."""
        return {saved.path: saved.shown for files in self.files.values() for saved in files}

    def scrub(self, text: str) -> str:
        """Return ``text`` with every saved file's path replaced by its browser name (no temporary folder)."""
        for path, shown in self.shown().items():
            text = text.replace(str(path), shown)
        return text.replace(str(self.folder), "")


async def receive(request: Request, limits: Limits, folder: Path) -> Upload:
    """Save the files of ``request``'s form into ``folder``; return the form.

    Raises:
        UploadError: the upload breaks a limit or is not a form; the message says which, in Chinese.
    """
    body = _Body(request, limits.total_bytes)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.total_bytes:
        await body.drain()
        raise UploadError(_too_large(int(declared), limits))
    try:
        parser = MultiPartParser(request.headers, body.chunks(), max_files=limits.files, max_fields=50)
        form = await parser.parse()
    except (MultiPartException, KeyError, ValueError) as exc:
        problem = _form_problem(exc, body, limits)
        await body.drain()
        raise UploadError(problem) from exc
    try:
        return await run_in_threadpool(_save, form, limits, folder)  # copying many files would block the loop
    finally:
        await form.close()


class _Body:
    """The request body as it arrives, counted, and stopped once it grows past ``limit`` bytes."""

    def __init__(self, request: Request, limit: int) -> None:
        self.request, self.limit = request, limit
        self.received, self.complete = 0, False

    async def chunks(self) -> AsyncGenerator[bytes, None]:
        """Yield the body's chunks; raise ``MultiPartException`` once there are too many bytes."""
        while not self.complete:
            chunk = await self._next()
            if self.received > self.limit:
                raise MultiPartException("total")
            yield chunk

    async def drain(self) -> None:
        """Read what is left of the body, so that the browser is still listening for our answer."""
        while not self.complete:
            await self._next()

    async def _next(self) -> bytes:
        message = await self.request.receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect
        self.complete = not message.get("more_body", False)
        chunk: bytes = message.get("body", b"")
        self.received += len(chunk)
        return chunk


def _form_problem(exc: Exception, body: _Body, limits: Limits) -> str:
    if body.received > limits.total_bytes:
        return _too_large(body.received, limits, at_least=True)
    if str(exc).startswith("Too many files"):
        return f"一次最多上传 {limits.files} 个文件，这次的文件更多。请分几次上传。"
    return "上传的内容不完整或格式不对，请回到上一页重新选择文件。"


def _save(form: FormData, limits: Limits, folder: Path) -> Upload:
    """Check the sizes, then copy each file to its own numbered folder under ``folder``."""
    uploads = [(name, value) for name, value in form.multi_items()
               if isinstance(value, UploadFile) and value.filename]
    if too_big := [value for _, value in uploads if (value.size or 0) > limits.file_bytes]:
        names = "、".join(f"“{value.filename}”（{_size(value.size or 0)}）" for value in too_big[:5])
        more = f"等 {len(too_big)} 个文件" if len(too_big) > 5 else ""
        raise UploadError(f"{names}{more}超过了每个文件 {_size(limits.file_bytes)} 的上限，请不要上传这些文件。")
    files: dict[str, list[Saved]] = {}
    shown = [(name, value, shown_name(value.filename or "")) for name, value in uploads]
    shown.sort(key=lambda item: PurePosixPath(item[2]))  # as a folder scan sorts, so numbers keep that order
    width = len(str(len(shown)))
    for number, (name, value, browser_name) in enumerate(shown, 1):
        target = folder / safe_filename(name) / f"{number:0{width}d}" / safe_basename(value.filename or "")
        target.parent.mkdir(parents=True)
        with target.open("wb") as out:
            shutil.copyfileobj(value.file, out)
        files.setdefault(name, []).append(Saved(target, browser_name))
    fields = {name: value for name, value in form.multi_items() if isinstance(value, str)}
    return Upload(fields, files, folder)


def safe_basename(name: str) -> str:
    """Return the last part of a browser's file name, safe to save under any system (``../../x`` → ``x``)."""
    return safe_filename(re.split(r"[\\/]", name)[-1])


def shown_name(name: str) -> str:
    """Return a browser's file name as the page and reports show it: its folders kept, on one line."""
    return printable(name.replace("\\", "/"))[:500]


def _too_large(received: int, limits: Limits, *, at_least: bool = False) -> str:
    amount = f"超过 {_size(received)}" if at_least else f"共 {_size(received)}"
    return f"上传的文件{amount}，超过了一次 {_size(limits.total_bytes)} 的上限。请分几次上传。"


def _size(count: int) -> str:
    if count < MB:
        return f"{max(1, round(count / 1024))} KB"
    return f"{count / MB:.1f}".removesuffix(".0") + " MB"
