"""The Linux one-folder executable, built from build_exe.spec with PyInstaller into tmp_path:
`fengong --version` and `fengong demo` run from it, the add-in sits next to it, and started
without arguments it opens its window (under Xvfb). Marked `exe`: the build takes about a minute
(`pytest -m "not exe"` leaves it out while working on something else)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from toolkit import __version__

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.exe


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("exe")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(tmp / "dist"),
            "--workpath",
            str(tmp / "work"),
            str(ROOT / "build_exe.spec"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    return tmp / "dist" / "fengong"


def test_version_and_demo_run_from_the_build(dist, tmp_path):
    exe = dist / "fengong"
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == f"fengong {__version__}"
    demo = subprocess.run([str(exe), "demo", str(tmp_path / "演示")], capture_output=True, text=True, timeout=300)
    assert demo.returncode == 0, demo.stderr
    assert "Traceback" not in demo.stderr
    assert (tmp_path / "演示" / "方案.xlsx").stat().st_size > 0
    assert (tmp_path / "演示" / "甘特图.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "演示" / "通报.docx").stat().st_size > 0  # python-docx's template is frozen in
    assert (dist / "fengong.xlam").read_bytes() == (ROOT / "macros" / "fengong.xlam").read_bytes()
    assert not list(dist.rglob("xlwings/pro")), "xlwings' non-BSD pro folder must not be shipped"


def test_matplotlib_font_cache_is_kept_between_starts(dist, tmp_path):
    """PyInstaller's run-time hook gives matplotlib a fresh temporary config folder at each start;
    toolkit/__main__.py moves it to the user's cache, where the font list must stay after a chart."""
    from toolkit.demo import sample_path

    env = {k: v for k, v in os.environ.items() if k not in ("XDG_CACHE_HOME", "MPLCONFIGDIR")}
    env["HOME"] = str(tmp_path)
    plan = tmp_path / "方案.xlsx"
    for args in (["import", str(sample_path()), "-o", str(plan)], ["gantt", str(plan), "-o", str(tmp_path / "g.pdf")]):
        out = subprocess.run([str(dist / "fengong"), *args], capture_output=True, text=True, env=env, timeout=300)
        assert out.returncode == 0, out.stderr
    assert list((tmp_path / ".cache" / "fengong" / "matplotlib").glob("fontlist-*.json"))


def test_no_arguments_opens_the_window_from_the_build(dist, display):
    """The frozen program shows its Tk window: a new Tk application on the display whose main
    window, asked through Tk's `send`, has the fengong title."""
    import tkinter as tk

    probe = tk.Tk()
    probe.withdraw()
    before = set(probe.winfo_interps())
    app = subprocess.Popen([str(dist / "fengong")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60  # a wait for the window, not a speed check
        while not set(probe.winfo_interps()) - before and app.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        new = set(probe.winfo_interps()) - before
        assert new, f"no window (exit code {app.poll()})"
        titles = [probe.tk.call("send", name, "wm", "title", ".") for name in new]
        assert titles == [f"分工方案工作台（fengong） {__version__}"]
    finally:
        app.terminate()
        app.wait(10)
        probe.destroy()
