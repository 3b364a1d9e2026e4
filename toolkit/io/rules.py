"""The 考核规则 sheet of the plan workbook: the scoring rules (规则 | 分值 | 说明), written with the
defaults and editable by the clerk; read back with the defaults for any rule not given
(toolkit.reports.scoring applies them)."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl import Workbook

RULES_SHEET = "考核规则"
BASE = "基础分"
LATE, MISSING = "迟报", "未报送"
LEAD_OVERDUE, CO_OVERDUE = "牵头事项逾期", "配合事项逾期"
LEAD_BEHIND, CO_BEHIND = "牵头事项欠序时", "配合事项欠序时"
DEFAULT_RULES: tuple[tuple[str, float, str], ...] = (
    (BASE, 100.0, "每个单位每期的起始分"),
    (LATE, -0.1, "超过报送时限报送，每期一次"),
    (MISSING, -0.5, "本期未报送，每期一次"),
    (LEAD_OVERDUE, -5.0, "牵头事项超过完成时限未完成，每项"),
    (CO_OVERDUE, -2.5, "配合事项超过完成时限未完成，每项"),
    (LEAD_BEHIND, 0.0, "牵头事项欠序时，每项（默认不扣分，可按本地办法填写）"),
    (CO_BEHIND, 0.0, "配合事项欠序时，每项（默认不扣分，可按本地办法填写）"),
)
RULE_HEADERS = ("规则", "分值", "说明")


def default_rules() -> dict[str, float]:
    return {name: points for name, points, _ in DEFAULT_RULES}


def write_rules_sheet(wb: Workbook) -> None:
    """Add the 考核规则 sheet with the default rules to an openpyxl workbook (the plan workbook)."""
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet(RULES_SHEET)
    ws.append(RULE_HEADERS)
    for row in DEFAULT_RULES:
        ws.append(list(row))
    ws.append([])
    ws.append(["注：分值为每次（每项）加减的分数，扣分填负数；得分 = 基础分 + 各项加减分。规则名称请勿修改。"])
    for cell in ws[1]:
        cell.font = Font(name="黑体", bold=True)
    for col, width in zip("ABC", (18, 10, 60)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def read_rules(plan_path: str | Path | None) -> dict[str, float]:
    """The rules of the plan workbook's 考核规则 sheet (defaults for any rule not given there)."""
    rules = default_rules()
    if not plan_path or not Path(plan_path).is_file():
        return rules
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(plan_path))
        if RULES_SHEET not in wb.sheet_names:
            return rules
        rows = wb.get_sheet_by_name(RULES_SHEET).to_python()
    except Exception:
        return rules
    for row in rows[1:]:
        if len(row) >= 2 and isinstance(row[0], str) and row[0].strip() in rules:
            value = row[1]
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                rules[row[0].strip()] = float(value)
            elif isinstance(value, str):
                with suppress(ValueError):  # a typo keeps the default
                    rules[row[0].strip()] = float(value.strip().replace("－", "-"))
    return rules
