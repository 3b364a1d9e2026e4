"""Where an item stands against its deadline on a given day: the one overdue rule and the one
序时进度 rule (docs/schedule.md).

The summary's 逾期, 序时进度, 逾期事项, the charts (PDF, 甘特图 sheet, 总览 picture) and the
documents (督查通报, 催报/督办通知) all ask here; the unit workbook's row colours are `pace` written as
Excel formulas over each row's `basis` (io/unitbook_rules.py).

序时进度 compares what a unit reported with the share of the work that should be done by the
status date (the *expected share*):

- a dated item (`date`, `statutory` with a date) runs evenly from the plan's start to its due date;
- `multi`: each of its dates is a milestone worth an equal share, reached evenly in between;
- `year_round` (全年): spread evenly over the plan year;
- `recurring`: inside its window (and from its start year) each period's work is due in that
  period: 未启动 is 欠序时, anything else 达序时; outside the window it is 待触发;
- `none` (ongoing work such as 长期推进): 未启动 is 欠序时, anything else 达序时;
- `conditional`: 待触发 until the unit reports work under way (then 达序时).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from toolkit.model.plan import Deadline, Plan
from toolkit.model.vocabulary import DeadlineKind, Status

TOLERANCE = 0.10  # 10 percentage points either side of the expected share is 达序时
DUE_DAYS = 30  # 临期: due within this many days of the status date (`fengong rollup --due-days`)
ROUNDING = 6  # decimals of (reported − expected) compared with TOLERANCE, in Python and in Excel


def overdue_days(status: str, due: date | None, as_of: date) -> int:
    """Days past `due` of work not done by `as_of` (0 when not overdue; reported or not)."""
    if due is None or status == Status.DONE or due >= as_of:
        return 0
    return (as_of - due).days


def due_soon(status: str, kind: str, days: int | None, due_days: int) -> bool:
    """临期: dated work not done, due `days` (≥ 0) after the status date, within `due_days`;
    全年工作 is never 临期 (it is listed apart at the year's end)."""
    return status != Status.DONE and days is not None and 0 <= days <= due_days and kind != DeadlineKind.YEAR_ROUND


class Pace(StrEnum):
    """序时进度 of one item × unit in one period."""

    DONE = "已完成"
    AHEAD = "超序时"
    ON = "达序时"
    BEHIND = "欠序时"
    OVERDUE = "逾期"
    MISSING = "未报送"
    WAITING = "待触发"

    @property
    def light(self) -> str:
        """The lamp of this state: red, green or "" (no colour); amber is 临期 (see `light_of`)."""
        return _LIGHTS.get(self, "")

    @property
    def judged(self) -> bool:
        """Whether the state counts in 按序时推进率 (a reported item that is not 待触发)."""
        return self not in (Pace.MISSING, Pace.WAITING)

    @property
    def on_track(self) -> bool:
        """已完成, 超序时 or 达序时: the numerator of 按序时推进率."""
        return self in (Pace.DONE, Pace.AHEAD, Pace.ON)


PACE_ORDER: tuple[Pace, ...] = tuple(Pace)
RED, AMBER, GREEN = "红灯", "黄灯", "绿灯"
_LIGHTS: dict[str, str] = {Pace.OVERDUE: RED, Pace.BEHIND: RED, Pace.DONE: GREEN, Pace.AHEAD: GREEN}
LIGHT_COLOURS = {RED: ("#FFCDD2", "#B71C1C"), AMBER: ("#FFE0B2", "#E65100"), GREEN: ("#C8E6C9", "#1B5E20")}


def light_of(pace: Pace | str, due_soon: bool = False) -> str:
    """红灯 (逾期, 欠序时), 黄灯 (临期, otherwise not red), 绿灯 (已完成, 超序时), or ""."""
    found = _LIGHTS.get(pace, "")  # a Pace or its text: equal keys (StrEnum)
    if found == RED:
        return RED
    if due_soon and pace != Pace.DONE:
        return AMBER
    return found


_VALUES = frozenset(Pace)


class Basis(NamedTuple):
    """How 序时进度 is judged for a deadline on a day (`basis`): `rule` is "share" (the expected
    share runs evenly from `start` to `end`, both counted, after `passed` of `milestones` equal
    milestones), "start" (未启动 is 欠序时), "trigger" (待触发 until started) or "outside"
    (recurring work outside its window: 待触发)."""

    rule: str
    start: date | None = None
    end: date | None = None
    passed: int = 0
    milestones: int = 1

    def share(self, as_of: date) -> float:
        """The expected share (0–1) on `as_of` of a "share" basis."""
        assert self.start is not None and self.end is not None
        return (self.passed + _linear(self.start, self.end, as_of)) / self.milestones


def basis(deadline: Deadline, as_of: date, start: date) -> Basis:
    """The basis `pace` judges `deadline` on for `as_of`; `start` is the plan's first day."""
    kind = deadline.kind
    if kind == DeadlineKind.CONDITIONAL or (kind == DeadlineKind.STATUTORY and deadline.due is None):
        return Basis("trigger")
    if kind == DeadlineKind.RECURRING:
        return Basis("start") if in_window(deadline, as_of) else Basis("outside")
    if kind == DeadlineKind.MULTI and deadline.dates:
        marks = sorted(deadline.dates)
        passed, before = 0, start
        for mark in marks[:-1]:
            if as_of < mark:
                break
            passed, before = passed + 1, mark + timedelta(days=1)
        return Basis("share", before, marks[passed], passed, len(marks))
    if deadline.due is None or kind == DeadlineKind.NONE:
        return Basis("start")  # ongoing work with no date
    if kind == DeadlineKind.YEAR_ROUND:
        start = date(deadline.due.year, 1, 1)
    return Basis("share", start, deadline.due)


def expected_share(deadline: Deadline, as_of: date, start: date) -> float | None:
    """The share of the work (0–1) that should be done by `as_of`, or None when the deadline
    has no such measure (recurring, conditional, ongoing)."""
    found = basis(deadline, as_of, start)
    return found.share(as_of) if found.rule == "share" else None


def _linear(start: date, end: date, as_of: date) -> float:
    """Share of the days from `start` to `end` (both counted) passed by the end of `as_of`."""
    if as_of >= end:
        return 1.0
    if as_of < start:
        return 0.0
    return ((as_of - start).days + 1) / ((end - start).days + 1)


def in_window(deadline: Deadline, as_of: date) -> bool:
    """Whether recurring work falls due in the period of `as_of` (its month window, its start year)."""
    if deadline.start_year and as_of.year < deadline.start_year:
        return False
    if not deadline.window:
        return True
    first, last = deadline.window
    month = as_of.month
    return first <= month <= last if first <= last else month >= first or month <= last


def reported_share(status: str, progress: float | None) -> float | None:
    """The share done as a unit reported it: 完成进度, else 0 for 未启动 (None: not known)."""
    if progress is not None:
        return progress
    if status == Status.NOT_STARTED:
        return 0.0
    return None


def pace(deadline: Deadline, as_of: date, *, status: str, progress: float | None, reported: bool, start: date) -> Pace:
    """序时进度 of one item × unit as of `as_of` (the rule of docs/schedule.md).

    `start` is the day the plan's work begins (1 January of the plan year, or its issue date).
    """
    if reported and status == Status.DONE:
        return Pace.DONE
    if overdue_days(status, deadline.due, as_of) > 0:
        return Pace.OVERDUE
    if not reported:
        return Pace.MISSING
    if status == Status.PAUSED:
        return Pace.WAITING
    started = status not in ("", Status.NOT_STARTED) or bool(progress)
    found = basis(deadline, as_of, start)
    if found.rule == "trigger":
        return Pace.ON if started else Pace.WAITING
    if found.rule == "outside":
        return Pace.WAITING
    if found.rule == "start":
        return Pace.BEHIND if status == Status.NOT_STARTED else Pace.ON
    done = reported_share(status, progress)
    if done is None:  # 推进中 / 持续推进 without a 完成进度: taken as on schedule
        return Pace.ON
    gap = round(done - found.share(as_of), ROUNDING)  # ties fall the same way in Excel and here
    if gap >= TOLERANCE or done >= 1:
        return Pace.AHEAD
    if gap >= -TOLERANCE:
        return Pace.ON
    return Pace.BEHIND


def plan_start(year: int | None, issue_date: date | None, as_of: date) -> date:
    """The day a plan's work begins: 1 January of its year (of `as_of`'s year when unknown)."""
    return date(year or (issue_date.year if issue_date else as_of.year), 1, 1)


@dataclass(frozen=True)
class Judge:
    """The 序时进度 rule for one plan on one status date, as the summary and the charts apply it."""

    as_of: date
    start: date
    due_days: int = DUE_DAYS

    @classmethod
    def of(cls, plan: Plan, as_of: date, due_days: int = DUE_DAYS) -> Judge:
        """The judge of `plan` on `as_of` (its work starts on `plan_start`)."""
        return cls(as_of, plan_start(plan.year, plan.issue_date, as_of), due_days)

    def pace(self, deadline: Deadline, status: str, progress: float | None, reported: bool) -> Pace:
        """序时进度 of one item × unit (`pace` with this plan's start)."""
        return pace(deadline, self.as_of, status=status, progress=progress, reported=reported, start=self.start)

    def light(self, deadline: Deadline, found: Pace | str, status: str, reported: bool) -> str:
        """亮灯 of one item × unit judged `found`: amber when a reported item is 临期."""
        days = (deadline.due - self.as_of).days if deadline.due else None
        return light_of(found, reported and due_soon(status, deadline.kind, days, self.due_days))


def push_rate(paces: Iterable[str]) -> float:
    """按序时推进率: (已完成 + 超序时 + 达序时) ÷ reported items that are not 待触发, to 4 places."""
    counts = Counter(paces)
    judged = sum(n for p, n in counts.items() if p in _VALUES and Pace(p).judged)
    on_track = sum(n for p, n in counts.items() if p in _VALUES and Pace(p).on_track)
    return round(on_track / judged, 4) if judged else 0.0
