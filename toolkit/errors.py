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

import copy
import dataclasses
from dataclasses import dataclass
from typing import Any

from manualkit.schemas._rules import ERROR, FIELD_RULES, WARNING, Rule, RuleSet, Severity


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

    def __reduce__(self) -> tuple[type, tuple[str, str]]:  # keeps the code when raised in a child process
        return type(self), (str(self), self.code)


# The general catalogue: the field rules every form shares (their clause is the form's), what only a
# workbook can have wrong (the form's clause too), findings about a file (no clause), and the rules
# across one manager's month and the monthly report's inputs. A form's own rules are on the form
# (``FormSchema.rules``); ``manualkit.toolkit.registry.all_rules`` walks both.
GENERAL = RuleSet(
    **{rule.name: rule for rule in FIELD_RULES},
    missing_column=Rule("missing_column", ERROR, "缺少列", None,
                        "表格的标题行缺少本表单的一列（列名须与模板完全一致）"),
    old_template=Rule("old_template", WARNING, "模板版本不同", None, "文件由其他版本的模板填写，请改用当前模板"),
    code_as_number=Rule("code_as_number", WARNING, "编码被存为数字", None,
                        "编码单元格是数字格式，开头的 0 可能已被 Excel 去掉"),
    form_mismatch=Rule("form_mismatch", WARNING, "表单与指定的不同", None,
                       "--form 指定的表单与工作簿记录的表单不同，已按工作簿记录的表单校验"),
    unknown_form=Rule("unknown_form", ERROR, "无法识别表单", None, "无法判断文件是哪种表单，可用 --form 指定"),
    unreadable_file=Rule("unreadable_file", ERROR, "文件无法读取", None,
                         "文件损坏、不是 Excel 工作簿、有密码保护或过大"),
    # A submission handed in twice in one run: it cites its form's clause (one per week, month, visit).
    duplicate_submission=Rule("duplicate_submission", WARNING, "重复提交", None,
                              "同一批中有内容完全相同的文件，或同一客户经理同一期（周、月、一次访问）的同一表单交了两份"),
    # Across the forms of one manager's month.
    unplanned_visit=Rule("unplanned_visit", WARNING, "计划外走访", "§4.1.1",
                         "签到簿中的走访应在访问日程表中有对应的安排（按期、按时访问）"),
    missed_visit=Rule("missed_visit", WARNING, "计划未执行", "§4.1.1",
                      "访问日程表安排的上门访问应在签到簿中有签到记录"),
    missing_schedule=Rule("missing_schedule", WARNING, "缺少日程表", "§4.1.1",
                          "签到簿中有走访的每一周都应有访问日程表，才能与计划核对"),
    not_nominated=Rule("not_nominated", WARNING, "发放对象在推荐名单中", "§4.2.1",
                       "宣传促销品签收单中的客户应在同一促销活动、经区域市场经理审核的促销客户推荐名单中"),
    diary_visits_mismatch=Rule("diary_visits_mismatch", WARNING, "日记户数与签到相符", "002 2231",
                               "工作日记的上门走访户数应与当天签到簿中的走访记录数一致"),
    phone_visit_unlogged=Rule("phone_visit_unlogged", WARNING, "电话访问有记录", "002 三定(3)",
                              "访问日程表安排的电话访问，电话拜访情况记录中应有当天这户客户的记录"),
    unscheduled_customer=Rule("unscheduled_customer", WARNING, "客户不在日程表中", "§3.1",
                              "特殊访问记录或反馈单中的客户应是该客户经理访问日程表中的客户"),
    incomplete_month=Rule("incomplete_month", WARNING, "月度表格不全", "§4.1.1",
                          "同一客户经理同一月份应有有效的签到簿和访问日程表，跨表单的核对才能进行"),
    # The monthly report's inputs (§4.4.1: last month's records and the customers' sales).
    other_manager=Rule("other_manager", WARNING, "其他客户经理的表格", "§4.4.1",
                       "表格属于另一位客户经理，未计入本月报告"),
    other_month=Rule("other_month", WARNING, "其他月份的记录", "§4.4.1", "表格或记录不属于报告月份，未计入本月报告"),
    other_form=Rule("other_form", WARNING, "非本月报告所用表单", "§4.4.1",
                    "月度报告只取在客户经理一个月中有角色的表单（如签到簿、日程表），其他表单（如月度报告本身）未计入"),
    no_sales=Rule("no_sales", ERROR, "无销售数据", "§4.4.1", "没有报告月份的销售数据，无法计算销量"),
    foreign_sales=Rule("foreign_sales", WARNING, "其他客户的销售数据", "§4.4.1",
                       "销售表中的客户不在该客户经理本月的任何表格中，其销量未计入本月报告"),
    no_sign_in_book=Rule("no_sign_in_book", ERROR, "无签到簿", "§4.4.1",
                         "没有报告月份的有效签到簿，无法计算上门走访次数和计划执行情况"),
)
# Findings about the file itself: they cite no clause.
FILE_CODES = frozenset({"unreadable_file", "unknown_form", "form_mismatch"})
CATALOGUE: dict[str, Rule] = {rule.code: rule for rule in GENERAL}


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
    clause: str | None = None  # the manual's clause the rule enforces (None: a finding about the file)
    title: str | None = dataclasses.field(default=None, compare=False)  # the rule's Chinese name (not in the JSON)

    def as_json(self) -> dict[str, Any]:
        """Return the finding as in the documented JSON output."""
        value = self.value
        return {"code": self.code, "severity": str(self.severity), "message": self.message, "sheet": self.sheet,
                "cell": self.cell, "row": self.row, "field": self.field, "label": self.label,
                "value": copy.deepcopy(value) if isinstance(value, list | dict) else value, "clause": self.clause}

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickle as the field values: a worker may send back 100,000 findings of one file."""
        return (_issue, tuple(map(self.__getattribute__, _ISSUE_FIELDS)))

    @property
    def cited(self) -> str:
        """Return the message with the clause it enforces (``cite``)."""
        return cite(self.message, self.clause)

    @property
    def name(self) -> str:
        """Return the rule's Chinese name: its own, else the general catalogue's for the code."""
        return self.title or (CATALOGUE[self.code].title if self.code in CATALOGUE else self.code)


_ISSUE_FIELDS = tuple(f.name for f in dataclasses.fields(Issue))


def _issue(*values: Any) -> Issue:
    """Return the ``Issue`` of these field values (unpickling: as ``__init__`` sets them)."""
    issue = object.__new__(Issue)
    for name, value in zip(_ISSUE_FIELDS, values, strict=True):
        object.__setattr__(issue, name, value)
    return issue


def cite(message: str, clause: str | None) -> str:
    """Return ``message`` with the clause its rule enforces, as reports print it: ``…（依据：§4.1.4）``."""
    return f"{message}（依据：{clause}）" if clause else message
