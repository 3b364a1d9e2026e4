"""Start-up of the Windows build under Wine against the Linux build, measured in the same run:
`fengong --version`, and the window's first paint (started without arguments, under Xvfb).

    .venv/bin/python bench/wine_startup.py [WINE_DIST [LINUX_DIST]]

WINE_DIST defaults to build/wine/dist/fengong (made by `bash .ci/wine-build.sh`, whose Wine prefix
build/wine/prefix is used); without LINUX_DIST the Linux build is made from build_exe.spec into a
temporary folder first (about a minute). A persistent wineserver runs for the --version runs (as on
a desktop where Wine is already up); the window runs start with Wine's server stopped, each one.
First paint: from the start of the process until a screenshot of the window titled
「分工方案工作台（fengong） 0.1.0」 shows its text (over 1000 dark pixels in the window's box).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / ".ci"))

import exe_smoke  # noqa: E402  the window finder and Xvfb of the smoke checks
from startup import build, median_seconds  # noqa: E402

VERSION_RUNS, WINDOW_RUNS = 9, 5


def first_paint(cmd: list[str], display: str, wine: bool) -> float:
    from PIL import ImageGrab

    env = dict(os.environ, DISPLAY=display)
    started = time.perf_counter()
    app = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - started < 90:
            box = exe_smoke.find_window(display)
            if box:
                window = ImageGrab.grab(xdisplay=display).crop(box).convert("L")
                if sum(n for value, n in enumerate(window.histogram()) if value < 150) > 1000:
                    return time.perf_counter() - started
            time.sleep(0.05)
        raise SystemExit(f"no painted window from {cmd}")
    finally:
        app.terminate()
        app.wait(30)
        if wine:
            subprocess.run(["wineserver", "-k"], check=False, capture_output=True)
            subprocess.run(["wineserver", "-w"], check=False, capture_output=True)


def main(argv: list[str]) -> None:
    wine_dist = Path(argv[0]) if argv else ROOT / "build" / "wine" / "dist" / "fengong"
    os.environ.setdefault("WINEPREFIX", str(ROOT / "build" / "wine" / "prefix"))
    os.environ.setdefault("WINEDEBUG", "-all")
    os.environ.setdefault("WINEDLLOVERRIDES", "mscoree,mshtml=;winemenubuilder.exe=d")
    with tempfile.TemporaryDirectory() as tmp:
        linux_dist = Path(argv[1]) if len(argv) > 1 else build(Path(tmp))
        linux, windows, windowed = linux_dist / "fengong", wine_dist / "fengong.exe", wine_dist / "fengongw.exe"
        server = subprocess.Popen(["wineserver", "-f", "-p"])  # persistent: --version runs pay no Wine boot
        # Start the prefix's services now, with no pipes to inherit (they would keep a captured
        # stdout open for as long as the persistent server lives).
        subprocess.run(
            ["wine", "cmd", "/c", "exit"],
            check=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=120,
        )
        try:
            version = [
                ("fengong --version (Linux build)", median_seconds([str(linux), "--version"], VERSION_RUNS)),
                ("fengong.exe --version (Wine)", median_seconds(["wine", str(windows), "--version"], VERSION_RUNS)),
            ]
        finally:
            subprocess.run(["wineserver", "-k"], check=False, capture_output=True)
            server.wait(30)
        xvfb, display = exe_smoke.xvfb()
        try:
            paint = [
                (
                    "window first paint (Linux build)",
                    [first_paint([str(linux)], display, False) for _ in range(WINDOW_RUNS)],
                ),
                (
                    "fengongw.exe window first paint (Wine)",
                    [first_paint(["wine", str(windowed)], display, True) for _ in range(WINDOW_RUNS)],
                ),
            ]
        finally:
            xvfb.terminate()
            xvfb.wait(10)
    print(f"Wine build: {wine_dist}; Linux build: {linux_dist}")
    print(
        f"{'measure':42} {'seconds':>8} {'× Linux':>8}   (median; --version {VERSION_RUNS} runs, window {WINDOW_RUNS})"
    )
    for rows in (version, [(name, statistics.median(times)) for name, times in paint]):
        base = rows[0][1]
        for name, sec in rows:
            print(f"{name:42} {sec:8.3f} {sec / base:7.2f}×")
    for name, times in paint:
        print(f"  {name}: " + ", ".join(f"{t:.2f}" for t in times))


if __name__ == "__main__":
    main(sys.argv[1:])
