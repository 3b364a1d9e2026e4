"""Read a returned unit workbook fast (python-calamine, no openpyxl) into plain data.

Columns are found by header name and rows keep their Excel row numbers, so validate and
the roll-up can point at exact cells and match rows by 编号 after staff sorted, filtered
or inserted rows. Nothing here judges the values: see `toolkit.validate`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial
from io import BytesIO
from operator import itemgetter
from pathlib import Path
from sys import intern
from typing import Any

from toolkit.io import schema as S
from toolkit.io.cells import column_letter
from toolkit.io.planbook import INFO_SHEET, PLAN_SHEET
from toolkit.io.sniff import check_office, office_bytes
from toolkit.model.errors import (
    TemplateError,
    UnreadableFileError,
    UnsupportedFileError,
)
from toolkit.model.normalise import item_id, text
from toolkit.model.period import Period

HEADER_SCAN_ROWS = 30  # the header row is looked for this far down
MAX_SHEET_ROWS = 20_000  # rows read from a sheet of a return (a unit reports on hundreds of items)
MIN_HEADER_MATCHES = 4  # known column names a row needs to count as the header row
SPACE_RE = re.compile(r"\s+")
# Headers staff or other templates use for our columns; only used when the real name is absent.
HEADER_ALIASES = {
    "序号": S.ID,
    "责任单位": "牵头单位",
    "牵头部门": "牵头单位",
    "配合部门": "配合单位",
    "时限要求": "完成时限",
    "完成情况": S.PROGRESS_TEXT,
    "进展": S.PROGRESS_TEXT,
    "公开网址": S.EVIDENCE,
    "佐证材料": S.EVIDENCE,
    "进度": S.PROGRESS,
    "状态": S.STATUS,
    "存在问题": S.ISSUES,
}


Cells = list[list[Any]]  # a sheet's rows of values from A1, as calamine gives them


@dataclass
class ReturnRow:
    """One non-empty table row: its Excel row number, normalised 编号 and raw typed values."""

    row: int
    item_id: str
    values: dict[str, Any]  # column name → str/float/bool/date/datetime, None when empty


@dataclass
class UnitReturn:
    """A returned workbook as read: metadata, header block, located columns and rows."""

    path: Path
    sheet: str  # the sheet holding the table
    header_row: int
    columns: dict[str, int]  # column name → 1-based column number
    rows: list[ReturnRow]
    meta: dict[str, str] = field(default_factory=dict)  # hidden metadata ({} when missing)
    # The raw rows of the metadata's item table, loaded when `meta_items` is first used.
    load_meta_rows: Callable[[], Cells] = field(default=list, repr=False, compare=False)
    block: dict[str, tuple[str, Any]] = field(default_factory=dict)  # label → (cell, value)
    renamed: dict[str, str] = field(default_factory=dict)  # column name → alias header found
    sheet_names: list[str] = field(default_factory=list)  # every sheet of the workbook, in order
    rows_not_read: int = 0  # rows of the table's sheet past MAX_SHEET_ROWS (not read: memory stays bounded)
    # Cells below the header holding a formula saved without its result: read as blank
    # (`io.xlsxparts`; a workbook open in Excel has every result).
    unsaved_formulas: list[str] = field(default_factory=list)

    @cached_property
    def meta_items(self) -> dict[str, dict[str, str]]:
        """Item id → locked texts as distributed (from the metadata; {} when missing). Only
        needed without the plan: the item sheet is read on first use, not with the return."""
        items = {}
        for line in self.load_meta_rows():
            cells = [text(v) for v in line]
            if any(cells):
                items[cells[0]] = dict(zip(S.ITEM_HEADER[1:], cells[1:]))
        return items

    @property
    def standard(self) -> bool:
        """Whether the table sits where the writer put it, under the exact header names."""
        return (
            self.sheet == S.TABLE_SHEET
            and self.header_row == S.HEADER_ROW
            and not self.renamed
            and not self.missing_columns
        )

    @property
    def missing_columns(self) -> list[str]:
        return [c for c in S.COLUMNS if c not in self.columns]

    @property
    def unit(self) -> str:
        """The unit: metadata first, else the header block's 填报单位."""
        return self.meta.get("unit") or text(self.block.get(S.UNIT_LABEL, ("", ""))[1])

    @property
    def period(self) -> Period | None:
        """The period: metadata first, else the header block's 报送期次 (None if neither says)."""
        return Period.read(self.meta.get("period")) or Period.read(text(self.block.get(S.PERIOD_LABEL, ("", ""))[1]))

    @property
    def item_ids(self) -> list[str]:
        """Ids the workbook was distributed with (from metadata; [] when missing)."""
        ids = self.meta.get("item_ids", "")
        return [i for i in ids.split(S.ITEM_ID_SEP) if i] if ids else []

    def cell(self, row: int, column: str) -> str:
        """The address of `column` in Excel row `row` ("" if the column is missing)."""
        c = self.columns.get(column)
        return f"{column_letter(c)}{row}" if c else ""


def read_return(path: str | Path) -> UnitReturn:
    """Read a unit workbook. Raises UnreadableFileError/UnsupportedFileError for files that
    cannot be read and TemplateError when no 任务台账 table can be found."""
    from python_calamine import CalamineWorkbook

    from toolkit.io.xlsxparts import formulas_without_values

    path = Path(path)
    data = office_bytes(path)  # read once: sniffed, parsed by calamine, scanned for formulas
    legacy = check_office(path, "xlsx", legacy_ok=True, content=data) == "ole2"  # an .xls: calamine reads those too
    content = BytesIO(data)
    try:
        # From the bytes, not the name: calamine then picks the format by content, so an
        # .xls renamed to .xlsx by staff (or the reverse) is still read.
        wb = CalamineWorkbook.from_filelike(content)
    except Exception as exc:  # calamine raises its own error types on broken parts
        if legacy:
            raise UnsupportedFileError(
                f"“{path.name}”是旧版 .xls/.et 格式，且无法读取（{exc}）。"
                "请在 Excel/WPS 中打开后“另存为” Excel 工作簿（.xlsx）再发送。"
            ) from exc
        raise _unreadable(path, exc) from exc
    try:
        ret = parse_return(path, list(wb.sheet_names), partial(_load, wb), partial(_load_closed, path))
    except TemplateError:
        raise
    except Exception as exc:
        raise _unreadable(path, exc) from exc
    finally:
        wb.close()
    if not legacy:
        ret.unsaved_formulas = formulas_without_values(content, ret.sheet, ret.header_row + 1)
    return ret


class Grid(list[list[Any]]):
    """A sheet's rows from A1, the first MAX_SHEET_ROWS of them; `total` counts every row."""

    total: int = 0


def _load(wb: Any, name: str) -> Cells:
    """The first MAX_SHEET_ROWS rows of a sheet, from A1. A return is a few hundred rows; one with
    hundreds of thousands (pasted by mistake) must not take the roll-up's memory with it."""
    sheet = wb.get_sheet_by_name(name)
    grid = Grid(sheet.to_python(skip_empty_area=False, nrows=MAX_SHEET_ROWS))
    grid.total = sheet.end[0] + 1 if sheet.end else len(grid)
    return grid


def _load_closed(path: Path, name: str) -> Cells:
    """A sheet of `path` opened again (the item sheet, read after `read_return` closed the file)."""
    from python_calamine import CalamineWorkbook

    try:
        with open(path, "rb") as fh:
            wb = CalamineWorkbook.from_filelike(fh)
            try:
                return _load(wb, name)
            finally:
                wb.close()
    except Exception as exc:  # calamine raises its own error types on broken parts
        raise _unreadable(path, exc) from exc


def parse_return(
    path: Path,
    names: list[str],
    load: Callable[[str], Cells],
    load_later: Callable[[str], Cells] | None = None,
) -> UnitReturn:
    """A return from its sheets: `load(name)` gives a sheet's cells from A1 as calamine does
    (rows of values, "" when empty); only the sheets needed are loaded. The item sheet of the
    metadata is loaded on first use of `meta_items`, by `load_later` (default `load`) once
    `load`'s source may be closed. TemplateError when no 任务台账 table can be found.
    (`toolkit.xl` passes the values of a workbook open in Excel.)"""
    if {PLAN_SHEET, INFO_SHEET} <= set(names) and S.META_SHEET not in names:
        raise TemplateError(
            f"“{path.name}”是方案工作簿（fengong import 的结果），不是单位报回的台账。"
            "请对各单位报回的台账进行校验；要给各单位生成台账，请用 fengong distribute。"
        )
    sheets = {n: load(n) for n in names if n in (S.META_SHEET, S.TABLE_SHEET)}
    meta, meta_rows = _read_meta(sheets.get(S.META_SHEET, []))
    load_meta_rows: Callable[[], Cells]
    if meta_rows is not None:  # version 1: the item table sits in the metadata sheet
        load_meta_rows = partial(list, meta_rows)
    elif S.ITEMS_SHEET in names:
        load_meta_rows = partial(_item_table, partial(load_later or load, S.ITEMS_SHEET))
    else:
        load_meta_rows = list
    sheet, found = S.TABLE_SHEET, _find_table(sheets.get(S.TABLE_SHEET, []))
    for name in names:
        if found is not None:
            break
        if name not in (S.META_SHEET, S.ITEMS_SHEET, S.TABLE_SHEET):
            sheets[name] = load(name)
            sheet, found = name, _find_table(sheets[name])
    if found is None:
        raise TemplateError(
            f"“{path.name}”中找不到任务台账：没有哪个工作表含有“编号”“完成状态”等表头。"
            "请使用分发的台账填报，不要改动表头文字。"
        )
    header_row, columns, renamed = found
    grid = sheets[sheet]
    not_read = max(getattr(grid, "total", len(grid)) - len(grid), 0)
    return UnitReturn(
        path=path,
        sheet=sheet,
        header_row=header_row + 1,
        columns={k: v + 1 for k, v in columns.items()},
        rows=_read_rows(grid, header_row, columns),
        meta=meta,
        load_meta_rows=load_meta_rows,
        block=_read_block(grid, header_row),
        renamed=renamed,
        sheet_names=list(names),
        rows_not_read=not_read,
    )


def _unreadable(path: Path, exc: Exception) -> UnreadableFileError:
    return UnreadableFileError(f"无法读取“{path.name}”：{exc}。文件可能已损坏，请让填报单位重新保存后发送。")


def _find_table(grid: Cells) -> tuple[int, dict[str, int], dict[str, str]] | None:
    """(0-based header row, column name → 0-based index, aliases used) of the best header row."""
    best = None
    for r, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        headers = [_header(v) for v in row]
        columns: dict[str, int] = {}
        for i, h in enumerate(headers):
            if h in S.COLUMNS:
                columns.setdefault(h, i)
        renamed = {}
        for i, h in enumerate(headers):
            canonical = HEADER_ALIASES.get(h)
            if canonical and canonical not in columns:
                columns[canonical], renamed[canonical] = i, h
        if S.ID in columns and len(columns) >= MIN_HEADER_MATCHES and (best is None or len(columns) > len(best[1])):
            best = (r, columns, renamed)
            if len(columns) == len(S.COLUMNS):  # every column found: no row below can do better
                break
    return best


def _read_rows(grid: Cells, header_row: int, columns: dict[str, int]) -> list[ReturnRow]:
    """The rows below the header with a value in any located column, blank text as None."""
    names, at = list(columns), list(columns.values())
    pick = itemgetter(*at) if len(at) > 1 else (lambda line: (line[at[0]],))
    reach = max(at, default=-1)
    first_id = names.index(S.ID) if S.ID in columns else -1
    rows = []
    for r in range(header_row + 1, len(grid)):
        line = grid[r]
        cells = pick(line) if len(line) > reach else [line[c] if c < len(line) else "" for c in at]
        values = [(v if v and not v.isspace() else None) if v.__class__ is str else v for v in cells]
        if values.count(None) < len(values):
            found = intern(item_id(values[first_id])) if first_id >= 0 else ""  # ids repeat in every return
            rows.append(ReturnRow(row=r + 1, item_id=found, values=dict(zip(names, values))))
    return rows


def _read_block(grid: Cells, header_row: int) -> dict[str, tuple[str, Any]]:
    """Labelled cells above the table: 填报单位, 报送期次, 填报人, 联系电话, 填报日期."""
    labels = (S.UNIT_LABEL, S.PERIOD_LABEL, *S.FILLER_LABELS)
    block = {}
    for r in range(min(header_row, len(grid))):
        line = grid[r]
        for c, v in enumerate(line):
            label = _header(v).rstrip(":：")
            if label in labels and label not in block:
                value = _value(line[c + 1]) if c + 1 < len(line) else None
                block[label] = (f"{column_letter(c + 2)}{r + 1}", value)
    return block


def _read_meta(grid: Cells) -> tuple[dict[str, str], Cells | None]:
    """The key/value metadata, and the raw rows of the item table when the sheet holds one
    (version 1; None otherwise)."""
    meta: dict[str, str] = {}
    for n, line in enumerate(grid):
        if _is_item_header(line):
            return meta, grid[n + 1 :]
        key = line[0] if line else ""
        if key in S.META_KEYS:
            meta[key] = text(line[1]) if len(line) > 1 else ""
    return meta, None


def _item_table(load: Callable[[], Cells]) -> Cells:
    """The raw rows below ITEM_HEADER in the item sheet `load()` gives ([] without that header)."""
    grid = load()
    return next((grid[n + 1 :] for n, line in enumerate(grid) if _is_item_header(line)), [])


def _is_item_header(line: list[Any]) -> bool:
    return (
        bool(line)
        and line[0] == S.ITEM_HEADER[0]
        and tuple(text(v) for v in line[: len(S.ITEM_HEADER)]) == S.ITEM_HEADER
    )


def _value(v: Any) -> Any:
    if isinstance(v, str):
        return v if v.strip() else None
    return v


def _header(v: Any) -> str:
    return _squeezed(v) if isinstance(v, str) else ""


@lru_cache(maxsize=4096)  # the header scan meets the same locked texts in every return
def _squeezed(v: str) -> str:
    return SPACE_RE.sub("", v)


def other_table(path: Path, sheet: str) -> int:
    """Rows with fill-ins in a task table on `sheet` (a copy such as 任务台账（更新）); 0 when the
    sheet holds no such table or cannot be read."""
    try:
        grid = _load_closed(path, sheet)
    except Exception:  # the sheet could not be read: nothing to say about it
        return 0
    found = _find_table(grid)
    if found is None:
        return 0
    header_row, columns, _ = found
    return sum(
        1
        for row in _read_rows(grid, header_row, columns)
        if any(row.values.get(c) not in (None, "") for c in S.FILL_COLUMNS)
    )
