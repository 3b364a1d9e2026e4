"""Chart rows of a plan: what a Gantt chart shows per (item, unit). Stdlib only.

Both renderers read these rows: the paginated PDF (`toolkit.charts.gantt`) and the cell-drawn
甘特图 sheet (`toolkit.charts.sheet`). Status per (item id, unit) comes from whichever
source has it (unit workbook, summary workbook) as a mapping of `Reported`, made by `Reported.of`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeAlias

from toolkit.model import Deadline, Item, Plan
from toolkit.model.errors import UsageError
from toolkit.model.reported import Reported
from toolkit.model.schedule import AMBER, DUE_DAYS, GREEN, LIGHT_COLOURS, RED, Judge, Pace, overdue_days
from toolkit.model.vocabulary import Frequency, Status

DONE = Status.DONE
MAX_DEFAULT_MONTHS = 24  # a default range never spans more (stray dates get edge markers)
NO_UNIT = "（未明确责任单位）"

# What a source reports per item × unit: a Reported, a mapping with status/progress/done keys,
# or a (status, progress, done) tuple (`coerce_status`); `Statuses` maps (item id, unit) to one.
StatusLike: TypeAlias = Reported | Mapping[str, object] | tuple[object, ...]
Statuses: TypeAlias = Mapping[tuple[str, str], StatusLike]

# style key -> (legend label, fill, dark edge/progress colour, hatch). A reported row is drawn by
# its 序时进度 in the summary's lamp colours (red 逾期/欠序时, amber 临期, green 已完成/超序时); each
# style has its own hatch, so a black-and-white print tells them apart. A plan alone (nothing
# reported) has no 序时进度: its bars show the planned span, 全年工作 in a colour of its own.
STYLES = {
    "done": (f"{Pace.DONE}（{GREEN}）", *LIGHT_COLOURS[GREEN], ""),
    "ahead": (f"{Pace.AHEAD}（{GREEN}）", *LIGHT_COLOURS[GREEN], "\\\\\\"),
    "on": (Pace.ON.value, "#cfd8dc", "#455a64", "///"),
    "soon": (f"临期（{AMBER}）", *LIGHT_COLOURS[AMBER], "--"),
    "behind": (f"{Pace.BEHIND}（{RED}）", *LIGHT_COLOURS[RED], "|||"),
    "overdue": (f"{Pace.OVERDUE}（{RED}）", *LIGHT_COLOURS[RED], "xxx"),
    "waiting": (Pace.WAITING.value, "#ffffff", "#757575", "..."),
    "missing": (Pace.MISSING.value, "#f5f5f5", "#9e9e9e", "++"),
    "plan": ("计划时段（未报进度）", "#bbdefb", "#1565c0", ""),
    "year_round": ("全年工作（未报进度）", "#d1c4e9", "#4527a0", "||"),
}
PACE_STYLE = {
    Pace.DONE: "done",
    Pace.AHEAD: "ahead",
    Pace.ON: "on",
    Pace.BEHIND: "behind",
    Pace.OVERDUE: "overdue",
    Pace.WAITING: "waiting",
    Pace.MISSING: "missing",
}


@dataclass
class Row:
    """One bar line of the chart: an item as reported by one unit."""

    item_id: str
    task: str
    text: str
    unit: str
    kind: str
    due: date | None
    due_label: str
    start: date | None = None
    end: date | None = None
    open_end: bool = False
    milestones: tuple[date, ...] = ()
    status: str = ""
    progress: float | None = None
    done: date | None = None
    overdue_days: int = 0
    note: str = ""
    co_unit: bool = False
    reported: bool | None = None  # None: nothing is known of reporting (a plan alone)
    pace: Pace | None = None  # 序时进度 as the summary judges it (None for a plan alone)
    light: str = ""  # 亮灯: 红灯 / 黄灯 / 绿灯 or ""

    @property
    def style(self) -> str:
        """Key into STYLES for this row's bar: its 序时进度 (黄灯 when 临期), else its plan look."""
        if self.pace is None:
            return "year_round" if self.kind == "year_round" else "plan"
        return "soon" if self.light == AMBER else PACE_STYLE[self.pace]

    @property
    def state_label(self) -> str:
        """What the unit reported, in words (the first line of the 状态 column)."""
        if self.reported is False:
            return "未报送"
        return self.status or ("未填状态" if self.reported else "")

    @property
    def pace_label(self) -> str:
        """序时进度 and 亮灯 in words (the second line of the 状态 column): 「欠序时·红灯」,
        「逾期12天·红灯」; the lamp alone when the first line already says it (已完成, 未报送)."""
        if self.pace is None:
            return ""
        words = f"逾期{self.overdue_days}天" if self.pace == Pace.OVERDUE else self.pace.value
        if words == self.state_label:
            words = ""
        return "·".join(x for x in (words, self.light) if x)

    @property
    def task_no(self) -> str:
        """The task part of the item id: "3" of "3-2"."""
        return re.split(r"[-－—.．]", self.item_id, maxsplit=1)[0]


def coerce_status(value: StatusLike) -> Reported:
    """A Reported from a Reported, a mapping with status/progress/done keys, or a tuple."""
    if isinstance(value, Reported):
        return value
    if isinstance(value, Mapping):
        return Reported.of(value.get("status"), value.get("progress"), value.get("done"))
    status, progress, done = (tuple(value) + (None, None, None))[:3]
    return Reported.of(status, progress, done)


def plan_year(plan: Plan) -> int:
    """The plan's year: stated, else from the issue date, else from the first due date."""
    if plan.year:
        return plan.year
    if plan.issue_date:
        return plan.issue_date.year
    dues = [i.deadline.due for i in plan.items if i.deadline.due]
    return min(dues).year if dues else date.today().year


def build_rows(
    plan: Plan,
    statuses: Statuses | None = None,
    *,
    status_date: date,
    units: Iterable[str] | None = None,
    due_days: int = DUE_DAYS,
) -> list[Row]:
    """One row per item and lead unit (co-units too when a status was reported for them), each
    with its 序时进度 and 亮灯 as the summary judges them on `status_date` (临期: `due_days`).

    `statuses` maps (item id, unit) to a Reported (or anything `coerce_status` takes).
    `units`, when given, keeps only those units (lead or co-unit), in plan order.
    """
    reported = {k: coerce_status(v) for k, v in (statuses or {}).items()}
    wanted = set(units) if units else None
    year = plan_year(plan)
    judge = Judge.of(plan, status_date, due_days)
    rows: list[Row] = []
    for item in plan.items:
        for unit, co in _item_units(item, reported, wanted):
            row = _row(item, unit, co, reported.get((item.id, unit)), judge.start, year, status_date)
            if row.reported is not None:
                row.pace = judge.pace(item.deadline, row.status, row.progress, row.reported)
                row.light = judge.light(item.deadline, row.pace, row.status, row.reported)
            rows.append(row)
    return rows


def legend_styles(rows: list[Row]) -> list[str]:
    """The STYLES drawn for `rows`, in legend order: a legend lists what its chart shows."""
    used = {r.style for r in rows}
    return [key for key in STYLES if key in used]


def _item_units(
    item: Item, statuses: Mapping[tuple[str, str], Reported], wanted: set[str] | None
) -> Iterator[tuple[str, bool]]:
    """(unit, is a co-unit) of each row of `item`."""
    leads = item.lead_units or [NO_UNIT]
    for unit in leads:
        if wanted is None or unit in wanted:
            yield unit, False
    for unit in item.co_units:
        if unit in leads:
            continue
        if (wanted is not None and unit in wanted) or (wanted is None and (item.id, unit) in statuses):
            yield unit, True


def _row(item: Item, unit: str, co: bool, found: Reported | None, start: date, year: int, today: date) -> Row:
    """The row of `item` × `unit`; a dated bar runs from `start`, the day the 序时进度 rule
    starts the plan's work (so its solid part compares with the expected share)."""
    d = item.deadline
    st = found or Reported()
    row = Row(
        item_id=item.id,
        task=item.task,
        text=item.requirement or item.task,
        unit=unit,
        kind=d.kind,
        due=d.due,
        due_label=due_label(d),
        status=st.status,
        progress=st.progress,
        done=st.done,
        co_unit=co,
        reported=found.reported if found else None,
    )
    if d.kind == "year_round":
        row.start, row.end = date(year, 1, 1), d.due or date(year, 12, 31)
    elif d.kind == "recurring":
        row.milestones = tuple(occurrences(d, year))
        first, last = window_span(d, year)
        row.start, row.end = first, last
    elif d.kind in ("conditional", "statutory") and not d.due:
        row.start, row.open_end = start, True
        if st.status == DONE and st.done and st.done >= start:  # closed by its completion
            row.end, row.open_end = st.done, False
        row.note = _trigger_note(d)
    elif d.due:
        row.start, row.end = min(start, d.due), d.due
        if d.kind == "multi":
            row.milestones = tuple(sorted(set(d.dates) | {d.due}))
            row.start = min(row.start, row.milestones[0])
    if d.kind in ("conditional", "statutory") and d.due:
        row.note = _trigger_note(d)
    if found is not None:  # a plan alone (nothing reported yet) is never late
        row.overdue_days = overdue_days(st.status, row.due, today)
    if row.status == DONE and row.progress is None:
        row.progress = 1.0
    return row


def _trigger_note(d: Deadline) -> str:
    trigger = d.trigger or d.text or "视情况而定"
    if d.offset:
        unit = "个工作日" if d.offset.working else "日"
        joint = "" if trigger.endswith(("起", "后")) else "后"
        return f"{trigger}{joint}{d.offset.days}{unit}内"
    return trigger


def due_label(d: Deadline) -> str:
    """What the 截止日期 column shows for a deadline."""
    if d.kind == "year_round":
        return "全年"
    if d.kind == "recurring":
        return Frequency(d.frequency).label if d.frequency else "定期"
    if d.kind == "multi" and d.dates:
        return f"{len(d.dates)}个时点 至{d.due.isoformat() if d.due else ''}".strip()
    if d.due:
        return d.due.isoformat()
    if d.kind == "conditional":
        return "视情况"
    if d.kind == "statutory":
        return "法定时限"
    return "未定"


def window_span(d: Deadline, year: int) -> tuple[date, date]:
    """First and last day of a recurring deadline's month window (whole year if none)."""
    y = d.start_year or year
    m1, m2 = d.window or (1, 12)
    m1, m2 = max(1, min(12, m1)), max(1, min(12, m2))
    end_year = y if m2 >= m1 else y + 1
    return date(y, m1, 1), date(end_year, m2, calendar.monthrange(end_year, m2)[1])


def occurrences(d: Deadline, year: int) -> list[date]:
    """Each due date of recurring work inside its window (daily/weekly: none, drawn as a span)."""
    step = Frequency(d.frequency).months if d.frequency else None
    if not step:
        return []
    first, last = window_span(d, year)
    out = []
    y, m = first.year, first.month
    if step > 1:  # quarter/half-year/year ends: months 3, 6, 9, 12 …
        m = ((m - 1) // step + 1) * step
    while date(y, m, 1) <= last:
        dim = calendar.monthrange(y, m)[1]
        out.append(date(y, m, min(d.day, dim) if d.day else dim))
        m += step
        y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    return [o for o in out if first <= o <= last]


def group_rows(rows: list[Row], group: str, units: list[str] | None = None) -> list[tuple[str, list[Row]]]:
    """Rows by swimlane ("unit" or "task") with their header text, in plan order; units
    named in `units` without rows become empty groups."""
    groups: dict[str, list[Row]] = {}
    if group == "unit":
        for unit in units or ():
            groups.setdefault(unit, [])
        for r in rows:
            groups.setdefault(r.unit, []).append(r)
        return [(f"{unit}（{len(rs)}项）", rs) for unit, rs in groups.items()]
    titles: dict[str, str] = {}
    for r in rows:
        groups.setdefault(r.task_no, []).append(r)
        titles.setdefault(r.task_no, r.task)
    return [(f"任务{no}　{titles[no]}".strip(), rs) for no, rs in groups.items()]


def chart_range(
    rows: list[Row], year: int, date_from: date | None = None, date_to: date | None = None
) -> tuple[date, date]:
    """First and last day of the months to chart: `default_range`, overridden by --from/--to
    (one alone keeps a 12-month span when the other default would end before it)."""
    lo, hi = default_range(rows, year)
    lo = date_from.replace(day=1) if date_from else lo
    hi = month_end(date_to) if date_to else hi
    if date_from and not date_to and hi < lo:
        hi = month_end(add_months(lo, 11))
    if date_to and not date_from and hi < lo:
        lo = add_months(hi, -11)
    if hi < lo:
        raise UsageError(f"时间范围有误：开始 {month_label(lo)} 晚于结束 {month_label(hi)}，请检查 --from 和 --to。")
    if months_between(lo, hi) > 60:
        raise UsageError(
            f"时间范围 {month_label(lo)}—{month_label(hi)} 超过 60 个月，图上无法辨认，请缩小 --from/--to。"
        )
    return lo, hi


def month_label(d: date) -> str:
    return f"{d.year}年{d.month}月"


def default_range(rows: list[Row], year: int) -> tuple[date, date]:
    """The months to chart: the plan year widened to the rows' dates, at most 24 months."""
    lo, hi = date(year, 1, 1), date(year, 12, 31)
    dates = [x for r in rows for x in (r.start, r.end, *r.milestones) if x]
    if dates:
        lo = max(min(min(dates), lo), date(year - 1, 1, 1))
        hi = min(max(max(dates), hi), date(year + 1, 12, 31))
    lo = lo.replace(day=1)
    if months_between(lo, hi) > MAX_DEFAULT_MONTHS:
        hi = add_months(lo, MAX_DEFAULT_MONTHS) - timedelta(days=1)
    return lo, month_end(hi)


def add_months(d: date, n: int) -> date:
    """The first day of the month n months after d's month."""
    m = d.month - 1 + n
    return date(d.year + m // 12, m % 12 + 1, 1)


def month_end(d: date) -> date:
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def months_between(a: date, b: date) -> int:
    """Months touched from a to b inclusive."""
    return (b.year - a.year) * 12 + b.month - a.month + 1
