"""The unit workbook's row colours, recalculated by LibreOffice, against `pace` and `light_of`.

The colour formulas are taken from `row_formulas` (what the conditional formats hold), placed in
cells beside real rows written by the real writer, and judged on fixed status dates."""

from datetime import date, timedelta
from itertools import product

import pytest
from openpyxl import Workbook, load_workbook
from render import have_tools, recalc

from toolkit.io import schema as S
from toolkit.io.cells import save_workbook
from toolkit.io.unitbook import build_unit_workbook
from toolkit.io.unitbook_rules import DUE_SOON_DAYS, PACE_COLUMNS, RULE_LIGHTS, row_formulas
from toolkit.io.unitbook_table import LETTERS
from toolkit.model import Deadline, Item, Plan
from toolkit.model.period import Period
from toolkit.model.schedule import basis, due_soon, light_of, pace

DEADLINES = {
    "年底": Deadline("2016年12月底前完成", "date", date(2016, 12, 31)),
    "年中": Deadline("2016年6月底前完成", "date", date(2016, 6, 30)),
    "全年": Deadline("全年", "year_round", date(2016, 12, 31)),
    "两节点": Deadline(
        "2016年3月底前、2016年9月底前", "multi", date(2016, 9, 30), (date(2016, 3, 31), date(2016, 9, 30))
    ),
    "三节点": Deadline(
        "2016年2月、6月、11月底前",
        "multi",
        date(2016, 11, 30),
        (date(2016, 2, 29), date(2016, 6, 30), date(2016, 11, 30)),
    ),
    "流行季节": Deadline("流行季节（4-10月）每月", "recurring", frequency="monthly", window=(4, 10)),
    "每月": Deadline("每月25日前", "recurring", frequency="monthly", day=25),
    "长期": Deadline("长期推进", "none"),
    "视情况": Deadline("视情况而定", "conditional"),
    "法定": Deadline("法定时限内", "statutory"),
    "法定有期": Deadline("2016年10月15日前", "statutory", date(2016, 10, 15)),
}
STATUSES = ("", "未启动", "推进中", "持续推进", "已完成", "暂缓")
PROGRESS = (None, 0.0, 0.2, 0.45, 0.5, 0.85, 1.0)
PERIODS = ("2016-01", "2016-04", "2016-06", "2016-09", "2016-11", "2016-12", "2017-01")
EARLIER = 12  # days before the period's end: a workbook filled in during the period


def cases():
    return [
        (f"{n}-{s}-{p}", DEADLINES[name], status, progress)
        for n, (name, (s, status), (p, progress)) in enumerate(
            product(DEADLINES, enumerate(STATUSES), enumerate(PROGRESS)), start=1
        )
    ]


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    """Per period and status date: (row id → the colour Excel shows), by LibreOffice."""
    assert have_tools(), "LibreOffice (soffice) is needed: .ci/run installs it"
    tmp = tmp_path_factory.mktemp("pace")
    rows = cases()
    plan = Plan(
        title="示例方案",
        year=2016,
        items=[Item(i, "工作", "要求", ["区编办"], [], d.text, d) for i, d, _, _ in rows],
    )
    carry = {i: {S.STATUS: status or None, S.PROGRESS: progress} for i, _, status, progress in rows}
    out = Workbook()
    out.remove(out.active)
    keys = list(RULE_LIGHTS)
    for period in PERIODS:
        table = build_unit_workbook(plan, "区编办", period, carry=carry)[S.TABLE_SHEET]
        ws = out.create_sheet(period)
        end = Period.parse(period).end
        width = len(S.COLUMNS) + len(PACE_COLUMNS)
        for cells in table.iter_rows(min_row=S.FIRST_DATA_ROW, max_row=S.HEADER_ROW + len(rows), max_col=width):
            for cell in cells:
                ws.cell(cell.row, cell.column, cell.value)
        for k, as_of in enumerate((end, end - timedelta(days=EARLIER))):
            expr = f"DATE({as_of.year},{as_of.month},{as_of.day})"
            for r in range(S.FIRST_DATA_ROW, S.FIRST_DATA_ROW + len(rows)):
                formulas = row_formulas(LETTERS, r, expr)
                for j, key in enumerate(keys):
                    ws.cell(r, width + 2 + k * len(keys) + j, f"=IF({formulas[key]},1,0)")
    src = tmp / "judged.xlsx"
    save_workbook(out, src)
    back = load_workbook(recalc(src, tmp / "lo"), data_only=True)
    shown = {}
    for period in PERIODS:
        ws = back[period]
        end = Period.parse(period).end
        for k, as_of in enumerate((end, end - timedelta(days=EARLIER))):
            lights = {}
            for r, (item_id, *_) in enumerate(rows, start=S.FIRST_DATA_ROW):
                assert ws.cell(r, 1).value == item_id
                values = [
                    ws.cell(r, len(S.COLUMNS) + len(PACE_COLUMNS) + 2 + k * len(keys) + j).value
                    for j in range(len(keys))
                ]
                assert set(values) <= {0, 1}, (period, item_id, values)
                first = next((key for key, v in zip(keys, values) if v == 1), None)
                lights[item_id] = RULE_LIGHTS[first] if first else ""
            shown[(period, as_of)] = lights
    return rows, shown


def python_light(deadline: Deadline, as_of: date, status: str, progress) -> str:
    judged = pace(deadline, as_of, status=status, progress=progress, reported=True, start=date(2016, 1, 1))
    days = (deadline.due - as_of).days if deadline.due else None
    return light_of(judged, due_soon=due_soon(status, deadline.kind, days, DUE_SOON_DAYS))


def test_colours_on_the_periods_last_day_are_the_rollups(judged):
    """A return filled in after its period (the usual case) is coloured exactly as the summary."""
    rows, shown = judged
    colours = set()
    for period in PERIODS:
        end = Period.parse(period).end
        for item_id, deadline, status, progress in rows:
            expected = python_light(deadline, end, status, progress)
            assert shown[(period, end)][item_id] == expected, (period, item_id, deadline.text, status, progress)
            colours.add(expected)
    assert colours == {"红灯", "黄灯", "绿灯", ""}


def test_colours_during_the_period_differ_only_across_a_milestone(judged):
    """Filled in before the period's end, only multi-date rows with a milestone between that day
    and the period's end can differ (the workbook holds the milestone stretch of the last day)."""
    rows, shown = judged
    differ = []
    for period in PERIODS:
        end = Period.parse(period).end
        as_of = end - timedelta(days=EARLIER)
        for item_id, deadline, status, progress in rows:
            if shown[(period, as_of)][item_id] != python_light(deadline, as_of, status, progress):
                differ.append((period, item_id))
                start = date(2016, 1, 1)
                assert deadline.kind == "multi" and basis(deadline, as_of, start) != basis(deadline, end, start)
    assert len(differ) < len(rows) * len(PERIODS) / 50


def test_a_tie_at_ten_points_is_decided_by_the_rounded_gap():
    """73 of 365 days is 0.2 expected: 30 % is exactly 10 points ahead (超序时), 10 % exactly 10 points
    behind (达序时), although 0.3 − 0.2 and 0.1 − 0.2 are not exactly ±0.1 in floating point."""
    year = Deadline("2015年12月底前完成", "date", date(2015, 12, 31))
    as_of, start = date(2015, 3, 14), date(2015, 1, 1)
    assert basis(year, as_of, start).share(as_of) == 0.2
    judged = [pace(year, as_of, status="推进中", progress=p, reported=True, start=start) for p in (0.3, 0.1, 0.09)]
    assert judged == ["超序时", "达序时", "欠序时"]
