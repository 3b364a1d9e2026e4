"""The unit workbook contract (versioned): sheet names, layout, columns, statuses, metadata.

Writers (distribute), readers (validate, rollup) and the summary all take their names
from here, so a change of layout is one edit and one version bump. Readers find columns
by header name, never by position; positions below are where the writer puts them.
"""

from __future__ import annotations

from toolkit.model.vocabulary import (
    STATUS_VALUES as STATUS_VALUES,  # the dropdown, part of the contract
)
from toolkit.model.vocabulary import Role, Status

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
ROLE_LEAD, ROLE_CO = Role.LEAD, Role.CO
PLAN_COLUMNS = ("编号", "工作任务", "具体要求", "牵头单位", "配合单位", ROLE_COLUMN, "完成时限", "截止日期")
FILL_COLUMNS = ("完成状态", "完成进度", "进展情况", "公开网址/佐证材料", "完成日期", "存在问题及下一步措施", "备注")
COLUMNS = PLAN_COLUMNS + FILL_COLUMNS
ID, STATUS, PROGRESS, PROGRESS_TEXT, EVIDENCE, DONE_DATE, ISSUES, NOTES = (
    "编号",
    "完成状态",
    "完成进度",
    "进展情况",
    "公开网址/佐证材料",
    "完成日期",
    "存在问题及下一步措施",
    "备注",
)
DUE = "截止日期"
# Column widths (characters) suited to long Chinese text; same order as COLUMNS.
WIDTHS = (8, 16, 42, 12, 12, 7, 13, 18, 10, 9, 36, 22, 12, 25, 11)  # 截止日期 fits “2016-11-30 欠序时”

# 完成状态 dropdown: the statuses in dropdown order, each with the meaning 填报说明 shows.
STATUSES = tuple((str(st), st.meaning) for st in Status)
DONE, PAUSED = Status.DONE, Status.PAUSED

# Hidden metadata sheet: rows "key | value" for META_KEYS. ITEMS_SHEET: ITEM_HEADER, then one
# row per item holding the texts as distributed (to detect edits without the plan); its own
# sheet so a reader that has the plan never parses it. Version 1 had that table in META_SHEET,
# below the keys and a blank row.
META_KEYS = (
    "schema_version",
    "kind",
    "plan_id",
    "plan_hash",
    "plan_title",
    "unit",
    "period",
    "generated_at",
    "item_ids",
)
ITEM_HEADER = ("item_id", ROLE_COLUMN) + tuple(c for c in PLAN_COLUMNS if c not in (ID, ROLE_COLUMN))
ITEM_ID_SEP = ","

PAPERS = ("A3", "A4")
