"""The 甘特图 sheet of the summary workbook, drawn with cells (XlsxWriter), and the small
chart of items due per month for 总览.

Cells instead of a picture, so staff can edit, filter and print it from Excel itself:
one column per month (per week when the range is short), cells filled in the colours and the
fill pattern of each row's 序时进度 (the PDF's hatches, readable on a black-and-white printer),
a solid fill for the progress part, 「◆」 for each milestone in the row's colours, the legend
above the table.

Called by the roll-up while it writes the summary:

    from toolkit.charts.sheet import write_gantt_sheet, overview_png
    write_gantt_sheet(workbook, plan, statuses, status_date=date(2016, 11, 30), due_days=30)
    overview_png(plan, statuses, status_date=date(2016, 11, 30), path=tmp / "总览.png")

`statuses` maps (item id, unit) to a `toolkit.model.reported.Reported` or a dict with keys
status / progress (a fraction 0–1, as in the workbooks) / done.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from toolkit.charts.timeline import (
    STYLES,
    Row,
    Statuses,
    add_months,
    build_rows,
    chart_range,
    group_rows,
    legend_styles,
    month_end,
    month_label,
    months_between,
    plan_year,
)
from toolkit.model import Plan
from toolkit.model.schedule import DUE_DAYS, LIGHT_COLOURS
from toolkit.model.text import em_prefix, em_width

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

SHEET = "甘特图"
TABLE_HEADERS = (("编号", 7), ("任务", 36), ("责任单位", 14), ("截止日期", 11), ("状态", 16), ("进度", 6))
STATE_COLUMN = 4
# The Excel fill pattern of each hatch of STYLES, so the sheet's cells carry the PDF's hatches:
# 1 solid, 11 light horizontal, 12 light vertical, 13 light down, 14 light up, 15 light grid,
# 16 light trellis, 17 gray 12.5%, and 6 dark vertical for the dense 「|||」. Where a spreadsheet
# blends a pattern into one colour (LibreOffice: 25 % of the stripe colour for 11–14, 37 % for 16,
# 50 % for 6) the red lamp's bars stay the darkest, and lighter than the solid progress part.
PATTERNS = {"": 1, "--": 11, "||": 12, "|||": 6, "\\\\\\": 13, "///": 14, "++": 15, "xxx": 16, "...": 17}
WEEKLY_UP_TO_MONTHS = 4  # ranges this short get one column per week
WEEK_WIDTH, MONTH_WIDTH = 4.6, 5.5  # a timeline column: 「10月」「26日」 or 「2016年」「11月」 on a line
LEGEND_ROW = 2  # 0-based: title, subtitle, the legend rows, then the table header
CJK_WIDTH, LINE_POINTS = 2.0, 13.5  # column-width units of one Chinese character, points a line (10 pt)
MAX_LINES = 3  # longer 任务 / 责任单位 texts end in 「…」 (the full text is on 任务明细)
MILESTONE = "◆"
LEGEND_NOTE = "图例：条形按序时进度着色（与汇总表“任务明细”的序时进度、亮灯一致），“状态”列写明填报状态和序时进度。"
PLAN_NOTE = "图例：尚无填报，条形为各事项的计划时段；汇总各单位报送后，按序时进度着色。"

Column: TypeAlias = tuple[date, date, str]  # a timeline column: first day, last day, header
# What a row's timeline cells depend on: style, bar start and end, end of the progress fill, kind, milestones.
BarKey: TypeAlias = tuple[str, date | None, date | None, date | None, str, tuple[date, ...]]


def write_gantt_sheet(
    workbook: Workbook,
    plan: Plan,
    statuses: Statuses | None = None,
    *,
    status_date: date,
    name: str = SHEET,
    date_from: date | None = None,
    date_to: date | None = None,
    units: list[str] | None = None,
    paper: str = "A3",
    due_days: int = DUE_DAYS,
) -> Worksheet:
    """Add sheet `name` to an XlsxWriter `workbook`: one row per item and unit, grouped by unit,
    each bar drawn by its 序时进度 (临期: due within `due_days`), the legend above the table.

    Returns the worksheet. Dates outside the range show in the 截止日期 column only.
    """
    rows = build_rows(plan, statuses, status_date=status_date, units=units, due_days=due_days)
    lo, hi = chart_range(rows, plan_year(plan), date_from, date_to)
    columns = _columns(lo, hi)
    ws = workbook.add_worksheet(name)
    fmt = _Formats(workbook)
    first = len(TABLE_HEADERS)
    last = first + len(columns) - 1
    ws.merge_range(0, 0, 0, last, f"{plan.short_title or plan.title}　进度甘特图", fmt.title)
    ws.merge_range(
        1,
        0,
        1,
        last,
        f"统计日期：{status_date.isoformat()}　时间范围：{month_label(lo)}—"
        f"{month_label(hi)}　共{len(rows)}项　（{'每列一周' if _weekly(lo, hi) else '每列一月'}）",
        fmt.subtitle,
    )
    width = WEEK_WIDTH if _weekly(lo, hi) else MONTH_WIDTH
    header_row = _legend(ws, fmt, rows, first, last, width)
    for c, (header, header_width) in enumerate(TABLE_HEADERS):
        ws.write_string(header_row, c, header, fmt.header)
        ws.set_column(c, c, header_width)
    for i, (a, b, label) in enumerate(columns):
        today_col = a <= status_date <= b
        ws.write_string(header_row, first + i, label, fmt.today if today_col else fmt.header)
    ws.set_column(first, last, width)
    ws.set_row(header_row, 27)
    r = header_row + 1
    for title, members in group_rows(rows, "unit", units):
        ws.merge_range(r, 0, r, last, title, fmt.group)
        r += 1
        shown: list[Row | None] = list(members) or [None]
        for row in shown:
            if row is None:
                ws.merge_range(r, 0, r, last, "（没有事项）", fmt.cell)
            else:
                lines = _write_row(ws, fmt, r, row, columns, first)
                # Excel and LibreOffice do not grow generated rows; the row's format is the empty
                # timeline cells' (writing 225,000 of them was most of a 50-unit district's sheet)
                ws.set_row(r, lines * LINE_POINTS + 4, fmt.blank)
            r += 1
    ws.print_area(0, 0, max(r - 1, header_row), last)  # the rows' format reaches past the table
    ws.freeze_panes(header_row + 1, first)
    ws.autofilter(header_row, 0, max(r - 1, header_row), first - 1)
    ws.set_landscape()
    ws.set_paper(8 if paper.upper() == "A3" else 9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    ws.set_footer("&C第 &P 页，共 &N 页")
    return ws


@lru_cache(maxsize=4096)  # a text is fitted once: every unit of an item shows the same requirement
def _fit(text: str, width: float) -> tuple[str, int]:
    """`text` cut to MAX_LINES lines of a column `width` units wide (with 「…」), and its lines (≥ 2)."""
    per_line = (width - 1) / CJK_WIDTH
    limit = per_line * MAX_LINES - 1  # slack: the spreadsheet may break a line a character early
    if em_width(text) > limit:  # the longest prefix that leaves room for 「…」
        text = text[: em_prefix(text, limit, room=1)] + "…"
    return text, max(2, math.ceil(em_width(text) / per_line))


def _weekly(lo: date, hi: date) -> bool:
    return months_between(lo, hi) <= WEEKLY_UP_TO_MONTHS


def _columns(lo: date, hi: date) -> list[Column]:
    """(first day, last day, header) of each timeline column."""
    out: list[Column] = []
    if _weekly(lo, hi):
        a = lo - timedelta(days=lo.weekday())
        while a <= hi:
            out.append((a, a + timedelta(days=6), f"{a.month}月\n{a.day}日"))  # 「10/10」 would wrap
            a += timedelta(days=7)
        return out
    m = lo
    while m <= hi:
        label = month_label(m) if m.month == 1 or m == lo else f"{m.month}月"
        out.append((m, month_end(m), label))
        m = add_months(m, 1)
    return out


def _write_row(ws: Worksheet, fmt: _Formats, r: int, row: Row, columns: list[Column], first: int) -> int:
    """Write one chart row; returns the lines of text it needs."""
    state = "\n".join(x for x in (row.state_label, row.pace_label) if x)
    task, task_lines = _fit(row.text, TABLE_HEADERS[1][1])
    unit, unit_lines = _fit(row.unit + ("（配合）" if row.co_unit else ""), TABLE_HEADERS[2][1])
    values = (row.item_id, task, unit, row.due_label, state)
    for c, v in enumerate(values):
        ws.write_string(r, c, v, fmt.lamp(row.light) if c == STATE_COLUMN else fmt.cell)
    if row.progress is not None:
        ws.write_number(r, 5, row.progress, fmt.pct)
    else:
        ws.write_blank(r, 5, None, fmt.cell)
    for i, (mark, f) in enumerate(_timeline(fmt, row, columns), start=first):
        if mark:
            ws.write_string(r, i, MILESTONE, f)
        elif f is not fmt.blank:  # empty cells take the row's format (write_gantt_sheet)
            ws.write_blank(r, i, None, f)
    return max(task_lines, unit_lines, state.count("\n") + 1)


def _timeline(fmt: _Formats, row: Row, columns: list[Column]) -> list[tuple[bool, Format]]:
    """(milestone?, format) of each timeline cell of `row`. The units of one item share their bars
    but for the progress, so the cells are worked out once per distinct bar (a 50-unit district
    draws 9,375 rows from 375 items)."""
    end = row.end or (columns[-1][1] if row.open_end else None)
    fill_to = None
    if row.start and end and row.progress and row.kind != "recurring":
        fill_to = row.start + (end - row.start) * row.progress
    key: BarKey = (row.style, row.start, end, fill_to, row.kind, tuple(row.milestones))
    cells = fmt.timelines.get(key)
    if cells is None:
        cells = fmt.timelines[key] = []
        style, marks = row.style, set(row.milestones)
        for a, b, _ in columns:
            covered = bool(row.start and end and row.start <= b and end >= a)
            if row.kind == "recurring" and row.milestones:
                covered = False
            if any(a <= m <= b for m in marks):  # in the row's colours, as the PDF's diamonds
                cells.append((True, fmt.mark(style)))
            else:
                cells.append((False, fmt.bar(style, solid=bool(fill_to and a <= fill_to)) if covered else fmt.blank))
    return cells


def _legend(ws: Worksheet, fmt: _Formats, rows: list[Row], first: int, last: int, width: float) -> int:
    """The legend above the table (so it prints once, whole, on the first page): the swatches of
    the styles `rows` are drawn in, then progress and milestones when drawn, flowed across the
    timeline columns (`width` units each). Returns the row of the table header under it."""
    styles = legend_styles(rows)
    entries = [(fmt.bar(key, solid=False), "", STYLES[key][0]) for key in styles]
    if any(r.progress for r in rows):
        entries.append((fmt.bar(styles[0], solid=True), "", "深色部分：已完成的进度"))
    entries.append((fmt.mark(None), MILESTONE, "时点 / 定期工作的每次节点"))
    r, c = LEGEND_ROW, first
    for f, mark, label in entries:
        span = max(1, math.ceil((em_width(label) * CJK_WIDTH + 1) / width))
        if c > first and c + span > last:
            r, c = r + 1, first
        if mark:
            ws.write_string(r, c, mark, f)
        else:
            ws.write_blank(r, c, None, f)
        end = min(c + span, last)
        if end > c + 1:
            ws.merge_range(r, c + 1, r, end, label, fmt.subtitle)
        else:
            ws.write_string(r, c + 1, label, fmt.subtitle)
        c += span + 1
    paced = any(row.pace for row in rows)
    ws.merge_range(LEGEND_ROW, 0, max(r, LEGEND_ROW + 1), first - 1, LEGEND_NOTE if paced else PLAN_NOTE, fmt.note)
    return max(r, LEGEND_ROW + 1) + 1


class _Formats:
    """XlsxWriter formats, created once per workbook and combination."""

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        base: dict[str, object] = {"font_name": "仿宋", "font_size": 10, "border": 1, "border_color": "#B0BEC5"}
        self.base = base
        self.title = wb.add_format({"font_name": "黑体", "font_size": 16, "bold": True})
        self.subtitle = wb.add_format({"font_name": "仿宋", "font_size": 10})
        self.header = wb.add_format(
            {
                **base,
                "font_name": "黑体",
                "bold": True,
                "bg_color": "#ECEFF1",
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        )
        self.today = wb.add_format(
            {
                **base,
                "font_name": "黑体",
                "bold": True,
                "bg_color": "#FFCDD2",
                "font_color": "#C62828",
                "align": "center",
                "valign": "vcenter",
            }
        )
        self.group = wb.add_format(
            {**base, "font_name": "黑体", "bold": True, "bg_color": "#E3F2FD", "font_color": "#0D47A1"}
        )
        self.cell = wb.add_format({**base, "text_wrap": True, "valign": "vcenter"})
        self.note = wb.add_format({"font_name": "仿宋", "font_size": 10, "text_wrap": True, "valign": "top"})
        self.pct = wb.add_format({**base, "num_format": "0%", "valign": "vcenter"})
        self.blank = wb.add_format(base)
        self.cache: dict[tuple[str, str | None] | tuple[str, str, bool], Format] = {}  # by (kind, style…)
        self.timelines: dict[BarKey, list[tuple[bool, Format]]] = {}  # the cells of each distinct bar

    def lamp(self, light: str) -> Format:
        """The 状态 cell in the summary's colours of its 亮灯 (plain without one)."""
        if light not in LIGHT_COLOURS:
            return self.cell
        key = ("lamp", light)
        if key not in self.cache:
            fill, ink = LIGHT_COLOURS[light]
            self.cache[key] = self.wb.add_format(
                {**self.base, "text_wrap": True, "valign": "vcenter", "bg_color": fill, "font_color": ink}
            )
        return self.cache[key]

    def bar(self, style: str, solid: bool) -> Format:
        key = ("bar", style, solid)
        if key not in self.cache:
            _, light, dark, hatch = STYLES[style]
            pattern = PATTERNS[hatch]
            spec: dict[str, object]
            if solid:
                spec = {"pattern": 1, "bg_color": dark}
            elif pattern == 1:
                spec = {"pattern": 1, "bg_color": light}
            else:  # fg_color is the colour of the stripes
                spec = {"pattern": pattern, "fg_color": dark, "bg_color": light}
            self.cache[key] = self.wb.add_format({**self.base, **spec})
        return self.cache[key]

    def mark(self, style: str | None) -> Format:
        key = ("mark", style)
        if key not in self.cache:
            spec = {**self.base, "align": "center", "valign": "vcenter", "font_name": "宋体"}
            if style:
                spec.update(bg_color=STYLES[style][1], font_color=STYLES[style][2])
            self.cache[key] = self.wb.add_format(spec)
        return self.cache[key]


def month_counts(
    plan: Plan, statuses: Statuses | None, status_date: date, due_days: int = DUE_DAYS
) -> tuple[int, dict[str, list[int]]]:
    """(plan year, chart style → items due in each of its 12 months): what the 总览 chart shows."""
    year = plan_year(plan)
    counts = {k: [0] * 12 for k in STYLES}
    for row in build_rows(plan, statuses, status_date=status_date, due_days=due_days):
        for d in row.milestones or ((row.due,) if row.due else ()):
            if d.year == year:
                counts[row.style][d.month - 1] += 1
    return year, counts


# Excel chart fill patterns for the hatches of STYLES (as the PDF and overview_png draw them).
CHART_PATTERNS = {
    "|||": "dark_vertical",
    "///": "wide_upward_diagonal",
    "...": "percent_20",
    "\\\\\\": "wide_downward_diagonal",
    "--": "light_horizontal",
    "xxx": "outlined_diamond",
    "++": "small_grid",
    "||": "light_vertical",
}
CHART_DATA_SHEET = "_chart"  # very hidden: the figures the 总览 chart draws


def overview_chart(
    workbook: Workbook,
    worksheet: Worksheet,
    plan: Plan,
    statuses: Statuses | None,
    *,
    status_date: date,
    row: int,
    col: int,
    due_days: int = DUE_DAYS,
) -> None:
    """The 总览 chart as a native Excel chart at (`row`, `col`) of `worksheet`: items due in each
    month, stacked by 序时进度 (as the 甘特图 bars), its figures on a very hidden sheet. Drawn by Excel/WPS themselves, so
    the roll-up needs no matplotlib (importing it and drawing the PNG took 0.5–1 s of a district's
    0.8 s roll-up); the same figures, colours and hatches as `overview_png`."""
    year, counts = month_counts(plan, statuses, status_date, due_days)
    data = workbook.add_worksheet(CHART_DATA_SHEET)
    data.very_hidden()
    data.write_row(0, 1, [f"{m}月" for m in range(1, 13)])
    dated = [k for k in STYLES if any(counts[k])]
    shown = dated or ["plan"]  # Excel needs one series: all zeros when nothing is due this year
    chart = workbook.add_chart({"type": "column", "subtype": "stacked"})
    assert chart is not None  # XlsxWriter returns None only for an unknown chart type
    for r, key in enumerate(shown, start=1):
        label, light, dark, hatch = STYLES[key]
        data.write_string(r, 0, label)
        data.write_row(r, 1, counts[key])
        look = (
            {"pattern": {"pattern": CHART_PATTERNS[hatch], "fg_color": dark, "bg_color": light}}
            if hatch
            else {"fill": {"color": light}}
        )
        chart.add_series(
            {
                "name": [CHART_DATA_SHEET, r, 0],
                "categories": [CHART_DATA_SHEET, 0, 1, 0, 12],
                "values": [CHART_DATA_SHEET, r, 1, r, 12],
                "border": {"color": dark, "width": 0.5},
                "gap": 43,
                **look,
            }
        )
    title = f"{year}年各月到期事项（按序时进度，统计日期 {status_date.isoformat()}）"
    if not dated:
        title += "：本年度没有带截止日期的事项"
    chart.set_title({"name": title, "name_font": {"size": 9, "bold": False}})
    # No legend for the empty series (as overview_png)
    chart.set_legend({"position": "right", "font": {"size": 8}} if dated else {"none": True})
    chart.set_x_axis({"num_font": {"size": 8}})
    chart.set_y_axis({"num_font": {"size": 8}, "min": 0, "major_gridlines": {"visible": False}})
    chart.set_size({"width": 560, "height": 230})
    worksheet.insert_chart(row, col, chart, {"object_position": 3})


def overview_png(plan: Plan, statuses: Statuses | None, *, status_date: date, path: str | Path) -> Path:
    """A small chart for 总览: items due in each month, stacked by 序时进度 (PNG, ~6×2.6 in)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    from toolkit.fonts import use_in_matplotlib

    use_in_matplotlib()
    year, counts = month_counts(plan, statuses, status_date)
    months = [date(year, m, 1) for m in range(1, 13)]
    fig = Figure(figsize=(6.2, 2.6), dpi=100)
    ax = fig.add_axes((0.07, 0.2, 0.7, 0.66))
    bottom = [0] * 12
    x = list(range(12))
    for key, (label, light, dark, hatch) in STYLES.items():
        if any(counts[key]):
            ax.bar(
                x,
                counts[key],
                bottom=bottom,
                color=light,
                edgecolor=dark,
                hatch=hatch or None,
                linewidth=0.6,
                label=label,
                width=0.7,
            )
            bottom = [b + c for b, c in zip(bottom, counts[key])]
    ax.set_xticks(x, [f"{m.month}月" for m in months], fontsize=8)
    ax.tick_params(axis="y", labelsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"{year}年各月到期事项（按序时进度，统计日期 {status_date.isoformat()}）", fontsize=9)
    if status_date.year == year:
        ax.axvline(status_date.month - 1 + status_date.day / 31 - 0.5, color="#d32f2f", linestyle="--", linewidth=1)
    ax.spines[["top", "right"]].set_visible(False)
    if any(bottom):
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
    else:
        ax.text(5.5, 0.5, "本年度没有带截止日期的事项", ha="center", fontsize=9)
        ax.set_ylim(0, 1)
    path = Path(path)
    fig.savefig(path, dpi=100)
    return path
