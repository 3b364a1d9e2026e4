"""A distributed workbook as LibreOffice prints and recalculates it (what a person would see)."""

from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from render import (
    cjk_text_sizes,
    colour_share,
    is_paper,
    page_png,
    pdf_fonts,
    pdf_pages,
    pdf_text,
    recalc,
    to_pdf,
    word_boxes,
)
from unit_plans import LONG

from toolkit.io import schema as S
from toolkit.io.unitbook import write_unit_workbook
from toolkit.io.unitbook_rules import CF_STYLES
from toolkit.io.unitbook_style import LOCKED_FILL
from toolkit.model import Deadline, Item, Plan


def dated(item_id: str, due: date, lead=("区编办",)) -> Item:
    text = f"{due.year}年{due.month}月{due.day}日前"
    return Item(item_id, "推进政务公开", LONG, list(lead), [], text, Deadline(text, "date", due))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """区编办's workbook with rows overdue, due within 14 days, done, and later (relative to today)."""
    tmp = tmp_path_factory.mktemp("render")
    today = date.today()
    plan = Plan(
        title="越秀区贯彻落实国务院办公厅2016年政务公开工作要点分工方案",
        year=2016,
        items=[
            dated("1-1", today - timedelta(days=10)),
            dated("1-2", today + timedelta(days=7)),
            dated("2-1", today - timedelta(days=40)),
            dated("3-1", today + timedelta(days=100)),
        ],
    )
    carry = {
        "2-1": {S.STATUS: S.DONE, S.PROGRESS: 1.0, S.DONE_DATE: today - timedelta(days=45)},
        "1-2": {S.PROGRESS_TEXT: PROGRESS_180},
    }
    period = f"{today.year}-{today.month:02d}"  # the current period: rows are judged on today
    path = write_unit_workbook(tmp / "区编办_台账.xlsx", plan, "区编办", period, carry=carry)
    return tmp, path, to_pdf(path, tmp)


# A normal 进展情况 of about 180 characters; its last line ends in 「以上为本期进展」.
PROGRESS_180 = (
    "已完成本级政府部门权责清单动态调整，共调整事项二十三项，其中取消五项、合并八项、下放十项，"
    "调整结果已于十一月十日在区政府门户网站“政府部门权责清单”栏目更新发布，并同步推送至市级平台。"
    "下一步将会同各部门对照上级最新目录开展全面梳理，建立季度核对机制，确保公开内容全面准确、及时更新，"
    "接受社会监督。存在的主要问题是部分部门调整材料报送不及时，已逐一电话督促，"
    "并将报送情况纳入年度绩效考评。以上为本期进展"
)
DPI = 60


def row_band(pdf, page: int, item_id: str) -> tuple[float, float]:
    """Top of `item_id`'s row and top of the next row (points), from the 编号 words in column A."""
    ids = sorted((y0, w) for w, x0, y0, _, _ in word_boxes(pdf, page) if x0 < 80 and w[:1].isdigit() and "-" in w)
    tops = [y for y, _ in ids]
    i = [w for _, w in ids].index(item_id)
    return tops[i], tops[i + 1] if i + 1 < len(tops) else 10_000


def test_a_long_progress_entry_is_shown_whole_within_its_row(rendered):
    _, _, pdf = rendered
    assert len(PROGRESS_180) >= 180
    top, next_top = row_band(pdf, 2, "1-2")
    tail = [(y0, y1) for w, _, y0, _, y1 in word_boxes(pdf, 2) if w.endswith("以上为本期进展")]
    assert tail, "the end of the entry is not printed"
    assert top < tail[0][0] and tail[0][1] <= next_top + 1  # inside its row, not over the next one


def test_overdue_rows_keep_the_grey_and_say_their_state_in_words(rendered):
    tmp, _, pdf = rendered
    text = pdf_text(pdf)
    today = date.today()
    assert f"{today - timedelta(days=10):%Y-%m-%d} 逾期" in text  # 1-1
    assert f"{today + timedelta(days=7):%Y-%m-%d} 临期" in text  # 1-2
    assert text.count("逾期") >= 2 and "临期" in text  # the guide's explanation and the rows
    png = page_png(pdf, tmp, page=2, dpi=DPI)
    from PIL import Image

    top, next_top = row_band(pdf, 2, "1-1")
    scale = DPI / 72
    words = word_boxes(pdf, 2)
    plan_right = min(x0 for w, x0, *_ in words if w == S.STATUS)  # the fill columns start here
    band = Image.open(png).crop((0, int(top * scale) + 2, int(plan_right * scale) - 2, int(next_top * scale) - 2))
    band_png = tmp / "overdue-band.png"
    band.save(band_png)
    grey = tuple(int(LOCKED_FILL[i : i + 2], 16) for i in (0, 2, 4))
    red = tuple(int(CF_STYLES["overdue"][0][i : i + 2], 16) for i in (0, 2, 4))
    assert colour_share(band_png, grey, tolerance=4) > 0.3  # the locked columns of the red row stay grey
    assert colour_share(band_png, red, tolerance=6) < 0.01


def test_stats_value_saved_matches_the_recalculated_formula(rendered):
    tmp, path, _ = rendered
    saved = load_workbook(path, data_only=True)[S.TABLE_SHEET]["H2"].value
    ws = load_workbook(recalc(path, tmp / "recalc-stats"), data_only=True)[S.TABLE_SHEET]
    assert saved == ws["H2"].value == "共4项，已完成1项，逾期1项"


@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_printed_text_stays_readable(tmp_path, paper):
    """Body text of 任务台账 measured on the rendered pages (11 pt in the workbook) is 8 pt or more:
    A3 fits all columns on one page wide, A4 prints two pages wide with 编号 and 工作任务 repeated."""
    today = date.today()
    items = [dated(f"1-{n}", today + timedelta(days=n)) for n in range(1, 4)]
    plan = Plan(title="越秀区贯彻落实国务院办公厅2016年政务公开工作要点分工方案", items=items)
    path = write_unit_workbook(
        tmp_path / f"{paper}.xlsx",
        plan,
        "区编办",
        "2016-11",
        paper=paper,
        carry={"1-1": {S.PROGRESS_TEXT: PROGRESS_180}},
    )
    pdf = to_pdf(path, tmp_path)
    pages = pdf_pages(pdf)
    assert len(pages) == (3 if paper == "A4" else 2)
    for page in range(2, len(pages) + 1):
        sizes = cjk_text_sizes(pdf, page)
        assert sizes and min(sizes) >= 8, (page, min(sizes))
    if paper == "A4":
        second = pdf_text(pdf).split("\f")[2]
        assert "进展情况" in second and "备注" in second and "推进政务公开" in second  # fill columns, task repeated
        title = f"{plan.title}——任务落实情况台账"
        assert title in second.replace(" ", "").replace("\n", "")  # page 2 has the whole title over the fill columns
        words = word_boxes(pdf, 3)
        left, top = next((x0, y0) for w, x0, y0, *_ in words if w == S.STATUS)
        repeated = [w for w, x0, y0, *_ in words if x0 < left and y0 < top]
        assert repeated and not any(w in title for w in repeated), repeated  # no piece of the title there


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
        rgb = tuple(int(CF_STYLES[key][0][i : i + 2], 16) for i in (0, 2, 4))
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
    year_round = Item(
        "2-1", "推进政务公开", LONG, ["区编办"], [], "全年", Deadline("全年", "year_round", date(2016, 12, 31))
    )
    plan = Plan(title="示例方案", year=2016, items=[dated("1-1", date(2016, 11, 20)), year_round])
    carry = {"2-1": {S.STATUS: "持续推进"}, "1-1": {S.STATUS: "推进中"}}
    path = write_unit_workbook(tmp_path / "台账.xlsx", plan, "区编办", period, carry=carry)
    ws = load_workbook(recalc(path, tmp_path / "recalc"), data_only=True)[S.TABLE_SHEET]
    assert ws["H2"].value == f"共2项，已完成0项，逾期{overdue}项"
