"""Chinese explanations of failures that come from the system or a parser, not from our rules.

Python's own messages (``[Errno 20] Not a directory``) are English; these helpers
turn them into a short Chinese reason naming the path. They
only build text: callers decide which error to raise with it.
"""

from __future__ import annotations

import errno

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


def explain_os_error(exc: OSError) -> str:
    """Return ``exc`` as "path：reason" in Chinese (the reason alone when it names no path)."""
    reason = _OS_REASONS.get(exc.errno or 0) or f"系统错误（{exc.strerror or exc.__class__.__name__}）"
    if exc.filename is None:
        return reason
    return f"“{exc.filename}”：{reason}"

