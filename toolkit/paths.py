"""Where the toolkit finds its forms folder and writes its output.

In a source checkout ``forms/`` sits beside ``toolkit/``; in an installed wheel
it travels inside the package as ``toolkit/_forms``. ``MANUALKIT_FORMS`` points
elsewhere (an organisation's own templates).
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def forms_dir() -> Path:
    """Return the folder holding one sub-folder per form and ``handbook/``."""
    if override := os.environ.get("MANUALKIT_FORMS"):
        return Path(override)
    installed = _PACKAGE / "_forms"
    return installed if installed.is_dir() else _PACKAGE.parent / "forms"


HANDBOOK_FOLDER = "岗位职责手册"  # under the output folder, for `manualkit handbook` and the demo alike


def default_output() -> Path:
    """Return ``output/`` under the current directory, where commands write by default."""
    return Path.cwd() / "output"
