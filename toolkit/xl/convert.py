"""Between xlwings range values and the library, without Excel.

xlwings gives a range as a 2-D list (a bare value for one cell, a 1-D list for one row or
column unless `ndim=2`) of str / float / bool / datetime / None. The readers in `toolkit.io`
expect what python-calamine gives for a sheet: rows from A1, "" for an empty cell, a `date`
for a date without time. Typed settings arrive as Excel made them: 2016-11 typed into a cell
becomes the date 2016-11-01, 2016 becomes 2016.0.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from toolkit.model.errors import DateError
from toolkit.model.normalise import typed_date
from toolkit.model.period import Period


def grid(values: Any) -> list[list[Any]]:
    """xlwings values of a range anchored at A1 → rows as calamine reads them."""
    if not isinstance(values, list):
        values = [[values]]
    elif values and not isinstance(values[0], list):
        values = [values]
    return [[cell(v) for v in row] for row in values]


def cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, datetime) and v.time() == datetime.min.time():
        return v.date()
    return v


def text(raw: Any) -> str:
    """A cell as text: 2016.0 → "2016", a date → "2016-11-01", None → ""."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (datetime, date)):
        return raw.strftime("%Y-%m-%d")
    return str(raw).strip()


def period(raw: Any) -> Period | None:
    """A 报送期 cell → Period (None when empty); PeriodError with a Chinese message if unreadable."""
    if isinstance(raw, datetime):
        raw = raw.date()
    return Period.parse(raw if isinstance(raw, date) else text(raw)) if text(raw) else None


def day(raw: Any) -> date | None:
    """A date cell (a date, or text like 2016-12-05 / 2016/12/5) → date; None when empty."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    value = text(raw)
    if not value:
        return None
    try:
        return typed_date(value)
    except DateError as exc:
        raise ValueError(f"{str(exc).removesuffix('。')}，或留空。") from None


def paper(raw: Any) -> str:
    """A 纸张 cell → "A3" / "A4" (full-width letters too; empty → A3)."""
    value = text(raw).upper().replace("Ａ", "A").replace("３", "3").replace("４", "4") or "A3"
    if value not in ("A3", "A4"):
        raise ValueError(f"纸张“{value}”无法识别，请填写 A3 或 A4。")
    return value


def year(raw: Any) -> int:
    """A year argument of a worksheet function: 2016.0 / "2016" → 2016."""
    value = text(raw)
    if not value:
        raise ValueError("缺少年份，请写四位数字，如 2016。")
    if not (value.isdecimal() and 1900 <= int(value) <= 2199):
        raise ValueError(f"“{value}”不是年份，请写四位数字，如 2016。")
    return int(value)


def labelled(rows: list[list[Any]], label: str) -> tuple[int, Any] | None:
    """(0-based row, value in column B) of the first row whose column A is `label`; None if absent."""
    for r, row in enumerate(rows):
        if row and isinstance(row[0], str) and row[0].strip() == label:
            return r, (row[1] if len(row) > 1 else None)
    return None
