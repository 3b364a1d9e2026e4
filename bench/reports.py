"""Speed of the documents (issue 16): the 督查通报 and the 催报/督办 notices of a city summary of
300 units, target ≤ 2 s for both.

Set-up (not timed): a synthetic city plan of 300 units × 92 items (each item led by one unit,
co-operated by two), judged as of 2016-11-30 with mixed fill-ins (done, under way at various
progress, not started; 10 % of units silent), written as a summary workbook by the real
writer. Timed, median of several runs: `bulletin` (通报.docx), `remind` (one .docx per unit that
did not report or has red items + 短信提醒.txt), and as the baseline the reading of the summary
workbook alone (`read_source`, which both documents do), so the ratio travels across machines.

Run: .venv/bin/python bench/reports.py [--runs 5] [--units 300]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from toolkit.io.summary import write_summary  # noqa: E402
from toolkit.model import Item, Plan, deadlines  # noqa: E402
from toolkit.model.period import Period  # noqa: E402
from toolkit.reports.bulletin import bulletin  # noqa: E402
from toolkit.reports.reminders import remind  # noqa: E402
from toolkit.reports.scoring import default_rules, score  # noqa: E402
from toolkit.reports.source import read_source  # noqa: E402
from toolkit.rollup.entry import Entry, fill, judge  # noqa: E402
from toolkit.rollup.figures import summarise  # noqa: E402
from toolkit.rollup.tables import build_book  # noqa: E402

DEADLINES = (
    "2016年12月底前完成",
    "2016年10月底前完成",
    "全年工作",
    "每月25日前",
    "2016年6月底前、2016年12月底前",
    "待省文件出台后",
)


@dataclass
class _Sent:  # what the figures read of a chosen return
    name: str
    filled_at: datetime | None
    mtime: float = 0.0


def city_summary(folder: Path, n_units: int) -> Path:
    units = [f"第{i:03d}区" for i in range(1, n_units + 1)]
    items = []
    for k in range(92):
        text = DEADLINES[k % len(DEADLINES)]
        for j in range(n_units // 30):
            lead = units[(k * 7 + j * 31) % n_units]
            co = [units[(k * 11 + j * 17 + 1) % n_units], units[(k * 13 + j * 19 + 2) % n_units]]
            items.append(
                Item(
                    f"{k + 1}-{j + 1}",
                    f"工作任务{k + 1}",
                    f"具体要求{k + 1}-{j + 1}：按方案推进落实。" * 3,
                    [lead],
                    [c for c in co if c != lead],
                    text,
                    deadlines.parse(text, 2016),
                )
            )
    plan = Plan(title="某市2016年政务公开工作要点分工方案", issuer="某市政务办", year=2016, items=items)
    as_of, period = date(2016, 11, 30), Period.parse("2016-11")
    silent = set(plan.units[::10])
    entries = []
    for n, item in enumerate(plan.items):
        for unit in item.units:
            e = Entry(item, unit, "牵头" if unit in item.lead_units else "配合")
            if unit not in silent:
                e.file = f"{unit}.xlsx"
                k = n % 6
                values = {
                    "完成状态": ("已完成", "推进中", "推进中", "未启动", "持续推进", "推进中")[k],
                    "完成进度": (1, 0.95, 0.4, None, None, 0.7)[k],
                    "进展情况": "已部署，正在推进。",
                }
                fill(e, values)
            entries.append(judge(e, as_of, 30, reported=unit not in silent))
    chosen = {
        u: _Sent(f"{u}.xlsx", datetime(2016, 12, 2 + (i % 5))) for i, u in enumerate(plan.units) if u not in silent
    }
    missing = [u for u in plan.units if u in silent]
    summary = summarise(
        plan, period, as_of, 30, "某市", entries, chosen, [], [], missing, (None, []), date(2016, 12, 5)
    )
    summary.scores = score(summary, default_rules())
    path = folder / "市汇总.xlsx"
    write_summary(build_book(summary, "A3", None), path)
    return path


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--units", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = city_summary(folder, args.units)
        src = read_source(path)
        print(
            f"summary: {len(src.rows('分单位统计'))} units, {len(src.rows('任务明细'))} rows of 任务明细, "
            f"{len(src.rows('未报送单位'))} silent, {path.stat().st_size // 1024} KB"
        )
        bulletin(path, folder / "warm.docx")  # builds the docx package once per process, as the CLI does
        base = timed(lambda: read_source(path), args.runs)
        report = timed(lambda: bulletin(path, folder / "通报.docx"), args.runs)
        notes = timed(lambda: remind(path, folder / "通知", issued=date(2016, 12, 5)), args.runs)
        made = remind(path, folder / "通知", issued=date(2016, 12, 5))
        print(f"read_source (baseline): {base:.3f} s")
        print(f"bulletin: {report:.3f} s ({report / base:.1f}× baseline)")
        print(f"remind: {notes:.3f} s ({notes / base:.1f}× baseline), {len(made.chase)} 催报 + {len(made.press)} 督办")
        print(f"both: {report + notes:.3f} s (target ≤ 2 s)")


if __name__ == "__main__":
    main()
