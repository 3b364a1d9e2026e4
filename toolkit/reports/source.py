"""A summary workbook read back for the documents: every figure a 通报 or a notice states comes
from here (总览 by label, the tables by header), so a district and a city summary both work."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from toolkit.io.summary import DETAIL_SHEET, HEADER_ROW, OVERVIEW_SHEET, SUMMARY_KIND, read_meta
from toolkit.model.errors import TemplateError, UnreadableFileError
from toolkit.model.period import Period

SHEETS = ("分单位统计", DETAIL_SHEET, "逾期事项", "未报送单位")


@dataclass
class SummarySource:
    """What a summary workbook says: its title, 总览 (label → value), and its tables."""

    path: Path
    title: str
    overview: dict[str, object]
    tables: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)

    def figure(self, label: str) -> object:
        """One value of 总览 by its label (a label that starts so, for 「临期（30天内到期）」)."""
        if label in self.overview:
            return self.overview[label]
        for key, value in self.overview.items():
            if key.startswith(label):
                return value
        raise TemplateError(
            f"汇总表“{self.path.name}”的“{OVERVIEW_SHEET}”中没有“{label}”。请用本版 fengong rollup 重新生成汇总表。"
        )

    def count(self, label: str) -> int:
        value = self.figure(label)
        return int(value) if isinstance(value, (int, float)) else 0

    def rate(self, label: str) -> float:
        value = self.figure(label)
        return float(value) if isinstance(value, (int, float)) else 0.0

    @property
    def period(self) -> Period:
        return Period.parse(self.meta.get("period") or str(self.figure("报送期次")))

    @property
    def as_of(self) -> date:
        value = self.figure("统计日期")
        if isinstance(value, (date, datetime)):
            return value if not isinstance(value, datetime) else value.date()
        return date.fromisoformat(str(value))

    @property
    def office(self) -> str:
        return str(self.figure("汇总单位") or "")

    @property
    def plan_title(self) -> str:
        return str(self.figure("方案") or "")

    def rows(self, sheet: str) -> list[dict[str, object]]:
        return self.tables.get(sheet, [])


def read_source(path: str | Path) -> SummarySource:
    """Read a summary workbook made by `fengong rollup`."""
    from python_calamine import CalamineWorkbook

    path = Path(path)
    if not path.is_file():
        raise UnreadableFileError(f"找不到汇总表“{path}”。请先运行 fengong rollup 生成汇总表。")
    meta = read_meta(path)
    if meta.get("kind") != SUMMARY_KIND:
        raise TemplateError(f"“{path.name}”不是 fengong 生成的汇总表。请选择 fengong rollup 生成的汇总表（.xlsx）。")
    try:
        wb = CalamineWorkbook.from_path(str(path))
        try:
            grid = {
                name: wb.get_sheet_by_name(name).to_python()
                for name in (OVERVIEW_SHEET, *SHEETS)
                if name in wb.sheet_names
            }
        finally:
            wb.close()
    except Exception as exc:  # calamine's own error types
        raise UnreadableFileError(f"无法读取汇总表“{path.name}”：{exc}。") from exc
    missing = [name for name in (OVERVIEW_SHEET, *SHEETS) if name not in grid]
    if missing:
        raise TemplateError(f"汇总表“{path.name}”缺少工作表“{'、'.join(missing)}”。请用 fengong rollup 重新生成。")
    overview_rows = grid.pop(OVERVIEW_SHEET)
    title = str(overview_rows[0][0]) if overview_rows and overview_rows[0] else ""
    overview: dict[str, object] = {
        str(r[0]): (r[1] if len(r) > 1 else None)
        for r in overview_rows[HEADER_ROW + 1 :]
        if r and isinstance(r[0], str) and r[0]
    }
    tables: dict[str, list[dict[str, object]]] = {}
    for name, values in grid.items():
        headers = [str(v) if v is not None else "" for v in values[HEADER_ROW]] if len(values) > HEADER_ROW else []
        tables[name] = [
            {h: (row[i] if i < len(row) else None) for i, h in enumerate(headers) if h}
            for row in values[HEADER_ROW + 1 :]
            if any(v not in (None, "") for v in row)
        ]
    return SummarySource(path, title, overview, tables, meta)


def num(value: object) -> float:
    """A cell as a number (0 for blank or text)."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def pct(value: object) -> str:
    """A rate as the summary shows it (format 0.0%)."""
    from decimal import ROUND_HALF_UP, Decimal

    shown = (Decimal(repr(num(value))) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{shown}%"


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def cell_text(value: object) -> str:
    """A cell as the clerk reads it: dates as 2016年12月31日, whole numbers without .0."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return cn_date(value.date())
    if isinstance(value, date):
        return cn_date(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
