"""Excel interface: `fengong xl ENTRY`, run by the fengong.xlam ribbon buttons through xlwings'
VBA `RunFrozenPython` (which appends --wb=<the add-in> --from_xl=1 --app=… --hwnd=…).

toolkit.xl is the only package importing xlwings (here only inside `run`; udfs guards its import),
so it imports on Linux.
`xw.Book.caller()` is the add-in; the entry points work on the workbook active in that Excel.
Everything that can be pure lives in `toolkit.xl.control` (entry points) and
`toolkit.xl.convert` (values); here values only move between Excel and those functions.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.actions import RESULTS_SHEET, Outcome, failure_line
from toolkit.model.errors import ToolkitError, UsageError

if TYPE_CHECKING:
    import xlwings as xw  # no stubs: its objects are Any to mypy, named here for the reader

    from toolkit.xl.control import ActiveBook

FOLDER_PICKER = 4  # msoFileDialogFolderPicker
STRING_INPUT = 2  # Application.InputBox Type:=2 (text)


def run(key: str, from_xl: bool) -> int:
    """Run entry point `key` on the active workbook of the calling Excel; the result line goes
    to a message box. Errors before Excel is reachable are raised (the CLI prints them to stderr,
    which xlwings shows in a message box); after that every failure ends in the message box."""
    from toolkit.xl import control as C

    stderr_for_vba()
    entry = C.entry_for(key)
    if not from_xl:
        raise UsageError(
            "“fengong xl”只能由 Excel 加载项 fengong.xlam 的按钮调用。"
            "在命令行请直接用 fengong distribute / validate / rollup / gantt，或不带参数运行 fengong 打开窗口。"
        )
    try:
        import xlwings as xw
    except ImportError as exc:
        raise ToolkitError("本程序没有包含 xlwings，无法从 Excel 调用。请使用完整版 fengong。") from exc
    try:
        app = xw.Book.caller().app
    except Exception as exc:  # xlwings raises plain Exception / XlwingsError / COM errors here
        raise ToolkitError(
            f"无法连接调用本程序的 Excel（{exc}）。请在 Windows 版 Microsoft Excel 中"
            "点“分工台账”选项卡上的按钮（WPS 不支持，请用 fengong 窗口）。"
        ) from exc
    try:  # every failure, in the action or in showing its result, ends as a Chinese message
        if app.api.ActiveWorkbook is None:  # xlwings' books.active wraps it, never None
            raise UsageError(f"没有打开的工作簿。请先打开要处理的工作簿，再点“{entry.label}”。")
        book = app.books.active
        app.status_bar = f"fengong：正在{entry.label}……"
        try:
            outcome = C.run_entry(key, _active(book), _ExcelAsk(app))
        finally:
            app.status_bar = False
        _show(app, book, outcome)
        ok = True
    except Exception as exc:
        outcome, ok = Outcome(failure_line(exc)), False
    app.alert(outcome.text, title="fengong", mode="info" if ok else "critical")
    return 0


def stderr_for_vba() -> None:
    """Write stderr in Windows' ANSI code page (cp936 on a Chinese Windows) when it is no console.

    RunFrozenPython sends stderr to a temporary file (`2> xlwings-….log`) and, when the exit code
    is not 0, xlwings' VBA reads it with `Line Input`, which decodes in that code page, into its
    error box. The frozen program runs in UTF-8 mode (build_exe.spec), which would write UTF-8 and
    show as mojibake there. A console keeps its own (Unicode) output."""
    import io
    import locale

    stream = sys.stderr
    if sys.platform == "win32" and isinstance(stream, io.TextIOWrapper) and not stream.isatty():
        stream.reconfigure(encoding=locale.getencoding(), errors="replace")


def _show(app: xw.App, book: xw.Book, outcome: Outcome) -> None:
    if outcome.table:
        _write_table(book, outcome.table)
    if outcome.select:
        sheet, cell = outcome.select.split("!")
        book.sheets[sheet].activate()
        book.sheets[sheet].range(cell).select()
    if outcome.open_path:
        _open(app, outcome.open_path)


def _active(book: xw.Book) -> ActiveBook:
    from toolkit.xl.control import ActiveBook

    def load(name: str) -> Any:  # xlwings values, None or a list of rows
        sheet = book.sheets[name]
        return sheet.range((1, 1), sheet.used_range.last_cell).options(ndim=2).value

    try:
        fullname = book.fullname  # xlwings maps a synced OneDrive URL to its local file
    except Exception:  # a URL it cannot map: control.saved_path says what to do
        fullname = book.api.FullName
    return ActiveBook(fullname=fullname, sheets=[s.name for s in book.sheets], load=load, saved=bool(book.api.Saved))


class _ExcelAsk:
    """Excel's own dialogs, through COM (Chinese lives here, not in the VBA)."""

    def __init__(self, app: xw.App) -> None:
        self.api = app.api

    def folder(self, title: str) -> str | None:
        dialog = self.api.FileDialog(FOLDER_PICKER)
        dialog.Title = title
        return dialog.SelectedItems(1) if dialog.Show() == -1 else None

    def text(self, prompt: str, default: str) -> str | None:
        value = self.api.InputBox(prompt, "fengong", default, Type=STRING_INPUT)
        return None if value is False else str(value)


def _write_table(book: xw.Book, rows: list[list[str]]) -> None:
    names = [s.name for s in book.sheets]
    sheet = (
        book.sheets[RESULTS_SHEET] if RESULTS_SHEET in names else book.sheets.add(RESULTS_SHEET, after=book.sheets[-1])
    )
    sheet.clear_contents()
    sheet.range("A1").value = rows
    sheet.range((1, 1), (1, len(rows[0]))).font.bold = True
    sheet.activate()


def _open(app: xw.App, path: Path) -> None:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        app.books.open(str(path))
    elif sys.platform == "win32":
        os.startfile(path)  # the PDF viewer, or Explorer for a folder
