"""`fengong demo`: run the monthly cycle on the bundled sample plan."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

SAMPLE = "越秀区2016年政务公开工作要点分工方案.txt"


def sample_path() -> Path:
    """The bundled sample plan (text extracted from an issued Word document)."""
    return Path(str(files("toolkit") / "samples" / SAMPLE))


def run_demo(outdir: str | Path):
    """Run each step into `outdir`, yielding one Chinese line per step."""
    from toolkit.importers import import_plan
    from toolkit.io.planbook import write_plan

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    plan = import_plan(sample_path())
    plan_path = write_plan(plan, outdir / "方案.xlsx")
    yield f"1. 导入示例方案：{len(plan.items)} 项要求，{len(plan.units)} 个责任单位 → {plan_path}"
    yield from _distribute_and_validate(plan, outdir)
    yield _chart(plan_path, outdir)


def _distribute_and_validate(plan, outdir: Path):
    """Distribute the unit workbooks, then validate one deliberately mis-filled copy."""
    from datetime import date

    from toolkit.distribute import distribute
    from toolkit.io.unitbook import fill_copy
    from toolkit.validate import validate

    sent = distribute(plan, outdir / "分发", "2016-12")
    yield f"2. 分发任务台账：{len(sent.files)} 个单位 → {sent.outdir}（清单：{sent.manifest.name}）"
    first = max(sent.files, key=lambda f: f.lead + f.co)
    ids = [i.id for i in plan.items_for(first.unit)]
    entries = {i: {"完成状态": "推进中", "完成进度": 0.5, "进展情况": "已部署，正在推进。"} for i in ids}
    entries[ids[0]] = {"完成状态": "完成了", "完成进度": "八成", "完成日期": "2016.12.31"}
    if len(ids) > 1:
        entries[ids[1]] = {"完成状态": "已完成", "完成进度": 150, "具体要求": "（被改写的方案内容）"}
    header = {"填报人": "张三", "联系电话": "83000000", "填报日期": date(2016, 12, 20)}
    bad = fill_copy(first.path, outdir / f"填错示例_{first.path.name}", entries, header)
    report = validate(bad, plan, period="2016-12", today=date(2016, 12, 20))
    yield f"3. 检查一份故意填错的台账（{first.unit}）：{len(report.errors)} 个错误，{len(report.warnings)} 个提醒"
    yield from (f"   {line.strip()}" for line in report.lines()[1:])


def _chart(source: Path, outdir: Path) -> str:
    """The Gantt chart to print for the meeting (of the plan until the demo has a roll-up)."""
    from datetime import date

    from toolkit.gantt import ChartOptions, chart

    result = chart(source, outdir / "甘特图.pdf", ChartOptions(status_date=date(2016, 12, 20)))
    return f"4. 绘制甘特图：{result.rows} 行，{result.pages} 页（A3）→ {result.path}"
