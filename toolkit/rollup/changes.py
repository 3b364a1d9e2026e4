"""The roll-up's history: compare with the previous period (本月变化) and store this one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from toolkit.io import schema as S
from toolkit.model import Plan
from toolkit.model.period import Period
from toolkit.rollup.entry import STATE_OVERDUE, Entry

CHANGE_ORDER = {"新完成": 0, "新逾期": 1, "状态变化": 2, "进度变化": 3}


@dataclass(frozen=True)
class Change:
    """One row of 本月变化: an entry whose status or progress moved since the previous period."""

    kind: str  # one of CHANGE_ORDER
    entry: Entry
    old_status: str
    old_progress: float | None

    @property
    def delta(self) -> float | None:
        new = self.entry.progress
        if new is None and self.old_progress is None:
            return None
        return (new or 0.0) - (self.old_progress or 0.0)

    @property
    def due(self) -> date | None:
        return self.entry.item.deadline.due


def changes(path: Path | None, period: Period, entries: list[Entry]) -> tuple[Period | None, list[Change]]:
    """(previous stored period or None, rows of 本月变化) against the history's previous period."""
    from toolkit.io.history import load_period, previous_period

    prev_period = previous_period(path, str(period)) if path else None
    if not prev_period:
        return None, []
    before = load_period(path, prev_period)
    rows = []
    for e in entries:
        old = before.get((e.unit, e.sub_unit, e.item.id))
        if old is None:
            continue
        if e.status == S.DONE and old.status != S.DONE:
            kind = "新完成"
        elif e.stored_state == STATE_OVERDUE and old.state != STATE_OVERDUE:
            kind = "新逾期"
        elif e.status != (old.status or ""):
            kind = "状态变化"
        elif e.progress != old.progress:
            kind = "进度变化"
        else:
            continue
        rows.append(Change(kind, e, old.status or "", old.progress))
    rows.sort(key=lambda c: CHANGE_ORDER[c.kind])
    return Period.parse(prev_period), rows


def save_history(
    path: Path, period: Period, plan: Plan, entries: list[Entry], files: int, reported: list[str], missing: list[str]
) -> None:
    """Store this period's entries (replacing what the period held)."""
    from toolkit.io.history import HistoryRow, save_period

    rows = [
        HistoryRow(
            e.unit,
            e.sub_unit,
            e.item.id,
            e.status,
            e.progress,
            e.done_date.isoformat() if e.done_date else "",
            e.stored_state,
            e.file,
        )
        for e in entries
    ]
    save_period(
        path,
        str(period),
        rows,
        plan_hash=plan.content_hash,
        plan_title=plan.title,
        plan_id=plan.plan_id,
        files=files,
        units_reported=len(reported),
        units_missing=len(missing),
    )
