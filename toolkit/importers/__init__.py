"""Plan importers: an issued 分工方案 (.docx, .xlsx or extracted .txt) → `Plan`.

`import_plan` sniffs the file, has the matching reader turn it into blocks (paragraphs and
table grids, see `toolkit.model.blocks`) and builds the plan with `core.plan_from_blocks`.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.importers.core import plan_from_blocks
from toolkit.io.sniff import SAVE_AS, sniff
from toolkit.model import Plan
from toolkit.model.errors import UnreadableFileError, UnsupportedFileError

__all__ = ["import_plan", "plan_from_blocks"]


def import_plan(path: str | Path, year: int | None = None, columns: str | dict[str, str] | None = None) -> Plan:
    """Import the plan in `path`; `year` overrides the plan year read from the document.

    `columns` names the role of headers the vocabulary does not know, as `--columns` does:
    「要求=具体内容,牵头=责任科室」 or {"要求": "具体内容", "牵头": "责任科室"}; role names are
    任务 要求 牵头 配合 时限 备注 领导 分类 序号 其他 (`toolkit.importers.columns.COLUMN_ROLES`).
    """
    path = Path(path)
    kind = sniff(path)
    name = path.name
    if kind == "empty":
        raise UnreadableFileError(f"文件“{name}”是空文件（0 字节），可能下载或保存不完整，请重新获取。")
    if kind in ("ole2", "encrypted"):
        if kind == "encrypted":
            raise UnreadableFileError(
                f"文件“{name}”设置了打开密码，无法读取。请在 Word/Excel/WPS 中取消密码后重新保存。"
            )
        raise UnsupportedFileError(
            f"文件“{name}”是旧版 Word/Excel（.doc/.xls/.wps）格式，无法直接导入。"
            "请在 Word/WPS 中打开后“另存为” .docx（表格可另存为 .xlsx）再导入。"
        )
    if kind == "pdf":
        raise UnsupportedFileError(
            f"文件“{name}”是 PDF，无法直接导入。请使用原始 Word 文件（.docx），"
            "或把 PDF 中的文字全部复制到一个 .txt 文件后导入。"
        )
    if kind in ("corrupt", "zip"):
        raise UnreadableFileError(f"文件“{name}”已损坏或不是 Word/Excel 文件。{SAVE_AS['docx']}")
    if kind == "docx":
        from toolkit.io.docx import read_blocks
    elif kind in ("xlsx", "xlsm"):
        from toolkit.io.sheet_tables import read_blocks
    else:
        if path.suffix.lower() in (".docx", ".xlsx", ".xlsm", ".doc", ".xls", ".wps", ".et", ".pdf"):
            raise UnreadableFileError(
                f"文件“{name}”的扩展名是 {path.suffix}，但内容不是该格式（可能已损坏或被改名）。"
                "请重新获取原始文件，或另存为 .docx/.xlsx 后导入。"
            )
        from toolkit.importers.text import blocks_from_text
        from toolkit.io.text import read_text

        return plan_from_blocks(blocks_from_text(read_text(path)), source=str(path), year=year, columns=columns)
    return plan_from_blocks(read_blocks(path), source=str(path), year=year, columns=columns)
