"""Excel interface: `fengong xl ACTION`, run by the control workbook's buttons through
xlwings' VBA `RunFrozenPython` (which appends --wb, --from_xl, --app, --hwnd).

The only code that imports xlwings, and only inside `run`, so this package imports on Linux.
All that can be pure lives in `toolkit.xl.control`; here values only move between Excel
and those functions.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime

from toolkit.errors import ToolkitError, UsageError
from toolkit.xl import control as C


def run(key: str, from_xl: bool) -> int:
    """Run action `key` for the calling control workbook and write its result line there.

    Errors before the status cell is reachable are raised (the CLI prints them to stderr,
    which xlwings shows in a message box)."""
    if not from_xl:
        raise UsageError("“fengong xl”只能由控制台工作簿（fengong_控制台.xlsm）中的按钮调用。"
                         "在命令行请直接用 fengong import / distribute / validate / rollup / gantt。")
    try:
        import xlwings as xw
    except ImportError as exc:
        raise ToolkitError("本程序没有包含 xlwings，无法从 Excel 调用。请使用完整版 fengong。") from exc
    try:
        book = xw.Book.caller()
    except Exception as exc:  # xlwings raises plain Exception / XlwingsError / COM errors here
        raise ToolkitError(f"无法连接调用本程序的 Excel 工作簿（{exc}）。请在 Windows 版 Microsoft Excel 中"
                           "打开控制台工作簿后再点按钮（WPS 不支持）。") from exc
    try:
        sheet = book.sheets[C.SHEET]
    except Exception as exc:  # xlwings raises a COM error, not KeyError, for a missing sheet
        raise ToolkitError(f"工作簿“{book.name}”中没有“{C.SHEET}”工作表，请从控制台工作簿点按钮。") from exc
    grid = sheet.range(C.GRID).value
    status = C.find_row(grid, C.action_for(key).label, C.ACTIONS_HEADER) + 1
    sheet.range(f"B{status}:C{status}").value = [["正在运行……", C.stamp(datetime.now())]]
    outcome, ok = None, True
    try:
        outcome = C.run_action(key, grid, C.base_folder(book.fullname))
        line = outcome.text
    except Exception as exc:  # every failure ends as a Chinese line in the status cell
        line, ok = C.failure_line(exc), False
    sheet.range(f"B{status}:C{status}").value = [[line, C.stamp(datetime.now())]]
    sheet.range(f"B{status}").font.color = (0, 97, 0) if ok else (192, 0, 0)
    if outcome and outcome.table:
        _write_table(book, sheet, outcome.table)
    if outcome and outcome.open_path:
        _open(book, outcome.open_path)
    sheet.activate()
    sheet.range(f"B{status}").select()
    return 0  # failures, too, are reported in the status cell (red), not in a message box


def _write_table(book, after, rows: list[list]) -> None:
    names = [s.name for s in book.sheets]
    sheet = book.sheets[C.RESULTS_SHEET] if C.RESULTS_SHEET in names else book.sheets.add(C.RESULTS_SHEET, after=after)
    sheet.clear_contents()
    sheet.range("A1").value = rows
    sheet.range("A1:G1").font.bold = True


def _open(book, path) -> None:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        book.app.books.open(str(path))
    elif sys.platform == "win32":
        os.startfile(path)  # the PDF viewer, or Explorer for a folder
