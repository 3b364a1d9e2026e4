"""Match the rows of the chosen returns to the plan: one entry per item × unit (× sub-unit)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from toolkit.io import schema as S
from toolkit.io.inbox import Return, ReturnRow
from toolkit.model import Plan
from toolkit.model.normalise import text
from toolkit.model.problems import ERROR, WARNING
from toolkit.rollup.entry import Entry, FilledIn, filled_in, judge


def match(plan: Plan, chosen: dict[str, Return], as_of: date, due_days: int) -> list[Entry]:
    """Every plan item × responsible unit (× sub-unit), in plan order, judged as of `as_of`.
    `judge`'s verdict on an item depends only on the entry's status and whether it was reported:
    it is asked once per item and status, not once per unit (150,000 entries at 1,000 returns)."""
    indexed = {unit: _index(ret, plan) for unit, ret in chosen.items()}
    entries: list[Entry] = []
    append = entries.append
    for item in plan.items:
        verdicts: dict[tuple[str, bool], tuple[int | None, str]] = {}
        lead, item_id = item.lead_units, item.id
        for unit in item.units:
            role = S.ROLE_LEAD if unit in lead else S.ROLE_CO
            ret = chosen.get(unit)
            rows: Sequence[ReturnRow]
            if ret is None:
                rows, name = NOT_REPORTED, ""
            else:
                rows, name = indexed[unit].get(item_id, NO_ROW), ret.name
                if rows is NO_ROW and ret.kind != S.KIND:
                    ret.problem(
                        WARNING,
                        "missing_row",
                        f"缺少编号“{item_id}”的行，该事项按未填报汇总。",
                        sheet=ret.sheet,
                        item_id=item_id,
                    )
            for row in rows:
                filled: FilledIn = row.filled or filled_in(row.values)  # a summary's row: read now
                entry = Entry(item, unit, role, row.sub_unit, *filled, file=name)
                verdict = verdicts.get((entry.status, row.reported))
                if verdict is None:
                    judge(entry, as_of, due_days, row.reported)
                    verdicts[entry.status, row.reported] = entry.days, entry.state
                else:
                    entry.days, entry.state = verdict
                append(entry)
    return entries


BLANK: FilledIn = ("", None, "", "", None, "", "")  # nothing filled in: Entry's defaults
NOT_REPORTED = (ReturnRow("", 0, {}, reported=False, filled=BLANK),)  # the one row of a unit that sent nothing
NO_ROW = (ReturnRow("", 0, {}, filled=BLANK),)  # of a unit whose return has no row for the item


def _index(ret: Return, plan: Plan) -> dict[str, list[ReturnRow]]:
    """The rows of one return by item id. Rows that cannot be placed are reported here for
    summaries; for unit workbooks the shared validator reports them (same rules)."""
    ids = plan.ids_for(ret.unit)
    index: dict[str, list[ReturnRow]] = {}
    seen: dict[tuple[str, str], int] = {}
    report = ret.kind != S.KIND

    def flag(row: ReturnRow, code: str, message: str) -> None:
        if report:
            ret.problem(ERROR, code, message, sheet=ret.sheet, cell=f"A{row.row}", item_id=row.item_id)

    for row in ret.rows:
        if not row.item_id:
            flag(row, "no_id", f"第 {row.row} 行没有编号，未汇总（{_excerpt(row.values)}）。")
        elif row.item_id not in ids:
            flag(
                row,
                "unknown_id",
                f"第 {row.row} 行的编号“{row.item_id}”不是本方案中“{ret.unit}”的事项，未汇总"
                f"（{_excerpt(row.values)}）。请核对上下级方案的编号。",
            )
        elif (row.item_id, row.sub_unit) in seen:
            flag(
                row,
                "duplicate_id",
                f"编号“{row.item_id}”（{row.sub_unit}）重复出现（第 {seen[row.item_id, row.sub_unit]} 行"
                f"和第 {row.row} 行），只汇总了第一行。",
            )
        else:
            seen[row.item_id, row.sub_unit] = row.row
            index.setdefault(row.item_id, []).append(row)
    return index


def _excerpt(values: dict[str, Any]) -> str:
    """A short trace of a row that has no usable id, so the user can find it."""
    parts = [text(v) for v in values.values() if text(v)]
    joined = "；".join(parts)
    return joined[:60] + ("…" if len(joined) > 60 else "") if joined else "空行"
