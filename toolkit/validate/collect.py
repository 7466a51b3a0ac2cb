"""The files a ``validate`` run checks: files as given, folders searched for spreadsheets.

Nothing here imports the checks (pydantic, the forms), so the command line knows its files,
and hands the first to the workers, before it loads them (``manualkit.toolkit.validate.ahead``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from manualkit.toolkit.errors import ToolkitError
from manualkit.toolkit.reader.formats import SPREADSHEET_SUFFIXES


def collect_paths(paths: Sequence[Path]) -> list[Path]:
    """Return the files to validate: files as given, folders searched recursively for spreadsheets.

    Besides .xlsx, a folder's other spreadsheet files (.xlsm, .xls, .xlsb, .et, .ods) are taken
    too: they are read as well, and one that cannot be (a WPS-only .et) is reported with the
    reason, not silently left out. Excel's lock files (``~$name.xlsx``), hidden files and the annotated copies
    ``--annotate`` writes (``*_批注.xlsx``, so that annotating into the submissions folder twice does
    not check the copies as submissions) are skipped; a file named explicitly is always taken.

    Raises:
        ToolkitError: nothing to validate was found.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if _is_submission(p))
        else:
            found.append(path)
    if not found:
        raise ToolkitError("没有找到要校验的 .xlsx 文件：" + "、".join(map(str, paths)))
    return list(dict.fromkeys(found))


ANNOTATED_SUFFIX = "_批注"  # an annotated copy is named <submission>_批注[_N].xlsx
_ANNOTATED_NAME = re.compile(rf"{ANNOTATED_SUFFIX}(_\d+)?\.xlsx$", re.IGNORECASE)
_SPREADSHEETS = frozenset(SPREADSHEET_SUFFIXES)


def is_annotated_copy(path: Path) -> bool:
    """Return whether ``path`` is named like a copy written by ``--annotate``."""
    return bool(_ANNOTATED_NAME.search(path.name))


def _is_submission(path: Path) -> bool:
    """Return whether a folder's entry is to be checked: its spreadsheets, and whatever bears their
    names without being a readable file (a link to nowhere, a pipe), so that the report names it."""
    return (path.suffix.lower() in _SPREADSHEETS and not path.is_dir() and not path.name.startswith(("~$", "."))
            and not is_annotated_copy(path))
