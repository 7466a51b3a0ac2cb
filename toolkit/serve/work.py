"""The page's jobs, each one call of the library function its CLI command calls.

Validation is ``validate_paths`` + ``with_month_findings`` + ``annotate_all``
(``manualkit validate --annotate``), filling is ``fill`` (``manualkit fill``),
the monthly draft is ``draft_monthly_report`` + ``write_draft``
(``manualkit report monthly``). No rule lives here: this module only turns
their results into what the page shows and offers for download, and shows
the browser's file names instead of the temporary folder's.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from manualkit.schemas._base import Severity
from manualkit.schemas._policy import Policy
from manualkit.schemas._rules import SEVERITY_WORDS
from manualkit.toolkit.errors import Issue, ToolkitError
from manualkit.toolkit.jsontext import dumps
from manualkit.toolkit.registry import FormSpec
from manualkit.toolkit.serve.jobs import Job
from manualkit.toolkit.serve.uploads import Upload
from manualkit.toolkit.validate.findings import FileReport

SEVERITY = SEVERITY_WORDS  # the one word per severity
ANNOTATED_ZIP = "批注副本.zip"
JSON_REPORT = "校验报告.json"
FILLED_ZIP = "填好的表单.zip"
FINDINGS_PER_PAGE = 500  # a page of this many rows shows at once; a month's 30,000 would take the browser seconds


def check_submissions(job: Job, folder: Path, upload: Upload, policy: Policy) -> None:
    """Validate the uploaded spreadsheets as ``manualkit validate 文件夹 --annotate`` does."""
    from manualkit.toolkit.validate import validate_paths
    from manualkit.toolkit.validate.annotate import annotate_all
    from manualkit.toolkit.validate.month import with_month_findings

    shown = upload.shown()
    job.begin("正在校验")
    try:
        batch = validate_paths([folder / "files"], policy=policy, progress=job.counted)
    except ToolkitError:  # the scan found no spreadsheet: say so without the temporary folder's name
        raise ToolkitError(f"上传的 {len(shown)} 个文件中没有可校验的 Excel 表格（.xlsx）") from None
    job.begin("正在核对同一月份的各表")
    batch = with_month_findings(batch, policy)
    job.downloads[JSON_REPORT] = dumps(batch.as_json(shown)).encode()  # json.dumps's text, several times faster
    checked = {report.path for report in batch.files}
    # The findings are shown now; the annotated copies (the slow part) follow in the same job.
    job.coming.append(ANNOTATED_ZIP)
    files = [_file_view(number, report, shown[report.path]) for number, report in enumerate(batch.files, 1)]
    job.result = {
        "summary": batch.summary(),
        "files": files,
        "pages": _paged(files),
        "findings": sum(len(file["findings"]) for file in files),
        "skipped": [name for path, name in shown.items() if path not in checked],
    }
    job.begin("正在生成批注副本")
    annotated = annotate_all(batch.files, folder / "annotated", folder_of=browser_folders(shown))
    if annotated:
        job.downloads[ANNOTATED_ZIP] = zipped(annotated, folder / "annotated")
    job.result["annotated"] = len(annotated)


def _file_view(number: int, report: FileReport, name: str) -> dict[str, Any]:
    from manualkit.toolkit.validate.text import result_word

    return {
        "anchor": f"file-{number}",
        "name": name,
        "form": report.form.title if report.form else "—",
        "manager": report.manager or "—",
        "result": result_word(report),
        "valid": report.valid,
        "errors": report.count(Severity.ERROR),
        "warnings": report.count(Severity.WARNING),
        "findings": [finding_view(issue) for issue in report.issues],
    }


def findings_pages(counts: Sequence[int], per_page: int) -> list[list[tuple[int, int, int]]]:
    """Split files' findings into pages of at most ``per_page``; return each page's ``(file, start, stop)``.

    ``counts`` holds each file's number of findings. A file is kept on one page when it fits on one:
    it starts a new page rather than being cut. Only a file with more than a page of findings is split.
    """
    pages: list[list[tuple[int, int, int]]] = [[]]
    room = per_page
    for number, count in enumerate(counts):
        if count and count > room and count <= per_page:
            pages.append([])
            room = per_page
        start = 0
        while start < count:
            if room == 0:
                pages.append([])
                room = per_page
            stop = min(count, start + room)
            pages[-1].append((number, start, stop))
            room -= stop - start
            start = stop
    return pages


def _paged(files: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Return the findings' pages as the page shows them; note on each file the page its findings start on."""
    pages = findings_pages([len(file["findings"]) for file in files], FINDINGS_PER_PAGE)
    for page_number, page in enumerate(pages, 1):
        for number, start, _stop in page:
            if start == 0:
                files[number]["page"] = page_number
    return [[{"file": files[number], "start": start, "stop": stop} for number, start, stop in page]
            for page in pages]


def finding_view(issue: Issue) -> dict[str, Any]:
    """Return one finding as a row of the page's table."""
    from manualkit.toolkit.validate.annotate import shown_value

    return {
        "severity": SEVERITY[issue.severity],
        "error": issue.severity is Severity.ERROR,
        "sheet": issue.sheet or "",
        "cell": issue.cell or (f"第{issue.row}行" if issue.row else ""),
        "field": issue.label or issue.field or "",
        "value": shown_value(issue.value),
        "message": issue.message,
        "code": issue.code,
        "clause": issue.clause or "",
    }


def form_rules(form: FormSpec, policy: Policy) -> list[dict[str, Any]]:
    """Return the rules ``form`` enforces, from the rule catalogue: name, severity, clause and what it asks."""
    return [{
        "title": rule.title,
        "severity": SEVERITY[rule.severity],
        "error": rule.severity is Severity.ERROR,
        "clause": rule.clause or form.model.clause_of(None),
        "text": rule.describe({key: policy.text(key) for key in rule.policy}),
        "code": rule.code,
    } for rule in form.model.catalogue()]


def fill_forms(job: Job, folder: Path, upload: Upload, form: FormSpec, fmt: str, policy: Policy) -> None:
    """Check the uploaded data files and write the filled forms, as ``manualkit fill`` does."""
    from manualkit.toolkit.render.filling import fill

    job.begin("正在校验数据并生成表单")
    result = fill(form, [saved.path for saved in upload.saved("data")], fmt, folder / "out", policy,
                  progress=job.counted)
    if result.written:
        job.downloads[FILLED_ZIP] = zipped(result.written)
    job.result = {
        "form": form.title,
        "entries": [{"source": entry.source, "problems": entry.problems, "warnings": entry.warnings}
                    for entry in result.entries],
        "written": [path.name for path in result.written],
        "rejected": len(result.rejected),
    }


def draft_report(job: Job, folder: Path, upload: Upload, month: str, manager: str | None,
                 formats: tuple[str, ...], policy: Policy) -> None:
    """Draft the month's report from the uploads, as ``manualkit report monthly`` does."""
    from manualkit.toolkit.report.draft_docx import write_draft
    from manualkit.toolkit.report.monthly import draft_monthly_report
    from manualkit.toolkit.report.summary import summary_lines

    job.begin("正在读取表格并计算")
    sales, narrative = upload.saved("sales"), upload.saved("narrative")
    draft = draft_monthly_report([folder / "submissions"], month, policy, today=dt.date.today(), manager=manager,
                                 sales=sales[0].path if sales else None,
                                 narrative=narrative[0].path if narrative else None)
    job.begin("正在写出报告草稿")
    written = write_draft(draft, folder / "out", formats) if draft.writable else []
    job.downloads.update((path.name, path.read_bytes()) for path in written)
    lines = summary_lines(draft, [Path(path.name) for path in written])
    job.result = {
        "lines": [upload.scrub(line) for line in lines],
        "written": [path.name for path in written],
        "valid": draft.inputs_valid and draft.writable,
    }


def zipped(paths: Sequence[Path], root: Path | None = None) -> bytes:
    """Return a zip of ``paths``, each under its path in ``root`` (by default its own name)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in paths:
            archive.write(path, path.relative_to(root).as_posix() if root else path.name)
    return buffer.getvalue()


def browser_folders(shown: dict[Path, str]) -> Callable[[Path], tuple[str, ...]]:
    """Return the folder each upload had in the browser, below the folder picked (as the CLI mirrors a folder).

    A picked folder is the first part every name shares (``提交的表格/二组/x.xlsx``); files picked one
    by one have no folder, and their copies sit at the top of the zip.
    """
    parts = {path: PurePosixPath(name).parts[:-1] for path, name in shown.items()}
    tops = {folders[:1] for folders in parts.values()}
    skip = 1 if len(tops) == 1 and tops != {()} else 0
    return lambda path: parts.get(path, ())[skip:]
