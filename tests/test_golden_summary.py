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
