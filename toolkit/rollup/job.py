"""The roll-up job: inbox + plan → summary workbook (and history), timed by phase."""

from __future__ import annotations

import gc
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from toolkit.io.atomic import guard_output
from toolkit.io.history import check_history
from toolkit.io.inbox import Return, survey
from toolkit.io.summary import write_summary
from toolkit.model import Item, Plan
from toolkit.model.errors import NoMatchingReturnsError, OutputError, UsageError
from toolkit.model.period import Period
from toolkit.model.problems import ERROR, Problem, cap
from toolkit.reports.scoring import save_scores
from toolkit.rollup.changes import changes
from toolkit.rollup.checks import check_chosen
from toolkit.rollup.choose import choose, main_period
from toolkit.rollup.collect import start_reading
from toolkit.rollup.entry import Entry
from toolkit.rollup.figures import Summary, summarise
from toolkit.rollup.match import match
from toolkit.rollup.saving import HistorySave, early
from toolkit.rollup.tables import build_book, unit_row
from toolkit.rollup.workers import end


@dataclass
class RollupResult:
    """What a roll-up produced: figures of 总览 and 分单位统计, sheet sizes, problems."""

    output: Path
    period: Period
    as_of: date
    files: int
    units: int
    reported: list[str]
    missing: list[str]
    problems: list[Problem]
    summary: Summary = field(repr=False)
    sheet_counts: dict[str, int]
    history: Path | None = None
    entries: list[Entry] = field(default_factory=list, repr=False)
    timings: dict[str, float] = field(
        default_factory=dict
    )  # seconds: plan, read (overlaps plan), build, write, history, total
    processes: int = 0  # worker processes that read the files (0: read by this one, toolkit.rollup.collect)

    @property
    def overview(self) -> dict[str, object]:
        """The figures of 总览 by label."""
        return dict(self.summary.overview.pairs())

    @property
    def unit_stats(self) -> list[dict[str, object]]:
        """The rows of 分单位统计 by header."""
        return [unit_row(s) for s in self.summary.units]

    @property
    def errors(self) -> int:
        return sum(p.severity == ERROR for p in self.problems)

    def closing_line(self) -> str:
        """The one Chinese line that ends a roll-up: files, units, problems, output."""
        return (
            f"汇总完成：{self.files} 个文件，{len(self.reported)}/{self.units} 个单位已报送，"
            f"{len(self.problems)} 个问题（错误 {self.errors}）→ {self.output}"
        )

    def to_json(self) -> dict[str, Any]:
        """The stable JSON of `fengong rollup --json`."""
        return {
            "output": str(self.output),
            "period": str(self.period),
            "as_of": self.as_of.isoformat(),
            "overview": self.overview,
            "units": self.unit_stats,
            "sheets": self.sheet_counts,
            "problems": {"errors": self.errors, "warnings": len(self.problems) - self.errors},
            "history": str(self.history) if self.history else None,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "processes": self.processes,
        }


def rollup(
    inbox: str | Path,
    plan: str | Path | Plan,
    output: str | Path,
    period: Period | str | None = None,
    history: str | Path | None = None,
    due_days: int = 30,
    *,
    unit: str | None = None,
    as_of: date | None = None,
    return_by: date | None = None,
    paper: str = "A3",
    on_progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    gantt: bool = True,
) -> RollupResult:
    """Roll the returns under `inbox` up against `plan` into the summary workbook `output`.

    `period` (2016-11, 「2016年11月」 …) defaults to the period most returns name; `history` (SQLite) defaults
    to a file beside the plan workbook; `as_of` (the status date) to the period's last day or
    today, whichever is earlier; `unit` names the reporting office (default: the plan's issuer).
    `gantt` adds the 甘特图 sheet and a status chart on 总览 (toolkit.charts.sheet).
    """
    if not 0 <= due_days <= 366:
        raise UsageError(f"临期天数“{due_days}”无效：请给出 0 到 366 之间的天数（默认 30）。")
    # No cyclic garbage collection during the roll-up: it makes no reference cycles worth
    # collecting, and with millions of live objects (3,000 returns) each full collection scans
    # all of them (1.2–1.5 s of the match phase alone). Restored even on error.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _rollup(
            inbox, plan, output, period, history, due_days, unit, as_of, return_by, paper, on_progress, workers, gantt
        )
    finally:
        if collecting:
            gc.enable()


def _rollup(
    inbox: str | Path,
    plan: str | Path | Plan,
    output: str | Path,
    period: Period | str | None,
    history: str | Path | None,
    due_days: int,
    unit: str | None,
    as_of: date | None,
    return_by: date | None,
    paper: str,
    on_progress: Callable[[int, int], None] | None,
    workers: int | None,
    gantt: bool,
) -> RollupResult:
    from toolkit.io.planbook import read_plan

    inbox = Path(inbox)
    if not inbox.is_dir():
        raise UsageError(f"报送文件夹“{inbox}”不存在或不是文件夹。请把各单位报回的工作簿放进一个文件夹后再汇总。")
    plan_path = None if isinstance(plan, Plan) else Path(plan)
    history_path = (
        Path(history) if history else (plan_path.with_name(plan_path.stem + "_历史.sqlite") if plan_path else None)
    )
    output = guard_output(
        output, inputs=[("方案工作簿", plan_path), ("历史数据库", history_path)], folders=[("报送文件夹", inbox)]
    )
    if not output.parent.is_dir():  # say so now, not after the history has been saved
        raise OutputError(f"输出文件夹不存在：{output.parent}。请先建立该文件夹，或换一个输出路径。")
    clock = [time.perf_counter()]
    timings = {}

    def lap(phase: str) -> None:
        clock.append(time.perf_counter())
        timings[phase] = clock[-1] - clock[-2]

    inventory = survey(inbox)
    paths, resave = inventory.found, inventory.resave
    read_started = time.perf_counter()
    finish = start_reading(paths, inbox, on_progress, workers)  # the files are parsed while the plan is read
    saver = early(len(paths)) if history_path else None  # it starts while the files are read
    try:
        try:
            plan = _Snapshot.of(plan if isinstance(plan, Plan) else read_plan(Path(plan)))
        except BaseException:
            finish(None)  # the files being read are abandoned
            raise
        lap("plan")
        returns, processes = finish(plan)
        lap("rest_of_read")
        timings["read"] = clock[-1] - read_started  # wall time of reading the files (overlaps the plan)
        problems: list[Problem] = []
        for path in resave:
            problems.append(
                Problem(
                    f"“{path.name}”不是 Excel 工作簿格式，未汇总。请在 Excel/WPS 中另存为 .xlsx 后放回。",
                    ERROR,
                    "format",
                    path.relative_to(inbox).as_posix(),
                )
            )
        for skipped in inventory.skipped:
            where = (
                skipped.path.relative_to(inbox).as_posix() if skipped.path.is_relative_to(inbox) else str(skipped.path)
            )
            problems.append(Problem(f"“{where}”{skipped.reason}", skipped.severity, skipped.code, where))
        period = Period.parse(period, year=plan.year) if period else main_period(returns)
        as_of = as_of or min(date.today(), period.end)
        if history_path:
            check_history(history_path, plan)  # another plan's, busy, read-only, damaged: refused before any output
        chosen = choose(returns, plan, period)
        if not chosen:
            raise NoMatchingReturnsError(_no_match(inbox, returns, period, len(resave) + len(inventory.skipped)))
        entries = match(plan, chosen, as_of, due_days)
        reported = [u for u in plan.units if u in chosen]
        missing = [u for u in plan.units if u not in chosen]
        change_rows = changes(history_path, period, entries)
        for ret in returns:
            problems.extend(cap(ret.problems))
        problems.extend(check_chosen(chosen))
        for ret in returns:  # matched and validated: the rows live on in the entries, free the rest before writing
            ret.rows, ret.data = [], None
        with tempfile.TemporaryDirectory(prefix="fengong-") as tmp:
            summary = summarise(
                plan,
                period,
                as_of,
                due_days,
                unit or plan.issuer or "汇总单位",
                entries,
                chosen,
                returns,
                problems,
                missing,
                change_rows,
                return_by,
                other_files=len(resave) + sum(s.path.is_file() for s in inventory.skipped),
            )
            _assess(summary, plan_path, history_path)
            saving = (
                HistorySave(history_path, period, plan, entries, len(returns), reported, missing, Path(tmp), saver)
                if history_path
                else None
            )
            try:
                book = build_book(summary, paper, Path(tmp) if gantt else None)
                lap("build")
                write_summary(book, output)
                lap("write")
            except BaseException:
                if saving:
                    saving.abandon()  # a failed roll-up records no month
                raise
            sheet_counts = {t.name: len(t.rows) for t in book.tables}
            del book  # its rows (a tuple per cell row) are not needed for the history: a lower peak
            if saving:  # only once the summary is written
                saving.commit()
                save_scores(saving.path, period, summary.units)
            lap("history")
    finally:
        if saver:  # ended already, unless the roll-up stopped before its rows were sent (or committed)
            end([saver])
    timings["total"] = clock[-1] - clock[0]  # the whole call (the phases above, and finding the files)
    return RollupResult(
        output=Path(output),
        period=period,
        as_of=as_of,
        files=len(returns),
        units=len(plan.units),
        reported=reported,
        missing=missing,
        problems=problems,
        summary=summary,
        sheet_counts=sheet_counts,
        history=history_path,
        entries=entries,
        timings=timings,
        processes=processes,
    )


def _no_match(inbox: Path, returns: list[Return], period: Period, others: int) -> str:
    """Why nothing can be rolled up for `period`: the periods the files do carry, or what they are."""
    carried = Counter(r.period for r in returns if r.readable and r.period)
    if carried:
        named = "、".join(f"{p.label}（{n} 个文件）" for p, n in sorted(carried.items(), key=lambda x: str(x[0])))
        return (
            f"报送文件夹“{inbox}”中没有 {period.label} 的可用台账：文件中的期次为 {named}。"
            f"请核对 --period，或放入 {period.label} 的台账后再汇总。未写汇总表，也未记入历史库。"
        )
    readable = sum(r.readable for r in returns)
    what = f"{len(returns)} 个工作簿（其中 {len(returns) - readable} 个无法读取）" if returns else "没有可读取的工作簿"
    extra = f"，另有 {others} 个其他文件" if others else ""
    return (
        f"报送文件夹“{inbox}”中没有可以汇总到 {period.label} 的台账：{what}{extra}，都不是本方案单位的本期台账。"
        "请把各单位报回的台账放进该文件夹后再汇总。未写汇总表，也未记入历史库。"
    )


def _assess(summary: Summary, plan_path: Path | None, history: Path | None) -> None:
    """督办等级 from the history (toolkit.reports.escalation) and 考核评分 by the plan's rules."""
    from toolkit.reports.escalation import apply_streaks
    from toolkit.reports.scoring import previous_ranks, read_rules, score

    apply_streaks(history, summary.overview.period, summary.plan, summary.entries, summary.missing)
    summary.scores = score(summary, read_rules(plan_path), previous_ranks(history, summary.previous_period))


class _Snapshot(Plan):
    """A plan that stays unchanged during one roll-up: its hash, units and each unit's items and
    their ids are computed once (the plain properties recompute them, and 200 files ask for them)."""

    @classmethod
    def of(cls, plan: Plan) -> _Snapshot:
        """A snapshot of `plan`, its hash computed at once: pickled with it, the worker processes
        receive it instead of each hashing the plan again (30 ms of 7,500 items)."""
        snapshot = cls(**{f.name: getattr(plan, f.name) for f in fields(Plan)})
        snapshot.content_hash  # noqa: B018 (cached)
        return snapshot

    @cached_property
    def content_hash(self) -> str:
        return super().content_hash

    @cached_property
    def units(self) -> list[str]:
        return super().units

    def items_for(self, unit: str) -> list[Item]:
        if "_by_unit" not in self.__dict__:
            by_unit: dict[str, list[Item]] = {}
            for item in self.items:
                for u in item.units:
                    by_unit.setdefault(u, []).append(item)
            self.__dict__["_by_unit"] = by_unit
        return list(self.__dict__["_by_unit"].get(unit, ()))

    def ids_for(self, unit: str) -> frozenset[str]:
        ids: dict[str, frozenset[str]] = self.__dict__.setdefault("_ids", {})
        if unit not in ids:
            ids[unit] = super().ids_for(unit)
        return ids[unit]
