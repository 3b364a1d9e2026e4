"""Start-up of `fengong --version` / `--help`: the PyInstaller one-folder build against `python -m toolkit`.

    .venv/bin/python bench/startup.py [DIST]   # DIST: a built folder holding the fengong executable
    (without DIST it builds build_exe.spec into a temporary folder first: about a minute)

Prints the median of several runs of each command, measured in the same run, the ratio to
`python -m toolkit --version`, the folder size, and which heavy modules `--help` imports.
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
RUNS = 9
HEAVY = ("pandas", "numpy", "matplotlib", "openpyxl", "xlsxwriter", "docx", "python_calamine", "xlwings")


def median_seconds(cmd: list[str], runs: int = RUNS) -> float:
    subprocess.run(cmd, capture_output=True, check=True)  # warm the file cache
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 2**20


def build(tmp: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(tmp / "dist"),
            "--workpath",
            str(tmp / "work"),
            str(ROOT / "build_exe.spec"),
        ],
        check=True,
        cwd=ROOT,
    )
    return tmp / "dist" / "fengong"


def heavy_on_help() -> list[str]:
    """Top-level heavy packages that `python -X importtime -m toolkit --help` imports."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "toolkit", "--help"], capture_output=True, text=True, cwd=ROOT
    ).stderr
    names = {line.split("|")[-1].strip().split(".")[0] for line in out.splitlines() if "|" in line}
    return sorted(names & set(HEAVY))


def main(argv: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        dist = Path(argv[0]) if argv else build(Path(tmp))
        exe = dist / ("fengong.exe" if os.name == "nt" else "fengong")
        py = [sys.executable, "-m", "toolkit"]
        rows = [
            ("python -m toolkit --version (baseline)", py + ["--version"]),
            ("python -m toolkit --help", py + ["--help"]),
            ("fengong --version (one-folder build)", [str(exe), "--version"]),
            ("fengong --help (one-folder build)", [str(exe), "--help"]),
        ]
        results = [(name, median_seconds(cmd)) for name, cmd in rows]
        base = results[0][1]
        print(f"median of {RUNS} runs each; build: {dist} ({folder_mb(dist):.0f} MiB)")
        print(f"{'command':42} {'seconds':>8} {'× baseline':>11}")
        for name, sec in results:
            print(f"{name:42} {sec:8.3f} {sec / base:10.2f}×")
        heavy = heavy_on_help()
        print("heavy modules imported by --help:", ", ".join(heavy) if heavy else "none")


if __name__ == "__main__":
    main(sys.argv[1:])
