"""The main job end to end on the shipped sample data, as a list of steps.

Each ``DemoStep`` takes the output folder and returns the files it wrote; a
feature joins the demo by adding one step to ``STEPS``. The sample month
(``forms/demo/``) is one account manager's November: four weekly schedules, the
sign-in book, special-visit records and feedback slips as data files, a sales
sheet, the manager's own text for the monthly report, and the mistakes a
manager typed into two of the spreadsheets (``填写错误.yaml``); every other form
brings its part of the month in its own folder (``forms/<form>/demo/``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from manualkit.schemas._policy import DEFAULT_POLICY
from manualkit.toolkit.errors import ToolkitError
from manualkit.toolkit.paths import HANDBOOK_FOLDER, forms_dir
from manualkit.toolkit.registry import all_forms, get_form

DEMO_MONTH = "2026-11"
SUBMITTED_ON = dt.date(2026, 12, 3)  # the day the demo pretends the month's report is drafted
BLANK, FILLED, SUBMITTED = "空白表单", "填好的表单", "提交的表格"
REPORT, MONTHLY, HANDBOOK = "校验报告", "月度报告", HANDBOOK_FOLDER


@dataclass(frozen=True, slots=True)
class DemoStep:
    """One part of the demo: what it makes (Chinese, for the user) and how."""

    title: str
    run: Callable[[Path], list[Path]]


def demo_data() -> Path:
    """Return the folder of the sample month."""
    return forms_dir() / "demo"


def blank_forms(outdir: Path) -> list[Path]:
    """Write every form blank, in Word and Excel."""
    from manualkit.toolkit.render.fill_batch import render_blanks

    return render_blanks(list(all_forms().values()), "both", outdir / BLANK)


def filled_samples(outdir: Path) -> list[Path]:
    """Fill every form with its shipped sample, in Word and Excel."""
    written: list[Path] = []
    for form in all_forms().values():
        written += _fill(form.form_id, form.sample, "both", outdir / FILLED)
    return written


def submitted_month(outdir: Path) -> list[Path]:
    """Write the sample month as the spreadsheets the manager hands in, with the typed mistakes."""
    mistakes = yaml.safe_load((demo_data() / "填写错误.yaml").read_text(encoding="utf-8"))
    written: list[Path] = []
    for form_name, data_file in month_files():
        files = _fill(form_name, data_file, "xlsx", outdir / SUBMITTED)
        for mistake in (m for m in mistakes if m["file"] == data_file.name):
            _type_into(files[mistake["record"] - 1], mistake["field"], mistake.get("row"), mistake["value"])
        written += files
    return written


def month_files() -> list[tuple[str, Path]]:
    """Return the data files of the sample month with the form each fills.

    They are ``forms/demo/提交的表格/*.json`` (named by the form's title) and each form's own
    ``forms/<form>/demo/*.json``: a form brings its part of the sample month in its folder.
    """
    shared = [(path.stem.split("-")[0], path) for path in sorted((demo_data() / SUBMITTED).glob("*.json"))]
    own = [(form.form_id, path) for form in all_forms().values()
           for path in sorted((form.folder / "demo").glob("*.json"))]
    return shared + own


def validation_report(outdir: Path) -> list[Path]:
    """Validate the submitted spreadsheets: a text and a JSON report, annotated copies of the faulty ones."""
    from manualkit.toolkit.files import atomic_output
    from manualkit.toolkit.validate import text_report, validate_paths
    from manualkit.toolkit.validate.annotate import annotate_all, under_roots
    from manualkit.toolkit.validate.month import with_month_findings

    batch = validate_paths([outdir / SUBMITTED], None, DEFAULT_POLICY)
    batch = with_month_findings(batch, DEFAULT_POLICY)
    folder = outdir / REPORT
    reports = {"校验报告.txt": text_report(batch), "校验报告.json": json.dumps(batch.as_json(), ensure_ascii=False,
                                                                         indent=2)}
    written = []
    for name, text in reports.items():
        with atomic_output(folder / name) as temporary:
            temporary.write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written + annotate_all(batch.files, folder / "批注副本", folder_of=under_roots([outdir / SUBMITTED]))


def monthly_report(outdir: Path) -> list[Path]:
    """Draft the month's report from the valid submissions, the sales sheet and the manager's text, with its notes."""
    from manualkit.toolkit.files import atomic_output
    from manualkit.toolkit.report.draft_docx import write_draft
    from manualkit.toolkit.report.monthly import draft_monthly_report
    from manualkit.toolkit.report.summary import summary_lines

    draft = draft_monthly_report([outdir / SUBMITTED], DEMO_MONTH, DEFAULT_POLICY, today=SUBMITTED_ON,
                                 sales=demo_data() / "销售表.csv", narrative=demo_data() / "月度分析.yaml")
    if not draft.writable:
        raise ToolkitError("示例月份的月度报告草稿无法生成：" + "；".join(v.message for v in draft.check.violations))
    written = write_draft(draft, outdir / MONTHLY)
    summary = outdir / MONTHLY / "草稿说明.txt"  # what the command prints: figures, findings, parts to write
    with atomic_output(summary) as temporary:
        temporary.write_text("\n".join(summary_lines(draft, written)) + "\n", encoding="utf-8")
    return [*written, summary]


def handbook(outdir: Path) -> list[Path]:
    """Build the staff handbook in Word and HTML."""
    from manualkit.toolkit.handbook.build import build_handbook

    return build_handbook(outdir / HANDBOOK, ("docx", "html"), DEFAULT_POLICY, today=dt.date.today())


STEPS: list[DemoStep] = [
    DemoStep("空白表单（Word、Excel）", blank_forms),
    DemoStep("用示例数据填好的表单（Word、Excel）", filled_samples),
    DemoStep("客户经理一个月提交的表格（其中两份有填写错误）", submitted_month),
    DemoStep("校验报告与批注副本", validation_report),
    DemoStep("月度销售情况分析报告草稿", monthly_report),
    DemoStep("岗位职责手册（Word、HTML）", handbook),
]


def _fill(form_name: str, data_file: Path, fmt: str, outdir: Path) -> list[Path]:
    """Fill ``form_name`` with every record of ``data_file``; the shipped data must be valid."""
    from manualkit.toolkit.render.filling import fill

    result = fill(get_form(form_name), [data_file], fmt, outdir, DEFAULT_POLICY)
    if result.rejected:
        problems = "；".join(line for entry in result.rejected for line in entry.problems)
        raise ToolkitError(f"示例数据 {data_file} 无效：{problems}")
    return result.written


def _type_into(workbook: Path, field: str, row: int | None, value: str) -> None:
    """Type ``value`` into the cell of ``field`` (table row ``row``, 1-based) as a person would."""
    from openpyxl import load_workbook

    from manualkit.toolkit.reader import read_workbook

    submission = read_workbook(workbook)
    cell = submission.cell(field, None if row is None else row - 1)
    if cell is None:
        raise ToolkitError(f"{workbook.name} 中找不到项目 {field} 的单元格")
    book = load_workbook(workbook)
    book[submission.sheet][cell] = value
    book.save(workbook)
