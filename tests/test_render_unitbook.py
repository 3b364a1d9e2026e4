"""A distributed workbook as LibreOffice prints and recalculates it (what a person would see)."""

from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from render import (
    colour_share,
    is_paper,
    page_png,
    pdf_fonts,
    pdf_pages,
    pdf_text,
    recalc,
    to_pdf,
)
from unit_plans import LONG

from toolkit.io import schema as S
from toolkit.io.unitbook import CF_STYLES, write_unit_workbook
from toolkit.model import Deadline, Item, Plan


def dated(item_id: str, due: date, lead=("区编办",)) -> Item:
    text = f"{due.year}年{due.month}月{due.day}日前"
    return Item(item_id, "推进政务公开", LONG, list(lead), [], text, Deadline(text, "date", due))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """区编办's workbook with rows overdue, due within 14 days, done, and later (relative to today)."""
    tmp = tmp_path_factory.mktemp("render")
    today = date.today()
    plan = Plan(title="越秀区贯彻落实国务院办公厅2016年政务公开工作要点分工方案", year=2016, items=[
        dated("1-1", today - timedelta(days=10)),
        dated("1-2", today + timedelta(days=7)),
        dated("2-1", today - timedelta(days=40)),
        dated("3-1", today + timedelta(days=100)),
    ])
    carry = {"2-1": {S.STATUS: S.DONE, S.PROGRESS: 1.0, S.DONE_DATE: today - timedelta(days=45)}}
    period = f"{today.year}-{today.month:02d}"  # the current period: rows are judged on today
    path = write_unit_workbook(tmp / "区编办_台账.xlsx", plan, "区编办", period, carry=carry)
    return tmp, path, to_pdf(path, tmp)


def test_pages_are_a3_landscape_after_the_a4_guide(rendered):
    _, _, pdf = rendered
    pages = pdf_pages(pdf)
    assert len(pages) >= 2
    assert is_paper(pages[0], "A4", landscape=False)  # 填报说明
    assert all(is_paper(p, "A3", landscape=True) for p in pages[1:])  # 任务台账


def test_shipped_font_renders_the_chinese_text(rendered):
    _, _, pdf = rendered
    fonts = pdf_fonts(pdf)
    assert fonts and all("NotoSansSC" in f for f in fonts), fonts
    text = pdf_text(pdf)
    for words in ("任务落实情况台账", "填报说明", "完成状态", "存在问题及下一步措施", "第 2 页，共 2 页"):
        assert words in text.replace("\n", ""), words


def test_conditional_formatting_colours_render(rendered):
    tmp, _, pdf = rendered
    png = page_png(pdf, tmp, page=2, dpi=50)
    for key in ("overdue", "due_soon", "done"):
        rgb = tuple(int(CF_STYLES[key][0][i:i + 2], 16) for i in (0, 2, 4))
        assert colour_share(png, rgb, tolerance=6) > 0.002, key


def test_formulas_compute_after_recalculation(rendered):
    tmp, path, _ = rendered
    ws = load_workbook(recalc(path, tmp / "recalc"), data_only=True)[S.TABLE_SHEET]
    assert ws["H2"].value == "共4项，已完成1项，逾期1项"


def test_a4_option_prints_a4_landscape(tmp_path):
    plan = Plan(title="示例方案", items=[dated("1-1", date(2016, 12, 31))])
    path = write_unit_workbook(tmp_path / "a4.xlsx", plan, "区编办", "2016-11", paper="A4")
    pages = pdf_pages(to_pdf(path, tmp_path))
    assert all(is_paper(p, "A4", landscape=True) for p in pages[1:])


@pytest.mark.parametrize("period, overdue", [("2016-11", 1), ("2016-12", 1), ("2017-01", 2)])
def test_year_round_work_is_overdue_only_after_its_year_as_in_the_rollup(tmp_path, period, overdue):
    """持续推进 on 全年 work (due 12-31) turns overdue in the first period after the year, like
    the roll-up, which judges on min(today, last day of the period)."""
    year_round = Item("2-1", "推进政务公开", LONG, ["区编办"], [], "全年",
                      Deadline("全年", "year_round", date(2016, 12, 31)))
    plan = Plan(title="示例方案", year=2016, items=[dated("1-1", date(2016, 11, 20)), year_round])
    carry = {"2-1": {S.STATUS: "持续推进"}, "1-1": {S.STATUS: "推进中"}}
    path = write_unit_workbook(tmp_path / "台账.xlsx", plan, "区编办", period, carry=carry)
    ws = load_workbook(recalc(path, tmp_path / "recalc"), data_only=True)[S.TABLE_SHEET]
    assert ws["H2"].value == f"共2项，已完成0项，逾期{overdue}项"
