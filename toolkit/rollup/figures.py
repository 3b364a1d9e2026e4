"""The roll-up's figures as typed values: what the summary workbook shows and a report reads.

`summarise` turns the judged entries into a `Summary`: the overview (总览), one `UnitStats` per
unit (分单位统计), the overdue and due-soon lists, what each missing unit owes, the problems and
the changes since last period. `toolkit.rollup.tables` lays these out as sheets.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from toolkit.io import schema as S
from toolkit.io.inbox import Return
from toolkit.io.summary import STATE_MISSING
from toolkit.model import Deadline, Item, Plan
from toolkit.model.period import Period
from toolkit.model.problems import ERROR, WARNING, Problem
from toolkit.model.schedule import Judge, Pace, light_of, push_rate
from toolkit.model.vocabulary import STATUS_VALUES
from toolkit.rollup.changes import Change
from toolkit.rollup.entry import NO_STATUS, Entry

if TYPE_CHECKING:
    from toolkit.reports.scoring import ScoreLine


@dataclass
class Overview:
    """The figures of 总览."""

    plan_title: str
    own_unit: str
    period: Period
    as_of: date
    generated_at: datetime
    units_expected: int
    units_reported: int
    missing_units: list[str]
    files_received: int
    files_used: int
    entries: int
    by_status: dict[str, int]  # each status, and NO_STATUS for reported rows without one
    not_reported: int  # entries of units that did not report
    overdue: int
    due_soon: int
    due_days: int
    errors: int
    warnings: int
    by_pace: dict[str, int] = field(default_factory=dict)  # 序时进度 of every entry
    push_rate: float = 0.0  # 按序时推进率
    year_end: int = 0  # 全年工作 items (not entries) whose year ends within due_days, listed apart from 临期

    @property
    def done(self) -> int:
        return self.by_status[S.DONE]

    @property
    def completion_rate(self) -> float:
        """完成率: entries done ÷ all entries, to 4 places."""
        return round(self.done / self.entries, 4) if self.entries else 0.0

    def pairs(self) -> list[tuple[str, object]]:
        """(label, value) in the order 总览 shows them; `fengong rollup --json` keys them so."""
        return [
            ("方案", self.plan_title),
            ("汇总单位", self.own_unit),
            ("报送期次", self.period.label),
            ("统计日期", self.as_of.isoformat()),
            ("生成时间", self.generated_at.isoformat(sep=" ", timespec="seconds")),
            ("应报单位数", self.units_expected),
            ("已报送单位数", self.units_reported),
            ("未报送单位数", len(self.missing_units)),
            ("未报送单位", "、".join(self.missing_units) or "无"),
            ("收到文件数", self.files_received),
            ("采用文件数", self.files_used),
            ("任务条目数（事项×单位）", self.entries),
            *((status, self.by_status[status]) for status in (*STATUS_VALUES, NO_STATUS)),
            ("未报送", self.not_reported),
            ("逾期", self.overdue),
            (f"临期（{self.due_days}天内到期）", self.due_soon),
            ("完成率", self.completion_rate),
            *((p.value, self.by_pace.get(p, 0)) for p in (Pace.AHEAD, Pace.ON, Pace.BEHIND, Pace.WAITING)),
            ("按序时推进率", self.push_rate),
            ("年底到期的全年工作（项）", self.year_end),
            ("校验问题（错误）", self.errors),
            ("校验问题（提醒）", self.warnings),
        ]


@dataclass
class UnitStats:
    """One row of 分单位统计."""

    unit: str
    entries: int
    by_status: dict[str, int]
    no_status: int
    not_reported: int
    overdue: int
    due_soon: int
    reported: bool
    filled: date | None
    on_time: str  # 是 / 否 / — (no return deadline given, or nothing sent)
    file: str
    problems: int
    by_pace: dict[str, int] = field(default_factory=dict)
    push_rate: float = 0.0
    score: float | None = None  # 考核评分 (toolkit.reports.scoring), with its rank and the change since last period
    rank: int | None = None
    rank_change: str = ""
    contact: str = ""  # 联系人 / 电话: the latest a unit filled in, else the 单位名录
    phone: str = ""

    @property
    def completion_rate(self) -> float:
        return round(self.by_status[S.DONE] / self.entries, 4) if self.entries else 0.0

    @property
    def light(self) -> str:
        """亮灯 of the unit: 红灯 with anything 逾期/欠序时, else 黄灯 with anything 临期, else 绿灯
        with anything 已完成/超序时; 未报送 for a unit that sent nothing."""
        if not self.reported:
            return STATE_MISSING
        if self.by_pace.get(Pace.OVERDUE) or self.by_pace.get(Pace.BEHIND):
            return light_of(Pace.BEHIND)
        if self.due_soon:
            return light_of(Pace.ON, due_soon=True)
        return light_of(Pace.DONE) if self.by_pace.get(Pace.DONE) or self.by_pace.get(Pace.AHEAD) else ""


@dataclass
class MissingUnit:
    """A unit that did not report: what it owes and why a file it sent was not used."""

    unit: str
    items: int
    lead_items: int
    overdue: int
    reason: str
    streak: int = 1  # periods in a row (this one included) without a return
    contact: str = ""
    phone: str = ""


@dataclass
class Summary:
    """Everything a roll-up found, as the summary workbook and the reports present it."""

    plan: Plan
    overview: Overview
    units: list[UnitStats]
    entries: list[Entry]
    late: list[Entry]  # overdue, the most overdue first
    soon: list[Entry]  # due within `due_days`, the soonest first
    missing: list[MissingUnit]
    problems: list[Problem]
    changes: list[Change] = field(default_factory=list)
    previous_period: Period | None = None
    problem_units: list[tuple[str, Problem]] = field(default_factory=list)  # (unit of the file, problem)
    year_end: list[Entry] = field(default_factory=list)  # 全年工作 due at the year's end, not done
    scores: list[ScoreLine] = field(default_factory=list)  # the 考核评分 breakdown


def _set_paces(judge: Judge, entries: list[Entry]) -> None:
    """Each entry's 序时进度, as plain str (the fast writer skips enums): judged once per
    (deadline, status, progress, reported) — the units of an item mostly report alike."""
    by_deadline: dict[Deadline, dict[tuple[str, float | None, bool], str]] = {}
    item: Item | None = None
    judged: dict[tuple[str, float | None, bool], str] = {}
    for e in entries:
        if e.item is not item:  # an item's entries come together: its deadline hashed once
            item = e.item
            judged = by_deadline.setdefault(item.deadline, {})
        key = (e.status, e.progress, e.state != STATE_MISSING)
        pace = judged.get(key)
        if pace is None:
            pace = judged[key] = judge.pace(item.deadline, *key).value
        e.pace = pace


def summarise(
    plan: Plan,
    period: Period,
    as_of: date,
    due_days: int,
    own_unit: str,
    entries: list[Entry],
    chosen: dict[str, Return],
    returns: list[Return],
    problems: list[Problem],
    missing: list[str],
    changes: tuple[Period | None, list[Change]],
    return_by: date | None,
    *,
    other_files: int = 0,
) -> Summary:
    """The figures of one roll-up from its judged entries (their 序时进度 is set here). `other_files`:
    files under the inbox that were not read (listed in 校验问题), counted in 收到文件数."""
    _set_paces(Judge.of(plan, as_of, due_days), entries)
    overdue = [e for e in entries if e.overdue]  # each list made once: 150,000 entries at 1,000 returns
    due_soon = [e for e in entries if e.due_soon(due_days)]
    year_end = [e for e in entries if e.year_end(due_days)]
    paces = Counter(e.pace for e in entries)
    counts = Counter(e.status or NO_STATUS for e in entries if e.state != STATE_MISSING)
    overview = Overview(
        plan_title=plan.title,
        own_unit=own_unit,
        period=period,
        as_of=as_of,
        generated_at=datetime.now(),
        units_expected=len(plan.units),
        units_reported=len(plan.units) - len(missing),
        missing_units=missing,
        files_received=len(returns) + other_files,
        files_used=len(chosen),
        entries=len(entries),
        by_status={s: counts[s] for s in (*STATUS_VALUES, NO_STATUS)},
        not_reported=sum(e.state == STATE_MISSING for e in entries),
        overdue=len(overdue),
        due_soon=len(due_soon),
        due_days=due_days,
        errors=sum(p.severity == ERROR for p in problems),
        warnings=sum(p.severity == WARNING for p in problems),
        by_pace={p: paces[p] for p in Pace},
        push_rate=push_rate(e.pace for e in entries),
        year_end=len({e.item.id for e in year_end}),
    )
    order = {item.id: i for i, item in enumerate(plan.items)}  # 编号 in plan order: 14-2 before 14-10
    late = sorted(overdue, key=lambda e: (e.days, order.get(e.item.id, -1)))
    soon = sorted(due_soon, key=lambda e: (e.days, order.get(e.item.id, -1)))
    previous, change_rows = changes
    senders = {r.name: r.unit for r in returns if r.unit}
    contacts = _contacts(plan, returns)
    by_unit: dict[str, list[Entry]] = {}
    for e in entries:
        by_unit.setdefault(e.unit, []).append(e)
    return Summary(
        plan,
        overview,
        _unit_stats(
            plan,
            by_unit,
            chosen,
            Counter(e.unit for e in overdue),
            Counter(e.unit for e in due_soon),
            return_by,
            problems,
            contacts,
        ),
        entries,
        late,
        soon,
        _missing(by_unit, returns, missing, contacts),
        problems,
        change_rows,
        previous,
        [(senders.get(p.file, ""), p) for p in problems],
        year_end,
    )


def _contacts(plan: Plan, returns: list[Return]) -> dict[str, tuple[str, str]]:
    """unit → (联系人, 电话): from the 单位名录, replaced by the newest 填报人 / 联系电话 the unit
    filled in (in any file it sent, used or not)."""
    out = {u: plan.directory.contact(u) if plan.directory else ("", "") for u in plan.units}
    newest: dict[str, tuple[tuple[datetime, float], tuple[str, str]]] = {}
    for ret in returns:
        if ret.unit in out and any(ret.filler):
            key = (ret.filled_at or datetime.min, ret.mtime)
            if ret.unit not in newest or key > newest[ret.unit][0]:
                newest[ret.unit] = (key, ret.filler)
    for unit, (_, (who, phone)) in newest.items():
        out[unit] = (who or out[unit][0], phone or out[unit][1])
    return out


def _unit_stats(
    plan: Plan,
    by_unit: dict[str, list[Entry]],
    chosen: dict[str, Return],
    overdue: Counter[str],
    due_soon: Counter[str],
    return_by: date | None,
    problems: list[Problem],
    contacts: dict[str, tuple[str, str]],
) -> list[UnitStats]:
    """Each unit's line of 分单位统计; `overdue` and `due_soon` count its entries on those lists."""
    per_file = Counter(p.file for p in problems)
    stats = []
    for unit in plan.units:
        rows = by_unit.get(unit, [])
        filled_in = [e for e in rows if e.state != STATE_MISSING]  # one level up: some sub-units may not report
        counts = Counter(e.status or NO_STATUS for e in filled_in)
        paces = Counter(e.pace for e in rows)
        ret = chosen.get(unit)
        filled = (ret.filled_at.date() if ret.filled_at else date.fromtimestamp(ret.mtime)) if ret else None
        on_time = "—" if not filled or not return_by else ("是" if filled <= return_by else "否")
        stats.append(
            UnitStats(
                unit=unit,
                entries=len(rows),
                by_status={s: counts[s] for s in STATUS_VALUES},
                no_status=len(filled_in) - sum(counts[s] for s in STATUS_VALUES),
                not_reported=len(rows) - len(filled_in),
                overdue=overdue[unit],
                due_soon=due_soon[unit],
                reported=ret is not None,
                filled=filled,
                on_time=on_time,
                file=ret.name if ret else "",
                problems=per_file[ret.name] if ret else 0,
                by_pace={p: paces[p] for p in Pace},
                push_rate=push_rate(e.pace for e in rows),
                contact=contacts[unit][0],
                phone=contacts[unit][1],
            )
        )
    return stats


def _missing(
    by_unit: dict[str, list[Entry]], returns: list[Return], missing: list[str], contacts: dict[str, tuple[str, str]]
) -> list[MissingUnit]:
    sent: dict[str, list[Return]] = {}
    for r in returns:
        sent.setdefault(r.unit, []).append(r)
    out = []
    for unit in missing:
        owed = by_unit.get(unit, [])
        rejected = sent.get(unit, [])
        why = (
            "；".join(f"收到“{r.name}”未采用：{r.problems[-1].message}" for r in rejected if r.problems) or "未收到文件"
        )
        out.append(
            MissingUnit(
                unit,
                len(owed),
                sum(e.role == S.ROLE_LEAD for e in owed),
                sum(e.overdue for e in owed),
                why,
                contact=contacts.get(unit, ("", ""))[0],
                phone=contacts.get(unit, ("", ""))[1],
            )
        )
    return out
