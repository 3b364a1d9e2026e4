"""Write a unit workbook (任务台账): one unit's rows of a plan, ready to fill in Excel or WPS.

Layout, names and statuses come from `toolkit.io.schema`. openpyxl is used because the
workbook needs protection, data validation, conditional formatting and print setup. The parts:
`unitbook_table` (the 任务台账 sheet), `unitbook_guide` (填报说明), `unitbook_rules` (validation
and the 序时进度 colours), `unitbook_page` (print setup, protection), `unitbook_style` (fonts,
row heights).
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.io import schema as S
from toolkit.io.atomic import atomic_path
from toolkit.io.cells import put, save_workbook
from toolkit.io.unitbook_guide import write_guide
from toolkit.io.unitbook_page import PAPER_SIZES
from toolkit.io.unitbook_style import row_height
from toolkit.io.unitbook_table import STATS_CELL, plan_values, stats_value, write_table
from toolkit.model import Item, Plan
from toolkit.model.period import Period

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

TEMPLATE_GENERATED_AT = "2016-01-01T00:00:00"
TEMPLATE_NAME = "任务台账模板_{paper}.xlsx"
TEMPLATE_ROWS = 20


def write_unit_workbook(
    path: str | Path,
    plan: Plan,
    unit: str,
    period: Period | str | None,
    *,
    paper: str = "A3",
    carry: dict[str, dict[str, Any]] | None = None,
    filler: dict[str, Any] | None = None,
    contact: str = "",
    return_by: date | None = None,
    generated_at: str | None = None,
    blank_rows: int = 0,
) -> Path:
    """Write `unit`'s workbook for `period` ("2016-11") at `path` (atomically).

    `carry` maps item id → {fill column → value} (last period's entries); `filler` holds
    填报人 / 联系电话 carried over. `blank_rows` adds empty, fully unlocked rows (templates).
    """
    wb = build_unit_workbook(
        plan,
        unit,
        period,
        paper=paper,
        carry=carry,
        filler=filler,
        contact=contact,
        return_by=return_by,
        generated_at=generated_at,
        blank_rows=blank_rows,
    )
    return save_unit_workbook(wb, path)


def save_unit_workbook(wb: Workbook, path: str | Path, today: date | None = None) -> Path:
    """Save a unit workbook atomically, then finish what openpyxl cannot write: the value of
    本表统计 beside its formula (previews and viewers that do not calculate show it), and data
    rows whose height is an estimate, not fixed, so Excel and WPS grow them as staff type."""
    ws = wb[S.TABLE_SHEET]
    meta = {ws_row[0].value: ws_row[1].value for ws_row in wb[S.META_SHEET].iter_rows(max_col=2)}
    period = Period.parse(meta["period"]) if meta.get("period") else None
    value = stats_value(ws, period, today or date.today())
    with atomic_path(path) as tmp:
        save_workbook(wb, tmp)
        _finish_table_xml(tmp, {STATS_CELL: value})
    return Path(path)


def build_unit_workbook(
    plan: Plan,
    unit: str,
    period: Period | str | None,
    *,
    paper: str = "A3",
    carry: dict[str, dict[str, Any]] | None = None,
    filler: dict[str, Any] | None = None,
    contact: str = "",
    return_by: date | None = None,
    generated_at: str | None = None,
    blank_rows: int = 0,
) -> Workbook:
    """The openpyxl Workbook of `write_unit_workbook`, not saved."""
    from openpyxl import Workbook

    if paper not in PAPER_SIZES:
        raise ValueError(f"paper must be one of {S.PAPERS}")
    period = Period.parse(period, year=plan.year) if period else None
    items = plan.items_for(unit)
    wb = Workbook()
    guide = wb.active
    guide.title = S.GUIDE_SHEET
    write_guide(guide, plan, unit, period, contact, return_by)
    table = wb.create_sheet(S.TABLE_SHEET)
    write_table(table, plan, unit, period, items, paper, carry or {}, filler or {}, blank_rows)
    _write_meta(wb.create_sheet(S.META_SHEET), plan, unit, period, items, generated_at)
    _write_items(wb.create_sheet(S.ITEMS_SHEET), unit, items)
    wb.active = 1
    return wb


def _finish_table_xml(path: Path, cached: dict[str, str]) -> None:
    """Rewrite the 任务台账 part of the saved workbook at `path`: drop customHeight from the
    data rows and give each formula cell of `cached` its text value."""
    from xml.etree import ElementTree as ET
    from xml.sax.saxutils import escape

    with zipfile.ZipFile(path) as zf:
        entries = [(info, zf.read(info.filename)) for info in zf.infolist()]
    parts = {info.filename: data for info, data in entries}
    ns = {
        "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "p": "http://schemas.openxmlformats.org/package/2006/relationships",
    }
    sheet = next(
        e
        for e in ET.fromstring(parts["xl/workbook.xml"]).iterfind("m:sheets/m:sheet", ns)
        if e.get("name") == S.TABLE_SHEET
    )
    rid = sheet.get(f"{{{ns['r']}}}id")
    target = next(
        e.get("Target", "")
        for e in ET.fromstring(parts["xl/_rels/workbook.xml.rels"]).iterfind("p:Relationship", ns)
        if e.get("Id") == rid
    )
    name = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    xml = parts[name].decode("utf-8")

    def free_height(m: re.Match[str]) -> str:
        row: str = m.group(0)
        return row if int(m.group(1)) < S.FIRST_DATA_ROW else row.replace(' customHeight="1"', "")

    xml = re.sub(r'<row r="(\d+)"[^>]*>', free_height, xml)
    for ref, value in cached.items():
        pattern = rf'<c r="{ref}"([^>]*)><f>(.*?)</f>(?:<v\s*/>|<v></v>)?</c>'
        text = escape(value)

        def with_value(m: re.Match[str], ref: str = ref, text: str = text) -> str:
            return f'<c r="{ref}"{m.group(1)} t="str"><f>{m.group(2)}</f><v>{text}</v></c>'

        xml, n = re.subn(
            pattern,
            with_value,
            xml,
        )
        if n != 1:
            raise RuntimeError(f"formula cell {ref} not found in {name}")
    parts[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, _ in entries:
            zf.writestr(info, parts[info.filename])


def _write_meta(
    ws: Worksheet, plan: Plan, unit: str, period: Period | None, items: list[Item], generated_at: str | None
) -> None:
    values = {
        "schema_version": S.SCHEMA_VERSION,
        "kind": S.KIND,
        "plan_id": plan.plan_id,
        "plan_hash": plan.content_hash,
        "plan_title": plan.title,
        "unit": unit,
        "period": str(period) if period else "",
        "generated_at": generated_at or datetime.now().isoformat(timespec="seconds"),
        "item_ids": S.ITEM_ID_SEP.join(i.id for i in items),
    }
    for r, key in enumerate(S.META_KEYS, start=1):
        put(ws, r, 1, key)
        put(ws, r, 2, values[key])
    _hide(ws)


def _write_items(ws: Worksheet, unit: str, items: list[Item]) -> None:
    """The locked texts as distributed, one row per item (validation without the plan)."""
    for c, name in enumerate(S.ITEM_HEADER, start=1):
        put(ws, 1, c, name)
    for r, item in enumerate(items, start=2):
        locked = plan_values(item, unit)
        put(ws, r, 1, item.id)
        for c, name in enumerate(S.ITEM_HEADER[1:], start=2):
            value = locked[name]
            put(ws, r, c, value.isoformat() if isinstance(value, date) else value)
    _hide(ws)


def _hide(ws: Worksheet) -> None:
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


def write_templates(folder: str | Path) -> list[Path]:
    """Write the blank templates (A3 and A4) committed in `workbook_templates/`."""
    blank = Plan(title="（方案名称）")
    return [
        write_unit_workbook(
            Path(folder) / TEMPLATE_NAME.format(paper=paper),
            blank,
            "（单位名称）",
            None,
            paper=paper,
            generated_at=TEMPLATE_GENERATED_AT,
            blank_rows=TEMPLATE_ROWS,
        )
        for paper in S.PAPERS
    ]


def fill_copy(
    src: str | Path, dst: str | Path, values: dict[str, dict[str, Any]], header: dict[str, Any] | None = None
) -> Path:
    """Copy a unit workbook to `dst` with cells filled in as staff would (demo, tests, bench).

    `values` maps 编号 → {column name → value}; `header` maps 填报人/联系电话/填报日期 → value.
    Text is entered as text, so 「80%」 stays the text a careless filler would type.
    """
    from openpyxl import load_workbook

    wb = load_workbook(src)
    ws = wb[S.TABLE_SHEET]
    col = {ws.cell(S.HEADER_ROW, c).value: c for c in range(1, ws.max_column + 1)}
    rows = {str(ws.cell(r, col[S.ID]).value): r for r in range(S.FIRST_DATA_ROW, ws.max_row + 1)}
    for item_id, entries in values.items():
        for name, value in entries.items():
            put(ws, rows[item_id], col[name], value)
    for item_id in values:
        r = rows[item_id]
        ws.row_dimensions[r].height = row_height({name: ws.cell(r, c).value for name, c in col.items()})
    labels = {ws.cell(S.FILLER_ROW, c).value: c for c in range(1, ws.max_column + 1)}
    for label, value in (header or {}).items():
        put(ws, S.FILLER_ROW, labels[label] + 1, value)
    return save_unit_workbook(wb, dst)
