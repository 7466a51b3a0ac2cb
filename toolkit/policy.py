"""Read an organisation's policy file: the manual's numbers, overridden in YAML.

A file holds only the keys it changes, each by its key or by the Chinese name the
handbook prints: ``min_daily_visits: 25`` or ``每日最少上门拜访零售户数: 25``.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from manualkit.schemas._policy import DEFAULT_POLICY, Policy
from manualkit.toolkit.errors import PolicyFileError
from manualkit.toolkit.yamldata import DataFileError, read_data


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
        return Policy.model_validate(_by_key(data, path))
    except ValidationError as exc:
        problems = "；".join(_describe(err) for err in exc.errors())
        raise PolicyFileError(f"政策文件 {path} 有误：{problems}") from exc


def _by_key(data: dict[Any, Any], path: Path) -> dict[str, Any]:
    """Return ``data`` keyed by policy keys, the handbook's Chinese names turned into their keys.

    Raises:
        PolicyFileError: a key is neither a key nor a name (the nearest ones suggested),
            or one item is given twice (by key and by name).
    """
    keys = {name: key for key, info in Policy.model_fields.items() for name in (info.title or key, key)}
    found: dict[str, Any] = {}
    problems = []
    for given, value in data.items():
        key = keys.get(str(given).strip())
        if key is None:
            nearest = difflib.get_close_matches(str(given), list(keys), n=1, cutoff=0.5)
            guess = f"，您是不是要找“{nearest[0]}”？" if nearest else f"；可用的有：{'、'.join(Policy.model_fields)}"
            problems.append(f"未知的政策项“{given}”{guess}")
        elif key in found:
            problems.append(f"“{Policy.model_fields[key].title}”（{key}）写了两次")
        else:
            found[key] = value
    if problems:
        raise PolicyFileError(f"政策文件 {path} 有误：{'；'.join(problems)}")
    return found


def _describe(err: Any) -> str:
    key = ".".join(str(part) for part in err["loc"]) or "（整体）"
    field = Policy.model_fields.get(str(err["loc"][0])) if err["loc"] else None
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
