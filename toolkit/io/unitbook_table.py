"""The 任务台账 sheet of a unit workbook: header block, column headers, one row per item, and
the hidden 序时进度 basis of each row (`unitbook_rules.PACE_COLUMNS`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from toolkit.io import schema as S
from toolkit.io.cells import column_letter, put
from toolkit.io.unitbook_page import A4_REPEATED, A4_SPLIT_AFTER, page_setup, protect, split_for_a4
from toolkit.io.unitbook_rules import (
    PACE_COLUMNS,
    add_conditional_formats,
    add_validations,
    pace_values,
    status_date_formula,
)
from toolkit.io.unitbook_style import DATE_FORMAT, lines_height, row_height, styles
from toolkit.model import Item, Plan
from toolkit.model.period import Period
from toolkit.model.schedule import plan_start

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

EXTRA_FORMAT_ROWS = 200  # validation and formatting reach this far below the last row
CENTERED = {S.ID, S.ROLE_COLUMN, S.DUE, S.STATUS, S.PROGRESS, S.DONE_DATE}
STATS_COLUMN = 8  # 本表统计 (column H of the information row)
STATS_CELL = f"{column_letter(STATS_COLUMN)}{S.INFO_ROW}"
PACE_WIDTH = 11  # the hidden helper columns, should someone unhide them
LETTERS = {name: column_letter(i) for i, name in enumerate(S.COLUMNS + PACE_COLUMNS, start=1)}


def role(item: Item, unit: str) -> str:
    """牵头 when `unit` leads the item, else 配合."""
    return S.ROLE_LEAD if unit in item.lead_units else S.ROLE_CO


def plan_values(item: Item, unit: str) -> dict[str, Any]:
    """The locked columns of `item` as written for `unit` (the reference validate compares with)."""
    return {
        S.ID: item.id,
        "工作任务": item.task,
        "具体要求": item.requirement,
        "牵头单位": item.lead_text,  # as the plan wrote them (a collective, an alias), not as resolved
        "配合单位": item.co_text,
        S.ROLE_COLUMN: role(item, unit),
        "完成时限": item.deadline_text,
        S.DUE: item.deadline.due,
    }


def write_table(
    ws: Worksheet,
    plan: Plan,
    unit: str,
    period: Period | None,
    items: list[Item],
    paper: str,
    carry: dict[str, dict[str, Any]],
    filler: dict[str, Any],
    blank_rows: int,
) -> None:
    """Fill `ws` as the 任务台账 of `unit` for `period`."""
    st = styles()
    ncols = len(S.COLUMNS)
    col = {name: i for i, name in enumerate(S.COLUMNS + PACE_COLUMNS, start=1)}
    letter = LETTERS
    last_row = S.HEADER_ROW + len(items) + blank_rows
    format_end = max(last_row, S.FIRST_DATA_ROW) + EXTRA_FORMAT_ROWS
    as_of = status_date_formula(period)
    page_end = col[A4_SPLIT_AFTER] if paper == "A4" else ncols  # A4: keep the header block on page 1
    _write_header_block(ws, st, plan, unit, period, filler, letter, format_end, as_of, page_end)

    for name, c in col.items():
        if name in PACE_COLUMNS:
            continue
        cell = put(ws, S.HEADER_ROW, c, name)
        cell.font, cell.alignment, cell.fill, cell.border = (
            st["heading"],
            st["header_align"],
            st["header_fill"],
            st["border"],
        )
    ws.row_dimensions[S.HEADER_ROW].height = 30

    judged_on = period.end if period else date.today()  # the status date the roll-up will use
    start = plan_start(plan.year, plan.issue_date, judged_on)
    rows = [(plan_values(item, unit), carry.get(item.id, {}), item) for item in items]
    for r, (locked, filled, item) in enumerate(rows, start=S.FIRST_DATA_ROW):
        _write_row(ws, st, r, col, locked, filled)
        for name, value in zip(PACE_COLUMNS, pace_values(item.deadline, judged_on, start)):
            cell = ws.cell(row=r, column=col[name], value=value)
            cell.number_format = DATE_FORMAT if isinstance(value, date) else "General"
    for r in range(S.FIRST_DATA_ROW + len(rows), S.FIRST_DATA_ROW + len(rows) + blank_rows):
        _write_row(ws, st, r, col, {}, {})

    for name, width in zip(S.COLUMNS, S.WIDTHS):
        ws.column_dimensions[letter[name]].width = width
    for name in PACE_COLUMNS:
        ws.column_dimensions[letter[name]].width = PACE_WIDTH
        ws.column_dimensions[letter[name]].hidden = True
    add_validations(ws, letter, f"{S.FIRST_DATA_ROW}:{format_end}", f"{column_letter(8)}{S.FILLER_ROW}")
    add_conditional_formats(ws, letter, format_end, as_of)

    ws.freeze_panes = ws.cell(row=S.FIRST_DATA_ROW, column=2).coordinate
    ws.auto_filter.ref = f"A{S.HEADER_ROW}:{column_letter(ncols)}{max(last_row, S.HEADER_ROW + 1)}"
    protect(ws)
    page_setup(ws, paper, landscape=True)
    ws.print_title_rows = f"{S.HEADER_ROW}:{S.HEADER_ROW}"
    if paper == "A4":
        split_for_a4(ws, col)


def _write_row(
    ws: Worksheet, st: dict[str, Any], r: int, col: dict[str, int], locked: dict[str, Any], filled: dict[str, Any]
) -> None:
    for name in S.COLUMNS:
        c = col[name]
        value = locked.get(name) if name in S.PLAN_COLUMNS else filled.get(name)
        cell = put(ws, r, c, value)
        cell.font, cell.border = st["body"], st["border"]
        cell.alignment = st["center"] if name in CENTERED else st["wrap"]
        if name in S.PLAN_COLUMNS and locked:
            cell.fill = st["locked_fill"]
        else:
            cell.protection = st["unlocked"]
    ws.row_dimensions[r].height = row_height({**locked, **filled})
    ws.cell(row=r, column=col[S.DUE]).number_format = DATE_FORMAT
    ws.cell(row=r, column=col[S.DONE_DATE]).number_format = DATE_FORMAT
    ws.cell(row=r, column=col[S.PROGRESS]).number_format = "0%"


def _write_header_block(
    ws: Worksheet,
    st: dict[str, Any],
    plan: Plan,
    unit: str,
    period: Period | None,
    filler: dict[str, Any],
    letter: dict[str, str],
    format_end: int,
    as_of: str,
    page_end: int,
) -> None:
    """Title, 填报单位 / 报送期次 / 本表统计, 填报人 / 联系电话 / 填报日期."""
    # A4 prints two pages wide and repeats the first columns on page 2, so the title leaves them
    # blank (page 2 would show a piece of it) and is written again over the fill columns.
    ncols = len(S.COLUMNS)
    spans = [(A4_REPEATED + 1, page_end), (page_end + 1, ncols)] if page_end < ncols else [(1, ncols)]
    for first_col, last_col in spans:
        title = put(ws, S.TITLE_ROW, first_col, f"{plan.title or '分工方案'}——任务落实情况台账")
        title.font, title.alignment = st["title"], st["header_align"]
        ws.merge_cells(start_row=S.TITLE_ROW, start_column=first_col, end_row=S.TITLE_ROW, end_column=last_col)
    ws.row_dimensions[S.TITLE_ROW].height = 36 if len(spans) == 1 else 48  # A4: room for two lines
    first, status, due = S.FIRST_DATA_ROW, letter[S.STATUS], letter[S.DUE]
    stats = (
        f'="共"&COUNTA(A{first}:A{format_end})&"项，已完成"'
        f'&COUNTIF({status}{first}:{status}{format_end},"{S.DONE}")&"项，逾期"'
        f'&SUMPRODUCT(({due}{first}:{due}{format_end}<>"")'
        f"*({due}{first}:{due}{format_end}<{as_of})"
        f'*({status}{first}:{status}{format_end}<>"{S.DONE}"))&"项"'
    )
    block = {
        S.INFO_ROW: (
            (S.UNIT_LABEL, unit, 2, 3, False),
            (S.PERIOD_LABEL, period.label if period else "", 5, 6, False),
            (S.STATS_LABEL, stats, STATS_COLUMN, page_end, False),
        ),
        S.FILLER_ROW: tuple(
            (label, filler.get(label), start, end, True)
            for label, start, end in zip(S.FILLER_LABELS, (2, 5, 8), (3, 6, 8))
        ),
    }
    for row, fields in block.items():
        ws.row_dimensions[row].height = 24 if page_end > STATS_COLUMN or row != S.INFO_ROW else lines_height(3)
        for label, value, start, end, editable in fields:
            cell = put(ws, row, start - 1, label)
            cell.font, cell.alignment = st["heading"], st["label_align"]
            cell = ws.cell(row=row, column=start)
            if label == S.STATS_LABEL:  # our own formula; every other value (unit, 填报人 …) is text
                cell.value = value
            elif value is not None:
                put(ws, row, start, value)
            cell.font, cell.alignment = st["body"], st["left"]
            if editable:
                cell.protection = st["unlocked"]
            if end > start:
                ws.merge_cells(start_row=row, start_column=start, end_row=row, end_column=end)
            for c in range(start, end + 1 if editable else start):
                ws.cell(row=row, column=c).border = st["border"]
    ws.cell(row=S.FILLER_ROW, column=8).number_format = DATE_FORMAT


def stats_value(ws: Worksheet, period: Period | None, today: date) -> str:
    """What the 本表统计 formula computes for the rows of `ws` on `today` (same rules)."""
    col = {name: i for i, name in enumerate(S.COLUMNS)}
    as_of = min(today, period.end) if period else today
    total = done = overdue = 0
    for row in ws.iter_rows(min_row=S.FIRST_DATA_ROW, max_col=len(S.COLUMNS), values_only=True):
        item_id, due, status = row[col[S.ID]], row[col[S.DUE]], row[col[S.STATUS]]
        total += item_id not in (None, "")
        done += status == S.DONE
        if isinstance(due, datetime):
            due = due.date()
        overdue += isinstance(due, date) and due < as_of and status != S.DONE
    return f"共{total}项，已完成{done}项，逾期{overdue}项"
