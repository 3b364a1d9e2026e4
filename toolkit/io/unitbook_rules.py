"""What the unit workbook checks and shows while staff type: data validation of the fill columns
and the row colours by 序时进度 (`toolkit.model.schedule`), as Excel formulas.

The colours follow `pace` and `light_of` on the status date (`status_date_formula`): the expected
share needs each row's basis, which Python computes for the period's last day and writes into
hidden, locked columns right of the table (`PACE_COLUMNS`); the formulas then take the status
date from TODAY(). docs/schedule.md says where Excel's judgement can differ from the roll-up's.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from toolkit.io import schema as S
from toolkit.io.unitbook_style import DATE_FORMAT
from toolkit.model.period import Period
from toolkit.model.plan import Deadline
from toolkit.model.schedule import AMBER, DUE_DAYS, GREEN, LIGHT_COLOURS, RED, ROUNDING, TOLERANCE, basis
from toolkit.model.vocabulary import DeadlineKind, Status

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

DATE_MIN, DATE_MAX = date(2000, 1, 1), date(2099, 12, 31)
DUE_SOON_DAYS = DUE_DAYS  # 临期 as the summary's default (--due-days)
# Hidden helper columns right of the table: how the row is judged (序时: expected share from 起 to 止
# after 已过 of 节点 milestones; 全年: the same over the year, never 临期; 启动: 未启动 is 欠序时;
# blank: no 序时进度 colour) — values, not formulas.
PACE_COLUMNS = ("判断", "起", "止", "已过", "节点")
SHARE_RULE, YEAR_RULE, START_RULE = "序时", "全年", "启动"
# Colour rules in the order Excel tries them (the first that holds wins), each with its lamp.
RULE_LIGHTS = {"done": GREEN, "overdue": RED, "behind": RED, "due_soon": AMBER, "ahead": GREEN}
CF_STYLES = {key: tuple(c.lstrip("#") for c in LIGHT_COLOURS[light]) for key, light in RULE_LIGHTS.items()}
# The state in words after the 截止日期 (a black-and-white printout cannot tell red from amber).
STATE_WORDS = {"overdue": "逾期", "behind": "欠序时", "due_soon": "临期", "ahead": "超序时"}


def status_date_formula(period: Period | None) -> str:
    """The day a row is judged on, as the roll-up does: today, but no later than the last day
    of the period (a November workbook filled on 3 December shows what was late in November)."""
    if not period:
        return "TODAY()"
    end = period.end
    return f"MIN(TODAY(),DATE({end.year},{end.month},{end.day}))"


def pace_values(
    deadline: Deadline, as_of: date, start: date
) -> tuple[str | None, date | None, date | None, int | None, int | None]:
    """The `PACE_COLUMNS` of a row: the basis `pace` judges `deadline` on for `as_of`."""
    found = basis(deadline, as_of, start)
    if found.rule == "share":
        rule = YEAR_RULE if deadline.kind == DeadlineKind.YEAR_ROUND else SHARE_RULE
        return rule, found.start, found.end, found.passed, found.milestones
    return (START_RULE if found.rule == "start" else None), None, None, None, None


def row_formulas(letter: dict[str, str], row: int, as_of: str) -> dict[str, str]:
    """The colour rules of `RULE_LIGHTS` for sheet row `row`, judged on the day `as_of` (an
    expression): what `pace` and `light_of` say, written as Excel formulas."""
    due, status, progress = (f"${letter[name]}{row}" for name in (S.DUE, S.STATUS, S.PROGRESS))
    rule, first, last, passed, count = (f"${letter[name]}{row}" for name in PACE_COLUMNS)
    open_ = f'{status}<>"{S.DONE}",{status}<>"{S.PAUSED}"'
    known = f'OR(ISNUMBER({progress}),{status}="{Status.NOT_STARTED}")'
    expected = f"({passed}+MIN(1,MAX(0,({as_of}-{first}+1)/({last}-{first}+1))))/{count}"
    gap = f"ROUND(N({progress})-{expected},{ROUNDING})"
    is_share = f'OR({rule}="{SHARE_RULE}",{rule}="{YEAR_RULE}")'  # IF, not AND: blank cells are never divided by
    return {
        "done": f'{status}="{S.DONE}"',
        "overdue": f'AND(ISNUMBER({due}),{due}<{as_of},{status}<>"{S.DONE}")',
        "behind": (
            f"AND({open_},IF({is_share},AND({known},{gap}<-{TOLERANCE}),"
            f'AND({rule}="{START_RULE}",{status}="{Status.NOT_STARTED}")))'
        ),
        "due_soon": (
            f'AND(ISNUMBER({due}),{due}>={as_of},{due}-{as_of}<={DUE_SOON_DAYS},{status}<>"{S.DONE}",'
            f'{rule}<>"{YEAR_RULE}")'  # 全年工作 is never 临期 (model.schedule.due_soon)
        ),
        "ahead": f"AND({open_},IF({is_share},AND({known},OR({gap}>={TOLERANCE},N({progress})>=1)),FALSE))",
    }


def add_conditional_formats(ws: Worksheet, letter: dict[str, str], last_row: int, as_of: str) -> None:
    """Colour the fill columns by `row_formulas` (the locked columns keep their grey) and write
    逾期 / 欠序时 / 临期 / 超序时 after the 截止日期, so the state survives a black-and-white printer."""
    from openpyxl.formatting.rule import FormulaRule, Rule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.styles.differential import DifferentialStyle
    from openpyxl.styles.numbers import NumberFormat

    row = S.FIRST_DATA_ROW
    fill_ref = f"{letter[S.FILL_COLUMNS[0]]}{row}:{letter[S.FILL_COLUMNS[-1]]}{last_row}"
    due_ref = f"{letter[S.DUE]}{row}:{letter[S.DUE]}{last_row}"
    formulas = row_formulas(letter, row, as_of)
    for key, formula in formulas.items():
        fill, colour = CF_STYLES[key]
        ws.conditional_formatting.add(
            fill_ref,
            FormulaRule(
                formula=[formula],
                stopIfTrue=True,
                fill=PatternFill(start_color=fill, end_color=fill, fill_type="solid"),
                font=Font(color=colour),
            ),
        )
    for n, (key, words) in enumerate(STATE_WORDS.items()):
        number_format = NumberFormat(numFmtId=200 + n, formatCode=f'{DATE_FORMAT}" {words}"')
        dxf = DifferentialStyle(numFmt=number_format, font=Font(bold=True, color=CF_STYLES[key][1]))
        ws.conditional_formatting.add(
            due_ref, Rule(type="expression", dxf=dxf, formula=[formulas[key]], stopIfTrue=True)
        )


def add_validations(ws: Worksheet, letter: dict[str, str], rows: str, filled_date: str) -> None:
    """Dropdown for 完成状态, 0–100 % for 完成进度, dates for 完成日期 and 填报日期."""
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
