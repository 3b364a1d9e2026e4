"""The monthly roll-up: returned workbooks (or district summaries) → one summary workbook.

Nothing is lost: every plan item × responsible unit gets a row in 任务明细 (filled in,
or marked 未报送), every row of every accepted file lands there exactly once or is listed
in 校验问题 with its cell, and every file that is not used says why.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Callable

from toolkit.errors import OutputError, UsageError
from toolkit.io import schema as S
from toolkit.io.inbox import ERROR, WARNING, Problem, Return, find_files, identify, read_file
from toolkit.io.summary import (DETAIL_SHEET, PARENT_COLUMN, SUB_UNIT_COLUMN, UNIT_COLUMN, Column,
                                SummaryBook, Table, write_summary)
from toolkit.model import Item, Plan
from toolkit.normalise import progress as read_progress
from toolkit.normalise import status as read_status
from toolkit.normalise import text, to_date
from toolkit.timeline import month_end

GANTT_MAX_ITEMS = 400  # larger plans get no 甘特图 sheet (a 30 000-row chart helps nobody)
PARALLEL_MIN_FILES = 16  # below this, reading in one thread is as fast
STATE_DONE, STATE_OVERDUE, STATE_SOON, STATE_OK, STATE_MISSING = "已完成", "逾期", "临期", "按期推进", "未报送"
NO_STATUS = "未填状态"
STATE_COLUMN, FILE_COLUMN, ROLE_COLUMN = "状态判断", "报送文件", "单位职责"

DETAIL_COLUMNS = (
    Column(S.ID, 8, "center"), Column("工作任务", 18, "wrap"), Column("具体要求", 40, "wrap"),
    Column(UNIT_COLUMN, 14, "wrap"), Column(ROLE_COLUMN, 7, "center"), Column(SUB_UNIT_COLUMN, 14, "wrap"),
    Column("完成时限", 14, "wrap"), Column(S.DUE, 11, "date"), Column(S.STATUS, 9, "center"),
    Column(S.PROGRESS, 9, "pct"), Column(S.PROGRESS_TEXT, 36, "wrap"), Column(S.EVIDENCE, 22, "wrap"),
    Column(S.DONE_DATE, 11, "date"), Column(S.ISSUES, 24, "wrap"), Column(S.NOTES, 12, "wrap"),
    Column(STATE_COLUMN, 9, "center"), Column(FILE_COLUMN, 24, "clip"), Column(PARENT_COLUMN, 8, "center"),
)


@dataclass
class Entry:
    """One row of 任务明细: a plan item × responsible unit (× sub-unit) with its fill-in."""

    item: Item
    unit: str
    role: str
    sub_unit: str = ""
    status: str = ""
    progress: float | None = None
    progress_text: str = ""
    evidence: str = ""
    done_date: date | None = None
    issues: str = ""
    notes: str = ""
    file: str = ""
    state: str = STATE_MISSING
    days: int | None = None  # due date − status date (negative when overdue)

    @property
    def overdue(self) -> bool:
        """Not done and past its due date (reported or not)."""
        return self.status != S.DONE and self.days is not None and self.days < 0

    def due_soon(self, due_days: int) -> bool:
        return self.status != S.DONE and self.days is not None and 0 <= self.days <= due_days

    def detail_row(self) -> tuple:
        i = self.item
        return (i.id, i.task, i.requirement, self.unit, self.role, self.sub_unit, i.deadline_text,
                i.deadline.due, self.status, self.progress, self.progress_text, self.evidence,
                self.done_date, self.issues, self.notes, self.state, self.file, i.parent_id or "")


@dataclass
class RollupResult:
    """What a roll-up produced: figures of 总览 and 分单位统计, sheet sizes, problems."""

    output: Path
    period: str
    as_of: date
    files: int
    units: int
    reported: list[str]
    missing: list[str]
    problems: list[Problem]
    overview: dict[str, object]
    unit_stats: list[dict[str, object]]
    sheet_counts: dict[str, int]
    history: Path | None = None
    entries: list[Entry] = field(default_factory=list, repr=False)
    timings: dict[str, float] = field(default_factory=dict)  # seconds: plan, read (overlaps plan), build, write

    @property
    def errors(self) -> int:
        return sum(p.severity == ERROR for p in self.problems)

    def closing_line(self) -> str:
        """The one Chinese line that ends a roll-up: files, units, problems, output."""
        return (f"汇总完成：{self.files} 个文件，{len(self.reported)}/{self.units} 个单位已报送，"
                f"{len(self.problems)} 个问题（错误 {self.errors}）→ {self.output}")

    def to_json(self) -> dict:
        """The stable JSON of `fengong rollup --json`."""
        return {
            "output": str(self.output), "period": self.period, "as_of": self.as_of.isoformat(),
            "overview": self.overview, "units": self.unit_stats, "sheets": self.sheet_counts,
            "problems": {"errors": self.errors, "warnings": len(self.problems) - self.errors},
            "history": str(self.history) if self.history else None,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }


def rollup(inbox: str | Path, plan: str | Path | Plan, output: str | Path, period: str | None = None,
           history: str | Path | None = None, due_days: int = 30, *, unit: str | None = None,
           as_of: date | None = None, return_by: date | None = None, paper: str = "A3",
           on_progress: Callable[[int, int], None] | None = None, workers: int | None = None,
           gantt: bool = True) -> RollupResult:
    """Roll the returns under `inbox` up against `plan` into the summary workbook `output`.

    `period` ("2016-11") defaults to the period most returns name; `history` (SQLite) defaults
    to a file beside the plan workbook; `as_of` (the status date) to the period's last day or
    today, whichever is earlier; `unit` names the reporting office (default: the plan's issuer).
    `gantt` adds the 甘特图 sheet and a status chart on 总览 (toolkit.io.gantt_sheet).
    """
    from toolkit.io.planbook import read_plan

    inbox = Path(inbox)
    if not inbox.is_dir():
        raise UsageError(f"报送文件夹“{inbox}”不存在或不是文件夹。请把各单位报回的工作簿放进一个文件夹后再汇总。")
    if not Path(output).parent.is_dir():  # say so now, not after the history has been saved
        raise OutputError(f"输出文件夹不存在：{Path(output).parent}。请先建立该文件夹，或换一个输出路径。")
    clock = [time.perf_counter()]
    timings = {}

    def lap(phase: str) -> None:
        clock.append(time.perf_counter())
        timings[phase] = clock[-1] - clock[-2]

    paths, resave = find_files(inbox)
    read_started = time.perf_counter()
    reading = _start_reading(paths, inbox, on_progress, workers)
    plan_path = None if isinstance(plan, Plan) else Path(plan)
    try:
        plan = _Snapshot.of(plan if isinstance(plan, Plan) else read_plan(plan_path))
    except BaseException:
        reading(cancel=True)
        raise
    lap("plan")
    returns = reading()
    for ret in returns:
        identify(ret, plan.units)
    lap("rest_of_read")
    timings["read"] = clock[-1] - read_started  # wall time of reading the files (overlaps the plan)
    problems: list[Problem] = []
    for path in resave:
        problems.append(Problem(path.relative_to(inbox).as_posix(), ERROR, "format",
                                f"“{path.name}”不是 Excel 工作簿格式，未汇总。请在 Excel/WPS 中另存为 .xlsx 后放回。"))
    period = period or _main_period(returns)
    as_of = as_of or min(date.today(), _period_end(period))
    chosen = _choose(returns, plan, period)
    entries = _entries(plan, chosen, as_of, due_days)
    own_unit = unit or plan.issuer or "汇总单位"
    reported = [u for u in plan.units if u in chosen]
    missing = [u for u in plan.units if u not in chosen]
    history_path = Path(history) if history else (plan_path.with_name(plan_path.stem + "_历史.sqlite") if plan_path else None)
    changes = _changes(history_path, period, entries)
    if history_path:
        _save_history(history_path, period, plan, entries, len(returns), reported, missing)
    for ret in returns:
        problems.extend(ret.problems)
    problems.extend(_validate(plan, chosen))
    with tempfile.TemporaryDirectory(prefix="fengong-") as tmp:
        book, result = _book(plan, period, as_of, due_days, own_unit, entries, chosen, returns, problems,
                             reported, missing, changes, return_by, paper, Path(tmp) if gantt else None)
        lap("build")
        write_summary(book, output)
        lap("write")
    result.output, result.history, result.timings = Path(output), history_path, timings
    return result


class _Snapshot(Plan):
    """A plan that stays unchanged during one roll-up: its hash, units and each unit's items
    are computed once (the plain properties recompute them, and 200 files ask for them)."""

    @classmethod
    def of(cls, plan: Plan) -> "_Snapshot":
        return cls(**{f.name: getattr(plan, f.name) for f in fields(Plan)})

    @cached_property
    def content_hash(self) -> str:
        return Plan.content_hash.fget(self)

    @cached_property
    def units(self) -> list[str]:
        return Plan.units.fget(self)

    def items_for(self, unit: str) -> list[Item]:
        if "_by_unit" not in self.__dict__:
            by_unit: dict[str, list[Item]] = {}
            for item in self.items:
                for u in item.units:
                    by_unit.setdefault(u, []).append(item)
            self.__dict__["_by_unit"] = by_unit
        return list(self.__dict__["_by_unit"].get(unit, ()))


def _start_reading(paths: list[Path], inbox: Path, on_progress, workers) -> Callable[..., list[Return]]:
    """Start reading every file (in threads when there are many: calamine parses without the
    GIL, so the plan can be read meanwhile); returns a function that waits for the results."""
    workers = workers or min(4, os.cpu_count() or 1)
    if len(paths) < PARALLEL_MIN_FILES or workers == 1:
        return lambda cancel=False: [] if cancel else _collect((read_file(p, inbox) for p in paths), len(paths),
                                                               on_progress)
    pool = ThreadPoolExecutor(workers)
    futures = [pool.submit(read_file, p, inbox) for p in paths]

    def wait(cancel: bool = False) -> list[Return]:
        if cancel:
            pool.shutdown(cancel_futures=True)
            return []
        try:
            return _collect((f.result() for f in futures), len(paths), on_progress)
        finally:
            pool.shutdown()

    return wait


def _collect(results, total: int, on_progress) -> list[Return]:
    returns = []
    for ret in results:
        returns.append(ret)
        if on_progress:
            on_progress(len(returns), total)
    return returns


def _main_period(returns: list[Return]) -> str:
    periods = Counter(r.period for r in returns if r.readable and r.period)
    if not periods:
        raise UsageError("无法从报送文件中识别报送期次（文件中和文件名里都没有），请用 --period 指定，如 --period 2016-11。")
    return periods.most_common(1)[0][0]


def _period_end(period: str) -> date:
    year, month = map(int, period.split("-"))
    return month_end(date(year, month, 1))


def _choose(returns: list[Return], plan: Plan, period: str) -> dict[str, Return]:
    """The newest acceptable return of each unit; the reasons against the others go on them."""
    units = set(plan.units)
    plan_id = plan.doc_number or plan.short_title
    candidates: dict[str, list[Return]] = {}
    for ret in returns:
        if not ret.readable:
            continue
        if ret.kind == "summary" and ret.plan_hash == plan.content_hash:
            ret.problem(ERROR, "own_level", "这是本级（同一方案）的汇总表，不是下级报送，未汇总。请不要把汇总结果放进报送文件夹。")
        elif ret.kind not in ("summary", S.KIND):
            ret.problem(ERROR, "kind", f"不是填报台账或汇总表（类型“{ret.kind}”），未汇总。")
        elif not ret.unit:
            ret.problem(ERROR, "no_unit", "无法识别填报单位（文件中没有单位信息，文件名中也没有本方案的单位名称），未汇总。"
                        "请在文件名开头写上单位全称，如“区编办_…xlsx”。")
        elif ret.unit not in units:
            what = "汇总单位" if ret.kind == "summary" else "填报单位"
            hint = "可能是其他层级或其他地区的汇总表" if ret.kind == "summary" else "可能是其他方案的台账，或单位名称被改动"
            ret.problem(ERROR, "unknown_unit", f"{what}“{ret.unit}”不是本方案的责任单位（{hint}），未汇总。")
        elif ret.period and ret.period != period:
            ret.problem(ERROR, "other_period", f"报送期次为 {S.period_label(ret.period)}，不是本次汇总的 "
                        f"{S.period_label(period)}，未汇总。如确属本期，请核对后重新报送。")
        elif ret.kind == S.KIND and ret.plan_hash and ret.plan_hash != plan.content_hash and ret.plan_id != plan_id:
            ret.problem(ERROR, "other_plan", f"属于另一个方案（{ret.plan_id or ret.plan_hash}），不是本方案"
                        f"（{plan_id}）的台账，未汇总。")
        else:
            if ret.kind == S.KIND and ret.plan_hash and ret.plan_hash != plan.content_hash:
                ret.problem(WARNING, "plan_changed", "台账分发后方案内容有调整，已按编号匹配汇总；请下期使用新分发的台账。")
            if not ret.period:
                ret.problem(WARNING, "no_period", f"文件中和文件名里都没有报送期次，按本次汇总的 {S.period_label(period)} 计。")
            candidates.setdefault(ret.unit, []).append(ret)
    chosen = {}
    for unit, rets in candidates.items():
        rets.sort(key=lambda r: (r.filled_at or datetime.min, r.mtime), reverse=True)
        chosen[unit] = rets[0]
        for older in rets[1:]:
            older.problem(WARNING, "older_version", f"“{unit}”报送了多个版本，本文件较早，未采用；采用的是“{rets[0].name}”。")
    return chosen


def _entries(plan: Plan, chosen: dict[str, Return], as_of: date, due_days: int) -> list[Entry]:
    """Every plan item × responsible unit (× sub-unit), in plan order."""
    indexed = {unit: _index(ret, plan) for unit, ret in chosen.items()}
    entries = []
    for item in plan.items:
        for unit in item.units:
            role = S.ROLE_LEAD if unit in item.lead_units else S.ROLE_CO
            ret = chosen.get(unit)
            if ret is None:
                entries.append(_judge(Entry(item, unit, role), as_of, due_days, reported=False))
                continue
            rows = indexed[unit].get(item.id)
            if not rows:
                if ret.kind != S.KIND:
                    ret.problem(WARNING, "missing_row", f"缺少编号“{item.id}”的行，该事项按未填报汇总。",
                                sheet=ret.sheet, item_id=item.id)
                entries.append(_judge(Entry(item, unit, role, file=ret.name), as_of, due_days, reported=True))
            for row in rows or ():
                entries.append(_judge(_filled(Entry(item, unit, role, sub_unit=row.sub_unit, file=ret.name), row.values),
                                      as_of, due_days, reported=True))
    return entries


def _index(ret: Return, plan: Plan) -> dict[str, list]:
    """The rows of one return by item id. Rows that cannot be placed are reported here for
    summaries; for unit workbooks the shared validator reports them (same rules)."""
    ids = {i.id for i in plan.items_for(ret.unit)}
    index: dict[str, list] = {}
    seen: dict[tuple[str, str], int] = {}
    report = ret.kind != S.KIND

    def flag(row, code: str, message: str) -> None:
        if report:
            ret.problem(ERROR, code, message, sheet=ret.sheet, cell=f"A{row.row}", item_id=row.item_id)

    for row in ret.rows:
        if not row.item_id:
            flag(row, "no_id", f"第 {row.row} 行没有编号，未汇总（{_excerpt(row.values)}）。")
        elif row.item_id not in ids:
            flag(row, "unknown_id", f"第 {row.row} 行的编号“{row.item_id}”不是本方案中“{ret.unit}”的事项，未汇总"
                 f"（{_excerpt(row.values)}）。请核对上下级方案的编号。")
        elif (row.item_id, row.sub_unit) in seen:
            flag(row, "duplicate_id", f"编号“{row.item_id}”（{row.sub_unit}）重复出现（第 {seen[row.item_id, row.sub_unit]} 行"
                 f"和第 {row.row} 行），只汇总了第一行。")
        else:
            seen[row.item_id, row.sub_unit] = row.row
            index.setdefault(row.item_id, []).append(row)
    return index


def _excerpt(values: dict) -> str:
    parts = [text(v) for v in values.values() if text(v)]
    joined = "；".join(parts)
    return joined[:60] + ("…" if len(joined) > 60 else "") if joined else "空行"


STATUS_SET = frozenset(S.STATUS_VALUES)


def _filled(entry: Entry, values: dict) -> Entry:
    """Take a row's fill-in; values typed as text are understood (toolkit.normalise)."""
    status, progress, done = values.get(S.STATUS), values.get(S.PROGRESS), values.get(S.DONE_DATE)
    entry.status = status if status in STATUS_SET else (read_status(status, S.STATUS_VALUES).value or text(status))
    entry.progress = float(progress) if type(progress) is float and 0 <= progress <= 1 else read_progress(progress).value
    entry.done_date = None if done is None else to_date(done).value
    entry.progress_text = text(values.get(S.PROGRESS_TEXT))
    entry.evidence = text(values.get(S.EVIDENCE))
    entry.issues = text(values.get(S.ISSUES))
    entry.notes = text(values.get(S.NOTES))
    return entry


def _judge(entry: Entry, as_of: date, due_days: int, reported: bool) -> Entry:
    due = entry.item.deadline.due
    entry.days = (due - as_of).days if due else None
    if not reported:
        entry.state = STATE_MISSING
    elif entry.status == S.DONE:
        entry.state = STATE_DONE
    elif due and due < as_of:
        entry.state = STATE_OVERDUE
    elif due and due <= as_of + timedelta(days=due_days):
        entry.state = STATE_SOON
    else:
        entry.state = STATE_OK
    return entry


def _validate(plan: Plan, chosen: dict[str, Return]) -> list[Problem]:
    """The shared validator's findings on every unit workbook used (in this process: since
    the validator skips untouched cells it costs ≈ 0.3 s for 200 files, less than forking)."""
    from toolkit import validate

    problems = []
    for ret in chosen.values():
        if ret.kind != S.KIND or ret.data is None:
            continue
        try:
            found = validate.check_return(ret.data, plan, period=ret.period or None)
        except Exception as exc:  # one odd file must not stop the roll-up; its rows are still used
            problems.append(Problem(ret.name, WARNING, "not_validated",
                                    f"无法逐项检查此文件（{type(exc).__name__}: {exc}），其内容已照常汇总，请人工核对。"))
            continue
        for p in found:
            problems.append(Problem(ret.name, ERROR if p.severity == validate.ERROR else WARNING, p.code,
                                    p.message, sheet=p.sheet, cell=p.cell, item_id=p.item_id))
    return problems


def _changes(path: Path | None, period: str, entries: list[Entry]) -> tuple[str, list[tuple]]:
    """(previous period or "", rows of 本月变化) against the history's previous period."""
    from toolkit.io.history import load_period, previous_period

    prev_period = previous_period(path, period) if path else None
    if not prev_period:
        return "", []
    before = load_period(path, prev_period)
    rows = []
    for e in entries:
        old = before.get((e.unit, e.sub_unit, e.item.id))
        if old is None:
            continue
        now_state = _stored_state(e)
        if e.status == S.DONE and old.status != S.DONE:
            kind = "新完成"
        elif now_state == STATE_OVERDUE and old.state != STATE_OVERDUE:
            kind = "新逾期"
        elif e.status != (old.status or ""):
            kind = "状态变化"
        elif e.progress != old.progress:
            kind = "进度变化"
        else:
            continue
        delta = (e.progress or 0.0) - (old.progress or 0.0) if e.progress is not None or old.progress is not None else None
        rows.append((kind, e.item.id, e.item.task, e.unit, e.sub_unit, e.item.deadline.due, old.status,
                     e.status, old.progress, e.progress, delta))
    order = {"新完成": 0, "新逾期": 1, "状态变化": 2, "进度变化": 3}
    rows.sort(key=lambda r: order[r[0]])
    return prev_period, rows


def _stored_state(e: Entry) -> str:
    return STATE_OVERDUE if e.overdue else e.state


def _save_history(path: Path, period: str, plan: Plan, entries: list[Entry], files: int,
                  reported: list[str], missing: list[str]) -> None:
    from toolkit.io.history import HistoryRow, save_period

    rows = [HistoryRow(e.unit, e.sub_unit, e.item.id, e.status, e.progress,
                       e.done_date.isoformat() if e.done_date else "",
                       STATE_OVERDUE if e.overdue else e.state, e.file) for e in entries]
    save_period(path, period, rows, plan_hash=plan.content_hash, plan_title=plan.title, files=files,
                units_reported=len(reported), units_missing=len(missing))


UNIT_HEADERS = ("单位", "事项数", "已完成", "推进中", "持续推进", "未启动", "暂缓", NO_STATUS, "逾期", "临期",
                "完成率", "报送情况", "填报日期", "按时报送", "报送文件", "问题数")
UNIT_LOOK = {"单位": (20, "wrap"), "完成率": (8, "pct"), "报送情况": (9, "center"), "填报日期": (12, "center"),
             "按时报送": (9, "center"), "报送文件": (36, "clip")}


def _unit_stats(plan: Plan, entries: list[Entry], chosen: dict[str, Return], due_days: int,
                return_by: date | None, problems: list[Problem]) -> list[dict[str, object]]:
    by_unit: dict[str, list[Entry]] = {}
    for e in entries:
        by_unit.setdefault(e.unit, []).append(e)
    per_file = Counter(p.file for p in problems)
    stats = []
    for unit in plan.units:
        rows = by_unit.get(unit, [])
        counts = Counter(e.status or NO_STATUS for e in rows)
        ret = chosen.get(unit)
        filled = ret.filled_at.date() if ret and ret.filled_at else (
            date.fromtimestamp(ret.mtime) if ret else None)
        on_time = "—" if not ret or not return_by else ("是" if filled <= return_by else "否")
        stats.append({
            "单位": unit, "事项数": len(rows), "已完成": counts[S.DONE], "推进中": counts["推进中"],
            "持续推进": counts["持续推进"], "未启动": counts["未启动"], "暂缓": counts["暂缓"],
            NO_STATUS: len(rows) - sum(counts[s] for s in S.STATUS_VALUES),
            "逾期": sum(e.overdue for e in rows), "临期": sum(e.due_soon(due_days) for e in rows),
            "完成率": round(counts[S.DONE] / len(rows), 4) if rows else 0.0,
            "报送情况": "已报送" if ret else "未报送", "填报日期": filled.isoformat() if filled else "",
            "按时报送": on_time, "报送文件": ret.name if ret else "", "问题数": per_file[ret.name] if ret else 0,
        })
    return stats


def _overview(plan, period, as_of, own_unit, entries, returns, chosen, reported, missing, problems,
              due_days) -> dict[str, object]:
    counts = Counter(e.status or NO_STATUS for e in entries if e.state != STATE_MISSING)
    total = len(entries)
    done = counts[S.DONE]
    figures: dict[str, object] = {
        "方案": plan.title, "汇总单位": own_unit, "报送期次": S.period_label(period),
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


def _book(plan, period, as_of, due_days, own_unit, entries, chosen, returns, problems, reported, missing,
          changes, return_by, paper, gantt):
    overview = _overview(plan, period, as_of, own_unit, entries, returns, chosen, reported, missing,
                         problems, due_days)
    unit_stats = _unit_stats(plan, entries, chosen, due_days, return_by, problems)
    label = S.period_label(period)
    title = f"{plan.title or '分工方案'}落实情况汇总（{label}）"
    subtitle = f"汇总单位：{own_unit}　统计日期：{as_of.isoformat()}　生成时间：{overview['生成时间']}"
    unit_table = Table("分单位统计", tuple(Column(h, *UNIT_LOOK.get(h, (8, "int"))) for h in UNIT_HEADERS),
                       [tuple(s[h] for h in UNIT_HEADERS) for s in unit_stats])
    detail = Table(DETAIL_SHEET, DETAIL_COLUMNS, [e.detail_row() for e in entries])
    late = sorted((e for e in entries if e.overdue), key=lambda e: (e.days, e.item.id))
    soon = sorted((e for e in entries if e.due_soon(due_days)), key=lambda e: (e.days, e.item.id))
    short = (Column(S.ID, 8, "center"), Column("工作任务", 18, "wrap"), Column("具体要求", 44, "wrap"),
             Column(UNIT_COLUMN, 14, "wrap"), Column(SUB_UNIT_COLUMN, 14, "wrap"), Column(S.DUE, 11, "date"))
    tail = (Column(S.STATUS, 9, "center"), Column(S.PROGRESS, 9, "pct"), Column(S.PROGRESS_TEXT, 36, "wrap"),
            Column(S.ISSUES, 28, "wrap"), Column(STATE_COLUMN, 9, "center"))

    def brief(e: Entry, days: int) -> tuple:
        i = e.item
        return (i.id, i.task, i.requirement, e.unit, e.sub_unit, i.deadline.due, days, e.status,
                e.progress, e.progress_text, e.issues, e.state)

    late_table = Table("逾期事项", short + (Column("逾期天数", 8, "int"),) + tail,
                       [brief(e, -e.days) for e in late], f"截至 {as_of.isoformat()} 已过截止日期、未完成的事项（含未报送单位的事项）。")
    soon_table = Table("临期事项", short + (Column("剩余天数", 8, "int"),) + tail,
                       [brief(e, e.days) for e in soon], f"{as_of.isoformat()} 起 {due_days} 天内到期、未完成的事项。")
    missing_rows = []
    for unit in missing:
        rows = [e for e in entries if e.unit == unit]
        rejected = [r for r in returns if r.unit == unit]
        why = "；".join(f"收到“{r.name}”未采用：{r.problems[-1].message}" for r in rejected if r.problems) or "未收到文件"
        missing_rows.append((unit, len(rows), sum(e.role == S.ROLE_LEAD for e in rows), sum(e.overdue for e in rows), why))
    missing_table = Table("未报送单位", (Column("单位", 22, "wrap"), Column("应报事项数", 10, "int"),
                                       Column("其中牵头", 10, "int"), Column("其中逾期", 10, "int"),
                                       Column("情况说明", 80, "wrap")), missing_rows)
    order = {ERROR: 0, WARNING: 1}
    problem_rows = [(p.file, p.severity, p.sheet, p.cell, p.item_id, p.message)
                    for p in sorted(problems, key=lambda p: (p.file, order[p.severity]))]
    problem_table = Table("校验问题", (Column("报送文件", 30, "wrap"), Column("级别", 7, "center"),
                                     Column("工作表", 12, "center"), Column("单元格", 9, "center"),
                                     Column(S.ID, 8, "center"), Column("问题及处理办法", 90, "wrap")), problem_rows)
    prev_period, change_rows = changes
    change_table = Table("本月变化", (
        Column("变化", 9, "center"), Column(S.ID, 8, "center"), Column("工作任务", 24, "wrap"),
        Column(UNIT_COLUMN, 16, "wrap"), Column(SUB_UNIT_COLUMN, 14, "wrap"), Column(S.DUE, 11, "date"),
        Column("上期状态", 10, "center"), Column("本期状态", 10, "center"), Column("上期进度", 9, "pct"),
        Column("本期进度", 9, "pct"), Column("进度变化", 9, "pct")), change_rows,
        f"与 {S.period_label(prev_period)} 比较。" if prev_period else "没有上期数据（首次汇总或未启用历史库），无法比较。")
    tables = [unit_table, detail, late_table, soon_table, missing_table, problem_table, change_table]
    meta = {"plan_id": plan.doc_number or plan.short_title, "plan_hash": plan.content_hash,
            "plan_title": plan.title, "unit": own_unit, "period": period,
            "generated_at": datetime.now().isoformat(timespec="seconds"), "units": "、".join(plan.units)}
    book = SummaryBook(title, subtitle, list(overview.items()), tables, meta, paper=paper)
    if gantt and len(plan.items) <= GANTT_MAX_ITEMS:
        _add_gantt(book, plan, entries, as_of, paper, gantt)
    elif gantt:
        book.overview.append(("甘特图", f"方案共 {len(plan.items)} 项，超过 {GANTT_MAX_ITEMS} 项，未放入汇总表（打印也难以阅读）。"
                                      "请用 fengong gantt 汇总表.xlsx -o 甘特图.pdf 按单位分页生成。"))
    result = RollupResult(output=Path(), period=period, as_of=as_of, files=len(returns), units=len(plan.units),
                          reported=reported, missing=missing, problems=problems, overview=overview,
                          unit_stats=unit_stats, sheet_counts={t.name: len(t.rows) for t in tables},
                          entries=entries)
    return book, result


def _add_gantt(book: SummaryBook, plan: Plan, entries: list[Entry], as_of: date, paper: str, tmp: Path) -> None:
    """The 甘特图 sheet and the 总览 chart; one status per item × unit (one level up: the
    least advanced sub-unit's)."""
    from toolkit.io.gantt_sheet import overview_png, write_gantt_sheet

    statuses: dict[tuple[str, str], dict] = {}
    for e in entries:
        key = (e.item.id, e.unit)
        if key in statuses and (statuses[key]["status"] != S.DONE or e.status == S.DONE):
            continue
        statuses[key] = {"status": e.status or (STATE_MISSING if e.state == STATE_MISSING else ""),
                         "progress": e.progress, "done": e.done_date}
    book.add_sheets.append(lambda wb, fmts: write_gantt_sheet(wb, plan, statuses, status_date=as_of, paper=paper))
    book.image = overview_png(plan, statuses, status_date=as_of, path=tmp / "总览.png")
