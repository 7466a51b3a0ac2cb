"""The policy: the manual's numbers by default, an organisation's file overriding them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from manualkit.schemas._policy import DEFAULT_POLICY
from manualkit.toolkit.errors import PolicyFileError
from manualkit.toolkit.policy import load_policy
from manualkit.toolkit.records import check_record
from manualkit.toolkit.registry import get_form
from tests.conftest import sample


def test_defaults_are_the_manuals_numbers() -> None:
    policy = load_policy(None)
    assert (policy.min_daily_visits, policy.min_monthly_visits_per_customer, policy.report_due_day,
            policy.special_visit_max_delay_days, policy.phone_change_days, policy.suspension_days) == (
        30, 2, 5, 1, 3, 10)
    assert (policy.text("min_daily_market_hours"), policy.text("morning_meeting_time")) == ("6", "07:30")
    assert policy.visit_minimum_exceptions == {}
    assert policy.report_due_postpone_holidays is True
    assert policy.weekday_names() == "周六、周日"
    assert policy.customer_classes == ["一级", "二级", "三级", "四级", "五级"]
    assert policy.promotion_eligible_classes == ["一级", "二级", "三级"]
    assert "callback_within_days" not in type(policy).model_fields  # a car dealer's rule, not this manual's


def test_policy_values_of_the_file_are_read(tmp_path: Path) -> None:
    policy = load_policy(_policy_file(tmp_path, (
        "morning_meeting_time: 8:00\nmin_daily_market_hours: 5.5\n"
        "visit_minimum_exceptions: {4301000001: 4, '0431': 1}\n")))
    assert (policy.text("morning_meeting_time"), policy.text("min_daily_market_hours")) == ("08:00", "5.5")
    assert policy.visit_minimum_exceptions == {"4301000001": 4, "0431": 1}
    assert (policy.monthly_visits_for("4301000001"), policy.monthly_visits_for("4301000002")) == (4, 2)


def _policy_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_policy_file_may_name_items_as_the_handbook_prints_them(tmp_path: Path) -> None:
    from manualkit.schemas._policy import Policy

    text = "每日最少上门拜访零售户数: 25\n访问日程表制订日: [周五]\nreport_due_day: 3\n"
    policy = load_policy(_policy_file(tmp_path, text))
    assert (policy.min_daily_visits, policy.weekday_names(), policy.report_due_day) == (25, "周五", 3)
    values = DEFAULT_POLICY.model_dump(mode="json")
    every_name = "".join(f"{info.title}: {json.dumps(values[key], ensure_ascii=False)}\n"
                         for key, info in Policy.model_fields.items())
    assert load_policy(_policy_file(tmp_path, every_name)) == DEFAULT_POLICY


def test_a_policy_file_changes_what_the_rules_enforce(tmp_path: Path) -> None:
    data = sample("visit-schedule")
    del data["rows"][:5]  # 2026-11-09: 25 in-person visits planned
    form = get_form("visit-schedule")
    assert "policy" in [v.code for v in check_record(form, data, DEFAULT_POLICY).violations]
    relaxed = load_policy(_policy_file(tmp_path, "min_daily_visits: 25\n"))
    assert check_record(form, data, relaxed).violations == []


def test_schedule_days_and_report_day_come_from_the_policy(tmp_path: Path) -> None:
    policy = load_policy(_policy_file(tmp_path, "schedule_prepared_weekdays: [周五]\nreport_due_day: 3\n"))
    schedule = sample("visit-schedule")
    found = check_record(get_form("visit-schedule"), schedule, policy).violations
    assert [(v.code, v.field) for v in found] == [("policy", "prepared_on")]
    assert "周五" in found[0].message
    report = sample("monthly-report")  # submitted 2026-11-04: late when due on the 3rd
    assert [v.code for v in check_record(get_form("monthly-report"), report, policy).violations] == ["overdue"]


def test_special_visit_delay_comes_from_the_policy(tmp_path: Path) -> None:
    data = sample("special-visit")
    data["visited_at"] = "2026-11-07 09:00"
    form = get_form("special-visit")
    assert [v.code for v in check_record(form, data, DEFAULT_POLICY).violations] == ["late_visit"]
    patient = load_policy(_policy_file(tmp_path, "special_visit_max_delay_days: 3\n"))
    assert check_record(form, data, patient).violations == []


@pytest.mark.parametrize(("text", "words"), [
    ("min_daily_visits: -1\n", ["每日最少上门拜访零售户数", "不小于 0"]),
    ("min_daily_visits: 1000000000000000000000000\n", ["每日最少上门拜访零售户数", "不大于 200"]),
    ("min_daily_market_hours: 25\n", ["每日最少市场走访时间（小时）", "不大于 24"]),
    ("min_monthly_visits_per_customer: 32\n", ["每户每月最少上门拜访次数", "不大于 31"]),
    ("special_visit_max_delay_days: 40\n", ["特殊访问最长延迟天数", "不大于 31"]),
    ("phone_change_days: 0\n", ["电话变更办结天数", "不小于 1"]),
    ("suspension_days: 99\n", ["停歇业办结天数", "不大于 31"]),
    ("visit_minimum_exceptions: {4301000001: 40}\n", ["经批准的上门次数例外", "不大于 31"]),
    ("morning_meeting_time: 25:00\n", ["晨会开始时间"]),
    ("promotion_eligible_classes: [特级]\n", ["可推荐促销的档位 特级 不在客户档位"]),
    ("min_daly_visits: 20\n", ["未知的政策项“min_daly_visits”，您是不是要找“min_daily_visits”？"]),
    ("每日最少拜访零售户数: 20\n", ["未知的政策项“每日最少拜访零售户数”，您是不是要找“每日最少上门拜访零售户数”？"]),
    ("quota: 20\n", ["未知的政策项“quota”；可用的有：min_daily_visits、"]),
    ("min_daily_visits: 20\n每日最少上门拜访零售户数: 25\n", ["“每日最少上门拜访零售户数”（min_daily_visits）写了两次"]),
    ("每日最少上门拜访零售户数: -1\n", ["“每日最少上门拜访零售户数”（min_daily_visits） 的值 -1 应不小于 0"]),
    ("report_due_day: [\n", ["无法读取政策文件", "：第 2 行第 1 列附近 YAML 格式有误"]),
    ("- 1\n- 2\n", ["键: 值"]),
    ("schedule_prepared_weekdays: [周六, 周八]\n", ["“访问日程表制订日”", "“周八”不是星期几，应写作周一至周日或 1–7"]),
])
def test_a_bad_policy_file_is_a_clear_chinese_error(tmp_path: Path, text: str, words: list[str]) -> None:
    path = _policy_file(tmp_path, text)
    with pytest.raises(PolicyFileError) as caught:
        load_policy(path)
    assert str(path) in str(caught.value)
    for word in words:
        assert word in str(caught.value)
    assert "expected" not in str(caught.value) and "while parsing" not in str(caught.value)


def test_a_policy_file_not_in_utf8_says_so_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "政策.yaml"
    path.write_bytes("min_daily_visits: 25  # 每日".encode("gbk"))
    with pytest.raises(PolicyFileError) as caught:
        load_policy(path)
    assert str(caught.value) == f"无法读取政策文件 {path}：不是 UTF-8 编码的文本文件，请另存为 UTF-8 编码"


def test_a_missing_policy_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(PolicyFileError, match="无法读取政策文件"):
        load_policy(tmp_path / "nope.yaml")
