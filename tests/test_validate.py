"""validate on real distributed workbooks, edited with openpyxl the way staff break them."""

import hashlib
import json
from datetime import datetime

import pytest
from openpyxl import load_workbook
from unit_plans import TODAY, as_version_1, distribute_one, rows_by_id, small_plan

from toolkit.cli import main
from toolkit.io import schema as S
from toolkit.io.planbook import write_plan
from toolkit.model.errors import (
    TemplateError,
    UnreadableFileError,
    UnsupportedFileError,
)
from toolkit.model.problems import ERROR, WARNING
from toolkit.validate import validate

COL = {name: i for i, name in enumerate(S.COLUMNS, start=1)}


@pytest.fixture(scope="module")
def sent(tmp_path_factory):
    return distribute_one(tmp_path_factory.mktemp("sent"))


def filled(ws, rows):
    """Fill every row correctly (the baseline that must pass)."""
    for r in rows.values():
        ws.cell(r, COL["完成状态"], "推进中")
        ws.cell(r, COL["完成进度"], 0.5)
        ws.cell(r, COL["进展情况"], "已部署，正在推进。")
    r = rows["1-1"]
    ws.cell(r, COL["完成状态"], "已完成")
    ws.cell(r, COL["完成进度"], 1)
    ws.cell(r, COL["完成日期"], datetime(2016, 11, 28))
    ws.cell(r, COL["公开网址/佐证材料"], "http://www.yuexiu.gov.cn/qzqd/")
    ws["B3"], ws["E3"], ws["H3"] = "张三", "83000000", datetime(2016, 12, 2)


def edited(sent, tmp_path, change=None, name=None):
    """A filled-in copy of `sent` with `change(ws, rows)` applied, saved under `name`."""
    wb = load_workbook(sent)
    ws = wb[S.TABLE_SHEET]
    rows = rows_by_id(ws)
    filled(ws, rows)
    if change:
        change(ws, rows)
    path = tmp_path / (name or sent.name)
    wb.save(path)
    return path


def check(path, **kw):
    """Validate and prove the file was not touched."""
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    report = validate(path, today=TODAY, **kw)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    return report


def found(report, code):
    return [p for p in report.problems if p.code == code]


def test_correctly_filled_workbook_passes(sent, tmp_path):
    report = check(edited(sent, tmp_path), plan=small_plan(), period="2016-11")
    assert report.problems == [], report.lines()
    assert (report.unit, str(report.period)) == ("区编办", "2016-11")
    assert report.ok


def test_a_results_sheet_added_by_the_addin_is_ignored(sent, tmp_path):
    path = edited(sent, tmp_path)
    wb = load_workbook(path)
    wb.create_sheet("校验结果", 0).append(["文件", "单元格", "问题"])  # what 校验本表 adds in Excel
    wb.save(path)
    report = check(path, plan=small_plan(), period="2016-11")
    assert report.problems == [], report.lines()


@pytest.mark.parametrize("version", ["2", "1"])
def test_locked_text_rewritten(sent, tmp_path, version):
    def change(ws, rows):
        ws.cell(rows["1-1"], COL["具体要求"], "改写后的要求")
        ws.cell(rows["3-1"], COL["截止日期"], datetime(2017, 3, 31))

    path = edited(sent, tmp_path, change)
    if version == "1":  # a workbook distributed before the item texts got their own sheet
        path = as_version_1(path, tmp_path / "v1.xlsx")
    for plan in (small_plan(), None):  # against the plan, and against the metadata's copy
        report = check(path, plan=plan)
        assert not found(report, "schema_version")
        problems = found(report, "locked_changed")
        assert {(p.cell, p.item_id) for p in problems} == {
            (f"C{S.FIRST_DATA_ROW}", "1-1"),
            (f"H{S.FIRST_DATA_ROW + 3}", "3-1"),
        }
        assert all(p.severity == ERROR and p.sheet == S.TABLE_SHEET for p in problems)
        assert "区编办要在全面公开" in problems[0].message


def test_rows_deleted_added_reordered(sent, tmp_path):
    def change(ws, rows):
        a, b = rows["1-2"], rows["2-1"]
        for c in range(1, len(S.COLUMNS) + 1):  # swap two rows (a sort), text stays text
            x, y = ws.cell(a, c), ws.cell(b, c)
            (x.value, x.data_type), (y.value, y.data_type) = (y.value, y.data_type), (x.value, x.data_type)
        ws.delete_rows(rows["3-1"])
        ws.insert_rows(rows["1-1"] + 1)
        ws.cell(rows["1-1"] + 1, COL["工作任务"], "本单位自行增加的工作")
        ws.cell(rows["1-1"] + 1, COL["完成状态"], "推进中")
        ws.cell(ws.max_row + 1, COL["编号"], "9-9")

    report = check(edited(sent, tmp_path, change), plan=small_plan())
    assert [p.item_id for p in found(report, "row_missing")] == ["3-1"]
    added = found(report, "row_added")
    assert {p.cell for p in added} == {f"A{S.FIRST_DATA_ROW + 1}", f"A{S.FIRST_DATA_ROW + 4}"}
    assert [p.severity for p in found(report, "row_order")] == [WARNING]
    assert not found(report, "locked_changed"), report.lines()  # sorted rows still match by id


def test_status_progress_and_dates_typed_as_text(sent, tmp_path):
    def change(ws, rows):
        ws.cell(rows["1-2"], COL["完成状态"], "完成了")
        ws.cell(rows["1-2"], COL["完成进度"], "80%")
        ws.cell(rows["2-1"], COL["完成进度"], "八成")
        ws.cell(rows["3-1"], COL["完成进度"], 150)
        ws.cell(rows["1-1"], COL["完成日期"], "2016.11.28")

    report = check(edited(sent, tmp_path, change))
    r = rows_by_id(load_workbook(sent)[S.TABLE_SHEET])
    status = found(report, "status_invalid")
    assert [(p.cell, p.severity) for p in status] == [(f"I{r['1-2']}", ERROR)] and "已完成" in status[0].message
    assert {p.cell for p in found(report, "progress_text")} == {f"J{r['1-2']}", f"J{r['2-1']}"}
    assert [p.cell for p in found(report, "progress_range")] == [f"J{r['3-1']}"]
    text_date = found(report, "date_text")
    assert [p.cell for p in text_date] == [f"M{r['1-1']}"] and "2016-11-28" in text_date[0].message
    assert not report.ok


@pytest.mark.parametrize("typed", ["2016年11月28日", "2016/11/28"])
def test_more_date_text_forms(sent, tmp_path, typed):
    report = check(edited(sent, tmp_path, lambda ws, rows: ws.cell(rows["1-1"], COL["完成日期"], typed)))
    assert [p.item_id for p in found(report, "date_text")] == ["1-1"]


def test_serial_number_date(sent, tmp_path):
    def change(ws, rows):
        cell = ws.cell(rows["1-1"], COL["完成日期"], 42702)
        cell.number_format = "General"

    report = check(edited(sent, tmp_path, change))
    serial = found(report, "date_serial")
    assert [p.item_id for p in serial] == ["1-1"] and "2016-11-28" in serial[0].message


def test_done_without_date_or_evidence_and_future_date(sent, tmp_path):
    def change(ws, rows):
        ws.cell(rows["1-1"], COL["完成日期"]).value = None
        ws.cell(rows["1-1"], COL["公开网址/佐证材料"]).value = None
        ws.cell(rows["3-1"], COL["完成状态"], "已完成")
        ws.cell(rows["3-1"], COL["完成进度"], 1)
        ws.cell(rows["3-1"], COL["完成日期"], datetime(2017, 1, 20))
        ws.cell(rows["3-1"], COL["公开网址/佐证材料"], "区财政局网站")

    report = check(edited(sent, tmp_path, change))
    assert [(p.item_id, p.severity) for p in found(report, "done_without_date")] == [("1-1", ERROR)]
    assert [(p.item_id, p.severity) for p in found(report, "done_without_evidence")] == [("1-1", WARNING)]
    assert [(p.item_id, p.severity) for p in found(report, "date_future")] == [("3-1", ERROR)]


def test_wrong_period_and_renamed_file(tmp_path):
    october = distribute_one(tmp_path, period="2016-10")
    renamed = edited(october, tmp_path, name=october.name.replace("2016年10月", "2016年11月"))
    report = check(renamed, period="2016-11")
    assert [p.severity for p in found(report, "period_mismatch")] == [ERROR]
    assert [p.severity for p in found(report, "file_name")] == [WARNING]
    assert check(edited(october, tmp_path, name="区编办报送.xlsx"), period="2016-10").ok


def test_workbook_of_another_plan(sent, tmp_path):
    other = small_plan()
    other.items[0].requirement = "修订后的要求"
    report = check(edited(sent, tmp_path), plan=other)
    assert [p.severity for p in found(report, "plan_mismatch")] == [ERROR]
    assert not found(report, "locked_changed")  # compared with the metadata, not the other plan


def test_header_block_unit_changed_and_unknown_unit(sent, tmp_path):
    report = check(edited(sent, tmp_path, lambda ws, rows: ws.__setitem__("B2", "区财政局")))
    assert [p.cell for p in found(report, "unit_changed")] == ["B2"]


def test_copied_into_a_new_workbook_without_metadata(sent, tmp_path):
    def change(ws, rows):
        del ws.parent[S.META_SHEET]

    report = check(edited(sent, tmp_path, change), plan=small_plan())
    assert [p.severity for p in found(report, "no_metadata")] == [ERROR]
    assert report.unit == "区编办" and str(report.period) == "2016-11"  # from the header block
    assert not found(report, "row_missing")


def test_real_xls_saved_by_an_office_suite_is_read(sent, tmp_path):
    from render import convert, have_tools

    assert have_tools(), "LibreOffice (soffice) is needed: .ci/run installs it"

    def broken(ws, rows):
        ws.cell(rows["1-1"], COL["完成进度"], "八成")

    xlsx = edited(sent, tmp_path, broken, name="区编办_旧格式.xlsx")
    xls = convert(xlsx, "xls", tmp_path / "xls")
    assert xls.suffix == ".xls" and xls.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    renamed_xls = tmp_path / "区编办_改了扩展名.xlsx"  # staff rename the .xls, or the reverse
    renamed_xls.write_bytes(xls.read_bytes())
    renamed_xlsx = tmp_path / "区编办_改了扩展名.xls"
    renamed_xlsx.write_bytes(xlsx.read_bytes())
    for path in (xls, renamed_xls, renamed_xlsx):
        report = check(path)
        assert report.unit == "区编办" and report.period
        assert [p.item_id for p in found(report, "progress_text")] == ["1-1"]
        assert not found(report, "locked_changed")


def test_bad_files_give_chinese_errors_and_stay_untouched(sent, tmp_path):
    truncated = tmp_path / "区编办_传输中断.xlsx"
    truncated.write_bytes(sent.read_bytes()[: sent.stat().st_size // 2])
    empty = tmp_path / "区编办_空文件.xlsx"
    empty.write_bytes(b"")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    encrypted = tmp_path / "加密.xlsx"
    encrypted.write_bytes(ole + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512)
    xls = tmp_path / "旧格式.xls"
    xls.write_bytes(ole + b"Workbook".ljust(512, b"\0"))
    renamed_xls = tmp_path / "区编办_另存.xlsx"
    renamed_xls.write_bytes(xls.read_bytes())
    for path, error, words in (
        (empty, UnreadableFileError, "空文件"),
        (encrypted, UnreadableFileError, "密码"),
        (xls, UnsupportedFileError, ".xls"),
        (renamed_xls, UnsupportedFileError, "另存为"),
        (truncated, UnreadableFileError, "损坏"),
    ):
        before = path.read_bytes()
        with pytest.raises(error) as exc:
            validate(path)
        assert words in str(exc.value) and path.name in str(exc.value)
        assert path.read_bytes() == before


def test_other_workbooks(tmp_path):
    from toolkit.distribute import distribute

    plan_path = write_plan(small_plan(), tmp_path / "方案.xlsx")
    with pytest.raises(TemplateError) as exc:  # the plan itself, not a unit's return
        validate(plan_path)
    assert "是方案工作簿" in str(exc.value) and "方案.xlsx" in str(exc.value)
    manifest = distribute(small_plan(), tmp_path / "out", "2016-11", units=["区编办"]).manifest
    with pytest.raises(TemplateError) as exc:
        validate(manifest)
    assert "找不到任务台账" in str(exc.value)


def test_cli_json_shape_and_exit_codes(sent, tmp_path, capsys):
    plan_path = write_plan(small_plan(), tmp_path / "方案.xlsx")
    assert (
        main(["distribute", str(plan_path), "-o", str(tmp_path / "out"), "--period", "2016-11", "--units", "区编办"])
        == 0
    )
    assert "分发完成：1 个单位" in capsys.readouterr().out
    sent = next((tmp_path / "out").glob("区编办_*.xlsx"))
    good = edited(sent, tmp_path, name="好.xlsx")
    bad = edited(sent, tmp_path, lambda ws, rows: ws.cell(rows["2-1"], COL["完成进度"], 150), name="坏.xlsx")
    assert main(["validate", str(good), "--plan", str(plan_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"file", "unit", "period", "errors", "warnings"} and out["errors"] == []
    assert main(["validate", str(bad), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["unit"] == "区编办" and out["period"] == "2016-11"
    assert set(out["errors"][0]) == {"sheet", "cell", "item_id", "code", "message"}
    assert out["errors"][0]["code"] == "progress_range"
    assert main(["validate", str(bad)]) == 1
    assert "[错误] 任务台账!J" in capsys.readouterr().out
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    assert main(["validate", str(empty)]) == 2
    assert "错误：" in capsys.readouterr().err


def test_unknown_schema_version(sent, tmp_path):
    def change(ws, rows):
        ws.parent[S.META_SHEET]["B1"] = "9"

    report = check(edited(sent, tmp_path, change), plan=small_plan())
    problems = found(report, "schema_version")
    assert [p.severity for p in problems] == [ERROR] and "“9”" in problems[0].message


def test_item_sheet_not_read_when_the_plan_is_the_workbooks(sent, tmp_path):
    """The roll-up validates with the plan: the metadata's item texts are then never loaded."""
    from toolkit.io.returns import read_return
    from toolkit.validate import check_return

    def unexpected():
        raise AssertionError("item sheet loaded")

    ret = read_return(edited(sent, tmp_path))
    ret.load_meta_rows = unexpected
    assert check_return(ret, small_plan(), period="2016-11", today=TODAY) == []
    other = small_plan()
    other.items[0].requirement = "修订后的要求"
    with pytest.raises(AssertionError, match="item sheet loaded"):  # another plan: the texts are needed
        check_return(ret, other, today=TODAY)


def test_copied_row_is_one_duplicate_and_the_copies_are_not_checked_cell_by_cell(sent, tmp_path):
    def change(ws, rows):
        for extra in (ws.max_row + 1, ws.max_row + 2):  # two copies of 2-1 below the table
            for c in range(1, len(S.COLUMNS) + 1):
                ws.cell(extra, c, ws.cell(rows["2-1"], c).value)
            ws.cell(extra, COL["具体要求"], "本单位负责其中住房保障部分。")  # the copy was then edited
            ws.cell(extra, COL["完成进度"], "八成")

    path = edited(sent, tmp_path, change)
    r = rows_by_id(load_workbook(sent)[S.TABLE_SHEET])
    first, copies = r["2-1"], [max(r.values()) + 1, max(r.values()) + 2]
    for plan in (small_plan(), None):
        report = check(path, plan=plan)
        duplicate = found(report, "row_duplicate")
        assert [(p.cell, p.item_id, p.severity) for p in duplicate] == [(f"A{copies[0]}", "2-1", ERROR)], report.lines()
        message = duplicate[0].message
        assert all(f"{n}" in message for n in (first, *copies)) and f"以第 {first} 行为准" in message
        assert not found(report, "locked_changed"), report.lines()
        assert not [p for p in report.problems if p.cell[1:] in map(str, copies) and p.code != "row_duplicate"]


def past_due(sent, tmp_path, today, **kw):
    """A return of `sent` with 2-1 (全年) as 持续推进 and the others 推进中, validated on `today`."""

    def change(ws, rows):
        ws.cell(rows["2-1"], COL["完成状态"], "持续推进")

    report = validate(edited(sent, tmp_path, change), today=today, **kw)
    return {p.item_id: p for p in found(report, "past_due")}, rows_by_id(load_workbook(sent)[S.TABLE_SHEET])


def test_year_round_and_dated_work_still_open_after_the_due_date(tmp_path):
    from datetime import date

    january = distribute_one(tmp_path / "jan", period="2017-01")
    for plan in (small_plan(), None):
        warned, r = past_due(january, tmp_path, date(2017, 2, 6), plan=plan)
        assert set(warned) == {"1-2", "2-1", "3-1"}  # 1-1 is 已完成
        year_round = warned["2-1"]
        assert (year_round.severity, year_round.cell) == (WARNING, f"I{r['2-1']}")
        for words in ("2016-12-31", "2017年1月", "持续推进", "已完成", "完成日期", "佐证材料", "存在问题及下一步措施"):
            assert words in year_round.message, year_round.message
        assert "推进中" in warned["3-1"].message and "2016-12-31" in warned["3-1"].message
    december = distribute_one(tmp_path / "dec", period="2016-12")
    warned, _ = past_due(december, tmp_path, date(2017, 1, 6), plan=small_plan())
    assert set(warned) == {"1-2"}  # due 12-15; the year's work is due on the period's last day
    warned, _ = past_due(december, tmp_path, date(2016, 12, 10), plan=small_plan())
    assert not warned  # validated before 1-2's due date
    warned, _ = past_due(december, tmp_path, date(2017, 2, 6), plan=small_plan(), period="2017-01")
    assert set(warned) == {"1-2", "2-1", "3-1"}  # the period asked for counts


def test_messages_speak_the_staffs_language(sent, tmp_path):
    """No hidden sheet names, None, English kinds or raw fractions in what staff read."""

    def change(ws, rows):
        ws.cell(rows["2-1"], COL["完成进度"], 1.5)  # typed 150 into the percent cell: shows 150%
        ws.cell(rows["3-1"], COL["完成状态"], True)
        meta = ws.parent[S.META_SHEET]
        meta["B1"], meta["B2"] = None, "summary"

    report = check(edited(sent, tmp_path, change))
    assert "“150%”" in found(report, "progress_range")[0].message
    assert "“TRUE”" in found(report, "status_invalid")[0].message
    kind, version = found(report, "wrong_kind")[0], found(report, "schema_version")[0]
    assert "汇总表" in kind.message and "未记录" in version.message
    assert (kind.sheet, kind.cell) == ("", "")
    text = "\n".join(report.lines())
    assert "[错误] 工作簿：这是汇总表" in text
    for leak in ("_fengong", "None", "summary", "True", "—"):
        assert leak not in text, (leak, text)
