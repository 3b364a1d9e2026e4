"""The unit workbook contract (versioned): sheet names, columns, statuses, metadata keys.

Writers (distribute), readers (validate, rollup) and the summary all take their names
from here, so a change of layout is one edit and one version bump.
"""

from __future__ import annotations

SCHEMA_VERSION = "1"

GUIDE_SHEET = "填报说明"
TABLE_SHEET = "任务台账"
META_SHEET = "_fengong"  # hidden metadata sheet

# Columns of 任务台账, in order. PLAN_COLUMNS are locked, FILL_COLUMNS are for the unit.
PLAN_COLUMNS = ("编号", "工作任务", "具体要求", "牵头单位", "配合单位", "完成时限", "截止日期")
FILL_COLUMNS = ("完成状态", "完成进度", "进展情况", "公开网址/佐证材料", "完成日期", "存在问题及下一步措施", "备注")
COLUMNS = PLAN_COLUMNS + FILL_COLUMNS

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

# Keys of the hidden metadata sheet (column A key, column B value).
META_KEYS = ("schema_version", "kind", "plan_id", "plan_hash", "plan_title", "unit", "period",
             "generated_at", "item_ids")
