"""The summary as the office prints it: the wide sheets 分单位统计 and 任务明细 print on several pages
across at ≥ 9 pt on A3 and ≥ 8 pt on A4 (one page across squeezed them to 6–7 pt on A3), the
pages of the same rows one after the other, the header row and the row's identifying columns on
every page; on screen the sheet keeps every column, frozen and filtered."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import render
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from toolkit.io import schema as S
from toolkit.io.summary import DETAIL_SHEET, FIRST_DATA_ROW, MIN_PRINTED, UNIT_COLUMN, print_layout
from toolkit.rollup import rollup
from toolkit.rollup.tables import DETAIL_COLUMNS, UNIT_COLUMNS

# sheet → (its columns, the header starting its first page across only, the identifying headers)
WIDE = {
    DETAIL_SHEET: (DETAIL_COLUMNS, "单位职责", (S.ID, "工作任务", "具体要求", UNIT_COLUMN)),
    "分单位统计": (UNIT_COLUMNS, "事项数", ("单位",)),
}


def summary_on(demo: Path, paper: str, out: Path) -> Path:
    """The demo's December summary (A3), or the same roll-up printed on `paper` (written in `out`)."""
    if paper == "A3":
        return demo / "汇总_2016年12月.xlsx"
    return rollup(
        demo / "收件" / "2016年12月",
        demo / "方案.xlsx",
        out / f"汇总_{paper}.xlsx",
        period="2016-12",
        history=out / f"{paper}.sqlite",
        unit="越秀区政务办",
        as_of=date(2016, 12, 31),
        paper=paper,
    ).output


@pytest.mark.skipif(not render.have_tools(), reason="LibreOffice/poppler not installed (.ci/run installs them)")
@pytest.mark.parametrize("paper", ["A3", "A4"])
def test_wide_sheets_print_readably_with_their_identity_on_every_page(demo, paper, tmp_path):
    """Each band of rows prints on `pages_across` pages one after the other, each page with the
    header row, the identifying columns and the same rows, every Chinese word at ≥ MIN_PRINTED pt."""
    path = summary_on(demo, paper, tmp_path)
    pdf = render.to_pdf(path, tmp_path)
    sizes = render.pdf_pages(pdf)
    assert all(render.is_paper(s, paper, landscape=True) for s in sizes)
    texts = render.pdf_text(pdf).split("\f")
    words = {p: {w for w, *_ in render.word_boxes(pdf, p)} for p in range(1, len(sizes) + 1)}
    book = CalamineWorkbook.from_path(str(path))
    for sheet, (columns, first_only, keys) in WIDE.items():
        across = print_layout(columns, paper).pages_across
        ids = {str(r[0]) for r in book.get_sheet_by_name(sheet).to_python()[FIRST_DATA_ROW:] if r[0]}
        firsts = [p for p, on in words.items() if first_only in on]
        assert across > 1 and firsts, sheet
        printed = set()
        for first in firsts:
            band = range(first, first + across)
            assert [first_only in words[p] for p in band] == [True] + [False] * (across - 1), (sheet, first)
            rows = [words[p] & ids for p in band]
            assert rows[0] and all(r == rows[0] for r in rows), (sheet, first)  # the same rows, side by side
            printed |= rows[0]
            for p in band:
                assert set(keys) <= words[p], (sheet, p)  # header row and identifying columns
                assert min(render.cjk_text_sizes(pdf, p)) >= MIN_PRINTED[paper] - 0.05, (sheet, p)
                assert f"第 {p} 页，共 {len(sizes)} 页" in texts[p - 1]
        if sheet == DETAIL_SHEET:
            assert printed == ids  # every row printed (an 编号 is one word)


def test_on_screen_every_column_stays_frozen_and_filtered(demo):
    """Only the print changes: the sheet keeps all its columns, filter and frozen header; the
    clerk's tracing columns (报送文件, 上级编号) stay on screen, out of the print."""
    wb = load_workbook(demo / "汇总_2016年12月.xlsx")
    ws = wb[DETAIL_SHEET]
    last = ws.max_column
    assert [ws.cell(FIRST_DATA_ROW, c).value for c in range(1, last + 1)] == [c.header for c in DETAIL_COLUMNS]
    assert ws.freeze_panes == f"A{FIRST_DATA_ROW + 1}"
    assert ws.auto_filter.ref == f"A{FIRST_DATA_ROW}:{ws.cell(1, last).column_letter}{ws.max_row}"
    assert (ws.print_title_rows, ws.print_title_cols) == (f"${FIRST_DATA_ROW}:${FIRST_DATA_ROW}", "$A:$D")
    assert ws.print_area == f"'{DETAIL_SHEET}'!$A$1:$S${ws.max_row}"  # 报送文件 and 上级编号 (T, U) left out
    assert (ws.page_setup.fitToWidth, ws.page_setup.pageOrder) == (2, "overThenDown")
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    narrow = wb["本月变化"]  # fits one page across: printed as before
    assert narrow.page_setup.fitToWidth in (1, None) and narrow.print_title_cols is None
    assert narrow.merged_cells.ranges
