"""Benchmark of the Gantt PDF (not a timed test): 300 synthetic tasks → paginated A3 PDF.

In the same process, alternating, median of --runs runs each:
  (a) the straightforward approach: pyplot, a new figure per page, one barh call per bar,
      one ax.text per cell and label, one plot call per milestone, legend, tight_layout;
  (b) `toolkit.charts.gantt.chart_plan` (one reused figure, collections, text batches);
  (b') the same with its PDF text fast path switched off (every line through draw_text).
Both draw the same rows, pages and wrapped texts. Also (c): the `fengong gantt` command on a
plan workbook holding the same plan, whole process (start-up, reading, drawing), median of runs.
Targets: (b) ≤ 2 s and (b) ≤ (a) / 3. Wall time and CPU time are both reported (the 2
cores are shared, so CPU time is the steadier figure).
Usage: .venv/bin/python bench/gantt.py [--tasks 300] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from toolkit.charts.gantt import ChartOptions, chart_plan
from toolkit.charts.layout import PAPERS, paginate, wrap
from toolkit.charts.timeline import (
    STYLES,
    build_rows,
    default_range,
    group_rows,
    plan_year,
)
from toolkit.demo import sample_path
from toolkit.model import Item, Plan, deadlines
from toolkit.model.reported import Reported

STATUS_DATE = date(2016, 11, 30)
DEADLINES = (
    "2016年12月底前",
    "2016年6月底前",
    "2016年9月30日前",
    "2016年10月底前完成",
    "2016年3月底前",
    "全年",
    "每季度",
    "每月10日前",
    "2016年6月、9月、12月",
    "收到申请之日起15个工作日内",
    "视情况而定",
    "上半年",
    "2017年3月底前",
    "长期坚持",
)
UNITS = (
    "区编办",
    "区政务办",
    "区房管局",
    "区发改局",
    "区财政局（区国资局）",
    "区科工信局（区知识产权局）",
    "区人力资源和社会保障局",
    "区市场和质量监管局",
    "区商务局（区旅游局）",
    "各街道办事处",
    "广州市越秀区城市管理和综合执法局（区城管委）",
    "区卫生和计划生育局",
    "区教育局",
    "区民政局",
)
STATUSES = ("未启动", "推进中", "推进中", "已完成", "已完成", "持续推进", "暂缓", "")


def synthetic_plan(n: int, seed: int = 7) -> tuple[Plan, dict]:
    """n items with long Chinese texts cut from the bundled sample plan, a realistic mix of deadlines."""
    rnd = random.Random(seed)
    text = sample_path().read_text(encoding="utf-8")
    sentences = [s for s in re.split(r"[。\n]", text) if len(s.strip()) >= 25]
    items = []
    for i in range(n):
        task_no, req_no = i // 6 + 1, i % 6 + 1
        raw = rnd.choice(DEADLINES)
        co = [rnd.choice(UNITS)] if rnd.random() < 0.25 else []
        items.append(
            Item(
                id=f"{task_no}-{req_no}",
                task=rnd.choice(sentences).strip()[:30],
                requirement=rnd.choice(sentences).strip() + "。" + rnd.choice(sentences).strip(),
                lead_units=[rnd.choice(UNITS)],
                co_units=co,
                deadline_text=raw,
                deadline=deadlines.parse(raw, 2016),
            )
        )
    plan = Plan(
        title="越秀区贯彻落实国务院办公厅2016年政务公开工作要点分工方案（基准测试）",
        year=2016,
        issue_date=date(2016, 3, 6),
        items=items,
    )
    statuses = {}
    for item in items:
        s = rnd.choice(STATUSES)
        if s:
            statuses[(item.id, item.lead_units[0])] = Reported(
                s, rnd.choice((None, 0.2, 0.5, 0.8)) if s == "推进中" else None
            )
    return plan, statuses


def straightforward(plan: Plan, statuses: dict, out: Path) -> None:
    """The obvious matplotlib code: a new pyplot figure per page, per-bar calls, tight_layout."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.patches import Patch

    paper = PAPERS["A3"]
    rows = build_rows(plan, statuses, status_date=STATUS_DATE)
    lo, hi = default_range(rows, plan_year(plan))
    pages = paginate(group_rows(rows, "unit"), paper.rows)
    x0, x1 = lo.toordinal(), hi.toordinal() + 1
    months = [
        date(lo.year + (lo.month - 1 + k) // 12, (lo.month - 1 + k) % 12 + 1, 1)
        for k in range((hi.year - lo.year) * 12 + hi.month - lo.month + 1)
    ]
    with PdfPages(out) as pdf:
        for number, page in enumerate(pages, start=1):
            fig, ax = plt.subplots(figsize=paper.size)
            ax.set_xlim(x0 - 200, x1)
            ax.set_ylim(paper.rows, 0)
            for slot, line in enumerate(page):
                y = slot + 0.5
                if line.row is None:
                    ax.text(x0 - 198, y, line.header, fontsize=8.5, va="center", color="#0d47a1")
                    continue
                r = line.row
                for value, width, dx in (
                    (r.item_id, 6, 0),
                    (r.text, 36, 12),
                    (r.unit, 13, 120),
                    (r.due_label, 9, 155),
                    (r.status or "未报送", 9, 180),
                ):
                    ax.text(x0 - 198 + dx, y, "\n".join(wrap(value, width, 2)), fontsize=7.5, va="center")
                _, light, dark, hatch = STYLES[r.style]
                if r.start and (r.end or r.open_end):
                    a, b = max(r.start.toordinal(), x0), min(x1 if r.open_end else r.end.toordinal() + 1, x1)
                    if b > a:
                        ax.barh(y, b - a, left=a, height=0.5, color=light, edgecolor=dark, hatch=hatch or None)
                        if r.progress:
                            ax.barh(y, (b - a) * r.progress, left=a, height=0.5, color=dark)
                        label = f"{r.progress:.0%}" if r.progress else ""
                        ax.text(
                            b + 2,
                            y,
                            label + (f" 逾期{r.overdue_days}天" if r.overdue_days else ""),
                            fontsize=7,
                            va="center",
                        )
                for m in r.milestones:
                    ax.plot(m.toordinal(), y, marker="D", color=light, markeredgecolor="black", markersize=5)
            ax.axvline(STATUS_DATE.toordinal(), color="#d32f2f", linestyle="--")
            ax.set_xticks([m.toordinal() for m in months], [f"{m.year}年{m.month}月" for m in months], fontsize=7.5)
            ax.xaxis.tick_top()
            ax.set_yticks([])
            ax.set_title(plan.title, fontsize=15)
            ax.legend(
                handles=[
                    Patch(facecolor=s[1], edgecolor=s[2], hatch=s[3] or None, label=s[0]) for s in STYLES.values()
                ],
                loc="lower left",
                ncol=8,
                fontsize=7.5,
            )
            fig.text(0.97, 0.01, f"第{number}页/共{len(pages)}页", ha="right")
            fig.tight_layout()
            pdf.savefig(fig)
            plt.close(fig)


def without_fast_text(fn) -> None:
    """Run fn with TextBatch writing every line through the renderer's public draw_text."""
    from toolkit.charts.pdf_text import PdfTextWriter

    saved = PdfTextWriter.open
    PdfTextWriter.open = classmethod(lambda cls, *args: None)
    try:
        fn()
    finally:
        PdfTextWriter.open = saved


def timed(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=300)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    from toolkit.fonts import use_in_matplotlib

    use_in_matplotlib()
    plan, statuses = synthetic_plan(args.tasks)
    options = ChartOptions(paper="A3", status_date=STATUS_DATE)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ours, base, public = [], [], []
        result = chart_plan(plan, statuses, tmp / "warm.pdf", options)  # warm-up: font cache, imports
        straightforward(plan, statuses, tmp / "warm-base.pdf")
        for _ in range(args.runs):
            base.append(timed(lambda: straightforward(plan, statuses, tmp / "base.pdf")))
            ours.append(timed(lambda: chart_plan(plan, statuses, tmp / "ours.pdf", options)))
            public.append(
                timed(lambda: without_fast_text(lambda: chart_plan(plan, statuses, tmp / "pub.pdf", options)))
            )
        from toolkit.io.planbook import write_plan

        book = write_plan(plan, tmp / "plan.xlsx")
        cli = []
        for _ in range(max(3, args.runs // 2)):
            t = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "toolkit.cli",
                    "gantt",
                    str(book),
                    "-o",
                    str(tmp / "cli.pdf"),
                    "--status-date",
                    STATUS_DATE.isoformat(),
                ],
                check=True,
                capture_output=True,
            )
            cli.append(time.perf_counter() - t)
        rows = len(build_rows(plan, statuses, status_date=STATUS_DATE))
        med = {
            name: (statistics.median(w for w, _ in xs), statistics.median(c for _, c in xs))
            for name, xs in (("base", base), ("ours", ours), ("public", public))
        }
        print(f"{args.tasks} tasks, {rows} rows, {result.pages} A3 pages, median of {args.runs} runs")
        print("| approach | wall s | CPU s |")
        print("|---|---|---|")
        print(
            f"| (a) straightforward: new figure per page, barh per bar, tight_layout | {med['base'][0]:.2f} | {med['base'][1]:.2f} |"
        )
        print(f"| (b) toolkit.charts.gantt.chart_plan | {med['ours'][0]:.2f} | {med['ours'][1]:.2f} |")
        print(f"| (b') the same without the PDF text fast path | {med['public'][0]:.2f} | {med['public'][1]:.2f} |")
        print(f"| (c) `fengong gantt` whole process (plan workbook → PDF) | {statistics.median(cli):.2f} | — |")
        print(
            f"speed-up (a)/(b): wall {med['base'][0] / med['ours'][0]:.1f}×, CPU {med['base'][1] / med['ours'][1]:.1f}×"
            f"; targets: (b) ≤ 2 s, ≥ 3×"
        )


if __name__ == "__main__":
    main()
