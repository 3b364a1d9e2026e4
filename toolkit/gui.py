"""The window `fengong` opens when started without arguments (a double-clicked fengongw.exe, or fengong.exe):
five buttons for the main actions, file and folder dialogs, results and errors in Chinese.
The way for WPS users and anyone without the Excel add-in.

Interface layer: each button asks for its paths on the Tk thread, then makes one call of
`toolkit.actions` on a worker thread while the buttons are disabled; the Tk thread polls for the
result with `after` (tkinter is not thread-safe: the worker never touches a widget).
tkinter is imported here only, so `fengong --help` never loads it.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Callable

from toolkit import __version__
from toolkit.actions import Outcome, distribute_plan, failure_line, gantt_chart, import_plan_file, rollup_folder, \
    validate_folder

TITLE = "分工方案工作台（fengong）"
PLANS = [("方案工作簿", "*.xlsx")]
SOURCES = [("分工方案", "*.docx *.xlsx *.txt"), ("所有文件", "*.*")]
POLL_MS = 100  # how often the Tk thread looks for the worker's result
Job = Callable[[], Outcome]


class Window:
    """The main window; `buttons` maps each label to its tkinter Button."""

    def __init__(self, root):
        import tkinter as tk
        from tkinter import filedialog, simpledialog

        self.root, self.dialogs, self.ask = root, filedialog, simpledialog
        self.last: Path | None = None  # the folder last used, where the next dialog starts
        root.title(f"{TITLE} {__version__}")
        tk.Label(root, text="请按顺序使用：导入方案 → 分发台账 → 校验报送 → 汇总 → 甘特图。"
                            "每一步会弹出对话框选择文件或文件夹。", wraplength=560, justify="left").pack(padx=12, pady=8, anchor="w")
        row = tk.Frame(root)
        row.pack(padx=12, pady=4, anchor="w")
        self.buttons = {}
        for label, command in (("导入方案", self.import_plan), ("分发台账", self.distribute), ("校验报送", self.validate),
                               ("汇总", self.rollup), ("甘特图", self.gantt)):
            self.buttons[label] = tk.Button(row, text=label, width=10, command=lambda c=command: self._run(c))
            self.buttons[label].pack(side="left", padx=4)
        self.log = tk.Text(root, width=80, height=18, wrap="char")
        self.log.tag_configure("error", foreground="#c00000")
        self.log.tag_configure("done", foreground="#006100")
        self.log.pack(padx=12, pady=8, fill="both", expand=True)

    # --- dialogs (None when cancelled) ---------------------------------------------------------

    def _dir(self) -> str:
        return str(self.last) if self.last else os.getcwd()

    def open_file(self, title: str, types) -> Path | None:
        return self._keep(self.dialogs.askopenfilename(parent=self.root, title=title, filetypes=types,
                                                       initialdir=self._dir()))

    def save_file(self, title: str, name: str, types) -> Path | None:
        return self._keep(self.dialogs.asksaveasfilename(parent=self.root, title=title, initialfile=name,
                                                         defaultextension=Path(name).suffix, filetypes=types,
                                                         initialdir=self._dir()))

    def folder(self, title: str) -> Path | None:
        return self._keep(self.dialogs.askdirectory(parent=self.root, title=title, initialdir=self._dir()), folder=True)

    def _keep(self, chosen, folder: bool = False) -> Path | None:
        if not chosen:
            return None
        path = Path(chosen)
        self.last = path if folder else path.parent
        return path

    # --- the actions: dialogs, then the library call to make (None when a dialog was cancelled)

    def import_plan(self) -> Job | None:
        source = self.open_file("选择印发的分工方案（.docx / .xlsx / .txt）", SOURCES)
        out = source and self.save_file("保存方案工作簿", "方案.xlsx", PLANS)
        return (lambda: import_plan_file(source, out)) if out else None

    def distribute(self) -> Job | None:
        from toolkit.io.schema import period_arg

        plan = self.open_file("选择方案工作簿", PLANS)
        typed = plan and self.ask.askstring("报送期次", "请输入本次报送期次（年-月），如 2016-11：", parent=self.root)
        period = period_arg(typed) if typed else None  # a wrong period is said before the next dialog
        outbox = period and self.folder("选择分发文件夹（各单位的台账写到这里）")
        return (lambda: distribute_plan(plan, outbox, period)) if outbox else None

    def validate(self) -> Job | None:
        plan = self.open_file("选择方案工作簿", PLANS)
        inbox = plan and self.folder("选择报送文件夹（各单位报回的台账）")
        return (lambda: validate_folder(inbox, plan)) if inbox else None

    def rollup(self) -> Job | None:
        plan = self.open_file("选择方案工作簿", PLANS)
        inbox = plan and self.folder("选择报送文件夹（各单位报回的台账）")
        out = inbox and self.save_file("保存汇总表", f"汇总_{inbox.name}.xlsx", [("汇总表", "*.xlsx")])
        return (lambda: rollup_folder(inbox, plan, out)) if out else None

    def gantt(self) -> Job | None:
        source = self.open_file("选择方案工作簿、单位台账或汇总表", [("工作簿", "*.xlsx")])
        out = source and self.save_file("保存甘特图", f"{source.stem}_甘特图.pdf", [("PDF", "*.pdf")])
        return (lambda: gantt_chart(source, out)) if out else None

    def _run(self, action: Callable[[], Job | None]) -> None:
        try:
            job = action()
        except Exception as exc:  # every failure ends as a Chinese line, never a traceback
            self.say(failure_line(exc), "error")
            return
        if job is None:
            self.say("已取消。")
            return
        self._busy(True)
        result: list = []  # filled by the worker: [Outcome] or [exception]

        def work() -> None:
            try:
                result.append(job())
            except Exception as exc:
                result.append(exc)

        threading.Thread(target=work, daemon=True).start()
        self._wait(result)

    def _wait(self, result: list) -> None:
        if not result:
            self.root.after(POLL_MS, self._wait, result)
            return
        self._busy(False)
        if isinstance(result[0], Exception):
            self.say(failure_line(result[0]), "error")
        else:
            self._show(result[0])

    def _busy(self, busy: bool) -> None:
        self.root.config(cursor="watch" if busy else "")
        for button in self.buttons.values():
            button.config(state="disabled" if busy else "normal")

    def _show(self, outcome: Outcome) -> None:
        self.say(outcome.text, "done")
        for row in (outcome.table or [])[1:]:
            if row[3] != "通过":
                self.say(f"  {row[0]} [{row[3]}] {row[4] or '—'}：{row[6]}", "error" if row[3] == "错误" else "")
        if outcome.open_path and sys.platform == "win32":
            try:
                os.startfile(outcome.open_path)  # Excel, the PDF viewer, or Explorer for a folder
            except OSError as exc:
                self.say(f"无法打开“{outcome.open_path}”（{exc}），请到文件夹中打开。", "error")

    def say(self, line: str, tag: str = "") -> None:
        self.log.insert("end", line + "\n", tag)
        self.log.see("end")


def start() -> bool:
    """Open the window and wait until it is closed; False if no window can be opened (no display)."""
    try:
        import tkinter as tk

        root = tk.Tk()
    except Exception:  # ImportError (no tkinter) or TclError (no display): the caller prints help
        return False
    _drop_own_console()
    Window(root)
    root.mainloop()
    return True


def _drop_own_console() -> None:
    """A double-clicked fengong.exe (a console program) gets a console window of its own: close it.
    Started from a command prompt, the console is shared and stays. (fengongw.exe, the windowed
    build of the same program, never has a console: build_exe.spec.)"""
    if sys.platform == "win32" and getattr(sys, "frozen", False):
        import ctypes

        kernel32 = ctypes.windll.kernel32
        if kernel32.GetConsoleProcessList((ctypes.c_uint * 2)(), 2) == 1:
            kernel32.FreeConsole()
