"""Working days: the official holiday calendar with its make-up working days (chinese-calendar)."""

from __future__ import annotations

from datetime import date, timedelta


def is_working_day(day: date) -> bool:
    """An official working day: chinese-calendar's holidays and make-up days where it knows the
    year; for years it does not know (before 2004, after its last published year), Monday–Friday."""
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))  # the package has no type hints
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: date, n: int) -> date:
    """The date `n` working days after `start` (the start day itself does not count; n < 0 counts
    back, n == 0 returns `start`). Uses the official holiday calendar with its make-up working days;
    for years the calendar does not know, falls back to Monday–Friday (see `is_working_day`)."""
    step = 1 if n >= 0 else -1
    day, left = start, abs(n)
    while left:
        day += timedelta(days=step)
        if is_working_day(day):
            left -= 1
    return day


def calendar_years() -> tuple[int, int]:
    """The first and last year the installed holiday calendar knows."""
    from chinese_calendar import constants

    return min(constants.holidays).year, max(constants.holidays).year
