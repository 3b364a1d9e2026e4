"""Worksheet functions for users who have Python and the xlwings add-in (UDFs cannot be frozen
into fengong.exe, xlwings issue #481): in xlwings' settings set UDF Modules to
`toolkit.xl.udfs` and press Import Functions. Then, in a cell:

    =FG_DEADLINE(F5, 2016)        the due date of a 完成时限 text (empty when it has none)
    =FG_DEADLINE_KIND(F5, 2016)   its kind: 限期完成、全年工作、定期工作 …
    =FG_WORKDAYS(A2, 15)          the date 15 official working days after A2

Decorated with xlwings' `@xw.func` when xlwings imports (on Linux and macOS the decorator returns
the function unchanged), so the functions are plain Python functions and tested as such. No type
hints: xlwings takes them as converters and knows none for `date | str` (every cell would show an
error); unannotated, each value is passed and returned as it is. mypy reads their types from
`# type:` comments instead, which leave `__annotations__` empty (tests/test_xl_control checks).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from toolkit.model import Deadline, deadlines
from toolkit.model.vocabulary import DeadlineKind
from toolkit.xl import convert

_F = TypeVar("_F", bound=Callable[..., Any])

try:
    from xlwings import func
except ImportError:  # a Python without xlwings: the functions stay plain

    def func(f: _F) -> _F:  # type: ignore[no-redef]  # xlwings' func, when there, takes options too
        return f


MAX_WORKDAYS = 3660  # about 15 years: a typo like 1500000 must not hang Excel


def _parse(text: Any, year: Any) -> Deadline:
    """deadlines.parse of a cell of any type (a date cell reads as 2016-12-31) and a year cell."""
    try:
        return deadlines.parse(convert.text(text), convert.year(year))
    except ValueError as exc:
        raise ValueError(f"FG：{exc}") from None


@func
def FG_DEADLINE(text, year):  # type: (Any, Any) -> date | str
    """完成时限文字的截止日期（无明确截止日期时为空）。year：方案年度，如 2016。"""
    return _parse(text, year).due or ""


@func
def FG_DEADLINE_KIND(text, year):  # type: (Any, Any) -> str
    """完成时限的类型：限期完成、全年工作、定期工作、多个时点、视情况而定、法定时限、未定。"""
    return DeadlineKind(_parse(text, year).kind).label


@func
def FG_WORKDAYS(start, n):  # type: (Any, Any) -> date
    """start 之后第 n 个工作日（按国务院办公厅公布的节假日和调休安排；n 为负数时向前数）。"""
    day = start.date() if isinstance(start, datetime) else start
    if not isinstance(day, date):
        try:
            day = convert.day(start)
        except ValueError as exc:
            raise ValueError(f"FG：{exc}") from None
        if day is None:
            raise ValueError("FG：请给出开始日期。")
    count = convert.text(n)  # 15.0 → "15"; 1.5, "", "十" fail below
    if not count.removeprefix("-").isdecimal() or abs(int(count)) > MAX_WORKDAYS:
        raise ValueError(f"FG：工作日数“{count}”应为 -{MAX_WORKDAYS} 到 {MAX_WORKDAYS} 之间的整数。")
    return deadlines.add_working_days(day, int(count))
