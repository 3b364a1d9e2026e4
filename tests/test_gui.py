"""The window under Xvfb: it opens with the five actions, and each button (invoked as a click
would, dialogs answered with real paths) makes its library call and writes real files.

Xvfb is required (CI installs Debian's `xvfb`, see .ci/run): without it these tests fail
(fixture `display` in conftest.py)."""

from __future__ import annotations

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
        self.answers, self.titles = list(answers), []

    def _next(self, title=None, **_):
        self.titles.append(title)
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
    assert "空文件.xlsx [错误]" in log(window)
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

    def chart(source, out):
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
    code = ("import sys, tkinter; from toolkit import gui; tkinter.Tk.mainloop = lambda self: "
            "print(self.title()); sys.argv = ['fengong']; from toolkit.cli import main; sys.exit(main())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("分工方案工作台（fengong）")
    probe = ("import sys; from toolkit.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
             "print('tkinter' in sys.modules, 'toolkit.gui' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "False False"
