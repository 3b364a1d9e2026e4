"""The checks of a returned unit workbook, each `(ret, ctx) -> iterator of Problem`, in CHECKS."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from toolkit.io import schema as S
from toolkit.io.returns import MAX_SHEET_ROWS, ReturnRow, UnitReturn
from toolkit.io.summary import SUMMARY_KIND
from toolkit.model import Item, Plan, deadlines
from toolkit.model import normalise as N
from toolkit.model.period import Period
from toolkit.model.problems import ERROR, WARNING, Problem
from toolkit.model.vocabulary import Severity

SPACE_RE = re.compile(r"\s+")
LOCKED_CHECKED = tuple(c for c in S.PLAN_COLUMNS if c != S.ID)
STATUS_CHOICES = "、".join(S.STATUS_VALUES)
OPEN_STATUSES = ("推进中", "持续推进")  # not done, and not paused or not started: past_due applies
DUE_KINDS = ("date", "year_round")  # deadline kinds with one due date that closes the task


# (column, normalise issue) → (code, severity, message); {raw} is the cell as typed, {value} as understood.
VALUE_PROBLEMS = {
    (S.PROGRESS, N.TEXT): (
        "progress_text",
        WARNING,
        "完成进度“{raw}”是文字，已按 {value:.0%} 理解。请在该单元格直接输入数字 {value:.0%}"
        "（不要输入汉字，也不要粘贴文字）。",
    ),
    (S.PROGRESS, N.POINTS): (
        "progress_points",
        WARNING,
        "完成进度填了 {raw}，已按 {value:.0%} 理解。请输入 {value:.0%}（带百分号）。",
    ),
    (S.PROGRESS, N.RANGE): ("progress_range", ERROR, "完成进度“{raw}”超出 0%–100%。请填写 0% 到 100% 之间的百分数。"),
    (S.PROGRESS, N.INVALID): ("progress_invalid", ERROR, "完成进度“{raw}”无法识别。请填写百分数，如 80%。"),
    (S.DONE_DATE, N.TEXT): (
        "date_text",
        WARNING,
        "完成日期“{raw}”是文字，已按 {value} 理解。请按日期格式重新输入：{value}。",
    ),
    (S.DONE_DATE, N.SERIAL): (
        "date_serial",
        WARNING,
        "完成日期显示为数字 {raw}，已按 {value} 理解。请把单元格设为日期格式，或重新输入 {value}。",
    ),
    (S.DONE_DATE, N.INVALID): ("date_invalid", ERROR, "完成日期“{raw}”无法识别。请输入日期，如 2016-12-31。"),
}


@dataclass
class Context:
    """What a return is checked against."""

    plan: Plan | None = None
    unit: str = ""  # the unit checked as: the workbook's, or the directory's name for it
    period: Period | None = None  # the period expected, if known
    today: date = field(default_factory=date.today)
    expected: dict[str, dict[str, Any]] = field(default_factory=dict)  # id → locked values
    items: dict[str, Item] = field(default_factory=dict)  # id → plan item, when the plan is the workbook's
    copies: set[int] = field(default_factory=set)  # Excel rows repeating an 编号 seen above them
    as_of: date | None = None  # the status date: the reporting period's last day, or today if earlier


def _problem(ret: UnitReturn, cell: str, item_id: str, code: str, severity: Severity, message: str) -> Problem:
    return Problem(message, severity, code, sheet=ret.sheet, cell=cell, item_id=item_id)


def check_identity(ret: UnitReturn, ctx: Context) -> Iterator[Problem]:
    """Metadata present, kind and schema version, plan, unit and period as expected."""
    name = ret.path.name
    if not ret.meta:
        yield Problem.at(
            "",
            severity=ERROR,
            code="no_metadata",
            message="缺少隐藏的元数据表，无法确认方案、单位和期次（可能不是分发的台账，或被复制到新工作簿）。"
            "请在分发的原工作簿上填报。",
        )
    else:
        if ret.meta.get("kind") != S.KIND:
            what = "汇总表" if ret.meta.get("kind") == SUMMARY_KIND else "其他用途的工作簿"
            yield Problem.at(
                "", severity=ERROR, code="wrong_kind", message=f"这是{what}，不是单位任务台账。请提交本单位的任务台账。"
            )
        if ret.meta.get("schema_version") not in S.READ_VERSIONS:
            yield Problem.at(
                "",
                severity=ERROR,
                code="schema_version",
                message=f"台账格式版本为“{ret.meta.get('schema_version') or '未记录'}”，"
                f"本程序支持版本 {'、'.join(S.READ_VERSIONS)}。"
                "请向牵头协调部门索取新版台账，把填报内容复制过去。",
            )
    if not ret.standard:
        yield _problem(
            ret,
            f"A{ret.header_row}",
            "",
            "nonstandard_layout",
            WARNING,
            f"表格不是标准格式（工作表“{ret.sheet}”第 {ret.header_row} 行为表头"
            f"{'，列名“' + '”“'.join(ret.renamed.values()) + '”为近似匹配' if ret.renamed else ''}）。"
            "请使用分发的台账，不要改动表头、不要移动表格。",
        )
    for column in ret.missing_columns:
        yield _problem(
            ret,
            f"A{ret.header_row}",
            "",
            "missing_column",
            ERROR,
            f"缺少“{column}”列。请不要删除或改名列标题；可重新使用分发的台账填报。",
        )
    plan = ctx.plan
    if plan is not None and ret.meta and ret.meta.get("plan_hash") != plan.content_hash:
        yield Problem.at(
            "",
            severity=ERROR,
            code="plan_mismatch",
            message=f"本台账由方案“{ret.meta.get('plan_title') or ret.meta.get('plan_id') or '未记录'}”"
            f"（指纹 {ret.meta.get('plan_hash') or '未记录'}）生成，与所给方案“{plan.title}”（指纹 {plan.content_hash}）不一致。"
            "请确认是否为本方案的台账；方案修订后请重新分发。",
        )
    unit = ctx.unit
    if plan is not None and unit and unit not in plan.units:
        yield _problem(
            ret,
            _block_cell(ret, S.UNIT_LABEL),
            "",
            "unit_unknown",
            ERROR,
            f"填报单位“{unit}”不是方案中的责任单位。请核对单位名称，或使用本单位的台账。",
        )
    shown_unit = N.text(ret.block.get(S.UNIT_LABEL, ("", None))[1])
    if ret.meta.get("unit") and shown_unit and shown_unit != ret.meta["unit"]:
        yield _problem(
            ret,
            _block_cell(ret, S.UNIT_LABEL),
            "",
            "unit_changed",
            ERROR,
            f"表头填报单位被改为“{shown_unit}”，但本台账是分发给“{ret.meta['unit']}”的。"
            "请各单位使用各自的台账，不要互相复制。",
        )
    if ctx.period and ret.period != ctx.period:
        yield _problem(
            ret,
            _block_cell(ret, S.PERIOD_LABEL),
            "",
            "period_mismatch",
            ERROR,
            f"报送期次为“{ret.period.label if ret.period else '未知'}”，"
            f"本次应报送 {ctx.period.label}。请使用本期分发的台账（内容可从上期复制）。",
        )
    if ret.period and unit and not _name_matches(name, ret.period):
        yield Problem.at(
            "",
            severity=WARNING,
            code="file_name",
            message=f"文件名“{name}”与内容（{unit}，{ret.period.label if ret.period else '期次不明'}）不符，可能改错了名字或发错了文件。"
            "汇总以工作簿内容为准，请核对。",
        )


def _name_matches(name: str, period: Period) -> bool:
    """False only when the file name names another period (e.g. 「2016年10月」)."""
    named = re.findall(r"(\d{4})\s*年\s*(\d{1,2})\s*月", name)
    return not named or any(Period.read(f"{y}-{m}") == period for y, m in named)


def _block_cell(ret: UnitReturn, label: str) -> str:
    return ret.block.get(label, ("", None))[0]


def check_rows(ret: UnitReturn, ctx: Context) -> Iterator[Problem]:
    """Rows deleted, added, duplicated or reordered, matched by 编号; rows past what is read."""
    if ret.rows_not_read:
        yield _problem(
            ret,
            "",
            "",
            "too_many_rows",
            ERROR,
            f"工作表“{ret.sheet}”有 {MAX_SHEET_ROWS + ret.rows_not_read} 行，远多于台账应有的行数（可能误粘贴了大量内容），"
            f"只读取了前 {MAX_SHEET_ROWS} 行，其余 {ret.rows_not_read} 行未读取。请删除多余的行后重新报送。",
        )
    expected = list(ctx.expected)
    seen: dict[str, int] = {}  # 编号 → its first row
    copies: dict[str, list[int]] = {}
    for row in ret.rows:
        if not row.item_id:
            yield _problem(
                ret,
                ret.cell(row.row, S.ID),
                "",
                "row_added",
                ERROR,
                f"第 {row.row} 行没有编号，不是分发的事项。请删除该行；补充说明请写在相关事项的“备注”中。",
            )
        elif expected and row.item_id not in ctx.expected:
            yield _problem(
                ret,
                ret.cell(row.row, S.ID),
                row.item_id,
                "row_added",
                ERROR,
                f"第 {row.row} 行的编号 {row.item_id} 不是分发给本单位的事项。请删除该行，或改回原编号。",
            )
        elif row.row in ctx.copies:
            copies.setdefault(row.item_id, []).append(row.row)
        else:
            seen[row.item_id] = row.row
    for item_id, extra in copies.items():
        rows = "、".join(map(str, extra))
        yield _problem(
            ret,
            ret.cell(extra[0], S.ID),
            item_id,
            "row_duplicate",
            ERROR,
            f"编号 {item_id} 重复出现在第 {seen[item_id]}、{rows} 行（复制了行）。汇总以第 {seen[item_id]} 行为准，"
            f"第 {rows} 行不汇总、不检查。请把第 {rows} 行中要保留的内容合并到第 {seen[item_id]} 行，"
            f"然后删除第 {rows} 行。",
        )
    for item_id in expected:
        if item_id not in seen:
            task = N.text(ctx.expected[item_id].get("工作任务"))
            yield _problem(
                ret,
                "",
                item_id,
                "row_missing",
                ERROR,
                f"编号 {item_id}{'（' + _clip(task, 20) + '）' if task else ''} 的事项被删除了。"
                "请从分发的台账中复制该行恢复，并填报。",
            )
    order = [i for i in seen if i in ctx.expected]
    if order != [i for i in expected if i in seen]:
        first = next(i for i, j in zip(order, [i for i in expected if i in seen]) if i != j)
        yield _problem(
            ret,
            ret.cell(seen[first], S.ID),
            first,
            "row_order",
            WARNING,
            "事项顺序与分发时不同（排序或移动过行）。汇总按编号匹配，不影响使用。",
        )


def check_locked(ret: UnitReturn, ctx: Context) -> Iterator[Problem]:
    """Locked plan columns rewritten (compared with the plan, or with the texts as sent)."""
    columns = [c for c in LOCKED_CHECKED if c in ret.columns]
    for row in ret.rows:
        want = ctx.expected.get(row.item_id)
        if not want or row.row in ctx.copies:
            continue  # copies are reported once by check_rows
        values = row.values
        for column in columns:
            got = values.get(column)
            if column not in want or got == want[column] or _same(got, want[column]):  # == : untouched, no call
                continue
            original = N.text(want[column]) or "（空）"
            yield _problem(
                ret,
                ret.cell(row.row, column),
                row.item_id,
                "locked_changed",
                ERROR,
                f"“{column}”是方案内容，不得修改，请恢复原文“{_clip(original)}”。对任务有意见请写在“备注”中。",
            )


def _same(got: Any, want: Any) -> bool:
    """Whether a locked cell still says what was sent (a date as text, spacing changed)."""
    if got == want:
        return True
    if isinstance(want, date) or (isinstance(want, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", want)):
        return N.text(N.to_date(got).value) == N.text(want)
    return SPACE_RE.sub("", N.text(got)) == SPACE_RE.sub("", N.text(want))


def _shown(value: Any, column: str = "") -> str:
    """A cell as staff see it: TRUE/FALSE, a progress number below 2 as its percent cell shows it."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if column == S.PROGRESS and isinstance(value, (int, float)) and abs(value) < 2:
        return f"{value:.0%}"
    return N.text(value)


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def check_fill(ret: UnitReturn, ctx: Context) -> Iterator[Problem]:
    """Status, progress and date cells, and the rules that tie them together."""
    for row in ret.rows:
        if not row.item_id or (ctx.expected and row.item_id not in ctx.expected) or row.row in ctx.copies:
            continue  # reported by check_rows
        yield from _check_row(ret, row, ctx)


def _check_row(ret: UnitReturn, row: ReturnRow, ctx: Context) -> Iterator[Problem]:
    i, v = row.item_id, row.values

    def at(column: str) -> str:
        return ret.cell(row.row, column)

    status = N.status(v.get(S.STATUS), S.STATUS_VALUES)
    if status.issue == N.UNKNOWN:
        hint = f"（看起来是“{status.value}”）" if status.value else ""
        yield _problem(
            ret,
            at(S.STATUS),
            i,
            "status_invalid",
            ERROR,
            f"完成状态“{_shown(v.get(S.STATUS))}”不在可选范围{hint}。请从下拉列表选择：{STATUS_CHOICES}。",
        )
    elif status.value is None and S.STATUS in ret.columns:
        yield _problem(
            ret, at(S.STATUS), i, "status_missing", WARNING, f"未填写完成状态。请从下拉列表选择：{STATUS_CHOICES}。"
        )

    progress, done_date = N.progress(v.get(S.PROGRESS)), N.to_date(v.get(S.DONE_DATE))
    for column, reading in ((S.PROGRESS, progress), (S.DONE_DATE, done_date)):
        if reading.issue and (column, reading.issue) in VALUE_PROBLEMS:
            code, severity, template = VALUE_PROBLEMS[column, reading.issue]
            yield _problem(
                ret,
                at(column),
                i,
                code,
                severity,
                template.format(raw=_shown(v.get(column), column), value=reading.value),
            )
    if done_date.value and done_date.value > ctx.today:
        yield _problem(
            ret,
            at(S.DONE_DATE),
            i,
            "date_future",
            ERROR,
            f"完成日期 {done_date.value.isoformat()} 晚于今天（{ctx.today.isoformat()}）。"
            "请填写实际完成的日期；尚未完成的请按实际选择“推进中”或“持续推进”，并清空完成日期。",
        )

    if status.value == S.DONE:
        if done_date.value is None and done_date.issue is None:
            yield _problem(
                ret,
                at(S.DONE_DATE),
                i,
                "done_without_date",
                ERROR,
                "状态为“已完成”，但没有填写完成日期。请补填完成日期，如 2016-12-31。",
            )
        if N.is_blank(v.get(S.EVIDENCE)):
            yield _problem(
                ret,
                at(S.EVIDENCE),
                i,
                "done_without_evidence",
                WARNING,
                "状态为“已完成”，但没有填写公开网址或佐证材料。请补填网址或佐证材料名称。",
            )
        if progress.value is not None and progress.value < 1 and progress.issue != N.RANGE:
            yield _problem(
                ret,
                at(S.PROGRESS),
                i,
                "done_progress",
                WARNING,
                f"状态为“已完成”，但完成进度为 {progress.value:.0%}。请把进度改为 100%，或把状态改为“推进中”。",
            )
    elif done_date.value is not None and status.value is not None:
        yield _problem(
            ret,
            at(S.DONE_DATE),
            i,
            "date_not_done",
            WARNING,
            f"状态为“{status.value}”，却填写了完成日期。已完成的请选“已完成”，否则请清空完成日期。",
        )
    if status.value == S.PAUSED and N.is_blank(v.get(S.ISSUES)):
        yield _problem(
            ret,
            at(S.ISSUES),
            i,
            "paused_without_reason",
            WARNING,
            "状态为“暂缓”，请在“存在问题及下一步措施”中说明暂缓原因。",
        )
    if status.value in OPEN_STATUSES:
        yield from _past_due(ret, row, status.value, ctx)


def _past_due(ret: UnitReturn, row: ReturnRow, status: str, ctx: Context) -> Iterator[Problem]:
    """A dated or year-round item still open after its due date (in the workbook it shows red
    and the roll-up counts it overdue): close it as 已完成 or explain why it is not done."""
    want = ctx.expected.get(row.item_id, {})
    due = N.to_date(want.get(S.DUE)).value
    if ctx.as_of is None or due is None or due >= ctx.as_of:
        return
    item = ctx.items.get(row.item_id)
    kind = item.deadline.kind if item else deadlines.parse(N.text(want.get("完成时限")), due.year).kind
    if kind not in DUE_KINDS:
        return
    what, task = ("全年工作", f"{due.year} 年的任务") if kind == "year_round" else ("本事项", "任务")
    yield _problem(
        ret,
        ret.cell(row.row, S.STATUS),
        row.item_id,
        "past_due",
        WARNING,
        f"{what}截止日期为 {due.isoformat()}，截至 {ctx.as_of.isoformat()}"
        f"（{_period_label(ctx.period or ret.period)}报送期）已超过截止日期，完成状态仍为“{status}”，"
        f"台账中显示为红色，汇总计为逾期。{task}已完成的，请把状态改为“已完成”，"
        "并填写完成日期和公开网址/佐证材料；未完成的，请在“存在问题及下一步措施”中说明原因和预计完成时间。",
    )


def check_block(ret: UnitReturn, ctx: Context) -> Iterator[Problem]:
    """填报人 / 联系电话 / 填报日期 above the table."""
    for label in S.FILLER_LABELS:
        cell, value = ret.block.get(label, ("", None))
        if N.is_blank(value):
            yield _problem(ret, cell, "", "filler_missing", WARNING, f"未填写{label}。请在表格上方填写，便于联系核实。")
        elif label == "填报日期" and N.to_date(value).issue in (N.INVALID, N.TEXT, N.SERIAL):
            yield _problem(
                ret,
                cell,
                "",
                "date_text",
                WARNING,
                f"填报日期“{_shown(value)}”不是日期格式。请输入日期，如 2016-12-05。",
            )


KNOWN_SHEETS = (S.GUIDE_SHEET, S.TABLE_SHEET, S.META_SHEET, S.ITEMS_SHEET)
FORMULAS_SHOWN = 10  # cells named in the one formula_no_value problem


def check_formulas(ret: UnitReturn, ctx: Context) -> Iterator[Problem]:
    """Formulas saved without their results: the reader sees blanks where the unit sees values."""
    cells = ret.unsaved_formulas
    if cells:
        more = f"等 {len(cells)} 个单元格" if len(cells) > FORMULAS_SHOWN else ""
        yield _problem(
            ret,
            cells[0],
            "",
            "formula_no_value",
            ERROR,
            f"单元格 {'、'.join(cells[:FORMULAS_SHOWN])}{more}读取时为空白：这些单元格的"
            "公式没有保存计算结果，请在 Excel/WPS 中打开并保存后再报送。",
        )


def check_other_sheets(ret: UnitReturn, ctx: Context) -> Iterator[Problem]:
    """A copy of the table on another sheet (任务台账（更新）) with fill-ins: only one sheet is read."""
    from toolkit.io.returns import other_table

    for name in ret.sheet_names:
        if name in KNOWN_SHEETS or name == ret.sheet:
            continue
        filled = other_table(ret.path, name)
        if filled:
            yield Problem(
                f"工作表“{name}”中也有填报内容（{filled} 行），但只读取工作表“{ret.sheet}”。"
                f"请把要报送的内容填在“{ret.sheet}”中，并删除工作表“{name}”。",
                WARNING,
                "other_sheet",
                sheet=name,
            )


CHECKS = (check_identity, check_formulas, check_other_sheets, check_rows, check_locked, check_fill, check_block)


def _period_label(period: Period | None) -> str:
    return period.label if period else "本"
