"""Roll-up history: an SQLite file holding each period's rows (stdlib sqlite3).

One row per plan item × responsible unit (× sub-unit one level up) per period. Saving a
period replaces whatever that period held before, so re-running a roll-up is idempotent.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from toolkit.io.schema import DONE
from toolkit.model.errors import UnreadableFileError
from toolkit.model.text import text_table

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    period TEXT PRIMARY KEY,
    plan_hash TEXT, plan_title TEXT, saved_at TEXT,
    files INTEGER, units_reported INTEGER, units_missing INTEGER);
CREATE TABLE IF NOT EXISTS rows (
    period TEXT NOT NULL, unit TEXT NOT NULL, sub_unit TEXT NOT NULL, item_id TEXT NOT NULL,
    status TEXT, progress REAL, done_date TEXT, state TEXT, file TEXT,
    PRIMARY KEY (period, unit, sub_unit, item_id));
"""


class HistoryRow(NamedTuple):
    """What the history keeps of one summary row."""

    unit: str
    sub_unit: str
    item_id: str
    status: str
    progress: float | None
    done_date: str
    state: str
    file: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.unit, self.sub_unit, self.item_id)


def _connect(path: str | Path, create: bool) -> sqlite3.Connection:
    path = Path(path)
    if not create and not path.is_file():
        raise UnreadableFileError(f"找不到历史数据库“{path}”。请先运行 fengong rollup（可用 --history 指定数据库位置）。")
    try:
        con = sqlite3.connect(path)
        con.executescript(SCHEMA)
    except sqlite3.DatabaseError as exc:
        raise UnreadableFileError(
            f"“{path.name}”不是 fengong 的历史数据库（{exc}）。请换一个文件名，或删除损坏的文件后重新汇总。"
        ) from exc
    return con


def save_period(path: str | Path, period: str, rows: list[HistoryRow], *, plan_hash: str = "",
                plan_title: str = "", files: int = 0, units_reported: int = 0, units_missing: int = 0) -> None:
    """Store `rows` as period `period`, replacing what that period held (one transaction)."""
    with closing(_connect(path, create=True)) as con, con:
        con.execute("DELETE FROM rows WHERE period = ?", (period,))
        con.execute("DELETE FROM runs WHERE period = ?", (period,))
        con.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (period, plan_hash, plan_title, datetime.now().isoformat(timespec="seconds"),
                     files, units_reported, units_missing))
        con.executemany(
            "INSERT OR REPLACE INTO rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((period, *r) for r in rows),
        )


def previous_period(path: str | Path, period: str) -> str | None:
    """The latest stored period before `period`, or None."""
    if not Path(path).is_file():
        return None
    with closing(_connect(path, create=False)) as con:
        found = con.execute("SELECT MAX(period) FROM runs WHERE period < ?", (period,)).fetchone()
    return found[0] if found else None


def load_period(path: str | Path, period: str) -> dict[tuple[str, str, str], HistoryRow]:
    """The rows of one stored period, keyed by (unit, sub_unit, item_id)."""
    with closing(_connect(path, create=False)) as con:
        cur = con.execute("SELECT unit, sub_unit, item_id, status, progress, done_date, state, file "
                          "FROM rows WHERE period = ?", (period,))
        return {r.key: r for r in (HistoryRow(*values) for values in cur)}


class UnitCompletion(NamedTuple):
    """One unit in one stored period: done items, items, and whether it reported (a unit
    that did not report has rows with no file)."""

    done: int
    items: int
    reported: bool


@dataclass(frozen=True)
class PeriodSummary:
    """One stored period: run facts and per-unit completion."""

    period: str
    saved_at: str
    files: int
    units_reported: int
    units_missing: int
    items: int
    done: int
    per_unit: dict[str, UnitCompletion]

    @property
    def rate(self) -> float:
        return self.done / self.items if self.items else 0.0

    def to_dict(self) -> dict:
        """The JSON of `fengong history --json` (a unit that did not report has done = null)."""
        return {"period": self.period, "saved_at": self.saved_at, "files": self.files,
                "units_reported": self.units_reported, "units_missing": self.units_missing,
                "items": self.items, "done": self.done, "rate": round(self.rate, 4),
                "units": {u: {"done": c.done if c.reported else None, "items": c.items, "reported": c.reported}
                          for u, c in self.per_unit.items()}}


def overview(path: str | Path) -> list[PeriodSummary]:
    """Every stored period, oldest first, with each unit's completion."""
    with closing(_connect(path, create=False)) as con:
        runs = con.execute("SELECT period, saved_at, files, units_reported, units_missing FROM runs "
                           "ORDER BY period").fetchall()
        counts: dict[str, dict[str, UnitCompletion]] = {}
        for period, unit, done, items, reported in con.execute(
                "SELECT period, unit, SUM(status = ?), COUNT(*), MAX(COALESCE(file, '') != '') FROM rows "
                "GROUP BY period, unit", (DONE,)):
            counts.setdefault(period, {})[unit] = UnitCompletion(int(done), int(items), bool(reported))
    result = []
    for period, saved_at, files, reported, missing in runs:
        per_unit = counts.get(period, {})
        result.append(PeriodSummary(
            period, saved_at, files, reported, missing,
            items=sum(u.items for u in per_unit.values()), done=sum(u.done for u in per_unit.values()),
            per_unit=per_unit,
        ))
    return result


def report(path: str | Path, periods: list[PeriodSummary]) -> str:
    """The Chinese text of `fengong history`: one line per period, then each unit over time."""
    if not periods:
        return f"历史数据库 {path} 中还没有汇总记录。"
    runs = text_table([("期次", "汇总时间", "文件", "已报送", "未报送", "完成率")] + [
        (p.period, p.saved_at, str(p.files), str(p.units_reported), str(p.units_missing), f"{p.rate:.1%}")
        for p in periods], right=frozenset({2, 3, 4, 5}))
    units = list(dict.fromkeys(u for p in periods for u in p.per_unit))
    per_unit = text_table([("单位", *(p.period for p in periods))] + [
        (unit, *(_completion(p.per_unit.get(unit)) for p in periods)) for unit in units],
        right=frozenset(range(1, len(periods) + 1)))
    return f"{runs}\n\n各单位完成率（已完成/事项数）：\n{per_unit}"


def _completion(c: UnitCompletion | None) -> str:
    if c is None or not c.items:
        return "—"
    return f"{c.done}/{c.items} {c.done / c.items:.0%}" if c.reported else "未报送"
