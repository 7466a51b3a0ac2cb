"""LibreOffice as a converter: many files in one headless call.

One ``soffice`` start costs far more than converting a file, so every caller
hands over the whole batch at once. Each call gets its own profile directory:
two conversions running side by side (tests, a user's open LibreOffice) would
otherwise fight over the default profile and fail silently.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from toolkit.errors import ToolkitError

SOFFICE_NAMES = ("soffice", "libreoffice")


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


def convert(paths: Sequence[Path], to: str, outdir: Path, timeout: float = 600) -> list[Path]:
    """Convert ``paths`` to format ``to`` (e.g. "pdf", "xlsx") into ``outdir`` in one call.

    Returns:
        The converted files, in the order of ``paths``.

    Raises:
        OfficeMissingError: LibreOffice is not installed.
        OfficeConversionError: it failed, timed out, or left a file unconverted.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise OfficeMissingError("未找到 LibreOffice（soffice），无法转换为 " + to.upper() + "；请先安装 LibreOffice")
    _check_distinct_stems(paths)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="manualkit-office-") as profile:
        command = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                   "--norestore", "--convert-to", to, "--outdir", str(outdir), *map(str, paths)]
        _run(command, timeout)
    extension = to.split(":")[0]
    targets = [outdir / f"{path.stem}.{extension}" for path in paths]
    missing = [path.name for path, target in zip(paths, targets, strict=True) if not target.is_file()]
    if missing:
        raise OfficeConversionError(f"LibreOffice 未能转换以下文件：{'、'.join(missing)}")
    return targets


def _check_distinct_stems(paths: list[Path]) -> None:
    """Refuse two inputs whose outputs would overwrite each other (same name, other folder)."""
    stems = [path.stem for path in paths]
    clashing = sorted({stem for stem in stems if stems.count(stem) > 1})
    if clashing:
        raise OfficeConversionError(f"多个文件同名，转换结果会互相覆盖：{'、'.join(clashing)}")


def _run(command: list[str], timeout: float) -> None:
    """Run LibreOffice, turning its failures into a Chinese message."""
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise OfficeConversionError(f"LibreOffice 转换超时（{timeout:.0f} 秒）") from exc
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["无输出"]
        raise OfficeConversionError(f"LibreOffice 转换失败（退出码 {result.returncode}）：{detail[0]}")
