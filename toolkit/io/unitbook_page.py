"""Print setup and protection of the unit workbook's sheets (A3 on one page wide, A4 on two)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from toolkit.io import schema as S
from toolkit.io.cells import column_letter
from toolkit.io.unitbook_style import BODY_FONT

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

PAPER_SIZES = {"A3": 8, "A4": 9}  # SpreadsheetML paperSize codes
A4_SPLIT_AFTER = "截止日期"  # A4 prints two pages wide: the plan columns, then the fill columns
A4_REPEATED = 2  # 编号 and 工作任务 repeated on the second page
A4_REPEAT_COLUMNS = f"A:{column_letter(A4_REPEATED)}"
SIDE_MARGIN = 0.3  # inches, left and right
PRINTABLE_MM = {"A3": 420 - 2 * SIDE_MARGIN * 25.4, "A4": 297 - 2 * SIDE_MARGIN * 25.4}  # landscape, inside margins


def split_for_a4(ws: Worksheet, col: dict[str, int]) -> None:
    """A4 is too narrow for all fifteen columns at a readable size: print the plan columns on one
    page and the fill columns (with 编号 and 工作任务 repeated) on the next, at a fixed scale
    (Excel ignores manual page breaks when fitting to a page)."""
    from openpyxl.worksheet.pagebreak import Break

    split = col[A4_SPLIT_AFTER]
    ws.col_breaks.append(Break(id=split))
    ws.print_title_cols = A4_REPEAT_COLUMNS
    repeated = S.WIDTHS[:A4_REPEATED]
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = min(print_scale(S.WIDTHS[:split], "A4"), print_scale(repeated + S.WIDTHS[split:], "A4"))
    ws.page_setup.pageOrder = "overThenDown"  # page 2 carries on the rows of page 1


def print_scale(widths: tuple[float, ...], paper: str) -> int:
    """The print scale (%) at which columns of `widths` fit across `paper` (landscape): a column
    of width w takes w * 7 + 5 pixels at 96 dpi in Excel; LibreOffice and WPS, measuring with
    other fonts, take up to w * 8 + 5."""
    mm = sum(w * 8 + 5 for w in widths) / 96 * 25.4
    return min(100, math.floor(PRINTABLE_MM[paper] / mm * 100))


def protect(ws: Worksheet) -> None:
    """Protect without a password; filtering, resizing and formatting stay allowed. Sorting does
    not: Excel refuses to sort a protected range that holds locked cells, whatever the options."""
    p = ws.protection
    p.sheet = True
    # In SpreadsheetML `False` means "not protected", i.e. the action is allowed.
    p.autoFilter = p.formatCells = p.formatColumns = p.formatRows = False
    p.sort = True
    p.selectLockedCells = p.selectUnlockedCells = False


def page_setup(ws: Worksheet, paper: str, *, landscape: bool) -> None:
    """Paper, orientation, one page wide, centred, margins and the 第 N 页 footer."""
    ws.page_setup.paperSize = PAPER_SIZES[paper]
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = SIDE_MARGIN
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.8
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = BODY_FONT
