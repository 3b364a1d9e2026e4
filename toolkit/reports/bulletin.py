"""`fengong report`: the monthly 督查通报 drafted from a summary workbook (Word, 公文 style).

Masthead (督查通报 第N期, office, date, red rule), title 关于…1—N月推进落实情况的通报, lead-in,
一、总体情况 (counts and percentages as the summary shows them), 二、工作成效 (praised units),
三、存在问题 (lagging units, units that did not report, the bottom of the ranking),
四、下一步工作要求 (standard paragraphs the clerk edits), the office and date, and the appendix
tables of overdue and behind-schedule items. Every figure is read from the summary workbook
(toolkit.reports.source); docs/通报.md shows a rendered page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from toolkit.io.atomic import require_suffix
from toolkit.model.errors import OutputError, UsageError
from toolkit.model.schedule import Pace
from toolkit.reports import docx_out as D
from toolkit.reports.source import SummarySource, cell_text, cn_date, num, pct, read_source

TOP = 5  # units named at the top and the bottom of the ranking
APPENDIX_HEADERS = ["序号", "任务", "牵头单位", "配合单位", "完成时限", "推进情况", "进度评价"]
APPENDIX_WIDTHS = [560, 2000, 1000, 1000, 1100, 2184, 1000]  # twips, summing to the text width
PACE_FIGURES = (Pace.DONE, Pace.AHEAD, Pace.ON, Pace.BEHIND)


@dataclass
class BulletinResult:
    path: Path
    paragraphs: int
    overdue_items: int
    behind_items: int

    def line(self) -> str:
        return (
            f"督查通报草稿完成：附件列出逾期事项 {self.overdue_items} 项、欠序时事项 {self.behind_items} 项"
            f" → {self.path}"
        )


def months(period_month: int) -> str:
    """「1—11月」 of a period (「1月」 in January)."""
    return f"1—{period_month}月" if period_month > 1 else "1月"


def overall(src: SummarySource) -> list[str]:
    """The sentences of 一、总体情况, every figure from the summary."""
    detail = src.rows("任务明细")
    items = {str(r.get("编号")) for r in detail}
    tasks = {str(r.get("工作任务")) for r in detail}
    entries = src.count("任务条目数")
    units = src.rows("分单位统计")
    on_time = [u for u in units if u.get("按时报送") == "是"]
    late = [str(u["单位"]) for u in units if u.get("按时报送") == "否"]
    first = (
        f"本期方案共 {len(tasks)} 项工作任务、{len(items)} 项具体要求，分解到责任单位形成任务条目"
        f"（事项×单位）{entries} 条。应报单位 {src.count('应报单位数')} 个，已报送 {src.count('已报送单位数')} 个，"
        f"未报送 {src.count('未报送单位数')} 个"
    )
    if on_time or late:
        first += f"；按时报送 {len(on_time)} 个" + (f"，逾时报送 {len(late)} 个（{'、'.join(late)}）" if late else "")
    first += "。"
    shares = "，".join(
        f"{p.value} {src.count(p.value)} 条（占 {pct(src.count(p.value) / entries if entries else 0)}）"
        for p in PACE_FIGURES
    )
    second = (
        f"从序时进度看，{shares}，逾期 {src.count('逾期')} 条，待触发 {src.count('待触发')} 条；"
        f"其中未启动 {src.count('未启动')} 条，未报送单位涉及条目 {src.count('未报送')} 条。"
        f"完成率 {pct(src.rate('完成率'))}，按序时推进率 {pct(src.rate('按序时推进率'))}。"
    )
    year_end = src.count("年底到期的全年工作")
    third = f"另有 {year_end} 项全年工作年底到期，请各单位对照全年目标做好收尾。" if year_end else ""
    return [s for s in (first, second, third) if s]


def praised(src: SummarySource) -> list[str]:
    """Reported units with nothing 逾期 or 欠序时 and something 已完成 or 超序时, by rank."""
    rows = [
        u
        for u in _ranked(src)
        if u.get("报送情况") == "已报送"
        and not num(u.get("逾期"))
        and not num(u.get("欠序时"))
        and (num(u.get("已完成")) or num(u.get("超序时")))
    ]
    return [str(u["单位"]) for u in rows]


def lagging(src: SummarySource) -> list[tuple[str, int, int]]:
    """(unit, items 逾期, items 欠序时) of every unit with either, the most overdue first."""
    rows = [(str(u["单位"]), int(num(u.get("逾期"))), int(num(u.get("欠序时")))) for u in src.rows("分单位统计")]
    return sorted((r for r in rows if r[1] or r[2]), key=lambda r: (-r[1], -r[2]))


def _ranked(src: SummarySource) -> list[dict[str, object]]:
    units = src.rows("分单位统计")
    return sorted(units, key=lambda u: (num(u.get("排名")) or 1e9, str(u.get("单位"))))


def _score(u: dict[str, object]) -> str:
    change = str(u.get("排名变化") or "")
    extra = f"，{change}" if change and change not in ("—", "持平", "新") else ""
    return f"{u['单位']}（{cell_text(u.get('得分'))}分{extra}）"


def appendix_rows(src: SummarySource, pace: Pace) -> list[list[str]]:
    """One row per item with entries in state `pace`: its units and what the lagging units reported."""
    detail = src.rows("任务明细")
    days = {
        (str(r.get("编号")), str(r.get("责任单位")), str(r.get("下级单位") or "")): r.get("逾期天数")
        for r in src.rows("逾期事项")
    }
    by_item: dict[str, list[dict[str, object]]] = {}
    for r in detail:
        by_item.setdefault(str(r.get("编号")), []).append(r)
    out: list[list[str]] = []
    for item_id, rows in by_item.items():
        hit = [r for r in rows if r.get("序时进度") == pace]
        if not hit:
            continue
        lead = list(dict.fromkeys(str(r["责任单位"]) for r in rows if r.get("单位职责") == "牵头"))
        co = list(dict.fromkeys(str(r["责任单位"]) for r in rows if r.get("单位职责") != "牵头"))
        progress, verdict = [], []
        for r in hit:
            who = str(r["责任单位"]) + (f"（{r['下级单位']}）" if r.get("下级单位") else "")
            said = (
                "未报送"
                if r.get("状态判断") == "未报送"
                else (cell_text(r.get("进展情况")) or cell_text(r.get("完成状态")) or "未填写")
            )
            progress.append(f"{who}：{said}")
            late = days.get((item_id, str(r["责任单位"]), str(r.get("下级单位") or "")))
            verdict.append(
                f"{who}：逾期{cell_text(late)}天"
                if pace == Pace.OVERDUE and late is not None
                else f"{who}：{pace.value}"
            )
        task = f"{item_id} {cell_text(rows[0].get('工作任务'))}：{cell_text(rows[0].get('具体要求'))}"
        out.append(
            [
                str(len(out) + 1),
                task,
                "、".join(lead),
                "、".join(co),
                cell_text(rows[0].get("完成时限")),
                "\n".join(progress),
                "\n".join(verdict),
            ]
        )
    return out


def next_return(period_end: date) -> date:
    """The default return date of the next period: the 5th of the month after it ends."""
    y, m = (period_end.year + 1, 1) if period_end.month == 12 else (period_end.year, period_end.month + 1)
    return date(y, m, 5)


def body(
    src: SummarySource,
    number: int | None = None,
    office: str = "",
    issued: date | None = None,
    return_by: date | None = None,
) -> list[str]:
    """The document's paragraphs and tables (WordprocessingML)."""
    period, as_of = src.period, src.as_of
    office = office or f"{src.office}督查办"
    issued = issued or date.today()
    return_by = return_by or next_return(period.end)
    short = src.plan_title
    for cut in ("关于印发", "关于"):
        if cut in short:
            short = short.split(cut, 1)[1]
    short = short.removesuffix("的通知")
    p: list[str] = [
        D.para(D.run("督查通报", D.TITLE_FONT, 36, colour=D.RED), align="center", indent=False, line=900, before=200),
        D.para(D.run(f"第{number}期" if number else "第　期"), align="center", indent=False),
        D.para(
            D.run(office),
            D.run("\u3000" * 6),
            D.run(cn_date(issued)),
            align="center",
            indent=False,
            rule=D.RED,
            after=200,
        ),
        D.title(f"关于{short}{period.start.year}年{months(period.start.month)}推进落实情况的通报"),
        D.text("各有关单位：", indent=False),
        D.text(
            f"为推动《{src.plan_title}》各项任务落到实处，{src.office}按月对各责任单位推进落实情况进行跟踪督查。"
            f"根据各单位报送的{period.label}推进情况，对照各项任务完成时限和序时进度进行了汇总分析"
            f"（统计截至{cn_date(as_of)}），现将有关情况通报如下："
        ),
        D.heading("一、总体情况"),
        *(D.text(s) for s in overall(src)),
        D.heading("二、工作成效"),
    ]
    good = praised(src)
    ranked = [u for u in _ranked(src) if u.get("得分") not in (None, "")]
    p.append(
        D.text(
            f"{'、'.join(good)}等 {len(good)} 个单位所承担任务均已完成或按序时推进（含超序时推进），"
            "推进有力，予以通报表扬。"
            if good
            else "本期暂无所承担任务全部完成或超序时推进的单位。"
        )
    )
    if ranked:
        p.append(D.text(f"考核评分排名前列的单位：{'、'.join(_score(u) for u in ranked[:TOP])}。"))
    p.append(D.heading("三、存在问题"))
    lag = lagging(src)
    if lag:
        named = "、".join(
            f"{u}（" + "、".join(x for x in (f"逾期 {o} 条" if o else "", f"欠序时 {b} 条" if b else "") if x) + "）"
            for u, o, b in lag
        )
        p.append(
            D.text(
                f"{named}等 {len(lag)} 个单位存在逾期未完成或欠序时的任务，需加快推进。"
                "逾期事项、欠序时事项清单见附件1、附件2。"
            )
        )
    else:
        p.append(D.text("本期各单位均无逾期未完成或欠序时的任务。"))
    missing = [str(m["单位"]) for m in src.rows("未报送单位")]
    if missing:
        p.append(
            D.text(
                f"{'、'.join(missing)}等 {len(missing)} 个单位未按要求报送{period.label}推进情况，"
                "请于收到本通报后 2 个工作日内补报，并说明原因。"
            )
        )
    if len(ranked) > TOP:
        p.append(D.text(f"考核评分排名靠后的单位：{'、'.join(_score(u) for u in ranked[-TOP:])}。"))
    p += [
        D.heading("四、下一步工作要求"),
        D.para(
            D.run("一是压实工作责任。", bold=True),
            D.run(
                "各牵头单位要切实履行牵头职责，主动协调配合单位，"
                "对照任务清单和完成时限逐项推进；配合单位要积极配合，形成工作合力。"
            ),
        ),
        D.para(
            D.run("二是加快推进进度。", bold=True),
            D.run(
                "对逾期未完成和欠序时的任务，责任单位要认真分析原因，"
                "制定整改措施，明确完成时限，确保按期完成；确需调整时限的，须书面说明理由。"
            ),
        ),
        D.para(
            D.run("三是按时报送情况。", bold=True),
            D.run(
                f"请各单位于{cn_date(return_by)}前报送下一期推进落实情况，"
                "如实填写进展情况并提供佐证材料。对逾期未报、屡催不改的单位，将予以通报并纳入年度考核。"
            ),
        ),
        D.para(D.run(office), align="right", indent=False, before=560),
        D.para(D.run(cn_date(issued)), align="right", indent=False),
    ]
    for n, (pace, label) in enumerate(((Pace.OVERDUE, "逾期事项清单"), (Pace.BEHIND, "欠序时事项清单")), start=1):
        rows = appendix_rows(src, pace)
        p.append(D.para(D.run(f"附件{n}", D.HEITI), indent=False, page_break=True))
        p.append(
            D.para(D.run(f"{period.label}{label}", D.TITLE_FONT, 18), align="center", indent=False, line=600, after=200)
        )
        p.append(D.table(APPENDIX_HEADERS, rows, APPENDIX_WIDTHS) if rows else D.text("本期无。", indent=False))
    p.append(D.para(""))
    return p


def bulletin(
    summary: str | Path,
    output: str | Path,
    *,
    number: int | None = None,
    office: str = "",
    issued: date | None = None,
    return_by: date | None = None,
) -> BulletinResult:
    """Write the 督查通报 draft of a summary workbook to `output` (.docx)."""
    output = require_suffix(output, ".docx", "通报")
    if number is not None and number < 1:
        raise UsageError(f"期数“{number}”无效：督查通报的期数是从 1 起的整数，如 --no 12。")
    if not output.parent.is_dir():
        raise OutputError(f"输出文件夹不存在：{output.parent}。请先建立该文件夹，或换一个输出路径。")
    src = read_source(summary)
    parts = body(src, number, office, issued, return_by)
    D.write_docx(output, parts)
    return BulletinResult(
        output, len(parts), len(appendix_rows(src, Pace.OVERDUE)), len(appendix_rows(src, Pace.BEHIND))
    )
