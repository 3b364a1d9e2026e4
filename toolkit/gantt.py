"""Gantt-style deadline charts to print for the meeting: a paginated PDF (matplotlib).

Rows come from `toolkit.timeline`; this module pages them (fixed rows per page, breaking
at group boundaries where possible) and draws every page on one reused figure whose
artists are collections updated in place — no new figure per page, no tight_layout.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from toolkit.errors import NothingToChartError, UsageError
from toolkit.model import Plan
from toolkit.timeline import (
    Row, build_rows, chart_range, group_rows, month_end, month_label, plan_year, text_width,
)

COLUMNS = ("编号", "任务", "责任单位", "截止日期", "状态")
GROUPS = {"unit": "按责任单位", "task": "按工作任务"}


@dataclass(frozen=True)
class Paper:
    """Page geometry in inches: size (landscape), rows per page, body font, table column widths."""

    size: tuple[float, float]
    rows: int
    font: float
    columns: tuple[float, ...]


PAPERS = {
    "A3": Paper((16.54, 11.69), 30, 7.5, (0.55, 3.8, 1.4, 0.95, 0.95)),
    "A4": Paper((11.69, 8.27), 18, 6.8, (0.45, 2.45, 1.05, 0.82, 0.8)),
}


@dataclass
class ChartOptions:
    """What to chart and how. Dates default from the plan (see `toolkit.timeline`)."""

    paper: str = "A3"
    group: str = "unit"
    status_date: date | None = None
    date_from: date | None = None
    date_to: date | None = None
    units: list[str] | None = None
    period: str = ""
    png: bool = False


@dataclass
class Line:
    """One slot of a page: a group header (row is None) or a chart row (header is None)."""

    row: Row | None = None
    header: str | None = None


@dataclass
class ChartResult:
    """The PDF written, its page and row counts, and the PNGs of its pages (with --png)."""

    path: Path
    pages: int
    rows: int
    pngs: list[Path] = field(default_factory=list)


# ---------------------------------------------------------------- text

TOKEN_RE = re.compile(r"[A-Za-z0-9０-９][A-Za-z0-9０-９.．:/_%％\-]*|\s+|.", re.S)
NO_LINE_START = set("，。、；：？！）》」』】〕,.;:?!)%％")


def wrap(text: str, width: float, max_lines: int) -> list[str]:
    """Wrap by display width; numbers and codes (2016年 → "2016", "3-2", URLs) stay whole.

    Closing punctuation never starts a line. Overflow ends the last line with "…".
    """
    text = " ".join(text.split())
    lines: list[str] = []
    cur, cur_w = "", 0.0
    for tok in TOKEN_RE.findall(text):
        w = text_width(tok)
        if cur_w + w > width and cur and not (tok in NO_LINE_START and cur_w + w <= width + 1):
            lines.append(cur.rstrip())
            cur, cur_w = "", 0.0
            if tok.isspace():
                continue
        while w > width:  # a code longer than a whole line: the only place it may split
            cut = _fit(tok, width - cur_w)
            lines.append(cur + tok[:cut])
            tok, cur, cur_w = tok[cut:], "", 0.0
            w = text_width(tok)
        cur += tok
        cur_w += w
    if cur.strip():
        lines.append(cur.rstrip())
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last) + 1 > width:
            last = last[:-1]
        lines = lines[: max_lines - 1] + [last + "…"]
    return lines


def _fit(text: str, width: float) -> int:
    w = 0.0
    for i, c in enumerate(text):
        w += text_width(c)
        if w > width:
            return max(i, 1)
    return len(text)


# ---------------------------------------------------------------- pages

def paginate(groups: list[tuple[str, list[Row]]], per_page: int) -> list[list[Line]]:
    """Fixed slots per page. A group that fits on a fresh page moves there when the current
    page is at least half full; longer groups are split with a 「（续）」 header."""
    per_page = max(per_page, 3)
    pages: list[list[Line]] = []
    cur: list[Line] = []
    for title, rows in groups:
        pending: list[Row | None] = list(rows) or [None]
        first = True
        while pending:
            free = per_page - len(cur)
            need = 1 + len(pending)
            moves = first and need > free and need <= per_page and len(cur) >= per_page // 2
            if cur and (free < 2 or moves):
                pages.append(cur)
                cur = []
                continue
            take = min(len(pending), free - 1)
            cur.append(Line(header=title if first else f"{title}（续）"))
            cur.extend(Line(row=r) for r in pending[:take])
            pending = pending[take:]
            first = False
            if len(cur) >= per_page:
                pages.append(cur)
                cur = []
    if cur:
        pages.append(cur)
    return pages


# ---------------------------------------------------------------- job

def chart(source: str | Path, output: str | Path, options: ChartOptions | None = None) -> ChartResult:
    """Chart SOURCE (a plan, unit or summary workbook) into a PDF at `output`."""
    from toolkit.io.chartsource import read_source

    options = options or ChartOptions()
    found = read_source(source)
    options = replace(options, period=options.period or found.period,
                      status_date=options.status_date or found.status_date)
    return chart_plan(found.plan, found.statuses, output, options)


def chart_plan(plan: Plan, statuses: Mapping | None, output: str | Path,
               options: ChartOptions | None = None) -> ChartResult:
    """Chart a plan with optional status per (item id, unit) into a paginated PDF."""
    from toolkit.gantt_pdf import PageDrawer
    from toolkit.io.atomic import atomic_path

    options = options or ChartOptions()
    paper = _paper(options)
    today = options.status_date or date.today()
    if options.units:
        unknown = [u for u in options.units if u not in plan.units]
        if unknown:
            raise UsageError(f"以下单位不在方案“{plan.title or plan.source}”中：{'、'.join(unknown)}。"
                             f"方案中的单位有：{'、'.join(plan.units[:30])}{'等' if len(plan.units) > 30 else ''}。")
    rows = build_rows(plan, statuses, status_date=today, units=options.units)
    if not rows and not options.units:
        raise NothingToChartError(f"方案“{plan.title or plan.source}”中没有任何事项，无法绘制甘特图。"
                                  "请先用 fengong import 导入方案，并检查“方案”工作表是否有数据行。")
    lo, hi = chart_range(rows, plan_year(plan), options.date_from, options.date_to)
    pages = paginate(group_rows(rows, options.group, options.units), paper.rows)
    title = f"{plan.short_title or plan.title or '分工方案'}　进度甘特图"
    subtitle = "　".join(x for x in (
        f"报送期：{options.period}" if options.period else "",
        f"统计日期：{today.year}年{today.month}月{today.day}日",
        f"时间范围：{month_label(lo)}—{month_label(hi)}",
        GROUPS.get(options.group, ""),
        f"共{len(rows)}项",
    ) if x)
    output = Path(output)
    drawer = PageDrawer(paper, lo, hi, today, title, subtitle)
    with atomic_path(output, suffix=".pdf") as tmp:
        pngs = drawer.save(pages, tmp, png_stem=output.with_suffix("") if options.png else None)
    return ChartResult(output, len(pages), len(rows), pngs)


def _paper(options: ChartOptions) -> Paper:
    try:
        return PAPERS[options.paper.upper()]
    except KeyError:
        raise UsageError(f"纸张“{options.paper}”不支持，请用 A3 或 A4。") from None



def parse_month(text: str, end: bool = False) -> date:
    """「2016-06」「2016-6」「2016年6月」 or a full date → a date (month end when `end`)."""
    m = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:\s*[-/.]?\s*(\d{1,2})\s*日?)?\s*", text or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise UsageError(f"无法识别的月份“{text}”，请写成 2016-06 或 2016-06-30 的形式。")
    y, mo = int(m.group(1)), int(m.group(2))
    if m.group(3):
        try:
            return date(y, mo, int(m.group(3)))
        except ValueError:
            raise UsageError(f"日期“{text}”不存在，请检查。") from None
    return month_end(date(y, mo, 1)) if end else date(y, mo, 1)
