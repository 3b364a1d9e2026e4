"""Read a plain-text plan (text copied out of Word or a PDF): decode it, refuse binary files."""

from __future__ import annotations

from pathlib import Path

from toolkit.model.errors import UnreadableFileError

ENCODINGS = ("utf-8-sig", "gb18030")


def read_text(path: str | Path) -> str:
    """The text of `path` decoded as UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030.

    Line endings become "\\n". Raises `UnreadableFileError` for binary or undecodable files.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise UnreadableFileError(f"找不到文件：{path}") from exc
    except OSError as exc:
        raise UnreadableFileError(f"无法打开文件 {path}：{exc.strerror}") from exc
    text = decode_text(data, path.name)
    if "\x00" in text:
        raise UnreadableFileError(
            f"文件“{path.name}”不是文本文件（含有二进制内容）。请导入 .docx、.xlsx 或从文档复制出的 .txt 文字。"
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_text(data: bytes, name: str) -> str:
    """`data` decoded as UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 (a BOM is dropped).

    Raises `UnreadableFileError` naming `name` if none fits.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFileError(
        f"无法识别“{name}”的文字编码（不是 UTF-8 或 GBK/GB18030）。请用记事本打开后“另存为”UTF-8 编码的 .txt 再试。"
    )
