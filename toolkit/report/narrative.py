"""Read the ``--narrative`` file: the parts of the monthly report only the manager can write.

A YAML mapping keyed by the monthly report's field names or their Chinese labels::

    整体销售情况分析: 本月新品到货集中，带动中高档卷烟销量增长。   # added after the drafted text
    存在的问题、产生原因及对策措施:
      - 问题: 部分客户断货后未及时订货
        原因: 客户对新品到货周期不熟悉
        对策措施: 走访时逐户核对库存，提醒订货时间
    客户对商品质量和服务的主要意见和建议: 客户希望缩短调换时间。
    次月销售情况预测: 预计 12 月销量约 520 条。

Any part may be left out; the draft then says that part is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from manualkit.schemas.monthly_report import MonthlyReport, Problem
from manualkit.toolkit.errors import NarrativeFileError
from manualkit.toolkit.yamldata import DataFileError, read_data

NARRATIVE_FIELDS = ("overall_analysis", "problems", "customer_opinions", "forecast")


@dataclass(frozen=True, slots=True)
class Narrative:
    """The manager's own text for the four parts (None or empty: not written)."""

    overall_analysis: str | None = None
    problems: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    customer_opinions: str | None = None
    forecast: str | None = None


def load_narrative(path: Path | None) -> Narrative:
    """Return the narrative in the YAML file ``path`` (an empty one for None).

    Raises:
        NarrativeFileError: the file is missing, not YAML, not a mapping, has a key that is
            not one of the four parts, or a problem row that is not a mapping.
    """
    if path is None:
        return Narrative()
    try:
        data = read_data(Path(path))
    except DataFileError as exc:
        raise NarrativeFileError(f"无法读取报告文字文件 {path}：{exc}") from exc
    if data is None:
        return Narrative()
    if not isinstance(data, Mapping):
        raise NarrativeFileError(f"报告文字文件 {path} 应为“部分: 文字”形式的 YAML")
    parts = _by_name(data, MonthlyReport, path)
    return Narrative(
        overall_analysis=_text(parts.get("overall_analysis")),
        problems=_problems(parts.get("problems"), path),
        customer_opinions=_text(parts.get("customer_opinions")),
        forecast=_text(parts.get("forecast")),
    )


def _by_name(data: Mapping[Any, Any], model: Any, path: Path) -> dict[str, Any]:
    """Return ``data`` keyed by field names; reject keys that are not among the narrative's fields."""
    names = {model.label(name): name for name in _allowed(model)} | {name: name for name in _allowed(model)}
    unknown = [str(key) for key in data if str(key).strip() not in names]
    if unknown:
        known = "、".join(model.label(name) for name in _allowed(model))
        raise NarrativeFileError(
            f"报告文字文件 {path} 中的“{'、'.join(unknown)}”不是报告的部分；可写的部分：{known}"
        )
    return {names[str(key).strip()]: value for key, value in data.items()}


def _allowed(model: Any) -> tuple[str, ...]:
    return NARRATIVE_FIELDS if model is MonthlyReport else tuple(model.model_fields)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _problems(value: Any, path: Path) -> tuple[dict[str, Any], ...]:
    if value is None:
        return ()
    rows = value if isinstance(value, list) else [value]
    if not all(isinstance(row, Mapping) for row in rows):
        raise NarrativeFileError(
            f"报告文字文件 {path} 中“{MonthlyReport.label('problems')}”的每一条应写明"
            f"{'、'.join(Problem.label(n) for n in Problem.model_fields)}"
        )
    return tuple(_by_name(row, Problem, path) for row in rows)
