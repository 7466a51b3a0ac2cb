"""The month's rules run for every manager's month in a folder, and a month lacking a form says so once."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from manualkit.schemas._policy import DEFAULT_POLICY
from manualkit.toolkit.cli import cli
from manualkit.toolkit.validate import validate_paths
from manualkit.toolkit.validate.month import with_month_findings
from tests.report.month import write_month_xlsx

CROSS_FORM = {"unplanned_visit", "missed_visit", "missing_schedule", "unscheduled_customer", "incomplete_month"}
ONE_MONTH = {
    "签到簿-2026-11.xlsx": ["unplanned_visit", "missing_schedule"],
    "日程表-2026-11-09.xlsx": ["missed_visit"],
    "日程表-2026-11-16.xlsx": ["missed_visit"],
    "特殊访问-3.xlsx": ["unscheduled_customer"],
}


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four managers' months: two whole, one without schedules, one without a sign-in book."""
    root = tmp_path_factory.mktemp("province")
    one = write_month_xlsx(root / "张伟", "张伟")
    for manager in ("李强", "王芳", "赵敏"):
        shutil.copytree(one, root / manager)
        write_month_xlsx(root / manager, manager)  # the same month, every record naming its manager
    for schedule in (root / "王芳").glob("日程表-*.xlsx"):
        schedule.unlink()
    (root / "赵敏" / "签到簿-2026-11.xlsx").unlink()
    return root


def _cross_form(document: dict) -> dict[str, list[str]]:
    found = {f["path"]: [e["code"] for e in f["errors"] if e["code"] in CROSS_FORM] for f in document["files"]}
    return {str(Path(path).relative_to(Path(path).parents[1])): codes for path, codes in found.items() if codes}


def test_every_managers_month_is_checked(province: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(province)])
    assert result.exit_code == 0, result.output
    expected = {f"{manager}/{name}": codes for manager in ("张伟", "李强") for name, codes in ONE_MONTH.items()}
    expected["王芳/签到簿-2026-11.xlsx"] = ["incomplete_month"]
    expected["赵敏/日程表-2026-11-02.xlsx"] = ["incomplete_month"]
    assert _cross_form(json.loads(result.output)) == expected
    text = CliRunner().invoke(cli, ["validate", str(province)]).output.splitlines()
    assert text[-2] == "跨表单核对：2 个客户经理月份已核对，2 个因表格不全未核对"


def test_an_incomplete_month_names_what_it_lacks(province: Path) -> None:
    batch = with_month_findings(validate_paths([province / "王芳", province / "赵敏"]), DEFAULT_POLICY)
    told = [(report.path.parent.name, issue.message) for report in batch.files for issue in report.issues
            if issue.code == "incomplete_month"]
    assert told == [
        ("王芳", "客户经理“王芳” 2026-11 没有有效的客户访问日程表，这个月的跨表单核对（日程表与签到簿对照等）未进行"),
        ("赵敏", "客户经理“赵敏” 2026-11 没有有效的营销人员市场走访签到记录簿，这个月的跨表单核对（日程表与签到簿对照等）未进行"),
    ]


def test_the_months_are_counted_and_the_given_batch_is_left_alone(province: Path) -> None:
    batch = validate_paths([province])
    before = [list(report.issues) for report in batch.files]
    checked = with_month_findings(batch, DEFAULT_POLICY)
    assert [list(report.issues) for report in batch.files] == before  # a new report, the frozen one unchanged
    assert sorted((g.manager, g.month, g.missing) for g in checked.months) == [
        ("张伟", "2026-11", ()), ("李强", "2026-11", ()),
        ("王芳", "2026-11", ("schedule",)), ("赵敏", "2026-11", ("sign_in_book",)),
    ]
    assert all(report.month is None for report in checked.files)  # the records are let go once used


def test_single_forms_alone_are_not_months(province: Path, tmp_path: Path) -> None:
    """A sign-in book checked on its own is a check of one form: no month is missing anything."""
    shutil.copy(province / "王芳" / "签到簿-2026-11.xlsx", tmp_path / "book.xlsx")
    batch = with_month_findings(validate_paths([tmp_path]), DEFAULT_POLICY)
    assert not [issue for issue in batch.files[0].issues if issue.code in CROSS_FORM]


def test_validate_does_not_import_report() -> None:
    code = ("import sys, manualkit.toolkit.validate.month, manualkit.toolkit.validate.stream, manualkit.toolkit.cli.validate;"
            "print(sorted(m for m in sys.modules if m.startswith('manualkit.toolkit.report')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_two_slips_of_one_customer_on_one_day_are_two(tmp_path: Path) -> None:
    """What the worker sends back keeps enough of a slip that two different ones are not taken for repeats."""
    from manualkit.toolkit.registry import get_form
    from tests.filled_workbooks import write_form
    from tests.report.month import feedback_slips

    folder = write_month_xlsx(tmp_path / "month")
    goods, service = feedback_slips()
    write_form(get_form("feedback-slip"), {**service, **{k: goods[k] for k in ("customer_code", "customer_name",
                                                                            "reported_on")}}, folder / "反馈单-2.xlsx")
    batch = with_month_findings(validate_paths([folder]), DEFAULT_POLICY)
    assert [i.code for r in batch.files if r.path.name.startswith("反馈单") for i in r.issues] == []


def test_a_rule_that_fails_costs_only_itself(province: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import manualkit.toolkit.month.engine as engine
    from manualkit.toolkit.month.rules import CrossFormRule

    def broken(month: object) -> list:
        raise KeyError("customer_code")

    rules = (*engine.month_rules(), CrossFormRule("manualkit.toolkit.month.rules.broken.broken", frozenset({"schedule"}), broken))
    monkeypatch.setattr(engine, "month_rules", lambda: rules)
    batch = with_month_findings(validate_paths([province / "张伟"]), DEFAULT_POLICY)
    found = {r.path.name: [i.code for i in r.issues if i.code in CROSS_FORM] for r in batch.files}
    assert found["签到簿-2026-11.xlsx"] == ["unplanned_visit", "missing_schedule"]  # the other rules ran
    [(name, told)] = [(r.path.name, i.message) for r in batch.files for i in r.issues if i.code == "incomplete_month"]
    assert name == "日程表-2026-11-02.xlsx"  # the month's first file of a form it needs
    assert told == "客户经理“张伟” 2026-11 的跨表单核对有一项未能完成（broken：KeyError: 'customer_code'）"


def test_months_run_early_and_reopened_find_what_running_them_at_the_end_finds(province: Path) -> None:
    import random

    from manualkit.toolkit.month import MonthEngine

    parts = [report.month for report in validate_paths([province]).files if report.month is not None]
    random.Random(7).shuffle(parts)  # the managers' files interleaved: every month is run, then joined again
    early, late = MonthEngine(DEFAULT_POLICY, settle_after=1), MonthEngine(DEFAULT_POLICY, settle_after=10**9)
    for part in parts:
        early.add(part)
        late.add(part)
    found, expected = early.run(), late.run()
    assert found == expected
    assert sum(len(issues) for issues in found.findings.values()) > 10
