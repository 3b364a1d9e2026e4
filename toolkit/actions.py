"""The main actions, one library call each, ending in a Chinese result line.

Shared by the window (`toolkit.gui`) and the Excel add-in (`toolkit.xl`), so both say the
same thing and neither repeats the other. Interface layer: the jobs are imported inside the
functions, so importing this module costs nothing at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.model.errors import ToolkitError, UsageError
from toolkit.model.period import Period

if TYPE_CHECKING:
    from toolkit.validate import Report

RESULTS_SHEET = "校验结果"
RESULT_COLUMNS = ("文件", "单位", "期次", "级别", "位置", "编号", "问题")


@dataclass
class Outcome:
    """What an action did: the result line, an optional table (header row first), the file or
    folder to open, and the cell to select first ("任务台账!F5")."""

    text: str
    table: list[list[str]] | None = None  # text only: the window shows it, the add-in writes it to cells
    open_path: Path | None = None
    select: str | None = None


def import_plan_file(source: str | Path, plan_out: str | Path, year: int | None = None) -> Outcome:
    from toolkit.importers import import_plan
    from toolkit.io.planbook import write_plan

    source = Path(source)
    plan = import_plan(source, year=year)
    out = write_plan(plan, plan_out)
    check = f"，{len(plan.problems)} 处待核实（见方案工作簿“导入问题”表）" if plan.problems else ""
    return Outcome(
        f"导入完成：{plan.title or source.name}，{len(plan.items)} 项要求，{len(plan.units)} 个责任单位{check} → {out}",
        open_path=out,
    )


def distribute_plan(
    plan_path: str | Path,
    outbox: str | Path,
    period: Period | str,
    *,
    carry_from: Path | None = None,
    paper: str = "A3",
    contact: str = "",
    return_by: date | None = None,
) -> Outcome:
    from toolkit.distribute import distribute
    from toolkit.io.planbook import read_plan

    result = distribute(
        read_plan(plan_path),
        outbox,
        period,
        carry_from=carry_from,
        paper=paper,
        contact=contact,
        return_by=return_by,
        plan_book=plan_path,
    )
    carried = sum(1 for f in result.files if f.carried)
    extra = f"，沿用上期填报 {carried} 个单位" if carried else ""
    notes = f"；{'；'.join(result.notes)}" if result.notes else ""
    return Outcome(
        f"分发完成：{len(result.files)} 个单位的台账{extra} → {result.outdir}{notes}", open_path=result.outdir
    )


def report_rows(name: str, report: Report) -> list[list[str]]:
    """The rows of RESULT_COLUMNS for one validate report (one 通过 row when nothing is wrong)."""
    period = report.period.label if report.period else ""  # a Period object cannot go into an Excel cell
    if not report.problems:
        return [[name, report.unit, period, "通过", "", "", "填报规范，可以汇总。"]]
    return [[name, report.unit, period, p.severity, p.where, p.item_id, p.message] for p in report.problems]


def validate_folder(inbox: str | Path, plan_path: str | Path, period: Period | str | None = None) -> Outcome:
    """Validate every workbook under `inbox`; one table row per problem of every file."""
    from toolkit.io.inbox import survey
    from toolkit.io.planbook import read_plan
    from toolkit.validate import validate

    inbox = Path(inbox)
    plan = read_plan(plan_path)
    inventory = survey(inbox)
    found, resave = inventory.found, inventory.resave
    if not found and not resave:
        raise UsageError(f"报送文件夹“{inbox}”中没有台账（.xlsx）。请把各单位报回的文件放进去后再校验。")
    table: list[list[str]] = [list(RESULT_COLUMNS)]
    bad = warned = 0
    for path in found:
        name = str(path.relative_to(inbox))
        try:
            report = validate(path, plan, period=period)
        except ToolkitError as exc:
            bad += 1
            table.append([name, "", "", "错误", "", "", str(exc)])
            continue
        bad += bool(report.errors)
        warned += bool(report.warnings and not report.errors)
        table += report_rows(name, report)
    for path in resave:
        bad += 1
        table.append(
            [
                str(path.relative_to(inbox)),
                "",
                "",
                "错误",
                "",
                "",
                "旧版 .xls/.et 等格式，请在 Excel/WPS 中打开后另存为 .xlsx。",
            ]
        )
    for skipped in inventory.skipped:  # every file accounted for, as in the roll-up
        bad += skipped.severity == "错误"
        warned += skipped.severity != "错误"
        where = skipped.path.relative_to(inbox) if skipped.path.is_relative_to(inbox) else skipped.path
        table.append([str(where), "", "", str(skipped.severity), "", "", skipped.reason])
    total = len(found) + len(resave) + len(inventory.skipped)
    return Outcome(
        f"校验完成：{total} 个文件，{bad} 个有错误，{warned} 个只有提醒，{total - bad - warned} 个通过", table=table
    )


def rollup_folder(
    inbox: str | Path,
    plan_path: str | Path,
    output: str | Path,
    *,
    period: Period | str | None = None,
    paper: str = "A3",
    return_by: date | None = None,
) -> Outcome:
    from toolkit.io.atomic import require_suffix
    from toolkit.rollup import rollup

    require_suffix(output, ".xlsx", "汇总表")
    result = rollup(inbox, plan_path, output, period=period, paper=paper, return_by=return_by)
    return Outcome(result.closing_line(), open_path=result.output)


def gantt_chart(source: str | Path, output: str | Path, paper: str = "A3") -> Outcome:
    from toolkit.charts.gantt import ChartOptions, chart

    result = chart(source, output, ChartOptions(paper=paper))
    return Outcome(
        f"甘特图完成：{result.rows} 行，{result.pages} 页（数据：{Path(source).name}）→ {result.path}",
        open_path=result.path,
    )


def bulletin_draft(summary: str | Path, output: str | Path, number: int | None = None) -> Outcome:
    """督查通报 (.docx) of a summary workbook."""
    from toolkit.reports.bulletin import bulletin

    result = bulletin(summary, output, number=number)
    return Outcome(result.line(), open_path=result.path)


def reminder_notices(summary: str | Path, folder: str | Path, contact: str = "") -> Outcome:
    """催报/督办通知 (.docx, one per unit) and the short messages of a summary workbook."""
    from toolkit.reports.reminders import remind

    result = remind(summary, folder, contact=contact)
    return Outcome(result.line(), open_path=result.folder)


def failure_line(exc: BaseException) -> str:
    """The line for an error: a ToolkitError's own message, anything else named as a fault."""
    if isinstance(exc, ToolkitError):
        return f"错误：{exc}"
    return f"程序内部错误（{type(exc).__name__}：{exc}）。请把所用文件发给维护人员。"
