"""The summary workbook's sheets, each column declared once with the getter that fills it, laid
out from the typed `Summary` (written by toolkit.io.summary)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.io import schema as S
from toolkit.io.summary import (
    DETAIL_SHEET,
    FILE_COLUMN,
    FIRST_DATA_ROW,
    OVERVIEW_SHEET,
    PARENT_COLUMN,
    STATE_COLUMN,
    STATE_MISSING,
    SUB_UNIT_COLUMN,
    UNIT_COLUMN,
    Column,
    SummaryBook,
    Table,
)
from toolkit.model.period import Period
from toolkit.model.reported import Reported
from toolkit.model.schedule import LIGHT_COLOURS, Pace, light_of
from toolkit.model.vocabulary import Status
from toolkit.reports.escalation import level
from toolkit.rollup.changes import Change
from toolkit.rollup.entry import NO_STATUS, STATE_SOON, Entry
from toolkit.rollup.figures import Summary, UnitStats

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook

UNIT_STATUS_ORDER = (Status.DONE, Status.DOING, Status.ONGOING, Status.NOT_STARTED, Status.PAUSED)  # 分单位统计
GANTT_MAX_ITEMS = 400  # larger plans get no 甘特图 sheet (a 30 000-row chart helps nobody)
ROLE_COLUMN = "单位职责"
PACE_COLUMN, LIGHT_COLUMN, LEVEL_COLUMN = "序时进度", "亮灯", "督办等级"
SCORE_SHEET, YEAR_END_SHEET = "考核评分", "全年工作"


def _id(e: Entry) -> str:
    return e.item.id


def _task(e: Entry) -> str:
    return e.item.task


def _due(e: Entry) -> object:
    return e.item.deadline.due


def _contact_columns() -> tuple[Column, Column]:
    """联系人 and 电话 of a unit (UnitStats or MissingUnit): whom the clerk calls."""
    return (Column("联系人", 10, "wrap", attrgetter("contact")), Column("电话", 14, "center", attrgetter("phone")))


def _light(e: Entry) -> str:
    """亮灯 of an entry: the 序时进度's lamp, amber when 临期."""
    return light_of(e.pace, e.state == STATE_SOON) if e.pace else ""


def _level(e: Entry) -> str:
    return level(e.streak)


PACE_COLUMNS = (Column(PACE_COLUMN, 9, "center", attrgetter("pace")), Column(LIGHT_COLUMN, 7, "center", _light))


DETAIL_COLUMNS = (
    Column(S.ID, 8, "center", _id),
    Column("工作任务", 18, "wrap", _task),
    Column("具体要求", 40, "wrap", lambda e: e.item.requirement),
    Column(UNIT_COLUMN, 14, "wrap", attrgetter("unit")),
    Column(ROLE_COLUMN, 7, "center", attrgetter("role")),
    Column(SUB_UNIT_COLUMN, 14, "wrap", attrgetter("sub_unit")),
    Column("完成时限", 14, "wrap", lambda e: e.item.deadline_text),
    Column(S.DUE, 11, "date", _due),
    Column(S.STATUS, 9, "center", attrgetter("status")),
    Column(S.PROGRESS, 9, "pct", attrgetter("progress")),
    Column(S.PROGRESS_TEXT, 36, "wrap", attrgetter("progress_text")),
    Column(S.EVIDENCE, 22, "wrap", attrgetter("evidence")),
    Column(S.DONE_DATE, 11, "date", attrgetter("done_date")),
    Column(S.ISSUES, 24, "wrap", attrgetter("issues")),
    Column(S.NOTES, 12, "wrap", attrgetter("notes")),
    Column(STATE_COLUMN, 9, "center", attrgetter("state")),
    *PACE_COLUMNS,
    Column(LEVEL_COLUMN, 9, "center", _level),
    Column(FILE_COLUMN, 24, "clip", attrgetter("file")),
    Column(PARENT_COLUMN, 8, "center", lambda e: e.item.parent_id or ""),
)


def _status_count(status: str, stats: UnitStats) -> int:
    return stats.by_status[status]


def _pace_count(pace: Pace, stats: UnitStats) -> int:
    return stats.by_pace.get(pace, 0)


UNIT_COLUMNS = (
    Column("单位", 20, "wrap", attrgetter("unit")),
    *_contact_columns(),
    Column("事项数", 8, "int", attrgetter("entries")),
    *(Column(status, 8, "int", partial(_status_count, status)) for status in UNIT_STATUS_ORDER),
    Column(NO_STATUS, 8, "int", attrgetter("no_status")),
    Column(STATE_MISSING, 8, "int", attrgetter("not_reported")),
    Column("逾期", 8, "int", attrgetter("overdue")),
    Column("临期", 8, "int", attrgetter("due_soon")),
    Column("完成率", 8, "pct", attrgetter("completion_rate")),
    *(Column(p.value, 8, "int", partial(_pace_count, p)) for p in (Pace.AHEAD, Pace.ON, Pace.BEHIND, Pace.WAITING)),
    Column("按序时推进率", 10, "pct", attrgetter("push_rate")),
    Column(LIGHT_COLUMN, 8, "center", attrgetter("light")),
    Column("得分", 8, "center", attrgetter("score")),
    Column("排名", 7, "int", attrgetter("rank")),
    Column("排名变化", 9, "center", attrgetter("rank_change")),
    Column("报送情况", 9, "center", lambda s: "已报送" if s.reported else "未报送"),
    Column("填报日期", 12, "center", lambda s: s.filled.isoformat() if s.filled else ""),
    Column("按时报送", 9, "center", attrgetter("on_time")),
    Column("报送文件", 36, "clip", attrgetter("file")),
    Column("问题数", 8, "int", attrgetter("problems")),
)
# 逾期事项 and 临期事项: these columns, the days overdue / left, then the tail.
DEADLINE_HEAD = (
    Column(S.ID, 8, "center", _id),
    Column("工作任务", 18, "wrap", _task),
    Column("具体要求", 44, "wrap", lambda e: e.item.requirement),
    Column(UNIT_COLUMN, 14, "wrap", attrgetter("unit")),
    Column(SUB_UNIT_COLUMN, 14, "wrap", attrgetter("sub_unit")),
    Column(S.DUE, 11, "date", _due),
)
DEADLINE_TAIL = (
    Column(S.STATUS, 9, "center", attrgetter("status")),
    Column(S.PROGRESS, 9, "pct", attrgetter("progress")),
    Column(S.PROGRESS_TEXT, 36, "wrap", attrgetter("progress_text")),
    Column(S.ISSUES, 28, "wrap", attrgetter("issues")),
    Column(STATE_COLUMN, 9, "center", attrgetter("state")),
    *PACE_COLUMNS,
)
LATE_COLUMNS = (
    *DEADLINE_HEAD,
    Column("逾期天数", 8, "int", lambda e: -e.days),
    *DEADLINE_TAIL,
    Column("连续期数", 8, "int", attrgetter("streak")),
    Column(LEVEL_COLUMN, 9, "center", _level),
)
SOON_COLUMNS = (*DEADLINE_HEAD, Column("剩余天数", 8, "int", attrgetter("days")), *DEADLINE_TAIL)


def year_end_groups(entries: list[Entry]) -> list[list[Entry]]:
    """The 全年工作 due at the year's end, one group per item (plan order)."""
    groups: dict[str, list[Entry]] = {}
    for e in entries:
        groups.setdefault(e.item.id, []).append(e)
    return list(groups.values())


def _who(e: Entry) -> str:
    return f"{e.unit}（{e.sub_unit}）" if e.sub_unit else e.unit


def _pace_counts(group: list[Entry]) -> str:
    counts = Counter(e.pace for e in group)
    return "、".join(f"{p.value} {counts[p]}" for p in Pace if counts[p])


YEAR_END_COLUMNS = (
    Column(S.ID, 8, "center", lambda g: g[0].item.id),
    Column("工作任务", 18, "wrap", lambda g: g[0].item.task),
    Column("具体要求", 44, "wrap", lambda g: g[0].item.requirement),
    Column("完成时限", 14, "wrap", lambda g: g[0].item.deadline_text),
    Column(S.DUE, 11, "date", lambda g: _due(g[0])),
    Column("未完成单位数", 9, "int", len),
    Column("未完成单位", 36, "wrap", lambda g: "、".join(_who(e) for e in g)),
    Column(PACE_COLUMN, 18, "wrap", _pace_counts),
)
SCORE_COLUMNS = (
    Column("单位", 22, "wrap", attrgetter("unit")),
    Column("规则", 16, "center", attrgetter("rule")),
    Column(S.ID, 8, "center", attrgetter("item_id")),
    Column("工作任务", 30, "wrap", attrgetter("task")),
    Column("分值", 8, "center", attrgetter("points")),
    Column("说明", 30, "wrap", attrgetter("note")),
)
MISSING_COLUMNS = (
    Column("单位", 22, "wrap", attrgetter("unit")),
    *_contact_columns(),
    Column("应报事项数", 10, "int", attrgetter("items")),
    Column("其中牵头", 10, "int", attrgetter("lead_items")),
    Column("其中逾期", 10, "int", attrgetter("overdue")),
    Column("情况说明", 80, "wrap", attrgetter("reason")),
    Column("连续未报送期数", 10, "int", attrgetter("streak")),
    Column("催报等级", 9, "center", lambda m: level(m.streak)),
)
# 校验问题 rows are (unit, problem): the unit that sent the file, so the clerk knows whom to call.
PROBLEM_COLUMNS = (
    Column("单位", 16, "wrap", lambda up: up[0]),
    Column("报送文件", 30, "wrap", lambda up: up[1].file),
    Column("级别", 7, "center", lambda up: up[1].severity),
    Column("工作表", 12, "center", lambda up: up[1].sheet),
    Column("单元格", 9, "center", lambda up: up[1].cell),
    Column(S.ID, 8, "center", lambda up: up[1].item_id),
    Column("问题及处理办法", 90, "wrap", lambda up: up[1].message),
)
CHANGE_COLUMNS = (
    Column("变化", 9, "center", attrgetter("kind")),
    Column(S.ID, 8, "center", lambda c: c.entry.item.id),
    Column("工作任务", 24, "wrap", lambda c: c.entry.item.task),
    Column(UNIT_COLUMN, 16, "wrap", lambda c: c.entry.unit),
    Column(SUB_UNIT_COLUMN, 14, "wrap", lambda c: c.entry.sub_unit),
    Column(S.DUE, 11, "date", attrgetter("due")),
    Column("上期状态", 10, "center", attrgetter("old_status")),
    Column("本期状态", 10, "center", lambda c: c.entry.status),
    Column("上期进度", 9, "pct", attrgetter("old_progress")),
    Column("本期进度", 9, "pct", lambda c: c.entry.progress),
    Column("进度变化", 9, "pct", attrgetter("delta")),
)


def unit_row(stats: UnitStats) -> dict[str, object]:
    """One row of 分单位统计 keyed by its headers (the `units` of `fengong rollup --json`)."""
    return {c.header: c.get(stats) for c in UNIT_COLUMNS if c.get}


def build_book(summary: Summary, paper: str, gantt_dir: Path | None) -> SummaryBook:
    """The summary workbook of `summary`; with `gantt_dir` (a scratch folder for the chart image)
    the 甘特图 sheet and the 总览 chart are added."""
    o, plan = summary.overview, summary.plan
    title = f"{plan.title or '分工方案'}落实情况汇总（{o.period.label}）"
    generated = o.generated_at.isoformat(sep=" ", timespec="seconds")
    subtitle = f"汇总单位：{o.own_unit}　统计日期：{o.as_of.isoformat()}　生成时间：{generated}"
    late, soon = summary.late, summary.soon
    order = {item.id: i for i, item in enumerate(plan.items)}
    problems = sorted(
        summary.problem_units,  # by file, errors first, then in plan order
        key=lambda up: (up[1].file, up[1].severity.rank, order.get(up[1].item_id, -1)),
    )
    tables = [
        Table.of("分单位统计", UNIT_COLUMNS, summary.units),
        Table.of(DETAIL_SHEET, DETAIL_COLUMNS, summary.entries),
        Table.of(
            "逾期事项",
            LATE_COLUMNS,
            late,
            _note(
                late,
                f"截至 {o.as_of.isoformat()} 已过截止日期、未完成的事项（含未报送单位的事项）。",
                f"截至 {o.as_of.isoformat()}，本期无逾期事项。",
            ),
        ),
        Table.of(
            "临期事项",
            SOON_COLUMNS,
            soon,
            _note(
                soon,
                f"{o.as_of.isoformat()} 起 {o.due_days} 天内到期、未完成的事项。",
                f"{o.as_of.isoformat()} 起 {o.due_days} 天内，本期无临期事项。",
            ),
        ),
        Table.of("未报送单位", MISSING_COLUMNS, summary.missing, _note(summary.missing, "", "本期各单位均已报送。")),
        Table.of("校验问题", PROBLEM_COLUMNS, problems, _note(problems, "", "报送文件均未发现问题。")),
        Table.of("本月变化", CHANGE_COLUMNS, summary.changes, _change_note(summary.previous_period, summary.changes)),
        Table.of(
            YEAR_END_SHEET,
            YEAR_END_COLUMNS,
            year_end_groups(summary.year_end),
            f"全年工作于年底到期，不列入临期事项；{o.as_of.isoformat()} 起 {o.due_days} 天内到年底时，"
            "每项一行列出尚未完成的单位。",
        ),
        Table.of(
            SCORE_SHEET,
            SCORE_COLUMNS,
            summary.scores,
            "得分 = 基础分 + 下列各项加减分（规则见方案工作簿“考核规则”表）；未列出的单位本期无扣分。",
        ),
    ]
    meta = {
        "plan_id": plan.plan_id,
        "plan_hash": plan.content_hash,
        "plan_title": plan.title,
        "unit": o.own_unit,
        "period": str(o.period),
        "generated_at": datetime.now().isoformat(timespec="seconds"),
        "units": "、".join(plan.units),
        "as_of": o.as_of.isoformat(),  # what `fengong gantt` judges the 序时进度 by, as the summary did
        "due_days": str(o.due_days),
    }
    book = SummaryBook(title, subtitle, o.pairs(), tables, meta, paper=paper)
    book.add_sheets.append(_colour_rows(tables))
    if gantt_dir and len(plan.items) <= GANTT_MAX_ITEMS:
        _add_gantt(book, summary)
    elif gantt_dir:
        book.overview.append(
            (
                "甘特图",
                (
                    f"方案共 {len(plan.items)} 项，超过 {GANTT_MAX_ITEMS} 项，未放入汇总表（打印也难以阅读）。"
                    "请用 fengong gantt 汇总表.xlsx -o 甘特图.pdf 按单位分页生成。"
                ),
            )
        )
    return book


def _note(rows: list[Any], subtitle: str, empty: str) -> str:
    """A table's subtitle; an empty list says so instead of showing a bare header."""
    return subtitle if rows else empty


LIT_SHEETS = ("分单位统计", DETAIL_SHEET, "逾期事项", "临期事项")


def _colour_rows(tables: list[Table]) -> Callable[[Workbook, dict[str, Format]], None]:
    """A hook colouring each row of the lit sheets by its 亮灯 text (red / amber / green), the same
    colours as the unit workbooks and the charts; the text stays, so a greyscale print says it too."""
    from xlsxwriter.utility import xl_col_to_name

    from toolkit.io.summary import FIRST_DATA_ROW

    def hook(wb: Workbook, fmts: dict[str, Format]) -> None:
        lamps = {
            name: wb.add_format({"bg_color": fill, "font_color": ink}) for name, (fill, ink) in LIGHT_COLOURS.items()
        }
        for table in tables:
            if table.name not in LIT_SHEETS or not table.rows:
                continue
            c = next(i for i, col in enumerate(table.columns) if col.header == LIGHT_COLUMN)
            ws = wb.get_worksheet_by_name(table.name)
            first, last = FIRST_DATA_ROW, FIRST_DATA_ROW + len(table.rows) - 1
            letter = xl_col_to_name(c)
            for name, fmt in lamps.items():
                ws.conditional_format(
                    first,
                    0,
                    last,
                    len(table.columns) - 1,
                    {"type": "formula", "criteria": f'=${letter}{first + 1}="{name}"', "format": fmt},
                )

    return hook


def _change_note(previous: Period | None, rows: list[Change]) -> str:
    """本月变化 against the previous stored period."""
    if not previous:
        return "没有上期数据（首次汇总或未启用历史库），无法比较。"
    return f"与 {previous.label} 比较。" if rows else f"与 {previous.label} 相比，各事项状态和进度均无变化。"


def _add_gantt(book: SummaryBook, summary: Summary) -> None:
    """The 甘特图 sheet and the 总览 chart."""
    from toolkit.charts.sheet import overview_chart, write_gantt_sheet

    plan, as_of, days = summary.plan, summary.overview.as_of, summary.overview.due_days
    statuses = chart_statuses(summary.entries)
    book.add_sheets.append(
        lambda wb, fmts: write_gantt_sheet(wb, plan, statuses, status_date=as_of, paper=book.paper, due_days=days)
    )
    book.add_sheets.append(
        lambda wb, fmts: overview_chart(
            wb,
            wb.get_worksheet_by_name(OVERVIEW_SHEET),
            plan,
            statuses,
            status_date=as_of,
            row=FIRST_DATA_ROW,
            col=3,
            due_days=days,
        )
    )


# Which sub-unit's row a unit's chart row shows: a red one (逾期, then 欠序时) before any other
# not done, 已完成 only when all are; the first of equals.
BEHIND_FIRST: dict[str, int] = {p: {Pace.OVERDUE: 0, Pace.BEHIND: 1, Pace.DONE: 3}.get(p, 2) for p in Pace}


def chart_statuses(entries: list[Entry]) -> dict[tuple[str, str], Reported]:
    """What the charts draw per item × unit, through the one adapter (`Reported.of`); one level
    up, the state of the least advanced sub-unit (`BEHIND_FIRST`), so the chart's row says what
    that sub-unit's row of 任务明细 says."""
    chosen: dict[tuple[str, str], Entry] = {}
    for e in entries:
        key = (e.item.id, e.unit)
        if key not in chosen or BEHIND_FIRST[e.pace] < BEHIND_FIRST[chosen[key].pace]:
            chosen[key] = e
    return {
        key: Reported.of(e.status, e.progress, e.done_date, reported=e.state != STATE_MISSING)
        for key, e in chosen.items()
    }
