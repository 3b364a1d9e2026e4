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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
