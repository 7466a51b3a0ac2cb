"""LibreOffice as a converter: many files in one headless call.

One ``soffice`` start costs far more than converting a file, so every caller
hands over the whole batch at once. LibreOffice stops after about 250 files of
one call and still reports success, so a batch goes in chunks of ``CHUNK``
files, two at a time (one per core). Each call gets its own profile directory:
two conversions running side by side (tests, a user's open LibreOffice) would
otherwise fight over the default profile and fail silently.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from manualkit.toolkit.errors import ToolkitError

SOFFICE_NAMES = ("soffice", "libreoffice")
CHUNK = 100  # files per LibreOffice call: well below the ~250 after which it silently stops
PARALLEL = 2  # LibreOffice calls at once (each uses one core)


class OfficeMissingError(ToolkitError):
    """LibreOffice is not installed."""


class OfficeConversionError(ToolkitError):
    """LibreOffice ran but did not produce every file."""


def find_soffice() -> str | None:
    """Return the LibreOffice executable on PATH, else where its installer puts it, or None.

    On Windows the installer does not add LibreOffice to PATH, so its usual folders are looked in too.
    """
    found = next(filter(None, map(shutil.which, SOFFICE_NAMES)), None)
    return found or next((str(path) for path in _installed_places() if path.is_file()), None)


def _installed_places() -> list[Path]:
    windows = [os.environ[name] for name in ("ProgramFiles", "ProgramFiles(x86)") if os.environ.get(name)]
    return [*(Path(folder) / "LibreOffice" / "program" / "soffice.exe" for folder in windows),
            Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]


@dataclass(slots=True)
class Conversion:
    """What a batch conversion made: the converted files, the sources that failed, and why."""

    converted: list[Path] = field(default_factory=list)
    failed: list[Path] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def convert(paths: Sequence[Path], to: str, outdir: Path, timeout: float = 600) -> list[Path]:
    """Convert ``paths`` to format ``to`` (e.g. "pdf", "xlsx") into ``outdir``, in as few calls as can be.

    Returns:
        The converted files, in the order of ``paths``.

    Raises:
        OfficeMissingError: LibreOffice is not installed.
        OfficeConversionError: it failed, timed out, or left a file unconverted (the others are kept).
    """
    done = convert_each(paths, to, outdir, timeout)
    if done.failed:
        reasons = "".join(f"；{reason}" for reason in dict.fromkeys(done.reasons))
        raise OfficeConversionError(
            f"LibreOffice 未能转换 {len(done.failed)} 个文件：{name_list(done.failed)}{reasons}")
    return done.converted


def convert_each(paths: Sequence[Path], to: str, outdir: Path, timeout: float = 600) -> Conversion:
    """Convert ``paths`` like ``convert``, but report the files that failed instead of raising for them.

    Raises:
        OfficeMissingError: LibreOffice is not installed.
        OfficeConversionError: two inputs have the same name.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        return Conversion()
    soffice = find_soffice()
    if soffice is None:
        raise OfficeMissingError("未找到 LibreOffice（soffice），无法转换为 " + to.upper() + "；请先安装 LibreOffice")
    _check_distinct_stems(paths)
    outdir.mkdir(parents=True, exist_ok=True)
    chunks = [paths[start:start + CHUNK] for start in range(0, len(paths), CHUNK)]
    from concurrent.futures import ThreadPoolExecutor  # here: finding LibreOffice (every handbook build) needs none

    with ThreadPoolExecutor(min(PARALLEL, os.cpu_count() or 1, len(chunks))) as pool:
        reasons = list(pool.map(lambda chunk: _run(soffice, chunk, to, outdir, timeout), chunks))
    done = Conversion(reasons=[reason for reason in reasons if reason])
    extension = to.split(":")[0]
    for path in paths:
        target = outdir / f"{path.stem}.{extension}"
        (done.converted if target.is_file() else done.failed).append(target if target.is_file() else path)
    return done


def name_list(paths: Sequence[Path], shown: int = 10) -> str:
    """Return the names of ``paths`` for a message: the first ``shown``, then how many more."""
    names = "、".join(path.name for path in paths[:shown])
    return names + (f" 等 {len(paths)} 个" if len(paths) > shown else "")


def _check_distinct_stems(paths: list[Path]) -> None:
    """Refuse two inputs whose outputs would overwrite each other (same name, other folder)."""
    stems = [path.stem for path in paths]
    clashing = sorted({stem for stem in stems if stems.count(stem) > 1})
    if clashing:
        raise OfficeConversionError(f"多个文件同名，转换结果会互相覆盖：{'、'.join(clashing)}")


def _run(soffice: str, paths: list[Path], to: str, outdir: Path, timeout: float) -> str | None:
    """Convert ``paths`` in one LibreOffice call with a profile of its own; return why it failed, if it did."""
    import subprocess

    with tempfile.TemporaryDirectory(prefix="manualkit-office-") as profile:
        command = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                   "--norestore", "--convert-to", to, "--outdir", str(outdir), *map(str, paths)]
        try:
            result = subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=timeout,
                                    check=False)
        except subprocess.TimeoutExpired:
            return f"LibreOffice 转换超时（{timeout:.0f} 秒）"
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["无输出"]
        return f"LibreOffice 转换失败（退出码 {result.returncode}）：{detail[0]}"
    return None
