"""Read an organisation's policy file: the manual's numbers, overridden in YAML.

A file holds only the keys it changes, e.g. ``min_daily_visits: 25``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from schemas._policy import DEFAULT_POLICY, Policy
from toolkit.errors import PolicyFileError
from toolkit.yamldata import DataFileError, read_data


def load_policy(path: Path | None) -> Policy:
    """Return the policy with the overrides in the YAML file ``path`` applied.

    Raises:
        PolicyFileError: the file is missing, not YAML, or breaks a rule; the message
            is Chinese and names the file and the key.
    """
    if path is None:
        return DEFAULT_POLICY
    try:
        data = read_data(Path(path)) or {}
    except DataFileError as exc:
        raise PolicyFileError(f"无法读取政策文件 {path}：{exc}") from exc
    if not isinstance(data, dict):
        raise PolicyFileError(f"政策文件 {path} 应为“键: 值”形式的 YAML")
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        problems = "；".join(_describe(err) for err in exc.errors())
        raise PolicyFileError(f"政策文件 {path} 有误：{problems}") from exc


def _describe(err: Any) -> str:
    key = ".".join(str(part) for part in err["loc"]) or "（整体）"
    field = Policy.model_fields.get(str(err["loc"][0])) if err["loc"] else None
    if err["type"] == "extra_forbidden":
        return f"未知的政策项“{key}”"
    if err["type"] == "value_error":  # our own validators' Chinese reason, without pydantic's English prefix
        return f"“{field.title if field else key}”中{err['ctx']['error']}"
    label = f"“{field.title}”（{key}）" if field else key
    reason = _REASONS.get(err["type"], "取值无效").format(**err.get("ctx", {}))
    return f"{label} 的值 {err.get('input')!r} {reason}"


_REASONS = {
    "greater_than_equal": "应不小于 {ge}",
    "less_than_equal": "应不大于 {le}",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "int_type": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "too_short": "不能为空",
    "list_type": "应为列表",
}
