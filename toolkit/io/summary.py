"""The summary workbook: written with XlsxWriter, read back one level up with calamine.

Every sheet has a title row, a subtitle row and a table (header row repeated on each printed
page, frozen, filtered), A3 landscape, footer 「第 &P 页，共 &N 页」, 黑体 headings and 仿宋 text.
A table too wide to print readably on one page across prints on several (`print_layout`).
Every value passes through `cell_value` (text stays text, never a formula; characters XML
cannot hold are dropped; text longer than Excel's cell limit is cut with a note; NaN and
dates Excel cannot show are made safe). A hidden sheet `_fengong` (kind "summary") makes the
workbook valid input to the roll-up one level up.

Speed: XlsxWriter spends ~6 µs per cell; the big tables (30 000 rows × 18 columns) are
written as the first data row by XlsxWriter (which fixes the cell styles) and the rest as
plain sheet XML spliced into the saved package, their texts appended to the shared strings
(each text once, escaped as XlsxWriter escapes it): several times faster, the same cells
(tests/test_summary_writer.py compares both ways on hostile values).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, partial
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.io.atomic import atomic_path
from toolkit.io.schema import ID, META_SHEET, SCHEMA_VERSION
from toolkit.io.unitbook_style import MAX_ROW_POINTS, lines_height, per_line
from toolkit.model.errors import OutputError, TemplateError, UnreadableFileError
from toolkit.model.text import line_count

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

SUMMARY_KIND = "summary"
OVERVIEW_SHEET = "总览"
DETAIL_SHEET = "任务明细"
# 任务明细 columns of our own (the fill-in columns keep the unit workbook's names).
UNIT_COLUMN, SUB_UNIT_COLUMN, PARENT_COLUMN, STATE_COLUMN = "责任单位", "下级单位", "上级编号", "状态判断"
FILE_COLUMN = "报送文件"
STATE_MISSING = "未报送"  # 状态判断 of a unit that did not report
TITLE_ROW, SUBTITLE_ROW, HEADER_ROW = 0, 1, 2  # 0-based rows of every table sheet
FIRST_DATA_ROW = HEADER_ROW + 1
HEADING_FONT, BODY_FONT = "黑体", "仿宋"
FOOTER = "&C第 &P 页，共 &N 页"
PAPER = {"A3": 8, "A4": 9}
# Printing: the body is 11 pt; a table prints on as many pages across as keep it at least
# MIN_PRINTED pt (what the office reads at a meeting), the row's identity repeated on each page.
BODY_POINTS = 11
MIN_PRINTED = {"A3": 9, "A4": 8}
MARGIN_INCHES = 0.5  # left and right
PAGE_POINTS = {paper: mm * 72 / 25.4 - 2 * 72 * MARGIN_INCHES for paper, mm in (("A3", 420), ("A4", 297))}
# A column `width` characters wide prints CHAR_POINTS * width + PAD_POINTS pt at 100 % in LibreOffice
# with the shipped Noto Sans SC (fitted to the demo's 任务明细 and 分单位统计 printed one page across);
# Excel with Calibri prints it narrower (5.25 * width + 3.75), so the estimate is on the safe side.
CHAR_POINTS, PAD_POINTS = 6.4, 1.8
KEY_HEADERS = (ID, UNIT_COLUMN, "单位")  # which row it is: repeated at the left of every page across
UNPRINTED_HEADERS = (FILE_COLUMN, PARENT_COLUMN)  # the clerk's trailing tracing columns: on screen only
SPLICE_MIN_ROWS = 200  # below this XlsxWriter writes every cell itself
COLUMN_ROWS = 4096  # Table.of fills this many rows a column at a time (750,000 rows at 5,000 returns)
EXCEL_EPOCH = datetime(1899, 12, 30)
FIRST_DAY, LAST_DAY = date(1900, 3, 1), date(9999, 12, 31)  # earlier serials hit Excel's 1900 leap-year bug
EXCEL_ROWS = 1_048_576  # rows of an Excel (and WPS) sheet
MAX_TEXT = 32767  # Excel's limit on one cell's text, in UTF-16 code units
TRUNCATED = "……（超出 Excel 单元格 32767 字上限，以下从略）"
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # not allowed in XML 1.0
EXCEL_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")  # Excel reads these as escapes: protect them
Row = tuple[Any, ...]  # one table row's values, one per column
KINDS = ("text", "wrap", "clip", "center", "int", "pct", "date")  # clip: wrapped, but never makes a row taller
PIXEL = 0.75  # points per pixel at 96 dpi


@dataclass(frozen=True)
class Column:
    """A table column: header, width in characters, kind (one of KINDS), and the getter that
    takes its value from the object a row shows — so adding a column is one line."""

    header: str
    width: float
    kind: str = "text"
    get: Callable[[Any], Any] | None = None


@dataclass
class Table:
    """One sheet of the summary: a titled table."""

    name: str
    columns: tuple[Column, ...]
    rows: list[Row]
    subtitle: str = ""

    @classmethod
    def of(cls, name: str, columns: tuple[Column, ...], objects: Iterable[Any], subtitle: str = "") -> Table:
        """A table whose rows are `objects`, each cell filled by its column's getter (a column at a time)."""
        getters = [c.get for c in columns if c.get]
        if len(getters) < len(columns) or not getters:
            raise ValueError(f"table {name}: every column needs a getter")
        objects, rows = list(objects), list[Row]()
        for start in range(0, len(objects), COLUMN_ROWS):
            chunk = objects[start : start + COLUMN_ROWS]
            rows += zip(*[list(map(g, chunk)) for g in getters])
        return cls(name, columns, rows, subtitle)


@dataclass
class SummaryBook:
    """Everything the summary workbook shows. `overview` holds (label, value) pairs for 总览."""

    title: str
    subtitle: str
    overview: list[tuple[str, Any]]
    tables: list[Table]
    meta: dict[str, str]
    paper: str = "A3"
    image: Path | None = None
    add_sheets: list[Callable[[Workbook, dict[str, Format]], None]] = field(default_factory=list)  # adding sheets


def write_summary(book: SummaryBook, path: str | Path) -> Path:
    """Write `book` to `path` atomically and return the path. OutputError, before anything is
    written, when a table has more rows than an Excel sheet holds."""
    for table in book.tables:
        if FIRST_DATA_ROW + len(table.rows) > EXCEL_ROWS:
            raise OutputError(
                f"汇总表的“{table.name}”共 {len(table.rows):,} 行，超过 Excel 工作表 {EXCEL_ROWS:,} 行的上限，"
                "无法写入（Excel 和 WPS 都打不开完整的表）。请分级汇总：先按区县（或系统）分别汇总，"
                "再把各区县的汇总表逐级汇总。未写汇总表，也未记入历史库。"
            )
    with atomic_path(path) as tmp:
        spliced = _write_xlsx(book, tmp)
        if spliced:
            from toolkit.io.summary_xml import splice

            splice(tmp, spliced)
    return Path(path)


def _formats(wb: Workbook) -> dict[str, Format]:
    base = {"font_name": BODY_FONT, "font_size": 11, "valign": "top", "border": 1}
    fmts = {
        "title": wb.add_format(
            {"font_name": HEADING_FONT, "font_size": 16, "bold": True, "align": "center", "valign": "vcenter"}
        ),
        "title_left": wb.add_format({"font_name": HEADING_FONT, "font_size": 16, "bold": True, "valign": "vcenter"}),
        "subtitle": wb.add_format({"font_name": BODY_FONT, "font_size": 11, "align": "left"}),
        "header": wb.add_format(
            {
                "font_name": HEADING_FONT,
                "font_size": 11,
                "bold": True,
                "border": 1,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
                "bg_color": "#D9E1F2",
            }
        ),
        "label": wb.add_format({**base, "font_name": HEADING_FONT}),
        "text": wb.add_format(base),
        "wrap": wb.add_format({**base, "text_wrap": True}),
        "center": wb.add_format({**base, "align": "center"}),
        "int": wb.add_format({**base, "align": "center", "num_format": "0"}),
        "pct": wb.add_format({**base, "align": "center", "num_format": "0.0%"}),
        "date": wb.add_format({**base, "align": "center", "num_format": "yyyy-mm-dd"}),
    }
    fmts["clip"] = fmts["wrap"]
    return fmts


def _write_xlsx(book: SummaryBook, path: Path) -> list[tuple[str, Table, list[int]]]:
    """Write the workbook; return the big tables still to splice: (sheet part, table, styles)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(
        str(path), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    fmts = _formats(wb)
    _write_overview(wb, fmts, book)
    pending = []
    for table in book.tables:
        ws = wb.add_worksheet(table.name)
        _page_setup(ws, book.paper)
        layout = _print_table(ws, table, book.paper)
        ncols = max(len(table.columns), 1)
        _titles(
            ws,
            fmts,
            book.title if table.name == DETAIL_SHEET else f"{book.title} · {table.name}",
            table.subtitle or book.subtitle,
            ncols if layout.pages_across == 1 else 1,  # centred across several pages, it would be cut in two
        )
        for c, col in enumerate(table.columns):
            ws.set_column(c, c, col.width)
            ws.write_string(HEADER_ROW, c, col.header, fmts["header"])
        ws.set_row(HEADER_ROW, 30)
        ws.freeze_panes(FIRST_DATA_ROW, 0)
        last = HEADER_ROW + max(len(table.rows), 1)
        ws.autofilter(HEADER_ROW, 0, last, ncols - 1)
        styles = [fmts[col.kind] for col in table.columns]
        direct = table.rows if len(table.rows) < SPLICE_MIN_ROWS else table.rows[:1]
        for r, (row, height) in enumerate(zip(direct, RowHeights(table.columns)(direct)), start=FIRST_DATA_ROW):
            ws.set_row(r, height)
            for c, value in enumerate(row):
                _write_cell(ws, r, c, value, styles[c])
        if len(direct) < len(table.rows):
            pending.append((ws, table, styles))
    for hook in book.add_sheets:
        hook(wb, fmts)
    _write_meta(wb, book.meta)
    wb.close()
    return [
        (f"xl/worksheets/sheet{ws.index + 1}.xml", table, [f.xf_index for f in styles]) for ws, table, styles in pending
    ]


def _page_setup(ws: Worksheet, paper: str) -> None:
    ws.set_landscape()
    ws.set_paper(PAPER.get(paper, PAPER["A3"]))
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=MARGIN_INCHES, right=MARGIN_INCHES, top=0.6, bottom=0.7)
    ws.set_footer(FOOTER)
    ws.center_horizontally()


def _print_table(ws: Worksheet, table: Table, paper: str) -> PrintLayout:
    """Header row on every page; a wide table on several pages across, each band of rows printed
    left to right before the next (the pages of the same rows come together), its identifying
    columns repeated; the clerk's tracing columns left out of the print."""
    ws.repeat_rows(HEADER_ROW)
    layout = print_layout(table.columns, paper)
    if layout.columns < len(table.columns):
        ws.print_area(TITLE_ROW, 0, HEADER_ROW + max(len(table.rows), 1), layout.columns - 1)
    if layout.pages_across > 1:
        ws.fit_to_pages(layout.pages_across, 0)
        ws.print_across()
    if layout.repeat:
        ws.repeat_columns(0, layout.repeat - 1)
    return layout


@dataclass(frozen=True)
class PrintLayout:
    """How a table prints: its first `columns` columns, on `pages_across` pages across, the first
    `repeat` of them (0: none) repeated at the left of every page."""

    columns: int
    repeat: int
    pages_across: int


def print_layout(columns: tuple[Column, ...], paper: str) -> PrintLayout:
    """The fewest pages across that print the body at MIN_PRINTED pt or more, repeating the
    longest leading run of columns that ends at a KEY_HEADERS column and takes at most half a page."""
    printed = len(columns)
    while printed > 1 and columns[printed - 1].header in UNPRINTED_HEADERS:
        printed -= 1
    widths = [CHAR_POINTS * c.width + PAD_POINTS for c in columns[:printed]]
    room = PAGE_POINTS.get(paper, PAGE_POINTS["A3"]) * BODY_POINTS / MIN_PRINTED.get(paper, MIN_PRINTED["A3"])
    if sum(widths) <= room:
        return PrintLayout(printed, 0, 1)
    keys = [
        i + 1 for i, c in enumerate(columns[:printed]) if c.header in KEY_HEADERS and sum(widths[: i + 1]) <= room / 2
    ]
    repeat = keys[-1] if keys else 0
    return PrintLayout(printed, repeat, pages_across(widths, repeat, room))


def pages_across(widths: list[float], repeat: int, room: float) -> int:
    """Pages across for columns of `widths` (pt) when a page holds `room` pt, the first `repeat`
    columns repeated on every page: filled left to right as Excel and LibreOffice paginate."""
    repeated = sum(widths[:repeat])
    pages, used = 1, 0.0
    for width in widths:
        if used + width > room and used > repeated:
            pages, used = pages + 1, repeated
        used += width
    return pages


def _titles(ws: Worksheet, fmts: dict[str, Format], title: str, subtitle: str, across: int) -> None:
    """Title and subtitle merged `across` columns, the title centred; across one, they run on
    from column A over the empty cells, the title flush left."""
    title, subtitle = clean_text(title), clean_text(subtitle)
    if across > 1:
        ws.merge_range(TITLE_ROW, 0, TITLE_ROW, across - 1, title, fmts["title"])
        ws.merge_range(SUBTITLE_ROW, 0, SUBTITLE_ROW, across - 1, subtitle, fmts["subtitle"])
    else:
        ws.write_string(TITLE_ROW, 0, title, fmts["title_left"])
        ws.write_string(SUBTITLE_ROW, 0, subtitle, fmts["subtitle"])
    ws.set_row(TITLE_ROW, 28)


def cell_value(value: Any) -> str | int | float | datetime | None:
    """What a cell holds for `value`: None (blank), cleaned text, a finite number, or a
    datetime Excel can show (others as ISO text). True/False become 是/否."""
    if value is None:
        return None
    if isinstance(value, str):  # a StrEnum (单位职责, 级别) as its plain text
        return clean_text(value if value.__class__ is str else str.__str__(value)) or None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return value if math.isfinite(value) else None
    if isinstance(value, date):
        day = value.date() if isinstance(value, datetime) else value
        if not FIRST_DAY <= day <= LAST_DAY:
            return value.isoformat()
        return value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
    return clean_text(str(value)) or None


def clean_text(text: str) -> str:
    """`text` as a cell can hold it: XML-illegal characters dropped, CR as LF, cut at MAX_TEXT."""
    if ILLEGAL_XML.search(text):
        text = ILLEGAL_XML.sub("", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_TEXT // 2 and len(text.encode("utf-16-le")) > 2 * MAX_TEXT:
        keep = 2 * (MAX_TEXT - len(TRUNCATED))
        text = text.encode("utf-16-le")[:keep].decode("utf-16-le", "ignore") + TRUNCATED
    return text


def _write_cell(ws: Worksheet, r: int, c: int, value: Any, fmt: Format) -> None:
    """Write one value with its type (see cell_value)."""
    value = cell_value(value)
    if value is None:
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, str):
        ws.write_string(r, c, value, fmt)
    elif isinstance(value, datetime):
        ws.write_datetime(r, c, value, fmt)
    else:
        ws.write_number(r, c, value, fmt)


def _write_overview(wb: Workbook, fmts: dict[str, Format], book: SummaryBook) -> None:
    ws = wb.add_worksheet(OVERVIEW_SHEET)
    _page_setup(ws, book.paper)
    columns = (Column("项目", 22, "text"), Column("数值", 48, "wrap"))
    for c, col in enumerate(columns):
        ws.set_column(c, c, col.width)
        ws.write_string(HEADER_ROW, c, col.header, fmts["header"])
    ws.write_string(TITLE_ROW, 0, clean_text(book.title), fmts["title_left"])  # runs on over the empty cells
    ws.write_string(SUBTITLE_ROW, 0, clean_text(book.subtitle), fmts["subtitle"])
    ws.set_row(TITLE_ROW, 28)
    heights = RowHeights(columns)(book.overview)
    for r, ((label, value), height) in enumerate(zip(book.overview, heights), start=FIRST_DATA_ROW):
        ws.set_row(r, height)
        ws.write_string(r, 0, label, fmts["label"])
        kind = "pct" if isinstance(value, float) else "int" if isinstance(value, int) else "wrap"
        _write_cell(ws, r, 1, value, fmts[kind])
    if book.image:
        ws.insert_image(FIRST_DATA_ROW, 3, str(book.image), {"x_scale": 0.8, "y_scale": 0.8, "object_position": 3})


def _write_meta(wb: Workbook, meta: dict[str, str]) -> None:
    ws = wb.add_worksheet(META_SHEET)
    for r, (key, value) in enumerate({"schema_version": SCHEMA_VERSION, "kind": SUMMARY_KIND, **meta}.items()):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, clean_text(str(value)))
    ws.very_hidden()


# --- fast rows: plain sheet XML spliced into the saved package -------------------------


MEMO_LIMIT = 4096  # texts (and cells) remembered per column: a plan item's repeat in its units' rows, 进展情况 never


class RowHeights:
    """The height of each row that shows every wrapped text (neither Excel nor LibreOffice fits
    the rows of a generated file), by the unit workbook's rule (`unitbook_style`): worked out a
    column at a time, a row's lines being the most of its wrapped cells', each text counted once.
    Called on a batch of rows at a time; remembers at most MEMO_LIMIT texts per column, so what is
    held stays bounded (750,000 rows at 5,000 returns)."""

    def __init__(self, columns: tuple[Column, ...]):
        self.wrapped = [
            (c, Memo(partial(_text_lines, per_line(col.width)))) for c, col in enumerate(columns) if col.kind == "wrap"
        ]

    def __call__(self, rows: Sequence[Row]) -> list[float]:
        return self.of_columns(list(zip(*rows)), len(rows))

    def of_columns(self, values: Sequence[Sequence[Any]], count: int) -> list[float]:
        """The heights of `count` rows given column by column (`values[c]`: column c's cells)."""
        if not self.wrapped or not count:
            return [_height(1)] * count
        lines = []
        for c, counted in self.wrapped:
            if len(counted) >= MEMO_LIMIT:
                counted.clear()
            lines.append(_lines(values[c], counted))
        return list(map(_height, map(max, repeat(1), *lines)))


def _lines(values: Sequence[Any], counted: Memo) -> list[int]:
    """Lines each of a column's `values` takes (`counted`: texts and their lines; 1 for what is not text)."""
    try:
        return list(map(counted.__getitem__, values))
    except TypeError:  # an unhashable value (not text: one line)
        return [counted[v] if v.__class__ is str else 1 for v in values]


def _text_lines(room: float, value: Any) -> int:
    if not isinstance(value, str):
        return 1
    # fits one line, even if every character is wide, with no more characters than em
    return 1 if len(value) <= room and "\n" not in value else line_count(value, room)


class Memo(dict[Any, Any]):
    """Keys and what `make` makes of each, made the first time a key is looked up: through
    `map(memo.__getitem__, values)` a column's values are looked up without a Python loop."""

    def __init__(self, make: Callable[[Any], Any]):
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        made = self[key] = self.make(key)
        return made


@cache
def _height(lines: int) -> float:
    """Points of a row of `lines` wrapped lines: whole pixels, as XlsxWriter stores them."""
    pixels = min(math.ceil(lines_height(lines) / PIXEL), int(MAX_ROW_POINTS / PIXEL))
    return pixels * PIXEL


def read_meta(path: str | Path) -> dict[str, str]:
    """The hidden metadata of any fengong workbook ({} when it has none)."""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        if META_SHEET not in wb.sheet_names:
            return {}
        rows = wb.get_sheet_by_name(META_SHEET).to_python()
    except Exception as exc:  # calamine raises its own error types on broken files
        raise UnreadableFileError(
            f"无法读取“{Path(path).name}”：{exc}。请让对方在 Excel/WPS 中重新保存后发送。"
        ) from exc
    meta: dict[str, str] = {}
    for row in rows:
        if len(row) < 2 or not isinstance(row[0], str) or not row[0]:
            if meta:
                break  # a blank row ends the key | value block
            continue
        meta[row[0]] = "" if row[1] is None else str(row[1])
    return meta


@dataclass
class SummaryRows:
    """The 任务明细 of a summary workbook: metadata, headers, rows (1-based sheet row, values)."""

    meta: dict[str, str]
    headers: list[str]
    rows: list[tuple[int, dict[str, Any]]]


def read_summary(path: str | Path, required: Iterable[str]) -> SummaryRows:
    """Read 任务明细 of a summary workbook; columns are found by header name."""
    from python_calamine import CalamineWorkbook

    path = Path(path)
    meta = read_meta(path)
    try:
        wb = CalamineWorkbook.from_path(str(path))
        if DETAIL_SHEET not in wb.sheet_names:
            raise TemplateError(
                f"汇总表“{path.name}”缺少工作表“{DETAIL_SHEET}”，无法逐级汇总。请用 fengong rollup 重新生成。"
            )
        values = wb.get_sheet_by_name(DETAIL_SHEET).to_python()
    except TemplateError:
        raise
    except Exception as exc:
        raise UnreadableFileError(f"无法读取汇总表“{path.name}”：{exc}。") from exc
    required = list(required)
    for h, row in enumerate(values[:10]):  # noqa: B007 (h is the header row, used below)
        headers = [str(v).strip() if v is not None else "" for v in row]
        if all(name in headers for name in required):
            break
    else:
        raise TemplateError(f"汇总表“{path.name}”工作表“{DETAIL_SHEET}”找不到表头（需要：{'、'.join(required)}）。")
    index = {name: i for i, name in enumerate(headers) if name}
    rows = []
    for r, row in enumerate(values[h + 1 :], start=h + 2):
        if not any(v not in (None, "") for v in row):
            continue
        rows.append((r, {name: (row[i] if i < len(row) else None) for name, i in index.items()}))
    return SummaryRows(meta, headers, rows)
