"""Chinese explanations of failures that come from the system or a parser, not from our rules.

Python's own messages (``[Errno 20] Not a directory``, ``expected ',' but found
'<stream end>'``) are English and name no line a person can find; these helpers
turn them into a short Chinese reason naming the path, line and column. They
only build text: callers decide which error to raise with it.
"""

from __future__ import annotations

import errno
import json
import re
import sys

_OS_REASONS = {
    errno.ENOTDIR: "路径中有一部分是文件，不是文件夹",
    errno.EISDIR: "这是文件夹，这里需要文件",
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限（或文件正被其他程序打开，如 Excel）",
    errno.EPERM: "没有权限",
    errno.EROFS: "磁盘或文件夹是只读的",
    errno.ENOSPC: "磁盘空间不足",
    errno.EEXIST: "已经存在",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EBUSY: "文件正被其他程序占用",
    errno.EMFILE: "同时打开的文件太多",
}


_TAG = re.compile(r"constructor for the tag '([^']+)'")


def explain_os_error(exc: OSError) -> str:
    """Return ``exc`` as "path：reason" in Chinese (the reason alone when it names no path)."""
    reason = _OS_REASONS.get(exc.errno or 0) or f"系统错误（{exc.strerror or exc.__class__.__name__}）"
    if exc.filename is None:
        return reason
    return f"“{exc.filename}”：{reason}"


def explain_read_error(exc: Exception) -> str:
    """Return why a JSON or YAML text file could not be read, in Chinese, with line and column."""
    if isinstance(exc, OSError):
        return explain_os_error(exc)
    if isinstance(exc, UnicodeDecodeError):
        return "不是 UTF-8 编码的文本文件，请另存为 UTF-8 编码"
    if isinstance(exc, json.JSONDecodeError):
        return f"第 {exc.lineno} 行第 {exc.colno} 列附近 JSON 格式有误（括号、引号或逗号不配对）"
    yaml = sys.modules.get("yaml")  # an error of YAML's only if YAML was read: no import for `manualkit --help`
    if yaml is None:
        return f"无法解析（{exc.__class__.__name__}）"
    if isinstance(exc, yaml.constructor.ConstructorError) and (tag := _TAG.search(exc.problem or "")):
        mark = exc.problem_mark
        shown = tag[1].replace("tag:yaml.org,2002:", "!!")
        where = f"第 {mark.line + 1} 行：" if mark else ""
        return f"{where}不接受 YAML 标签 {shown}（出于安全原因只读普通的文字、数字、日期、列表和键值）"
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        if mark is not None:
            return f"第 {mark.line + 1} 行第 {mark.column + 1} 列附近 YAML 格式有误（括号、引号、冒号或缩进不对）"
    if isinstance(exc, yaml.YAMLError):
        return "YAML 格式有误"
    return f"无法解析（{exc.__class__.__name__}）"
