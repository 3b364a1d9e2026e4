"""Outputs, safely: refuse an output over an input, write atomically, say OS faults in Chinese.

- `guard_output(output, inputs=…, folders=…, kind=…)`: the one check every command makes before
  it writes anything (an output is never one of its inputs, never inside an input folder, and
  of the right kind — a file where a file is wanted, a folder where a folder is wanted).
- `atomic_path(target)`: a temp file beside the target, renamed over it on success.
- `staged_folder(target)`: a temp folder beside the target, moved into place on success.
- `os_error(exc, path)`: an `OutputError` naming the path and the fix (disk full, read-only,
  permission denied, name too long, wrong kind of path).
- Temp files of an interrupted earlier run (kill -9, power cut) are removed on the next write.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from toolkit.model.errors import OutputError

TEMP_PREFIX = ".~fengong-"
STALE_SECONDS = 3600  # a temp file older than this belongs to a run that did not finish
MAX_PATH = 259  # Windows' MAX_PATH (260) less the terminating NUL


class InputOverwriteError(OutputError):
    """An output path that names one of the command's inputs (or lies inside an input folder)."""


def guard_output(
    output: str | os.PathLike[str],
    *,
    inputs: Iterable[tuple[str, str | os.PathLike[str] | None]] = (),
    folders: Iterable[tuple[str, str | os.PathLike[str] | None]] = (),
    kind: str = "file",
) -> Path:
    """Refuse `output` when it is an input file, an input folder or inside one, or a path of the
    wrong kind (`kind` "file": an existing folder is refused; "folder": an existing file is).

    `inputs` and `folders` are (Chinese label, path) pairs, e.g. ("方案工作簿", plan_path); None is skipped.
    Returns `output` as a Path. Nothing is written.
    """
    out = Path(output)
    resolved = _resolve(out)
    for label, path in inputs:
        if path is not None and _same(out, resolved, Path(path)):
            raise InputOverwriteError(
                f"输出“{out}”就是{label}“{Path(path).name}”，写入会覆盖原文件。"
                "fengong 从不改动输入文件，请换一个输出文件名。"
            )
    for label, path in folders:
        if path is None:
            continue
        folder = _resolve(Path(path))
        if resolved == folder or folder in resolved.parents:
            raise InputOverwriteError(
                f"输出“{out}”在{label}“{path}”之内，会被当作输入或覆盖其中的文件。请把输出放在{label}之外。"
            )
        if kind == "folder" and resolved in folder.parents:
            raise InputOverwriteError(f"输出文件夹“{out}”包含{label}“{path}”。请另选一个输出文件夹。")
    if kind == "file" and out.is_dir():
        raise OutputError(
            f"输出“{out}”是一个已有的文件夹，不是文件。请写上文件名，例如 {out / ('输出' + (out.suffix or '.xlsx'))}。"
        )
    if kind == "folder" and out.exists() and not out.is_dir():
        raise OutputError(f"输出“{out}”是一个已有的文件，不是文件夹。请换一个文件夹名，或先把该文件移走。")
    if len(str(resolved)) > MAX_PATH:
        raise OutputError(
            f"输出路径“{out}”有 {len(str(resolved))} 个字符，超过 Windows 的 260 字符限制。"
            "请选一个层级更浅、名称更短的位置。"
        )
    return out


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _same(out: Path, resolved: Path, path: Path) -> bool:
    try:
        if out.exists() and path.exists():
            return os.path.samefile(out, path)
    except OSError:
        pass
    return resolved == _resolve(path)


def os_error(exc: OSError, path: str | os.PathLike[str], what: str = "写入") -> OutputError:
    """An OutputError in Chinese for an OS fault while writing `path`: what happened and the fix."""
    path = Path(path)
    code = exc.errno
    if code == errno.ENOSPC or code == getattr(errno, "EDQUOT", -1):
        text = f"磁盘空间不足，无法{what}“{path}”。请清理磁盘或换一个有空间的位置后重试；原有文件未被改动。"
    elif code == errno.EROFS:
        text = f"“{path.parent}”所在的磁盘是只读的，无法{what}“{path.name}”。请换一个可写的文件夹。"
    elif code in (errno.EACCES, errno.EPERM) or isinstance(exc, PermissionError):
        text = (
            f"没有权限{what}“{path}”：文件夹只读、没有写入权限，或文件正在 Excel/WPS 中打开。"
            "请关闭该文件或换一个文件夹后重试。"
        )
    elif code == errno.ENAMETOOLONG:
        text = f"路径“{path}”太长，系统无法{what}。请选一个层级更浅、名称更短的文件夹。"
    elif code == errno.EISDIR or isinstance(exc, IsADirectoryError):
        text = f"“{path}”是一个文件夹，不是文件。请写上文件名。"
    elif code == errno.ENOTDIR or isinstance(exc, NotADirectoryError):
        text = f"“{path}”的上级路径中有一个是文件而不是文件夹。请检查输出路径。"
    elif code == errno.ENOENT:
        text = f"找不到“{path.parent}”，无法{what}“{path.name}”。请先建立该文件夹，或换一个输出路径。"
    else:
        text = f"无法{what}“{path}”：{exc.strerror or exc}。请检查磁盘和文件夹权限后重试。"
    error = OutputError(text)
    error.__cause__ = exc
    return error


def os_cause(exc: BaseException) -> OSError | None:
    """The OSError behind `exc` (itself, or the error it was raised from), if any."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OSError):
            return exc
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
        seen += 1
    return None


def clean_stale(folder: Path) -> None:
    """Remove fengong temp files and folders in `folder` left by a run that was killed."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    now = time.time()
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX) or not _stale(entry.name, entry, now):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.remove(entry.path)
        except OSError:
            pass


def _stale(name: str, entry: os.DirEntry[str], now: float) -> bool:
    """A temp of a process that is gone (its pid is in the name) or older than STALE_SECONDS."""
    try:
        if now - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS:
            return True
    except OSError:
        return False
    pid = name[len(TEMP_PREFIX) :].split("-", 1)[0]
    return pid.isdigit() and _gone(int(pid))


def _gone(pid: int) -> bool:
    """Whether no process `pid` runs (False when that cannot be told)."""
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate it on Windows
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 87  # ERROR_INVALID_PARAMETER: no such process
        code = ctypes.c_ulong()
        try:
            return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value != 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _temp_prefix() -> str:
    return f"{TEMP_PREFIX}{os.getpid()}-"


@contextmanager
def atomic_path(target: str | os.PathLike[str], *, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temp path beside `target`; on success rename it over `target`.

    On any exception the temp file is removed and `target` is left as it was; an OSError
    (disk full, read-only, permission denied …) becomes an OutputError naming `target`.
    """
    target = Path(target)
    if not target.parent.is_dir():
        raise OutputError(f"输出文件夹不存在：{target.parent}。请先建立该文件夹，或换一个输出路径。")
    if target.is_dir():
        raise OutputError(f"输出“{target}”是一个已有的文件夹，不是文件。请写上文件名。")
    clean_stale(target.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(), suffix=suffix or target.suffix, dir=target.parent)
    except OSError as exc:
        raise os_error(exc, target) from exc
    os.close(fd)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs go to shared folders
        try:
            yield Path(tmp)
        except OutputError:
            raise
        except Exception as exc:  # an OSError, or a writer's own error wrapping one (XlsxWriter)
            cause = os_cause(exc)
            if cause is None:
                raise
            raise os_error(cause, target) from exc
        try:
            os.replace(tmp, target)
        except PermissionError as exc:
            raise OutputError(
                f"无法写入 {target}：文件可能正在 Excel/WPS 中打开，或文件夹只读，请关闭文件或换一个位置后重试。"
            ) from exc
        except OSError as exc:
            raise os_error(exc, target) from exc
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


@contextmanager
def staged_folder(target: str | os.PathLike[str], *, last: str = "") -> Iterator[Path]:
    """Yield an empty temp folder beside `target`; on success its files end up in `target`.

    A new `target` is the temp folder renamed (all files or none). An existing `target` keeps
    its other files: the new ones are moved in (same disk, one rename each) only after every
    one of them has been written (`last`, e.g. the manifest, moved last); a file they replace is
    set aside first, so a rename that fails (a file open in Excel) puts every earlier one back.
    On failure the temp folder is removed and `target` is as it was.
    """
    target = Path(target)
    parent = target.parent
    if target.exists() and not target.is_dir():
        raise OutputError(f"输出“{target}”是一个已有的文件，不是文件夹。请换一个文件夹名，或先把该文件移走。")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_error(exc, parent, "建立文件夹") from exc
    clean_stale(parent)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=_temp_prefix(), dir=parent))
    except OSError as exc:
        raise os_error(exc, target, "建立文件夹") from exc
    try:
        try:
            yield tmp
        except OutputError:
            raise
        except Exception as exc:
            cause = os_cause(exc)
            if cause is None:
                raise
            raise os_error(cause, target) from exc
        os.chmod(tmp, 0o777 & ~_umask())
        try:
            if not target.exists():
                os.replace(tmp, target)
            elif not any(target.iterdir()):
                target.rmdir()
                os.replace(tmp, target)
            else:
                _move_in(sorted(tmp.iterdir(), key=lambda p: p.name == last), target, tmp / ".~replaced")
        except OSError as exc:
            raise os_error(exc, Path(exc.filename2) if exc.filename2 else target) from exc  # the file replaced
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _move_in(entries: list[Path], target: Path, aside: Path) -> None:
    """Move `entries` into `target`, all or none: each file replaced is renamed into `aside`
    first; on an error the files moved are taken out again and the set-aside ones put back."""
    done: list[tuple[Path, Path, Path | None]] = []  # (new file, its place, the file it replaced)
    try:
        for entry in entries:
            dest, old = target / entry.name, None
            if dest.exists():
                aside.mkdir(exist_ok=True)
                old = aside / entry.name
                os.replace(dest, old)
            done.append((entry, dest, old))
            os.replace(entry, dest)
    except OSError:
        for entry, dest, old in reversed(done):
            if not entry.exists() and dest.exists():
                os.replace(dest, entry)
            if old is not None:
                os.replace(old, dest)
        raise


SUFFIX_KINDS = {".xlsx": "Excel 工作簿", ".pdf": "PDF 文件", ".docx": "Word 文档"}


def require_suffix(path: str | os.PathLike[str], suffix: str, what: str) -> Path:
    """`path` if it ends in `suffix` (".xlsx" / ".pdf" / ".docx"); else a Chinese error saying what is written."""
    path = Path(path)
    if path.suffix.lower() != suffix:
        raise OutputError(
            f"输出文件“{path.name}”不是 {suffix} 文件：{what}要存为{SUFFIX_KINDS[suffix]}，"
            f"请用 {suffix} 结尾的文件名，例如“{what}{suffix}”。"
        )
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
