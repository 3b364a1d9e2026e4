"""Write a unit workbook (任务台账): one unit's rows of a plan, ready to fill in Excel or WPS.

Layout, names and statuses come from `toolkit.io.schema`. openpyxl is used because the
workbook needs protection, data validation, conditional formatting and print setup.
"""

from __future__ import annotations

import math
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from toolkit.io import schema as S
from toolkit.io.atomic import atomic_path
from toolkit.io.cells import column_letter, put, save_workbook
from toolkit.model import Item, Plan
from toolkit.model.period import Period
from toolkit.model.text import em_width

BODY_FONT = "仿宋"  # FangSong ships with every Chinese Windows; 仿宋_GB2312 often does not
HEADING_FONT = "黑体"
GB2312_CHARSET = 134  # tells Excel/WPS to substitute a Chinese font when the named one is missing
EXTRA_FORMAT_ROWS = 200  # validation and formatting reach this far below the last row
DATE_FORMAT = "yyyy-mm-dd"
DATE_MIN, DATE_MAX = date(2000, 1, 1), date(2099, 12, 31)
PAPER_SIZES = {"A3": 8, "A4": 9}  # SpreadsheetML paperSize codes
LOCKED_FILL, HEADER_FILL = "F2F2F2", "D9D9D9"
CF_STYLES = {  # (fill, font colour): Excel's standard light red / yellow / green
    "overdue": ("FFC7CE", "9C0006"),
    "due_soon": ("FFEB9C", "9C5700"),
    "done": ("C6EFCE", "006100"),
}
# The state in words after the 截止日期 (a black-and-white printout cannot tell red from amber).
DUE_WORDS = {"overdue": "逾期", "due_soon": "临期"}
DUE_SOON_DAYS = 14
A4_SPLIT_AFTER = "截止日期"  # A4 prints two pages wide: the plan columns, then the fill columns
A4_REPEAT_COLUMNS = "A:B"  # 编号 and 工作任务 repeated on the second page
PRINTABLE_MM = {"A3": 420 - 2 * 0.4 * 25.4, "A4": 297 - 2 * 0.4 * 25.4}  # landscape width minus margins
CENTERED = {S.ID, S.ROLE_COLUMN, S.DUE, S.STATUS, S.PROGRESS, S.DONE_DATE}
GUIDE_WIDTHS = (20, 90)  # 填报说明: label and text columns
TEMPLATE_GENERATED_AT = "2016-01-01T00:00:00"
TEMPLATE_NAME = "任务台账模板_{paper}.xlsx"
TEMPLATE_ROWS = 20
CJK_WIDTH = 2.1  # column-width units taken by one Chinese character of the 11 pt body font
LINE_POINTS = 16  # one wrapped line: Noto Sans SC (what LibreOffice renders) needs 15.9 pt at 11 pt; 仿宋 less
STATS_COLUMN = 8  # 本表统计 (column H of the information row)
STATS_CELL = f"{column_letter(STATS_COLUMN)}{S.INFO_ROW}"


def write_unit_workbook(
    path: str | Path,
    plan: Plan,
    unit: str,
    period: Period | str | None,
    *,
    paper: str = "A3",
    carry: dict[str, dict[str, Any]] | None = None,
    filler: dict[str, Any] | None = None,
    contact: str = "",
    return_by: date | None = None,
    generated_at: str | None = None,
    blank_rows: int = 0,
) -> Path:
    """Write `unit`'s workbook for `period` ("2016-11") at `path` (atomically).

    `carry` maps item id → {fill column → value} (last period's entries); `filler` holds
    填报人 / 联系电话 carried over. `blank_rows` adds empty, fully unlocked rows (templates).
    """
    wb = build_unit_workbook(
        plan,
        unit,
        period,
        paper=paper,
        carry=carry,
        filler=filler,
        contact=contact,
        return_by=return_by,
        generated_at=generated_at,
        blank_rows=blank_rows,
    )
    return save_unit_workbook(wb, path)


def save_unit_workbook(wb, path: str | Path, today: date | None = None) -> Path:
    """Save a unit workbook atomically, then finish what openpyxl cannot write: the value of
    本表统计 beside its formula (previews and viewers that do not calculate show it), and data
    rows whose height is an estimate, not fixed, so Excel and WPS grow them as staff type."""
    ws = wb[S.TABLE_SHEET]
    meta = {ws_row[0].value: ws_row[1].value for ws_row in wb[S.META_SHEET].iter_rows(max_col=2)}
    period = Period.parse(meta["period"]) if meta.get("period") else None
    value = stats_value(ws, period, today or date.today())
    with atomic_path(path) as tmp:
        save_workbook(wb, tmp)
        _finish_table_xml(tmp, {STATS_CELL: value})
    return Path(path)


def build_unit_workbook(
    plan: Plan,
    unit: str,
    period: Period | str | None,
    *,
    paper: str = "A3",
    carry=None,
    filler=None,
    contact: str = "",
    return_by: date | None = None,
    generated_at: str | None = None,
    blank_rows: int = 0,
):
    """The openpyxl Workbook of `write_unit_workbook`, not saved."""
    from openpyxl import Workbook

    if paper not in PAPER_SIZES:
        raise ValueError(f"paper must be one of {S.PAPERS}")
    period = Period.parse(period, year=plan.year) if period else None
    items = plan.items_for(unit)
    wb = Workbook()
    guide = wb.active
    guide.title = S.GUIDE_SHEET
    _write_guide(guide, plan, unit, period, contact, return_by)
    table = wb.create_sheet(S.TABLE_SHEET)
    _write_table(table, plan, unit, period, items, paper, carry or {}, filler or {}, blank_rows)
    _write_meta(wb.create_sheet(S.META_SHEET), plan, unit, period, items, generated_at)
    _write_items(wb.create_sheet(S.ITEMS_SHEET), unit, items)
    wb.active = 1
    return wb


def role(item: Item, unit: str) -> str:
    """牵头 when `unit` leads the item, else 配合."""
    return S.ROLE_LEAD if unit in item.lead_units else S.ROLE_CO


def plan_values(item: Item, unit: str) -> dict[str, Any]:
    """The locked columns of `item` as written for `unit` (the reference validate compares with)."""
    return {
        S.ID: item.id,
        "工作任务": item.task,
        "具体要求": item.requirement,
        "牵头单位": item.lead_text,  # as the plan wrote them (a collective, an alias), not as resolved
        "配合单位": item.co_text,
        S.ROLE_COLUMN: role(item, unit),
        "完成时限": item.deadline_text,
        S.DUE: item.deadline.due,
    }


def lines_height(lines: int) -> float:
    """Points a row of `lines` wrapped lines of body text needs (the one rule for every sheet)."""
    return round(lines * LINE_POINTS + 4, 1)


def row_height(values: dict[str, Any]) -> float:
    """Points needed to show every wrapped value of a row (Excel and LibreOffice do not
    auto-fit rows of a generated file, so long requirements would be cut)."""
    lines = max(wrapped_lines(values.get(name), width) for name, width in zip(S.COLUMNS, S.WIDTHS))
    return lines_height(lines)


def wrapped_lines(value: Any, width: float) -> int:
    """Lines a wrapped text cell of `width` (column-width units) needs; 1 for non-text."""
    if not isinstance(value, str) or not value:
        return 1
    per_line = max((width - 1) / CJK_WIDTH, 1)
    return max(sum(math.ceil(em_width(part) / per_line) or 1 for part in value.split("\n")), 1)


def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

    thin = Side(style="thin", color="808080")
    return {
        "body": Font(name=BODY_FONT, size=11, charset=GB2312_CHARSET),
        "heading": Font(name=HEADING_FONT, size=11, charset=GB2312_CHARSET),
        "title": Font(name=HEADING_FONT, size=16, charset=GB2312_CHARSET),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "center": Alignment(wrap_text=True, vertical="top", horizontal="center"),
        "header_align": Alignment(wrap_text=True, vertical="center", horizontal="center"),
        "label_align": Alignment(vertical="center", horizontal="right"),
        "left": Alignment(vertical="center", horizontal="left", wrap_text=True),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "locked_fill": PatternFill("solid", fgColor=LOCKED_FILL),
        "header_fill": PatternFill("solid", fgColor=HEADER_FILL),
        "unlocked": Protection(locked=False),
    }


def _write_table(ws, plan, unit, period, items, paper, carry, filler, blank_rows) -> None:
    from openpyxl.utils import get_column_letter

    st = _styles()
    ncols = len(S.COLUMNS)
    last_letter = get_column_letter(ncols)
    col = {name: i + 1 for i, name in enumerate(S.COLUMNS)}
    letter = {name: get_column_letter(i) for name, i in col.items()}
    last_row = S.HEADER_ROW + len(items) + blank_rows
    format_end = max(last_row, S.FIRST_DATA_ROW) + EXTRA_FORMAT_ROWS
    as_of = status_date_formula(period)

    # Header block.
    title = put(ws, S.TITLE_ROW, 1, f"{plan.title or '分工方案'}——任务落实情况台账")
    title.font, title.alignment = st["title"], st["header_align"]
    page_end = col[A4_SPLIT_AFTER] if paper == "A4" else ncols  # A4: keep the header block on page 1
    ws.merge_cells(start_row=S.TITLE_ROW, start_column=1, end_row=S.TITLE_ROW, end_column=page_end)
    ws.row_dimensions[S.TITLE_ROW].height = 36
    stats = (
        f'="共"&COUNTA(A{S.FIRST_DATA_ROW}:A{format_end})&"项，已完成"'
        f'&COUNTIF({letter[S.STATUS]}{S.FIRST_DATA_ROW}:{letter[S.STATUS]}{format_end},"{S.DONE}")&"项，逾期"'
        f'&SUMPRODUCT(({letter[S.DUE]}{S.FIRST_DATA_ROW}:{letter[S.DUE]}{format_end}<>"")'
        f"*({letter[S.DUE]}{S.FIRST_DATA_ROW}:{letter[S.DUE]}{format_end}<{as_of})"
        f'*({letter[S.STATUS]}{S.FIRST_DATA_ROW}:{letter[S.STATUS]}{format_end}<>"{S.DONE}"))&"项"'
    )
    block = {
        S.INFO_ROW: (
            (S.UNIT_LABEL, unit, 2, 3, False),
            (S.PERIOD_LABEL, period.label if period else "", 5, 6, False),
            (S.STATS_LABEL, stats, STATS_COLUMN, page_end, False),
        ),
        S.FILLER_ROW: tuple(
            (label, filler.get(label), start, end, True)
            for label, start, end in zip(S.FILLER_LABELS, (2, 5, 8), (3, 6, 8))
        ),
    }
    for row, fields in block.items():
        ws.row_dimensions[row].height = 24 if page_end > STATS_COLUMN or row != S.INFO_ROW else lines_height(3)
        for label, value, start, end, editable in fields:
            cell = put(ws, row, start - 1, label)
            cell.font, cell.alignment = st["heading"], st["label_align"]
            cell = ws.cell(row=row, column=start)
            if label == S.STATS_LABEL:  # our own formula; every other value (unit, 填报人 …) is text
                cell.value = value
            elif value is not None:
                put(ws, row, start, value)
            cell.font, cell.alignment = st["body"], st["left"]
            if editable:
                cell.protection = st["unlocked"]
            if end > start:
                ws.merge_cells(start_row=row, start_column=start, end_row=row, end_column=end)
            for c in range(start, end + 1 if editable else start):
                ws.cell(row=row, column=c).border = st["border"]
    date_cell = ws.cell(row=S.FILLER_ROW, column=8)
    date_cell.number_format = DATE_FORMAT

    # Column headers.
    for name, c in col.items():
        cell = put(ws, S.HEADER_ROW, c, name)
        cell.font, cell.alignment, cell.fill, cell.border = (
            st["heading"],
            st["header_align"],
            st["header_fill"],
            st["border"],
        )
    ws.row_dimensions[S.HEADER_ROW].height = 30

    # Rows.
    rows = [(plan_values(item, unit), carry.get(item.id, {})) for item in items]
    rows += [({}, {})] * blank_rows
    for r, (locked, filled) in enumerate(rows, start=S.FIRST_DATA_ROW):
        for name, c in col.items():
            value = locked.get(name) if name in S.PLAN_COLUMNS else filled.get(name)
            cell = put(ws, r, c, value)
            cell.font, cell.border = st["body"], st["border"]
            cell.alignment = st["center"] if name in CENTERED else st["wrap"]
            if name in S.PLAN_COLUMNS and locked:
                cell.fill = st["locked_fill"]
            else:
                cell.protection = st["unlocked"]
        ws.row_dimensions[r].height = row_height({**locked, **filled})
        ws.cell(row=r, column=col[S.DUE]).number_format = DATE_FORMAT
        ws.cell(row=r, column=col[S.DONE_DATE]).number_format = DATE_FORMAT
        ws.cell(row=r, column=col[S.PROGRESS]).number_format = "0%"

    for name, width in zip(S.COLUMNS, S.WIDTHS):
        ws.column_dimensions[letter[name]].width = width
    data_ref = f"{S.FIRST_DATA_ROW}:{format_end}"
    _add_validations(ws, letter, data_ref, f"{get_column_letter(8)}{S.FILLER_ROW}")
    _add_conditional_formats(ws, letter, format_end, as_of)

    ws.freeze_panes = ws.cell(row=S.FIRST_DATA_ROW, column=2).coordinate
    ws.auto_filter.ref = f"A{S.HEADER_ROW}:{last_letter}{max(last_row, S.HEADER_ROW + 1)}"
    _protect(ws)
    _page_setup(ws, paper, landscape=True)
    ws.print_title_rows = f"{S.HEADER_ROW}:{S.HEADER_ROW}"
    if paper == "A4":
        _split_for_a4(ws, col)


def _split_for_a4(ws, col: dict[str, int]) -> None:
    """A4 is too narrow for all fifteen columns at a readable size: print the plan columns on one
    page and the fill columns (with 编号 and 工作任务 repeated) on the next, at a fixed scale
    (Excel ignores manual page breaks when fitting to a page)."""
    from openpyxl.worksheet.pagebreak import Break

    split = col[A4_SPLIT_AFTER]
    ws.col_breaks.append(Break(id=split))
    ws.print_title_cols = A4_REPEAT_COLUMNS
    first, last = A4_REPEAT_COLUMNS.split(":")
    repeated = S.WIDTHS[ord(first) - 65 : ord(last) - 64]
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = min(print_scale(S.WIDTHS[:split], "A4"), print_scale(repeated + S.WIDTHS[split:], "A4"))
    ws.page_setup.pageOrder = "overThenDown"  # page 2 carries on the rows of page 1


def print_scale(widths: tuple[float, ...], paper: str) -> int:
    """The print scale (%) at which columns of `widths` fit across `paper` (landscape): a column
    of width w takes w * 7 + 5 pixels at 96 dpi in Excel; LibreOffice and WPS, measuring with
    other fonts, take up to w * 8 + 5."""
    mm = sum(w * 8 + 5 for w in widths) / 96 * 25.4
    return min(100, math.floor(PRINTABLE_MM[paper] / mm * 100))


def _add_validations(ws, letter: dict[str, str], rows: str, filled_date: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    first, last = rows.split(":")

    def ref(name: str) -> str:
        return f"{letter[name]}{first}:{letter[name]}{last}"

    choices = "、".join(S.STATUS_VALUES)
    status = DataValidation(
        type="list",
        formula1='"' + ",".join(S.STATUS_VALUES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="完成状态",
        error=f"请从下拉列表中选择：{choices}。",
        showInputMessage=True,
        promptTitle="完成状态",
        prompt="请从下拉列表中选择。已完成须填完成日期和佐证材料。",
    )
    progress = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="1",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="完成进度",
        error="请输入 0% 到 100% 之间的百分数，如 80%。",
        showInputMessage=True,
        promptTitle="完成进度",
        prompt="填百分数，如 80%（0%–100%）。",
    )
    lo, hi = _serial(DATE_MIN), _serial(DATE_MAX)
    dates = []
    for cells, title in ((ref(S.DONE_DATE), "完成日期"), (filled_date, "填报日期")):
        dv = DataValidation(
            type="date",
            operator="between",
            formula1=str(lo),
            formula2=str(hi),
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=title,
            error="请输入有效日期，格式为 年-月-日，如 2016-12-31。",
            showInputMessage=True,
            promptTitle=title,
            prompt="请输入日期，如 2016-12-31（年-月-日）。",
        )
        dv.add(cells)
        dates.append(dv)
    status.add(ref(S.STATUS))
    progress.add(ref(S.PROGRESS))
    for dv in (status, progress, *dates):
        ws.add_data_validation(dv)


def _serial(d: date) -> int:
    return (d - date(1899, 12, 30)).days


def stats_value(ws, period: Period | None, today: date) -> str:
    """What the 本表统计 formula computes for the rows of `ws` on `today` (same rules)."""
    col = {name: i for i, name in enumerate(S.COLUMNS)}
    as_of = min(today, period.end) if period else today
    total = done = overdue = 0
    for row in ws.iter_rows(min_row=S.FIRST_DATA_ROW, max_col=len(S.COLUMNS), values_only=True):
        item_id, due, status = row[col[S.ID]], row[col[S.DUE]], row[col[S.STATUS]]
        total += item_id not in (None, "")
        done += status == S.DONE
        if isinstance(due, datetime):
            due = due.date()
        overdue += isinstance(due, date) and due < as_of and status != S.DONE
    return f"共{total}项，已完成{done}项，逾期{overdue}项"


def _finish_table_xml(path: Path, cached: dict[str, str]) -> None:
    """Rewrite the 任务台账 part of the saved workbook at `path`: drop customHeight from the
    data rows and give each formula cell of `cached` its text value."""
    from xml.etree import ElementTree as ET
    from xml.sax.saxutils import escape

    with zipfile.ZipFile(path) as zf:
        entries = [(info, zf.read(info.filename)) for info in zf.infolist()]
    parts = {info.filename: data for info, data in entries}
    ns = {
        "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "p": "http://schemas.openxmlformats.org/package/2006/relationships",
    }
    sheet = next(
        e
        for e in ET.fromstring(parts["xl/workbook.xml"]).iterfind("m:sheets/m:sheet", ns)
        if e.get("name") == S.TABLE_SHEET
    )
    rid = sheet.get(f"{{{ns['r']}}}id")
    target = next(
        e.get("Target", "")
        for e in ET.fromstring(parts["xl/_rels/workbook.xml.rels"]).iterfind("p:Relationship", ns)
        if e.get("Id") == rid
    )
    name = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    xml = parts[name].decode("utf-8")

    def free_height(m: re.Match) -> str:
        return m.group(0) if int(m.group(1)) < S.FIRST_DATA_ROW else m.group(0).replace(' customHeight="1"', "")

    xml = re.sub(r'<row r="(\d+)"[^>]*>', free_height, xml)
    for ref, value in cached.items():
        pattern = rf'<c r="{ref}"([^>]*)><f>(.*?)</f>(?:<v\s*/>|<v></v>)?</c>'
        text = escape(value)

        def with_value(m: re.Match, ref: str = ref, text: str = text) -> str:
            return f'<c r="{ref}"{m.group(1)} t="str"><f>{m.group(2)}</f><v>{text}</v></c>'

        xml, n = re.subn(
            pattern,
            with_value,
            xml,
        )
        if n != 1:
            raise RuntimeError(f"formula cell {ref} not found in {name}")
    parts[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, _ in entries:
            zf.writestr(info, parts[info.filename])


def status_date_formula(period: Period | None) -> str:
    """The day a row is judged on, as the roll-up does: today, but no later than the last day
    of the period (a November workbook filled on 3 December shows what was late in November)."""
    if not period:
        return "TODAY()"
    end = period.end
    return f"MIN(TODAY(),DATE({end.year},{end.month},{end.day}))"


def _add_conditional_formats(ws, letter: dict[str, str], last_row: int, as_of: str) -> None:
    """Colour the fill columns (the locked columns keep their grey) and write 逾期 / 临期 after the
    截止日期, so the state survives a black-and-white printer."""
    from openpyxl.formatting.rule import FormulaRule, Rule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.styles.differential import DifferentialStyle
    from openpyxl.styles.numbers import NumberFormat

    row = S.FIRST_DATA_ROW
    fill_ref = f"{letter[S.FILL_COLUMNS[0]]}{row}:{letter[S.FILL_COLUMNS[-1]]}{last_row}"
    due_ref = f"{letter[S.DUE]}{row}:{letter[S.DUE]}{last_row}"
    due, status = f"${letter[S.DUE]}{row}", f"${letter[S.STATUS]}{row}"
    formulas = {
        "done": f'{status}="{S.DONE}"',
        "overdue": f'AND(ISNUMBER({due}),{due}<{as_of},{status}<>"{S.DONE}")',
        "due_soon": f'AND(ISNUMBER({due}),{due}>={as_of},{due}-{as_of}<={DUE_SOON_DAYS},{status}<>"{S.DONE}")',
    }
    for key in ("done", "overdue", "due_soon"):
        fill, colour = CF_STYLES[key]
        ws.conditional_formatting.add(
            fill_ref,
            FormulaRule(
                formula=[formulas[key]],
                stopIfTrue=True,
                fill=PatternFill(start_color=fill, end_color=fill, fill_type="solid"),
                font=Font(color=colour),
            ),
        )
    for n, (key, words) in enumerate(DUE_WORDS.items()):
        number_format = NumberFormat(numFmtId=200 + n, formatCode=f'{DATE_FORMAT}" {words}"')
        dxf = DifferentialStyle(numFmt=number_format, font=Font(bold=True, color=CF_STYLES[key][1]))
        ws.conditional_formatting.add(
            due_ref, Rule(type="expression", dxf=dxf, formula=[formulas[key]], stopIfTrue=True)
        )


def _protect(ws) -> None:
    """Protect without a password; filtering, resizing and formatting stay allowed. Sorting does
    not: Excel refuses to sort a protected range that holds locked cells, whatever the options."""
    p = ws.protection
    p.sheet = True
    # In SpreadsheetML `False` means "not protected", i.e. the action is allowed.
    p.autoFilter = p.formatCells = p.formatColumns = p.formatRows = False
    p.sort = True
    p.selectLockedCells = p.selectUnlockedCells = False


def _page_setup(ws, paper: str, *, landscape: bool) -> None:
    ws.page_setup.paperSize = PAPER_SIZES[paper]
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.8
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = BODY_FONT


def _write_guide(ws, plan: Plan, unit: str, period: Period | None, contact: str, return_by: date | None) -> None:
    st = _styles()
    label = period.label if period else "（报送期次）"
    deadline = f"于{return_by.year}年{return_by.month}月{return_by.day}日前" if return_by else "按通知要求"
    lines: list[tuple[str, str]] = [
        ("方案", plan.title or "（方案名称）"),
        ("填报单位", unit),
        ("报送期次", label),
        ("报送时间", f"请{deadline}将本工作簿报送牵头协调部门（直接回传本文件，勿改为其他格式）。"),
        ("联系方式", contact or f"如有疑问，请与{plan.issuer or '牵头协调部门'}联系。"),
        ("", ""),
        ("填报步骤", "1. 在“任务台账”表顶部填写填报人、联系电话、填报日期。"),
        (
            "",
            "2. 逐行填写右侧白色的填报列：完成状态（下拉选择）、完成进度（百分数）、进展情况、公开网址/佐证材料、完成日期、存在问题及下一步措施、备注。",
        ),
        ("", "3. 灰色列（编号至截止日期）是方案内容，已锁定，请勿修改、删除或增加行；对任务有异议请写在“备注”中。"),
        ("", "4. “本单位职责”为“配合”的行，由牵头单位统筹，本单位填写配合工作的进展。"),
        (
            "",
            (
                "5. 可以用表头的筛选按钮查看部分事项，可以调整列宽、行高，不影响汇总；本表受保护，不能排序。"
                "请勿改动表头文字，请勿另存为 .xls 或 .et 格式。"
            ),
        ),
        (
            "",
            (
                f"6. 到期提示（按填报当天判断，最晚按本期最后一天）：已逾期未完成的，截止日期后标“逾期”，填报列为红色；"
                f"{DUE_SOON_DAYS} 天内到期的标“临期”，填报列为黄色；已完成的填报列为绿色。"
            ),
        ),
        ("", "7. 全年工作截止日期为当年 12 月 31 日：年底请把本年度已完成的改为“已完成”，否则次年起计为逾期。"),
        ("", ""),
        ("完成状态", "含义"),
        *S.STATUSES,
        ("", ""),
        ("完成进度", "填写百分数，如 80%；已完成填 100%。请勿填“八成”“过半”等文字。"),
        ("完成日期", "已完成的事项必填，格式为 年-月-日，如 2016-12-31；不能晚于填报当天。"),
        ("公开网址/佐证材料", "已公开的填写网址；未公开的写明佐证材料名称、文号。"),
    ]
    cell = put(ws, 1, 1, "填报说明")
    cell.font, cell.alignment = st["title"], st["header_align"]
    ws.merge_cells("A1:B1")
    ws.row_dimensions[1].height = 36
    for r, (key, value) in enumerate(lines, start=3):
        a, b = put(ws, r, 1, key), put(ws, r, 2, value)
        a.font, a.alignment = st["heading"], st["wrap"]
        b.font, b.alignment = st["body"], st["wrap"]
        if key == "完成状态":
            a.fill = b.fill = st["header_fill"]
        ws.row_dimensions[r].height = lines_height(wrapped_lines(value, GUIDE_WIDTHS[1]))
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = GUIDE_WIDTHS
    ws.protection.sheet = True
    _page_setup(ws, "A4", landscape=False)


def _write_meta(ws, plan: Plan, unit: str, period: Period | None, items: list[Item], generated_at: str | None) -> None:
    values = {
        "schema_version": S.SCHEMA_VERSION,
        "kind": S.KIND,
        "plan_id": plan.plan_id,
        "plan_hash": plan.content_hash,
        "plan_title": plan.title,
        "unit": unit,
        "period": str(period) if period else "",
        "generated_at": generated_at or datetime.now().isoformat(timespec="seconds"),
        "item_ids": S.ITEM_ID_SEP.join(i.id for i in items),
    }
    for r, key in enumerate(S.META_KEYS, start=1):
        put(ws, r, 1, key)
        put(ws, r, 2, values[key])
    _hide(ws)


def _write_items(ws, unit: str, items: list[Item]) -> None:
    """The locked texts as distributed, one row per item (validation without the plan)."""
    for c, name in enumerate(S.ITEM_HEADER, start=1):
        put(ws, 1, c, name)
    for r, item in enumerate(items, start=2):
        locked = plan_values(item, unit)
        put(ws, r, 1, item.id)
        for c, name in enumerate(S.ITEM_HEADER[1:], start=2):
            value = locked[name]
            put(ws, r, c, value.isoformat() if isinstance(value, date) else value)
    _hide(ws)


def _hide(ws) -> None:
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


def write_templates(folder: str | Path) -> list[Path]:
    """Write the blank templates (A3 and A4) committed in `workbook_templates/`."""
    blank = Plan(title="（方案名称）")
    return [
        write_unit_workbook(
            Path(folder) / TEMPLATE_NAME.format(paper=paper),
            blank,
            "（单位名称）",
            None,
            paper=paper,
            generated_at=TEMPLATE_GENERATED_AT,
            blank_rows=TEMPLATE_ROWS,
        )
        for paper in S.PAPERS
    ]


def fill_copy(
    src: str | Path, dst: str | Path, values: dict[str, dict[str, Any]], header: dict[str, Any] | None = None
) -> Path:
    """Copy a unit workbook to `dst` with cells filled in as staff would (demo, tests, bench).

    `values` maps 编号 → {column name → value}; `header` maps 填报人/联系电话/填报日期 → value.
    Text is entered as text, so 「80%」 stays the text a careless filler would type.
    """
    from openpyxl import load_workbook

    wb = load_workbook(src)
    ws = wb[S.TABLE_SHEET]
    col = {ws.cell(S.HEADER_ROW, c).value: c for c in range(1, ws.max_column + 1)}
    rows = {str(ws.cell(r, col[S.ID]).value): r for r in range(S.FIRST_DATA_ROW, ws.max_row + 1)}
    for item_id, entries in values.items():
        for name, value in entries.items():
            put(ws, rows[item_id], col[name], value)
    for item_id in values:
        r = rows[item_id]
        ws.row_dimensions[r].height = row_height({name: ws.cell(r, c).value for name, c in col.items()})
    labels = {ws.cell(S.FILLER_ROW, c).value: c for c in range(1, ws.max_column + 1)}
    for label, value in (header or {}).items():
        put(ws, S.FILLER_ROW, labels[label] + 1, value)
    return save_unit_workbook(wb, dst)
