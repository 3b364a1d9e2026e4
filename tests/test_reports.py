"""序时进度, 考核评分, 督办等级, and the documents (督查通报, 催报/督办通知) on the demo's real files:
every figure of the 通报 is checked against the summary workbook, read here independently."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import pytest
import render
from python_calamine import CalamineWorkbook

from toolkit.model import deadlines
from toolkit.model.schedule import Pace, expected_share, pace, push_rate
from toolkit.reports.bulletin import bulletin
from toolkit.reports.reminders import MESSAGES, remind
from toolkit.reports.scoring import RULES_SHEET, read_rules

START = date(2016, 1, 1)


def _pace(text: str, as_of: date, status: str = "推进中", progress: float | None = None, reported: bool = True) -> Pace:
    return pace(deadlines.parse(text, 2016), as_of, status=status, progress=progress, reported=reported, start=START)


# --- the 序时进度 rule: the worked examples of docs/schedule.md ---------------------------


def test_dated_item_against_the_even_share_of_its_time():
    nov = date(2016, 11, 30)  # 「2016年12月底前完成」: 335 of 366 days gone, expected 91.5 %
    assert round(expected_share(deadlines.parse("2016年12月底前完成", 2016), nov, START), 3) == 0.915
    assert _pace("2016年12月底前完成", nov, progress=0.5) == Pace.BEHIND
    assert _pace("2016年12月底前完成", nov, progress=0.85) == Pace.ON
    assert _pace("2016年12月底前完成", date(2016, 6, 30), progress=0.7) == Pace.AHEAD  # 49.7 % expected
    assert _pace("2016年12月底前完成", nov, status="已完成") == Pace.DONE
    assert _pace("2016年10月底前完成", nov, progress=0.9) == Pace.OVERDUE
    assert _pace("2016年10月底前完成", nov, reported=False, status="") == Pace.OVERDUE
    assert _pace("2016年12月底前完成", nov, reported=False, status="") == Pace.MISSING
    assert (
        _pace("2016年12月底前完成", date(2016, 1, 31), status="未启动") == Pace.ON
    )  # 8.5 % expected: within 10 points
    assert _pace("2016年12月底前完成", date(2016, 4, 30), status="未启动") == Pace.BEHIND


def test_multi_recurring_year_round_conditional():
    multi = deadlines.parse("2016年3月底前、2016年9月底前", 2016)  # two milestones, half each
    assert expected_share(multi, date(2016, 3, 31), START) == 0.5
    assert _pace("2016年3月底前、2016年9月底前", date(2016, 4, 1), progress=0.2) == Pace.BEHIND
    assert _pace("全年工作", date(2016, 12, 31), status="持续推进") == Pace.ON
    assert _pace("全年工作", date(2016, 11, 30), progress=0.5) == Pace.BEHIND
    assert _pace("每月25日前", date(2016, 11, 30), status="未启动") == Pace.BEHIND
    assert _pace("流行季节（4-10月）每月", date(2016, 11, 30), status="未启动") == Pace.WAITING
    assert _pace("流行季节（4-10月）每月", date(2016, 5, 31), status="持续推进") == Pace.ON
    assert _pace("待省文件出台后", date(2016, 11, 30), status="未启动") == Pace.WAITING
    assert _pace("待省文件出台后", date(2016, 11, 30), status="推进中") == Pace.ON
    assert _pace("长期推进", date(2016, 11, 30), status="未启动") == Pace.BEHIND
    assert push_rate([Pace.DONE, Pace.ON, Pace.BEHIND, Pace.WAITING, Pace.MISSING]) == round(2 / 3, 4)


# --- the demo's files ----------------------------------------------------------------------


def _sheet(path: Path, name: str) -> list[dict]:
    wb = CalamineWorkbook.from_path(str(path))
    rows = wb.get_sheet_by_name(name).to_python()
    wb.close()
    if name == "总览":
        return [{"label": r[0], "value": r[1]} for r in rows[3:]]
    head = [str(h) for h in rows[2]]
    return [dict(zip(head, r)) for r in rows[3:] if any(v not in (None, "") for v in r)]


def _overview(path: Path) -> dict:
    return {r["label"]: r["value"] for r in _sheet(path, "总览")}


def _shown(rate: float) -> str:
    """A rate as Excel shows the 0.0% format."""
    return f"{(Decimal(repr(rate)) * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def _text(path: Path) -> str:
    d = docx.Document(str(path))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


def _n(value) -> int:
    return int(value or 0)


@pytest.mark.parametrize("name", ["汇总_2016年11月.xlsx", "市汇总_2016年12月.xlsx"])
def test_every_figure_of_the_bulletin_is_the_summarys(demo, tmp_path, name):
    summary = demo / name
    out = bulletin(summary, tmp_path / "通报.docx", number=11).path
    text = _text(out)
    o = _overview(summary)
    entries = _n(o["任务条目数（事项×单位）"])
    detail = _sheet(summary, "任务明细")
    units = _sheet(summary, "分单位统计")
    assert f"{len({r['编号'] for r in detail})} 项具体要求" in text
    assert f"{len({r['工作任务'] for r in detail})} 项工作任务" in text
    assert f"任务条目（事项×单位）{entries} 条" in text
    for label, word in (("应报单位数", "应报单位"), ("已报送单位数", "已报送"), ("未报送单位数", "未报送")):
        assert f"{word} {_n(o[label])} 个" in text, label
    on_time = sum(u["按时报送"] == "是" for u in units)
    if any(u["按时报送"] in ("是", "否") for u in units):
        assert f"按时报送 {on_time} 个" in text
    for label in ("已完成", "超序时", "达序时", "欠序时"):
        assert f"{label} {_n(o[label])} 条（占 {_shown(_n(o[label]) / entries)}）" in text, label
    assert f"逾期 {_n(o['逾期'])} 条，待触发 {_n(o['待触发'])} 条" in text
    assert f"未启动 {_n(o['未启动'])} 条" in text
    assert f"完成率 {_shown(o['完成率'])}，按序时推进率 {_shown(o['按序时推进率'])}" in text
    for u in units:  # lagging units named with their counts; praised units named
        bad = [
            f"逾期 {_n(u['逾期'])} 条" if _n(u["逾期"]) else "",
            f"欠序时 {_n(u['欠序时'])} 条" if _n(u["欠序时"]) else "",
        ]
        if any(bad):
            assert f"{u['单位']}（{'、'.join(b for b in bad if b)}）" in text
        elif u["报送情况"] == "已报送" and (_n(u["已完成"]) or _n(u["超序时"])):
            assert u["单位"] in text.split("二、工作成效")[1].split("三、存在问题")[0]
    for m in _sheet(summary, "未报送单位"):
        assert m["单位"] in text.split("三、存在问题")[1].split("四、")[0]
    top = re.search(r"考核评分排名前列的单位：(.+?)。", text)
    assert top
    named = re.findall(r"(?:^|、)(.+?)（([\d.]+)分", top.group(1))
    by_name = {u["单位"]: u for u in units}
    assert named and all(by_name[u]["得分"] == float(score) for u, score in named)
    ranks = sorted(u["排名"] for u in units)
    assert sorted(by_name[u]["排名"] for u, _ in named) == ranks[: len(named)]
    d = docx.Document(str(out))
    overdue_items = {r["编号"] for r in detail if r["序时进度"] == "逾期"}
    behind_items = {r["编号"] for r in detail if r["序时进度"] == "欠序时"}
    tables = d.tables
    assert len(tables) == bool(overdue_items) + bool(behind_items)
    got = [len(t.rows) - 1 for t in tables]
    assert got == [n for n in (len(overdue_items), len(behind_items)) if n]
    for t in tables:
        assert [c.text for c in t.rows[0].cells] == [
            "序号",
            "任务",
            "牵头单位",
            "配合单位",
            "完成时限",
            "推进情况",
            "进度评价",
        ]
    late = {(r["编号"], r["责任单位"]): _n(r["逾期天数"]) for r in _sheet(summary, "逾期事项")}
    if overdue_items:
        for (_, unit), days in late.items():
            assert f"{unit}：逾期{days}天" in text


def test_every_unit_that_did_not_report_has_its_notice(demo, tmp_path):
    summary = demo / "汇总_2016年11月.xlsx"
    result = remind(summary, tmp_path / "通知", contact="张三 83000000", issued=date(2016, 12, 5))
    missing = [m["单位"] for m in _sheet(summary, "未报送单位")]
    assert missing and len(result.chase) == len(missing)
    for unit in missing:
        path = tmp_path / "通知" / f"催报通知_{unit}_2016年11月.docx"
        text = _text(path)
        assert f"{unit}：" in text and "尚未报送2016年11月推进情况" in text and "张三 83000000" in text
    red = {}
    for r in _sheet(summary, "任务明细"):
        if r["序时进度"] in ("逾期", "欠序时"):
            red.setdefault(r["责任单位"], []).append(r)
    assert len(result.press) == len(red)
    for unit, rows in red.items():
        d = docx.Document(str(tmp_path / "通知" / f"督办通知_{unit}_2016年11月.docx"))
        listed = [[c.text for c in row.cells] for row in d.tables[0].rows[1:]]
        assert [row[1].split(" ")[0] for row in listed] == [r["编号"] for r in rows]
        assert all(row[5] in ("提醒", "警示", "督办") for row in listed)
    lines = (tmp_path / "通知" / MESSAGES).read_text("utf-8-sig").splitlines()
    assert len(lines) == len(missing) + len(red)
    to = {line.split("\t")[0]: line.split("\t")[1] for line in lines}
    contacts = {
        str(m["单位"]): f"{m['联系人']} {m['电话']}"
        for sheet in ("未报送单位", "分单位统计")
        for m in _sheet(summary, sheet)
        if m["联系人"]
    }
    assert set(missing) & set(contacts)  # the demo's 单位名录 has contacts for units that sent nothing
    for unit in [*missing, *red]:
        whom = f"{unit}（{contacts[unit]}）" if unit in contacts else unit
        assert whom in to and f"】{unit}：" in to[whom]


def test_levels_rise_with_the_periods_in_a_row(demo):
    """区保密局 sent nothing in November and December: 警示 in December, 提醒 in November."""
    nov = {m["单位"]: m for m in _sheet(demo / "汇总_2016年11月.xlsx", "未报送单位")}
    dec = {m["单位"]: m for m in _sheet(demo / "汇总_2016年12月.xlsx", "未报送单位")}
    unit = "区保密局"  # (区府办（区应急办） is 区府办 by the 单位名录, which reported)
    assert nov[unit]["催报等级"] == "提醒" and dec[unit]["连续未报送期数"] == 2 and dec[unit]["催报等级"] == "警示"
    text = _text(demo / "通知" / f"催报通知_{unit}_2016年12月.docx")
    assert "【警示·橙色】" in text and "已连续 2 期未报送" in text


def test_scores_follow_the_rules_and_rank_with_the_change(demo, tmp_path):
    units = {u["单位"]: u for u in _sheet(demo / "汇总_2016年11月.xlsx", "分单位统计")}
    assert units["区保密局"]["得分"] == 99.5  # missing report −0.5
    assert units["区房管局"]["得分"] == 95  # one overdue lead item −5
    assert units["区房管局"]["排名"] == max(u["排名"] for u in units.values())
    dec = {u["单位"]: u for u in _sheet(demo / "汇总_2016年12月.xlsx", "分单位统计")}
    assert dec["区房管局"]["排名"] == 1 and dec["区房管局"]["排名变化"] == f"↑{_n(units['区房管局']['排名']) - 1}"
    lines = _sheet(demo / "汇总_2016年11月.xlsx", "考核评分")
    assert {"单位": "区房管局", "规则": "牵头事项逾期", "编号": "12-1", "分值": -5.0}.items() <= lines[
        -1
    ].items() or any(
        r["单位"] == "区房管局" and r["规则"] == "牵头事项逾期" and r["编号"] == "12-1" and r["分值"] == -5
        for r in lines
    )
    # the clerk edits 考核规则 in the plan workbook
    from openpyxl import load_workbook

    wb = load_workbook(demo / "方案.xlsx")
    ws = wb[RULES_SHEET]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "牵头事项逾期":
            row[1].value = -3
    wb.save(tmp_path / "方案.xlsx")
    assert read_rules(tmp_path / "方案.xlsx")["牵头事项逾期"] == -3.0
    assert read_rules(demo / "方案.xlsx")["牵头事项逾期"] == -5.0


def test_year_round_work_is_listed_once_at_year_end_not_as_due_soon(demo):
    dec = demo / "汇总_2016年12月.xlsx"
    soon = _sheet(dec, "临期事项")
    assert all(r["剩余天数"] is not None for r in soon)
    detail = _sheet(dec, "任务明细")
    year_round = {
        r["编号"]
        for r in detail
        if r["完成时限"] and "全年" in str(r["完成时限"]) and r["完成状态"] != "已完成" and r["截止日期"]
    }
    listed = [r["编号"] for r in _sheet(dec, "全年工作")]
    assert len(listed) == len(set(listed)) == _n(_overview(dec)["年底到期的全年工作（项）"]) > 0
    assert not {r["编号"] for r in soon} & set(listed)
    assert set(listed) <= year_round
    assert not _sheet(demo / "汇总_2016年11月.xlsx", "全年工作")


@pytest.mark.skipif(not render.have_tools(), reason="needs LibreOffice and poppler")
def test_documents_render_a4_portrait_with_a_red_masthead(demo, tmp_path):
    pdf = render.to_pdf(demo / "通报.docx", tmp_path)
    pages = render.pdf_pages(pdf)
    assert pages and all(render.is_paper(p, "A4", landscape=False) for p in pages)
    png = render.page_png(pdf, tmp_path, 1, dpi=50)
    assert render.colour_share(png, (0xC0, 0, 0), tolerance=40) > 0.003  # 督查通报 and the red rule
    assert "督查通报" in render.pdf_text(pdf) and "一、总体情况" in render.pdf_text(pdf)
    notice = next((demo / "通知").glob("督办通知_*.docx"))
    npdf = render.to_pdf(notice, tmp_path)
    assert render.is_paper(render.pdf_pages(npdf)[0], "A4", landscape=False)
    assert "督办" in render.pdf_text(npdf)
    assert re.search(r"— ?1 ?—", render.pdf_text(npdf))
