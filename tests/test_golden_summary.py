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
        return {name: [[_cell(c) for c in row] for row in wb.get_sheet_by_name(name).to_python()]
                for name in wb.sheet_names if not name.startswith("_")}
    finally:
        wb.close()


def test_demo_summaries_match_the_golden_file(tmp_path):
    for _ in run_demo(tmp_path):
        pass
    got = {p.name: _sheets(p) for p in sorted(tmp_path.glob("*汇总_*.xlsx"))}
    assert len(got) == 3
    if os.environ.get("FENGONG_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(got, ensure_ascii=False, indent=0), encoding="utf-8")
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert got.keys() == want.keys()
    for name in want:
        assert got[name].keys() == want[name].keys(), name
        for sheet in want[name]:
            assert got[name][sheet] == want[name][sheet], f"{name} / {sheet}"
