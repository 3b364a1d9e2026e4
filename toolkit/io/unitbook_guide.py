"""The 填报说明 sheet of a unit workbook: what to fill in, by when, and what the colours mean."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from toolkit.io import schema as S
from toolkit.io.cells import put
from toolkit.io.unitbook_page import page_setup
from toolkit.io.unitbook_rules import DUE_SOON_DAYS
from toolkit.io.unitbook_style import lines_height, styles, wrapped_lines
from toolkit.model import Plan
from toolkit.model.period import Period

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

GUIDE_WIDTHS = (20, 90)  # label and text columns


def write_guide(
    ws: Worksheet, plan: Plan, unit: str, period: Period | None, contact: str, return_by: date | None
) -> None:
    """Fill `ws` as the 填报说明 of `unit`'s workbook (A4 portrait, protected)."""
    st = styles()
    label = period.label if period else "（报送期次）"
    deadline = f"于{return_by.year}年{return_by.month}月{return_by.day}日前" if return_by else "按通知要求"
    lines: list[tuple[str, str]] = [
        ("方案", plan.title or "（方案名称）"),
        ("填报单位", unit),
        ("报送期次", label),
        ("报送时间", f"请{deadline}将本工作簿报送牵头协调部门（直接回传本文件，勿改为其他格式）。"),
        ("联系方式", contact or f"如有疑问，请与{plan.issuer or '牵头协调部门'}联系。"),
        ("", ""),
        ("填报步骤", "1. 在“任务台账”表顶部填写填报人、联系电话、填报日期。"),
        (
            "",
            "2. 逐行填写右侧白色的填报列：完成状态（下拉选择）、完成进度（百分数）、进展情况、公开网址/佐证材料、完成日期、存在问题及下一步措施、备注。",
        ),
        ("", "3. 灰色列（编号至截止日期）是方案内容，已锁定，请勿修改、删除或增加行；对任务有异议请写在“备注”中。"),
        ("", "4. “本单位职责”为“配合”的行，由牵头单位统筹，本单位填写配合工作的进展。"),
        (
            "",
            (
                "5. 可以用表头的筛选按钮查看部分事项，可以调整列宽、行高，不影响汇总；本表受保护，不能排序。"
                "请勿改动表头文字，请勿另存为 .xls 或 .et 格式。"
            ),
        ),
        (
            "",
            (
                "6. 序时进度提示（按填报当天判断，最晚按本期最后一天，与汇总表同一规则）：已逾期未完成的，截止日期后标“逾期”，"
                "填报列为红色；完成进度比序时进度（从年初到截止日期平均推进应完成的比例）低 10 个百分点以上的标“欠序时”，"
                f"也为红色；{DUE_SOON_DAYS} 天内到期的标“临期”（全年工作除外），填报列为黄色；已完成的为绿色，"
                "完成进度比序时进度高 10 个百分点以上的标“超序时”，也为绿色。"
            ),
        ),
        ("", "7. 全年工作截止日期为当年 12 月 31 日：年底请把本年度已完成的改为“已完成”，否则次年起计为逾期。"),
        ("", ""),
        ("完成状态", "含义"),
        *S.STATUSES,
        ("", ""),
        ("完成进度", "填写百分数，如 80%；已完成填 100%。请勿填“八成”“过半”等文字。"),
        ("完成日期", "已完成的事项必填，格式为 年-月-日，如 2016-12-31；不能晚于填报当天。"),
        ("公开网址/佐证材料", "已公开的填写网址；未公开的写明佐证材料名称、文号。"),
    ]
    cell = put(ws, 1, 1, "填报说明")
    cell.font, cell.alignment = st["title"], st["header_align"]
    ws.merge_cells("A1:B1")
    ws.row_dimensions[1].height = 36
    for r, (key, value) in enumerate(lines, start=3):
        a, b = put(ws, r, 1, key), put(ws, r, 2, value)
        a.font, a.alignment = st["heading"], st["wrap"]
        b.font, b.alignment = st["body"], st["wrap"]
        if key == "完成状态":
            a.fill = b.fill = st["header_fill"]
        ws.row_dimensions[r].height = lines_height(wrapped_lines(value, GUIDE_WIDTHS[1]))
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = GUIDE_WIDTHS
    ws.protection.sheet = True
    page_setup(ws, "A4", landscape=False)
