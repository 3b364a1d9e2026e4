"""The plan workbook: sheets 方案 (one row per item), 单位名录 (toolkit.io.directory), 方案信息 (metadata), 导入问题.

It is what `fengong import` writes and what every later step reads. Staff may correct it
in Excel before distributing: edited texts, units and 截止日期 are taken as they are. The items'
units are resolved through the 单位名录 once, here (`Directory.resolve_plan`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.io.atomic import atomic_path, guard_output
from toolkit.io.cells import CELL_LIMIT, column_letter, put, save_workbook, too_long
from toolkit.io.directory import SHEET as DIRECTORY_SHEET
from toolkit.io.directory import read_directory, write_directory
from toolkit.io.sniff import check_office
from toolkit.io.unitbook_style import BODY_FONT, GB2312_CHARSET, lines_height, wrapped_lines
from toolkit.model import Item, Plan, deadlines
from toolkit.model.directory import plain
from toolkit.model.errors import OutputError, TemplateError, UnreadableFileError
from toolkit.model.normalise import INVALID, item_id, text, to_date
from toolkit.model.problems import Problem
from toolkit.model.units import split_units
from toolkit.model.vocabulary import DeadlineKind

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

PLAN_SHEET = "方案"
INFO_SHEET = "方案信息"
PROBLEM_SHEET = "导入问题"
PLAN_COLUMNS = (
    "编号",
    "工作任务",
    "具体要求",
    "牵头单位",
    "配合单位",
    "完成时限",
    "截止日期",
    "时限类型",
    "备注",
    "上级要求",
)
INFO_FIELDS = (
    ("title", "方案标题"),
    ("doc_number", "文号"),
    ("issuer", "印发单位"),
    ("issue_date", "印发日期"),
    ("year", "方案年度"),
    ("level", "层级"),
    ("source", "来源文件"),
)
UNIT_SEP = "、"
CONTEXT_RE = re.compile(r"【([^】]+)】")
WIDTHS = (8, 24, 56, 18, 18, 16, 12, 10, 14, 40)
# Printed: 编号 to 备注. 上级要求 (the upper levels' wording, often longer than the item itself) is
# for reading on screen: printing it, or sizing rows to it, made a short plan 27 pages of 6 pt text.
PRINTED_COLUMNS = PLAN_COLUMNS.index("备注") + 1


def write_plan(plan: Plan, path: str | Path) -> Path:
    """Write `plan` as a plan workbook at `path` (atomically) and return the path.

    Refuses a path not ending in .xlsx and the plan's own source file (never overwrite the input).
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise OutputError(
            f"输出文件“{path.name}”不是 .xlsx：方案工作簿是 Excel 文件，请用 .xlsx 结尾的文件名，例如 方案.xlsx。"
        )
    guard_output(path, inputs=[("导入的原文件", plan.source or None)])
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = PLAN_SHEET
    problems = list(plan.problems) + _cut_texts(plan)
    rows: list[list[object]] = [list(PLAN_COLUMNS)]
    for item in plan.items:
        context = "\n".join(f"【{k}】{v}" for k, v in item.context.items())
        rows.append(
            [
                item.id,
                item.task,
                item.requirement,
                item.lead_text,
                item.co_text,
                item.deadline_text,
                item.deadline.due,
                DeadlineKind(item.deadline.kind).label,
                item.notes,
                context,
            ]
        )
    _put_rows(ws, rows)
    header_font = Font(name="黑体", bold=True, charset=GB2312_CHARSET)
    body_font = Font(name=BODY_FONT, charset=GB2312_CHARSET)
    wrap = Alignment(wrap_text=True, vertical="top")
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in ws[1]:
        cell.font, cell.alignment = header_font, Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.fill, cell.border = PatternFill("solid", fgColor="D9D9D9"), border
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment, cell.font, cell.border = wrap, body_font, border
        row[6].number_format = "yyyy-mm-dd"
        lines = max(wrapped_lines(cell.value, width) for cell, width in zip(row[:PRINTED_COLUMNS], WIDTHS))
        ws.row_dimensions[row[0].row].height = lines_height(lines)  # rows are not auto-fitted on open
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    _print_setup(ws, landscape=True)
    ws.print_title_rows = "1:1"
    ws.print_area = f"A1:{get_column_letter(PRINTED_COLUMNS)}{ws.max_row}"

    write_directory(wb, plan.directory or plain(plan))
    _print_setup(wb[DIRECTORY_SHEET], landscape=True)

    info = wb.create_sheet(INFO_SHEET)
    meta = [("项目", "内容")]
    for attr, label in INFO_FIELDS:
        value = getattr(plan, attr)
        meta.append((label, value.isoformat() if isinstance(value, date) else value))
    meta.append(("方案指纹", plan.content_hash))
    _put_rows(info, meta)
    info.column_dimensions["A"].width = 12
    info.column_dimensions["B"].width = 80
    _print_setup(info, landscape=False)

    sheet = wb.create_sheet(PROBLEM_SHEET)
    _put_rows(sheet, [("位置", "问题")] + [(p.where, p.message) for p in problems])
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 90
    for row in sheet.iter_rows(min_row=2):
        row[1].alignment = wrap
    _print_setup(sheet, landscape=True)
    sheet.print_title_rows = "1:1"
    if plan.items:  # 考核规则, editable by the clerk (not in the empty .xlsm template: it scores by the defaults)
        from toolkit.io.rules import write_rules_sheet

        write_rules_sheet(wb)

    with atomic_path(path) as tmp:
        save_workbook(wb, tmp)
    return Path(path)


def _cut_texts(plan: Plan) -> list[Problem]:
    """A note in 导入问题 for each text too long for one Excel cell (`put` cuts it)."""
    found = []
    for line, item in enumerate(plan.items, start=2):
        for name, value in (("工作任务", item.task), ("具体要求", item.requirement), ("备注", item.notes)):
            if too_long(value):
                letter = column_letter(PLAN_COLUMNS.index(name) + 1)
                found.append(
                    Problem.at(
                        f"{PLAN_SHEET}!{letter}{line}",
                        f"编号 {item.id} 的“{name}”有 {len(value)} 字，超过 Excel 单元格 {CELL_LIMIT} 字的上限，"
                        "方案工作簿中只保留了前面部分。请核对原文，必要时拆成几项。",
                    )
                )
    return found


def _print_setup(ws: Worksheet, *, landscape: bool) -> None:
    """A4, fitted to the page width, pages numbered 第 X 页，共 Y 页."""
    ws.page_setup.paperSize = 9
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.8
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = BODY_FONT


def _put_rows(ws: Worksheet, rows: Iterable[Sequence[Any]]) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            put(ws, r, c, value)


def read_plan(path: str | Path) -> Plan:
    """Read a plan workbook written by `write_plan` (possibly edited by staff).

    Values only, with python-calamine: the roll-up reads the plan on every run.
    """
    from python_calamine import CalamineWorkbook

    path = Path(path)
    check_office(path, "xlsx")
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types on broken parts
        raise UnreadableFileError(f"无法读取方案工作簿“{path.name}”：{exc}") from exc
    try:
        names = list(wb.sheet_names)
        if PLAN_SHEET not in names:
            raise TemplateError(
                f"“{path.name}”不是方案工作簿：缺少工作表“{PLAN_SHEET}”（现有：{'、'.join(names)}）。"
                "请先用 fengong import 导入方案。"
            )
        sheet = {
            name: wb.get_sheet_by_name(name).to_python()
            for name in (PLAN_SHEET, INFO_SHEET, PROBLEM_SHEET, DIRECTORY_SHEET)
            if name in names
        }
    finally:
        wb.close()
    plan = _read_info(sheet.get(INFO_SHEET, []), path)
    rows = sheet[PLAN_SHEET]
    header = tuple(text(c) for c in (rows[0] if rows else ()))
    missing = [c for c in PLAN_COLUMNS[:7] if c not in header]
    if missing:
        raise TemplateError(
            f"方案工作簿“{path.name}”的工作表“{PLAN_SHEET}”缺少列：{'、'.join(missing)}。"
            f"找到的列：{'、'.join(h for h in header if h)}。"
        )
    col = {name: header.index(name) for name in PLAN_COLUMNS if name in header}
    year = plan.year or date.today().year
    first_row: dict[str, str] = {}  # 编号 → the cell where it first appears
    for line, row in enumerate(rows[1:], start=2):
        cells = {name: (row[i] if i < len(row) and row[i] != "" else None) for name, i in col.items()}
        if any(v is not None for v in cells.values()):
            id_cell = f"{column_letter(col['编号'] + 1)}{line}"
            item = _item(cells, year, path, id_cell)
            if item.id in first_row:
                raise TemplateError(
                    f"方案工作簿“{path.name}”工作表“{PLAN_SHEET}”单元格 {id_cell} 的编号“{item.id}”"
                    f"与单元格 {first_row[item.id]} 重复。每项要求的编号必须唯一，请改正其中一个。"
                )
            if not (item.lead_units or item.co_units):
                raise TemplateError(
                    f"方案工作簿“{path.name}”工作表“{PLAN_SHEET}”第 {line} 行（编号 {item.id}）"
                    f"的牵头单位（单元格 {column_letter(col['牵头单位'] + 1)}{line}）和配合单位都是空的。"
                    "请填写责任单位，或删除该行。"
                )
            first_row[item.id] = id_cell
            plan.items.append(item)
    for where, message, *_ in sheet.get(PROBLEM_SHEET, [])[1:]:
        if message:
            plan.problems.append(Problem.at(text(where), text(message)))
    plan.source = plan.source or str(path)
    # the 单位名录 (an older workbook has none: every unit is its own, nothing merged)
    directory = read_directory(sheet[DIRECTORY_SHEET], path.name) if DIRECTORY_SHEET in sheet else plain(plan)
    directory.resolve_plan(plan)
    return plan


@lru_cache(maxsize=1024)
def _split_units(cell: str) -> tuple[str, ...]:
    """`split_units`, once per distinct cell: a big plan repeats the same unit lists (a 1,500-item
    plan spent 0.75 ms an item re-splitting 19-unit 配合单位 cells while the returns were read)."""
    return tuple(split_units(cell))


def _item(cells: dict[str, Any], year: int, path: Path, cell: str) -> Item:
    iid = item_id(cells["编号"])
    if not iid:
        raise TemplateError(f"方案工作簿“{path.name}”工作表“{PLAN_SHEET}”单元格 {cell} 缺少编号，请补上唯一编号。")
    raw = text(cells["完成时限"])
    due = cells.get("截止日期")
    due = due.date() if isinstance(due, datetime) else due if isinstance(due, date) else None
    deadline = deadlines.parse_stated(raw, year, due)
    return Item(
        id=iid,
        task=text(cells["工作任务"]),
        requirement=text(cells["具体要求"]),
        lead_units=list(_split_units(text(cells["牵头单位"]))),
        co_units=list(_split_units(text(cells["配合单位"]))),
        deadline_text=raw,
        deadline=deadline,
        notes=text(cells.get("备注")),
        context=_context(text(cells.get("上级要求"))),
    )


def _read_info(rows: list[list[Any]], path: Path) -> Plan:
    """方案信息 as staff may have edited it: 「2016年」「二〇一六」 for the year, 「2016年10月9日」 or a
    date cell for 印发日期; a deleted value column leaves the fields empty. Anything else: an
    error naming the cell."""
    values: dict[str, tuple[object, str]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if row and text(row[0]):
            values[text(row[0])] = (row[1] if len(row) > 1 else None, f"B{line}")
    plan = Plan()
    for attr, label in INFO_FIELDS:
        value, cell = values.get(label, (None, ""))
        if value in (None, ""):
            continue
        if attr == "year":
            value = _year(value)
            if value is None:
                raise TemplateError(
                    f"方案工作簿“{path.name}”工作表“{INFO_SHEET}”单元格 {cell}（{label}）的"
                    f"“{text(values[label][0])}”不是年份。请写成 2016 或 2016年。"
                )
        elif attr == "issue_date":
            reading = to_date(value)
            if reading.value is None or reading.issue == INVALID:
                raise TemplateError(
                    f"方案工作簿“{path.name}”工作表“{INFO_SHEET}”单元格 {cell}（{label}）的"
                    f"“{text(value)}”不是日期。请写成 2016-10-09 或 2016年10月9日，或清空该单元格。"
                )
            value = reading.value
        else:
            value = text(value)
        setattr(plan, attr, value)
    return plan


def _year(value: object) -> int | None:
    """2016, 2016.0, 「2016」「2016年」「２０１６年」「二〇一六年」 → 2016; None when not a year."""
    from toolkit.model.numerals import cn_int

    if isinstance(value, (int, float)) and not isinstance(value, bool):
        year = int(value) if float(value).is_integer() else None
    else:
        raw = unicodedata.normalize("NFKC", text(value)).strip().removesuffix("年度").removesuffix("年").strip()
        year = int(raw) if raw.isdigit() else (cn_int(raw) if raw else None)
        if year is None and raw and all(ch in "〇零一二三四五六七八九" for ch in raw):
            year = int("".join(str("〇一二三四五六七八九".index(ch) if ch != "零" else 0) for ch in raw))
    return year if year is not None and 1990 <= year <= 2100 else None


def _context(cell: str) -> dict[str, str]:
    parts = CONTEXT_RE.split(cell)
    return {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
