"""The 单位名录 sheet of the plan workbook: read it into a `Directory`, write one, update contacts.

Columns: 单位, 别名, 属于, 联系人, 电话, 备注, 状态 (rules in `toolkit.model.directory`). Names in
别名 and 属于 are separated by 、 (also ，；or a line break).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl import Workbook

from toolkit.io.cells import column_letter, put
from toolkit.model.directory import NAME_SEP, PENDING, Directory, DirectoryError, Entry
from toolkit.model.normalise import text
from toolkit.model.units import normalise, split_units

SHEET = "单位名录"
COLUMNS = ("单位", "别名", "属于", "联系人", "电话", "备注", "状态")
HELP_LABEL = "说明"  # the line under the table; not a unit
WIDTHS = (26, 36, 24, 10, 16, 50, 9)
HELP = (
    "“单位”是各处使用的唯一名称；其他写法填“别名”（用“、”分隔）；“属于”填该单位所属的统称（如 区属各部门），"
    "统称的事项会分到每个成员的台账。状态为“待确认”的行是导入时推定的合并或成员，确认前不生效，"
    "核对无误后删去“待确认”即可。"
)


def read_directory(rows: list[list[Any]], book: str) -> Directory:
    """The directory in the rows of a 单位名录 sheet (values as calamine gives them).

    Raises `DirectoryError` naming the workbook, sheet and cell of the first contradiction.
    """
    header = [text(c) for c in (rows[0] if rows else ())]
    if "单位" not in header:
        raise DirectoryError(
            f"方案工作簿“{book}”的工作表“{SHEET}”第 1 行缺少“单位”列标题"
            f"（应为：{'、'.join(COLUMNS)}）。请恢复表头，或删除该工作表后重新导入。"
        )
    col = {name: header.index(name) for name in COLUMNS if name in header}
    entries = []
    for line, row in enumerate(rows[1:], start=2):

        def cell(name: str, row: list[Any] = row) -> str:
            i = col.get(name)
            return text(row[i]) if i is not None and i < len(row) else ""

        values = {name: cell(name) for name in COLUMNS}
        if not any(values.values()) or values["单位"] == HELP_LABEL:
            continue
        unit = normalise(values["单位"])
        entries.append(
            Entry(
                unit=unit,
                aliases=[a for a in split_units(values["别名"]) if a != unit],
                member_of=split_units(values["属于"]),
                contact=values["联系人"],
                phone=values["电话"],
                note=values["备注"],
                pending=PENDING in values["状态"],
                cells={name: f"{column_letter(i + 1)}{line}" for name, i in col.items()},
            )
        )
    try:
        return Directory(entries, sheet=SHEET)
    except DirectoryError as exc:
        raise DirectoryError(f"方案工作簿“{book}”{exc}") from None


def write_directory(wb: Workbook, directory: Directory) -> None:
    """Add the 单位名录 sheet to the openpyxl workbook `wb` (its place: after 方案)."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    if SHEET in wb.sheetnames:
        index = wb.sheetnames.index(SHEET)
        del wb[SHEET]
    else:
        index = 1
    ws = wb.create_sheet(SHEET, index)
    for c, name in enumerate(COLUMNS, start=1):
        put(ws, 1, c, name).font = Font(name="黑体", bold=True)
        ws.column_dimensions[column_letter(c)].width = WIDTHS[c - 1]
    pending = PatternFill("solid", fgColor="FFF2CC")
    wrap = Alignment(wrap_text=True, vertical="top")
    r = 1
    for r, e in enumerate(directory.entries, start=2):
        values = (
            e.unit,
            NAME_SEP.join(e.aliases),
            NAME_SEP.join(e.member_of),
            e.contact,
            e.phone,
            e.note,
            PENDING if e.pending else "",
        )
        for c, value in enumerate(values, start=1):
            cell = put(ws, r, c, value)
            cell.alignment = wrap
            if e.pending:
                cell.fill = pending
    put(ws, r + 2, 1, HELP_LABEL).font = Font(name="黑体")
    put(ws, r + 2, 2, HELP).alignment = wrap
    ws.merge_cells(start_row=r + 2, start_column=2, end_row=r + 2, end_column=len(COLUMNS))
    ws.row_dimensions[r + 2].height = 48
    check = DataValidation(type="list", formula1=f'"{PENDING},已确认"', allow_blank=True)
    check.add(f"G2:G{max(r, 2) + 200}")
    ws.add_data_validation(check)
    ws.freeze_panes = "B2"


def save_directory(path: str | Path, directory: Directory) -> None:
    """Replace the 单位名录 sheet of the plan workbook at `path` (atomically); other sheets are kept."""
    from openpyxl import load_workbook

    from toolkit.io.atomic import atomic_path
    from toolkit.io.cells import save_workbook

    wb = load_workbook(path)
    write_directory(wb, directory)
    with atomic_path(Path(path)) as tmp:
        save_workbook(wb, tmp)


def update_contacts(path: str | Path, contacts: dict[str, tuple[str, str]]) -> list[str]:
    """Write what units filled in as 填报人 / 联系电话 into the 单位名录 of the plan workbook at
    `path`; returns the units whose row changed."""
    from toolkit.io.planbook import read_plan
    from toolkit.model.errors import OutputError

    if Path(path).suffix.lower() != ".xlsx":  # a macro workbook (方案模板.xlsm) would lose its buttons
        raise OutputError(f"“{Path(path).name}”不是 .xlsx 方案工作簿，未自动改写，请在单位名录中手工更新")
    directory = read_plan(path).directory
    if directory is None:
        return []
    changed = [u for u, (who, phone) in contacts.items() if directory.set_contact(u, who, phone)]
    if changed:
        save_directory(path, directory)
    return changed
