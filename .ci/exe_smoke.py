"""Smoke checks of the Windows one-folder build: under Wine on Linux (.ci/wine-build.sh) and on a
real Windows runner (.github/workflows/windows-exe.yml), the same checks.

    python .ci/exe_smoke.py DIST ARTIFACTS

DIST is the built dist/fengong folder (fengong.exe, fengongw.exe, _internal, the add-in). Each check
prints one line; the first failure ends the run with status 1. The reference for the demo is the
same code unfrozen (`python -m toolkit demo`, with this interpreter). ARTIFACTS receives both demos'
outputs, the window's screenshot (window.png) and the timings (smoke.json).
Wine wants pipes, not files, for the program's stdout/stderr (a file gives WinError 6): every run
here captures them through pipes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path, PurePath

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toolkit import __version__  # noqa: E402  (the checkout, put on sys.path above)
from toolkit.gui import TITLE  # noqa: E402

WINDOW_TITLE = f"{TITLE} {__version__}"
CONSOLE, GUI = 3, 2  # PE optional header Subsystem values
TIMINGS: dict[str, float] = {}


class SmokeFailure(Exception):
    pass


def check(ok: bool, what: str, detail: str = "") -> None:
    if not ok:
        raise SmokeFailure(f"{what}{': ' + detail if detail else ''}")
    print(f"  ok  {what}", flush=True)


WINDOWS = sys.platform == "win32"  # else: Linux, the programs run under Wine
HOST = "Windows" if WINDOWS else "Wine"


def winpath(path: Path) -> str:
    """`path` as the Windows program sees it (Wine maps / to drive Z:)."""
    return str(path) if WINDOWS else "Z:" + str(path).replace("/", "\\")


def run(
    cmd: list[str], timeout: float = 300, env: dict[str, str] | None = None, encoding: str = "utf-8"
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, check=False, capture_output=True, text=True, encoding=encoding, errors="replace", timeout=timeout, env=env
    )


def program(exe: Path, *args: str) -> list[str]:
    return [str(exe), *args] if WINDOWS else ["wine", str(exe), *args]


def wine(exe: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the Windows program `exe` (natively on Windows, else under Wine)."""
    return run(program(exe, *args), timeout=timeout)


def reference(*args: str) -> subprocess.CompletedProcess[str]:
    """The same command from the unfrozen code, with this interpreter."""
    return run([sys.executable, "-m", "toolkit", *args])


def pe_subsystem(exe: Path) -> int:
    data = exe.read_bytes()[:4096]
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    check(data[pe : pe + 4] == b"PE\0\0", f"{exe.name} is a PE file")
    return struct.unpack_from("<H", data, pe + 24 + 68)[0]  # after the COFF header: Subsystem


def check_folder(dist: Path, art: Path) -> None:
    check(pe_subsystem(dist / "fengong.exe") == CONSOLE, "fengong.exe is a console program")
    check(pe_subsystem(dist / "fengongw.exe") == GUI, "fengongw.exe is a windowed program (no console)")
    check(
        (dist / "fengong.xlam").read_bytes() == (ROOT / "macros" / "fengong.xlam").read_bytes(),
        "fengong.xlam beside the programs",
    )
    check((dist / "方案模板.xlsm").is_file(), "方案模板.xlsm beside the programs")
    internal = dist / "_internal"
    check((internal / "pywin32_system32" / "pywintypes311.dll").is_file(), "pywin32's DLLs are in the folder")
    modules = frozen_modules(dist / "fengong.exe")
    check(
        {"xlwings", "xlwings._xlwindows", "win32com", "pywintypes", "toolkit.xl"} <= modules,
        "xlwings (its Windows part), win32com and toolkit.xl are frozen in",
    )
    check(
        not any(m == "xlwings.pro" or m.startswith("xlwings.pro.") for m in modules), "xlwings' non-BSD pro part is not"
    )
    check(not {"pandas", "pyarrow"} & modules and not any(internal.glob("pyarrow*")), "no pandas or pyarrow")


def frozen_modules(exe: Path) -> set[str]:
    """The module names in the PYZ archive PyInstaller embeds in `exe`."""
    from PyInstaller.archive.readers import CArchiveReader

    return set(CArchiveReader(str(exe)).open_embedded_archive("PYZ.pyz").toc)


def check_version(dist: Path, art: Path) -> None:
    t = time.perf_counter()
    out = wine(dist / "fengong.exe", "--version", timeout=120)
    TIMINGS[f"{HOST}: fengong.exe --version (first start)"] = time.perf_counter() - t
    check(
        out.returncode == 0 and out.stdout.strip() == f"fengong {__version__}",
        f"fengong.exe --version prints fengong {__version__}",
        f"rc={out.returncode} {out.stdout!r} {out.stderr[-500:]!r}",
    )


def normalised(lines: str, outdir: str) -> list[str]:
    """Demo lines with the output folder cut out and Windows separators made '/'."""
    return [line.replace(outdir, "OUT").replace("\\", "/") for line in lines.splitlines()]


def summary_shape(path: Path) -> dict[str, int]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return {
            ws.title: sum(1 for row in ws.iter_rows(values_only=True) if any(v is not None for v in row))
            for ws in book.worksheets
        }
    finally:
        book.close()


def check_demo(dist: Path, art: Path) -> None:
    win_out, lin_out = art / "demo-exe", art / "demo-python"
    for folder in (win_out, lin_out):
        shutil.rmtree(folder, ignore_errors=True)
    t = time.perf_counter()
    win = wine(dist / "fengong.exe", "demo", winpath(win_out))
    TIMINGS[f"{HOST}: fengong.exe demo"] = time.perf_counter() - t
    (art / "demo-exe.txt").write_text(win.stdout + win.stderr, encoding="utf-8")
    check(
        win.returncode == 0 and "Traceback" not in win.stderr,
        "fengong.exe demo runs",
        f"rc={win.returncode}\n{win.stderr[-3000:]}",
    )
    t = time.perf_counter()
    lin = reference("demo", str(lin_out))
    TIMINGS["python -m toolkit demo (reference)"] = time.perf_counter() - t
    check(lin.returncode == 0, f"the reference demo runs ({sys.platform}, python -m toolkit)", lin.stderr[-2000:])
    a, b = normalised(win.stdout, winpath(win_out)), normalised(lin.stdout, str(lin_out))
    diff = [f"exe:    {x}\npython: {y}" for x, y in zip(a, b) if x != y]
    check(
        len(a) == len(b) and not diff,
        f"the exe demo's {len(a)} lines (all counts) equal the reference demo's",
        "\n".join(diff[:5]),
    )
    files_w = sorted(str(PurePath(p.relative_to(win_out))) for p in win_out.rglob("*") if p.is_file())
    files_l = sorted(str(PurePath(p.relative_to(lin_out))) for p in lin_out.rglob("*") if p.is_file())
    check(
        files_w == files_l,
        f"the same {len(files_w)} files, {sum(f.endswith('.xlsx') for f in files_w)} workbooks",
        f"only exe: {sorted(set(files_w) - set(files_l))[:5]}, only python: {sorted(set(files_l) - set(files_w))[:5]}",
    )
    summaries = sorted(p.name for p in win_out.glob("*汇总_*.xlsx"))
    check(len(summaries) == 3, "three summaries (two months, one city level)", str(summaries))
    for name in summaries:
        shape_w, shape_l = summary_shape(win_out / name), summary_shape(lin_out / name)
        check(
            shape_w == shape_l,
            f"{name}: the same sheets and row counts ({sum(shape_w.values())} rows)",
            f"{shape_w} != {shape_l}",
        )
    check((win_out / "甘特图.pdf").read_bytes()[:5] == b"%PDF-", "甘特图.pdf is a PDF")
    db = win_out / "方案_历史.sqlite"
    hist_w = wine(dist / "fengong.exe", "history", winpath(db), "--json")
    hist_l = reference("history", str(lin_out / db.name), "--json")
    periods_w, periods_l = history_without_times(hist_w.stdout), history_without_times(hist_l.stdout)
    check(
        hist_w.returncode == 0
        and periods_w == periods_l
        and [p["period"] for p in periods_w] == ["2016-11", "2016-12"],
        "fengong.exe history reads the same two periods, counts and units as the reference",
        f"{hist_w.stdout[:300]!r} vs {hist_l.stdout[:300]!r}",
    )


def check_workers(dist: Path, art: Path) -> None:
    """A roll-up of 200 files or more reads them in worker processes: fengong.exe started again
    with FENGONG_WORKER set (toolkit.rollup.workers), its results piped back, the summary the
    same as the reference's."""
    demo, box = art / "demo-exe", art / "big-inbox"
    shutil.rmtree(box, ignore_errors=True)
    for n in range(8):  # the November inbox eight times over: ≥ 200 files, every unit's return 8 times
        shutil.copytree(demo / "收件" / "2016年11月", box / f"第{n + 1}份")
    said = {}
    for who, out in (("exe", art / "big-exe"), ("python", art / "big-python")):
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        where = winpath if who == "exe" else str
        args = ["rollup", where(box), "--plan", where(demo / "方案.xlsx"), "-o", where(out / "汇总.xlsx")]
        args += ["--history", where(out / "h.sqlite"), "--json"]
        t = time.perf_counter()
        done = wine(dist / "fengong.exe", *args) if who == "exe" else reference(*args)
        TIMINGS[f"{HOST if who == 'exe' else 'python'}: rollup of {sum(1 for _ in box.rglob('*.xlsx'))} files"] = (
            time.perf_counter() - t
        )
        check(done.returncode == 0, f"the {who} rolls up the large inbox", done.stderr[-2000:])
        said[who] = json.loads(done.stdout)
        said[who]["overview"].pop("生成时间")
    check(said["exe"]["processes"] >= 2, f"fengong.exe read the files in {said['exe']['processes']} worker processes")
    same = ("overview", "units", "sheets", "problems")
    check(
        all(said["exe"][k] == said["python"][k] for k in same),
        "the same overview, unit figures, sheet rows and problem counts as the reference",
        str({k: (said["exe"][k], said["python"][k]) for k in same if said["exe"][k] != said["python"][k]})[:2000],
    )


def check_saver(dist: Path, art: Path) -> None:
    """A large roll-up's history is saved by fengong.exe started again as a saver
    (toolkit.rollup.saving): it reads the rows from a file, inserts them, and commits only when told."""
    import pickle
    import sqlite3

    folder = art / "saver"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    rows = [("区财政局", "", f"1-{n}", "推进中", 0.5, "", "正常推进", "财政局.xlsx") for n in range(25_000)]
    with open(folder / "rows.pickle", "wb") as fh:  # paths as the Windows program sees them
        for message in ((winpath(folder / "h.sqlite"), "2016-11", {"plan_title": "方案", "files": 1}), rows, None):
            pickle.dump(message, fh)
    done = subprocess.run(
        program(dist / "fengong.exe"),
        input=pickle.dumps(winpath(folder / "rows.pickle")) + b"commit\n",
        capture_output=True,
        timeout=300,
        env=dict(os.environ, FENGONG_WORKER="save"),
        check=False,
    )
    check(done.returncode == 0 and pickle.loads(done.stdout) is None, "the saver answers: committed", str(done)[-2000:])
    with sqlite3.connect(folder / "h.sqlite") as con:
        stored = con.execute("SELECT COUNT(*) FROM rows WHERE period = '2016-11'").fetchone()[0]
    check(stored == len(rows), f"the saver stored all {len(rows)} rows", str(stored))


def check_stale_temp(dist: Path, art: Path) -> None:
    """A temp folder a killed run left (its pid gone, the folder new) is cleared by the next run
    writing beside it: toolkit.io.atomic asks Windows whether that process still runs."""
    folder = art / "stale"
    shutil.rmtree(folder, ignore_errors=True)
    left = folder / ".~fengong-4000000-killed"  # no such process: Windows pids stay far below
    left.mkdir(parents=True)
    (left / "半截.xlsx").write_bytes(b"PK")
    out = wine(
        dist / "fengong.exe",
        "distribute",
        winpath(art / "demo-exe" / "方案.xlsx"),
        "-o",
        winpath(folder / "分发"),
        "--period",
        "2016-12",
    )
    check(
        out.returncode == 0 and not left.exists() and any((folder / "分发").glob("*.xlsx")),
        "fengong.exe distribute clears the temp folder of a run that is gone (pid asked of Windows)",
        f"rc={out.returncode} left={left.exists()} {out.stderr[-1500:]!r}",
    )


def history_without_times(text: str) -> list[dict]:
    """`fengong history --json` without the time each period was saved."""
    try:
        periods = json.loads(text)
    except json.JSONDecodeError:
        return []
    return [{k: v for k, v in period.items() if k != "saved_at"} for period in periods]


def check_excel_entry(dist: Path, art: Path) -> None:
    """What the add-in's RunFrozenPython runs, with no Excel behind it: xlwings and pywin32 load in
    the frozen program and the user gets the Chinese "cannot connect to Excel" message — on stderr in
    the ANSI code page, which xlwings' VBA reads its log in (under Wine: a Chinese locale, cp936)."""
    import locale

    acp = locale.getencoding() if WINDOWS else "cp936"
    env = None if WINDOWS else dict(os.environ, LC_ALL="zh_CN.UTF-8", LANG="zh_CN.UTF-8")
    book = art / "假工作簿.xlsm"
    book.write_bytes(b"PK\x05\x06" + bytes(18))  # an empty zip: no Excel will ever have it open
    out = run(
        program(
            dist / "fengong.exe",
            "xl",
            "check",
            f"--wb={winpath(book)}",
            "--from_xl=1",
            r"--app=C:\Program Files\Microsoft Office\root\Office16\EXCEL.EXE",
            "--hwnd=65552",
        ),
        timeout=120,
        env=env,
        encoding=acp,
    )
    (art / "excel-entry.txt").write_text(out.stdout + out.stderr, encoding="utf-8")
    expected = "无法连接调用本程序的 Excel".encode(acp, "replace").decode(acp)  # '?' where the code page has no 汉字
    check(
        out.returncode == 2
        and expected in out.stderr
        and "Traceback" not in out.stderr
        and "没有包含 xlwings".encode(acp, "replace").decode(acp) not in out.stderr,
        f"fengong.exe xl check --wb=… says (in {acp}) that it cannot reach Excel",
        f"rc={out.returncode} {out.stderr[-1500:]!r}",
    )


def xvfb() -> tuple[subprocess.Popen[bytes], str]:
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        raise SmokeFailure("Xvfb gave no display number")
    return server, f":{number}"


Box = tuple[int, int, int, int]  # left, top, right, bottom


def find_window(display: str | None) -> Box | None:
    """The box of the top-level window titled WINDOW_TITLE, if it is there."""
    if WINDOWS:
        import ctypes
        from ctypes import wintypes

        user32 = ctypes.windll.user32  # type: ignore[attr-defined]
        user32.SetProcessDPIAware()  # window boxes in the screenshot's pixels, also on a scaled display
        hwnd = user32.FindWindowW(None, WINDOW_TITLE)
        rect = wintypes.RECT()
        if not hwnd or not user32.IsWindowVisible(hwnd) or not user32.GetWindowRect(hwnd, ctypes.byref(rect)):
            return None
        return rect.left, rect.top, rect.right, rect.bottom
    tree = run(["xwininfo", "-root", "-tree"], env=dict(os.environ, DISPLAY=str(display)), timeout=30).stdout
    found = re.search(rf'"{re.escape(WINDOW_TITLE)}":.*?\s(\d+)x(\d+)\+(-?\d+)\+(-?\d+)', tree)
    if not found:
        return None
    w, h, x, y = map(int, found.groups())
    return x, y, x + w, y + h


def wait_for_window(display: str | None, started: float, limit: float = 90) -> tuple[float, Box] | None:
    """Seconds from `started` until the window is on the screen, and its box."""
    while time.perf_counter() - started < limit:
        box = find_window(display)
        if box:
            return time.perf_counter() - started, box
        time.sleep(0.1)
    return None


def check_window(dist: Path, art: Path) -> None:
    from PIL import ImageGrab

    server, display = (None, None) if WINDOWS else xvfb()
    env = dict(os.environ, DISPLAY=display) if display else None
    try:
        for exe in ("fengongw.exe", "fengong.exe"):
            started = time.perf_counter()
            app = subprocess.Popen(program(dist / exe), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            try:
                seen = wait_for_window(display, started)
                check(seen is not None, f"{exe} without arguments opens the {TITLE} window", f"exit code {app.poll()}")
                assert seen is not None
                TIMINGS[f"{HOST}: {exe} window on screen"] = seen[0]
                if exe == "fengongw.exe":
                    time.sleep(2)  # let it paint
                    shot = ImageGrab.grab(xdisplay=display) if display else ImageGrab.grab(all_screens=True)
                    shot.save(art / "window.png")
                    window = shot.crop(seen[1]).convert("L")
                    dark = sum(n for value, n in enumerate(window.histogram()) if value < 150)
                    check(
                        dark > 1000,
                        f"the window painted its text (screenshot: {art / 'window.png'})",
                        f"{dark} dark pixels in {seen[1]}",
                    )
            finally:
                app.terminate()
                if not WINDOWS:  # the Windows process outlives its wine launcher: end the prefix's
                    subprocess.run(["wineserver", "-k"], check=False, env=env, capture_output=True)
                app.wait(30)
    finally:
        if server:
            server.terminate()
            server.wait(10)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    if not WINDOWS and not os.environ.get("WINEPREFIX"):
        print("WINEPREFIX is not set: run this from .ci/wine-build.sh (it sets up the prefix).", file=sys.stderr)
        return 2
    os.environ.setdefault("WINEDEBUG", "-all")
    os.environ.setdefault("WINEDLLOVERRIDES", "mscoree,mshtml=")
    dist, art = Path(argv[0]).resolve(), Path(argv[1]).resolve()
    art.mkdir(parents=True, exist_ok=True)
    try:
        for name, step in (
            ("folder", check_folder),
            ("--version", check_version),
            ("demo", check_demo),
            ("workers", check_workers),
            ("history saver", check_saver),
            ("stale temp", check_stale_temp),
            ("Excel entry", check_excel_entry),
            ("window", check_window),
        ):
            print(f"[exe-smoke] {name}", flush=True)
            step(dist, art)
    except (SmokeFailure, subprocess.TimeoutExpired) as exc:
        print(f"[exe-smoke] FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        (art / "smoke.json").write_text(json.dumps(TIMINGS, ensure_ascii=False, indent=1), encoding="utf-8")
    for name, seconds in TIMINGS.items():
        print(f"[exe-smoke] {name}: {seconds:.2f} s")
    print("[exe-smoke] all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
