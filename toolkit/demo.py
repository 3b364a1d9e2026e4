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
