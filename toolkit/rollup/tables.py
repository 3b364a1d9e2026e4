"""Build the summary workbook's sheets from the judged entries (written by toolkit.io.summary)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path

from toolkit.charts.timeline import Reported
from toolkit.io import schema as S
from toolkit.io.inbox import Return
from toolkit.io.summary import (
    DETAIL_SHEET,
    PARENT_COLUMN,
    STATE_COLUMN,
    STATE_MISSING,
    SUB_UNIT_COLUMN,
    UNIT_COLUMN,
    Column,
    SummaryBook,
    Table,
)
from toolkit.model import Plan
from toolkit.model.period import Period
from toolkit.model.problems import ERROR, WARNING, Problem
from toolkit.rollup.entry import NO_STATUS, Entry

GANTT_MAX_ITEMS = 400  # larger plans get no 甘特图 sheet (a 30 000-row chart helps nobody)
FILE_COLUMN, ROLE_COLUMN = "报送文件", "单位职责"
DETAIL_COLUMNS = (
    Column(S.ID, 8, "center"), Column("工作任务", 18, "wrap"), Column("具体要求", 40, "wrap"),
    Column(UNIT_COLUMN, 14, "wrap"), Column(ROLE_COLUMN, 7, "center"), Column(SUB_UNIT_COLUMN, 14, "wrap"),
    Column("完成时限", 14, "wrap"), Column(S.DUE, 11, "date"), Column(S.STATUS, 9, "center"),
    Column(S.PROGRESS, 9, "pct"), Column(S.PROGRESS_TEXT, 36, "wrap"), Column(S.EVIDENCE, 22, "wrap"),
    Column(S.DONE_DATE, 11, "date"), Column(S.ISSUES, 24, "wrap"), Column(S.NOTES, 12, "wrap"),
    Column(STATE_COLUMN, 9, "center"), Column(FILE_COLUMN, 24, "clip"), Column(PARENT_COLUMN, 8, "center"),
)
UNIT_HEADERS = ("单位", "事项数", "已完成", "推进中", "持续推进", "未启动", "暂缓", NO_STATUS, STATE_MISSING,
                "逾期", "临期", "完成率", "报送情况", "填报日期", "按时报送", "报送文件", "问题数")
UNIT_LOOK = {"单位": (20, "wrap"), "完成率": (8, "pct"), "报送情况": (9, "center"), "填报日期": (12, "center"),
             "按时报送": (9, "center"), "报送文件": (36, "clip")}
# 逾期事项 and 临期事项: these columns, the days overdue / left, then the tail.
DEADLINE_HEAD = (Column(S.ID, 8, "center"), Column("工作任务", 18, "wrap"), Column("具体要求", 44, "wrap"),
                 Column(UNIT_COLUMN, 14, "wrap"), Column(SUB_UNIT_COLUMN, 14, "wrap"), Column(S.DUE, 11, "date"))
DEADLINE_TAIL = (Column(S.STATUS, 9, "center"), Column(S.PROGRESS, 9, "pct"), Column(S.PROGRESS_TEXT, 36, "wrap"),
                 Column(S.ISSUES, 28, "wrap"), Column(STATE_COLUMN, 9, "center"))


def build_book(plan: Plan, period: Period, as_of: date, due_days: int, own_unit: str, entries: list[Entry],
               chosen: dict[str, Return], returns: list[Return], problems: list[Problem], reported: list[str],
               missing: list[str], changes: tuple[str, list[tuple]], return_by: date | None, paper: str,
               gantt_dir: Path | None) -> tuple[SummaryBook, dict[str, object], list[dict[str, object]]]:
    """(the summary workbook, the figures of 总览, the rows of 分单位统计); with `gantt_dir` (a
    scratch folder for the chart image) the 甘特图 sheet and the 总览 chart are added."""
    overview = _overview(plan, period, as_of, own_unit, entries, returns, chosen, reported, missing,
                         problems, due_days)
    unit_stats = _unit_stats(plan, entries, chosen, due_days, return_by, problems)
    title = f"{plan.title or '分工方案'}落实情况汇总（{period.label}）"
    subtitle = f"汇总单位：{own_unit}　统计日期：{as_of.isoformat()}　生成时间：{overview['生成时间']}"
    tables = [
        Table("分单位统计", tuple(Column(h, *UNIT_LOOK.get(h, (8, "int"))) for h in UNIT_HEADERS),
              [tuple(s[h] for h in UNIT_HEADERS) for s in unit_stats]),
        Table(DETAIL_SHEET, DETAIL_COLUMNS, [e.detail_row() for e in entries]),
        *_deadline_tables(entries, as_of, due_days),
        _missing_table(entries, returns, missing),
        _problem_table(problems),
        _change_table(*changes),
    ]
    meta = {"plan_id": plan.plan_id, "plan_hash": plan.content_hash,
            "plan_title": plan.title, "unit": own_unit, "period": str(period),
            "generated_at": datetime.now().isoformat(timespec="seconds"), "units": "、".join(plan.units)}
    book = SummaryBook(title, subtitle, list(overview.items()), tables, meta, paper=paper)
    if gantt_dir and len(plan.items) <= GANTT_MAX_ITEMS:
        _add_gantt(book, plan, entries, as_of, paper, gantt_dir)
    elif gantt_dir:
        book.overview.append(("甘特图", f"方案共 {len(plan.items)} 项，超过 {GANTT_MAX_ITEMS} 项，未放入汇总表（打印也难以阅读）。"
                                      "请用 fengong gantt 汇总表.xlsx -o 甘特图.pdf 按单位分页生成。"))
    return book, overview, unit_stats


def _overview(plan, period, as_of, own_unit, entries, returns, chosen, reported, missing, problems,
              due_days) -> dict[str, object]:
    counts = Counter(e.status or NO_STATUS for e in entries if e.state != STATE_MISSING)
    total = len(entries)
    done = counts[S.DONE]
    figures: dict[str, object] = {
        "方案": plan.title, "汇总单位": own_unit, "报送期次": period.label,
        "统计日期": as_of.isoformat(), "生成时间": datetime.now().isoformat(sep=" ", timespec="seconds"),
        "应报单位数": len(plan.units), "已报送单位数": len(reported), "未报送单位数": len(missing),
        "未报送单位": "、".join(missing) or "无", "收到文件数": len(returns), "采用文件数": len(chosen),
        "任务条目数（事项×单位）": total,
    }
    for status in S.STATUS_VALUES:
        figures[status] = counts[status]
    figures[NO_STATUS] = counts[NO_STATUS]
    figures[STATE_MISSING] = sum(e.state == STATE_MISSING for e in entries)
    figures["逾期"] = sum(e.overdue for e in entries)
    figures[f"临期（{due_days}天内到期）"] = sum(e.due_soon(due_days) for e in entries)
    figures["完成率"] = round(done / total, 4) if total else 0.0
    figures["校验问题（错误）"] = sum(p.severity == ERROR for p in problems)
    figures["校验问题（提醒）"] = sum(p.severity == WARNING for p in problems)
    return figures


def _unit_stats(plan: Plan, entries: list[Entry], chosen: dict[str, Return], due_days: int,
                return_by: date | None, problems: list[Problem]) -> list[dict[str, object]]:
    by_unit: dict[str, list[Entry]] = {}
    for e in entries:
        by_unit.setdefault(e.unit, []).append(e)
    per_file = Counter(p.file for p in problems)
    stats = []
    for unit in plan.units:
        rows = by_unit.get(unit, [])
        filled_in = [e for e in rows if e.state != STATE_MISSING]  # one level up: some sub-units may not report
        counts = Counter(e.status or NO_STATUS for e in filled_in)
        ret = chosen.get(unit)
        filled = ret.filled_at.date() if ret and ret.filled_at else (
            date.fromtimestamp(ret.mtime) if ret else None)
        on_time = "—" if not ret or not return_by else ("是" if filled <= return_by else "否")
        stats.append({
            "单位": unit, "事项数": len(rows), "已完成": counts[S.DONE], "推进中": counts["推进中"],
            "持续推进": counts["持续推进"], "未启动": counts["未启动"], "暂缓": counts["暂缓"],
            NO_STATUS: len(filled_in) - sum(counts[s] for s in S.STATUS_VALUES), STATE_MISSING: len(rows) - len(filled_in),
            "逾期": sum(e.overdue for e in rows), "临期": sum(e.due_soon(due_days) for e in rows),
            "完成率": round(counts[S.DONE] / len(rows), 4) if rows else 0.0,
            "报送情况": "已报送" if ret else "未报送", "填报日期": filled.isoformat() if filled else "",
            "按时报送": on_time, "报送文件": ret.name if ret else "", "问题数": per_file[ret.name] if ret else 0,
        })
    return stats


def _deadline_tables(entries: list[Entry], as_of: date, due_days: int) -> tuple[Table, Table]:
    """逾期事项 and 临期事项, the most urgent first."""
    def brief(e: Entry, days: int) -> tuple:
        i = e.item
        return (i.id, i.task, i.requirement, e.unit, e.sub_unit, i.deadline.due, days, e.status,
                e.progress, e.progress_text, e.issues, e.state)

    late = sorted((e for e in entries if e.overdue), key=lambda e: (e.days, e.item.id))
    soon = sorted((e for e in entries if e.due_soon(due_days)), key=lambda e: (e.days, e.item.id))
    return (Table("逾期事项", DEADLINE_HEAD + (Column("逾期天数", 8, "int"),) + DEADLINE_TAIL,
                  [brief(e, -e.days) for e in late], f"截至 {as_of.isoformat()} 已过截止日期、未完成的事项（含未报送单位的事项）。"),
            Table("临期事项", DEADLINE_HEAD + (Column("剩余天数", 8, "int"),) + DEADLINE_TAIL,
                  [brief(e, e.days) for e in soon], f"{as_of.isoformat()} 起 {due_days} 天内到期、未完成的事项。"))


def _missing_table(entries: list[Entry], returns: list[Return], missing: list[str]) -> Table:
    """未报送单位: what each unit owes, and why a file it sent was not used."""
    rows = []
    for unit in missing:
        owed = [e for e in entries if e.unit == unit]
        rejected = [r for r in returns if r.unit == unit]
        why = "；".join(f"收到“{r.name}”未采用：{r.problems[-1].message}" for r in rejected if r.problems) or "未收到文件"
        rows.append((unit, len(owed), sum(e.role == S.ROLE_LEAD for e in owed), sum(e.overdue for e in owed), why))
    return Table("未报送单位", (Column("单位", 22, "wrap"), Column("应报事项数", 10, "int"),
                               Column("其中牵头", 10, "int"), Column("其中逾期", 10, "int"),
                               Column("情况说明", 80, "wrap")), rows)


def _problem_table(problems: list[Problem]) -> Table:
    """校验问题, by file, errors first."""
    rows = [(p.file, p.severity, p.sheet, p.cell, p.item_id, p.message)
            for p in sorted(problems, key=lambda p: (p.file, p.severity.rank))]
    return Table("校验问题", (Column("报送文件", 30, "wrap"), Column("级别", 7, "center"),
                             Column("工作表", 12, "center"), Column("单元格", 9, "center"),
                             Column(S.ID, 8, "center"), Column("问题及处理办法", 90, "wrap")), rows)


def _change_table(prev_period: str, rows: list[tuple]) -> Table:
    """本月变化 against the previous stored period."""
    return Table("本月变化", (
        Column("变化", 9, "center"), Column(S.ID, 8, "center"), Column("工作任务", 24, "wrap"),
        Column(UNIT_COLUMN, 16, "wrap"), Column(SUB_UNIT_COLUMN, 14, "wrap"), Column(S.DUE, 11, "date"),
        Column("上期状态", 10, "center"), Column("本期状态", 10, "center"), Column("上期进度", 9, "pct"),
        Column("本期进度", 9, "pct"), Column("进度变化", 9, "pct")), rows,
        f"与 {Period.parse(prev_period).label} 比较。" if prev_period else "没有上期数据（首次汇总或未启用历史库），无法比较。")


def _add_gantt(book: SummaryBook, plan: Plan, entries: list[Entry], as_of: date, paper: str, tmp: Path) -> None:
    """The 甘特图 sheet and the 总览 chart; one status per item × unit (one level up: the
    least advanced sub-unit's)."""
    from toolkit.charts.sheet import overview_png, write_gantt_sheet

    statuses = chart_statuses(entries)
    book.add_sheets.append(lambda wb, fmts: write_gantt_sheet(wb, plan, statuses, status_date=as_of, paper=paper))
    book.image = overview_png(plan, statuses, status_date=as_of, path=tmp / "总览.png")


def chart_statuses(entries: list[Entry]) -> dict[tuple[str, str], Reported]:
    """What the charts draw per item × unit, through the one adapter (`Reported.of`); one level
    up, the least advanced sub-unit's state."""
    statuses: dict[tuple[str, str], Reported] = {}
    for e in entries:
        key = (e.item.id, e.unit)
        if key in statuses and (statuses[key].status != S.DONE or e.status == S.DONE):
            continue
        statuses[key] = Reported.of(e.status, e.progress, e.done_date, reported=e.state != STATE_MISSING)
    return statuses
