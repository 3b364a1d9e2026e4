"""The reporting period (报送期次): one month, however staff write it."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from toolkit.model.errors import PeriodError

_DIGITS = str.maketrans("０１２３４５６７８９－／．", "0123456789-/.")
_FULL = re.compile(r"^(\d{4})\s*(?:[-./_]|年)\s*(\d{1,2})\s*(?:月份?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})$")
_MONTH_ONLY = re.compile(r"^(\d{1,2})\s*月份?$")
_YEAR_PREFIX = re.compile(r"^(\d{4})\s*年\s*")
_CN_MONTHS = {
    m: i for i, m in enumerate(["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"], 1)
}
FORMS = "2016-11、2016/11、2016.11、2016年11月、201611"


@dataclass(frozen=True, order=True)
class Period:
    """A month of reporting. `str(p)` is the stored form "2016-11"; `label` is 「2016年11月」."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1900 <= self.year <= 2199:
            raise PeriodError(f"报送期次“{self.year}年{self.month}月”不存在：月份应为 1–12。")

    @classmethod
    def parse(cls, text: object, *, year: int | None = None) -> Period:
        """A Period from every way staff write one: 2016-11, 2016/11, 2016.11, 2016年11月, 201611,
        full-width digits, 「2016年十一月」, and 「11月」「十一月」 with the plan `year`. Raises `PeriodError` (Chinese) otherwise."""
        if isinstance(text, Period):
            return text
        if isinstance(text, date):
            return cls(text.year, text.month)
        raw = "" if text is None else str(text)
        s = raw.strip().translate(_DIGITS)
        if m := _FULL.match(s) or _COMPACT.match(s):
            return cls._checked(raw, int(m.group(1)), int(m.group(2)))
        if s.endswith(("月", "月份")):
            if m := _YEAR_PREFIX.match(s):  # 「2016年十二月」: the year written, the month in words
                year, s = int(m.group(1)), s[m.end() :]
            m = _MONTH_ONLY.match(s)
            month = int(m.group(1)) if m else _CN_MONTHS.get(s.removesuffix("份").removesuffix("月"))
            if month is not None:
                if year is None:
                    raise PeriodError(f"报送期次“{raw}”没有写年份，请写成 2016-{month:02d} 的形式（年-月）。")
                return cls._checked(raw, year, month)
        raise PeriodError(f"报送期次“{raw}”无法识别，请写成 2016-11 的形式（年-月；也可写 {FORMS}）。")

    @classmethod
    def _checked(cls, raw: str, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise PeriodError(f"报送期次“{raw}”中的月份 {month} 不存在，月份应为 1–12。")
        return cls(year, month)

    @classmethod
    def read(cls, text: object) -> Period | None:
        """A period read from a file: None when blank or not understood (the caller reports it)."""
        try:
            return cls.parse(text) if text not in (None, "") else None
        except PeriodError:
            return None

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def label(self) -> str:
        """「2016年11月」, as workbooks, documents and file names show it."""
        return f"{self.year}年{self.month}月"

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:
        """The last day: the status date of a roll-up of this period."""
        return month_end(self.year, self.month)

    def previous(self) -> Period:
        return Period(self.year - 1, 12) if self.month == 1 else Period(self.year, self.month - 1)


def month_end(year: int, month: int) -> date:
    """The last day of a month (the one rule: 「X月底」, period ends, chart ranges)."""
    return date(year, month, calendar.monthrange(year, month)[1])
