"""Gantt charts: real PDFs (pages, embedded font, extractable Chinese text, no missing
glyphs), bad input, the three kinds of source, and the cell-drawn 甘特图 sheet."""

from __future__ import annotations

import subprocess
import warnings
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from toolkit.charts import pdf as gantt_pdf
from toolkit.charts.gantt import ChartOptions, chart, chart_plan
from toolkit.charts.layout import PAPERS, paginate, wrap
from toolkit.charts.timeline import STYLES, build_rows, group_rows, legend_styles
from toolkit.cli import main
from toolkit.model import Deadline, Item, Offset, Plan
from toolkit.model.errors import NothingToChartError, OutputError, ToolkitError, UsageError
from toolkit.model.reported import Reported
from toolkit.model.text import em_width

STATUS_DATE = date(2016, 11, 30)
TEXT = "根据各政府部门取消、合并、分拆权责清单情况，及时更新区政府网站内容，确保公开内容全面准确，于2016年12月31日前完成第3-2项整改"
UNITS = ["区编办", "区政务办", "区房管局", "区财政局（区国资局）"]


def deadline(kind: str, n: int) -> Deadline:
    if kind == "date":
        return Deadline("x", "date", date(2016, 1 + n % 12, 10 + n % 15))
    if kind == "year_round":
        return Deadline("全年", "year_round", date(2016, 12, 31))
    if kind == "recurring":
        return Deadline("每季度", "recurring", frequency="quarterly")
    if kind == "multi":
        dates = (date(2016, 6, 30), date(2016, 9, 30), date(2016, 12, 31))
        return Deadline("6月、9月、12月", "multi", dates[-1], dates)
    if kind == "conditional":
        return Deadline("视情况而定", "conditional", trigger="收到上级文件")
    if kind == "statutory":
        return Deadline("15个工作日内", "statutory", offset=Offset(15, True), trigger="收到申请之日起")
    return Deadline("长期坚持", "none")


KINDS = ("date", "date", "date", "year_round", "recurring", "multi", "conditional", "statutory", "none")


def make_plan(n: int, units=UNITS, kinds=KINDS, text=TEXT) -> Plan:
    items = [
        Item(
            id=f"{i // 5 + 1}-{i % 5 + 1}",
            task=f"第{i // 5 + 1}项任务：推进政务公开",
            requirement=text[: 20 + i % 60],
            lead_units=[units[i % len(units)]],
            deadline_text="x",
            deadline=deadline(kinds[i % len(kinds)], i),
        )
        for i in range(n)
    ]
    return Plan(
        title="关于印发越秀区2016年政务公开工作要点分工方案的通知", year=2016, issue_date=date(2016, 3, 6), items=items
    )


def make_statuses(plan: Plan) -> dict:
    cycle = [
        Reported("推进中", 0.6),
        Reported("已完成"),
        Reported("未启动"),
        Reported("持续推进"),
        Reported("暂缓"),
        None,
    ]
    out = {}
    for i, item in enumerate(plan.items):
        s = cycle[i % len(cycle)]
        if s:
            out[(item.id, item.lead_units[0])] = s
    return out


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_text(path: Path, page: int | None = None) -> str:
    args = ["pdftotext"] + (["-f", str(page), "-l", str(page)] if page else []) + [str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def draw(plan, statuses, path, **options) -> tuple:
    """Chart with every warning recorded; returns (result, warning messages)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = chart_plan(plan, statuses, path, ChartOptions(status_date=STATUS_DATE, **options))
    return result, [str(w.message) for w in caught]


# ---------------------------------------------------------------- the PDF itself


def test_pdf_pages_font_and_text(tmp_path):
    plan = make_plan(70)
    out = tmp_path / "chart.pdf"
    result, messages = draw(plan, make_statuses(plan), out)
    assert not [m for m in messages if "missing" in m], messages
    rows = build_rows(plan, make_statuses(plan), status_date=STATUS_DATE)
    assert result.pages == len(paginate(group_rows(rows, "unit"), 30)) == pdf_pages(out)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    noto = [line for line in fonts.splitlines() if "NotoSansSC" in line]
    assert noto and all(line.split()[-5] == "yes" for line in noto), fonts  # emb column
    first = pdf_text(out, 1)
    assert "越秀区2016年政务公开工作要点分工方案" in first
    assert "2016年11月" in first and "2016年1月" in first
    assert f"第1页/共{result.pages}页" in first
    assert "区编办（" in first and "编号" in first and "截止日期" in first
    assert "统计日期 2016年11月30日" in first
    last = pdf_text(out, result.pages)
    assert f"第{result.pages}页/共{result.pages}页" in last


def test_every_kind_of_deadline_is_labelled(tmp_path):
    plan = make_plan(9)
    statuses = {(i.id, i.lead_units[0]): Reported("推进中", 0.3) for i in plan.items}
    out = tmp_path / "kinds.pdf"
    draw(plan, statuses, out)
    text = pdf_text(out)
    assert "逾期" in text  # due dates before 2016-11-30, status 推进中
    assert "收到上级文件" in text  # conditional: the trigger text
    assert "收到申请之日起15个工作日内" in text  # statutory: trigger and offset
    assert "未定时限" in text
    assert "全年" in text and "每季度" in text and "30%" in text


def test_fast_pdf_text_is_used_on_311_and_falls_back_elsewhere(tmp_path, monkeypatch):
    """On matplotlib 3.11 no line goes through the public draw_text; on any other version
    every line does, and the PDF holds the same text."""
    import matplotlib
    from matplotlib.backends.backend_pdf import RendererPdf

    calls = []
    public = RendererPdf.draw_text
    monkeypatch.setattr(RendererPdf, "draw_text", lambda self, *a, **k: calls.append(1) or public(self, *a, **k))
    plan = make_plan(40)
    statuses = make_statuses(plan)
    fast = tmp_path / "fast.pdf"
    draw(plan, statuses, fast)
    assert matplotlib.__version__.startswith("3.11.") and not calls
    monkeypatch.setattr(matplotlib, "__version__", "3.12.0")
    slow = tmp_path / "slow.pdf"
    draw(plan, statuses, slow)
    assert len(calls) > 100
    assert "".join(pdf_text(fast).split()) == "".join(pdf_text(slow).split())


def test_missing_glyph_is_reported(tmp_path):
    """The guard above can fail: a character the font lacks produces the warning."""
    plan = make_plan(3, text="表情符号😀不在思源黑体中")
    _, messages = draw(plan, {}, tmp_path / "glyph.pdf")
    assert any("missing" in m for m in messages)


def test_a4_group_by_task_and_png(tmp_path):
    plan = make_plan(40)
    out = tmp_path / "a4.pdf"
    result, _ = draw(plan, make_statuses(plan), out, paper="A4", group="task", png=True)
    assert result.pages == pdf_pages(out) and len(result.pngs) == result.pages
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in result.pngs)
    text = pdf_text(out, 1)
    assert "任务1　第1项任务：推进政务公开" in text.replace(" ", "　") or "任务1" in text
    size = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert "841.68 x 595.44" in size or "842 x 595" in size  # A4 landscape, points


def test_the_pdf_and_its_pngs_appear_together_or_not_at_all(tmp_path, monkeypatch):
    """A page that fails to draw (page 2 of 3) leaves neither the PDF nor page 1's PNG, nor a temp file."""
    plan = make_plan(40)
    real = gantt_pdf.PageDrawer.draw_page

    def second_fails(self, page, number, total):
        if number == 2:
            raise OSError(28, "No space left on device")
        return real(self, page, number, total)

    monkeypatch.setattr(gantt_pdf.PageDrawer, "draw_page", second_fails)
    with pytest.raises(OutputError, match="磁盘空间不足"):
        draw(plan, make_statuses(plan), tmp_path / "甘特图.pdf", paper="A4", png=True)
    assert list(tmp_path.iterdir()) == []


def drawn_page(plan, statuses, paper="A3", status_date=STATUS_DATE, lo=date(2016, 1, 1), hi=date(2016, 12, 31)):
    """A PageDrawer with the first page of `plan` drawn (for looking at its geometry)."""
    rows = build_rows(plan, statuses, status_date=status_date)
    drawer = gantt_pdf.PageDrawer(PAPERS[paper], lo, hi, status_date, "标题", "副标题", legend_styles(rows))
    drawer.draw_page(paginate(group_rows(rows, "unit"), PAPERS[paper].rows)[0], 1, 1)
    return drawer


def test_labels_over_bars_stay_readable(tmp_path):
    """Trigger texts of open-ended bars and labels with no room right of their bar are drawn
    over the bar: each sits on a light backing, never straight on a dark progress fill."""
    import numpy as np
    from PIL import Image

    long_note = Deadline(
        "按预算法规定时限完成。全部市县的部门决算完成时限为2016年12月底前",
        "statutory",
        date(2016, 12, 31),
        note="全部市县的部门决算完成时限为2016年12月底前",
    )
    items = [
        Item(
            id="1-1",
            task="t",
            requirement="视情况而定的事项",
            lead_units=["区编办"],
            deadline=deadline("conditional", 0),
        ),
        Item(id="1-2", task="t", requirement="按法定时限的事项", lead_units=["区编办"], deadline=long_note),
    ]
    plan = Plan(title="测试", year=2016, issue_date=date(2016, 1, 1), items=items)
    statuses = {("1-1", "区编办"): Reported("推进中", 0.7), ("1-2", "区编办"): Reported("已完成")}
    drawer = drawn_page(plan, statuses)
    drawer.fig.set_dpi(100)
    png = tmp_path / "page.png"
    drawer.fig.savefig(png, dpi=100)
    grey = np.asarray(Image.open(png).convert("L"), dtype=float)
    height = grey.shape[0]
    size = drawer.labels.size
    assert len(drawer.labels.items) == 2
    for x, y, text, _, ha in drawer.labels.items:
        ((px, py),) = drawer.ax.transData.transform([(x, y)])
        width = drawer.advances.width(text) * size * 100 / 72
        x0 = px if ha == "left" else px - width
        box = grey[int(height - py - size * 0.5) : int(height - py + size * 0.5), int(x0) : int(x0 + width)]
        assert np.percentile(box, 60) > 200, (text, box.mean())  # mostly light around the glyphs


def pace_plan() -> tuple[Plan, dict]:
    """Items whose 序时进度 on 2016-11-30 is known from docs/schedule.md, and what was reported."""
    due = {"a": date(2016, 12, 31), "b": date(2016, 12, 31), "c": date(2016, 10, 31), "d": date(2016, 12, 31)}
    items = [
        Item(id=f"1-{i}", task="t", requirement=k, lead_units=["区编办"], deadline=Deadline("x", "date", d))
        for i, (k, d) in enumerate(due.items(), start=1)
    ]
    items.append(Item(id="1-5", task="t", requirement="e", lead_units=["区编办"], deadline=deadline("year_round", 0)))
    items.append(Item(id="1-6", task="t", requirement="f", lead_units=["区政务办"], deadline=deadline("date", 11)))
    statuses = {
        ("1-1", "区编办"): Reported("推进中", 0.5),  # expected 91.5 %: 欠序时
        ("1-2", "区编办"): Reported("推进中", 0.82),  # 达序时 (within 10 points), due in 31 days
        ("1-3", "区编办"): Reported("推进中", 0.5),  # past due: 逾期 30 days
        ("1-4", "区编办"): Reported("已完成"),
        ("1-5", "区编办"): Reported("持续推进"),
        ("1-6", "区政务办"): Reported(reported=False),  # due 2016-12-21: 未报送, not yet late
    }
    return Plan(title="序时", year=2016, issue_date=date(2016, 3, 6), items=items), statuses


def test_rows_are_judged_by_the_summarys_rule():
    """Each row carries the 序时进度 and 亮灯 of docs/schedule.md (临期 amber when due within the
    临期 days), its bar style follows them and its 状态 words say them; a plan alone has none."""
    plan, statuses = pace_plan()
    got = {
        r.item_id: (r.pace, r.light, r.style, r.state_label, r.pace_label)
        for r in build_rows(plan, statuses, status_date=STATUS_DATE, due_days=31)
    }
    assert got == {
        "1-1": ("欠序时", "红灯", "behind", "推进中", "欠序时·红灯"),
        "1-2": ("达序时", "黄灯", "soon", "推进中", "达序时·黄灯"),
        "1-3": ("逾期", "红灯", "overdue", "推进中", "逾期30天·红灯"),
        "1-4": ("已完成", "绿灯", "done", "已完成", "绿灯"),
        "1-5": ("达序时", "", "on", "持续推进", "达序时"),
        "1-6": ("未报送", "", "missing", "未报送", ""),
    }
    assert build_rows(plan, statuses, status_date=STATUS_DATE)[1].style == "on"  # 31 days: not 临期 by default
    alone = build_rows(plan, None, status_date=STATUS_DATE)
    assert {(r.pace, r.light, r.pace_label) for r in alone} == {(None, "", "")}
    assert [r.style for r in alone] == ["plan"] * 4 + ["year_round", "plan"]
    # bars start where the rule starts the plan's work, whatever the source knows of its issue date
    undated = build_rows(replace(plan, issue_date=None), statuses, status_date=STATUS_DATE)
    assert [r.start for r in alone] == [r.start for r in undated] == [date(2016, 1, 1)] * 6


def test_the_legend_lists_what_the_pages_draw(tmp_path):
    """The PDF's legend names the styles drawn, no others: 序时进度 with statuses, the plan's look alone."""
    plan, statuses = pace_plan()
    legend = ["-x", "0", "-y", str(int(8.27 * 72 - 0.55 * 72)), "-W", "900", "-H", "60"]  # A4: the strip under the rows
    for given, drawn in ((statuses, {"behind", "on", "overdue", "done", "missing"}), (None, {"plan", "year_round"})):
        out = tmp_path / "legend.pdf"
        chart_plan(plan, given, out, ChartOptions(paper="A4", status_date=STATUS_DATE))
        text = subprocess.run(["pdftotext", *legend, str(out), "-"], capture_output=True, text=True, check=True).stdout
        shown = {key for key, (label, *_) in STYLES.items() if label in text.replace(" ", "")}
        assert shown == drawn, text
        assert ("实心部分为完成进度" in text) == (given is not None)  # a plan alone has no progress


def test_the_sheets_legend_matches_its_bars(tmp_path):
    """The 甘特图 sheet's legend, above the table, has one swatch per style drawn, in the very fill
    (pattern and colours) of that style's bars, and says what the colours are judged by."""
    import xlsxwriter
    from openpyxl import load_workbook

    from toolkit.charts.sheet import LEGEND_NOTE, PLAN_NOTE, write_gantt_sheet

    plan, statuses = pace_plan()
    for given, note in ((statuses, LEGEND_NOTE), (None, PLAN_NOTE)):
        path = tmp_path / "甘特图.xlsx"
        wb = xlsxwriter.Workbook(path)
        write_gantt_sheet(wb, plan, given, status_date=STATUS_DATE, due_days=31)
        wb.close()
        ws = load_workbook(path)["甘特图"]
        top = next(r for r in range(1, 10) if ws.cell(r, 1).value == "编号")
        assert ws.cell(3, 1).value == note
        by_label = {STYLES[k][0]: k for k in STYLES}
        legend = {}
        for r in range(3, top):
            for c in range(7, ws.max_column):
                if ws.cell(r, c + 1).value in by_label:
                    legend[by_label[ws.cell(r, c + 1).value]] = ws.cell(r, c).fill
        rows = {r.item_id: r for r in build_rows(plan, given, status_date=STATUS_DATE, due_days=31)}
        bars = {}
        for r in range(top + 1, ws.max_row + 1):
            row = rows.get(ws.cell(r, 1).value)
            if row and row.due and row.kind == "date" and (row.progress or 0) < 0.9:  # the bar, not its progress
                bars[row.style] = ws.cell(r, 6 + row.due.month).fill
        assert legend.keys() == {r.style for r in rows.values()}
        assert bars.keys() == legend.keys() - {"done", "on", "year_round"}  # done: all progress; the rest: 全年
        for style, fill in bars.items():
            seen = (fill.patternType, fill.fgColor.rgb, fill.bgColor.rgb)
            assert seen == (legend[style].patternType, legend[style].fgColor.rgb, legend[style].bgColor.rgb), style


def test_status_date_label_stays_inside_the_chart(tmp_path):
    import re

    plan = make_plan(10)
    for day in (date(2016, 10, 10), date(2016, 10, 25), date(2016, 1, 5), date(2016, 12, 31)):
        out = tmp_path / f"{day}.pdf"
        chart_plan(plan, {}, out, ChartOptions(paper="A4", status_date=day, date_to=date(2016, 12, 31)))
        bbox = subprocess.run(["pdftotext", "-bbox", str(out), "-"], capture_output=True, text=True, check=True).stdout
        words = re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', bbox)
        i = next(i for i, (_, _, w) in enumerate(words) if w == "统计日期")
        left, text = float(words[i][0]), ""
        while text != f"{day.year}年{day.month}月{day.day}日":  # pdftotext may split the date
            i += 1
            text += words[i][2]
        right = float(words[i][1])
        assert left > 5.57 * 72 and right <= (11.69 - 0.4) * 72 + 0.5, (day, left, right)


def test_bars_running_past_the_range_get_an_edge_marker():
    plan = make_plan(3, kinds=("date",))  # due 01-10, 02-11 (from 01-01), 03-12 (from the issue date 03-06)
    drawer = drawn_page(plan, {}, hi=date(2016, 1, 31))  # one slot per group header, then the row
    ends = [tuple(p) for p in drawer.marks[">"].get_offsets()]
    assert ends == [(drawer.x1, 3.5), (drawer.x1, 5.5)]


def test_chart_leaves_the_callers_options_alone(tmp_path, monkeypatch):
    from toolkit.io import chartsource

    found = chartsource.ChartSource(make_plan(5), {}, "2016年11月", STATUS_DATE)
    monkeypatch.setattr(chartsource, "read_source", lambda path: found)
    options = ChartOptions(paper="A4")
    chart("汇总.xlsx", tmp_path / "a.pdf", options)
    assert options == ChartOptions(paper="A4")
    assert "报送期：2016年11月" in pdf_text(tmp_path / "a.pdf")


# ---------------------------------------------------------------- text and pages


def test_wrap_keeps_numbers_and_codes_whole():
    lines = wrap("请于2016年12月31日前完成第3-2项整改并公开http://www.yuexiu.gov.cn网址", 9, 10)
    joined = "".join(lines)
    assert joined == "请于2016年12月31日前完成第3-2项整改并公开http://www.yuexiu.gov.cn网址"
    for code in ("2016", "3-2"):
        assert any(code in line for line in lines)
    assert all(line[0] not in "，。、）" for line in wrap("甲乙丙丁戊己庚辛，壬癸、子丑寅卯辰巳。午未", 8, 10))


def test_wrap_truncates_with_ellipsis():
    lines = wrap(TEXT, 10, 2)
    assert len(lines) == 2 and lines[-1].endswith("…")


def test_pages_break_at_group_boundaries():
    plan = make_plan(60, units=[f"单位{i}" for i in range(7)])
    rows = build_rows(plan, {}, status_date=STATUS_DATE)
    pages = paginate(group_rows(rows, "unit"), 30)
    assert all(len(p) <= 30 for p in pages)
    assert sum(1 for p in pages for line in p if line.row) == len(rows)
    for page in pages:
        assert page[0].header  # every page starts with a (continued) group header
    counted = [line.header for p in pages for line in p if line.header and "续" not in line.header]
    assert len(counted) == 7


# ---------------------------------------------------------------- bad input


def test_no_dated_items_gives_a_readable_chart(tmp_path):
    plan = make_plan(5, kinds=("none",))
    out = tmp_path / "none.pdf"
    result, _ = draw(plan, {}, out)
    assert result.pages == 1 and "未定时限" in pdf_text(out)


def test_overview_chart_with_nothing_due_this_year(tmp_path):
    """A plan with no dated item in its year still gets its 总览 chart (it raised KeyError: 'unknown')."""
    import zipfile

    import xlsxwriter

    from toolkit.charts.sheet import overview_chart

    plan = make_plan(5, kinds=("none",))
    path = tmp_path / "汇总.xlsx"
    wb = xlsxwriter.Workbook(path)
    overview_chart(wb, wb.add_worksheet("总览"), plan, {}, status_date=STATUS_DATE, row=3, col=3)
    wb.close()
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/charts/chart1.xml").decode()
    assert "本年度没有带截止日期的事项" in xml and xml.count("<c:ser>") == 1 and "<c:legend>" not in xml


def test_empty_plan_is_a_clear_message(tmp_path):
    with pytest.raises(NothingToChartError, match="没有任何事项"):
        chart_plan(Plan(title="空方案"), {}, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_dates_outside_the_range(tmp_path):
    plan = make_plan(12)
    out = tmp_path / "range.pdf"
    draw(plan, make_statuses(plan), out, date_from=date(2016, 6, 1), date_to=date(2016, 8, 31))
    text = pdf_text(out)
    assert "2016年6月" in text and "2016年9月" not in text.split("第1页")[0].split("统计日期")[0]
    assert "截止2016-0" in text  # bars that ended before June: an edge marker and the date
    with pytest.raises(UsageError, match="晚于"):
        chart_plan(plan, {}, tmp_path / "bad.pdf", ChartOptions(date_from=date(2017, 1, 1), date_to=date(2016, 1, 31)))


def test_thousands_of_items(tmp_path):
    plan = make_plan(2000)
    out = tmp_path / "big.pdf"
    result, messages = draw(plan, make_statuses(plan), out)
    assert result.rows == 2000 and result.pages == pdf_pages(out) >= 2000 // 30
    assert f"第{result.pages}页/共{result.pages}页" in pdf_text(out, result.pages)
    assert not [m for m in messages if "missing" in m]


def test_very_long_unit_names(tmp_path):
    long_unit = "广州市越秀区城市管理和综合执法局（区城管委）" * 8
    plan = make_plan(6, units=[long_unit, "区编办"])
    out = tmp_path / "long.pdf"
    result, _ = draw(plan, {}, out, units=[long_unit])
    text = pdf_text(out)
    assert "（区城管委）…" in text and "区编办" not in text and result.pages == pdf_pages(out) == 1


def test_empty_group_is_drawn_not_dropped(tmp_path):
    plan = make_plan(4)
    rows = build_rows(plan, {}, status_date=STATUS_DATE, units=["区编办"])
    pages = paginate(group_rows(rows, "unit", units=["区信访局", "区编办"]), 30)
    drawer = gantt_pdf.PageDrawer(
        PAPERS["A3"], date(2016, 1, 1), date(2016, 12, 31), STATUS_DATE, "标题", "副标题", legend_styles(rows)
    )
    drawer.save(pages, tmp_path / "empty.pdf")
    text = pdf_text(tmp_path / "empty.pdf")
    assert "区信访局（0项）" in text and "没有事项" in text and "区编办（1项）" in text


def test_unknown_unit_and_bad_month_on_the_command_line(tmp_path, capsys):
    from toolkit.io.planbook import write_plan

    book = write_plan(make_plan(10), tmp_path / "方案.xlsx")
    assert main(["gantt", str(book), "-o", str(tmp_path / "a.pdf"), "--units", "不存在的单位"]) == 2
    assert "不在方案" in capsys.readouterr().err
    assert main(["gantt", str(book), "-o", str(tmp_path / "a.pdf"), "--from", "2016-13"]) == 2
    assert "无法识别的月份" in capsys.readouterr().err
    fake = tmp_path / "假的.xlsx"
    fake.write_bytes(b"%PDF-1.4 not a workbook")
    assert main(["gantt", str(fake), "-o", str(tmp_path / "b.pdf")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "Traceback" not in err


# ---------------------------------------------------------------- sources


def test_plan_workbook_on_the_command_line(tmp_path, capsys):
    from toolkit.io.planbook import write_plan

    book = write_plan(make_plan(30), tmp_path / "方案.xlsx")
    out = tmp_path / "图.pdf"
    assert (
        main(
            [
                "gantt",
                str(book),
                "-o",
                str(out),
                "--paper",
                "A4",
                "--status-date",
                "2016-11-30",
                "--from",
                "2016-01",
                "--to",
                "2016-12",
            ]
        )
        == 0
    )
    assert "页" in capsys.readouterr().out
    assert "2016年11月" in pdf_text(out, 1) or "11月" in pdf_text(out, 1)
    assert pdf_pages(out) >= 2


def test_unit_and_summary_workbooks_bring_their_status(tmp_path):
    from toolkit.distribute import distribute
    from toolkit.io.chartsource import read_source
    from toolkit.io.planbook import write_plan
    from toolkit.io.unitbook import fill_copy
    from toolkit.rollup import rollup

    plan = make_plan(20)
    book = write_plan(plan, tmp_path / "方案.xlsx")
    sent = distribute(plan, tmp_path / "outbox", "2016-11")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    unit_file = next(f for f in sent.files if f.unit == "区编办")
    ids = [i.id for i in plan.items_for("区编办")]
    filled = fill_copy(
        unit_file.path,
        inbox / unit_file.path.name,
        {
            ids[0]: {"完成状态": "推进中", "完成进度": 0.4},
            ids[1]: {"完成状态": "已完成", "完成进度": 1, "完成日期": date(2016, 5, 1)},
        },
        {"填报人": "张三", "联系电话": "1", "填报日期": date(2016, 11, 28)},
    )
    src = read_source(filled)
    assert src.statuses[(ids[0], "区编办")] == Reported("推进中", 0.4, None)
    assert src.status_date == date(2016, 11, 30) and src.period == "2016年11月"
    assert {i.id for i in src.plan.items} == set(ids)
    out = chart(filled, tmp_path / "unit.pdf")
    assert "40%" in pdf_text(out.path)

    summary = tmp_path / "汇总.xlsx"
    rollup(inbox, book, summary, period="2016-11", history=tmp_path / "h.sqlite")
    src = read_source(summary)
    assert src.statuses[(ids[1], "区编办")].status == "已完成"
    assert len(src.plan.items) == len(plan.items)
    out = chart(summary, tmp_path / "summary.pdf", ChartOptions(group="task"))
    text = pdf_text(out.path)
    assert "报送期：2016年11月" in text and "已完成" in text


def test_not_a_chart_source(tmp_path):
    import xlsxwriter

    other = tmp_path / "别的.xlsx"
    wb = xlsxwriter.Workbook(other)
    wb.add_worksheet("Sheet1").write(0, 0, "无关内容")
    wb.close()
    with pytest.raises(ToolkitError, match="不是方案工作簿"):
        chart(other, tmp_path / "x.pdf")


# ---------------------------------------------------------------- the 甘特图 sheet


def test_gantt_sheet_written_and_read_back(tmp_path):
    import xlsxwriter
    from openpyxl import load_workbook

    from toolkit.charts.sheet import MILESTONE, overview_png, write_gantt_sheet

    plan = make_plan(18)
    plan.items[0].requirement = TEXT  # longer than 3 lines of the 任务 column
    statuses = make_statuses(plan)
    path = tmp_path / "汇总.xlsx"
    wb = xlsxwriter.Workbook(path)
    overview = wb.add_worksheet("总览")
    png = overview_png(plan, statuses, status_date=STATUS_DATE, path=tmp_path / "总览.png")
    overview.insert_image(1, 1, str(png))
    write_gantt_sheet(wb, plan, statuses, status_date=STATUS_DATE)
    wb.close()
    assert png.read_bytes()[:4] == b"\x89PNG"

    ws = load_workbook(path)["甘特图"]
    top = next(r for r in range(1, 10) if ws.cell(r, 1).value == "编号")  # under the title, subtitle and legend
    header = [c.value for c in ws[top]]
    assert header[:6] == ["编号", "任务", "责任单位", "截止日期", "状态", "进度"]
    assert header[6] == "2016年1月" and header[6 + 10] == "11月" and len(header) == 6 + 12
    rows = {ws.cell(r, 1).value: r for r in range(top + 1, ws.max_row + 1) if ws.cell(r, 1).value}
    # item 1-1: a date deadline 2016-01-10 from the period start: January filled, February not
    r = rows["1-1"]
    assert ws.cell(r, 7).fill.patternType is not None and ws.cell(r, 8).fill.patternType is None
    # item 1-4 (year-round): every month filled
    r = rows["1-4"]
    assert all(ws.cell(r, c).fill.patternType for c in range(7, 19))
    # item 1-5 (quarterly): a milestone in March, June, September and December
    r = rows["1-5"]
    assert [ws.cell(r, 6 + m).value for m in (3, 6, 9, 12)] == [MILESTONE] * 4
    assert ws.cell(r, 6 + 4).value is None
    # rows as tall as their 任务 text (LibreOffice and Excel do not grow them), at most 3 lines with 「…」
    texts = {r: ws.cell(r, 2).value for r in rows.values() if ws.cell(r, 3).value}
    longest = max(texts, key=lambda r: len(texts[r]))
    assert texts[longest].endswith("…") and ws.row_dimensions[longest].height >= 3 * 13
    assert all(em_width(t) <= 3 * 17.5 for t in texts.values())  # 17.5 characters a line
    # an empty timeline cell is drawn by its row's format (not written): the same grid as its neighbours
    r = rows["1-1"]
    assert (
        ws.cell(r, 8).value is None
        and ws.row_dimensions[r].border.left.style == ws.cell(r, 5).border.left.style == "thin"
    )
    assert ws.print_area == f"'甘特图'!$A$1:$R${ws.max_row}"  # the row formats reach past the table: not printed
    assert ws.freeze_panes == f"G{top + 1}"
    assert ws.column_dimensions["G"].width < ws.column_dimensions["F"].width  # MONTH_WIDTH, not 进度's 6
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 8


def test_gantt_sheet_renders_in_libreoffice(tmp_path):
    import xlsxwriter
    from render import colour_share, is_paper, page_png, pdf_fonts, pdf_pages, to_pdf

    from toolkit.charts.sheet import write_gantt_sheet

    plan = make_plan(24)
    path = tmp_path / "甘特图.xlsx"
    wb = xlsxwriter.Workbook(path)
    write_gantt_sheet(wb, plan, make_statuses(plan), status_date=STATUS_DATE)
    wb.close()
    pdf = to_pdf(path, tmp_path)
    pages = pdf_pages(pdf)
    assert pages and all(is_paper(p, "A3", landscape=True) for p in pages)
    text = pdf_text(pdf)
    assert "进度甘特图" in text and "2016年1月" in text and "区编办（" in text
    assert any("NotoSansSC" in f for f in pdf_fonts(pdf))
    png = page_png(pdf, tmp_path, dpi=60)
    dark = STYLES["done"][2]
    assert colour_share(png, tuple(int(dark[i : i + 2], 16) for i in (1, 3, 5))) > 0.002  # done progress cells


def test_a_plan_text_as_source_says_to_import_it_first(tmp_path, capsys):
    from toolkit.cli import main

    source = tmp_path / "分工方案.txt"
    source.write_text("序号\t工作任务\t具体要求\t牵头单位\t完成时限\n", encoding="utf-8")
    assert main(["gantt", str(source), "-o", str(tmp_path / "图.pdf")]) == 2
    err = capsys.readouterr().err
    assert "fengong import" in err and "分工方案.txt" in err and "Traceback" not in err


def test_weekly_columns_say_month_and_day_on_lines_that_fit(tmp_path):
    """Ranges of up to 4 months get a column per week, headed 「10月」「10日」 on two lines, each
    narrower than the column (so LibreOffice and Excel never break 「10/10」 into 「10/1」「0」)."""
    import xlsxwriter
    from openpyxl import load_workbook

    from toolkit.charts.sheet import CJK_WIDTH, write_gantt_sheet

    path = tmp_path / "周.xlsx"
    wb = xlsxwriter.Workbook(path)
    write_gantt_sheet(
        wb, make_plan(9), None, status_date=STATUS_DATE, date_from=date(2016, 10, 1), date_to=date(2016, 12, 31)
    )
    wb.close()
    ws = load_workbook(path)["甘特图"]
    top = next(r for r in range(1, 10) if ws.cell(r, 1).value == "编号")
    heads = [ws.cell(top, c).value for c in range(7, ws.max_column + 1)]
    assert heads[0] == "9月\n26日" and "10月\n10日" in heads and heads[-1] == "12月\n26日"
    width = ws.column_dimensions["G"].width
    assert all(em_width(line) * CJK_WIDTH <= width for h in heads for line in h.split("\n"))
    assert width < ws.column_dimensions["F"].width  # WEEK_WIDTH, not the 进度 column's width (6)


def test_a_label_across_the_status_date_line_sits_on_a_backing():
    """「30% 逾期30天」 right of a bar due 10-31 runs across the 11-30 line: it gets a light backing
    drawn over the line, so the dashes do not strike through the text; a label clear of it gets none."""
    items = [
        Item(id=f"1-{n}", task="t", requirement="r", lead_units=["区编办"], deadline=Deadline("x", "date", due))
        for n, due in ((1, date(2016, 10, 31)), (2, date(2016, 6, 30)))
    ]
    plan = Plan(title="测试", year=2016, items=items)
    statuses = {("1-1", "区编办"): Reported("推进中", 0.3), ("1-2", "区编办"): Reported("推进中", 0.3)}
    drawer = drawn_page(plan, statuses)
    (backing,) = drawer.backings.get_paths()
    left, right = backing.vertices[:, 0].min(), backing.vertices[:, 0].max()
    assert left < STATUS_DATE.toordinal() < right
    assert {text for *_, text, _, _ in drawer.labels.items} == {"30% 逾期30天", "30% 逾期153天"}
    assert drawer.backings.get_zorder() > 7 and drawer.labels.get_zorder() > drawer.backings.get_zorder()
