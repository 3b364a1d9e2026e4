"""The add-in's four entry points on the active workbook, without Excel.

`toolkit.xl.run` reads the active workbook into an `ActiveBook` (sheet values as xlwings
gives them) and passes an `Ask` (Excel's folder picker and input box); everything else is
here, on plain values, so it is tested on Linux. Settings are optional rows of the plan
workbook's 方案信息 sheet (column A the label, column B the value, see CONFIG); a missing
folder is asked for with a dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from toolkit.actions import (
    RESULT_COLUMNS,
    RESULTS_SHEET,
    Outcome,
    bulletin_draft,
    distribute_plan,
    gantt_chart,
    reminder_notices,
    report_rows,
    rollup_folder,
)
from toolkit.model.errors import PeriodError, SettingsError, UsageError
from toolkit.xl import convert

PLAN_SHEET, INFO_SHEET = "方案", "方案信息"  # toolkit.io.planbook's names (not imported: it is heavier)


@dataclass(frozen=True)
class Entry:
    key: str  # `fengong xl KEY`; the ribbon button's tag (macros/customUI14.xml)
    label: str  # the ribbon label, used in messages


ENTRIES = (
    Entry("check", "校验本表"),
    Entry("rollup", "汇总文件夹"),
    Entry("gantt", "生成甘特图"),
    Entry("distribute", "分发台账"),
)
# Entry points on a summary workbook: the ribbon's second group (月度文稿).
SUMMARY_ENTRIES = (
    Entry("report", "生成督查通报"),
    Entry("remind", "生成催报通知"),
)
ENTRY_KEYS = tuple(e.key for e in ENTRIES)

# Optional settings: label in column A of 方案信息 → how its column-B value is read.
CONFIG: dict[str, Callable[[Any], Any]] = {
    "报送期": convert.period,
    "报送文件夹": convert.text,
    "上期报送文件夹": convert.text,
    "报送截止日期": convert.day,
    "纸张": convert.paper,
    "联系方式": convert.text,
}


@dataclass
class ActiveBook:
    """The active workbook as the shim read it."""

    fullname: str  # as Excel says: a full path, a URL (OneDrive), or just 「工作簿1」 if never saved
    sheets: list[str]
    load: Callable[[str], Any]  # sheet name → xlwings values from A1 to the last used cell
    saved: bool = True  # False: there are changes not yet saved


class Ask(Protocol):
    def folder(self, title: str) -> str | None: ...
    def text(self, prompt: str, default: str) -> str | None: ...


def entry_for(key: str) -> Entry:
    for e in (*ENTRIES, *SUMMARY_ENTRIES):
        if e.key == key:
            return e
    keys = (*ENTRY_KEYS, *(e.key for e in SUMMARY_ENTRIES))
    raise UsageError(f"未知的操作“{key}”，可用：{'、'.join(keys)}。")


def run_entry(key: str, book: ActiveBook, ask: Ask) -> Outcome:
    """Run entry point `key` on `book`."""
    entry = entry_for(key)
    return RUNNERS[key](book, ask, entry)


class Config:
    """The optional setting rows of a plan workbook's 方案信息 sheet."""

    def __init__(self, book: ActiveBook, base: Path):
        self.rows = convert.grid(book.load(INFO_SHEET)) if INFO_SHEET in book.sheets else []
        self.base = base

    def get(self, label: str) -> Any:
        found = convert.labelled(self.rows, label)
        if found is None:
            return CONFIG[label](None)
        r, raw = found
        try:
            return CONFIG[label](raw)
        except (ValueError, PeriodError) as exc:
            raise SettingsError(f"{self.where(r, label)}：{exc}") from exc

    def folder(self, label: str) -> Path | None:
        """The folder named in setting `label` (relative: beside the plan); it must exist."""
        value = self.get(label)
        if not value:
            return None
        path = Path(value).expanduser()
        path = path if path.is_absolute() else self.base / path
        if not path.is_dir():
            found = convert.labelled(self.rows, label)
            r = found[0] if found else 0
            raise SettingsError(f"{self.where(r, label)}填写的文件夹“{path}”不存在。请改正，或删去这一行以便每次选择。")
        return path

    @staticmethod
    def where(r: int, label: str) -> str:
        return f"{INFO_SHEET}!B{r + 1}（{label}）"


def saved_path(book: ActiveBook, entry: Entry) -> Path:
    """The file behind the active workbook; errors for a cloud or never-saved workbook."""
    if "://" in book.fullname:
        raise UsageError(
            f"工作簿“{book.fullname}”在网盘/网页上打开，无法按文件处理。"
            f"请把它复制到本机文件夹（如 D:\\分工方案）后打开，再点“{entry.label}”。"
        )
    path = Path(book.fullname)
    if not path.is_absolute() or not path.is_file():
        raise UsageError(f"工作簿“{book.fullname}”还没有保存为文件。请先保存，再点“{entry.label}”。")
    return path


def plan_book(book: ActiveBook, entry: Entry) -> Path:
    path = saved_path(book, entry)
    if PLAN_SHEET not in book.sheets:
        raise UsageError(
            f"当前工作簿“{path.name}”不是方案工作簿（没有“{PLAN_SHEET}”工作表）。"
            f"请先打开方案工作簿（fengong 导入方案的结果），再点“{entry.label}”。"
        )
    return path


def _unsaved(book: ActiveBook, outcome: Outcome) -> Outcome:
    if not book.saved:
        outcome.text += "（按已保存的文件处理：未保存的修改不包括在内）"
    return outcome


def _check(book: ActiveBook, ask: Ask, entry: Entry) -> Outcome:
    """校验本表: the open unit workbook's values (unsaved edits included) through validate's checks."""
    from toolkit.io.returns import parse_return
    from toolkit.validate import Report, check_return

    path = Path(book.fullname)
    if PLAN_SHEET in book.sheets:
        raise UsageError(
            f"“{path.name}”是方案工作簿，不是单位台账。“{entry.label}”检查单位填报的任务台账："
            "请打开单位的台账后再点；方案工作簿可点“分发台账”“汇总文件夹”“生成甘特图”。"
        )
    ret = parse_return(path, book.sheets, lambda name: convert.grid(book.load(name)))
    report = Report(file=str(path), unit=ret.unit, period=ret.period, problems=check_return(ret))
    first = next((p for p in [*report.errors, *report.warnings] if p.cell), None)
    if report.problems:
        line = (
            f"校验完成：{len(report.errors)} 个错误，{len(report.warnings)} 个提醒"
            f"（明细见“{RESULTS_SHEET}”工作表{'，已选中第一处' if first else ''}）"
        )
    else:
        line = "校验完成：填报规范，可以报送。"
    return Outcome(
        line,
        table=[list(RESULT_COLUMNS), *report_rows(path.name, report)],
        select=f"{first.sheet}!{first.cell}" if first else None,
    )


def _rollup(book: ActiveBook, ask: Ask, entry: Entry) -> Outcome:
    """汇总文件夹: the returns in 报送文件夹 (setting, else a folder dialog) against the active plan."""
    plan = plan_book(book, entry)
    config = Config(book, plan.parent)
    inbox = config.folder("报送文件夹") or ask.folder("选择报送文件夹（各单位报回的台账）")
    if not inbox:
        return Outcome("已取消：没有选择报送文件夹。")
    inbox, period = Path(inbox), config.get("报送期")
    output = plan.parent / f"汇总_{period or inbox.name}.xlsx"
    return _unsaved(
        book,
        rollup_folder(
            inbox, plan, output, period=period or None, paper=config.get("纸张"), return_by=config.get("报送截止日期")
        ),
    )


def _gantt(book: ActiveBook, ask: Ask, entry: Entry) -> Outcome:
    """生成甘特图: a PDF beside the active workbook (plan, unit workbook or summary)."""
    source = saved_path(book, entry)
    paper = Config(book, source.parent).get("纸张")
    return _unsaved(book, gantt_chart(source, source.with_name(f"{source.stem}_甘特图.pdf"), paper))


def _distribute(book: ActiveBook, ask: Ask, entry: Entry) -> Outcome:
    """分发台账: one unit workbook per unit from the active plan, into 分发_<period> beside it."""
    plan = plan_book(book, entry)
    config = Config(book, plan.parent)
    period = config.get("报送期")
    if not period:
        today = date.today()
        typed = ask.text("请输入本次报送期次（年-月），如 2016-11：", f"{today.year}-{today.month:02d}")
        if typed is None:
            return Outcome("已取消：没有输入报送期次。")
        period = convert.period(typed)
        if not period:
            return Outcome("已取消：没有输入报送期次。")
    return _unsaved(
        book,
        distribute_plan(
            plan,
            plan.parent / f"分发_{period}",
            period,
            carry_from=config.folder("上期报送文件夹"),
            paper=config.get("纸张"),
            contact=config.get("联系方式"),
            return_by=config.get("报送截止日期"),
        ),
    )


def _report(book: ActiveBook, ask: Ask, entry: Entry) -> Outcome:
    """生成督查通报: 通报_<summary>.docx beside the active summary workbook."""
    source = saved_path(book, entry)
    return _unsaved(book, bulletin_draft(source, source.with_name(f"通报_{source.stem}.docx")))


def _remind(book: ActiveBook, ask: Ask, entry: Entry) -> Outcome:
    """生成催报通知: the notices into 通知_<summary> beside the active summary workbook."""
    source = saved_path(book, entry)
    return _unsaved(book, reminder_notices(source, source.with_name(f"通知_{source.stem}")))


RUNNERS: dict[str, Callable[[ActiveBook, Ask, Entry], Outcome]] = {
    "check": _check,
    "rollup": _rollup,
    "gantt": _gantt,
    "distribute": _distribute,
    "report": _report,
    "remind": _remind,
}
