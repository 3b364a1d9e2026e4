"""The one place that reaches into openpyxl's internals: the cells a worksheet actually stored.

`Worksheet._cells` maps (row, column) to the cells read from the file. Iterating `iter_rows`
instead would create every cell of the sheet's stated dimension (A1:XFD1048576 in hostile files).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet


def stored_cells(ws: Worksheet) -> dict[tuple[int, int], Cell]:
    """(row, column) → cell, for the cells present in the file (1-based, as openpyxl counts)."""
    cells: dict[tuple[int, int], Cell] = ws._cells
    return cells
