"""Writing one openpyxl cell safely: text stays text, control characters are dropped."""

from __future__ import annotations

from typing import Any


def put(ws, row: int, col: int, value: Any):
    """Set a cell; text is always text (never a formula) and loses illegal control characters."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell
