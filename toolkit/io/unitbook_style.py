"""Fonts, fills and row heights of the unit workbook (and of the plan workbook, which shares them)."""

from __future__ import annotations

from typing import Any

from toolkit.io import schema as S
from toolkit.model.text import line_count

BODY_FONT = "仿宋"  # FangSong ships with every Chinese Windows; 仿宋_GB2312 often does not
HEADING_FONT = "黑体"
GB2312_CHARSET = 134  # tells Excel/WPS to substitute a Chinese font when the named one is missing
DATE_FORMAT = "yyyy-mm-dd"
LOCKED_FILL, HEADER_FILL = "F2F2F2", "D9D9D9"
CJK_WIDTH = 2.1  # column-width units taken by one Chinese character of the 11 pt body font
LINE_POINTS = 16  # one wrapped line: Noto Sans SC (what LibreOffice renders) needs 15.9 pt at 11 pt; 仿宋 less


MAX_ROW_POINTS = 409  # Excel's limit


def lines_height(lines: int) -> float:
    """Points a row of `lines` wrapped lines of body text needs (the one rule for every sheet:
    unit, plan and summary workbooks), at most Excel's limit."""
    return min(lines * LINE_POINTS + 4, MAX_ROW_POINTS)


def per_line(width: float) -> float:
    """Em of body text a wrapped cell of `width` (column-width units) holds on one line, with
    room to spare (the one rule for every sheet)."""
    return max((width - 1) / CJK_WIDTH, 1.0)


def row_height(values: dict[str, Any]) -> float:
    """Points needed to show every wrapped value of a row (Excel and LibreOffice do not
    auto-fit rows of a generated file, so long requirements would be cut)."""
    lines = max(wrapped_lines(values.get(name), width) for name, width in zip(S.COLUMNS, S.WIDTHS))
    return lines_height(lines)


def wrapped_lines(value: Any, width: float) -> int:
    """Lines a wrapped text cell of `width` (column-width units) needs; 1 for non-text."""
    if not isinstance(value, str) or not value:
        return 1
    return line_count(value, per_line(width))


def styles() -> dict[str, Any]:
    """The openpyxl fonts, alignments, borders, fills and protection the unit workbook uses."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

    thin = Side(style="thin", color="808080")
    return {
        "body": Font(name=BODY_FONT, size=11, charset=GB2312_CHARSET),
        "heading": Font(name=HEADING_FONT, size=11, charset=GB2312_CHARSET),
        "title": Font(name=HEADING_FONT, size=16, charset=GB2312_CHARSET),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "center": Alignment(wrap_text=True, vertical="top", horizontal="center"),
        "header_align": Alignment(wrap_text=True, vertical="center", horizontal="center"),
        "label_align": Alignment(vertical="center", horizontal="right"),
        "left": Alignment(vertical="center", horizontal="left", wrap_text=True),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "locked_fill": PatternFill("solid", fgColor=LOCKED_FILL),
        "header_fill": PatternFill("solid", fgColor=HEADER_FILL),
        "unlocked": Protection(locked=False),
    }
