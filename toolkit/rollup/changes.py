"""The roll-up's history: compare with the previous period (本月变化) and store this one."""

from __future__ import annotations

from pathlib import Path

from toolkit.io import schema as S
from toolkit.model import Plan
from toolkit.model.period import Period
from toolkit.rollup.entry import STATE_OVERDUE, Entry

CHANGE_ORDER = {"新完成": 0, "新逾期": 1, "状态变化": 2, "进度变化": 3}


def changes(path: Path | None, period: Period, entries: list[Entry]) -> tuple[str, list[tuple]]:
    """(previous period or "", rows of 本月变化) against the history's previous period."""
    from toolkit.io.history import load_period, previous_period

    prev_period = previous_period(path, str(period)) if path else None
    if not prev_period:
        return "", []
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
        delta = (e.progress or 0.0) - (old.progress or 0.0) if e.progress is not None or old.progress is not None else None
        rows.append((kind, e.item.id, e.item.task, e.unit, e.sub_unit, e.item.deadline.due, old.status,
                     e.status, old.progress, e.progress, delta))
    rows.sort(key=lambda r: CHANGE_ORDER[r[0]])
    return prev_period, rows


def save_history(path: Path, period: Period, plan: Plan, entries: list[Entry], files: int,
                 reported: list[str], missing: list[str]) -> None:
    """Store this period's entries (replacing what the period held)."""
    from toolkit.io.history import HistoryRow, save_period

    rows = [HistoryRow(e.unit, e.sub_unit, e.item.id, e.status, e.progress,
                       e.done_date.isoformat() if e.done_date else "", e.stored_state, e.file) for e in entries]
    save_period(path, str(period), rows, plan_hash=plan.content_hash, plan_title=plan.title, files=files,
                units_reported=len(reported), units_missing=len(missing))
