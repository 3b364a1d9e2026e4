"""Import every plan of the real-plan corpus (tests/data/corpus) and compare with its hand gold.

Per file: items found (gold items whose requirement the import has), units right (lead and
co-units both equal), deadlines right (完成时限 text equal), and items the import has beyond the
gold. The gold was written from reading each source before the importer ran on it.

    .venv/bin/python bench/import_corpus.py            # table and totals
    .venv/bin/python bench/import_corpus.py --check    # exit 1 below the targets
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "corpus"
TARGETS = {"items": 0.95, "units": 0.90, "deadlines": 0.90}
SUFFIXES = (".txt", ".docx", ".xlsx")
_WIDTH = str.maketrans("(),;:", "（），；：")
_NUMBERING = re.compile(r"^\s*(?:\d{1,2}|[（(][一二三四五六七八九十]+[）)])\s*[.．、]?\s*")


def norm(text: str) -> str:
    """Text compared loosely: no whitespace, brackets and punctuation full-width."""
    return re.sub(r"\s+", "", text or "").translate(_WIDTH)


def norm_req(text: str) -> str:
    return norm(_NUMBERING.sub("", text or ""))


@dataclass
class FileResult:
    name: str
    gold: int
    found: int = 0
    units: int = 0
    deadlines: int = 0
    extra: int = 0
    error: str = ""
    misses: list[str] = field(default_factory=list)


def load_gold(path: Path) -> dict:
    gold = json.loads(path.read_text(encoding="utf-8"))
    if "same_as" in gold:
        base = json.loads((path.parent / f"{gold['same_as']}.gold.json").read_text(encoding="utf-8"))
        gold = {**base, **gold}
    return gold


def corpus_files() -> list[tuple[Path, Path]]:
    out = []
    for path in sorted(CORPUS.iterdir()):
        if path.suffix in SUFFIXES:
            gold = path.with_name(path.name.rsplit(".", 1)[0] + ".gold.json")
            if gold.exists():
                out.append((path, gold))
    return out


def compare(path: Path, gold_path: Path) -> FileResult:
    from toolkit.importers import import_plan
    from toolkit.model.errors import ToolkitError

    gold = load_gold(gold_path)
    result = FileResult(path.name, len(gold["items"]))
    try:
        plan = import_plan(path)
    except ToolkitError as exc:
        result.error = f"refused: {exc}"
        return result
    except Exception:
        result.error = "CRASH: " + traceback.format_exc(limit=3).strip().splitlines()[-1]
        return result
    unused = list(plan.items)
    for g in gold["items"]:
        want = norm_req(g["req"])
        match = next((i for i in unused if norm_req(i.requirement).startswith(want)), None)
        if match is None:
            result.misses.append(f"missing: {g['req']}")
            continue
        unused.remove(match)
        result.found += 1
        lead_ok = sorted(map(norm, match.lead_units)) == sorted(map(norm, g["lead"]))
        co_ok = sorted(map(norm, match.co_units)) == sorted(map(norm, g["co"]))
        if lead_ok and co_ok:
            result.units += 1
        else:
            result.misses.append(f"units {g['req']}: {match.lead_units}/{match.co_units} ≠ {g['lead']}/{g['co']}")
        if norm(match.deadline_text) == norm(g["deadline"]):
            result.deadlines += 1
        else:
            result.misses.append(f"deadline {g['req']}: {match.deadline_text!r} ≠ {g['deadline']!r}")
    result.extra = len(unused)
    result.misses += [f"extra: {i.id} {i.requirement[:20]}" for i in unused]
    return result


def run(verbose: bool = False) -> tuple[list[FileResult], dict[str, float]]:
    results = [compare(p, g) for p, g in corpus_files()]
    total = sum(r.gold for r in results) or 1
    rates = {
        "items": sum(r.found for r in results) / total,
        "units": sum(r.units for r in results) / total,
        "deadlines": sum(r.deadlines for r in results) / total,
    }
    return results, rates


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a total is below its target")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every difference")
    args = parser.parse_args(argv)
    results, rates = run()
    print(f"{'file':28} {'gold':>4} {'found':>5} {'units':>5} {'dl':>4} {'extra':>5}")
    for r in results:
        print(f"{r.name:28} {r.gold:4} {r.found:5} {r.units:5} {r.deadlines:4} {r.extra:5}  {r.error[:70]}")
        if args.verbose:
            for m in r.misses:
                print(f"    {m}")
    total = sum(r.gold for r in results)
    print(
        f"{'TOTAL':28} {total:4} "
        + "  ".join(f"{k} {v:.1%}" for k, v in rates.items())
        + f"  extra {sum(r.extra for r in results)}  crashes {sum('CRASH' in r.error for r in results)}"
    )
    crashed = any("CRASH" in r.error for r in results)
    if args.check and (crashed or any(rates[k] < t for k, t in TARGETS.items())):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
