"""distribute: one workbook per unit, safe file names, 分发清单, carry-forward from returns."""

from datetime import datetime

import pytest
from openpyxl import load_workbook
from unit_plans import TODAY, rows_by_id, small_plan

from toolkit.distribute import MANIFEST, distribute, file_name, safe_part
from toolkit.io import schema as S
from toolkit.io.returns import read_return
from toolkit.model.errors import UsageError
from toolkit.model.period import Period
from toolkit.validate import validate

COL = {name: i for i, name in enumerate(S.COLUMNS, start=1)}


def test_one_workbook_per_unit_and_manifest(tmp_path):
    plan = small_plan()
    result = distribute(plan, tmp_path / "发件箱", "2016-11")
    assert [f.unit for f in result.files] == plan.units
    by_unit = {f.unit: f for f in result.files}
    assert (by_unit["区编办"].lead, by_unit["区编办"].co) == (3, 1)
    assert (by_unit["区财政局"].lead, by_unit["区财政局"].co) == (0, 1)
    assert (
        by_unit["区编办"].path.name == "区编办_越秀区贯彻落实国务院办公厅2016年政务公开工作要点分工方案_2016年11月.xlsx"
    )
    for sent in result.files:
        ret = read_return(sent.path)
        assert ret.unit == sent.unit and [r.item_id for r in ret.rows] == [i.id for i in plan.items_for(sent.unit)]
    ws = load_workbook(tmp_path / "发件箱" / MANIFEST).active
    rows = list(ws.iter_rows(min_row=2, max_row=len(result.files) + 1, values_only=True))
    assert [r[1] for r in rows] == plan.units
    assert rows[0][2:5] == (3, 1, 4) and rows[0][6] == by_unit["区编办"].path.name


def test_file_names_are_safe_on_windows():
    plan = small_plan()
    plan.title = '关于印发某区"放管服"改革/政务公开<要点>分工方案的通知'
    name = file_name("区商务局（区旅游局）:*?", plan, Period(2016, 11))
    assert not set('<>:"/\\|?*') & set(name)
    assert name.startswith("区商务局（区旅游局）_") and name.endswith("_2016年11月.xlsx")
    assert safe_part("  名称. ") == "名称" and safe_part("...") == "未命名" and len(safe_part("字" * 100)) == 40


def test_units_option_and_unknown_unit(tmp_path):
    result = distribute(small_plan(), tmp_path, "2016年11月", units=["区编办、区国资局"], paper="A4")
    assert [f.unit for f in result.files] == ["区编办", "区国资局"]
    with pytest.raises(UsageError) as exc:
        distribute(small_plan(), tmp_path, "2016-11", units=["区不存在局"])
    assert "区不存在局" in str(exc.value) and "区编办" in str(exc.value)
    with pytest.raises(UsageError, match="月份 13 不存在"):
        distribute(small_plan(), tmp_path, "2016年13月")
    assert distribute(small_plan(), tmp_path / "月", "十一月", units=["区编办"]).period == Period(small_plan().year, 11)


def test_carry_forward_from_last_period(tmp_path):
    plan = small_plan()
    october = distribute(plan, tmp_path / "10月", "2016-10", units=["区编办"]).files[0].path
    wb = load_workbook(october)
    ws = wb[S.TABLE_SHEET]
    rows = rows_by_id(ws)
    ws.cell(rows["1-1"], COL["完成状态"], "已完成")
    ws.cell(rows["1-1"], COL["完成进度"], "100%")
    ws.cell(rows["1-1"], COL["完成日期"], "2016.10.20")
    ws.cell(rows["1-1"], COL["公开网址/佐证材料"], "http://www.yuexiu.gov.cn/qzqd/")
    ws.cell(rows["3-1"], COL["进展情况"], "已完成部门预算公开，决算待公开。")
    ws["B3"], ws["E3"] = "张三", "83000000"
    inbox = tmp_path / "收件箱" / "邮件附件"
    inbox.mkdir(parents=True)
    wb.save(inbox / "区编办10月报送.xlsx")
    (inbox / "~$区编办10月报送.xlsx").write_bytes(b"lock")
    (inbox / "坏文件.xlsx").write_bytes(b"")

    result = distribute(plan, tmp_path / "11月", "2016-11", carry_from=tmp_path / "收件箱")
    assert any("坏文件.xlsx" in n for n in result.notes) and not any("~$" in n for n in result.notes)
    sent = {f.unit: f for f in result.files}
    assert sent["区编办"].carried == 2 and sent["区编办"].carried_from == "区编办10月报送.xlsx"
    new = load_workbook(sent["区编办"].path)[S.TABLE_SHEET]
    rows = rows_by_id(new)
    assert new.cell(rows["1-1"], COL["完成状态"]).value == "已完成"
    assert new.cell(rows["1-1"], COL["完成进度"]).value == 1.0  # "100%" text carried as a number
    assert new.cell(rows["1-1"], COL["完成日期"]).value == datetime(2016, 10, 20)
    assert new.cell(rows["3-1"], COL["进展情况"]).value == "已完成部门预算公开，决算待公开。"
    assert (new["B3"].value, new["E3"].value, new["H3"].value) == ("张三", "83000000", None)
    assert not new.cell(rows["1-1"], COL["完成状态"]).protection.locked
    assert read_return(sent["区编办"].path).period == Period(2016, 11)
    report = validate(sent["区编办"].path, plan, period="2016-11", today=TODAY)
    assert not [p for p in report.problems if p.code.startswith(("date_", "progress_"))]
    assert sent["区国资局"].carried == 0


def test_carry_from_missing_folder(tmp_path):
    with pytest.raises(UsageError):
        distribute(small_plan(), tmp_path / "out", "2016-11", carry_from=tmp_path / "没有")


def test_demo_distributes_and_validates_a_misfilled_copy(tmp_path):
    from toolkit.demo import run_demo

    lines = list(run_demo(tmp_path))
    assert any(line.startswith("2. 分发任务台账：") for line in lines)
    assert any(line.startswith("3. 检查一份故意填错的台账") for line in lines)
    text = "\n".join(lines)
    for words in ("不在可选范围", "超出 0%–100%", "是文字", "不得修改"):
        assert words in text, words
    assert (tmp_path / "分发" / MANIFEST).is_file()


def test_carry_from_a_sorted_return_saved_as_xls(tmp_path):
    from render import convert, have_tools

    assert have_tools(), "LibreOffice (soffice) is needed: .ci/run installs it"

    plan = small_plan()
    october = distribute(plan, tmp_path / "10月", "2016-10", units=["区编办"]).files[0].path
    wb = load_workbook(october)
    ws = wb[S.TABLE_SHEET]
    ws.cell(5, COL["进展情况"], "第一行的进展")
    ws.move_range("A5:O5", rows=4)  # staff sorted: the first item (1-1) now comes last
    ws.delete_rows(5)
    wb.save(tmp_path / "区编办.xlsx")
    inbox = tmp_path / "收件箱"
    convert(tmp_path / "区编办.xlsx", "xls", inbox)
    result = distribute(plan, tmp_path / "11月", "2016-11", units=["区编办"], carry_from=inbox)
    assert result.files[0].carried == 1 and result.files[0].carried_from == "区编办.xls", result.notes
    new = load_workbook(result.files[0].path)[S.TABLE_SHEET]
    assert new.cell(rows_by_id(new)["1-1"], COL["进展情况"]).value == "第一行的进展"


def test_carry_from_a_return_with_a_copied_row_takes_the_first_copy(tmp_path):
    plan = small_plan()
    october = distribute(plan, tmp_path / "10月", "2016-10", units=["区编办"]).files[0].path
    wb = load_workbook(october)
    ws = wb[S.TABLE_SHEET]
    r = rows_by_id(ws)["1-1"]
    ws.cell(r, COL["进展情况"], "第一份：已部署。")
    copy_row = ws.max_row + 1
    for c in range(1, ws.max_column + 1):
        ws.cell(copy_row, c, ws.cell(r, c).value)
    ws.cell(copy_row, COL["进展情况"], "复制行：草稿。")
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    wb.save(inbox / "区编办10月报送.xlsx")

    sent = {f.unit: f for f in distribute(plan, tmp_path / "11月", "2016-11", carry_from=inbox).files}
    new = load_workbook(sent["区编办"].path)[S.TABLE_SHEET]
    assert new.cell(rows_by_id(new)["1-1"], COL["进展情况"]).value == "第一份：已部署。"
