"""Roll-up history: an SQLite file holding each period's rows (stdlib sqlite3).

One row per plan item × responsible unit (× sub-unit one level up) per period. Saving a
period replaces whatever that period held before, so re-running a roll-up is idempotent.
"""

from __future__ import annotations

import errno
import functools
import os
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from toolkit.io.schema import DONE
from toolkit.model.errors import (
    HistoryBusyError,
    HistoryError,
    OutputError,
    ToolkitError,
    UnreadableFileError,
    UsageError,
)
from toolkit.model.text import text_table

if TYPE_CHECKING:
    from toolkit.model import Plan

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    period TEXT PRIMARY KEY,
    plan_hash TEXT, plan_title TEXT, saved_at TEXT,
    files INTEGER, units_reported INTEGER, units_missing INTEGER, plan_id TEXT);
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


Stored = tuple[str, str, str, str, float | None, str, str, str]  # a HistoryRow, or the plain tuple sent to a saver
T = TypeVar("T")
BUSY_SECONDS = 5.0  # how long to wait for another roll-up to finish with the database
# Page cache while a period is saved (KiB): the primary-key index its rows go into stays in
# memory; with SQLite's default 2 MiB, 150 000 rows spill and reread it (~30 % more CPU).
SAVE_CACHE_KIB = 64 * 1024
COLUMNS = {
    "runs": {"period", "plan_hash", "plan_title", "saved_at", "files", "units_reported", "units_missing"},
    "rows": {"period", "unit", "sub_unit", "item_id", "status", "progress", "done_date", "state", "file"},
}


def history_error(exc: Exception, path: Path) -> ToolkitError:
    """The Chinese error for an SQLite or OS fault on the history `path`: each cause its own message.
    Only a file that really is damaged or foreign is called so; a busy one is never."""
    text = str(exc).lower()
    code = getattr(exc, "sqlite_errorcode", None)
    name = path.name
    if "locked" in text or "busy" in text or code in (5, 6):
        return HistoryBusyError(f"历史数据库“{name}”正在被另一个汇总使用，请稍后再试（不要删除该文件）。")
    if isinstance(exc, OSError) or "readonly" in text or "read-only" in text or code == 8:
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            return OutputError(
                f"磁盘空间不足，无法写入历史数据库“{path}”。请清理磁盘后重新汇总；历史库原有内容未改动。"
            )
        return OutputError(
            f"历史数据库“{path}”是只读的（文件或文件夹没有写入权限，或在只读磁盘上），无法记入本期。"
            "请检查权限，或用 --history 指定一个可写的位置；历史库原有内容未改动。"
        )
    if "full" in text or code == 13:
        return OutputError(f"磁盘空间不足，无法写入历史数据库“{path}”。请清理磁盘后重新汇总；历史库原有内容未改动。")
    if "unable to open" in text or code == 14:
        return OutputError(
            f"无法打开历史数据库“{path}”：文件夹不存在或没有权限。请检查路径，或用 --history 指定其他位置。"
        )
    if "malformed" in text or "corrupt" in text or code == 11:
        return HistoryError(
            f"历史数据库“{name}”已损坏（数据页出错）。请用备份替换它；没有备份时可改名保留后重新汇总，"
            "各期汇总表仍可作为记录。"
        )
    if "not a database" in text or code == 26:
        return HistoryError(f"“{name}”不是 SQLite 数据库，不是 fengong 的历史数据库。请用 --history 指定正确的文件。")
    return HistoryError(f"无法使用历史数据库“{name}”：{exc}。请检查该文件，或用 --history 指定其他位置。")


def _connect(path: str | Path, create: bool) -> sqlite3.Connection:
    path = Path(path)
    if not create and not path.is_file():
        raise UnreadableFileError(
            f"找不到历史数据库“{path}”。请先运行 fengong rollup（可用 --history 指定数据库位置）。"
        )
    if path.is_dir():
        raise OutputError(f"历史数据库“{path}”是一个文件夹，不是文件。请用 --history 指定一个 .sqlite 文件。")
    try:
        con = sqlite3.connect(path, timeout=BUSY_SECONDS)
    except (sqlite3.Error, OSError) as exc:
        raise history_error(exc, path) from exc
    try:
        tables = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table in tables & set(COLUMNS):
            have = {row[1] for row in con.execute(f"PRAGMA table_info({table})")}
            if not COLUMNS[table] <= have:
                raise HistoryError(
                    f"“{path.name}”中的表“{table}”不是 fengong 历史库的结构（可能是其他软件的数据库）。"
                    "请用 --history 指定 fengong 的历史数据库或一个新文件名。"
                )
        if tables and not tables & set(COLUMNS):
            raise HistoryError(
                f"“{path.name}”是其他软件的数据库（表：{'、'.join(sorted(tables))}），"
                "不是 fengong 的历史数据库。请用 --history 指定其他文件名。"
            )
        if create and not set(COLUMNS) <= tables:
            con.executescript(SCHEMA)
        if "runs" in tables and "plan_id" not in {row[1] for row in con.execute("PRAGMA table_info(runs)")} and create:
            con.execute("ALTER TABLE runs ADD COLUMN plan_id TEXT")
    except ToolkitError:
        con.close()
        raise
    except (sqlite3.Error, OSError) as exc:
        con.close()
        raise history_error(exc, path) from exc
    return con


def check_history(path: str | Path, plan: Plan) -> None:
    """Refuse a history that belongs to another plan, is busy, read-only or damaged — before
    anything is written. A missing file is fine (it is created when the period is saved)."""
    path = Path(path)
    if not path.exists():
        if not path.parent.is_dir():
            raise OutputError(
                f"历史数据库所在的文件夹不存在：{path.parent}。请先建立该文件夹，或用 --history 指定其他位置。"
            )
        return
    try:
        with closing(_connect(path, create=False)) as con:
            tables = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "runs" not in tables:
                return
            has_id = "plan_id" in {row[1] for row in con.execute("PRAGMA table_info(runs)")}
            stored = con.execute(
                f"SELECT period, plan_hash, plan_title, {'plan_id' if has_id else 'NULL'} FROM runs "
                "ORDER BY period DESC"
            ).fetchall()
            con.execute("BEGIN IMMEDIATE")  # busy (another roll-up writing): say so now
            con.rollback()
            ok = con.execute("PRAGMA quick_check").fetchone()
    except (sqlite3.Error, OSError) as exc:
        raise history_error(exc, path) from exc
    if ok and ok[0] != "ok":
        raise history_error(sqlite3.DatabaseError("database disk image is malformed"), path)
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise history_error(sqlite3.OperationalError("attempt to write a readonly database"), path)
    for period, plan_hash, title, plan_id in stored:
        if plan_hash == plan.content_hash:
            continue
        same_id = plan_id == plan.plan_id if plan_id else (title or "") == (plan.title or "")
        if not same_id:
            raise HistoryError(
                f"历史数据库“{path.name}”记录的是另一个方案“{title or plan_id or plan_hash}”"
                f"（{period} 期），不是本方案“{plan.title or plan.plan_id}”。"
                "请用 --history 指定本方案的历史库，或换一个新文件名。"
            )


def drop_period(path: str | Path, period: str) -> int:
    """Remove one stored period (its run and rows); the number of rows removed. One transaction."""
    path = Path(path)
    try:
        with closing(_connect(path, create=False)) as con, con:
            known = [p for (p,) in con.execute("SELECT period FROM runs ORDER BY period")]
            if period not in known:
                raise UsageError(
                    f"历史数据库“{path.name}”中没有 {period} 期的记录（现有：{'、'.join(known) or '无'}），未作改动。"
                )
            removed = con.execute("DELETE FROM rows WHERE period = ?", (period,)).rowcount
            con.execute("DELETE FROM runs WHERE period = ?", (period,))
    except (sqlite3.Error, OSError) as exc:
        raise history_error(exc, path) from exc
    return removed


def save_period(
    path: str | Path,
    period: str,
    rows: Iterable[Stored],
    *,
    plan_hash: str = "",
    plan_title: str = "",
    plan_id: str = "",
    files: int = 0,
    units_reported: int = 0,
    units_missing: int = 0,
    hold: Callable[[], bool] | None = None,
    cache_kib: int = SAVE_CACHE_KIB,
) -> bool:
    """Store `rows` as period `period`, replacing what that period held (one transaction).
    With `hold`, asked once every row is in: False rolls the period back (nothing changes) and
    `save_period` returns False. `cache_kib`: SQLite's page cache meanwhile."""
    path = Path(path)
    try:
        with closing(_connect(path, create=True)) as con, con:
            con.execute(f"PRAGMA cache_size = -{cache_kib}")
            con.execute("DELETE FROM rows WHERE period = ?", (period,))
            con.execute("DELETE FROM runs WHERE period = ?", (period,))
            con.execute(
                "INSERT INTO runs (period, plan_hash, plan_title, saved_at, files, units_reported, "
                "units_missing, plan_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    period,
                    plan_hash,
                    plan_title,
                    datetime.now().isoformat(timespec="seconds"),
                    files,
                    units_reported,
                    units_missing,
                    plan_id,
                ),
            )
            con.executemany(
                "INSERT OR REPLACE INTO rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ((period, *r) for r in rows),
            )
            if hold and not hold():
                con.rollback()
                return False
    except (sqlite3.Error, OSError) as exc:
        raise history_error(exc, path) from exc
    return True


def _translated(func: Callable[..., T]) -> Callable[..., T]:
    """Run a reader of the history with its SQLite/OS faults said in Chinese (first argument: the path)."""

    @functools.wraps(func)
    def wrapper(path: str | Path, *args: Any, **kwargs: Any) -> T:
        try:
            return func(path, *args, **kwargs)
        except (sqlite3.Error, OSError) as exc:
            raise history_error(exc, Path(path)) from exc

    return wrapper


@_translated
def previous_period(path: str | Path, period: str) -> str | None:
    """The latest stored period before `period`, or None."""
    if not Path(path).is_file():
        return None
    with closing(_connect(path, create=False)) as con:
        found = con.execute("SELECT MAX(period) FROM runs WHERE period < ?", (period,)).fetchone()
    return found[0] if found else None


@_translated
def load_period(path: str | Path, period: str) -> dict[tuple[str, str, str], HistoryRow]:
    """The rows of one stored period, keyed by (unit, sub_unit, item_id)."""
    with closing(_connect(path, create=False)) as con:
        cur = con.execute(
            "SELECT unit, sub_unit, item_id, status, progress, done_date, state, file FROM rows WHERE period = ?",
            (period,),
        )
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

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `fengong history --json` (a unit that did not report has done = null)."""
        return {
            "period": self.period,
            "saved_at": self.saved_at,
            "files": self.files,
            "units_reported": self.units_reported,
            "units_missing": self.units_missing,
            "items": self.items,
            "done": self.done,
            "rate": round(self.rate, 4),
            "units": {
                u: {"done": c.done if c.reported else None, "items": c.items, "reported": c.reported}
                for u, c in self.per_unit.items()
            },
        }


@_translated
def overview(path: str | Path) -> list[PeriodSummary]:
    """Every stored period, oldest first, with each unit's completion."""
    with closing(_connect(path, create=False)) as con:
        runs = con.execute(
            "SELECT period, saved_at, files, units_reported, units_missing FROM runs ORDER BY period"
        ).fetchall()
        counts: dict[str, dict[str, UnitCompletion]] = {}
        for period, unit, done, items, reported in con.execute(
            "SELECT period, unit, SUM(status = ?), COUNT(*), MAX(COALESCE(file, '') != '') FROM rows "
            "GROUP BY period, unit",
            (DONE,),
        ):
            counts.setdefault(period, {})[unit] = UnitCompletion(int(done), int(items), bool(reported))
    result = []
    for period, saved_at, files, reported, missing in runs:
        per_unit = counts.get(period, {})
        result.append(
            PeriodSummary(
                period,
                saved_at,
                files,
                reported,
                missing,
                items=sum(u.items for u in per_unit.values()),
                done=sum(u.done for u in per_unit.values()),
                per_unit=per_unit,
            )
        )
    return result


def report(path: str | Path, periods: list[PeriodSummary]) -> str:
    """The Chinese text of `fengong history`: one line per period, then each unit over time."""
    if not periods:
        return f"历史数据库 {path} 中还没有汇总记录。"
    runs = text_table(
        [("期次", "汇总时间", "文件", "已报送", "未报送", "完成率")]
        + [
            (p.period, p.saved_at, str(p.files), str(p.units_reported), str(p.units_missing), f"{p.rate:.1%}")
            for p in periods
        ],
        right=frozenset({2, 3, 4, 5}),
    )
    units = list(dict.fromkeys(u for p in periods for u in p.per_unit))
    per_unit = text_table(
        [("单位", *(p.period for p in periods))]
        + [(unit, *(_completion(p.per_unit.get(unit)) for p in periods)) for unit in units],
        right=frozenset(range(1, len(periods) + 1)),
    )
    return f"{runs}\n\n各单位完成率（已完成/事项数）：\n{per_unit}"


def _completion(c: UnitCompletion | None) -> str:
    if c is None or not c.items:
        return "—"
    return f"{c.done}/{c.items} {c.done / c.items:.0%}" if c.reported else "未报送"
