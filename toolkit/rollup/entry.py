"""One row of 任务明细 (a plan item × responsible unit with its fill-in) and how it is judged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from toolkit.io import schema as S
from toolkit.io.summary import STATE_MISSING
from toolkit.model import Item
from toolkit.model.normalise import progress as read_progress
from toolkit.model.normalise import status as read_status
from toolkit.model.normalise import text, to_date
from toolkit.model.schedule import due_soon
from toolkit.model.vocabulary import DeadlineKind

STATE_DONE, STATE_OVERDUE, STATE_SOON, STATE_OK = "已完成", "逾期", "临期", "按期推进"
NO_STATUS = "未填状态"
STATUS_SET = frozenset(S.STATUS_VALUES)


@dataclass(slots=True)  # no __dict__: a province's roll-up holds 450,000 and more of them
class Entry:
    """One row of 任务明细: a plan item × responsible unit (× sub-unit) with its fill-in."""

    item: Item
    unit: str
    role: str
    sub_unit: str = ""
    status: str = ""
    progress: float | None = None
    progress_text: str = ""
    evidence: str = ""
    done_date: date | None = None
    issues: str = ""
    notes: str = ""
    file: str = ""
    state: str = STATE_MISSING
    days: int | None = None  # due date − status date (negative when overdue)
    pace: str = ""  # 序时进度 (toolkit.model.schedule.pace), set by the roll-up's figures
    streak: int = 0  # periods in a row (this one included) the entry was 逾期 or 欠序时

    @property
    def overdue(self) -> bool:
        """Not done and past its due date (reported or not)."""
        return self.status != S.DONE and self.days is not None and self.days < 0

    def due_soon(self, due_days: int) -> bool:
        """临期 (`schedule.due_soon`); 全年工作 is listed apart (year_end)."""
        return due_soon(self.status, self.item.deadline.kind, self.days, due_days)

    def year_end(self, due_days: int) -> bool:
        """全年工作 not done whose year ends within `due_days` (the 全年工作 list, once a year)."""
        return (
            self.status != S.DONE
            and self.days is not None
            and 0 <= self.days <= due_days
            and self.item.deadline.kind == DeadlineKind.YEAR_ROUND
        )

    @property
    def stored_state(self) -> str:
        """The state the history keeps: 逾期 wins over every other state."""
        return STATE_OVERDUE if self.overdue else self.state


# A row's fill-in as Entry's fields status, progress, progress_text, evidence, done_date, issues, notes
FilledIn = tuple[str, float | None, str, str, date | None, str, str]


def filled_in(values: dict[str, Any]) -> FilledIn:
    """A row's fill-in, values typed as text understood (toolkit.model.normalise); read as each
    return is checked (`rollup.checks`), so a row is kept as 7 values instead of its cells."""
    status, progress, done = values.get(S.STATUS), values.get(S.PROGRESS), values.get(S.DONE_DATE)
    return (
        status if status in STATUS_SET else (read_status(status, S.STATUS_VALUES).value or text(status)),
        float(progress) if type(progress) is float and 0 <= progress <= 1 else read_progress(progress).value,
        text(values.get(S.PROGRESS_TEXT)),
        text(values.get(S.EVIDENCE)),
        None if done is None else to_date(done).value,
        text(values.get(S.ISSUES)),
        text(values.get(S.NOTES)),
    )


def judge(entry: Entry, as_of: date, due_days: int, reported: bool) -> Entry:
    """Set the entry's days to its due date and its state (状态判断) as of `as_of`."""
    due = entry.item.deadline.due
    entry.days = (due - as_of).days if due else None
    if not reported:
        entry.state = STATE_MISSING
    elif entry.status == S.DONE:
        entry.state = STATE_DONE
    elif due and due < as_of:
        entry.state = STATE_OVERDUE
    elif due_soon(entry.status, entry.item.deadline.kind, entry.days, due_days):
        entry.state = STATE_SOON
    else:
        entry.state = STATE_OK
    return entry
