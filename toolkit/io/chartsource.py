"""What a Gantt chart is drawn from: a plan, a unit or a summary workbook, as a Plan plus
status per (item id, unit). Uses the readers of each workbook kind; reads nothing itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from toolkit.io import schema as S
from toolkit.io.planbook import PLAN_SHEET, read_plan
from toolkit.io.sniff import check_office, sniff
from toolkit.io.summary import STATE_COLUMN, STATE_MISSING
from toolkit.model import Item, Plan, deadlines
from toolkit.model.errors import TemplateError, UnsupportedFileError
from toolkit.model.normalise import item_id, text, to_date
from toolkit.model.period import Period
from toolkit.model.reported import Reported


@dataclass
class ChartSource:
    """A plan, what the units reported (empty for a plan workbook), and the period ("2016-11")."""

    plan: Plan
    statuses: dict[tuple[str, str], Reported] = field(default_factory=dict)
    period: str = ""  # 「2016年11月」 for display, "" for a plan
    status_date: date | None = None  # the summary's 统计日期, else the period's last day
    due_days: int | None = None  # the summary's 临期 days (None: not known, the default applies)


def read_source(path: str | Path) -> ChartSource:
    """Read SOURCE of `fengong gantt`, whichever of the three kinds it is."""
    from python_calamine import CalamineWorkbook

    from toolkit.io.summary import DETAIL_SHEET, SUMMARY_KIND, read_meta

    path = Path(path)
    if sniff(path) in ("text", "docx"):
        raise UnsupportedFileError(
            f"“{path.name}”是印发的方案原文。甘特图要用方案工作簿：请先运行 fengong import “{path.name}” -o 方案.xlsx，"
            "再对 方案.xlsx（或分发的台账、汇总表）绘图。"
        )
    check_office(path, "xlsx")
    meta = read_meta(path)
    wb = CalamineWorkbook.from_path(str(path))
    try:
        sheets = list(wb.sheet_names)
    finally:
        wb.close()
    if PLAN_SHEET in sheets and not meta:
        return ChartSource(read_plan(path))
    if meta.get("kind") == SUMMARY_KIND or DETAIL_SHEET in sheets:
        return _from_summary(path, meta)
    if meta.get("kind") == S.KIND or S.TABLE_SHEET in sheets:
        return _from_unit(path)
    raise TemplateError(
        f"“{path.name}”不是方案工作簿、单位台账或汇总表（工作表：{'、'.join(sheets)}）。"
        "请用 fengong import 生成的方案工作簿、分发的台账或 fengong rollup 生成的汇总表。"
    )


def _from_summary(path: Path, meta: dict[str, str]) -> ChartSource:
    from toolkit.io.summary import SUB_UNIT_COLUMN, UNIT_COLUMN, read_summary

    data = read_summary(path, (S.ID, UNIT_COLUMN, S.STATUS))
    rows = []
    for _, values in data.rows:
        unit, sub = text(values.get(UNIT_COLUMN)), text(values.get(SUB_UNIT_COLUMN))
        rows.append((f"{unit}／{sub}" if sub else unit, values))
    found = _build(rows, meta.get("plan_title", ""), Period.read(meta.get("period")), path)
    found.status_date = to_date(meta.get("as_of")).value or found.status_date
    found.due_days = int(meta["due_days"]) if meta.get("due_days", "").isdigit() else None
    return found


def _from_unit(path: Path) -> ChartSource:
    from toolkit.io.returns import read_return

    data = read_return(path)
    rows = [(data.unit, r.values | {S.ID: r.item_id}) for r in data.rows]
    return _build(rows, data.meta.get("plan_title", ""), data.period, path)


def _build(rows: list[tuple[str, dict[str, Any]]], title: str, period: Period | None, path: Path) -> ChartSource:
    """A Plan and statuses from table rows holding plan columns and fill-in columns.

    Each row is one (item, unit); the units of an item are the ones that reported on it
    (lead or co-unit by 本单位职责), not every unit named in 牵头单位.
    """
    year = period.year if period else _year(rows)
    plan = Plan(title=title or path.stem, year=year, source=str(path))
    items: dict[str, Item] = {}
    statuses: dict[tuple[str, str], Reported] = {}
    for unit, v in rows:
        ident = item_id(v.get(S.ID))
        if not ident or not unit:
            continue
        item = items.get(ident)
        if item is None:
            item = items[ident] = _item(ident, v, year)
            plan.items.append(item)
        role = text(v.get(S.ROLE_COLUMN))
        target = item.co_units if role == S.ROLE_CO else item.lead_units
        if unit not in item.lead_units and unit not in item.co_units:
            target.append(unit)
        statuses[(ident, unit)] = Reported.of(
            v.get(S.STATUS), v.get(S.PROGRESS), v.get(S.DONE_DATE), reported=text(v.get(STATE_COLUMN)) != STATE_MISSING
        )
    return ChartSource(plan, statuses, period.label if period else "", period.end if period else None)


def _item(ident: str, v: dict[str, Any], year: int) -> Item:
    raw = text(v.get("完成时限"))
    deadline = deadlines.parse_stated(raw, year, to_date(v.get(S.DUE)).value)
    return Item(
        id=ident,
        task=text(v.get("工作任务")),
        requirement=text(v.get("具体要求")),
        deadline_text=raw,
        deadline=deadline,
    )


def _year(rows: list[tuple[str, dict[str, Any]]]) -> int:
    for _, v in rows:
        due = to_date(v.get(S.DUE)).value
        if isinstance(due, date):
            return due.year
    return date.today().year
