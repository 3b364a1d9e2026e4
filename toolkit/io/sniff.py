"""Tell what a file really is from its bytes, and refuse what is unsafe to parse.

Staff rename files and mail servers mangle them: a .doc saved as .docx, an encrypted
workbook (an OLE2 container holding an EncryptedPackage), a zip bomb. Every reader calls
`check_office(path, expected)` before handing the file to a parser.
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

from toolkit.model.errors import UnreadableFileError, UnsupportedFileError

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAX_PART_BYTES = 200 * 1024 * 1024  # one inflated zip part
MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # all inflated parts together
MAX_RATIO = 200  # inflated size / compressed size of a big part

KIND_NAMES = {
    "docx": "Word 文档（.docx）",
    "xlsx": "Excel 工作簿（.xlsx）",
    "xlsm": "启用宏的 Excel 工作簿（.xlsm）",
    "text": "纯文本",
    "ole2": "旧版 Office 文件",
    "pdf": "PDF",
}
SAVE_AS = {
    "docx": "请在 Word/WPS 中打开后“另存为” Word 文档（.docx）再导入。",
    "xlsx": "请在 Excel/WPS 中打开后“另存为” Excel 工作簿（.xlsx）再使用。",
}


def sniff(path: str | Path) -> str:
    """Return the real kind of a file: docx, xlsx, xlsm, ole2, encrypted, pdf, zip, text, empty."""
    return _sniff(Path(path))[0]


def office_bytes(path: Path) -> bytes:
    """The whole file when it starts like an Office file (zip or OLE2), to sniff and parse it from one
    read; otherwise only its first bytes, which say what it is (a video renamed .xlsx is not read
    whole). UnreadableFileError in Chinese when it cannot be read."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
            return head + fh.read() if head.startswith((ZIP_MAGIC, OLE2_MAGIC)) else head
    except OSError as exc:
        raise _open_error(path, exc) from exc


def _open_error(path: Path, exc: OSError) -> UnreadableFileError:
    if isinstance(exc, FileNotFoundError):
        return UnreadableFileError(f"找不到文件：{path}")
    return UnreadableFileError(f"无法打开文件 {path}：{exc.strerror}")


def _sniff(path: Path, content: bytes | None = None) -> tuple[str, list[zipfile.ZipInfo]]:
    """(kind, the zip's entries — [] when not a zip) of the file at `path`, or of its `content`
    when already read: the zip directory is read once, for both the kind and the size checks."""
    try:
        if content is None:
            with path.open("rb") as fh:
                head = fh.read(8)
        else:
            head = content[:8]
    except OSError as exc:
        raise _open_error(path, exc) from exc
    if not head:
        return "empty", []
    if head.startswith(OLE2_MAGIC):
        start = (path.read_bytes() if content is None else content)[: 4 * 1024 * 1024]
        return "encrypted" if "EncryptedPackage".encode("utf-16-le") in start else "ole2", []  # in its directory
    if head.startswith(b"%PDF"):
        return "pdf", []
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path if content is None else BytesIO(content)) as zf:
                infos = zf.infolist()
        except zipfile.BadZipFile:
            return "corrupt", []
        names = {i.filename for i in infos}
        if "word/document.xml" in names:
            return "docx", infos
        if "xl/workbook.xml" in names:
            return "xlsm" if "xl/vbaProject.bin" in names else "xlsx", infos
        return "zip", infos
    return "text", []


def check_office(path: str | Path, expected: str, *, legacy_ok: bool = False, content: bytes | None = None) -> str:
    """Check that `path` (or its `content`, when already read) is a safe OOXML file of kind
    `expected` ("docx" or "xlsx").

    Returns the sniffed kind (xlsm counts as xlsx; "ole2" for an old binary file when
    `legacy_ok`, which the caller parses itself). Raises a Chinese error naming the
    file and what to do otherwise.
    """
    path = Path(path)
    kind, infos = _sniff(path, content)
    name = path.name
    if kind == "ole2" and legacy_ok:
        return kind
    if kind == "empty":
        raise UnreadableFileError(f"文件“{name}”是空文件（0 字节），可能下载或保存不完整，请重新获取。")
    if kind == "encrypted":
        raise UnreadableFileError(f"文件“{name}”设置了打开密码，无法读取。请在 Excel/WPS 中取消密码后重新保存。")
    if kind == "ole2":
        old = {"docx": ".doc/.wps", "xlsx": ".xls/.et"}[expected]
        raise UnsupportedFileError(f"文件“{name}”是旧版 {old} 格式。{SAVE_AS[expected]}")
    if kind == "pdf":
        raise UnsupportedFileError(
            f"文件“{name}”是 PDF。请用原始 Word/Excel 文件，或把 PDF 中的文字复制到 .txt 文件后导入。"
        )
    if kind in ("corrupt", "zip"):  # a truncated download, or a zip that holds no Office document
        raise UnreadableFileError(
            f"文件“{name}”已损坏或不完整，不是可以打开的{KIND_NAMES[expected]}。"
            "请让对方重新发送，或在 Excel/WPS 中能正常打开后重新保存。"
        )
    if kind == "xlsm" and expected == "xlsx":
        kind = "xlsx"
    if kind != expected:
        raise UnsupportedFileError(
            f"文件“{name}”不是{KIND_NAMES[expected]}，实际是{KIND_NAMES[kind]}。{SAVE_AS[expected]}"
        )
    _check_inflated_sizes(path, infos)
    return kind


def _check_inflated_sizes(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse zip bombs: parts that inflate beyond fixed limits or at absurd ratios."""
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_PART_BYTES or (info.file_size > 10 * 1024 * 1024 and ratio > MAX_RATIO):
            raise UnreadableFileError(
                f"文件“{path.name}”中的 {info.filename} 解压后异常巨大（{info.file_size // 1024 // 1024} MB），"
                "可能是损坏或恶意文件，已拒绝读取。"
            )
    if total > MAX_TOTAL_BYTES:
        raise UnreadableFileError(f"文件“{path.name}”解压后超过 1 GB，已拒绝读取。")
