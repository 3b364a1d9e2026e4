"""Where an item stands against its deadline on a given day: the one overdue rule.

The summary's 逾期, 逾期事项 and the charts (PDF, 甘特图 sheet, 总览 picture) all ask here.
"""

from __future__ import annotations

from datetime import date

from toolkit.model.vocabulary import Status


def overdue_days(status: str, due: date | None, as_of: date) -> int:
    """Days past `due` of work not done by `as_of` (0 when not overdue; reported or not)."""
    if due is None or status == Status.DONE or due >= as_of:
        return 0
    return (as_of - due).days
