"""The roll-up's history: compare with the previous period (本月变化) and store this one."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.io import schema as S
from toolkit.model import Plan
from toolkit.model.period import Period
from toolkit.rollup.entry import STATE_OVERDUE, Entry

if TYPE_CHECKING:
    from toolkit.io.history import Stored

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


def history_rows(entries: Iterable[Entry]) -> Iterator[Stored]:
    """What the history keeps of each entry (`HistoryRow`'s fields, as a plain tuple)."""
    for e in entries:
        yield (
            e.unit,
            e.sub_unit,
            e.item.id,
            e.status,
            e.progress,
            e.done_date.isoformat() if e.done_date else "",
            e.stored_state,
            e.file,
        )


def run_info(plan: Plan, files: int, reported: list[str], missing: list[str]) -> dict[str, Any]:
    """The history's record of the run (`save_period`'s keywords besides the rows)."""
    return {
        "plan_hash": plan.content_hash,
        "plan_title": plan.title,
        "plan_id": plan.plan_id,
        "files": files,
        "units_reported": len(reported),
        "units_missing": len(missing),
    }
