"""Throughput of the deadline parser (`toolkit.model.deadlines.parse`): cells per second.

Mix: every 完成时限 cell of the seed tables (as often as it occurs there), repeated, plus as many
varied synthetic cells (random years, months, days, offsets, spacing, full-width digits, Chinese
numerals, <p> paragraphs; almost all distinct), shuffled together. Reported, as the median of
several runs:

- uncached: the parser itself, the result cache bypassed (every cell parsed from scratch);
- cold cache: `parse()` starting each run with an empty cache (seed cells hit, synthetic cells miss);
- warm cache: `parse()` over the same mix again (all hits);
- baseline: one precompiled regex search per cell, measured in the same run, so the ratio
  parser/baseline can be compared across machines.

Run: .venv/bin/python bench/deadlines.py [--runs 7] [--repeat 20000]

`--heldout` instead scores the parser on tests/data/deadlines_heldout.tsv (real timing texts it was not
tuned on, expectations written before it ran on them): kind right, due right, and every miss.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from toolkit.model.deadlines.parse import _parse, parse  # noqa: E402

SEEDS = REPO / "tests" / "data" / "seeds"
HELDOUT = REPO / "tests" / "data" / "deadlines_heldout.tsv"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
CN_MONTHS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]


def seed_cells() -> list[tuple[str, int]]:
    """The deadline cell of every table row in the seeds, with the seed's plan year.

    Seeds 000/003/004 put each cell on a line starting with a tab (continuation lines without),
    rows separated by blank lines; the deadline column is found from the header row's
    「完成时限」 counted from the row's end. Seed 001 is tab-separated, deadline last.
    Rows whose cell count does not fit the header are skipped (a few in seeds 000 and 003).
    """
    cells: list[tuple[str, int]] = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        year = 2017 if path.name.startswith(("002", "003")) else 2016
        if path.name.startswith("001"):
            for line in text.splitlines():
                parts = line.split("\t")
                if (len(parts) == 5 and parts[0].strip().isdigit()) or (len(parts) == 5 and not parts[0]):
                    cells.append((parts[4], year))
            continue
        rows: list[list[str]] = []
        for block in text.split("\n\n"):
            lines = block.split("\n")
            if len(lines) == 1 and not lines[0].startswith("\t"):
                if rows and rows[-1] and block.strip():
                    rows[-1][-1] += "\n\n" + block  # a blank line inside a cell (「中考3月\n\n高考11月」)
                continue
            rows.append([])
            for line in lines:
                if line.lstrip(" ").startswith("\t"):
                    rows[-1].append(line.lstrip(" ")[1:])
                elif rows[-1]:
                    rows[-1][-1] += "\n" + line
        header = None
        for row in rows:
            if "完成时限" in row:
                header = (len(row), len(row) - row.index("完成时限"))
            elif header and len(row) >= header[0] and len(row) >= 3:
                cells.append((row[-header[1]], year))
    return cells


def synthetic_cells(n: int, rng: random.Random) -> list[tuple[str, int]]:
    """`n` varied cells in the shapes real plans use, nearly all distinct."""
    out = []
    for i in range(n):
        y, m, m2 = rng.randint(2014, 2032), rng.randint(1, 12), rng.randint(1, 12)
        d, q, k = rng.randint(1, 28), rng.randint(1, 4), rng.randint(1, 60)
        a, b = sorted((rng.randint(1, 12), rng.randint(1, 12)))
        shapes = [
            f"{y}年{m}月底前完成",
            f"{y} 年 {m} 月前完成（第{i}批）",
            f"{m}月{d}日前",
            f"{y}年第{q}季度完成",
            f"{CN_MONTHS[m - 1]}月底",
            f"{y}年{m}月底前完成".translate(FULL_WIDTH),
            f"{y}年{m}月底前完成，后续定期进行第{i}次目录调整",
            f"每月{d}日前报送第{i}期",
            f"流行季节（{a}-{b}月）每月",
            f"自{y}年起每季度",
            f"收到省文件后{k}个工作日内",
            f"待省{i}号文件出台后",
            f"{k * 12}小时内",
            f"按预算法规定时限完成。全部部门决算{y}年{m}月底前",
            f"中考{m}月 高考{m2}月",
            f"<p>全年工作</p> <p>{y} 年 {m} 月底前完成</p> <p>{y + 1} 年第 {q} 季度完成</p>",
            f"按照省{i}号文件部署，全年工作",
            f"{y}年\n{m}月底前",
        ]
        out.append((rng.choice(shapes), rng.randint(2015, 2020)))
    return out


def heldout_rows(path: Path = HELDOUT) -> list[dict[str, str]]:
    """The held-out fixture's rows (text, year, source, kind, due, dates, note); `#` lines are comments."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:]]


def heldout_score(rows: list[dict[str, str]]) -> tuple[float, float, list[str]]:
    """Share of rows whose kind is right, share whose due date is right, and a line per miss."""
    kind_ok = due_ok = 0
    misses = []
    for row in rows:
        got = parse(row["text"], int(row["year"]))
        due = got.due.isoformat() if got.due else ""
        kind_ok += got.kind == row["kind"]
        due_ok += due == row["due"]
        if got.kind != row["kind"] or due != row["due"]:
            misses.append(
                f"{row['kind']:>11} {row['due'] or '-':>10} | got {got.kind:>11} {due or '-':>10} | {row['text']}"
            )
    return kind_ok / len(rows), due_ok / len(rows), misses


def heldout_report() -> None:
    rows = heldout_rows()
    kind, due, misses = heldout_score(rows)
    sources = len({row["source"] for row in rows})
    print(f"held-out: {len(rows)} texts from {sources} sources; kind right {kind:.1%}, due right {due:.1%}")
    print("   expected kind/due | parsed kind/due | text")
    for line in misses:
        print(line)


def throughput(fn, mix) -> float:
    start = time.perf_counter()
    for text, year in mix:
        fn(text, year)
    return len(mix) / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=20000, help="seed cells and synthetic cells in the mix, each")
    ap.add_argument("--heldout", action="store_true", help="score the held-out fixture instead of timing")
    args = ap.parse_args()
    if args.heldout:
        heldout_report()
        return

    rng = random.Random(2016)
    real = seed_cells()
    mix = [real[i % len(real)] for i in range(args.repeat)] + synthetic_cells(args.repeat, rng)
    rng.shuffle(mix)
    baseline_re = re.compile(r"(\d{4})年(\d{1,2})月")
    raw = _parse.__wrapped__

    figures = {"baseline": [], "uncached": [], "cold cache": [], "warm cache": []}
    for _ in range(args.runs):
        figures["baseline"].append(throughput(lambda t, y: baseline_re.search(t), mix))
        figures["uncached"].append(throughput(raw, mix))
        _parse.cache_clear()
        figures["cold cache"].append(throughput(parse, mix))
        figures["warm cache"].append(throughput(parse, mix))

    distinct = len(set(mix))
    print(
        f"mix: {len(mix)} cells ({len(real)} seed cells repeated to {args.repeat}, "
        f"{args.repeat} synthetic); {distinct} distinct (text, year); median of {args.runs} runs"
    )
    base = statistics.median(figures["baseline"])
    for name, values in figures.items():
        med = statistics.median(values)
        ratio = "" if name == "baseline" else f"   {base / med:5.1f}× the baseline's time per cell"
        print(f"{name:>11}: {med:>12,.0f} cells/s{ratio}")


if __name__ == "__main__":
    main()
