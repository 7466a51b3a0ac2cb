"""Put the real-world workbooks of tests/hostile/test_corpus.py here, from source releases on PyPI.

Each entry is one project's source release, pinned by version and SHA-256: its test
workbooks (written by Excel, LibreOffice, KSpread, Google Sheets and other tools, none of
them our forms) and its licence are unpacked into ``tests/corpus/<project>/``. Nothing
here is committed; ``scripts/test`` runs this before the suite. Re-running is cheap: a
folder that is complete is left alone.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

HERE = Path(__file__).parent
INDEX = "https://pypi.org/pypi/{name}/json"
WORKBOOKS = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")


@dataclass(frozen=True)
class Release:
    name: str
    version: str
    sha256: str
    licences: tuple[str, ...]  # paths inside the release, below its top folder

    @property
    def folder(self) -> Path:
        return HERE / self.name


RELEASES = (
    Release("python-calamine", "0.9.1", "458094c3dd41bd330c0a43d20e23489964ba28b3301687f1c5acc03c81d06a9f",
            ("LICENSE",)),
    Release("xlsx2csv", "0.8.6", "618fc502612860de8ab8e3d6195e99ef332fffc68337f6b89e59690aad0d20b5",
            ("LICENSE.txt",)),
    Release("odfpy", "1.4.1", "db766a6e59c5103212f3cc92ec8dd50a0f3a02790233ed0b52148b70d3c438ec",
            ("APACHE-LICENSE-2.0.txt", "GPL-LICENSE-2.txt")),
)


def sdist_url(release: Release) -> str:
    """Return the address of ``release``'s source archive, as PyPI's JSON index gives it."""
    index_url = INDEX.format(name=release.name)
    with urllib.request.urlopen(index_url, timeout=60) as answer:
        files = json.load(answer)["releases"][release.version]
    [url] = [item["url"] for item in files if item["packagetype"] == "sdist"]
    return urljoin(index_url, url)


def unpack(release: Release, archive: bytes) -> int:
    """Write the workbooks and licences of ``archive`` to the release's folder; return how many workbooks."""
    release.folder.mkdir(parents=True, exist_ok=True)
    count = 0
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        for member in tar.getmembers():
            inner = member.name.split("/", 1)[-1]
            is_workbook = inner.lower().endswith(WORKBOOKS)
            if not member.isfile() or not (is_workbook or inner in release.licences):
                continue
            target = release.folder / inner.replace("/", "__")
            target.write_bytes(tar.extractfile(member).read())  # type: ignore[union-attr]
            count += is_workbook
    return count


def fetch(release: Release) -> str:
    """Bring ``release``'s workbooks unless they are here already; return what was done, for the log."""
    stamp = release.folder / f".{release.version}-{release.sha256[:12]}"
    if stamp.exists():
        return f"{release.name} {release.version}: already here"
    with urllib.request.urlopen(sdist_url(release), timeout=120) as answer:
        archive = answer.read()
    digest = hashlib.sha256(archive).hexdigest()
    if digest != release.sha256:
        raise SystemExit(f"{release.name} {release.version}: SHA-256 {digest} is not the pinned {release.sha256}")
    count = unpack(release, archive)
    stamp.touch()
    return f"{release.name} {release.version}: {count} workbooks"


def main() -> None:
    for release in RELEASES:
        print(f"corpus: {fetch(release)}", file=sys.stderr)


if __name__ == "__main__":
    main()
