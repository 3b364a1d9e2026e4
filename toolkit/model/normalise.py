"""Understand fill-in values as staff type them: 「80%」「八成」, 「2016.12.31」, serial numbers.

Pure functions (stdlib only) shared by validate and the roll-up. Each returns a `Reading`:
the understood value (or None), and a code saying how it was typed when that is not the
clean form the workbook asks for.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache, wraps
from typing import Any, TypeVar, cast

from toolkit.model.errors import DateError
from toolkit.model.numerals import CN_DIGITS, cn_int

# Codes of `Reading.issue`.
TEXT = "text"  # typed as text but understood
POINTS = "points"  # progress typed as 80 meaning 80%
SERIAL = "serial"  # a date given as an Excel serial number
RANGE = "range"  # understood but outside the allowed range
INVALID = "invalid"  # not understood
UNKNOWN = "unknown"  # a status outside the list (value holds the best guess, if any)

EXCEL_EPOCH = date(1899, 12, 30)
SERIAL_MIN, SERIAL_MAX = 36526, 73050  # 2000-01-01 … 2099-12-31
DATE_RE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*[日号]?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
PERCENT_RE = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*[%％]$")
NUMBER_RE = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
CN_PERCENT_RE = re.compile(r"^百分之(.+)$")
CN_TENTHS_RE = re.compile(r"^([一二两三四五六七八九十])成([一二三四五六七八九])?$")
STATUS_SYNONYMS = {
    "已完成": ("完成", "完成了", "已经完成", "已办结", "办结", "已落实", "全部完成", "已完成。"),
    "推进中": ("进行中", "正在推进", "正在进行", "在办", "办理中", "实施中", "正在办理"),
    "未启动": ("未开始", "尚未启动", "未开展", "未办理"),
    "持续推进": ("持续开展", "长期推进", "常态化推进", "持续进行", "常态化"),
    "暂缓": ("暂停", "缓办", "推迟"),
}


@dataclass(frozen=True)
class Reading:
    """What a cell was understood to hold. `issue` is None when typed the clean way."""

    value: Any
    issue: str | None = None


F = TypeVar("F", bound=Callable[..., Reading])


def _memo(read: F) -> F:
    """`read` remembered for the last few thousand cell values (a return's cells repeat: 推进中,
    0.5, the same dates, in every row of every return); a value that cannot be hashed is read anew.
    Readings are frozen, so one can be shared."""
    cached = lru_cache(maxsize=4096, typed=True)(read)

    @wraps(read)
    def reading(*args: Any) -> Reading:
        try:
            return cached(*args)
        except TypeError:
            return read(*args)

    return cast(F, reading)


def is_blank(value: Any) -> bool:
    """Whether a cell counts as empty (None, "", spaces)."""
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    """A cell as text: whole floats without ".0", dates ISO, None as ""."""
    if value.__class__ is str:  # the common case first: it runs for every cell of every return
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


@_memo
def progress(value: Any) -> Reading:
    """完成进度 as a fraction 0–1. 0.8 is clean; 「80%」「八成」「百分之八十」 are TEXT; 80 is POINTS.

    A number between 1 and 2 is RANGE, not points: it is what a percent cell holds after
    someone typed 150 or 150%, and it shows as 150%."""
    if is_blank(value):
        return Reading(None)
    if isinstance(value, bool):
        return Reading(None, INVALID)
    if isinstance(value, (int, float)):
        if 0 <= value <= 1:
            return Reading(float(value))
        if 2 <= value <= 100:
            return Reading(value / 100, POINTS)
        return Reading(float(value), RANGE)
    s = str(value).strip().replace(" ", "")
    fraction = _text_progress(s)
    if fraction is None:
        return Reading(None, INVALID)
    return Reading(fraction, TEXT if 0 <= fraction <= 1 else RANGE)


def _text_progress(s: str) -> float | None:
    if m := PERCENT_RE.match(s):
        return float(m.group(1)) / 100
    if NUMBER_RE.match(s):
        n = float(s)
        return n if 0 <= n <= 1 else n / 100
    if m := CN_PERCENT_RE.match(s):
        points = cn_int(m.group(1))
        return None if points is None else points / 100
    if m := CN_TENTHS_RE.match(s):
        tenths = 10 if m.group(1) == "十" else CN_DIGITS[m.group(1)]
        return tenths / 10 + (CN_DIGITS[m.group(2)] / 100 if m.group(2) else 0)
    if s in ("一半", "过半", "半数"):
        return 0.5
    return None


@_memo
def to_date(value: Any) -> Reading:
    """A date cell. A real date is clean; 「2016.12.31」「2016年12月31日」 are TEXT; 42735 is SERIAL."""
    if is_blank(value):
        return Reading(None)
    if isinstance(value, datetime):
        return Reading(value.date())
    if isinstance(value, date):
        return Reading(value)
    if isinstance(value, bool):
        return Reading(None, INVALID)
    if isinstance(value, (int, float)):
        return _serial(value)
    s = str(value).strip()
    if NUMBER_RE.match(s) and not COMPACT_DATE_RE.match(s):
        serial = _serial(float(s))
        return Reading(serial.value, TEXT if serial.issue == SERIAL else serial.issue)
    m = DATE_RE.match(s) or COMPACT_DATE_RE.match(s)
    if not m:
        return Reading(None, INVALID)
    try:
        return Reading(date(int(m.group(1)), int(m.group(2)), int(m.group(3))), TEXT)
    except ValueError:
        return Reading(None, INVALID)


def typed_date(text: str, what: str = "日期") -> date:
    """A date typed for `what` (an option, a window field, a setting): 2016-12-05, 2016/12/5,
    2016.12.5, 2016年12月5日 or 20161205; DateError in Chinese otherwise (no Excel serials here)."""
    s = text.strip()
    found = to_date(s).value if DATE_RE.match(s) or COMPACT_DATE_RE.match(s) else None
    if not isinstance(found, date):  # None (Reading.value holds any cell value)
        raise DateError(f"{what}“{s}”无法识别，请写成 2016-12-05 或 2016年12月5日 的形式。")
    return found


def _serial(number: float) -> Reading:
    if number != int(number) or not SERIAL_MIN <= number <= SERIAL_MAX:
        return Reading(None, INVALID)
    return Reading(EXCEL_EPOCH + timedelta(days=int(number)), SERIAL)


@_memo
def status(value: Any, allowed: tuple[str, ...]) -> Reading:
    """完成状态: clean when one of `allowed`; otherwise UNKNOWN with a best guess (or None)."""
    if is_blank(value):
        return Reading(None)
    s = text(value)
    if s in allowed:
        return Reading(s)
    squeezed = re.sub(r"[\s。．.，,！!]", "", s)
    if squeezed in allowed:
        return Reading(squeezed, UNKNOWN)
    for canonical, words in STATUS_SYNONYMS.items():
        if canonical in allowed and (squeezed in words or squeezed.rstrip("了") in words):
            return Reading(canonical, UNKNOWN)
    return Reading(None, UNKNOWN)


def item_id(value: Any) -> str:
    """An 编号 cell as the id string it was written as (1.0 → "1")."""
    return text(value).replace(" ", "")
