"""Write outputs atomically: into a temp file beside the target, then rename."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from toolkit.model.errors import OutputError


@contextmanager
def atomic_path(target: str | os.PathLike, *, suffix: str | None = None):
    """Yield a temp path beside `target`; on success rename it over `target`.

    On any exception the temp file is removed and `target` is left as it was.
    """
    target = Path(target)
    if not target.parent.is_dir():
        raise OutputError(f"输出文件夹不存在：{target.parent}。请先建立该文件夹，或换一个输出路径。")
    fd, tmp = tempfile.mkstemp(prefix=".~fengong-", suffix=suffix or target.suffix, dir=target.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs go to shared folders
    try:
        yield Path(tmp)
        try:
            os.replace(tmp, target)
        except PermissionError as exc:
            raise OutputError(f"无法写入 {target}：文件可能正在 Excel/WPS 中打开，请关闭后重试。") from exc
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


SUFFIX_EXAMPLES = {".xlsx": ("Excel 工作簿", "汇总.xlsx"), ".pdf": ("PDF 文件", "甘特图.pdf")}


def require_suffix(path: str | os.PathLike, suffix: str, what: str) -> Path:
    """`path` if it ends in `suffix` (".xlsx" / ".pdf"); else a Chinese error saying what is written."""
    path = Path(path)
    if path.suffix.lower() != suffix:
        kind, example = SUFFIX_EXAMPLES[suffix]
        raise OutputError(f"输出文件“{path.name}”不是 {suffix} 文件：{what}是{kind}，"
                          f"请用 {suffix} 结尾的文件名，例如 {example}。")
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
