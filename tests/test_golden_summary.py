"""Golden files of the demo's summaries: every sheet's cell values, so a refactor or a speed-up
that changes what the clerk reads fails here. Regenerate on purpose with FENGONG_UPDATE_GOLDEN=1."""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path

from python_calamine import CalamineWorkbook

from toolkit.demo import run_demo

GOLDEN = Path(__file__).parent / "golden" / "demo_summaries.json"
TODAY = date.today().isoformat()


def _cell(value: object) -> object:
    if isinstance(value, (date, datetime)):
        value = value.isoformat()
    if isinstance(value, str) and (value.startswith(TODAY) or "生成时间" in value):
        return "<今天>"  # generation times and the mtime-based 填报日期 of summaries made today
    return value


def _sheets(path: Path) -> dict[str, list[list[object]]]:
    wb = CalamineWorkbook.from_path(str(path))
    try:
        return {
            name: [[_cell(c) for c in row] for row in wb.get_sheet_by_name(name).to_python()]
            for name in wb.sheet_names
            if not name.startswith("_")
        }
    finally:
        wb.close()


def test_demo_summaries_match_the_golden_file(tmp_path):
    for _ in run_demo(tmp_path):
        pass
    got = {p.name: _sheets(p) for p in sorted(tmp_path.glob("*汇总_*.xlsx"))}
    assert len(got) == 3
    if os.environ.get("FENGONG_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(got, ensure_ascii=False, indent=0), encoding="utf-8")
    _lists_follow_plan_order(got, tmp_path)
    _the_chart_says_what_the_detail_says(got)
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert got.keys() == want.keys()
    for name in want:
        assert got[name].keys() == want[name].keys(), name
        for sheet in want[name]:
            assert got[name][sheet] == want[name][sheet], f"{name} / {sheet}"


def _lists_follow_plan_order(got: dict, tmp_path: Path) -> None:
    """逾期事项 and 临期事项 list the most urgent first and, among equals, 编号 in plan order
    (14-2 before 14-10); an empty list says so in its subtitle."""
    from toolkit.io.planbook import read_plan

    order = {item.id: i for i, item in enumerate(read_plan(tmp_path / "方案.xlsx").items)}
    for name, sheets in got.items():
        if name.startswith("市"):
            continue  # the city's plan is another plan
        for sheet in ("逾期事项", "临期事项"):
            header, *rows = sheets[sheet][2:]
            days = header.index("逾期天数" if sheet == "逾期事项" else "剩余天数")
            keys = [(-r[days] if sheet == "逾期事项" else r[days], order[r[0]]) for r in rows if r[0]]
            assert keys == sorted(keys), f"{name} / {sheet}"
            if not keys:
                assert "本期无" in sheets[sheet][1][0]


def _the_chart_says_what_the_detail_says(got: dict) -> None:
    """Each row of the 甘特图 sheet words the 序时进度 and 亮灯 of its row of 任务明细; a unit whose
    sub-units report (the city's summary) shows its least advanced sub-unit (red first)."""
    from toolkit.rollup.tables import BEHIND_FIRST

    checked = 0
    for name, sheets in got.items():
        header, *rows = sheets["任务明细"][2:]
        col = {h: i for i, h in enumerate(header)}
        worst: dict[tuple[str, str], tuple[str, str]] = {}
        for r in rows:
            key, found = (r[col["编号"]], r[col["责任单位"]]), (r[col["序时进度"]], r[col["亮灯"]] or "")
            if key not in worst or BEHIND_FIRST[found[0]] < BEHIND_FIRST[worst[key][0]]:
                worst[key] = found
        chart = sheets["甘特图"]
        top = next(i for i, r in enumerate(chart) if r[0] == "编号")
        for r in chart[top + 1 :]:
            key = (r[0], str(r[2]).removesuffix("（配合）"))
            if key not in worst:
                continue  # a group header
            pace, light = worst[key]
            status, _, words = r[4].partition("\n")
            said = "逾期" if words.startswith("逾期") else words.removesuffix(light).removesuffix("·") or status
            assert (said, words.endswith(light)) == (pace, True), (name, key, r[4], worst[key])
            checked += 1
    assert checked > 400
