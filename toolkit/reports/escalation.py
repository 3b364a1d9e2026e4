"""督办等级: how long a unit has been chased, from the roll-up history.

An item × unit that is 逾期 or 欠序时 (red) this period has a *streak*: the number of stored
periods in a row, this one included, it was red (the earlier periods judged again by the one
序时进度 rule, as of their last day). A unit that did not report has a streak of periods in a
row without a return. The level rises with the streak: 提醒 → 警示 → 督办.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.model.period import Period
from toolkit.model.plan import Item, Plan
from toolkit.model.schedule import RED, Judge, Pace

if TYPE_CHECKING:
    from toolkit.rollup.entry import Entry
    from toolkit.rollup.figures import MissingUnit

LEVELS = ("提醒", "警示", "督办")  # streak 1, 2, 3 or more
LEVEL_COLOURS = {"提醒": "蓝色", "警示": "橙色", "督办": "红色"}
LOOK_BACK = len(LEVELS) - 1  # earlier periods that can still raise the level


def level(streak: int) -> str:
    """提醒 / 警示 / 督办 for a streak of 1 / 2 / 3+ periods ("" for none)."""
    return LEVELS[min(streak, len(LEVELS)) - 1] if streak > 0 else ""


def earlier_periods(path: Path | None, period: Period, n: int = LOOK_BACK) -> list[str]:
    """Up to `n` stored periods before `period`, the latest first."""
    if not path or not Path(path).is_file():
        return []
    with closing(sqlite3.connect(path)) as con:
        try:
            found = con.execute(
                "SELECT period FROM runs WHERE period < ? ORDER BY period DESC LIMIT ?", (str(period), n)
            ).fetchall()
        except sqlite3.DatabaseError:
            return []
    return [p for (p,) in found]


def apply_streaks(
    path: Path | None, period: Period, plan: Plan, entries: list[Entry], missing: list[MissingUnit]
) -> None:
    """Set `streak` on every red entry and on every missing unit from the history at `path`."""
    from toolkit.io.history import load_period

    reds = {p.value for p in Pace if p.light == RED}  # entries hold a 序时进度 as its text
    red = [e for e in entries if e.pace in reds]
    for e in red:
        e.streak = 1
    for m in missing:
        m.streak = 1
    items: dict[str, Item] = {i.id: i for i in plan.items}
    alive_entries, alive_units = red, list(missing)
    for earlier in earlier_periods(path, period):
        if not alive_entries and not alive_units:
            break
        rows = load_period(path, earlier) if path else {}
        as_of = Period.parse(earlier).end
        judge = Judge.of(plan, as_of)
        still = []
        for e in alive_entries:
            row = rows.get((e.unit, e.sub_unit, e.item.id))
            item = items.get(e.item.id)
            if row is None or item is None:
                continue
            was = judge.pace(item.deadline, row.status or "", row.progress, bool(row.file))
            if was.light == RED:
                e.streak += 1
                still.append(e)
        alive_entries = still
        silent: dict[str, bool] = {}
        for row in rows.values():
            silent[row.unit] = silent.get(row.unit, True) and not row.file
        alive_units = [m for m in alive_units if silent.get(m.unit)]
        for m in alive_units:
            m.streak += 1
