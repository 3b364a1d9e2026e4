"""考核评分: each unit's score by the published rules, its rank, and the change since last period.

The rules sit in the 考核规则 sheet of the plan workbook (规则 | 分值 | 说明), written there with
the defaults below and editable by the clerk; a plan workbook without the sheet scores by the
defaults. The score is 基础分 plus each rule's points once per case (a late or missing report,
each overdue or behind-schedule lead / co-operating item). The breakdown (which rule, which
item, how many points) is the summary's 考核评分 sheet; the ranks are kept in the history
(table `scores`) so the next period can show the change.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.io import schema as S
from toolkit.io.rules import (  # the rule names and the sheet, re-exported (__all__)
    BASE,
    CO_BEHIND,
    CO_OVERDUE,
    DEFAULT_RULES,
    LATE,
    LEAD_BEHIND,
    LEAD_OVERDUE,
    MISSING,
    RULES_SHEET,
    default_rules,
    read_rules,
    write_rules_sheet,
)
from toolkit.io.summary import STATE_MISSING
from toolkit.model.period import Period
from toolkit.model.schedule import Pace

__all__ = [
    "BASE",
    "CO_BEHIND",
    "CO_OVERDUE",
    "DEFAULT_RULES",
    "LATE",
    "LEAD_BEHIND",
    "LEAD_OVERDUE",
    "MISSING",
    "RULES_SHEET",
    "SCHEMA",
    "ScoreLine",
    "default_rules",
    "previous_ranks",
    "read_rules",
    "save_scores",
    "score",
    "write_rules_sheet",
]

if TYPE_CHECKING:
    from toolkit.rollup.figures import Summary, UnitStats


@dataclass(frozen=True)
class ScoreLine:
    """One row of 考核评分: a unit, the rule applied, the item (if any), the points."""

    unit: str
    rule: str
    item_id: str
    task: str
    points: float
    note: str


def score(summary: Summary, rules: dict[str, float], previous: dict[str, int] | None = None) -> list[ScoreLine]:
    """Score every unit of `summary` (toolkit.rollup.figures.Summary): sets `score`, `rank` and
    `rank_change` on its UnitStats; returns the breakdown, unit by unit in rank order."""
    lines: dict[str, list[ScoreLine]] = {s.unit: [] for s in summary.units}
    base = rules.get(BASE, 100.0)
    for s in summary.units:
        if not s.reported and rules.get(MISSING):
            lines[s.unit].append(ScoreLine(s.unit, MISSING, "", "", rules[MISSING], "本期未报送"))
        elif s.on_time == "否" and rules.get(LATE):
            lines[s.unit].append(ScoreLine(s.unit, LATE, "", "", rules[LATE], f"填报日期 {s.filled}"))
    for e in summary.entries:
        lead = e.role == S.ROLE_LEAD
        if e.pace == Pace.OVERDUE:
            rule, why = (LEAD_OVERDUE if lead else CO_OVERDUE), f"逾期 {-(e.days or 0)} 天"
        elif e.pace == Pace.BEHIND:
            rule, why = (LEAD_BEHIND if lead else CO_BEHIND), "欠序时"
        else:
            continue
        if rules.get(rule) and e.unit in lines:
            who = f"（{e.sub_unit}）" if e.sub_unit else ""
            note = why + ("，未报送" if e.state == STATE_MISSING else "")
            lines[e.unit].append(ScoreLine(e.unit, rule, e.item.id, e.item.task + who, rules[rule], note))
    for s in summary.units:
        s.score = round(base + sum(line.points for line in lines[s.unit]), 2)
    ordered = sorted(summary.units, key=lambda s: -(s.score or 0))
    for n, s in enumerate(ordered):
        s.rank = ordered[n - 1].rank if n and ordered[n - 1].score == s.score else n + 1
        s.rank_change = _change(previous.get(s.unit) if previous else None, s.rank, previous is not None)
    return [line for s in ordered for line in lines[s.unit]]


def _change(before: int | None, now: int | None, known: bool) -> str:
    """排名变化 as text: ↑2 (up two places), ↓1, 持平, 新 (not ranked last period), — (no history)."""
    if not known:
        return "—"
    if before is None or now is None:
        return "新"
    if before == now:
        return "持平"
    return f"↑{before - now}" if now < before else f"↓{now - before}"


SCHEMA = (
    "CREATE TABLE IF NOT EXISTS scores (period TEXT NOT NULL, unit TEXT NOT NULL, score REAL, rank INTEGER, "
    "PRIMARY KEY (period, unit))"
)


def previous_ranks(path: Path | None, previous: Period | None) -> dict[str, int] | None:
    """The ranks stored for the previous period (None when there is none)."""
    if not path or not previous or not Path(path).is_file():
        return None
    with closing(sqlite3.connect(path)) as con:
        con.execute(SCHEMA)
        rows = con.execute("SELECT unit, rank FROM scores WHERE period = ?", (str(previous),)).fetchall()
    return {unit: rank for unit, rank in rows if rank is not None} if rows else None


def save_scores(path: Path, period: Period, units: list[UnitStats]) -> None:
    """Store this period's scores and ranks (replacing what the period held)."""
    with closing(sqlite3.connect(path)) as con, con:
        con.execute(SCHEMA)
        con.execute("DELETE FROM scores WHERE period = ?", (str(period),))
        con.executemany(
            "INSERT INTO scores VALUES (?, ?, ?, ?)",
            ((str(period), s.unit, s.score, s.rank) for s in units if s.score is not None),
        )
