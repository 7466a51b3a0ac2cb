"""The rule catalogue's parts: a rule of the manual, a form's set of rules, and a finding.

Every rule a form enforces is declared once, on the form (or its row model) that
owns it, in its ``rules`` ClassVar::

    class SignInBook(FormSchema):
        rules: ClassVar[RuleSet] = RuleSet(
            time_overlap=Rule("time_overlap", ERROR, "走访时间不重叠", "§4.1.4",
                              "同一天的两次走访时间不得重叠"),
        )

and used by name where it is checked: ``self.rules.time_overlap(message, "arrived_at", row=i)``
returns the ``Violation``, carrying the rule's code, severity, clause and name. The
validator, ``fill``, the monthly report, the handbook and the README's code table all
read the rule from there; nothing restates its severity or clause.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from string import Formatter
from typing import Any


class Severity(StrEnum):
    """How bad a finding is: an error makes the form unacceptable."""

    ERROR = "error"
    WARNING = "warning"


# The one Chinese word for each severity, everywhere a person reads it.
SEVERITY_WORDS = {Severity.ERROR: "错误", Severity.WARNING: "警告"}


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: a stable code, a Chinese message and where it is.

    ``row`` is the 0-based index into the form's rows (``None`` for the header);
    ``fields`` are the field names concerned, the first one being where to point.
    The message holds no position: the caller adds "第 N 行" in its own terms.
    ``clause`` is the manual's clause the rule enforces; ``title`` the rule's Chinese name.
    """

    code: str
    message: str
    fields: tuple[str, ...] = ()
    row: int | None = None
    severity: Severity = Severity.ERROR
    value: Any = None  # what was found, when the finding is about one value
    clause: str | None = None
    title: str | None = None

    @property
    def field(self) -> str | None:
        """Return the field to point at."""
        return self.fields[0] if self.fields else None


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of the manual: what it is called, how bad breaking it is, and where the manual says so.

    Attributes:
        code: the stable English code findings carry (several rules may share one, e.g. ``policy``).
        severity: error or warning, stated here and nowhere else.
        title: the rule's Chinese name (the annotated copy and the handbook show it).
        clause: the manual's clause (``§4.1.4``, ``002 2221``); ``None`` only for findings about a file.
        text: what the rule asks, in Chinese, as the handbook states it; ``{key}`` places a policy value.
        policy: the policy keys the rule reads (every ``{key}`` of ``text`` among them).
        name: the rule's name in its ``RuleSet`` (set there).
    """

    code: str
    severity: Severity
    title: str
    clause: str | None
    text: str
    policy: tuple[str, ...] = ()
    name: str = ""

    def __post_init__(self) -> None:
        if self.policy:  # the policy model (pydantic) only when a rule reads it: `manualkit --help` needs neither
            from manualkit.schemas._policy import Policy

            if unknown := set(self.policy) - set(Policy.model_fields):
                raise TypeError(f"rule {self.code!r}: no policy key {sorted(unknown)}")
        placed = {key for _, key, _, _ in Formatter().parse(self.text) if key}
        if unread := placed - set(self.policy):
            raise TypeError(f"rule {self.code!r}: text places {sorted(unread)} not in policy={self.policy}")

    def __call__(
        self, message: str, *fields: str, row: int | None = None, value: Any = None, clause: str | None = None
    ) -> Violation:
        """Return this rule's finding: ``message`` about ``fields`` (of table row ``row``, if any).

        ``clause`` is for the field rules, whose clause is the form's or the field's own.
        """
        return Violation(self.code, message, fields, row, self.severity, value, clause or self.clause, self.title)

    def describe(self, values: dict[str, str]) -> str:
        """Return the rule's text with the policy values placed (``values``: key -> shown value)."""
        return self.text.format(**{key: values[key] for key in self.policy})


class RuleSet:
    """The rules one form (or row model) owns, by name: ``rules.duplicate`` is a ``Rule``."""

    def __init__(self, **rules: Rule) -> None:
        self._rules = {name: replace(rule, name=name) for name, rule in rules.items()}

    def __getattr__(self, name: str) -> Rule:
        try:
            return self._rules[name]
        except KeyError:
            raise AttributeError(f"no rule named {name!r}") from None

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)

    def by_code(self, code: str) -> Rule | None:
        """Return the first rule with ``code``, if any."""
        return next((rule for rule in self if rule.code == code), None)


ERROR, WARNING = Severity.ERROR, Severity.WARNING


# What a field's own type and constraints check (pydantic's errors, translated). Their clause is
# the owning form's, or the field's own (``FormSchema.clause_of``): ``None`` here.
FIELD_RULES = RuleSet(
    missing_required=Rule("missing_required", ERROR, "必填项为空", None, "必须填写的项目没有填写"),
    invalid_type=Rule("invalid_type", ERROR, "填写有误", None, "内容不是该项要求的类型（如数量不是整数）"),
    invalid_date=Rule("invalid_date", ERROR, "日期无效", None,
                      "不是有效日期；可写作 2026-11-05、2026/11/5 或 2026年11月5日"),
    invalid_time=Rule("invalid_time", ERROR, "时间无效", None, "不是有效时间；可写作 09:05、9:05 或 9点05"),
    invalid_choice=Rule("invalid_choice", ERROR, "选项无效", None, "不是该项规定的选项之一"),
    out_of_range=Rule("out_of_range", ERROR, "超出范围", None, "数值超出该项允许的范围"),
    pattern_mismatch=Rule("pattern_mismatch", ERROR, "格式不符", None, "格式不符合要求（如客户编码只能含数字和字母）"),
    unknown_field=Rule("unknown_field", WARNING, "多余项目", None, "表格中有本表单没有的项目，已忽略"),
)
