"""Benchmark of `fengong rollup` (not a timed test): 200 unit workbooks × 150 rows.

Measures in the same run, each in a fresh child process, median of --runs runs:
  (a) python-calamine reading just the cell values of every file (every sheet, one thread;
      also shown: the sheets a roll-up reads — 任务台账 and the metadata — and 任务台账 alone,
      as stricter references);
  (b) the straightforward approach: pandas.read_excel(engine="openpyxl") per file, concat,
      DataFrame.to_excel;
  (c) the `fengong rollup` command (whole process: start-up, plan, reading, summary).
Targets: (c) ≤ 0.25 × (b); reading phase of (c) ≤ 1.3 × (a); peak memory of (c) ≤ 400 MB
(ru_maxrss of the child). Usage: .venv/bin/python bench/rollup.py [--units 200] [--rows 150] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
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
        items.append(Item(id=f"{k // 5 + 1}-{k % 5 + 1}", task=f"第{k // 5 + 1}项工作任务：推进政务公开标准化规范化",
                          requirement="按照上级部署，及时公开重大决策、重点工作和民生事项的信息，" * 3,
                          lead_units=group[:1], co_units=group[1:], deadline_text=text,
                          deadline=deadlines.parse(text, 2016)))
    return Plan(title="越秀区2016年政务公开工作要点分工方案（基准）", issuer="越秀区政务办", year=2016, items=items)


def _write_one(args) -> None:
    from toolkit.io.unitbook import write_unit_workbook

    plan, unit, folder, seed = args
    carry = {}
    for n, item in enumerate(plan.items_for(unit)):
        status = STATUSES[(n + seed) % len(STATUSES)]
        carry[item.id] = {S.STATUS: status, S.PROGRESS: 1.0 if status == S.DONE else 0.5,
                          S.PROGRESS_TEXT: "已按要求在区政府门户网站公开相关信息，并组织专题培训。" * 2,
                          S.EVIDENCE: "http://www.yuexiu.gov.cn/zwgk/" + item.id,
                          S.DONE_DATE: date(2016, 10, 1) + timedelta(days=n % 30) if status == S.DONE else None,
                          S.ISSUES: "暂无" if n % 3 else "人员不足，下一步加强统筹。"}
    filler = {"填报人": "张三", "联系电话": "020-83000000", "填报日期": date(2016, 11, 25)}
    write_unit_workbook(Path(folder) / f"{unit}_基准_2016年11月.xlsx", plan, unit, "2016-11",
                        carry=carry, filler=filler)


def generate(folder: Path, units: int, rows: int) -> Path:
    from toolkit.io.planbook import write_plan

    plan = make_plan(units, rows)
    inbox = folder / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(os.cpu_count() or 1) as pool:
        list(pool.map(_write_one, [(plan, u, inbox, i) for i, u in enumerate(plan.units)], chunksize=4))
    write_plan(plan, folder / "plan.xlsx")
    return folder


CALAMINE = """
import sys, glob, time
from python_calamine import CalamineWorkbook
only = sys.argv[2:]  # sheet names; none = every sheet
t = time.perf_counter()
n = 0
for f in sorted(glob.glob(sys.argv[1] + "/*.xlsx")):
    wb = CalamineWorkbook.from_path(f)
    for name in only or wb.sheet_names:
        n += len(wb.get_sheet_by_name(name).to_python())
print(time.perf_counter() - t, n)
"""

PANDAS = """
import sys, glob, time
import pandas as pd
t = time.perf_counter()
frames = [pd.read_excel(f, sheet_name="任务台账", header=int(sys.argv[3]), engine="openpyxl")
          for f in sorted(glob.glob(sys.argv[1] + "/*.xlsx"))]
df = pd.concat(frames, ignore_index=True)
df.to_excel(sys.argv[2], index=False)
print(time.perf_counter() - t, len(df))
"""


def run_child(cmd: list[str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, stdout) of one child process."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)  # rusage of this child alone
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            raise SystemExit(f"{cmd[:3]} failed ({proc.returncode}):\n{err.read()}")
        return wall, usage.ru_maxrss / 1024, out.read()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=200)
    ap.add_argument("--rows", type=int, default=150)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    py = sys.executable
    fengong = str(Path(py).with_name("fengong"))
    with tempfile.TemporaryDirectory(prefix="bench-rollup-") as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        generate(folder, args.units, args.rows)
        print(f"generated {args.units} workbooks × {args.rows} rows in {time.perf_counter() - t:.1f} s", flush=True)
        inbox = str(folder / "inbox")
        results: dict[str, list] = {"a": [], "a_read": [], "a_table": [], "b": [], "c": [], "c_read": [], "c_mem": [], "b_mem": []}
        for run in range(args.runs):
            _, _, out = run_child([py, "-c", CALAMINE, inbox])
            results["a"].append(float(out.split()[0]))
            _, _, out = run_child([py, "-c", CALAMINE, inbox, S.TABLE_SHEET, S.META_SHEET])
            results["a_read"].append(float(out.split()[0]))
            _, _, out = run_child([py, "-c", CALAMINE, inbox, S.TABLE_SHEET])
            results["a_table"].append(float(out.split()[0]))
            wall, mem, out = run_child([py, "-c", PANDAS, inbox, str(folder / "b.xlsx"), str(S.HEADER_ROW - 1)])
            results["b"].append(float(out.split()[0]))
            results["b_mem"].append(mem)
            wall, mem, out = run_child([fengong, "rollup", inbox, "--plan", str(folder / "plan.xlsx"), "-o",
                                        str(folder / "summary.xlsx"), "--history", str(folder / "h.sqlite"), "--json"])
            figures = json.loads(out)
            results["c"].append(wall)
            results["c_read"].append(figures["timings"]["read"])
            results["c_mem"].append(mem)
            print(f"run {run + 1}: a={results['a'][-1]:.2f}s a_read={results['a_read'][-1]:.2f}s a_table={results['a_table'][-1]:.2f}s b={results['b'][-1]:.2f}s c={wall:.2f}s "
                  f"(read {figures['timings']['read']:.2f}s, {json.dumps(figures['timings'])}) c_mem={mem:.0f}MB",
                  flush=True)
        med = {k: statistics.median(v) for k, v in results.items()}
        rows = figures["sheets"]["任务明细"]
        print(f"\nmedian of {args.runs} runs, {args.units} files, {rows} rows in 任务明细:")
        print(f"(a) calamine values only      {med['a']:6.2f} s   (任务台账 + {S.META_SHEET} {med['a_read']:.2f} s, "
              f"任务台账 alone {med['a_table']:.2f} s)")
        print(f"(b) pandas+openpyxl, to_excel {med['b']:6.2f} s   peak {med['b_mem']:.0f} MB")
        print(f"(c) fengong rollup            {med['c']:6.2f} s   peak {med['c_mem']:.0f} MB, reading phase {med['c_read']:.2f} s")
        print(f"(c)/(b) = {med['c'] / med['b']:.3f}  (target ≤ 0.25)")
        print(f"read(c)/(a) = {med['c_read'] / med['a']:.2f}  (target ≤ 1.3; against the sheets read "
              f"{med['c_read'] / med['a_read']:.2f}, against 任务台账 alone {med['c_read'] / med['a_table']:.2f})")
        print(f"peak memory (c) = {med['c_mem']:.0f} MB  (target ≤ 400)")


if __name__ == "__main__":
    main()
