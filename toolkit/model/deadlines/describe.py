"""Deadlines in words: the 说明 column of `fengong deadline` and its table."""

from __future__ import annotations

from toolkit.model.deadlines.parse import WEEKDAY_NAMES, clean_display
from toolkit.model.plan import Deadline
from toolkit.model.text import text_table
from toolkit.model.vocabulary import DeadlineKind, Frequency


def describe(d: Deadline) -> str:
    """A short Chinese explanation of a parsed deadline (the 说明 column)."""
    parts: list[str] = []
    if d.kind == "recurring":
        when = Frequency(d.frequency or "").label
        if d.day and d.frequency == "monthly":
            when += f"{d.day}日"
        elif d.day and d.frequency == "weekly":
            when += WEEKDAY_NAMES[d.day - 1]
        parts.append(when)
        if d.window:
            parts.append(f"{d.window[0]}–{d.window[1]}月")
        if d.start_year:
            parts.append(f"自{d.start_year}年起")
    elif d.kind == "multi":
        parts.append("、".join(x.isoformat() for x in d.dates))
    elif d.kind == "conditional" and d.trigger:
        parts.append(f"触发：{d.trigger}")
    elif d.kind == "statutory":
        parts.append("按法定时限")
    if d.offset:
        unit = "个工作日" if d.offset.working else "天"
        parts.append(f"{'事件' if d.kind == 'conditional' else '每期'}后{d.offset.days}{unit}内")
    if d.note:
        parts.append(d.note)
    return "；".join(parts)


def format_table(deadlines: list[Deadline]) -> str:
    """A readable Chinese table: 原文 / 类型 / 截止日期 / 说明, aligned by display width."""
    rows = [("原文", "类型", "截止日期", "说明")]
    for d in deadlines:
        rows.append(
            (
                clean_display(d.text) or "（空）",
                DeadlineKind(d.kind).label,
                d.due.isoformat() if d.due else "无",
                describe(d),
            )
        )
    return text_table(rows)
