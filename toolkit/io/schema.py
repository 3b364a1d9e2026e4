"""The unit workbook contract (versioned): sheet names, layout, columns, statuses, metadata.

Writers (distribute), readers (validate, rollup) and the summary all take their names
from here, so a change of layout is one edit and one version bump. Readers find columns
by header name, never by position; positions below are where the writer puts them.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

SCHEMA_VERSION = "2"
READ_VERSIONS = ("1", SCHEMA_VERSION)  # versions readers accept (1: item table inside META_SHEET)
KIND = "unit"  # metadata `kind` of a unit workbook (a summary workbook says "summary")

GUIDE_SHEET = "填报说明"
TABLE_SHEET = "任务台账"
META_SHEET = "_fengong"  # very hidden metadata sheet
ITEMS_SHEET = "_fengong_items"  # very hidden: the locked texts as distributed (version 2)

# Header block of 任务台账 (rows above the table). Labels are found by text; the value
# is the cell right of the label.
TITLE_ROW = 1
INFO_ROW = 2  # 填报单位 / 报送期次 / 本表统计
FILLER_ROW = 3  # 填报人 / 联系电话 / 填报日期
HEADER_ROW = 4  # the table's column headers
FIRST_DATA_ROW = HEADER_ROW + 1
UNIT_LABEL, PERIOD_LABEL, STATS_LABEL = "填报单位", "报送期次", "本表统计"
FILLER_LABELS = ("填报人", "联系电话", "填报日期")

# Columns of 任务台账, in order. PLAN_COLUMNS are locked, FILL_COLUMNS are for the unit.
# ROLE_COLUMN is ours: 牵头 or 配合 — this unit's part in the row (co-unit rows are marked).
ROLE_COLUMN = "本单位职责"
ROLE_LEAD, ROLE_CO = "牵头", "配合"
PLAN_COLUMNS = ("编号", "工作任务", "具体要求", "牵头单位", "配合单位", ROLE_COLUMN, "完成时限", "截止日期")
FILL_COLUMNS = ("完成状态", "完成进度", "进展情况", "公开网址/佐证材料", "完成日期", "存在问题及下一步措施", "备注")
COLUMNS = PLAN_COLUMNS + FILL_COLUMNS
ID, STATUS, PROGRESS, PROGRESS_TEXT, EVIDENCE, DONE_DATE, ISSUES, NOTES = (
    "编号", "完成状态", "完成进度", "进展情况", "公开网址/佐证材料", "完成日期", "存在问题及下一步措施", "备注")
DUE = "截止日期"
# Column widths (characters) suited to long Chinese text; same order as COLUMNS.
WIDTHS = (9, 18, 46, 14, 14, 7, 14, 11, 10, 9, 40, 24, 11, 28, 12)

# 完成状态 dropdown: (value, meaning shown in 填报说明). Order is the dropdown order.
STATUSES = (
    ("未启动", "尚未开始办理。"),
    ("推进中", "已开始、尚未完成的限期任务。"),
    ("已完成", "已全部完成；须填写完成日期，并填写公开网址或佐证材料。"),
    ("持续推进", "全年工作、定期工作等常态化任务，本期已按要求开展。"),
    ("暂缓", "因上级部署调整等原因暂停；须在“存在问题及下一步措施”中说明原因。"),
)
STATUS_VALUES = tuple(s for s, _ in STATUSES)
DONE = "已完成"
PAUSED = "暂缓"

# Hidden metadata sheet: rows "key | value" for META_KEYS. ITEMS_SHEET: ITEM_HEADER, then one
# row per item holding the texts as distributed (to detect edits without the plan); its own
# sheet so a reader that has the plan never parses it. Version 1 had that table in META_SHEET,
# below the keys and a blank row.
META_KEYS = ("schema_version", "kind", "plan_id", "plan_hash", "plan_title", "unit", "period",
             "generated_at", "item_ids")
ITEM_HEADER = ("item_id", ROLE_COLUMN) + tuple(c for c in PLAN_COLUMNS if c not in (ID, ROLE_COLUMN))
ITEM_ID_SEP = ","

PAPERS = ("A3", "A4")
PERIOD_RE = re.compile(r"^\s*(\d{4})\s*(?:[-./年])\s*(\d{1,2})\s*月?\s*$")


def parse_period(text: str) -> str:
    """「2016-11」「2016年11月」「2016.11」 → "2016-11"; ValueError when not a month."""
    m = PERIOD_RE.match(str(text or ""))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"报送期次“{text}”无法识别，请写成 2016-11 的形式（年-月）。")
    return f"{m.group(1)}-{int(m.group(2)):02d}"


def period_arg(text: str) -> str:
    """`parse_period` for a user-given period: raises UsageError (a Chinese message) instead."""
    from toolkit.model.errors import UsageError

    try:
        return parse_period(text)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def period_end(period: str) -> date:
    """The last day of a period: "2016-11" → 2016-11-30 (ValueError when not a month)."""
    year, month = map(int, parse_period(period).split("-"))
    return date(year, month, calendar.monthrange(year, month)[1])


def period_label(period: str) -> str:
    """"2016-11" → 「2016年11月」 (as shown in workbooks and file names)."""
    year, month = parse_period(period).split("-")
    return f"{year}年{int(month)}月"
