"""`fengong demo`: run the monthly cycle on the bundled sample plan."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import replace
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.model import Plan
    from toolkit.rollup.job import RollupResult

SAMPLE = "越秀区2016年政务公开工作要点分工方案.txt"
FILLERS = ("张敏", "李伟", "王芳", "刘洋", "陈静", "杨帆", "黄磊")  # the simulated 填报人


def sample_path() -> Path:
    """The bundled sample plan (text extracted from an issued Word document)."""
    return Path(str(files("toolkit") / "samples" / SAMPLE))


def run_demo(outdir: str | Path) -> Iterator[str]:
    """Run each step into `outdir`, yielding one Chinese line per step."""
    from toolkit.importers import import_plan
    from toolkit.io.planbook import write_plan

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    plan = import_plan(sample_path())
    plan_path = write_plan(plan, outdir / "方案.xlsx")
    yield f"1. 导入示例方案：{len(plan.items)} 项要求，{len(plan.units)} 个责任单位 → {plan_path}"
    plan = _confirm_directory(plan_path)
    yield (
        f"   核对单位名录（模拟办公室确认导入时标“待确认”的合并和统称）：{len(plan.units)} 个单位，"
        f"区属各部门的事项分到各部门"
    )
    yield from _distribute_and_validate(plan, outdir)
    summary = yield from _rollup_cycle(plan, plan_path, outdir)
    yield _chart(summary, outdir)
    yield from _documents(summary, outdir)


def _confirm_directory(plan_path: Path) -> Plan:
    """What the clerk does in Excel: clear every 「待确认」 of the 单位名录, note some contacts."""
    from toolkit.io.directory import save_directory
    from toolkit.io.planbook import read_plan
    from toolkit.model.directory import Directory

    directory = read_plan(plan_path).directory
    entries = directory.entries if directory else []
    for e in entries:
        e.pending = False
    known = {"区编办": ("陈主任", "83001234"), "区信访局": ("周科长", "83005678"), "区保密局": ("吴科长", "83006789")}
    for e in entries:
        e.contact, e.phone = known.get(e.unit, (e.contact, e.phone))
    save_directory(plan_path, Directory(entries))
    return read_plan(plan_path)


def _distribute_and_validate(plan: Plan, outdir: Path) -> Iterator[str]:
    """Distribute the unit workbooks, then validate one deliberately mis-filled copy."""
    from datetime import date

    from toolkit.distribute import distribute
    from toolkit.io.unitbook import fill_copy
    from toolkit.validate import validate

    sent = distribute(plan, outdir / "分发", "2016-12")
    yield f"2. 分发任务台账：{len(sent.files)} 个单位 → {sent.outdir}（清单：{sent.manifest.name if sent.manifest else '无'}）"
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


def _simulated_fill(
    plan: Plan, unit: str, period_end: date, seed: int, done_more: bool
) -> dict[str, dict[str, object]]:
    """Plausible fill-ins of one unit: past-due items mostly done, the rest under way."""
    from datetime import timedelta

    values: dict[str, dict[str, object]] = {}
    for n, item in enumerate(plan.items_for(unit)):
        due = item.deadline.due
        k = (seed + n) % 5
        if item.deadline.kind in ("year_round", "recurring"):
            values[item.id] = {"完成状态": "持续推进", "进展情况": "已按要求常态化开展。"}
        elif due and due <= period_end and (k < 3 or done_more):
            values[item.id] = {
                "完成状态": "已完成",
                "完成进度": 1,
                "完成日期": min(due, period_end) - timedelta(days=k),
                "公开网址/佐证材料": f"http://www.yuexiu.gov.cn/zwgk/{item.id}",
                "进展情况": "已完成并公开。",
            }
        elif k == 4 and not done_more:
            values[item.id] = {"完成状态": "未启动"}
        else:
            values[item.id] = {
                "完成状态": "推进中",
                "完成进度": 0.3 + 0.2 * (k % 3) + (0.2 if done_more else 0),
                "进展情况": "已部署，正在推进。",
                "存在问题及下一步措施": "加强督办，按时完成。",
            }
    return values


def _rollup_cycle(plan: Plan, plan_path: Path, outdir: Path) -> Generator[str, None, Path]:
    """Two months of returns (some broken), rolled up with history, then one level up."""
    import shutil
    from datetime import date

    from toolkit.distribute import distribute
    from toolkit.io.planbook import write_plan
    from toolkit.io.unitbook import fill_copy
    from toolkit.model import Plan
    from toolkit.model.directory import Directory, Entry
    from toolkit.rollup import rollup

    summaries: dict[str, RollupResult] = {}
    for step, (period, end, filled_on) in enumerate(
        (("2016-11", date(2016, 11, 30), date(2016, 12, 2)), ("2016-12", date(2016, 12, 31), date(2017, 1, 3)))
    ):
        label = f"{end.year}年{end.month}月"
        inbox = outdir / "收件" / label
        sent = distribute(plan, outdir / "分发" / label, period)
        silent = {f.unit for f in sent.files[-2:]} if step == 0 else {sent.files[-1].unit}
        for n, f in enumerate(sent.files):
            if f.unit in silent:
                continue
            folder = inbox / ("邮件附件" if n % 3 == 0 else "")
            folder.mkdir(parents=True, exist_ok=True)
            fill_copy(
                f.path,
                folder / f.path.name,
                _simulated_fill(plan, f.unit, end, n, done_more=step == 1),
                {"填报人": FILLERS[n % len(FILLERS)], "联系电话": f"8300{n:04d}", "填报日期": filled_on},
            )
        if step == 0:
            first = sent.files[0]
            careless = _simulated_fill(plan, first.unit, end, 1, False)
            careless[next(iter(careless))] = {"完成状态": "完成了", "完成进度": "八成", "完成日期": "2016.11.30"}
            fill_copy(
                first.path, inbox / f"{first.path.stem}（修改后）.xlsx", careless, {"填报日期": date(2016, 12, 3)}
            )
            (inbox / f"{sent.files[1].path.stem}_损坏.xlsx").write_bytes(sent.files[1].path.read_bytes()[:3000])
            (inbox / f"~${sent.files[2].path.name}").write_bytes(b"")
            broken = ["一份损坏的文件", "一个单位报了两个版本", "一份状态和进度写成文字"]
        else:
            old = next((outdir / "收件" / "2016年11月").rglob(f"{sent.files[3].unit}_*.xlsx"))
            shutil.copy(old, inbox / f"{sent.files[3].unit}_重发上月.xlsx")
            broken = ["一个单位重发了上月的台账"]
        yield (
            f"{4 + step}. 模拟 {label} 填报：{len(sent.files) - len(silent)} 个单位报回（{'、'.join(broken)}），"
            f"{len(silent)} 个单位未报送 → {inbox}"
        )
        result = rollup(
            inbox,
            plan_path,
            outdir / f"汇总_{label}.xlsx",
            period=period,
            unit="越秀区政务办",
            as_of=end,
            return_by=date(end.year + end.month // 12, end.month % 12 + 1, 5),
        )
        summaries[period] = result
        changes = result.sheet_counts["本月变化"]
        yield (
            f"   汇总 {label}：{result.files} 个文件，{len(result.reported)}/{result.units} 个单位已报送，"
            f"完成率 {result.overview['完成率']:.1%}，逾期 {result.overview['逾期']} 项，"
            f"校验问题 {len(result.problems)} 个"
            + (f"，本月变化 {changes} 项" if step else "")
            + f" → {result.output.name}"
        )
    yield f"6. 历史库记录了 2016年11月、2016年12月两期（可用 fengong history 查看）→ {summaries['2016-12'].history}"
    # the city's 单位名录: the district summary says 越秀区政务办, the city plan says 越秀区
    districts = Directory(
        [
            Entry("越秀区", aliases=["越秀区政府", "越秀区政务办"], contact="林科长", phone="83109001"),
            Entry("海珠区", aliases=["海珠区政府", "海珠区政务办"], contact="何科长", phone="89109002"),
        ]
    )
    city = Plan(
        title="广州市2016年政务公开工作要点分工方案（演示）",
        issuer="广州市政务办",
        year=plan.year,
        items=[replace(i, lead_units=["越秀区"], co_units=["海珠区"], written=None) for i in plan.items],
        directory=districts,
    )
    city_plan = write_plan(city, outdir / "市方案.xlsx")
    city_inbox = outdir / "市收件"
    city_inbox.mkdir(exist_ok=True)
    shutil.copy(summaries["2016-12"].output, city_inbox / "越秀区_汇总_2016年12月.xlsx")
    top = rollup(
        city_inbox,
        city_plan,
        outdir / "市汇总_2016年12月.xlsx",
        unit="广州市",
        as_of=date(2016, 12, 31),
        history=outdir / "市历史.sqlite",
    )
    yield (
        f"7. 市级汇总（区汇总表作为下级报送）：{len(top.reported)}/{top.units} 个区已报送，"
        f"任务明细 {top.sheet_counts['任务明细']} 行（区内各单位保留为下级单位）→ {top.output.name}"
    )
    return summaries["2016-12"].output


def _chart(source: Path, outdir: Path) -> str:
    """The Gantt chart to print for the meeting (of the plan until the demo has a roll-up)."""
    from datetime import date

    from toolkit.charts.gantt import ChartOptions, chart

    result = chart(source, outdir / "甘特图.pdf", ChartOptions(status_date=date(2016, 12, 20)))
    return f"8. 绘制甘特图：{result.rows} 行，{result.pages} 页（A3）→ {result.path}"


def _documents(source: Path, outdir: Path) -> Iterator[str]:
    """The 督查通报 and the 催报/督办 notices of the last district summary."""
    from datetime import date

    from toolkit.reports.bulletin import bulletin
    from toolkit.reports.reminders import remind

    issued = date(2017, 1, 6)
    report = bulletin(source, outdir / "通报.docx", number=12, issued=issued)
    yield f"9. {report.line()}"
    notices = remind(source, outdir / "通知", contact="区政务办 张三 83000000", issued=issued)
    yield f"10. {notices.line()}"
