"""Worksheet functions for users who have Python and the xlwings add-in (UDFs cannot be frozen
into fengong.exe, xlwings issue #481): in xlwings' settings set UDF Modules to
`toolkit.xl.udfs` and press Import Functions. Then, in a cell:

    =FG_DEADLINE(F5, 2016)        the due date of a 完成时限 text (empty when it has none)
    =FG_DEADLINE_KIND(F5, 2016)   its kind: 限期完成、全年工作、定期工作 …
    =FG_WORKDAYS(A2, 15)          the date 15 official working days after A2

Decorated with xlwings' `@xw.func` when xlwings imports (on Linux and macOS the decorator only
records metadata), so the functions are plain Python functions and tested as such.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from toolkit import deadlines
from toolkit.xl import convert

try:
    import xlwings as xw

    func, arg = xw.func, xw.arg
except ImportError:  # a Python without xlwings: the functions stay plain
    def func(f=None, **_):
        return f if f is not None else (lambda g: g)

    def arg(*_, **__):
        return lambda g: g


def _year(raw: Any) -> int:
    try:
        return convert.year(raw)
    except ValueError as exc:
        raise ValueError(f"FG：{exc}") from None


@func
@arg("text", str)
def FG_DEADLINE(text: str, year: Any) -> date | str:
    """完成时限文字的截止日期（无明确截止日期时为空）。year：方案年度，如 2016。"""
    due = deadlines.parse(text or "", _year(year)).due
    return due if due else ""


@func
@arg("text", str)
def FG_DEADLINE_KIND(text: str, year: Any) -> str:
    """完成时限的类型：限期完成、全年工作、定期工作、多个时点、视情况而定、法定时限、未定。"""
    return deadlines.KIND_NAMES[deadlines.parse(text or "", _year(year)).kind]


@func
def FG_WORKDAYS(start: Any, n: Any) -> date:
    """start 之后第 n 个工作日（按国务院办公厅公布的节假日和调休安排；n 为负数时向前数）。"""
    day = start.date() if isinstance(start, datetime) else start
    if not isinstance(day, date):
        day = convert.day(start)
        if day is None:
            raise ValueError("FG：请给出开始日期。")
    if not float(n).is_integer():
        raise ValueError(f"FG：工作日数“{n}”应为整数。")
    return deadlines.add_working_days(day, int(n))
