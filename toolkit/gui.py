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
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit import __version__
from toolkit.actions import (
    Outcome,
    bulletin_draft,
    distribute_plan,
    failure_line,
    gantt_chart,
    import_plan_file,
    reminder_notices,
    rollup_folder,
    validate_folder,
)
from toolkit.model.errors import UsageError
from toolkit.model.normalise import typed_date
from toolkit.model.period import Period

if TYPE_CHECKING:
    import tkinter as tk

TITLE = "分工方案工作台（fengong）"
PLANS = [("方案工作簿", "*.xlsx")]
SOURCES = [("分工方案", "*.docx *.xlsx *.txt"), ("所有文件", "*.*")]
POLL_MS = 100  # how often the Tk thread looks for the worker's result
FONT_DIR = Path(__file__).resolve().parent / "fonts"  # NotoSansSC-Regular.otf (OFL), shipped
SHIPPED_FAMILY = "Noto Sans SC"
WINDOWS_FAMILY = "Microsoft YaHei"  # 微软雅黑: on every Chinese Windows since Vista
TK_FONTS = (
    "TkDefaultFont",
    "TkTextFont",
    "TkFixedFont",
    "TkMenuFont",
    "TkHeadingFont",
    "TkCaptionFont",
    "TkSmallCaptionFont",
    "TkIconFont",
    "TkTooltipFont",
)
Job = Callable[[], Outcome]


def prepare_fonts() -> str | None:
    """Before the first Tk(): the Chinese font family the window should use, making the shipped
    font visible to fontconfig (Linux) when the system has no Chinese font (else empty boxes).
    None: leave Tk's defaults (macOS, or a system that already shows Chinese)."""
    if sys.platform == "win32":
        return WINDOWS_FAMILY
    if sys.platform == "darwin":
        return None
    fc_list = shutil.which("fc-list")
    if fc_list:
        found = subprocess.run(
            [fc_list, ":lang=zh", "family"], check=False, capture_output=True, text=True
        ).stdout.strip()
        if found:
            return None
    base = os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    conf = Path(tempfile.gettempdir()) / f"fengong-fonts-{os.getuid()}.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f'  <include ignore_missing="yes">{base}</include>\n  <dir>{FONT_DIR}</dir>\n</fontconfig>\n',
        encoding="utf-8",
    )
    os.environ["FONTCONFIG_FILE"] = str(conf)  # read by fontconfig when Tk starts, not before
    return SHIPPED_FAMILY


def use_family(root: tk.Misc, family: str | None) -> None:
    """Make `family` the family of Tk's named fonts (every widget uses one of them)."""
    from tkinter import font

    if not family:
        return
    for name in TK_FONTS:
        font.nametofont(name, root=root).configure(family=family)


PERIOD_FIELD, PAPER_FIELD, RETURN_BY_FIELD, CONTACT_FIELD = "报送期次", "纸张", "报送截止", "联系方式"
FIELDS = (  # label, hint, entry width: used by 分发台账 (all), 校验报送 (期次), 汇总 (期次、纸张、截止), 甘特图 (纸张)
    (PERIOD_FIELD, "如 2016-11；不填则分发时询问", 12),
    (PAPER_FIELD, "打印纸张", 0),
    (RETURN_BY_FIELD, "如 2016-12-05，写入填报说明", 12),
    (CONTACT_FIELD, "如 区政务办 张三 83000000", 28),
)


class Window:
    """The main window; `buttons` maps each label to its tkinter Button."""

    def __init__(self, root: tk.Tk) -> None:
        import tkinter as tk
        from tkinter import filedialog, font, simpledialog

        self.root, self.dialogs, self.ask = root, filedialog, simpledialog
        self.last: Path | None = None  # the folder last used, where the next dialog starts
        root.title(f"{TITLE} {__version__}")
        tk.Label(
            root,
            text="请按顺序使用：导入方案 → 分发台账 → 校验报送 → 汇总 → 甘特图。每一步会弹出对话框选择文件或文件夹。",
            wraplength=560,
            justify="left",
        ).pack(padx=12, pady=8, anchor="w")
        form = tk.Frame(root)
        form.pack(padx=12, pady=2, anchor="w")
        self.fields: dict[str, tk.StringVar] = {}
        for n, (label, hint, width) in enumerate(FIELDS):
            var = tk.StringVar(root, value="A3" if label == PAPER_FIELD else "")
            self.fields[label] = var
            tk.Label(form, text=label).grid(row=n // 2, column=(n % 2) * 3, sticky="e", padx=(8, 2), pady=2)
            if label == PAPER_FIELD:
                tk.OptionMenu(form, var, "A3", "A4").grid(row=n // 2, column=(n % 2) * 3 + 1, sticky="w")
            else:
                tk.Entry(form, textvariable=var, width=width).grid(row=n // 2, column=(n % 2) * 3 + 1, sticky="w")
            tk.Label(form, text=hint, fg="#666666").grid(row=n // 2, column=(n % 2) * 3 + 2, sticky="w")
        row = tk.Frame(root)
        row.pack(padx=12, pady=4, anchor="w")
        self.buttons: dict[str, tk.Button] = {}
        for label, command in (
            ("导入方案", self.import_plan),
            ("分发台账", self.distribute),
            ("校验报送", self.validate),
            ("汇总", self.rollup),
            ("甘特图", self.gantt),
            ("督查通报", self.report),
            ("催报通知", self.remind),
        ):
            self.buttons[label] = tk.Button(row, text=label, width=10, command=partial(self._run, command))
            self.buttons[label].pack(side="left", padx=4)
        box = tk.Frame(root)
        box.pack(padx=12, pady=8, fill="both", expand=True)
        self.scrollbar = tk.Scrollbar(box)
        self.scrollbar.pack(side="right", fill="y")
        self.log = tk.Text(box, width=80, height=18, wrap="char", yscrollcommand=self.scrollbar.set)
        self.scrollbar.config(command=self.log.yview)
        self.log.tag_configure("error", foreground="#c00000")
        self.log.tag_configure("done", foreground="#006100")
        self.bold = font.nametofont("TkDefaultFont", root=root).copy()
        self.bold.configure(weight="bold")
        self.log.tag_configure("file", font=self.bold)
        self.log.pack(side="left", fill="both", expand=True)

    # --- the fields (empty: not given) ------------------------------------------------------------

    def period(self) -> Period | None:
        text = self.fields[PERIOD_FIELD].get().strip()
        return Period.parse(text) if text else None

    def paper(self) -> str:
        return self.fields[PAPER_FIELD].get()

    def return_by(self) -> date | None:
        text = self.fields[RETURN_BY_FIELD].get().strip()
        return typed_date(text, "报送截止") if text else None

    def contact(self) -> str:
        return self.fields[CONTACT_FIELD].get().strip()

    # --- dialogs (None when cancelled) ---------------------------------------------------------

    def _dir(self) -> str:
        return str(self.last) if self.last else os.getcwd()

    def open_file(self, title: str, types: list[tuple[str, str]]) -> Path | None:
        return self._keep(
            self.dialogs.askopenfilename(parent=self.root, title=title, filetypes=types, initialdir=self._dir())
        )

    def save_file(self, title: str, name: str, types: list[tuple[str, str]]) -> Path | None:
        return self._keep(
            self.dialogs.asksaveasfilename(
                parent=self.root,
                title=title,
                initialfile=name,
                defaultextension=Path(name).suffix,
                filetypes=types,
                initialdir=self._dir(),
            )
        )

    def folder(self, title: str) -> Path | None:
        return self._keep(self.dialogs.askdirectory(parent=self.root, title=title, initialdir=self._dir()), folder=True)

    def _keep(self, chosen: str, folder: bool = False) -> Path | None:
        # chosen: the dialog's path, "" (or () with some Tk builds) when cancelled
        if not chosen:
            return None
        path = Path(chosen)
        self.last = path if folder else path.parent
        return path

    # --- the actions: dialogs, then the library call to make (None when a dialog was cancelled)

    def import_plan(self) -> Job | None:
        source = self.open_file("选择印发的分工方案（.docx / .xlsx / .txt）", SOURCES)
        out = source and self.save_file("保存方案工作簿", "方案.xlsx", PLANS)
        return partial(import_plan_file, source, out) if source and out else None

    def distribute(self) -> Job | None:
        period, return_by, paper, contact = self.period(), self.return_by(), self.paper(), self.contact()
        plan = self.open_file("选择方案工作簿", PLANS)
        if plan and not period:
            typed = self.ask.askstring("报送期次", "请输入本次报送期次（年-月），如 2016-11：", parent=self.root)
            period = Period.parse(typed) if typed else None  # a wrong period is said before the next dialog
        outbox = period and self.folder("选择分发文件夹（各单位的台账写到这里）")
        if not (plan and period and outbox):
            return None
        return partial(distribute_plan, plan, outbox, period, paper=paper, contact=contact, return_by=return_by)

    def validate(self) -> Job | None:
        plan = self.open_file("选择方案工作簿", PLANS)
        inbox = plan and self.folder("选择报送文件夹（各单位报回的台账）")
        period = self.period()
        return partial(validate_folder, inbox, plan, period=period) if plan and inbox else None

    def rollup(self) -> Job | None:
        period, return_by, paper = self.period(), self.return_by(), self.paper()
        plan = self.open_file("选择方案工作簿", PLANS)
        inbox = plan and self.folder("选择报送文件夹（各单位报回的台账）")
        if not (plan and inbox):
            return None
        self.last = inbox.parent  # beside the inbox: a summary inside it is read as a return next time
        out = self.save_file("保存汇总表（不要存在报送文件夹内）", f"汇总_{inbox.name}.xlsx", [("汇总表", "*.xlsx")])
        if out and out.resolve().is_relative_to(inbox.resolve()):
            raise UsageError(
                f"汇总表不能保存在报送文件夹“{inbox.name}”内：下次汇总会把它当作单位报送的文件。"
                f"请保存到报送文件夹之外，例如“{inbox.parent}”。"
            )
        return (
            partial(rollup_folder, inbox, plan, out, period=period, paper=paper, return_by=return_by) if out else None
        )

    def gantt(self) -> Job | None:
        source = self.open_file("选择方案工作簿、单位台账或汇总表", [("工作簿", "*.xlsx")])
        out = source and self.save_file("保存甘特图", f"{source.stem}_甘特图.pdf", [("PDF", "*.pdf")])
        paper = self.paper()
        return partial(gantt_chart, source, out, paper=paper) if source and out else None

    def report(self) -> Job | None:
        source = self.open_file("选择汇总表", [("汇总表", "*.xlsx")])
        out = source and self.save_file("保存督查通报", f"通报_{source.stem}.docx", [("Word 文档", "*.docx")])
        return partial(bulletin_draft, source, out) if source and out else None

    def remind(self) -> Job | None:
        source = self.open_file("选择汇总表", [("汇总表", "*.xlsx")])
        out = source and self.folder("选择存放催报、督办通知的文件夹")
        return partial(reminder_notices, source, out) if source and out else None

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
        result: list[Outcome | Exception] = []  # filled by the worker: [Outcome] or [exception]

        def work() -> None:
            try:
                result.append(job())
            except Exception as exc:
                result.append(exc)

        threading.Thread(target=work, daemon=True).start()
        self._wait(result)

    def _wait(self, result: list[Outcome | Exception]) -> None:
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
        named = None
        for row in (outcome.table or [])[1:]:  # rows of one file follow each other: name it once
            if row[3] == "通过":
                continue
            if row[0] != named:
                named = row[0]
                self.say(f"{named}（{row[1]}）" if row[1] else named, "file")
            self.say(f"    [{row[3]}] {row[4] or '—'}：{row[6]}", "error" if row[3] == "错误" else "")
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

        family = prepare_fonts()
        root = tk.Tk()
    except Exception:  # ImportError (no tkinter) or TclError (no display): the caller prints help
        return False
    _drop_own_console()
    use_family(root, family)
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
