"""The control workbook (控制台), without Excel: its layout, settings, actions and result lines.

Everything here works on plain values as xlwings reads them from the sheet (a 2-D list of
str / float / datetime / None), so it is tested on Linux; `toolkit.xl` only moves values
between Excel and these functions. `macros/build_workbook.py` lays the sheet out from the
same tables, so the workbook and the code cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

from toolkit.errors import SettingsError, ToolkitError, UsageError

SHEET = "控制台"
RESULTS_SHEET = "校验结果"
GRID = "A1:D40"  # the block the shim reads; every label below lives inside it
TITLE = "分工方案工作台（fengong）控制台"
HELP = ("先填写下面的“设置”，再点“分工台账”选项卡上的按钮（也可按 Alt+F8 运行 FgImportPlan、FgDistribute、"
        "FgValidate、FgRollup、FgGantt）。相对路径以本工作簿所在的文件夹为准；结果写在下方“操作”一栏的“结果”列。")
SETTINGS_HEADER = ("设置", "内容", "说明")
ACTIONS_HEADER = ("操作", "结果", "时间")
YES, NO = "是", "否"


@dataclass(frozen=True)
class Setting:
    label: str
    key: str
    default: Any = ""
    hint: str = ""
    name: str = ""  # workbook-level defined name (ASCII) for cells VBA reads


SETTINGS = (
    Setting("方案来源", "source", "", "印发的分工方案文件（.docx / .xlsx / .txt），“导入方案”读取它"),
    Setting("方案年度", "year", "", "可不填：默认从方案标题、文号或日期识别"),
    Setting("方案工作簿", "plan", "方案.xlsx", "“导入方案”的结果；分发、校验、汇总都以它为准"),
    Setting("报送期", "period", "", "本次报送期次，如 2016-11"),
    Setting("分发文件夹", "outbox", "分发", "“分发台账”把各单位台账写到这里"),
    Setting("上期报送文件夹", "carry_from", "", "可不填：填了则分发时沿用各单位上期的填报内容"),
    Setting("报送文件夹", "inbox", "报送", "各单位报回的台账放在这里（可含子文件夹）"),
    Setting("汇总工作簿", "summary", "汇总.xlsx", "“汇总”的结果"),
    Setting("报送截止日期", "return_by", "", "可不填：如 2016-12-05，用于判断是否按时报送"),
    Setting("甘特图文件", "chart", "甘特图.pdf", "“甘特图”输出的 PDF"),
    Setting("甘特图数据", "chart_source", "", "可不填：默认用汇总工作簿，还没有汇总时用方案工作簿"),
    Setting("纸张", "paper", "A3", "A3 或 A4（横向），用于台账、汇总表和甘特图"),
    Setting("联系方式", "contact", "", "写入台账填报说明，如“区政务办 张三 83000000”"),
    Setting("完成后打开", "open_after", YES, "是：完成后打开结果文件；否：不打开"),
    Setting("程序位置", "exe", r"fengong\fengong.exe", "fengong.exe 的位置（按钮调用它）", "FG_EXE"),
)


@dataclass(frozen=True)
class Action:
    key: str  # the ASCII word on the command line: fengong xl KEY
    label: str  # the Chinese name on the ribbon, the sheet and in messages
    macro: str  # the VBA Sub that runs it (macros/Fengong.bas)
    needs: tuple[str, ...]  # settings that must be filled in


ACTIONS = (
    Action("import", "导入方案", "FgImportPlan", ("source", "plan")),
    Action("distribute", "分发台账", "FgDistribute", ("plan", "period", "outbox")),
    Action("validate", "校验报送", "FgValidate", ("plan", "inbox")),
    Action("rollup", "汇总", "FgRollup", ("plan", "inbox", "summary")),
    Action("gantt", "甘特图", "FgGantt", ("chart",)),
)
ACTION_KEYS = tuple(a.key for a in ACTIONS)


def layout() -> list[tuple]:
    """The rows of the control sheet from A1 (what `macros/build_workbook.py` writes)."""
    rows: list[tuple] = [(TITLE,), (HELP,), (), SETTINGS_HEADER]
    rows += [(s.label, s.default, s.hint) for s in SETTINGS]
    rows += [(), ACTIONS_HEADER]
    rows += [(a.label, "", "") for a in ACTIONS]
    return rows


def cell(row: int, col: int) -> str:
    """0-based grid position → A1 name (columns A–Z are enough for this sheet)."""
    return f"{chr(ord('A') + col)}{row + 1}"


def where(row: int, label: str) -> str:
    """「控制台!B8（报送期）」: how a message names a setting's cell."""
    return f"{SHEET}!{cell(row, 1)}（{label}）"


def find_row(grid: list[list], label: str, header: tuple) -> int:
    """Row index of `label` in column A below the `header` row; SettingsError if absent."""
    start = next((r for r, row in enumerate(grid) if _first(row) == header[0]), None)
    if start is not None:
        for r in range(start + 1, len(grid)):
            if _first(grid[r]) == label:
                return r
    raise SettingsError(f"“{SHEET}”工作表的 A 列找不到“{label}”（应在“{header[0]}”一栏下面）。"
                        f"请不要改动 A 列的名称；如已改乱，请换用新的控制台工作簿。")


def _first(row) -> str:
    return str(row[0]).strip() if row and row[0] is not None else ""


@dataclass
class Settings:
    """The settings as read from the sheet: paths resolved against the workbook's folder."""

    base: Path
    values: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)  # key → 「控制台!B8（报送期）」

    def path(self, key: str) -> Path | None:
        text = self.values.get(key) or ""
        if not text:
            return None
        p = Path(text).expanduser()
        return p if p.is_absolute() else self.base / p

    def existing(self, key: str, what: str, hint: str) -> Path:
        """The path in setting `key`, which must exist; SettingsError naming the cell if not."""
        p = self.path(key)
        if p is None or not p.exists():
            raise SettingsError(f"{self.cells[key]}指向的{what}“{p}”不存在。{hint}")
        return p


def read_settings(grid: list[list], base: str | Path) -> Settings:
    """Parse every setting (values as xlwings gives them); SettingsError names the bad cell."""
    out = Settings(base=Path(base))
    for s in SETTINGS:
        r = find_row(grid, s.label, SETTINGS_HEADER)
        raw = grid[r][1] if len(grid[r]) > 1 else None
        out.cells[s.key] = where(r, s.label)
        parse = PARSERS.get(s.key, _text)
        try:
            out.values[s.key] = parse(raw)
        except ValueError as exc:
            raise SettingsError(f"{out.cells[s.key]}：{exc}") from exc
    return out


def check_needs(settings: Settings, action: Action) -> None:
    """SettingsError for the first setting `action` needs that is empty."""
    for key in action.needs:
        if settings.values.get(key) in ("", None):
            raise SettingsError(f"{settings.cells[key]}未填写，“{action.label}”需要它。请填写后再点“{action.label}”。")


def _text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (datetime, date)):
        return raw.strftime("%Y-%m-%d")
    return str(raw).strip()


def _year(raw) -> int | None:
    text = _text(raw)
    if not text:
        return None
    if not (text.isdigit() and 2000 <= int(text) <= 2100):
        raise ValueError(f"“{text}”不是年份，请写四位数字（如 2016），或留空。")
    return int(text)


def _period(raw) -> str:
    """Excel turns a typed 2016-11 into a date (2016-11-01): accept that too."""
    from toolkit.io.schema import parse_period

    if isinstance(raw, (datetime, date)):
        return f"{raw.year}-{raw.month:02d}"
    text = _text(raw)
    return parse_period(text) if text else ""


def _date(raw) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = _text(raw)
    if not text:
        return None
    try:
        return date.fromisoformat(text.replace("/", "-").replace(".", "-"))
    except ValueError:
        raise ValueError(f"日期“{text}”无法识别，请写成 2016-12-05 的形式，或留空。") from None


def _paper(raw) -> str:
    text = _text(raw).upper().replace("Ａ", "A").replace("３", "3").replace("４", "4") or "A3"
    if text not in ("A3", "A4"):
        raise ValueError(f"纸张“{text}”无法识别，请填写 A3 或 A4。")
    return text


def _yes_no(raw) -> bool:
    text = _text(raw)
    if raw is True or text in ("", YES, "TRUE", "True", "1"):
        return True
    if raw is False or text in (NO, "FALSE", "False", "0"):
        return False
    raise ValueError(f"“{text}”无法识别，请填写“{YES}”或“{NO}”。")


PARSERS: dict[str, Callable[[Any], Any]] = {
    "year": _year, "period": _period, "return_by": _date, "paper": _paper, "open_after": _yes_no,
}


@dataclass
class Outcome:
    """What an action did: the status line, an optional table for 校验结果, a file to open."""

    text: str
    table: list[list] | None = None
    open_path: Path | None = None


def action_for(key: str) -> Action:
    for a in ACTIONS:
        if a.key == key:
            return a
    raise UsageError(f"未知的操作“{key}”，可用：{'、'.join(ACTION_KEYS)}。")


def run_action(key: str, grid: list[list], base: str | Path) -> Outcome:
    """Read the settings in `grid`, check what `key` needs, make its library call."""
    action = action_for(key)
    settings = read_settings(grid, base)
    check_needs(settings, action)
    outcome = RUNNERS[key](settings)
    if not settings.values["open_after"]:
        outcome.open_path = None
    return outcome


def _import(s: Settings) -> Outcome:
    from toolkit.importers import import_plan
    from toolkit.io.planbook import write_plan

    source = s.existing("source", "方案文件", "请填写印发的分工方案文件（.docx/.xlsx/.txt）的位置。")
    plan = import_plan(source, year=s.values["year"])
    out = write_plan(plan, s.path("plan"))
    check = f"，{len(plan.problems)} 处待核实（见方案工作簿）" if plan.problems else ""
    return Outcome(f"导入完成：{plan.title or source.name}，{len(plan.items)} 项要求，"
                   f"{len(plan.units)} 个责任单位{check} → {out.name}", open_path=out)


def _plan_path(s: Settings) -> Path:
    return s.existing("plan", "方案工作簿", "请先点“导入方案”，或改正方案工作簿的位置。")


def _distribute(s: Settings) -> Outcome:
    from toolkit.distribute import distribute
    from toolkit.io.planbook import read_plan

    carry = s.existing("carry_from", "上期报送文件夹", "不沿用上期内容时请留空。") if s.values["carry_from"] else None
    result = distribute(read_plan(_plan_path(s)), s.path("outbox"), s.values["period"], carry_from=carry,
                        paper=s.values["paper"], contact=s.values["contact"], return_by=s.values["return_by"])
    carried = sum(1 for f in result.files if f.carried)
    extra = f"，沿用上期填报 {carried} 个单位" if carried else ""
    notes = f"；{'；'.join(result.notes)}" if result.notes else ""
    return Outcome(f"分发完成：{len(result.files)} 个单位的台账{extra} → {result.outdir}{notes}",
                   open_path=result.outdir)


RESULT_COLUMNS = ("文件", "单位", "期次", "级别", "位置", "编号", "问题")


def _validate(s: Settings) -> Outcome:
    from toolkit.io.inbox import find_files
    from toolkit.io.planbook import read_plan
    from toolkit.validate import validate

    inbox = s.existing("inbox", "报送文件夹", "请把各单位报回的台账放进这个文件夹。")
    plan = read_plan(_plan_path(s))
    found, resave = find_files(inbox)
    if not found and not resave:
        raise UsageError(f"报送文件夹“{inbox}”中没有台账（.xlsx）。请把各单位报回的文件放进去后再校验。")
    table: list[list] = [list(RESULT_COLUMNS)]
    bad = warned = 0
    for path in found:
        name = str(path.relative_to(inbox))
        try:
            report = validate(path, plan, period=s.values["period"] or None)
        except ToolkitError as exc:
            bad += 1
            table.append([name, "", "", "错误", "", "", str(exc)])
            continue
        bad += bool(report.errors)
        warned += bool(report.warnings and not report.errors)
        if not report.problems:
            table.append([name, report.unit, report.period, "通过", "", "", "填报规范，可以汇总。"])
        for p in report.problems:
            table.append([name, report.unit, report.period, p.severity, f"{p.sheet}!{p.cell}" if p.cell else p.sheet,
                          p.item_id, p.message])
    for path in resave:
        bad += 1
        table.append([str(path.relative_to(inbox)), "", "", "错误", "", "",
                      "旧版 .xls/.et 等格式，请在 Excel/WPS 中打开后另存为 .xlsx。"])
    total = len(found) + len(resave)
    line = (f"校验完成：{total} 个文件，{bad} 个有错误，{warned} 个只有提醒，{total - bad - warned} 个通过"
            f"（明细见“{RESULTS_SHEET}”工作表）")
    return Outcome(line, table=table)


def _rollup(s: Settings) -> Outcome:
    from toolkit.rollup import rollup

    inbox = s.existing("inbox", "报送文件夹", "请把各单位报回的台账放进这个文件夹。")
    result = rollup(inbox, _plan_path(s), s.path("summary"), period=s.values["period"] or None,
                    paper=s.values["paper"], return_by=s.values["return_by"])
    return Outcome(f"汇总完成：{result.files} 个文件，{len(result.reported)}/{result.units} 个单位已报送，"
                   f"{len(result.problems)} 个问题（错误 {result.errors}）→ {result.output.name}",
                   open_path=result.output)


def _gantt(s: Settings) -> Outcome:
    from toolkit.gantt import ChartOptions, chart

    if s.values["chart_source"]:
        source = s.existing("chart_source", "甘特图数据", "请填写方案工作簿、单位台账或汇总表，或留空。")
    else:
        summary = s.path("summary")
        source = summary if summary and summary.exists() else _plan_path(s)
    result = chart(source, s.path("chart"), ChartOptions(paper=s.values["paper"]))
    return Outcome(f"甘特图完成：{result.rows} 行，{result.pages} 页（数据：{source.name}）→ {result.path.name}",
                   open_path=result.path)


RUNNERS: dict[str, Callable[[Settings], Outcome]] = {
    "import": _import, "distribute": _distribute, "validate": _validate, "rollup": _rollup, "gantt": _gantt,
}


def stamp(now: datetime) -> str:
    return now.strftime("%Y-%m-%d %H:%M")


def failure_line(exc: BaseException) -> str:
    """The status line for an error: a ToolkitError's own message, anything else named as a fault."""
    if isinstance(exc, ToolkitError):
        return f"错误：{exc}"
    return (f"程序内部错误（{type(exc).__name__}：{exc}）。请把本工作簿和所用文件发给维护人员。")


def base_folder(fullname: str) -> Path:
    """The folder relative paths are resolved against: the control workbook's own folder."""
    if "://" in fullname:
        raise SettingsError(f"控制台工作簿“{fullname}”在网盘/网页上打开，无法确定所在文件夹。"
                            "请把它复制到本机文件夹（如 D:\\分工方案）后打开再操作。")
    return Path(fullname).parent
