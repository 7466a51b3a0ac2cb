"""Rendering many forms and records at once, in Word, Excel and PDF.

Each form's Word template is compiled once per batch and reused for every
record; likewise each form's blank workbook is built once and filled per
record. PDFs are made from the Word documents by LibreOffice, the whole batch
handed over at once (``manualkit.toolkit.office``). Every file is written atomically: a
failed or interrupted batch leaves only complete files behind, and a document
that cannot be written costs only its own record.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from manualkit.schemas._base import FormSchema
from manualkit.schemas._policy import DEFAULT_POLICY, Policy
from manualkit.toolkit.errors import TemplateRenderError
from manualkit.toolkit.explain import explain_os_error
from manualkit.toolkit.files import safe_filename
from manualkit.toolkit.registry import FormSpec
from manualkit.toolkit.render.docx import WordTemplate, check_templates_dir

if TYPE_CHECKING:
    from manualkit.toolkit.render._xlsx_template import WorkbookTemplate

FORMAT_CHOICES = ("docx", "xlsx", "both", "pdf")
_FORMATS = {"docx": ("docx",), "xlsx": ("xlsx",), "both": ("docx", "xlsx"), "pdf": ("pdf",)}

Progress = Callable[[Iterable["Job"], int], Iterable["Job"]]
OnError = Callable[["Job", str], None]


@dataclass(frozen=True, slots=True)
class Job:
    """One document to make: a form, the record to fill it with (``None``: blank) and its file stem."""

    form: FormSpec
    record: FormSchema | None
    stem: str


def formats_of(choice: str) -> tuple[str, ...]:
    """Return the file formats meant by a ``--format`` choice (``both`` is Word and Excel)."""
    return _FORMATS[choice]


def blank_jobs(forms: Iterable[FormSpec]) -> list[Job]:
    """Return the jobs making each form blank, named ``<title>（空白）``."""
    return [Job(form, None, safe_filename(f"{form.title}（空白）")) for form in forms]


def record_jobs(form: FormSpec, records: Sequence[FormSchema], taken: set[str] | None = None) -> list[Job]:
    """Return the jobs filling ``form`` with each record, under names people recognise.

    Names are the form title, the manager, the customer (if the form has one)
    and the date or month, e.g. ``特殊访问记录_张伟_红星食杂店_2026-11-05``;
    a name already ``taken`` gets ``_2``, ``_3``... appended.
    """
    taken = set() if taken is None else taken
    jobs = []
    for record in records:
        stem = unique_stem(record_stem(record), taken)
        jobs.append(Job(form, record, stem))
    return jobs


def record_stem(record: FormSchema) -> str:
    """Return the file stem of a filled form: its title, then the fields the form names its files by.

    A date or time is written as its day (``2026-11-05``); an empty field is left out.
    """
    model = type(record)
    values = [getattr(record, name) for name in _name_parts(model)]
    return safe_filename("_".join([model.form_title, *(_day(value) for value in values if value)]))


@cache
def _name_parts(model: type[FormSchema]) -> tuple[str, ...]:
    return model.file_name_parts()  # the same for every record of a batch


def _day(value: Any) -> str:
    return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)


def unique_stem(stem: str, taken: set[str]) -> str:
    """Return ``stem``, or ``stem_2``, ``stem_3``... whichever is not yet ``taken``; take it."""
    candidate, number = stem, 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{stem}_{number}"
    taken.add(candidate.casefold())
    return candidate


@dataclass(frozen=True, slots=True)
class Setting:
    """What an organisation sets for its forms: its policy (name, blank rows) and its own templates."""

    policy: Policy = DEFAULT_POLICY
    templates_dir: Path | None = None  # a folder of ``<form>/template.docx`` overriding ours

    def check(self, forms: Iterable[FormSpec], formats: Sequence[str]) -> dict[str, WordTemplate]:
        """Compile the Word templates ``forms`` need in ``formats`` now, before any data is read; return them.

        Raises:
            SetupError: a folder of the templates directory is no form, or a template is missing or no .docx.
            TemplateRenderError: a template is not valid, or uses names its form does not have.
        """
        if self.templates_dir is not None:
            check_templates_dir(self.templates_dir)
        return word_templates(forms, self) if {"docx", "pdf"} & set(formats) else {}


def render_jobs(jobs: Iterable[Job], formats: Sequence[str], outdir: Path,
                progress: Progress | None = None, on_error: OnError | None = None,
                setting: Setting = Setting(), *, forms: Iterable[FormSpec] | None = None,
                count: int | None = None, compiled: dict[str, WordTemplate] | None = None) -> list[Path]:
    """Write every job in every format into ``outdir``; return the files in job order.

    ``jobs`` may be a stream (a generator checking each record as it is asked for): each job is
    written before the next is taken, so a batch holds one record at a time. A stream needs
    ``forms`` (the forms its jobs fill) and, for ``progress``, ``count`` (how many jobs at most).
    ``compiled`` holds the Word templates already compiled for ``setting`` (``Setting.check``'s), not read again.

    A job whose file cannot be written (a name the disk refuses, a full disk, a record the
    template cannot render, a PDF LibreOffice did not make) is told to ``on_error`` with the
    Chinese reason and the other jobs go on; without ``on_error`` the first such failure raises.

    Raises:
        OfficeMissingError: PDF was asked for and LibreOffice is not installed.
        OfficeConversionError: LibreOffice did not convert every document (only without ``on_error``).
        TemplateRenderError: a Word template does not render.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    if not isinstance(jobs, Sequence):
        assert forms is not None, "a stream of jobs needs its forms"
    forms = {job.form for job in jobs} if forms is None else set(forms)
    templates: dict[str, WordTemplate] = {}
    if {"docx", "pdf"} & set(formats):
        ids = {form.form_id for form in forms}
        templates = compiled if compiled is not None and ids <= compiled.keys() else word_templates(forms, setting)
    workbooks: dict[str, WorkbookTemplate] = {}
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix=".manualkit-", dir=outdir) as scratch:
        for_pdf: list[tuple[Job, Path]] = []
        length = len(jobs) if isinstance(jobs, Sequence) else count or 0
        for job in progress(jobs, length) if progress else jobs:
            word = templates.get(job.form.form_id)
            workbook = _workbook(workbooks, job.form, setting) if "xlsx" in formats else None
            try:
                if word and "docx" in formats:
                    written.append(word.write(job.record, outdir / f"{job.stem}.docx"))
                if workbook:
                    written.append(workbook.write(job.record, outdir / f"{job.stem}.xlsx"))
                if word and "pdf" in formats:
                    for_pdf.append((job, word.write(job.record, Path(scratch) / f"{job.stem}.docx")))
            except (OSError, TemplateRenderError) as exc:
                if on_error is None:
                    raise
                on_error(job, explain_os_error(exc) if isinstance(exc, OSError) else str(exc))
        written += _to_pdf(for_pdf, outdir, on_error)
    return written


def word_templates(forms: Iterable[FormSpec], setting: Setting = Setting()) -> dict[str, WordTemplate]:
    """Return the compiled Word template of each form, by form id: checked before any file is written.

    Raises:
        SetupError: a form has no Word template, or an override is not a .docx file.
        TemplateRenderError: a template is not valid, or uses names its form does not have.
    """
    return {form.form_id: WordTemplate(form, setting.policy, setting.templates_dir)
            for form in sorted(forms, key=lambda form: form.form_id)}


def _workbook(workbooks: dict[str, WorkbookTemplate], form: FormSpec, setting: Setting) -> WorkbookTemplate:
    """Return ``form``'s blank workbook template, building it on first use in the batch."""
    if form.form_id not in workbooks:
        from manualkit.toolkit.render._xlsx_template import (
            cached_template,  # Excel's parts only when Excel is asked for
        )

        def build() -> tuple[bytes, bytes]:
            from manualkit.toolkit.render.xlsx import (
                blank_parts,  # openpyxl only when the cache does not have the workbook
            )

            return blank_parts(form.model, setting.policy)

        workbooks[form.form_id] = cached_template(form.model, setting.policy, build)
    return workbooks[form.form_id]


def _to_pdf(documents: list[tuple[Job, Path]], outdir: Path, on_error: OnError | None) -> list[Path]:
    """Convert the jobs' ``documents`` with LibreOffice and move the PDFs into ``outdir``; tell the failed ones."""
    if not documents:
        return []
    from manualkit.toolkit.office import convert, convert_each  # only PDF output needs LibreOffice

    sources = [document for _, document in documents]
    if on_error is None:
        converted = convert(sources, "pdf", sources[0].parent)
    else:
        done = convert_each(sources, "pdf", sources[0].parent)
        converted, failed = done.converted, set(done.failed)
        reason = "LibreOffice 未能转换为 PDF" + "".join(f"（{r}）" for r in dict.fromkeys(done.reasons))
        for job, document in documents:
            if document in failed:
                on_error(job, reason)
    targets = []
    for pdf in converted:
        os.replace(pdf, outdir / pdf.name)  # same file system: an atomic rename
        targets.append(outdir / pdf.name)
    return targets


def render_batch(form: FormSpec, records: Sequence[FormSchema], fmt: str, outdir: Path,
                 progress: Progress | None = None, setting: Setting = Setting()) -> list[Path]:
    """Write ``form`` filled with each record in format ``fmt`` (a ``--format`` choice) into ``outdir``."""
    return render_jobs(record_jobs(form, records), formats_of(fmt), outdir, progress, setting=setting)


def render_blanks(forms: Sequence[FormSpec], fmt: str, outdir: Path, setting: Setting = Setting()) -> list[Path]:
    """Write each form blank in format ``fmt`` (a ``--format`` choice) into ``outdir``."""
    return render_jobs(blank_jobs(forms), formats_of(fmt), outdir, setting=setting)
