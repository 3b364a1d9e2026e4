"""Check a returned unit workbook and say, cell by cell and in Chinese, what to fix.

`validate(path)` reads a file and runs every check; `check_return(ret, …)` runs them on
an already read `UnitReturn` (the roll-up reads 200 files once and calls this). Each check
(`toolkit.validate.checks`) is a function `(ret, ctx) -> iterator of Problem`, listed in CHECKS.
Never writes a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from toolkit.io import schema as S
from toolkit.io.returns import ReturnRow, UnitReturn, read_return
from toolkit.model import Plan
from toolkit.model import normalise as N
from toolkit.model.period import Period
from toolkit.model.problems import ERROR, WARNING, Problem, cap
from toolkit.validate.checks import CHECKS, Context

__all__ = ["Report", "check_return", "clean_values", "expected_rows", "validate"]


@dataclass
class Report:
    """Everything validate found in one file."""

    file: str
    unit: str
    period: Period | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "unit": self.unit,
            "period": str(self.period) if self.period else "",
            "errors": [p.to_dict() for p in self.errors],
            "warnings": [p.to_dict() for p in self.warnings],
        }

    def lines(self) -> list[str]:
        """Human-readable Chinese lines: a summary, then one line per problem."""
        head = (
            f"{Path(self.file).name}（{self.unit or '单位不明'}，"
            f"{self.period.label if self.period else '期次不明'}）："
            f"{len(self.errors)} 个错误，{len(self.warnings)} 个提醒"
        )
        body = [
            f"  [{p.severity}] {p.where}{'（编号 ' + p.item_id + '）' if p.item_id else ''}：{p.message}"
            for p in self.problems
        ]
        return [head, *body] if body else [head + "。填报规范，可以报送。"]


def validate(
    path: str | Path, plan: Plan | None = None, *, period: Period | str | None = None, today: date | None = None
) -> Report:
    """Read and check one returned workbook. Unreadable files raise ToolkitError."""
    ret = read_return(path)
    directory = plan.directory if plan else None
    note = directory.alias_note(ret.unit, "校验") if directory else ""
    unit = directory.canonical(ret.unit) if directory else ret.unit  # as the roll-up does
    problems = check_return(ret, plan, period=period, today=today, unit=unit)
    if note:
        problems.insert(0, Problem(note, WARNING, "alias", Path(path).name, sheet=ret.sheet))
    return Report(file=str(path), unit=unit, period=ret.period, problems=problems)


def check_return(
    ret: UnitReturn,
    plan: Plan | None = None,
    *,
    period: Period | str | None = None,
    today: date | None = None,
    unit: str | None = None,
) -> list[Problem]:
    """Run every check of CHECKS on a read return, as unit `unit` (default: the one it names)."""
    ctx = Context(
        plan=plan,
        unit=ret.unit if unit is None else unit,
        period=Period.parse(period, year=plan.year if plan else None) if period else None,
        today=today or date.today(),
    )
    if plan is not None and _same_plan(ret, plan):
        ctx.items = {item.id: item for item in plan.items_for(ctx.unit)}
    ctx.expected = expected_rows(ret, plan, ctx.unit)
    ctx.copies = _copies(ret)
    ctx.as_of = _status_date(ctx.period or ret.period, ctx.today)
    return cap(p for check in CHECKS for p in check(ret, ctx))  # the first N of each kind: bounded


def _same_plan(ret: UnitReturn, plan: Plan | None) -> bool:
    """Whether `plan` is the plan the workbook was made from (or it has no metadata to say)."""
    return plan is not None and bool(ret.unit) and (not ret.meta or ret.meta.get("plan_hash") == plan.content_hash)


def expected_rows(ret: UnitReturn, plan: Plan | None, unit: str) -> dict[str, dict[str, Any]]:
    """The locked values each row should hold: from the plan when it is the plan the workbook
    was made from (or the workbook has no metadata), else as recorded in the metadata (whose
    item sheet is read only then: the roll-up, which has the plan, never parses it)."""
    from toolkit.io.unitbook_table import plan_values

    if plan is not None and _same_plan(ret, plan):
        return {item.id: plan_values(item, unit) for item in plan.items_for(unit)}
    return {i: {S.ID: i, **ret.meta_items.get(i, {})} for i in ret.item_ids}


def _copies(ret: UnitReturn) -> set[int]:
    """Rows whose 编号 already appeared higher up (copied rows). The roll-up uses the first
    row of an 编号 only, so the copies are reported once as duplicates and not checked."""
    seen: set[str] = set()
    copies = set()
    for row in ret.rows:
        if row.item_id in seen:
            copies.add(row.row)
        elif row.item_id:
            seen.add(row.item_id)
    return copies


def _status_date(period: Period | None, today: date) -> date | None:
    """The last day of `period`, or `today` when earlier: what the workbook's colours and the
    roll-up judge lateness by. None when the period is not known."""
    return min(today, period.end) if period else None


def clean_values(row: ReturnRow) -> dict[str, Any]:
    """A row's fill-in values as understood (status guess, progress 0–1, dates), for the
    roll-up and carry-forward; values that cannot be understood are kept as typed."""
    v = dict(row.values)
    status = N.status(v.get(S.STATUS), S.STATUS_VALUES)
    progress, done = N.progress(v.get(S.PROGRESS)), N.to_date(v.get(S.DONE_DATE))
    if status.value:
        v[S.STATUS] = status.value
    if progress.value is not None and progress.issue != N.RANGE:
        v[S.PROGRESS] = progress.value
    if done.value is not None:
        v[S.DONE_DATE] = done.value
    return v
