"""The 单位名录: proposed at import (seeds 000, 001, 003), confirmed by the clerk in the sheet,
then one workbook per real unit, collectives' items in their members' workbooks, returns under
an alias matched, contacts in the summary; contradictions in the sheet are Chinese errors."""

from datetime import date

import pytest
from conftest import seed
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from toolkit.charts.gantt import ChartOptions, chart
from toolkit.cli import main
from toolkit.distribute import distribute
from toolkit.importers import import_plan
from toolkit.io.directory import COLUMNS, SHEET
from toolkit.io.planbook import read_plan, write_plan
from toolkit.io.returns import read_return
from toolkit.io.unitbook import fill_copy
from toolkit.model.directory import PENDING, DirectoryError
from toolkit.rollup import rollup
from toolkit.validate import validate

COL = {name: i for i, name in enumerate(COLUMNS, start=1)}


def imported(tmp_path, prefix: str):
    path = write_plan(import_plan(seed(prefix)), tmp_path / f"方案{prefix}.xlsx")
    return path


def edit(path, change) -> None:
    """Edit the 单位名录 as the clerk does in Excel: `change(ws, rows)` with rows by 单位."""
    wb = load_workbook(path)
    ws = wb[SHEET]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value not in (None, "说明")}
    change(ws, rows)
    wb.save(path)


def confirm_all(ws, rows) -> None:
    for r in rows.values():
        if ws.cell(r, COL["状态"]).value == PENDING:
            ws.cell(r, COL["状态"]).value = None


def sheet_rows(path, name):
    wb = CalamineWorkbook.from_path(str(path))
    try:
        return wb.get_sheet_by_name(name).to_python()
    finally:
        wb.close()


# --- seed 000: merges and 区属各部门 ----------------------------------------------------------


def test_000_import_proposes_merges_and_the_collective_pending(tmp_path):
    path = imported(tmp_path, "000")
    rows = {r[0]: r for r in sheet_rows(path, SHEET)[1:] if r[0]}
    assert rows["区财政局"][1] == "区财政局（区国资局）" and rows["区财政局"][6] == PENDING
    assert rows["区府办"][1] == "区府办（区应急办）" and rows["区府办"][6] == PENDING
    assert rows["政策文件起草部门"][1] == "政策起草部门" and rows["政策文件起草部门"][6] == PENDING
    assert "区财政局（区国资局）" not in rows and "政策起草部门" not in rows  # an alias is no row of its own
    assert rows["区属各部门"][6] == PENDING and rows["区属各部门"][5].startswith("统称")
    assert rows["区编办"][2] == "区属各部门" and rows["政策文件起草部门"][2] == ""
    problems = " ".join(r[1] for r in sheet_rows(path, "导入问题")[1:])
    assert "“区财政局”与“区财政局（区国资局）”可能是同一单位" in problems and "“区属各部门”是统称" in problems
    # 待确认 is not applied: as many units as without a directory
    assert len(read_plan(path).units) == 29


def test_000_confirmed_directory_gives_one_workbook_per_real_unit(tmp_path):
    path = imported(tmp_path, "000")
    edit(path, confirm_all)
    plan = read_plan(path)
    assert len(plan.units) == 25
    assert not {"区财政局（区国资局）", "区府办（区应急办）", "政策起草部门", "区属各部门"} & set(plan.units)
    sent = {f.unit: f for f in distribute(plan, tmp_path / "分发", "2016-12").files}
    assert set(sent) == set(plan.units)
    # 区属各部门 (lead of 19-1) reaches every department, as lead, the cell as the plan wrote it
    for unit in ("区编办", "区信访局", "区财政局"):
        rows = {r.item_id: r for r in read_return(sent[unit].path).rows}
        assert "19-1" in rows
    table = sheet_rows(sent["区信访局"].path, "任务台账")
    row = next(r for r in table if r[0] == "19-1")
    assert row[3] == "区属各部门" and row[5] == "牵头"
    # the alias's item is in the unit's workbook, its 牵头单位 as written
    row = next(r for r in sheet_rows(sent["区财政局"].path, "任务台账") if r[0] == "8-1")
    assert row[3] == "区财政局（区国资局）"
    assert {"8-1", "17-1"} <= {r.item_id for r in read_return(sent["区财政局"].path).rows}
    # 18-4: 政策起草部门 leads, 区政务办 helps → 政策文件起草部门 leads it
    item = next(i for i in plan.items if i.id == "18-4")
    assert item.lead_units == ["政策文件起草部门"] and item.co_units == ["区政务办"]
    # the workbook keeps the directory (and the written names) when written again
    again = read_plan(write_plan(plan, tmp_path / "again.xlsx"))
    assert again.units == plan.units and again.content_hash == plan.content_hash


def test_000_old_plan_workbook_without_directory_merges_nothing(tmp_path):
    path = imported(tmp_path, "000")
    wb = load_workbook(path)
    del wb[SHEET]
    wb.save(path)
    plan = read_plan(path)
    assert len(plan.units) == 29 and "区属各部门" in plan.units
    assert [i.to_dict() for i in plan.items] == [i.to_dict() for i in import_plan(seed("000")).items]


def test_000_return_under_an_alias_is_matched_and_contacts_shown(tmp_path):
    path = imported(tmp_path, "000")
    old = distribute(read_plan(path), tmp_path / "旧", "2016-12")  # before the merge was confirmed
    alias = next(f for f in old.files if f.unit == "区财政局（区国资局）")
    inbox = tmp_path / "收件"
    inbox.mkdir()
    fill_copy(
        alias.path,
        inbox / alias.path.name,
        {"8-1": {"完成状态": "推进中", "完成进度": 0.5}},
        {"填报人": "赵会计", "联系电话": "83112233", "填报日期": date(2016, 12, 20)},
    )

    def confirm_with_contact(ws, rows):
        confirm_all(ws, rows)
        ws.cell(rows["区编办"], COL["联系人"]).value = "陈主任"
        ws.cell(rows["区编办"], COL["电话"]).value = 83001234  # typed as a number in Excel
        ws.cell(rows["区财政局"], COL["联系人"]).value = "旧联系人"

    edit(path, confirm_with_contact)
    result = rollup(inbox, path, tmp_path / "汇总.xlsx", period="2016-12", as_of=date(2016, 12, 31), gantt=False)
    assert "区财政局" in result.reported and "区财政局（区国资局）" not in result.missing + result.reported
    codes = {p.code for p in result.problems}
    assert "alias" in codes and "unit_unknown" not in codes  # checked as the unit it is filed under
    checked = validate(inbox / alias.path.name, read_plan(path), period="2016-12", today=date(2016, 12, 31))
    assert checked.unit == "区财政局" and checked.problems[0].code == "alias"  # one file, checked as the roll-up does
    assert "即“区财政局”，已按后者校验" in checked.problems[0].message
    assert "unit_unknown" not in {p.code for p in checked.problems}
    stats = {s.unit: s for s in result.summary.units}
    assert (stats["区财政局"].contact, stats["区财政局"].phone) == ("赵会计", "83112233")  # the latest filled in
    missing = {m.unit: m for m in result.summary.missing}
    assert (missing["区编办"].contact, missing["区编办"].phone) == ("陈主任", "83001234")
    head, *rows = [r for r in sheet_rows(result.output, "未报送单位")[2:]]
    assert head[:3] == ["单位", "联系人", "电话"] and rows[0][:3] == ["区编办", "陈主任", "83001234"]
    assert sheet_rows(result.output, "分单位统计")[2][:3] == ["单位", "联系人", "电话"]


def test_carry_from_brings_contacts_into_workbooks_and_directory(tmp_path):
    path = imported(tmp_path, "000")
    edit(path, confirm_all)
    sent = distribute(read_plan(path), tmp_path / "11月", "2016-11")
    first = sent.files[0]
    back = tmp_path / "11月收件"
    back.mkdir()
    fill_copy(first.path, back / first.path.name, {}, {"填报人": "张敏", "联系电话": "83000001"})
    assert (
        main(["distribute", str(path), "-o", str(tmp_path / "12月"), "--period", "2016-12", "--carry-from", str(back)])
        == 0
    )
    assert read_plan(path).directory.contact(first.unit) == ("张敏", "83000001")
    new = next((tmp_path / "12月").glob(f"{first.unit}_*.xlsx"))
    block = read_return(new).block
    assert block["填报人"][1] == "张敏" and str(block["联系电话"][1]) == "83000001"
    other = next(f for f in sent.files[1:] if f.unit != first.unit)
    other_block = read_return(next((tmp_path / "12月").glob(f"{other.unit}_*.xlsx"))).block
    assert not other_block.get("填报人", ("", None))[1]  # no contact known: left for the unit


# --- seed 001: the appendix behind 市有关单位（见附件） -------------------------------------------


def test_001_appendix_members_are_the_collective(tmp_path):
    path = imported(tmp_path, "001")
    rows = {r[0]: r for r in sheet_rows(path, SHEET)[1:] if r[0]}
    assert rows["市有关单位"][6] == "" and "54" in rows["市有关单位"][5]  # listed by the plan: confirmed
    members = [u for u, r in rows.items() if "市有关单位" in r[2].split("、")]
    assert len(members) == 54 and "市发展改革局" in members and "市扶贫办" in members
    county = rows["各县（市、区）人民政府（管委会）"]
    assert county[2] == "" and "未列出成员" in county[5]
    plan = read_plan(path)
    assert "市有关单位" not in plan.units and "各县（市、区）人民政府（管委会）" in plan.units
    assert plan.directory.members("市有关单位") == members
    sent = {f.unit: f for f in distribute(plan, tmp_path / "分发", "2016-12", units=["市有关单位"]).files}
    assert set(sent) == set(members)  # --units accepts a collective
    assert "22-1" in {r.item_id for r in read_return(sent["市扶贫办"].path).rows}
    drawn = chart(path, tmp_path / "甘特图.pdf", ChartOptions(units=["市有关单位"], status_date=date(2016, 12, 31)))
    assert drawn.rows == sum(len(plan.items_for(u)) for u in members)  # and so does gantt --units


# --- seed 003: 各镇（街、园区） ----------------------------------------------------------------


def test_003_towns_listed_by_the_clerk_receive_the_collective_items(tmp_path):
    path = imported(tmp_path, "003")
    plan = read_plan(path)
    assert "各镇（街、园区）" in plan.units  # no members in the plan: one unit, as before
    towns = ["榕城街道", "仙桥街道", "渔湖镇"]

    def add_towns(ws, rows):
        for n, town in enumerate(towns):
            r = max(rows.values()) + 1 + n
            ws.insert_rows(r)
            ws.cell(r, COL["单位"]).value = town
            ws.cell(r, COL["属于"]).value = "各镇（街、园区）"

    edit(path, add_towns)
    plan = read_plan(path)
    assert "各镇（街、园区）" not in plan.units and set(towns) <= set(plan.units)
    town_items = plan.items_for("渔湖镇")
    assert len(town_items) == 42 and all("渔湖镇" in i.co_units for i in town_items)  # the role as written: 配合
    sent = {f.unit: f for f in distribute(plan, tmp_path / "分发", "2016-12", units=towns).files}
    row = next(r for r in sheet_rows(sent["仙桥街道"].path, "任务台账") if r[0] == "1-1")
    assert row[3] == "市政务服务办" and row[4] == "市各有关单位、各镇（街、园区）" and row[5] == "配合"


# --- bad directories: a Chinese error naming the cell -----------------------------------------


def _set(column, unit, value):
    def change(ws, rows):
        ws.cell(rows[unit], COL[column]).value = value

    return change


def _add(values):
    def change(ws, rows):
        r = max(rows.values()) + 1
        ws.insert_rows(r)
        for column, value in values.items():
            ws.cell(r, COL[column]).value = value

    return change


@pytest.mark.parametrize(
    "change, cell, words",
    [
        (_add({"单位": "区编办"}), "A28", "出现了两次"),
        (_set("别名", "区政务办", "区编办"), "B3", "同时是名录中单独的一个单位"),
        (_set("属于", "区编办", "区直各单位"), "C2", "名录中没有“区直各单位”这一行"),
        (_set("属于", "区属各部门", "区编办"), "C", "统称互相包含"),
        (_add({"别名": "区某局", "联系人": "张三"}), "A28", "“单位”为空"),
    ],
)
def test_contradictions_are_errors_naming_the_cell(tmp_path, capsys, change, cell, words):
    path = imported(tmp_path, "000")
    edit(path, confirm_all)
    edit(path, change)
    with pytest.raises(DirectoryError) as err:
        read_plan(path)
    message = str(err.value)
    assert words in message and cell in message and "单位名录" in message and path.name in message
    assert main(["distribute", str(path), "-o", str(tmp_path / "out"), "--period", "2016-12"]) == 2
    captured = capsys.readouterr()
    assert words in captured.err + captured.out and "Traceback" not in captured.err
