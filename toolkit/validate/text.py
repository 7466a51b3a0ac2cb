"""The Chinese text report of ``validate``: each file's findings, then a summary table.

Columns are padded by display width (a Chinese character takes two cells), so
the tables line up in a terminal.
"""

from __future__ import annotations

from manualkit.schemas._rules import SEVERITY_WORDS, Severity
from manualkit.toolkit.errors import Issue
from manualkit.toolkit.files import printable
from manualkit.toolkit.month.engine import months_line
from manualkit.toolkit.textwidth import display_width
from manualkit.toolkit.validate.batch import BatchReport
from manualkit.toolkit.validate.findings import FileReport


def text_report(batch: BatchReport) -> str:
    """Return the whole report: every file, then the summary."""
    parts = [file_section(report) for report in batch.files]
    parts.append(summary_table(batch))
    return "\n\n".join(parts) + "\n"


def file_section(report: FileReport) -> str:
    """Return one file's heading line and its findings, one per line."""
    lines = [f"{printable(str(report.path))}（{report.form.title if report.form else '未识别'}）：{_verdict(report)}"]
    rows = [_issue_row(issue) for issue in report.issues]
    lines += ["  " + line for line in _align(rows)]
    return "\n".join(lines)


def _verdict(report: FileReport) -> str:
    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    if report.form is None:
        return _unread(report)
    if not report.issues:
        return "有效"
    counts = "，".join(part for part in (f"{errors} 个错误" if errors else "", f"{warnings} 个警告" if warnings else "")
                      if part)
    return f"{'有效' if report.valid else '无效'}（{counts}）"


def _unread(report: FileReport) -> str:
    return "无法识别表单" if any(i.code == "unknown_form" for i in report.issues) else "无法读取"


def result_word(report: FileReport) -> str:
    """Return the file's result in one word: 有效, 无效, 无法读取 or 无法识别表单."""
    return _unread(report) if report.form is None else ("有效" if report.valid else "无效")


def _issue_row(issue: Issue) -> list[str]:
    where = issue.cell or (f"第{issue.row}行" if issue.row else "—")
    return [SEVERITY_WORDS[issue.severity], where, f"{issue.cited}  [{issue.code}]"]


def summary_table(batch: BatchReport) -> str:
    """Return the summary: one line per file, then the totals."""
    rows = [["文件", "表单", "结果", "错误", "警告"]]
    for report in batch.files:
        rows.append([printable(str(report.path)), report.form.title if report.form else "—", result_word(report),
                     str(report.count(Severity.ERROR)), str(report.count(Severity.WARNING))])
    totals = batch.summary()
    closing = (f"共 {totals['files']} 个文件：有效 {totals['valid']} 个，无效 {totals['invalid']} 个；"
               f"错误 {totals['errors']} 个，警告 {totals['warnings']} 个")
    months = months_line(batch.months)
    return "\n".join(["汇总", *_align(rows), *([months] if months else []), closing])


def _align(rows: list[list[str]]) -> list[str]:
    """Return ``rows`` as lines with every column but the last padded to the widest cell."""
    if not rows:
        return []
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return ["  ".join([*(_pad(cell, width) for cell, width in zip(row, widths, strict=False)), row[-1]])
            for row in rows]


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))

