"""Findings about submitted data (values) and failures of the toolkit (exceptions).

Problems in what people submit are ``Issue`` values collected in a ``Report``:
every one is reported, none stops the run. Problems in our code or setup are
exceptions, all derived from ``ToolkitError``::

    ToolkitError
    ├── SetupError            a form without its folder, a broken template
    ├── FormNotFoundError     a form name nobody knows
    ├── PolicyFileError       a --policy file that cannot be used
    ├── TemplateRenderError   a template that does not render
    ├── HandbookError         a handbook source that does not build
    ├── NarrativeFileError    a --narrative file of the monthly report that cannot be used
    └── WorkbookReadError     a submitted workbook that cannot be read as a form

Their messages are Chinese, ready to show to a user.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from schemas._base import Severity


class ToolkitError(Exception):
    """Base of the toolkit's own failures; the message is for the user."""


class SetupError(ToolkitError):
    """The forms folder or a schema module is not as the toolkit expects."""


class FormNotFoundError(ToolkitError):
    """No form has the name the user gave."""


class PolicyFileError(ToolkitError):
    """A policy file cannot be read or breaks the policy's rules."""


class TemplateRenderError(ToolkitError):
    """A template could not be rendered with a record."""


class HandbookError(ToolkitError):
    """A handbook source could not be built."""


class NarrativeFileError(ToolkitError):
    """A monthly report's narrative file cannot be read or holds unknown parts."""


class WorkbookReadError(ToolkitError):
    """A submitted workbook cannot be read as a form.

    ``code`` is the finding it becomes: ``unreadable_file`` (corrupt, not a
    workbook, password-protected, too large) or ``unknown_form``.
    """

    def __init__(self, message: str, code: str = "unreadable_file") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class IssueType:
    """A kind of finding: its stable code, usual severity and Chinese meaning."""

    code: str
    severity: Severity
    title: str
    meaning: str


E, W = Severity.ERROR, Severity.WARNING
CATALOGUE: dict[str, IssueType] = {t.code: t for t in [
    IssueType("missing_required", E, "必填项为空", "必须填写的项目没有填写"),
    IssueType("invalid_type", E, "填写有误", "内容不是该项要求的类型（如数量不是整数）"),
    IssueType("invalid_date", E, "日期无效", "不是有效日期；可写作 2026-11-05、2026/11/5 或 2026年11月5日"),
    IssueType("invalid_time", E, "时间无效", "不是有效时间；可写作 09:05、9:05 或 9点05"),
    IssueType("invalid_choice", E, "选项无效", "不是该项规定的选项之一"),
    IssueType("out_of_range", E, "超出范围", "数值或日期超出允许范围（如访问日期不在计划周内）"),
    IssueType("pattern_mismatch", E, "格式不符", "格式不符合要求（如客户编码只能含数字和字母）"),
    IssueType("not_monday", E, "不是星期一", "计划周起始日必须是星期一"),
    IssueType("duplicate", E, "重复", "同一客户同一天重复出现（日程表为错误，签到簿为警告）"),
    IssueType("date_order", E, "日期顺序错误", "日期先后颠倒（如制表日期晚于计划周、调换早于审核）"),
    IssueType("time_order", E, "时间顺序错误", "结束或离开时间不晚于开始或到达时间"),
    IssueType("time_overlap", E, "时间重叠", "同一客户经理同一天的两次走访时间重叠"),
    IssueType("stage_order", E, "流程顺序错误", "流程步骤未按规定顺序进行（如未经审核即调换商品）"),
    IssueType("not_reported", E, "未上报", "价格违规、违规经营、无证经营线索必须上报区域市场经理"),
    IssueType("overdue", E, "逾期", "晚于规定的截止日期（节假日顺延）"),
    IssueType("late_visit", W, "访问不及时", "特殊情况发生后未在规定天数内上门访问"),
    IssueType("policy", W, "未达工作标准", "未达到岗位手册规定的工作标准（如每日拜访户数、制表时间）"),
    IssueType("calendar_unknown", W, "节假日未收录", "该年度法定节假日安排尚未收录，截止日仅按周末顺延"),
    IssueType("unknown_field", W, "多余项目", "表格中有本表单没有的项目，已忽略"),
    IssueType("missing_column", E, "缺少列", "表格的标题行缺少本表单的一列（列名须与模板完全一致）"),
    IssueType("old_template", W, "模板版本不同", "文件由其他版本的模板填写，请改用当前模板"),
    IssueType("form_mismatch", W, "表单与指定的不同",
              "--form 指定的表单与工作簿记录的表单不同，已按工作簿记录的表单校验"),
    IssueType("code_as_number", W, "编码被存为数字", "编码单元格是数字格式，开头的 0 可能已被 Excel 去掉"),
    IssueType("unknown_form", E, "无法识别表单", "无法判断文件是哪种表单，可用 --form 指定"),
    IssueType("unreadable_file", E, "文件无法读取", "文件损坏、不是 Excel 工作簿、有密码保护或过大"),
    IssueType("duplicate_submission", W, "重复提交",
              "同一批中有内容完全相同的文件，或同一客户经理同一期（周、月、一次访问）的同一表单交了两份"),
    # Across the forms of one manager's month, and the monthly report's inputs.
    IssueType("visits_below_minimum", W, "上门次数不足", "客户当月上门走访次数少于每户每月的规定次数"),
    IssueType("unplanned_visit", W, "计划外走访", "签到簿中的走访在访问日程表中没有对应的安排"),
    IssueType("missed_visit", W, "计划未执行", "访问日程表安排的上门访问在签到簿中没有签到记录"),
    IssueType("missing_schedule", W, "缺少日程表", "签到簿中有走访的一周没有访问日程表，无法与计划核对"),
    IssueType("unscheduled_customer", W, "客户不在日程表中",
              "特殊访问记录或反馈单中的客户不在该客户经理本月的访问日程表中"),
    IssueType("other_manager", W, "其他客户经理的表格", "表格属于另一位客户经理，未计入本月报告"),
    IssueType("other_month", W, "其他月份的记录", "表格或记录不属于报告月份，未计入本月报告"),
    IssueType("other_form", W, "非本月报告所用表单",
              "月度报告只取访问日程表、签到簿、特殊访问记录和反馈单，其他表单未计入"),
    IssueType("no_sales", E, "无销售数据", "没有报告月份的销售数据，无法计算销量"),
    IssueType("foreign_sales", W, "其他客户的销售数据",
              "销售表中的客户不在该客户经理本月的任何表格中，其销量未计入本月报告"),
    IssueType("no_sign_in_book", E, "无签到簿", "没有报告月份的有效签到簿，无法计算上门走访次数和计划执行情况"),
]}
del E, W


@dataclass(frozen=True, slots=True, kw_only=True)
class Issue:
    """One finding in a submitted file, located as precisely as it can be."""

    code: str
    severity: Severity
    message: str
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    field: str | None = None
    label: str | None = None
    value: Any = None

    def as_json(self) -> dict[str, Any]:
        """Return the finding as in the documented JSON output."""
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data
