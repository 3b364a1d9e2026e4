"""Read a plan pasted into Excel (.xlsx) as blocks: title paragraphs and table grids.

The result feeds `toolkit.model.blocks.plan_from_blocks`, in the same shape as the
Word reader gives: a vertically merged continuation cell is "", a horizontally merged cell
repeats its value in each spanned column. Every visible worksheet holding data is read, in
workbook order. On a sheet, rows holding a single value at the left edge (titles, 文号,
notes) before, between or after tables become paragraphs; a blank row followed by such a
row ends a table. Only cells that hold values count, so a stated dimension of
A1:XFD1048576 with three real rows costs nothing.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.io.openpyxl_cells import stored_cells
from toolkit.io.sniff import check_office
from toolkit.model.errors import UnreadableFileError

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

Block = str | list[list[str]]

MAX_SHEET_XML_BYTES = 30 * 1024 * 1024  # a plan sheet is well under 1 MB
MAX_MERGED_CELLS = 2_000_000  # openpyxl creates one object per merged cell
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def read_blocks(path: str | Path) -> list[Block]:
    """Paragraphs and grids of every visible worksheet that holds data."""
    from openpyxl import load_workbook

    path = Path(path)
    check_office(path, "xlsx")
    has_formulas = _check_sheet_parts(path)
    try:
        values = load_workbook(path, data_only=True)
        # the second parse (formulas) is only needed when a sheet holds one: it is half the time
        formulas = load_workbook(path, data_only=False) if has_formulas else None
    except Exception as exc:  # openpyxl raises many kinds on damaged parts
        raise UnreadableFileError(
            f"无法读取 Excel 文件“{path.name}”：文件内容已损坏或不是标准 .xlsx（{type(exc).__name__}）。"
            "请在 Excel/WPS 中打开后“另存为” .xlsx 再导入。"
        ) from exc
    blocks: list[Block] = []
    for ws in values.worksheets:
        if ws.sheet_state != "visible":
            continue
        if formulas is not None:
            _check_cached_values(path, ws, formulas[ws.title])
        blocks.extend(_sheet_blocks(ws))
    return blocks


def _check_sheet_parts(path: Path) -> bool:
    """Refuse sheets too large to be a plan and merged ranges absurd enough to exhaust memory.

    Returns whether any sheet holds a formula (a `<f>` element)."""
    has_formulas = False
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            if info.file_size > MAX_SHEET_XML_BYTES:
                raise UnreadableFileError(
                    f"文件“{path.name}”中的工作表过大（{info.file_size // 1024 // 1024} MB），不像分工方案。"
                    "请只保留方案表格后另存为新的 .xlsx 再导入。"
                )
            merged = 0
            xml = zf.read(info)
            has_formulas = has_formulas or FORMULA_TAG.search(xml) is not None
            for m in MERGE_REF.finditer(xml):
                if m.group(3):
                    rows = int(m.group(4)) - int(m.group(2)) + 1
                    cols = _col_index(m.group(3)) - _col_index(m.group(1)) + 1
                    merged += max(rows, 1) * max(cols, 1)
            if merged > MAX_MERGED_CELLS:
                raise UnreadableFileError(
                    f"文件“{path.name}”的工作表 {info.filename.rsplit('/', 1)[-1]} 中合并单元格的范围异常巨大"
                    f"（共约 {merged} 个单元格，例如整列或整行合并）。请在 Excel/WPS 中取消这些合并后重新保存再导入。"
                )
    return has_formulas


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _check_cached_values(path: Path, ws: Worksheet, ws_formulas: Worksheet) -> None:
    """A formula saved without its result reads as empty: refuse rather than lose it.

    An empty text result (Excel writes t="str" with an empty value) is a real result.
    """
    cached_cells = stored_cells(ws)
    for (row, col), cell in stored_cells(ws_formulas).items():
        if cell.data_type != "f":
            continue
        cached = cached_cells.get((row, col))
        if cached is None or (cached.value is None and cached.data_type not in ("s", "str", "inlineStr")):
            raise UnreadableFileError(
                f"文件“{path.name}”工作表“{ws.title}”的单元格 {cell.coordinate} 是公式，但文件中没有保存计算结果"
                "（常见于由程序生成的表格）。请在 Excel/WPS 中打开并保存一次后再导入，或把公式改为数值。"
            )


def _sheet_blocks(ws: Worksheet) -> list[Block]:
    """Split one sheet's rows that hold data into paragraphs and tables."""
    # only the cells present in the file; iterating the sheet's stated
    # dimension instead could mean billions of empty cells.
    cells = {key: _text(c) for key, c in stored_cells(ws).items() if c.value is not None}
    cells = {key: text for key, text in cells.items() if text}
    if not cells:
        return []
    max_row = max(r for r, _ in cells)
    max_col = max(c for _, c in cells)
    left = min(c for _, c in cells)
    owner: dict[tuple[int, int], tuple[int, int]] = {}  # merged cell -> its range's top-left
    spans_h: set[tuple[int, int]] = set()  # top-left cells of ranges spanning columns
    for rng in ws.merged_cells.ranges:
        top, first = rng.min_row, rng.min_col
        if top > max_row or first > max_col or (top, first) not in cells:
            continue
        if rng.max_col > first:
            spans_h.add((top, first))
        for r in range(top, min(rng.max_row, max_row) + 1):
            for c in range(first, min(rng.max_col, max_col) + 1):
                if (r, c) != (top, first):
                    owner[(r, c)] = (top, first)

    columns: dict[int, set[int]] = {}  # row -> columns holding a value or a merged cell
    for r, c in list(cells) + list(owner):
        columns.setdefault(r, set()).add(c)

    def row_values(r: int) -> dict[int, str]:
        """Column -> text, with horizontal spans repeated and vertical continuations ""."""
        out = {}
        for c in sorted(columns[r]):
            src = owner.get((r, c), (r, c))
            out[c] = cells[src] if src[0] == r else ""
        return out

    def paragraph_like(r: int, row: dict[int, str]) -> bool:
        """One value, starting at the left edge or spanning columns, nothing merged from above."""
        sources = {owner.get((r, c), (r, c)) for c in row}
        if len(sources) != 1:
            return False
        (src,) = sources
        return src[0] == r and (src[1] == left or src in spans_h)

    blocks: list[Block] = []
    table: list[dict[int, str]] = []
    held: list[int] = []  # paragraph-like rows after a table row, not yet placed
    gap = False  # a blank row since the last table row
    previous = 0
    for r in sorted(columns):
        gap = gap or (bool(table) and r > previous + 1)
        previous = r
        row = row_values(r)
        if paragraph_like(r, row):
            if table:
                held.append(r)
            else:
                blocks.append(_row_text(row))
            continue
        if table and gap:
            blocks.append(_grid(table))
            blocks.extend(_row_text(row_values(h)) for h in held)
            table = []
        else:
            table.extend(row_values(h) for h in held)
        held, gap = [], False
        table.append(row)
    if table:
        blocks.append(_grid(table))
    blocks.extend(_row_text(row_values(h)) for h in held)
    return blocks


def _row_text(row: dict[int, str]) -> str:
    return next(t for t in row.values() if t)


def _grid(rows: list[dict[int, str]]) -> list[list[str]]:
    """Rows as lists from the sheet's left edge to the table's last used column."""
    first = min(min(r) for r in rows)
    last = max(max((c for c, t in r.items() if t), default=first) for r in rows)
    return [[r.get(c, "") for c in range(first, last + 1)] for r in rows]


def _text(cell: Cell) -> str:
    """A cell value as the text a person sees: numbers without ".0", dates in Chinese."""
    value = cell.value
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return _date_text(value, cell.number_format, with_time=value.time() != time(0, 0))
    if isinstance(value, date):
        return _date_text(value, cell.number_format, with_time=False)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, (int, float)):
        if "%" in (cell.number_format or ""):
            return f"{value * 100:.15g}%"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return f"{value:.15g}"
    return str(value).strip()


def _date_text(value: date, number_format: str | None, *, with_time: bool) -> str:
    """「2016年12月31日」, or 「2016年12月」 when the cell's format shows no day."""
    fmt = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", (number_format or "").lower())
    shows_day = "d" in fmt or not fmt or fmt == "general"
    shows_year = "y" in fmt or not fmt or fmt == "general"
    text = f"{value.year}年" if shows_year else ""
    text += f"{value.month}月" + (f"{value.day}日" if shows_day else "")
    if with_time and isinstance(value, datetime):
        text += value.strftime(" %H:%M")
    return text
