"""Cell helpers: column letters, writing one openpyxl cell safely, saving an openpyxl workbook."""

from __future__ import annotations

from os import PathLike
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

CELL_LIMIT = 32767  # Excel's limit on one cell's text, in UTF-16 code units
CUT_NOTE = "……（超出 Excel 单元格 32767 字上限，以下从略）"


def too_long(text: str) -> bool:
    """Whether `text` exceeds what one Excel cell holds."""
    return len(text) > CELL_LIMIT // 2 and len(text.encode("utf-16-le")) > 2 * CELL_LIMIT


def fit(text: str) -> str:
    """`text` cut to Excel's cell limit, with a note saying so (unchanged when it fits)."""
    if not too_long(text):
        return text
    keep = 2 * (CELL_LIMIT - len(CUT_NOTE))
    return text.encode("utf-16-le")[:keep].decode("utf-16-le", "ignore") + CUT_NOTE


def put(ws: Worksheet, row: int, col: int, value: Any) -> Cell:
    """Set a cell. Text is always text: 「=…」「+…」「-…」「@…」, tab or CR first never become a formula
    (the cell is typed as a string); illegal control characters are dropped and text over
    Excel's cell limit is cut with a note (`fit`). Every openpyxl writer goes through here."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = fit(ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


# The child order of a <font> (CT_Font) that the Open XML SDK validator requires and Excel writes;
# openpyxl 3.1 writes name, charset, family first, which the validator flags (Excel accepts it).
FONT_CHILDREN = (
    "b",
    "i",
    "strike",
    "condense",
    "extend",
    "outline",
    "shadow",
    "u",
    "vertAlign",
    "sz",
    "color",
    "name",
    "family",
    "charset",
    "scheme",
)


def save_workbook(wb: Workbook, path: str | PathLike[str]) -> None:
    """`wb.save(path)` with every <font> of styles.xml (cell fonts and conditional formats) in schema
    order, and sheets in UTF-8 (`write_sheets_as_utf8`)."""
    from openpyxl.styles.fonts import Font

    from toolkit.io.openpyxl_cells import write_sheets_as_utf8

    if sorted(Font.__elements__) == sorted(FONT_CHILDREN):  # the serialisation order only: reading is by tag
        Font.__elements__ = FONT_CHILDREN  # (another openpyxl's fonts are saved as it writes them)
    write_sheets_as_utf8()
    wb.save(path)


def column_letter(n: int) -> str:
    """1 → "A", 27 → "AA" (without importing openpyxl)."""
    letters = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
