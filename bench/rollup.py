"""Benchmark of `fengong rollup` (not a timed test): N unit workbooks × 150 rows, or any inbox.

Measures in the same run, each in a fresh child process, median of --runs runs:
  (a) python-calamine reading just the cell values of every file (every sheet, one thread;
      also: two threads, and the sheets a roll-up reads — 任务台账 and the metadata — in one);
  (b) the straightforward approach: pandas.read_excel(engine="openpyxl") per file, concat,
      DataFrame.to_excel;
  (c) the `fengong rollup` command (plan, reading, summary with the 甘特图 sheet when the plan has
      ≤ 400 items, history). Peak memory is that of the child and its worker processes together.
Each is timed two ways, and only like is compared with like: the whole process (wall time from
spawning the child until it exits: interpreter start, imports, work, exit) and the work alone
(timed inside the child after its imports: (a)/(b) around reading and writing, (c) `timings.total`,
the `rollup()` call).
Targets (issue 14): district (20–50 returns) (c) ≤ 0.5 × (b); 200 returns (c) ≤ 2 × (a) and ≤ 0.15 × (b);
1,000 returns (c) ≤ 2.5 × (a, two threads), peak ≤ 400 MB.
Usage: .venv/bin/python bench/rollup.py [--units 200] [--rows 150] [--runs 3] [--keep DIR] [--no-pandas]
       .venv/bin/python bench/rollup.py --inbox INBOX --plan PLAN.xlsx   (an existing inbox, e.g. the demo's)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path

from toolkit.io import schema as S
from toolkit.model import Item, Plan, deadlines

STATUSES = ("推进中", "已完成", "持续推进", "未启动")


def make_plan(units: int, rows: int) -> Plan:
    """A plan where each of `units` units answers for `rows` items (20 units per item)."""
    per_item = 20
    n_items = units * rows // per_item
    names = [f"区第{i + 1:03d}局" for i in range(units)]
    items = []
    for k in range(n_items):
        group = [names[u] for u in range(units) if u % (units // per_item) == k % (units // per_item)]
        text = f"{2016 + k % 2}年{k % 12 + 1}月底前"
        items.append(
            Item(
                id=f"{k // 5 + 1}-{k % 5 + 1}",
                task=f"第{k // 5 + 1}项工作任务：推进政务公开标准化规范化",
                requirement="按照上级部署，及时公开重大决策、重点工作和民生事项的信息，" * 3,
                lead_units=group[:1],
                co_units=group[1:],
                deadline_text=text,
                deadline=deadlines.parse(text, 2016),
            )
        )
    return Plan(title="越秀区2016年政务公开工作要点分工方案（基准）", issuer="越秀区政务办", year=2016, items=items)


def _write_one(args) -> None:
    from toolkit.io.unitbook import write_unit_workbook

    plan, unit, folder, seed = args
    carry = {}
    for n, item in enumerate(plan.items_for(unit)):
        status = STATUSES[(n + seed) % len(STATUSES)]
        carry[item.id] = {
            S.STATUS: status,
            S.PROGRESS: 1.0 if status == S.DONE else 0.5,
            S.PROGRESS_TEXT: "已按要求在区政府门户网站公开相关信息，并组织专题培训。" * 2,
            S.EVIDENCE: "http://www.yuexiu.gov.cn/zwgk/" + item.id,
            S.DONE_DATE: date(2016, 10, 1) + timedelta(days=n % 30) if status == S.DONE else None,
            S.ISSUES: "暂无" if n % 3 else "人员不足，下一步加强统筹。",
        }
    filler = {"填报人": "张三", "联系电话": "020-83000000", "填报日期": date(2016, 11, 25)}
    write_unit_workbook(
        Path(folder) / f"{unit}_基准_2016年11月.xlsx", plan, unit, "2016-11", carry=carry, filler=filler
    )


def generate(folder: Path, units: int, rows: int, copies: bool = False) -> Path:
    """Write the plan and one workbook per unit. With `copies` (for thousands of units: the writer
    takes seconds a file here) only the lead and one co unit of each group of units sharing the
    same items are written; the group's other co units get a copy of the co unit's workbook with
    their name put in (header block, metadata): the same rows and fill-ins, another unit."""
    from toolkit.io.planbook import write_plan

    plan = make_plan(units, rows)
    inbox = folder / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    groups: dict[tuple[str, ...], list[str]] = {}
    for u in plan.units:
        groups.setdefault(tuple(i.id for i in plan.items_for(u)), []).append(u)
    written = [u for g in groups.values() for u in (g[:2] if copies else g)]
    with ProcessPoolExecutor(os.cpu_count() or 1) as pool:
        list(pool.map(_write_one, [(plan, u, inbox, i) for i, u in enumerate(written)], chunksize=4))
        if copies:
            list(pool.map(_copy_unit, [(inbox, g[1], u) for g in groups.values() for u in g[2:]], chunksize=16))
    write_plan(plan, folder / "plan.xlsx")
    return folder


def _copy_unit(args) -> None:
    """The workbook of unit `src` saved as unit `unit`'s: every cell holding exactly the unit's
    name (openpyxl writes inline strings) gets the new name."""
    import zipfile

    inbox, src, unit = args
    old, new = (f"<t>{n}</t>".encode() for n in (src, unit))
    with (
        zipfile.ZipFile(inbox / f"{src}_基准_2016年11月.xlsx") as zin,
        zipfile.ZipFile(inbox / f"{unit}_基准_2016年11月.xlsx", "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(old, new)
            zout.writestr(info, data)


CALAMINE = """
import sys, glob, time
from concurrent.futures import ThreadPoolExecutor
from python_calamine import CalamineWorkbook
threads, only = int(sys.argv[2]), sys.argv[3:]  # sheet names; none = every sheet
def read(f):
    wb = CalamineWorkbook.from_path(f)
    return sum(len(wb.get_sheet_by_name(name).to_python()) for name in only or wb.sheet_names)
t = time.perf_counter()
files = sorted(glob.glob(sys.argv[1] + "/**/*.xlsx", recursive=True))
with ThreadPoolExecutor(threads) as pool:
    n = sum(pool.map(read, files))
print(time.perf_counter() - t, n)
"""

COMPILE = "import compileall, os, toolkit; compileall.compile_dir(os.path.dirname(toolkit.__file__), quiet=1)"

PANDAS = """
import sys, glob, time
import pandas as pd
t = time.perf_counter()
frames = [pd.read_excel(f, sheet_name="任务台账", header=int(sys.argv[3]), engine="openpyxl")
          for f in sorted(glob.glob(sys.argv[1] + "/**/*.xlsx", recursive=True))]
df = pd.concat(frames, ignore_index=True)
df.to_excel(sys.argv[2], index=False)
print(time.perf_counter() - t, len(df))
"""


def tree_rss(pid: int) -> int:
    """Resident kB of process `pid` and all its descendants now (Linux /proc; 0 once it has ended)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                total += next((int(line.split()[1]) for line in fh if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):  # ended meanwhile
            pass
    return total


def run_child(cmd: list[str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, stdout) of one child process. The peak is the largest sum of
    the child's and its own children's RSS (the roll-up's worker processes), sampled every 20 ms,
    or the child's own peak (ru_maxrss) if larger."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True)
        peak = [0]
        ended = threading.Event()

        def sample() -> None:
            while not ended.wait(0.02):
                peak[0] = max(peak[0], tree_rss(proc.pid))

        sampler = threading.Thread(target=sample)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)  # rusage of this child (and its waited-for children)
        wall = time.perf_counter() - t
        ended.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            raise SystemExit(f"{cmd[:3]} failed ({proc.returncode}):\n{err.read()}")
        return wall, max(usage.ru_maxrss, peak[0]) / 1024, out.read()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=200)
    ap.add_argument("--rows", type=int, default=150)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", help="generate into (or reuse) this folder instead of a temporary one")
    ap.add_argument("--inbox", help="bench this inbox instead of generated workbooks (with --plan)")
    ap.add_argument("--plan", help="the plan workbook of --inbox")
    ap.add_argument("--no-pandas", action="store_true", help="skip (b) (slow at thousands of files)")
    ap.add_argument("--copies", action="store_true", help="generate thousands of units fast (see generate)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-rollup-") as tmp:
        if args.inbox:
            inbox, plan = Path(args.inbox), Path(args.plan)
        else:
            folder = Path(args.keep) if args.keep else Path(tmp)
            if not (folder / "plan.xlsx").is_file():
                t = time.perf_counter()
                generate(folder, args.units, args.rows, args.copies)
                print(
                    f"generated {args.units} workbooks × {args.rows} rows in {time.perf_counter() - t:.1f} s",
                    flush=True,
                )
            inbox, plan = folder / "inbox", folder / "plan.xlsx"
        measure(inbox, plan, Path(tmp), args.runs, not args.no_pandas)


def measure(inbox: Path, plan: Path, tmp: Path, runs: int, pandas: bool) -> None:
    py = sys.executable
    # FENGONG_CMD (e.g. "python -m toolkit" with PYTHONPATH at another checkout) measures another version
    fengong = os.environ.get("FENGONG_CMD", "").split() or [str(Path(py).with_name("fengong"))]
    files = sum(1 for _ in inbox.rglob("*.xlsx"))
    # Bytecode as installed: pip compiles a package's modules at install time (the frozen build
    # ships them compiled), and pandas, openpyxl and calamine here are; an editable checkout run
    # under PYTHONDONTWRITEBYTECODE would compile the toolkit's ≈ 50 modules at every start of (c).
    run_child([py, "-c", COMPILE])
    # key → [(whole process s, work alone s), …]; c_mem/b_mem: peak MB
    results: dict[str, list[tuple[float, float]]] = {k: [] for k in ("a", "a2", "a_read", "b", "c")}
    mem: dict[str, list[float]] = {"b": [], "c": []}
    phases: list[dict] = []
    print(f"load average at start: {os.getloadavg()[0]:.2f}", flush=True)
    for run in range(runs):
        for key, argv in (("a", ["1"]), ("a2", ["2"]), ("a_read", ["1", S.TABLE_SHEET, S.META_SHEET])):
            wall, _, out = run_child([py, "-c", CALAMINE, str(inbox), *argv])
            results[key].append((wall, float(out.split()[0])))
        if pandas:
            wall, peak, out = run_child([py, "-c", PANDAS, str(inbox), str(tmp / "b.xlsx"), str(S.HEADER_ROW - 1)])
            results["b"].append((wall, float(out.split()[0])))
            mem["b"].append(peak)
        history = tmp / "h.sqlite"
        history.unlink(missing_ok=True)
        wall, peak, out = run_child(
            [
                *fengong,
                "rollup",
                str(inbox),
                "--plan",
                str(plan),
                "-o",
                str(tmp / "summary.xlsx"),
                "--history",
                str(history),
                "--json",
            ]
        )
        figures = json.loads(out)
        results["c"].append((wall, figures["timings"]["total"]))
        mem["c"].append(peak)
        phases.append(figures["timings"])
        shown = " ".join(f"{k}={w:.2f}/{t:.2f}s" for k, v in results.items() if v for w, t in v[-1:])
        print(
            f"run {run + 1} (load {os.getloadavg()[0]:.2f}): {shown} c_mem={peak:.0f}MB processes={figures['processes']} {json.dumps(figures['timings'])}",
            flush=True,
        )
    whole = {k: statistics.median(w for w, _ in v) for k, v in results.items() if v}
    alone = {k: statistics.median(t for _, t in v) for k, v in results.items() if v}
    rows = figures["sheets"]["任务明细"]
    print(f"\nmedian of {runs} runs, {files} files, {rows} rows in 任务明细 (whole process / work alone):")
    for key, label in (
        ("a", "(a) calamine, every sheet"),
        ("a2", "    two threads"),
        ("a_read", f"    任务台账 + {S.META_SHEET}"),
        ("b", "(b) pandas+openpyxl, to_excel"),
        ("c", "(c) fengong rollup"),
    ):
        if key in whole:
            peak = f"   peak {statistics.median(mem[key]):.0f} MB" if mem.get(key) else ""
            print(f"{label:30s} {whole[key]:6.2f} / {alone[key]:6.2f} s{peak}")
    print(f"(c) per file: {1000 * whole['c'] / max(files, 1):.1f} ms whole process")
    # Ratios of the medians, and (as the load drifts between runs) the median of each run's ratio,
    # whose two children ran back to back.
    for base, label in (("b", "(c)/(b)"), ("a", "(c)/(a)"), ("a2", "(c)/(a, two threads)")):
        if base in whole:
            paired = [(c[0] / x[0], c[1] / x[1]) for c, x in zip(results["c"], results[base])]
            print(
                f"{label:22s} whole process {whole['c'] / whole[base]:.3f} (per run {statistics.median(w for w, _ in paired):.3f})"
                f"   work alone {alone['c'] / alone[base]:.3f} (per run {statistics.median(t for _, t in paired):.3f})"
            )


if __name__ == "__main__":
    main()
