"""``--cache DIR``: the reports of files already validated, so that a folder checked again costs only its new files.

A report is stored under a key made of the file's bytes (SHA-256), its name, the
toolkit's and every form's version, the policy and the ``--form`` given: a changed
file, a new template version or another policy is validated again, an unchanged file
is not even opened by the reader. Entries are written whole (a temporary file, then a
rename), so a run cut short leaves no half entry; an entry that cannot be read is
treated as missing. The folder is the user's own: nothing but this toolkit writes it.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from manualkit.schemas._policy import Policy
from manualkit.toolkit.files import atomic_output
from manualkit.toolkit.registry import FormSpec, all_forms
from manualkit.toolkit.validate.duplicates import content_key
from manualkit.toolkit.validate.findings import FileReport


class ReportCache:
    """File reports stored in a folder, keyed by content, versions and policy."""

    def __init__(self, folder: Path, policy: Policy, form: FormSpec | None = None) -> None:
        from manualkit.toolkit import __version__

        self.folder = folder
        versions = ",".join(f"{spec.form_id}={spec.model.version}" for spec in all_forms().values())
        settings = "\n".join([__version__, versions, policy.model_dump_json(), form.form_id if form else ""])
        self.settings = hashlib.sha256(settings.encode()).hexdigest()

    def key(self, path: Path) -> str | None:
        """Return the entry's key for the file at ``path``, or None if the file cannot be read (not cached)."""
        try:
            content = content_key(path)
        except OSError:
            return None
        return hashlib.sha256(f"{self.settings}\n{content}\n{path.name}".encode()).hexdigest()

    def get(self, path: Path, key: str | None) -> FileReport | None:
        """Return the stored report of the file at ``path`` (shown at ``path``), or None."""
        if key is None:
            return None
        try:
            report = pickle.loads(self._entry(key).read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None
        if not isinstance(report, FileReport):
            return None
        return report.at(path)  # its findings point at the file here

    def put(self, key: str | None, report: FileReport) -> None:
        """Store ``report``; a folder that cannot be written costs the cache, not the run."""
        if key is None or report.form is None:  # an unreadable file is read again: it may be fixed in place
            return
        entry = self._entry(key)
        try:
            with atomic_output(entry) as temporary:
                temporary.write_bytes(pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            return

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"
