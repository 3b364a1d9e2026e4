"""The window under Xvfb: it opens with the five actions, and each button (invoked as a click
would, dialogs answered with real paths) makes its library call and writes real files.

Xvfb is required (CI installs Debian's `xvfb`, see .ci/run): without it these tests fail
(fixture `display` in conftest.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from toolkit.demo import sample_path

ROOT = Path(__file__).resolve().parents[1]


class Dialogs:
    """Answers for the window's dialogs, in order of asking; records each title."""

    def __init__(self, *answers):
        self.answers, self.titles, self.folders = list(answers), [], []

    def _next(self, title=None, initialdir=None, **_):
        self.titles.append(title)
        self.folders.append(initialdir)
        answer = self.answers.pop(0)
        return None if answer is None else str(answer)

    askopenfilename = asksaveasfilename = askdirectory = _next

    def askstring(self, title, prompt, **_):
        return self._next(title)


@pytest.fixture
def window(display):
    import tkinter as tk

    from toolkit.gui import Window

    root = tk.Tk()
    w = Window(root)
    root.update()
    yield w
    root.destroy()


def log(w) -> str:
    return w.log.get("1.0", "end")


def click(w, label: str, *answers) -> Dialogs:
    """Press a button and run the event loop until its work is done (the buttons come back)."""
    w.dialogs = w.ask = Dialogs(*answers)
    w.buttons[label].invoke()
    settle(w)
    assert not w.dialogs.answers, "not every prepared answer was asked for"
    return w.dialogs


def settle(w) -> None:
    deadline = time.monotonic() + 300  # a wait for the worker, not a speed check
    while any(b["state"] == "disabled" for b in w.buttons.values()):
        assert time.monotonic() < deadline, "the action never finished"
        w.root.update()
        time.sleep(0.02)


def test_window_opens_with_the_five_actions(window):
    assert window.root.title().startswith("分工方案工作台（fengong）")
    assert list(window.buttons) == ["导入方案", "分发台账", "校验报送", "汇总", "甘特图", "督查通报", "催报通知"]
    assert all(b.winfo_ismapped() for b in window.buttons.values())


def test_buttons_run_the_whole_cycle_and_write_real_files(window, tmp_path):
    shutil.copy(sample_path(), tmp_path / "方案.txt")
    plan = tmp_path / "方案.xlsx"
    asked = click(window, "导入方案", tmp_path / "方案.txt", plan)
    assert asked.titles == ["选择印发的分工方案（.docx / .xlsx / .txt）", "保存方案工作簿"]
    assert plan.stat().st_size > 0 and "导入完成：" in log(window)

    click(window, "分发台账", plan, "2016年11月", tmp_path / "分发")
    sent = sorted(f for f in (tmp_path / "分发").glob("*.xlsx") if f.name != "分发清单.xlsx")
    assert sent and f"分发完成：{len(sent)} 个单位的台账" in log(window)

    inbox = tmp_path / "报送"
    inbox.mkdir()
    for f in sent[:2]:
        shutil.copy(f, inbox / f.name)
    (inbox / "空文件.xlsx").write_bytes(b"")
    click(window, "校验报送", plan, inbox)
    assert "校验完成：3 个文件，" in log(window)
    assert "\n空文件.xlsx\n    [错误] " in log(window)
    (inbox / "空文件.xlsx").unlink()

    summary = tmp_path / "汇总.xlsx"
    click(window, "汇总", plan, inbox, summary)
    assert summary.stat().st_size > 0 and "汇总完成：2 个文件，" in log(window)

    chart = tmp_path / "甘特图.pdf"
    click(window, "甘特图", summary, chart)
    assert chart.read_bytes().startswith(b"%PDF") and "甘特图完成：" in log(window)
    assert "错误：" not in log(window)


def test_work_runs_off_the_tk_thread_with_the_buttons_disabled(window, monkeypatch):
    """While an action works the window keeps handling events, shows a watch cursor and takes no
    second click; its result line arrives afterwards, written by the Tk thread."""
    from toolkit.actions import Outcome

    release, seen = threading.Event(), []

    def chart(source, out, **_):
        seen.append(threading.current_thread() is threading.main_thread())
        release.wait(60)
        return Outcome(f"甘特图完成：{out.name}")

    monkeypatch.setattr("toolkit.gui.gantt_chart", chart)
    window.dialogs = Dialogs("/办公室/方案.xlsx", "/办公室/图.pdf")
    window.buttons["甘特图"].invoke()
    for _ in range(5):
        window.root.update()  # the event loop runs while the job waits
        time.sleep(0.02)
    assert [b["state"] for b in window.buttons.values()] == ["disabled"] * 7
    assert window.root["cursor"] == "watch" and seen == [False]
    window.buttons["汇总"].invoke()  # a disabled button does nothing: no dialog asked
    release.set()
    settle(window)
    assert window.dialogs.titles == ["选择方案工作簿、单位台账或汇总表", "保存甘特图"]
    assert window.root["cursor"] == "" and log(window).strip().splitlines()[-1] == "甘特图完成：图.pdf"


def test_errors_and_cancelling_are_said_in_chinese(window, tmp_path):
    not_a_plan = tmp_path / "其他.xlsx"
    not_a_plan.write_bytes(b"PK\x03\x04 not really a workbook")
    click(window, "校验报送", not_a_plan, tmp_path)
    lines = log(window).strip().splitlines()
    assert lines[-1].startswith("错误：") and "其他.xlsx" in lines[-1]
    assert window.log.tag_names("end-2l") == ("error",)
    click(window, "分发台账", tmp_path / "方案.xlsx", "2016年13月")  # wrong period: no folder asked
    assert "报送期次“2016年13月”中的月份 13 不存在" in log(window).strip().splitlines()[-1]
    click(window, "甘特图", None)
    assert log(window).strip().splitlines()[-1] == "已取消。"


def test_no_arguments_opens_the_window_and_help_stays_light(display):
    """`fengong` without arguments starts the window (killed here after it appears); `--help`
    does not import tkinter."""
    code = (
        "import sys, tkinter; from toolkit import gui; tkinter.Tk.mainloop = lambda self: "
        "print(self.title()); sys.argv = ['fengong']; from toolkit.cli import main; sys.exit(main())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("分工方案工作台（fengong）")
    probe = (
        "import sys; from toolkit.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('tkinter' in sys.modules, 'toolkit.gui' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "False False"


def test_fields_reach_the_workbooks_and_each_file_is_named_once(window, tmp_path):
    from openpyxl import load_workbook

    from toolkit.io import schema as S

    shutil.copy(sample_path(), tmp_path / "方案.txt")
    plan = tmp_path / "方案.xlsx"
    click(window, "导入方案", tmp_path / "方案.txt", plan)
    for label, value in (
        ("报送期次", "2016年11月"),
        ("纸张", "A4"),
        ("报送截止", "2016-12-05"),
        ("联系方式", "区政务办 张三 83000000"),
    ):
        window.fields[label].set(value)
    asked = click(window, "分发台账", plan, tmp_path / "分发")  # the period comes from its field: not asked
    assert asked.titles == ["选择方案工作簿", "选择分发文件夹（各单位的台账写到这里）"]
    book = next(f for f in (tmp_path / "分发").glob("区编办*.xlsx"))
    wb = load_workbook(book)
    texts = [c.value for row in wb[S.GUIDE_SHEET].iter_rows() for c in row if c.value]
    assert "区政务办 张三 83000000" in texts and any("请于2016年12月5日前" in str(t) for t in texts)
    assert wb[S.TABLE_SHEET].page_setup.paperSize == 9 and wb[S.TABLE_SHEET]["E2"].value == "2016年11月"

    inbox = tmp_path / "报送"
    inbox.mkdir()
    shutil.copy(book, inbox / book.name)  # returned unfilled: several reminders for one file
    click(window, "校验报送", plan, inbox)
    lines = log(window).splitlines()
    assert sum(line.startswith(book.name) for line in lines) == 1
    assert (
        sum(book.name in line for line in lines) == 1
        and lines.count("    [提醒] 任务台账!B3：未填写填报人。请在表格上方填写，便于联系核实。") == 1
    )

    window.fields["报送截止"].set("12月5日")
    click(window, "分发台账")  # refused before any dialog
    assert (
        log(window).strip().splitlines()[-1]
        == "错误：报送截止“12月5日”无法识别，请写成 2016-12-05 或 2016年12月5日 的形式。"
    )


def test_the_summary_is_never_saved_inside_the_inbox(window, tmp_path):
    inbox = tmp_path / "报送" / "2016年11月"
    inbox.mkdir(parents=True)
    asked = click(window, "汇总", tmp_path / "方案.xlsx", inbox, inbox / "汇总_2016年11月.xlsx")
    assert asked.folders[-1] == str(inbox.parent)  # the save dialog opens beside the inbox
    last = log(window).strip().splitlines()[-1]
    assert last.startswith("错误：汇总表不能保存在报送文件夹“2016年11月”内") and str(inbox.parent) in last
    assert not list(inbox.iterdir())


def test_the_log_scrolls(window):
    for n in range(200):
        window.say(f"第 {n} 行")
    window.root.update()
    first, last = window.scrollbar.get()
    assert last == 1.0 and first > 0.5  # shows the end; the scrollbar reaches the beginning


def test_chinese_text_is_drawn_with_the_shipped_font_where_the_system_has_none(display, tmp_path):
    """With a fontconfig that knows no Chinese font (as on this test machine), the window registers
    toolkit/fonts and uses it: Tk reports Noto Sans SC and the screenshot shows glyphs, not boxes."""
    conf = tmp_path / "empty-fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<fontconfig><cachedir>' + str(tmp_path / "cache") + "</cachedir></fontconfig>\n"
    )
    shot = tmp_path / "window.png"
    code = (
        "import tkinter as tk, tkinter.font as f; from toolkit import gui\n"
        "family = gui.prepare_fonts(); root = tk.Tk(); gui.use_family(root, family); w = gui.Window(root)\n"
        "w.say('分发完成：29 个单位的台账'); root.geometry('+0+0'); root.update(); root.after(500, root.quit); root.mainloop()\n"
        "print(family, f.nametofont('TkDefaultFont').actual('family'))\n"
        "from PIL import ImageGrab\n"
        f"ImageGrab.grab(xdisplay=None).crop((0, 0, root.winfo_width(), root.winfo_height())).save({str(shot)!r})\n"
    )
    env = dict(os.environ, FONTCONFIG_FILE=str(conf))
    out = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True, cwd=ROOT, env=env, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["Noto", "Sans", "SC", "Noto", "Sans", "SC"]
    from PIL import Image

    img = Image.open(shot).convert("L")
    dark = sum(1 for v in img.tobytes() if v < 100)
    assert dark > 2000  # text was drawn (a window of empty boxes has far fewer dark pixels)
