"""Build the staff handbook: the chapters, the generated chapters, then Word and/or HTML.

The chapter sources are ``forms/handbook/NN-name.md``; ``handbook.yaml`` beside
them names the handbook, the organisation and the edition for the cover. The
calendar (第六章), one appendix per form and the appendix of finding codes are
generated from the policy, the schemas and ``CATALOGUE``, so every number and
form in the handbook is the one the validator enforces. Word's contents carry
page numbers when LibreOffice is installed, which also prints the PDF.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from manualkit.toolkit import __version__
from manualkit.toolkit.errors import HandbookError
from manualkit.toolkit.files import atomic_output, safe_filename
from manualkit.toolkit.handbook.body_xml import XML_ILLEGAL
from manualkit.toolkit.handbook.chapter import Chapter
from manualkit.toolkit.handbook.model import Cover, Handbook
from manualkit.toolkit.handbook.sources_cache import Made, Sources, cached_sources
from manualkit.toolkit.handbook.tree import markdown_parser, parse_chapters
from manualkit.toolkit.paths import forms_dir

if TYPE_CHECKING:
    from manualkit.schemas._policy import Policy

FORMATS = ("docx", "html")
META_FILE = "handbook.yaml"
_COVER_KEYS = ("title", "organisation", "edition")


def default_source() -> Path:
    """Return the folder of the shipped chapter sources."""
    return forms_dir() / "handbook"


def build_handbook(
    out_dir: Path,
    formats: Sequence[str] = FORMATS,
    policy: Policy | Path | None = None,
    *,
    today: dt.date,
    source: Path | None = None,
) -> list[Path]:
    """Build the handbook into ``out_dir`` in each of ``formats``; return the files written.

    ``policy`` is a policy, the YAML file of one (``--policy``) or None for the manual's own.

    Raises:
        HandbookError: a source does not build; the message names the file and line.
        PolicyFileError: the policy file cannot be used.
    """
    handbook = read_handbook(source or default_source(), policy, today)
    written: list[Path] = []
    for kind in formats:
        path = out_dir / f"{safe_filename(handbook.cover.title)}.{kind}"
        with atomic_output(path) as temporary:
            docx = next((done for done in written if done.suffix == ".docx"), None)
            if kind == "pdf" and docx is not None:  # print the Word file just written: one LibreOffice call less
                from manualkit.toolkit.handbook.docx_build import print_docx

                print_docx(docx, temporary)
            else:
                _writer(kind)(handbook, temporary)  # the Word writer builds its zip in memory: a full disk fails once
        written.append(path)
    return written


def read_handbook(source: Path, policy: Policy | Path | None, today: dt.date) -> Handbook:
    """Return the handbook of ``source``: written and generated chapters, parsed and numbered.

    Given a policy file or None, the Markdown comes from the cache when nothing it is made of has
    changed (``sources_cache``); a policy given as an object is used as it is.
    """
    if policy is None or isinstance(policy, Path):
        policy_file = policy
        # The paths as given: the files they name now are checked, and the chapters' origins are spelt so.
        key = (str(source), str(policy_file or ""), str(forms_dir()))
        sources = cached_sources(key, today.year, lambda: _make_sources(source, policy_file, today.year))
    else:
        sources = _sources(source, policy, today.year)
    cover = sources.cover
    edition = cover.get("edition", "第 1 版")
    return Handbook(
        Cover(title=cover.get("title", "客户经理岗位职责手册"), organisation=cover.get("organisation", ""),
              version=f"{edition}（manualkit {__version__}）", date=today),
        parse_chapters(markdown_parser(), sources.chapters),
    )


def _make_sources(source: Path, policy_file: Path | None, year: int) -> Made:
    """Return the sources made anew, with the files and folders they are made of (for the cache)."""
    from manualkit import schemas
    from manualkit.toolkit.handbook.chapter_sources import CHAPTER_PATTERN, workflow_files
    from manualkit.toolkit.policy import load_policy
    from manualkit.toolkit.registry import all_forms, declared_plugins

    sources = _sources(source, load_policy(policy_file), year)
    forms = all_forms().values()
    files = [*sorted(source.glob(CHAPTER_PATTERN)), *workflow_files(), source / META_FILE,
             *([policy_file] if policy_file else [])]
    folders = [source, forms_dir(), Path(schemas.__path__[0]), *(form.folder for form in forms)]
    plugged = any(not form.model.__module__.startswith(f"{schemas.__name__}.") for form in forms)
    return Made(sources, files, folders, cacheable=not plugged and not declared_plugins())


def _sources(source: Path, policy: Policy, year: int) -> Sources:
    """Return the cover's texts and the chapters, written and generated (the calendar is of ``year``)."""
    from manualkit.toolkit.handbook.calendar import calendar_chapter
    from manualkit.toolkit.handbook.chapter_sources import load_chapters
    from manualkit.toolkit.handbook.form_appendix import codes_chapter, form_chapters

    chapters: list[Chapter] = [
        *load_chapters(source, policy),
        calendar_chapter(policy, year),
        *form_chapters(policy),
        codes_chapter(),
    ]
    return Sources(_cover(source), chapters)


def _writer(kind: str) -> Callable[[Handbook, Path], None]:
    """Return the writer of ``kind``, imported only when asked for (python-docx is slow to load)."""
    if kind == "docx":
        from manualkit.toolkit.handbook.docx_build import write_docx

        return write_docx
    if kind == "pdf":
        from manualkit.toolkit.handbook.docx_build import write_pdf

        return write_pdf
    if kind == "html":
        from manualkit.toolkit.handbook.html_writer import write_html

        return write_html
    raise HandbookError(f"未知的手册格式：{kind}（可用：{'、'.join((*FORMATS, 'pdf'))}）")


def _cover(source: Path) -> dict[str, str]:
    """Return the cover's texts that ``handbook.yaml`` gives (title, organisation, edition)."""
    from manualkit.toolkit.yamldata import DataFileError, read_data

    path = source / META_FILE
    try:
        meta = read_data(path) if path.exists() else {}
    except DataFileError as exc:
        raise HandbookError(f"{path}：无法读取：{exc}") from exc
    if not isinstance(meta, dict):
        raise HandbookError(f"{path}：应为“键: 值”形式的 YAML（title、organisation、edition）")
    unknown = set(meta) - set(_COVER_KEYS)
    if unknown:
        raise HandbookError(f"{path}：未知的项 {'、'.join(sorted(unknown))}（可用：title、organisation、edition）")
    cover = {key: str(meta[key]) for key in _COVER_KEYS if key in meta}
    for key, text in cover.items():
        if found := XML_ILLEGAL.search(text):
            raise HandbookError(f"{path}：{key} 含有 Word 文档不能保存的控制字符 U+{ord(found[0]):04X}")
    return cover
