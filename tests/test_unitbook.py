"""The unit workbook as written: sheets, headers, protection, validation, formatting, print setup."""

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from unit_plans import as_version_1, distribute_one, rows_by_id

import toolkit
from toolkit.io import schema as S
from toolkit.io.returns import read_return
from toolkit.io.unitbook_rules import PACE_COLUMNS
from toolkit.io.unitbook_style import LINE_POINTS, row_height
from toolkit.model.schedule import DUE_DAYS


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = distribute_one(tmp_path_factory.mktemp("ub"))
    return path, load_workbook(path)


def test_sheets_and_hidden_metadata(book):
    path, wb = book
    assert wb.sheetnames == [S.GUIDE_SHEET, S.TABLE_SHEET, S.META_SHEET, S.ITEMS_SHEET]
    assert wb[S.META_SHEET].sheet_state == wb[S.ITEMS_SHEET].sheet_state == "veryHidden"
    assert wb[S.META_SHEET].max_row == len(S.META_KEYS)  # the item texts have their own sheet
    assert [c.value for c in wb[S.ITEMS_SHEET][1]] == list(S.ITEM_HEADER)
    assert wb.active.title == S.TABLE_SHEET
    ret = read_return(path)
    assert S.SCHEMA_VERSION == "2"
    assert ret.meta["schema_version"] == S.SCHEMA_VERSION and ret.meta["kind"] == "unit"
    assert ret.meta["unit"] == "区编办" and ret.meta["period"] == "2016-11"
    assert ret.item_ids == ["1-1", "1-2", "2-1", "3-1"]
    assert ret.meta["plan_id"] == "越府办〔2016〕70号" and len(ret.meta["plan_hash"]) == 12
    assert ret.meta_items["1-2"][S.ROLE_COLUMN] == S.ROLE_CO
    assert list(ret.meta_items) == ret.item_ids


def test_item_sheet_is_loaded_only_when_the_items_are_asked_for(book):
    from python_calamine import CalamineWorkbook

    from toolkit.io.returns import parse_return

    path, _ = book
    wb = CalamineWorkbook.from_path(str(path))
    loaded = []

    def load(name):
        loaded.append(name)
        return wb.get_sheet_by_name(name).to_python(skip_empty_area=False)

    ret = parse_return(path, list(wb.sheet_names), load)
    assert sorted(loaded) == sorted([S.META_SHEET, S.TABLE_SHEET])  # what the roll-up pays for
    assert ret.meta_items == read_return(path).meta_items
    assert loaded[-1] == S.ITEMS_SHEET and ret.meta_items["1-1"][S.DUE] == "2016-11-30"


def test_version_1_workbook_is_still_read(book, tmp_path):
    path, _ = book
    old = as_version_1(path, tmp_path / "v1.xlsx")
    assert S.ITEMS_SHEET not in load_workbook(old).sheetnames
    v1, v2 = read_return(old), read_return(path)
    assert v1.meta["schema_version"] == "1" and v1.item_ids == v2.item_ids
    assert v1.meta_items == v2.meta_items and len(v1.meta_items) == 4
    assert [(r.row, r.item_id, r.values) for r in v1.rows] == [(r.row, r.item_id, r.values) for r in v2.rows]


def test_header_block_and_exact_column_headers(book):
    _, wb = book
    ws = wb[S.TABLE_SHEET]
    assert "任务落实情况台账" in ws["A1"].value
    assert (ws["A2"].value, ws["B2"].value, ws["D2"].value, ws["E2"].value) == (
        "填报单位",
        "区编办",
        "报送期次",
        "2016年11月",
    )
    assert [ws.cell(3, c).value for c in (1, 4, 7)] == list(S.FILLER_LABELS)
    headers = [c.value for c in ws[S.HEADER_ROW]]
    assert headers == list(S.COLUMNS) + [None] * len(PACE_COLUMNS)  # the hidden 序时进度 basis has no header
    for name in (
        "编号",
        "工作任务",
        "具体要求",
        "牵头单位",
        "配合单位",
        "完成时限",
        "截止日期",
        "完成状态",
        "完成进度",
        "进展情况",
        "公开网址/佐证材料",
        "完成日期",
        "存在问题及下一步措施",
        "备注",
    ):
        assert name in headers


def test_rows_roles_and_text_never_a_formula(book):
    _, wb = book
    ws = wb[S.TABLE_SHEET]
    rows = rows_by_id(ws)
    assert list(rows) == ["1-1", "1-2", "2-1", "3-1"]
    role = S.COLUMNS.index(S.ROLE_COLUMN) + 1
    assert ws.cell(rows["1-1"], role).value == "牵头" and ws.cell(rows["1-2"], role).value == "配合"
    cell = ws.cell(rows["2-1"], 3)
    assert cell.value.startswith("=") and cell.data_type == "s"
    assert ws.cell(rows["1-1"], S.COLUMNS.index(S.DUE) + 1).value.date() == date(2016, 11, 30)
    assert ws.row_dimensions[rows["1-1"]].height > ws.row_dimensions[rows["3-1"]].height


def test_protection_without_password_and_unlocked_fill_columns(book):
    _, wb = book
    ws = wb[S.TABLE_SHEET]
    p = ws.protection
    assert p.sheet and not p.password
    assert not p.autoFilter and not p.formatColumns and not p.formatRows and not p.formatCells
    assert p.sort  # Excel refuses to sort a protected range with locked cells: not offered, not promised
    r = S.FIRST_DATA_ROW
    for c, name in enumerate(S.COLUMNS, start=1):
        assert ws.cell(r, c).protection.locked is (name in S.PLAN_COLUMNS), name
    assert not ws["B3"].protection.locked and not ws["H3"].protection.locked
    assert ws["B2"].protection.locked


def test_validations(book):
    _, wb = book
    ws = wb[S.TABLE_SHEET]
    col = {n: chr(64 + i) for i, n in enumerate(S.COLUMNS, start=1)}
    dvs = {dv.type: dv for dv in ws.data_validations.dataValidation if dv.type != "date"}
    dates = [dv for dv in ws.data_validations.dataValidation if dv.type == "date"]
    assert dvs["list"].formula1 == '"未启动,推进中,已完成,持续推进,暂缓"'
    assert str(dvs["list"].sqref).startswith(f"{col[S.STATUS]}{S.FIRST_DATA_ROW}:")
    assert (dvs["decimal"].formula1, dvs["decimal"].formula2) == ("0", "1")
    assert str(dvs["decimal"].sqref).startswith(col[S.PROGRESS])
    assert {str(dv.sqref)[:1] for dv in dates} == {col[S.DONE_DATE], "H"}
    assert all(dv.showErrorMessage and dv.prompt and dv.error for dv in ws.data_validations.dataValidation)


def test_conditional_formatting_judges_on_the_status_date(book):
    _, wb = book
    ws = wb[S.TABLE_SHEET]
    rules = [rule for cf in ws.conditional_formatting for rule in cf.rules]
    formulas = [rule.formula[0] for rule in rules]
    assert len(rules) == 9
    fill_ref, due_ref = f"I{S.FIRST_DATA_ROW}:O", f"H{S.FIRST_DATA_ROW}:H"
    refs = [str(cf.sqref) for cf in ws.conditional_formatting for _ in cf.rules]
    assert sum(r.startswith(fill_ref) for r in refs) == 5  # colours on the fill columns: the grey stays
    words = [rule.dxf.numFmt.formatCode for rule in rules if rule.dxf.numFmt]
    assert sum(r.startswith(due_ref) for r in refs) == 4
    assert words == [f'yyyy-mm-dd" {w}"' for w in ("逾期", "欠序时", "临期", "超序时")]
    as_of = "MIN(TODAY(),DATE(2016,11,30))"  # today, but not after the period, as the roll-up judges
    assert any('="已完成"' in f and "TODAY" not in f for f in formulas)
    assert any(f"<{as_of}" in f for f in formulas) and any(f"<={DUE_DAYS}," in f for f in formulas)
    assert f"<{as_of}" in ws["H2"].value


def test_view_and_print_setup(book):
    _, wb = book
    ws = wb[S.TABLE_SHEET]
    assert ws.freeze_panes == f"B{S.FIRST_DATA_ROW}"
    assert ws.auto_filter.ref.startswith(f"A{S.HEADER_ROW}:O")
    assert ws.page_setup.paperSize == 8 and ws.page_setup.orientation == "landscape"
    assert (
        ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    )
    assert ws.print_title_rows == f"${S.HEADER_ROW}:${S.HEADER_ROW}"
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert ws.cell(S.HEADER_ROW, 1).font.name == "黑体"
    assert ws.cell(S.FIRST_DATA_ROW, 3).font.name == "仿宋"
    assert ws.column_dimensions["C"].width >= 40 and ws.cell(S.FIRST_DATA_ROW, 3).alignment.wrap_text


def test_a4_option(tmp_path):
    ws = load_workbook(distribute_one(tmp_path, paper="A4"))[S.TABLE_SHEET]
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert [b.id for b in ws.col_breaks.brk] == [S.COLUMNS.index(S.DUE) + 1] and ws.print_title_cols == "$A:$B"
    assert not ws.sheet_properties.pageSetUpPr.fitToPage and 70 <= int(ws.page_setup.scale) < 100
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"C1:H1", "I1:O1"} <= merged  # a title on each page, none over the repeated 编号 and 工作任务
    assert ws["C1"].value == ws["I1"].value and "任务落实情况台账" in ws["C1"].value and ws["A1"].value is None


def test_guide_promises_filtering_not_sorting(book):
    _, wb = book
    texts = "".join(str(c.value) for row in wb[S.GUIDE_SHEET].iter_rows() for c in row if c.value)
    assert "筛选" in texts and "不能排序" in texts and "可以排序" not in texts
    assert "截止日期后标“逾期”" in texts and "“临期”" in texts and "“欠序时”" in texts and "“超序时”" in texts


def test_stats_value_is_saved_with_its_formula(book):
    """Previews that do not calculate (mail, chat, file managers) read the saved value."""
    path, wb = book
    ws = load_workbook(path, data_only=True)[S.TABLE_SHEET]
    # distribute_one: 2016-11, judged on 2016-11-30 (before today): 1-1 due 11-30 is not yet late
    assert ws["H2"].value == "共4项，已完成0项，逾期0项"
    assert wb[S.TABLE_SHEET]["H2"].value.startswith('="共"&COUNTA(')


def test_stats_value_counts_done_and_overdue_as_the_formula(tmp_path):
    from toolkit.io.unitbook import fill_copy

    path = distribute_one(tmp_path, period="2016-12")
    filled = fill_copy(path, tmp_path / "填好.xlsx", {"3-1": {S.STATUS: S.DONE}})
    ws = load_workbook(filled, data_only=True)[S.TABLE_SHEET]
    assert ws["H2"].value == "共4项，已完成1项，逾期2项"  # 1-1 (11-30) and 1-2 (12-15) late on 12-31


def test_data_rows_have_an_estimated_not_a_fixed_height(book):
    """Excel and WPS grow a row without customHeight as staff type; the estimate is what a
    viewer that never grows rows (LibreOffice, previews) shows."""
    import re
    import zipfile

    path, _ = book
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet2.xml").decode()
    rows = {int(r): attrs for r, attrs in re.findall(r'<row r="(\d+)"([^>]*)>', xml)}
    assert all('ht="' in rows[r] and "customHeight" not in rows[r] for r in rows if r >= S.FIRST_DATA_ROW)
    assert 'customHeight="1"' in rows[S.HEADER_ROW]
    assert len([r for r in rows if r >= S.FIRST_DATA_ROW]) == 4


def test_sheets_are_saved_as_utf8_not_character_references(book):
    """openpyxl alone saves 「任务台账」 as 「&#20219;&#21153;&#21488;&#36134;」 (8 bytes a character): the
    sheets are written as UTF-8 instead, 40 % smaller and read twice as fast, the same cells."""
    import re
    import zipfile

    path, wb = book
    with zipfile.ZipFile(path) as zf:
        sheets = {n: zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/sheet")}
    assert len(sheets) == 4
    for xml in sheets.values():
        assert not re.search(rb"&#(?:1[2-9]\d|[2-9]\d\d|\d{4,});", xml)  # no reference above ASCII
    table = sheets["xl/worksheets/sheet2.xml"].decode("utf-8")
    assert S.UNIT_LABEL in table  # Chinese as text
    assert wb[S.TABLE_SHEET].cell(S.HEADER_ROW, 1).value == S.ID  # read back by openpyxl as written


def test_guide_lists_statuses_and_return_deadline(tmp_path):
    ws = load_workbook(distribute_one(tmp_path, return_by=date(2016, 12, 5), contact="区政务办 张三 83000000"))[
        S.GUIDE_SHEET
    ]
    texts = [c.value for row in ws.iter_rows() for c in row if c.value]
    for status, meaning in S.STATUSES:
        assert status in texts and meaning in texts
    assert any("2016年12月5日前" in t for t in texts)
    assert "区政务办 张三 83000000" in texts


def test_guide_rows_are_tall_enough_for_their_wrapped_text(tmp_path):
    ws = load_workbook(distribute_one(tmp_path))[S.GUIDE_SHEET]
    assert not any("请于按" in str(c.value) for row in ws.iter_rows() for c in row)
    long_rows = [r for r in range(3, ws.max_row + 1) if len(str(ws.cell(r, 2).value or "")) > 45]
    assert long_rows  # the steps that wrap in the 90-wide column
    for r in long_rows:
        assert ws.row_dimensions[r].height >= 2 * LINE_POINTS, ws.cell(r, 2).value


def test_row_heights_fit_the_line_height_of_the_rendered_font():
    from fontTools.ttLib import TTFont

    font = TTFont(Path(toolkit.__file__).parent / "fonts" / "NotoSansSC-Regular.otf")
    hhea = font["hhea"]
    line = 11 * (hhea.ascent - hhea.descent + hhea.lineGap) / font["head"].unitsPerEm  # 11 pt body text
    assert row_height({"具体要求": "\n".join(["字"] * 5)}) >= 5 * line
