"""Gantt-style deadline charts to print for the meeting: a paginated PDF (matplotlib).

Rows come from `toolkit.charts.timeline`; this module pages them (fixed rows per page, breaking
at group boundaries where possible) and draws every page on one reused figure whose
artists are collections updated in place — no new figure per page, no tight_layout.
"""

from __future__ import annotations

import re
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from toolkit.charts.layout import PAPERS, Paper, paginate
from toolkit.charts.timeline import (
    Statuses,
    build_rows,
    chart_range,
    group_rows,
    legend_styles,
    month_end,
    month_label,
    plan_year,
)
from toolkit.model import Plan
from toolkit.model.directory import chosen_units
from toolkit.model.errors import NothingToChartError, UsageError
from toolkit.model.schedule import DUE_DAYS

GROUPS = {"unit": "按责任单位", "task": "按工作任务"}


@dataclass
class ChartOptions:
    """What to chart and how. Dates default from the plan (see `toolkit.charts.timeline`)."""

    paper: str = "A3"
    group: str = "unit"
    status_date: date | None = None
    date_from: date | None = None
    date_to: date | None = None
    units: list[str] | None = None
    period: str = ""
    png: bool = False
    due_days: int | None = None  # 临期 days of the 序时进度 colours (None: the summary's, else 30)


@dataclass
class ChartResult:
    """The PDF written, its page and row counts, and the PNGs of its pages (with --png)."""

    path: Path
    pages: int
    rows: int
    pngs: list[Path] = field(default_factory=list)


def chart(source: str | Path, output: str | Path, options: ChartOptions | None = None) -> ChartResult:
    """Chart SOURCE (a plan, unit or summary workbook) into a PDF at `output`."""
    from toolkit.io.atomic import guard_output
    from toolkit.io.chartsource import read_source

    options = options or ChartOptions()
    guard_output(output, inputs=[("来源工作簿", source)])
    found = read_source(source)
    options = replace(
        options,
        period=options.period or found.period,
        status_date=options.status_date or found.status_date,
        due_days=found.due_days if options.due_days is None else options.due_days,
    )
    return chart_plan(found.plan, found.statuses, output, options)


def chart_plan(
    plan: Plan, statuses: Statuses | None, output: str | Path, options: ChartOptions | None = None
) -> ChartResult:
    """Chart a plan with optional status per (item id, unit) into a paginated PDF."""
    from toolkit.charts.pdf import PageDrawer
    from toolkit.io.atomic import atomic_path, require_suffix

    options = options or ChartOptions()
    paper = _paper(options)
    today = options.status_date or date.today()
    if options.units:  # another spelling or a collective: the units it means
        options = replace(options, units=chosen_units(plan, options.units))
    due_days = DUE_DAYS if options.due_days is None else options.due_days
    rows = build_rows(plan, statuses, status_date=today, units=options.units, due_days=due_days)
    if not rows and not options.units:
        raise NothingToChartError(
            f"方案“{plan.title or plan.source}”中没有任何事项，无法绘制甘特图。"
            "请先用 fengong import 导入方案，并检查“方案”工作表是否有数据行。"
        )
    lo, hi = chart_range(rows, plan_year(plan), options.date_from, options.date_to)
    pages = paginate(group_rows(rows, options.group, options.units), paper.rows)
    title = f"{plan.short_title or plan.title or '分工方案'}　进度甘特图"
    subtitle = "　".join(
        x
        for x in (
            f"报送期：{options.period}" if options.period else "",
            f"统计日期：{today.year}年{today.month}月{today.day}日",
            f"时间范围：{month_label(lo)}—{month_label(hi)}",
            GROUPS.get(options.group, ""),
            f"共{len(rows)}项",
        )
        if x
    )
    output = require_suffix(output, ".pdf", "甘特图")
    progress = any(r.progress for r in rows)
    drawer = PageDrawer(paper, lo, hi, today, title, subtitle, legend_styles(rows), progress)
    pngs = [output.with_name(f"{output.stem}-{i}.png") for i in range(1, len(pages) + 1)] if options.png else []
    with ExitStack() as written:  # the PDF and its PNGs appear together, or none of them
        tmp = written.enter_context(atomic_path(output, suffix=".pdf"))
        drawer.save(pages, tmp, (lambda i: written.enter_context(atomic_path(pngs[i - 1]))) if pngs else None)
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
