"""Cell helpers: column letters, writing one openpyxl cell safely, saving an openpyxl workbook."""

from __future__ import annotations

from os import PathLike
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


# The child order of a <font> (CT_Font) that the Open XML SDK validator requires and Excel writes;
# openpyxl 3.1 writes name, charset, family first, which the validator flags (Excel accepts it).
FONT_CHILDREN = ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz", "color",
                 "name", "family", "charset", "scheme")


def save_workbook(wb: Any, path: str | PathLike[str]) -> None:
    """`wb.save(path)` with every <font> of styles.xml (cell fonts and conditional formats) in schema order."""
    from openpyxl.styles.fonts import Font

    if sorted(Font.__elements__) == sorted(FONT_CHILDREN):  # the serialisation order only: reading is by tag
        Font.__elements__ = FONT_CHILDREN  # (another openpyxl's fonts are saved as it writes them)
    wb.save(path)


def column_letter(n: int) -> str:
    """1 → "A", 27 → "AA" (without importing openpyxl)."""
    letters = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
