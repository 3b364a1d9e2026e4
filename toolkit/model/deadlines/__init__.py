"""The 完成时限 parser: `parse(text, year)` → `Deadline` (parse), working days (calendar), and
deadlines in words (describe). docs/deadlines.md lists every convention."""

from toolkit.model.deadlines.calendar import (
    add_working_days,
    calendar_years,
    is_working_day,
)
from toolkit.model.deadlines.describe import describe, format_table
from toolkit.model.deadlines.parse import MAX_YEAR, MIN_YEAR, parse, parse_stated

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "add_working_days",
    "calendar_years",
    "describe",
    "format_table",
    "is_working_day",
    "parse",
    "parse_stated",
]
