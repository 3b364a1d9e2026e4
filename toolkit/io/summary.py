"""The summary workbook: written with XlsxWriter, read back one level up with calamine.

Every sheet has a title row, a subtitle row and a table (header row repeated on each printed
page, frozen, filtered), A3 landscape, footer 「第 &P 页，共 &N 页」, 黑体 headings and 仿宋 text.
Text is always written as text (never as a formula). A hidden sheet `_fengong` (kind
"summary") makes the workbook valid input to the roll-up one level up.

Speed: XlsxWriter spends ~6 µs per cell; the big tables (30 000 rows × 18 columns) are
written as the first data row by XlsxWriter (which fixes the cell styles) and the rest as
plain sheet XML spliced into the saved package, their texts appended to the shared strings
(each text once): several times faster, the same cells.
"""

from __future__ import annotations

import math
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterable

from toolkit.errors import TemplateError, UnreadableFileError
from toolkit.io.atomic import atomic_path
from toolkit.io.returns import column_letter
from toolkit.io.schema import META_SHEET, SCHEMA_VERSION

SUMMARY_KIND = "summary"
OVERVIEW_SHEET = "总览"
DETAIL_SHEET = "任务明细"
# 任务明细 columns of our own (the fill-in columns keep the unit workbook's names).
UNIT_COLUMN, SUB_UNIT_COLUMN, PARENT_COLUMN = "责任单位", "下级单位", "上级编号"
TITLE_ROW, SUBTITLE_ROW, HEADER_ROW = 0, 1, 2  # 0-based rows of every table sheet
FIRST_DATA_ROW = HEADER_ROW + 1
HEADING_FONT, BODY_FONT = "黑体", "仿宋"
FOOTER = "&C第 &P 页，共 &N 页"
PAPER = {"A3": 8, "A4": 9}
SPLICE_MIN_ROWS = 200  # below this XlsxWriter writes every cell itself
EXCEL_EPOCH = date(1899, 12, 30)
MAX_TEXT = 32767  # Excel's limit on one cell's text
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
KINDS = ("text", "wrap", "clip", "center", "int", "pct", "date")  # clip: wrapped, but never makes a row taller
CJK_WIDTH = 2.2  # column-width units one Chinese character of the 11 pt body font takes (with slack)
LINE_POINTS = 14.5  # height of one wrapped line
MAX_ROW_POINTS = 409  # Excel's limit


@dataclass(frozen=True)
class Column:
    """A table column: header, width in characters, and kind (one of KINDS)."""

    header: str
    width: float
    kind: str = "text"


@dataclass
class Table:
    """One sheet of the summary: a titled table."""

    name: str
    columns: tuple[Column, ...]
    rows: list[tuple]
    subtitle: str = ""


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
    add_sheets: list[Callable] = field(default_factory=list)  # hooks(workbook, formats) adding sheets


def write_summary(book: SummaryBook, path: str | Path) -> Path:
    """Write `book` to `path` atomically and return the path."""
    with atomic_path(path) as tmp:
        spliced = _write_xlsx(book, tmp)
        if spliced:
            _splice(tmp, spliced)
    return Path(path)


def _formats(wb) -> dict[str, Any]:
    base = {"font_name": BODY_FONT, "font_size": 11, "valign": "top", "border": 1}
    fmts = {
        "title": wb.add_format({"font_name": HEADING_FONT, "font_size": 16, "bold": True,
                                "align": "center", "valign": "vcenter"}),
        "overview_title": wb.add_format({"font_name": HEADING_FONT, "font_size": 16, "bold": True,
                                         "valign": "vcenter"}),
        "subtitle": wb.add_format({"font_name": BODY_FONT, "font_size": 11, "align": "left"}),
        "header": wb.add_format({"font_name": HEADING_FONT, "font_size": 11, "bold": True, "border": 1,
                                 "align": "center", "valign": "vcenter", "text_wrap": True,
                                 "bg_color": "#D9E1F2"}),
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


def _write_xlsx(book: SummaryBook, path: Path) -> list[tuple[str, Table, list]]:
    """Write the workbook; return the big tables still to splice: (sheet part, table, styles)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    fmts = _formats(wb)
    _write_overview(wb, fmts, book)
    pending = []
    for table in book.tables:
        ws = wb.add_worksheet(table.name)
        _page_setup(ws, book.paper, repeat=True)
        ncols = max(len(table.columns), 1)
        _titles(ws, fmts, book.title if table.name == DETAIL_SHEET else f"{book.title} · {table.name}",
                table.subtitle or book.subtitle, ncols)
        for c, col in enumerate(table.columns):
            ws.set_column(c, c, col.width)
            ws.write_string(HEADER_ROW, c, col.header, fmts["header"])
        ws.set_row(HEADER_ROW, 30)
        ws.freeze_panes(FIRST_DATA_ROW, 0)
        last = HEADER_ROW + max(len(table.rows), 1)
        ws.autofilter(HEADER_ROW, 0, last, ncols - 1)
        styles = [fmts[col.kind] for col in table.columns]
        direct = table.rows if len(table.rows) < SPLICE_MIN_ROWS else table.rows[:1]
        height = _Heights(table.columns)
        for r, row in enumerate(direct, start=FIRST_DATA_ROW):
            ws.set_row(r, height(row))
            for c, value in enumerate(row):
                _write_cell(ws, r, c, value, styles[c])
        if len(direct) < len(table.rows):
            pending.append((ws, table, styles))
    for hook in book.add_sheets:
        hook(wb, fmts)
    _write_meta(wb, book.meta)
    wb.close()
    return [(f"xl/worksheets/sheet{ws.index + 1}.xml", table, [f.xf_index for f in styles])
            for ws, table, styles in pending]


def _page_setup(ws, paper: str, repeat: bool) -> None:
    ws.set_landscape()
    ws.set_paper(PAPER.get(paper, PAPER["A3"]))
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    ws.set_footer(FOOTER)
    ws.center_horizontally()
    if repeat:
        ws.repeat_rows(HEADER_ROW)


def _titles(ws, fmts, title: str, subtitle: str, ncols: int) -> None:
    if ncols > 1:
        ws.merge_range(TITLE_ROW, 0, TITLE_ROW, ncols - 1, title, fmts["title"])
        ws.merge_range(SUBTITLE_ROW, 0, SUBTITLE_ROW, ncols - 1, subtitle, fmts["subtitle"])
    else:
        ws.write_string(TITLE_ROW, 0, title, fmts["title"])
        ws.write_string(SUBTITLE_ROW, 0, subtitle, fmts["subtitle"])
    ws.set_row(TITLE_ROW, 28)


def _write_cell(ws, r: int, c: int, value, fmt) -> None:
    """Write one value with its type: text stays text (never a formula), dates as dates."""
    if value is None or value == "":
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, str):
        ws.write_string(r, c, _clean(value), fmt)
    elif isinstance(value, bool):
        ws.write_string(r, c, "是" if value else "否", fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(r, c, value, fmt)
    elif isinstance(value, (date, datetime)):
        ws.write_datetime(r, c, value if isinstance(value, datetime) else datetime(value.year, value.month, value.day), fmt)
    else:
        ws.write_string(r, c, _clean(str(value)), fmt)


def _clean(text: str) -> str:
    if ILLEGAL_XML.search(text):
        text = ILLEGAL_XML.sub("", text)
    return text[:MAX_TEXT]


def _write_overview(wb, fmts, book: SummaryBook) -> None:
    ws = wb.add_worksheet(OVERVIEW_SHEET)
    _page_setup(ws, book.paper, repeat=False)
    columns = (Column("项目", 22, "text"), Column("数值", 48, "wrap"))
    for c, col in enumerate(columns):
        ws.set_column(c, c, col.width)
        ws.write_string(HEADER_ROW, c, col.header, fmts["header"])
    ws.write_string(TITLE_ROW, 0, book.title, fmts["overview_title"])  # runs on over the empty cells
    ws.write_string(SUBTITLE_ROW, 0, book.subtitle, fmts["subtitle"])
    ws.set_row(TITLE_ROW, 28)
    height = _Heights(columns)
    for r, (label, value) in enumerate(book.overview, start=FIRST_DATA_ROW):
        ws.set_row(r, height((label, value)))
        ws.write_string(r, 0, label, fmts["label"])
        kind = "pct" if isinstance(value, float) else "int" if isinstance(value, int) else "wrap"
        _write_cell(ws, r, 1, value, fmts[kind])
    if book.image:
        ws.insert_image(FIRST_DATA_ROW, 3, str(book.image), {"x_scale": 0.8, "y_scale": 0.8, "object_position": 3})


def _write_meta(wb, meta: dict[str, str]) -> None:
    ws = wb.add_worksheet(META_SHEET)
    for r, (key, value) in enumerate({"schema_version": SCHEMA_VERSION, "kind": SUMMARY_KIND, **meta}.items()):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, _clean(str(value)))
    ws.very_hidden()


# --- fast rows: plain sheet XML spliced into the saved package -------------------------

def _xml_text(text: str) -> str:
    text = _clean(text)
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


class _Heights:
    """Row heights that show every wrapped text (neither Excel nor LibreOffice fits the rows
    of a generated file). Display width from the UTF-8 length: CJK 1 em, ASCII ≈ 0.6 em."""

    def __init__(self, columns: tuple[Column, ...]):
        self.wrap = [(c, max((col.width - 2) / CJK_WIDTH, 1.0), {}) for c, col in enumerate(columns)
                     if col.kind == "wrap"]

    def __call__(self, row: tuple) -> float:
        lines = 1
        for c, per_line, cache in self.wrap:
            value = row[c]
            if not isinstance(value, str) or len(value) <= per_line and "\n" not in value:
                continue  # fits one line even if every character is wide
            n = cache.get(value)
            if n is None:
                n = cache[value] = sum(math.ceil(_em(part) / per_line) or 1 for part in value.split("\n"))
            if n > lines:
                lines = n
        return min(round(lines * LINE_POINTS + 4, 1), MAX_ROW_POINTS)


def _em(text: str) -> float:
    wide = (len(text.encode("utf-8")) - len(text)) / 2  # CJK take 3 bytes (2 more than ASCII)
    return wide + (len(text) - wide) * 0.6


class _Strings:
    """Shared strings appended after the ones XlsxWriter wrote: each text stored once."""

    def __init__(self, xml: str):
        m = re.search(r'count="(\d+)" uniqueCount="(\d+)"', xml)
        self.xml = xml
        self.count, self.start = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
        self.index: dict[str, int] = {}

    def ref(self, text: str) -> int:
        self.count += 1
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = self.start + len(self.index)
        return found

    def to_xml(self) -> str:
        head, _, tail = self.xml.rpartition("</sst>")
        head = re.sub(r'count="\d+" uniqueCount="\d+"',
                      f'count="{self.count}" uniqueCount="{self.start + len(self.index)}"', head, count=1)
        added = "".join(f'<si><t xml:space="preserve">{_xml_text(t)}</t></si>' for t in self.index)
        return head + added + "</sst>" + tail


def _rows_xml(rows: Iterable[tuple], first_row: int, columns: tuple[Column, ...], styles: list[int],
              letters: list[str], strings: _Strings) -> Iterable[str]:
    """Sheet XML `<row>` elements for `rows`, the first at 1-based row `first_row`."""
    height = _Heights(columns)
    starts = [f'<c r="{letter}' for letter in letters]
    blank = [f'" s="{s}"/>' for s in styles]
    string = [f'" s="{s}" t="s"><v>' for s in styles]
    number = [f'" s="{s}"><v>' for s in styles]
    ref = strings.ref
    for r, row in enumerate(rows, start=first_row):
        rs = str(r)
        cells = [f'<row r="{rs}" ht="{height(row)}" customHeight="1">']
        for c, value in enumerate(row):
            if value is None or value == "":
                cells.append(starts[c] + rs + blank[c])
            elif isinstance(value, str):
                cells.append(f"{starts[c]}{rs}{string[c]}{ref(value)}</v></c>")
            elif isinstance(value, bool):
                cells.append(f"{starts[c]}{rs}{string[c]}{ref('是' if value else '否')}</v></c>")
            elif isinstance(value, (int, float)):
                cells.append(f"{starts[c]}{rs}{number[c]}{value!r}</v></c>")
            elif isinstance(value, (date, datetime)):
                day = value.date() if isinstance(value, datetime) else value
                cells.append(f"{starts[c]}{rs}{number[c]}{(day - EXCEL_EPOCH).days}</v></c>")
            else:
                cells.append(f"{starts[c]}{rs}{string[c]}{ref(str(value))}</v></c>")
        cells.append("</row>")
        yield "".join(cells)


SST_PART = "xl/sharedStrings.xml"


def _splice(path: Path, pending: list[tuple[str, Table, list[int]]]) -> None:
    """Append rows 2… of each pending table to its sheet XML inside the saved package; their
    texts go to the shared strings (written last, after every sheet is known)."""
    parts = {part: (table, styles) for part, table, styles in pending}
    src = path.with_name(path.name + ".src")
    path.replace(src)
    try:
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
            names = zin.namelist()
            strings = _Strings(zin.read(SST_PART).decode("utf-8") if SST_PART in names else "")
            for info in zin.infolist():
                if info.filename == SST_PART:
                    continue
                data = zin.read(info)
                if info.filename not in parts:
                    zout.writestr(info, data)
                    continue
                table, styles = parts[info.filename]
                letters = [column_letter(c) for c in range(1, len(table.columns) + 1)]
                last_row = FIRST_DATA_ROW + len(table.rows)  # 1-based number of the last row
                head, tail = data.decode("utf-8").split("</sheetData>", 1)
                head = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{letters[-1]}{last_row}"/>', head, count=1)
                with zout.open(info.filename, "w") as out:
                    out.write(head.encode("utf-8"))
                    batch = []
                    for xml in _rows_xml(table.rows[1:], FIRST_DATA_ROW + 2, table.columns, styles, letters, strings):
                        batch.append(xml)
                        if len(batch) >= 2000:
                            out.write("".join(batch).encode("utf-8"))
                            batch.clear()
                    out.write("".join(batch).encode("utf-8"))
                    out.write(("</sheetData>" + tail).encode("utf-8"))
            if SST_PART in names:
                zout.writestr(zin.getinfo(SST_PART), strings.to_xml().encode("utf-8"))
    finally:
        src.unlink(missing_ok=True)


# --- reading a summary one level up -------------------------------------------------

def read_meta(path: str | Path) -> dict[str, str]:
    """The hidden metadata of any fengong workbook ({} when it has none)."""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        if META_SHEET not in wb.sheet_names:
            return {}
        rows = wb.get_sheet_by_name(META_SHEET).to_python()
    except Exception as exc:  # calamine raises its own error types on broken files
        raise UnreadableFileError(f"无法读取“{Path(path).name}”：{exc}。请让对方在 Excel/WPS 中重新保存后发送。") from exc
    meta = {}
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
            raise TemplateError(f"汇总表“{path.name}”缺少工作表“{DETAIL_SHEET}”，无法逐级汇总。请用 fengong rollup 重新生成。")
        values = wb.get_sheet_by_name(DETAIL_SHEET).to_python()
    except TemplateError:
        raise
    except Exception as exc:
        raise UnreadableFileError(f"无法读取汇总表“{path.name}”：{exc}。") from exc
    required = list(required)
    for h, row in enumerate(values[:10]):
        headers = [str(v).strip() if v is not None else "" for v in row]
        if all(name in headers for name in required):
            break
    else:
        raise TemplateError(f"汇总表“{path.name}”工作表“{DETAIL_SHEET}”找不到表头（需要：{'、'.join(required)}）。")
    index = {name: i for i, name in enumerate(headers) if name}
    rows = []
    for r, row in enumerate(values[h + 1:], start=h + 2):
        if not any(v not in (None, "") for v in row):
            continue
        rows.append((r, {name: (row[i] if i < len(row) else None) for name, i in index.items()}))
    return SummaryRows(meta, headers, rows)
