"""A minimal PEP 517 build backend, so that the test installs this package offline with nothing but pip.

The project's virtual environment has no ``wheel`` or ``hatchling`` (setuptools alone cannot build a
wheel), and the test must not reach a package index. This backend zips ``acme_forms/`` with its
forms folder and writes the wheel's metadata, entry points included, by hand.
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

NAME, VERSION = "acme_manualkit_forms", "1.0"
HERE = Path(__file__).parent
DIST_INFO = f"{NAME}-{VERSION}.dist-info"
METADATA = f"Metadata-Version: 2.1\nName: acme-manualkit-forms\nVersion: {VERSION}\n"
WHEEL = "Wheel-Version: 1.0\nGenerator: _backend\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
ENTRY_POINTS = "[manualkit.forms]\nstore-check = acme_forms.store_check:StoreCheck\n"


def get_requires_for_build_wheel(config_settings: dict | None = None) -> list[str]:
    return []


def build_wheel(wheel_directory: str, config_settings: dict | None = None,
                metadata_directory: str | None = None) -> str:
    """Write ``acme_manualkit_forms-1.0-py3-none-any.whl`` into ``wheel_directory``."""
    name = f"{NAME}-{VERSION}-py3-none-any.whl"
    files = {path.relative_to(HERE).as_posix(): path.read_bytes()
             for path in sorted((HERE / "acme_forms").rglob("*"))
             if path.is_file() and "__pycache__" not in path.parts}
    files[f"{DIST_INFO}/METADATA"] = METADATA.encode()
    files[f"{DIST_INFO}/WHEEL"] = WHEEL.encode()
    files[f"{DIST_INFO}/entry_points.txt"] = ENTRY_POINTS.encode()
    record = [f"{path},sha256={_digest(data)},{len(data)}" for path, data in files.items()]
    files[f"{DIST_INFO}/RECORD"] = ("\n".join([*record, f"{DIST_INFO}/RECORD,,"]) + "\n").encode()
    with zipfile.ZipFile(Path(wheel_directory) / name, "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, data in files.items():
            wheel.writestr(path, data)
    return name


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
