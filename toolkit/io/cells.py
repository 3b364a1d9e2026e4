"""Cell helpers: column letters, and writing one openpyxl cell safely."""

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


def column_letter(n: int) -> str:
    """1 → "A", 27 → "AA" (without importing openpyxl)."""
    letters = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
