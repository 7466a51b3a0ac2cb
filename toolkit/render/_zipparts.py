"""A zip archive of the parts that never change, to which each document of a batch adds its own.

A filled .docx or .xlsx is its template's zip with one or two parts written anew.
``zipfile`` would re-read the template's directory for every document; here the
unchanging parts are compressed and laid out once (``Parts``), and each document
is those bytes, its own parts compressed, and the directory: what ``zipfile``
writes for the same entries (the tests compare the bytes).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable

_LOCAL = struct.Struct("<4s2B4HL2L2H")  # zipfile's structFileHeader
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # structCentralDir
_END = struct.Struct("<4s4H2LH")  # structEndArchive
_LEVEL = 1  # fast: these parts are text that compresses well anyway


class Parts:
    """The unchanging parts of an archive, compressed once."""

    def __init__(self, entries: Iterable[tuple[zipfile.ZipInfo, bytes]], level: int | None = _LEVEL) -> None:
        """Compress ``entries`` once, at zlib's ``level`` (None: zipfile's default)."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for info, data in entries:
                archive.writestr(info, data, compresslevel=level)
        static = buffer.getvalue()
        with zipfile.ZipFile(io.BytesIO(static)) as archive:
            self._count, start = len(archive.infolist()), archive.start_dir
        end = len(static) - _END.size  # no archive comment: the end record is the last thing
        if static[end:end + 4] != b"PK\x05\x06":
            raise ValueError("unexpected end of the archive")
        self._body, self._directory = static[:start], static[start:end]

    def archive(self, parts: Iterable[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
        """Return the whole archive: the unchanging parts and ``parts`` (deflated) after them."""
        pieces, directory, offset, count = [self._body], [self._directory], len(self._body), self._count
        for info, data in parts:
            compressor = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
            packed = compressor.compress(data) + compressor.flush()
            name, flags = _encoded(info.filename)
            year, month, day, hour, minute, second = info.date_time
            date, time = (year - 1980) << 9 | month << 5 | day, hour << 11 | minute << 5 | second // 2
            crc, version = zlib.crc32(data), max(20, info.extract_version)
            external = info.external_attr or 0o600 << 16  # as zipfile gives an entry without attributes
            pieces += [_LOCAL.pack(b"PK\x03\x04", version, 0, flags, zipfile.ZIP_DEFLATED, time, date, crc,
                                   len(packed), len(data), len(name), 0), name, packed]
            directory += [_CENTRAL.pack(b"PK\x01\x02", max(20, info.create_version), info.create_system, version,
                                        0, flags, zipfile.ZIP_DEFLATED, time, date, crc, len(packed), len(data),
                                        len(name), 0, 0, 0, info.internal_attr, external, offset), name]
            offset += _LOCAL.size + len(name) + len(packed)
            count += 1
        central = b"".join(directory)
        return b"".join([*pieces, central, _END.pack(b"PK\x05\x06", 0, 0, count, count, len(central), offset, 0)])


def _encoded(name: str) -> tuple[bytes, int]:
    """Return a part's name as zip stores it, and the flag saying it is UTF-8 when it is not ASCII."""
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), 0x800
