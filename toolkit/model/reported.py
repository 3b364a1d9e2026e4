"""What a unit reported on an item, understood the one way every chart and table reads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from toolkit.model.normalise import progress as read_progress
from toolkit.model.normalise import status as read_status
from toolkit.model.normalise import text, to_date
from toolkit.model.vocabulary import STATUS_VALUES


@dataclass(frozen=True)
class Reported:
    """What one unit reported on one item: status text, progress as a fraction 0–1, date done;
    `reported` False for a unit that sent nothing (its row is drawn 未报送, or 逾期 once late)."""

    status: str = ""
    progress: float | None = None
    done: date | None = None
    reported: bool = True

    @classmethod
    def of(cls, status: object, progress: object = None, done: object = None, *, reported: bool = True) -> Reported:
        """The one adapter from a table row (unit workbook, 任务明细, roll-up entry) to a chart state:
        status as understood by `normalise.status`, progress by `normalise.progress` (kept within 0–1)."""
        found = read_status(status, STATUS_VALUES).value or text(status)
        fraction = read_progress(progress).value
        return cls(found, None if fraction is None else max(0.0, min(1.0, fraction)), to_date(done).value, reported)


NOT_REPORTED = Reported(reported=False)
