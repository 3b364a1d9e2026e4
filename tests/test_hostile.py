"""Hostile cases: nothing a clerk or a unit does can lose data or record a false month (docs/promises.md).

Real files throughout. Every command here runs through `toolkit.cli.main`, and every test checks that
inputs are byte-identical afterwards (sha256) and that stderr holds a Chinese message, never a traceback.
Simulated (tests run as root, which ignores chmod): read-only folders and permission denied are a
monkeypatched PermissionError; a full disk is a monkeypatched OSError(ENOSPC).
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_rollup import AS_OF, fill, make_cycle, table
from unit_plans import item, small_plan

from toolkit.cli import main
from toolkit.distribute import MANIFEST, NAME_BYTES, distribute
from toolkit.io import schema as S
from toolkit.io.planbook import read_plan, write_plan
from toolkit.io.summary import DETAIL_SHEET
from toolkit.model import Plan
from toolkit.validate import validate

PROBLEMS = "校验问题"


@pytest.fixture()
def cycle(tmp_path):
    """The roll-up tests' plan workbook, outbox and inbox of filled returns (tests/test_rollup.py)."""
    return make_cycle(tmp_path)


def sha(*paths: Path) -> dict[str, str]:
    """sha256 of every file under `paths` (files or folders)."""
    out = {}
    for path in paths:
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        out.update({str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files})
    return out


def cli(capsys, *args: str | Path) -> tuple[int, str, str]:
    """Run `fengong ARGS`; (exit code, stdout, stderr), stderr never a traceback."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "内部错误" not in err, err
    return code, out, err


def refused(capsys, *args, words: str) -> str:
    code, _, err = cli(capsys, *args)
    assert code == 2 and err.startswith("错误：") and words in err, err
    return err


# 1. No output over an input ----------------------------------------------------------------------


def test_no_command_writes_over_its_inputs(cycle, capsys):
    plan, inbox, tmp = cycle["plan_path"], cycle["inbox"], cycle["tmp"]
    a_return = next(inbox.rglob("区编办*.xlsx"))
    before = sha(plan, inbox)
    refused(capsys, "rollup", inbox, "--plan", plan, "-o", plan, words="方案工作簿")
    refused(capsys, "rollup", inbox, "--plan", plan, "-o", a_return, words="报送文件夹")
    refused(capsys, "rollup", inbox, "--plan", plan, "-o", inbox / "新汇总.xlsx", words="报送文件夹")
    refused(capsys, "rollup", inbox, "--plan", plan, "-o", inbox, words="不是 .xlsx")
    refused(capsys, "gantt", plan, "-o", plan, words="不是 .pdf")
    odd = tmp / "方案副本.pdf"  # a workbook under a .pdf name: still never written over
    odd.write_bytes(plan.read_bytes())
    refused(capsys, "gantt", odd, "-o", odd, words="来源工作簿")
    assert odd.read_bytes() == plan.read_bytes()
    refused(
        capsys,
        "distribute",
        plan,
        "-o",
        inbox / "新",
        "--period",
        "2016-12",
        "--carry-from",
        inbox,
        words="上期回收文件夹",
    )
    refused(
        capsys, "distribute", plan, "-o", inbox, "--period", "2016-12", "--carry-from", inbox, words="上期回收文件夹"
    )
    refused(capsys, "import", plan, "-o", plan, words="原文件")
    for folder in ("已有.xlsx", "已有.pdf"):
        (tmp / folder).mkdir()
    refused(capsys, "rollup", inbox, "--plan", plan, "-o", tmp / "已有.xlsx", words="是一个已有的文件夹")
    refused(capsys, "gantt", plan, "-o", tmp / "已有.pdf", words="是一个已有的文件夹")
    refused(capsys, "import", plan, "-o", tmp / "已有.xlsx", words="是一个已有的文件夹")
    refused(capsys, "distribute", plan, "-o", a_return, "--period", "2016-12", words="不是文件夹")
    (tmp / "一个文件.txt").write_text("x")
    refused(capsys, "distribute", plan, "-o", tmp / "一个文件.txt", "--period", "2016-12", words="不是文件夹")
    assert sha(plan, inbox) == before
    assert not (tmp / "历史.sqlite").exists() and not (plan.with_name("方案_历史.sqlite")).exists()


def test_distribute_never_replaces_a_filled_in_workbook(cycle, capsys):
    out = cycle["tmp"] / "out"  # the outbox of the fixture; 区财政局 fills its workbook in place
    done = cycle["sent"]["区财政局"]
    fill(done, {"4-1": {S.STATUS: "推进中"}})
    kept = sha(done)
    code, stdout, _ = cli(capsys, "distribute", cycle["plan_path"], "-o", out, "--period", "2016-11")
    assert code == 0 and f"保留了 {done.name}" in stdout
    assert sha(done) == kept
    manifest = table_rows(out / MANIFEST)
    assert any(r[1] == "区财政局" and "未替换" in str(r[5]) for r in manifest)


def table_rows(path: Path) -> list[list]:
    return [list(r) for r in load_workbook(path).active.iter_rows(values_only=True)]


# 2. Periods --------------------------------------------------------------------------------------


@pytest.mark.parametrize("period", ["2016/12", "2016年12月", "201612", "十二月"])
def test_a_period_no_return_carries_is_refused_and_records_nothing(cycle, capsys, period):
    out, db = cycle["tmp"] / "汇总.xlsx", cycle["tmp"] / "历史.sqlite"
    err = refused(
        capsys,
        "rollup",
        cycle["inbox"],
        "--plan",
        cycle["plan_path"],
        "-o",
        out,
        "--history",
        db,
        "--period",
        period,
        words="没有 2016年12月 的可用台账",
    )
    assert "2016年11月（4 个文件）" in err
    assert not out.exists() and not db.exists()


@pytest.mark.parametrize("period", ["2016-13", "明年", "2016年第四季度"])
def test_a_period_not_understood_is_refused_before_anything_is_written(cycle, capsys, period):
    out = cycle["tmp"] / "汇总.xlsx"
    refused(capsys, "rollup", cycle["inbox"], "--plan", cycle["plan_path"], "-o", out, "--period", period, words="期次")
    refused(capsys, "distribute", cycle["plan_path"], "-o", cycle["tmp"] / "新", "--period", period, words="期次")
    assert not out.exists() and not (cycle["tmp"] / "新").exists()


# 3. History --------------------------------------------------------------------------------------


def rollup_args(cycle, db: Path, name: str = "汇总.xlsx") -> list:
    return [
        "rollup",
        cycle["inbox"],
        "--plan",
        cycle["plan_path"],
        "-o",
        cycle["tmp"] / name,
        "--history",
        db,
        "--as-of",
        AS_OF.isoformat(),
    ]


def test_history_drop_removes_one_period(cycle, capsys):
    db = cycle["tmp"] / "历史.sqlite"
    assert cli(capsys, *rollup_args(cycle, db))[0] == 0
    code, out, _ = cli(capsys, "history", db, "--drop", "2016年11月")
    assert code == 0 and "已从历史数据库" in out and "2016年11月" in out
    assert cli(capsys, "history", db)[1].startswith("历史数据库")  # 「… 中还没有汇总记录」
    refused(capsys, "history", db, "--drop", "2016-10", words="没有 2016-10 期")


def test_another_plans_history_is_refused_naming_both_plans(cycle, capsys):
    db = cycle["tmp"] / "历史.sqlite"
    other = Plan(
        title="海珠区政务公开工作要点分工方案",
        doc_number="海府办〔2016〕9号",
        year=2016,
        items=[item("1-1", "任务", "要求", ["区编办"])],
    )
    other_inbox = cycle["tmp"] / "其他收件"
    other_inbox.mkdir()
    sent = distribute(other, cycle["tmp"] / "其他分发", "2016-11").files[0].path
    fill(sent, {"1-1": {S.STATUS: "推进中"}}, save_as=other_inbox / sent.name)
    other_plan = write_plan(other, cycle["tmp"] / "其他方案.xlsx")
    assert (
        cli(capsys, "rollup", other_inbox, "--plan", other_plan, "-o", cycle["tmp"] / "其他汇总.xlsx", "--history", db)[
            0
        ]
        == 0
    )
    before = sha(db)
    err = refused(capsys, *rollup_args(cycle, db), words="另一个方案")
    assert "海珠区政务公开工作要点分工方案" in err and cycle["plan"].title in err
    assert sha(db) == before and not (cycle["tmp"] / "汇总.xlsx").exists()


def test_a_busy_history_says_so_and_never_advises_deleting(cycle, capsys, monkeypatch):
    import toolkit.io.history as H

    db = cycle["tmp"] / "历史.sqlite"
    assert cli(capsys, *rollup_args(cycle, db))[0] == 0
    monkeypatch.setattr(H, "BUSY_SECONDS", 0.1)
    other = sqlite3.connect(db)
    other.execute("BEGIN EXCLUSIVE")  # another roll-up is writing
    try:
        code, _, err = cli(capsys, *rollup_args(cycle, db, "二.xlsx"))
        assert code == 4 and "正在被另一个汇总使用，请稍后再试" in err and "删除损坏" not in err
        code, _, err = cli(capsys, "history", db)
        assert code == 4 and "正在被另一个汇总使用" in err
    finally:
        other.rollback()
        other.close()
    assert not (cycle["tmp"] / "二.xlsx").exists()


def damaged(db: Path) -> None:
    """Overwrite the database's data pages (keeping its header) with garbage."""
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = b"\xff\x13" * ((len(data) - page) // 2)
    db.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "case, words",
    [
        ("corrupt", "已损坏"),
        ("foreign", "其他软件的数据库"),
        ("not_sqlite", "不是 SQLite 数据库"),
        ("readonly", "只读"),
        ("full", "磁盘空间不足"),
    ],
)
def test_each_history_fault_has_its_own_message(cycle, capsys, monkeypatch, case, words):
    import toolkit.io.history as H

    db = cycle["tmp"] / "历史.sqlite"
    out = cycle["tmp"] / "汇总.xlsx"
    if case in ("corrupt", "readonly", "full"):
        assert cli(capsys, *rollup_args(cycle, db, "上次.xlsx"))[0] == 0
    if case == "corrupt":
        damaged(db)
    elif case == "foreign":
        with sqlite3.connect(db) as con:
            con.execute("CREATE TABLE users (name TEXT)")
    elif case == "not_sqlite":
        db.write_bytes(b"not a database at all " * 100)
    elif case == "readonly":  # simulated: root ignores chmod
        monkeypatch.setattr(H.os, "access", lambda path, mode: False)
    elif case == "full":  # the summary is written, the history cannot be: said, and the history unchanged

        def full(*args, **kwargs):
            raise sqlite3.OperationalError("database or disk is full")

        monkeypatch.setattr(H, "_connect", lambda path, create: full() if create else H.sqlite3.connect(path))
    before = sha(db)
    err = refused(capsys, *rollup_args(cycle, db), words=words)
    assert "删除损坏的文件" not in err
    assert sha(db) == before
    assert out.exists() == (case == "full")


def test_history_only_after_the_summary_is_written(cycle, capsys, monkeypatch):
    import toolkit.io.summary as W

    db = cycle["tmp"] / "历史.sqlite"

    def no_space(book, tmp):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(W, "_write_xlsx", no_space)
    refused(capsys, *rollup_args(cycle, db), words="磁盘空间不足")
    assert not db.exists() and not (cycle["tmp"] / "汇总.xlsx").exists()
    assert not [p for p in cycle["tmp"].iterdir() if p.name.startswith(".~fengong-")]


# 4. The plan workbook as clerks edit it ----------------------------------------------------------


def edited_plan(tmp: Path, edit) -> Path:
    path = write_plan(small_plan(), tmp / "方案.xlsx")
    wb = load_workbook(path)
    edit(wb)
    wb.save(path)
    return path


@pytest.mark.parametrize(
    "edit, words",
    [
        (lambda wb: setattr(wb["方案"]["A3"], "value", "1-1"), "单元格 A3 的编号“1-1”与单元格 A2 重复"),
        (lambda wb: setattr(wb["方案"]["A4"], "value", None), "单元格 A4 缺少编号"),
        (lambda wb: (setattr(wb["方案"]["D6"], "value", None), setattr(wb["方案"]["E6"], "value", None)), "D6"),
        (lambda wb: wb["方案"].delete_cols(6), "缺少列：完成时限"),
        (lambda wb: setattr(wb["方案信息"]["B6"], "value", "去年"), "单元格 B6（方案年度）"),
        (lambda wb: setattr(wb["方案信息"]["B5"], "value", "十月份"), "单元格 B5（印发日期）"),
    ],
)
def test_plan_edits_that_cannot_be_understood_name_the_cell(tmp_path, capsys, edit, words):
    path = edited_plan(tmp_path, edit)
    before = sha(path)
    refused(capsys, "distribute", path, "-o", tmp_path / "分发", "--period", "2016-11", words=words)
    assert sha(path) == before and not (tmp_path / "分发").exists()


def test_plan_info_in_chinese_forms_and_a_deleted_column_are_understood(tmp_path, capsys):
    def edit(wb):
        info = wb["方案信息"]
        info["B5"], info["B6"] = "2016年10月9日", "２０１６年"
        wb["方案"].delete_cols(10)  # 上级要求, optional

    path = edited_plan(tmp_path, edit)
    plan = read_plan(path)
    assert plan.year == 2016 and plan.issue_date == date(2016, 10, 9)
    assert cli(capsys, "distribute", path, "-o", tmp_path / "分发", "--period", "十一月")[0] == 0

    def no_values(wb):
        wb["方案信息"].delete_cols(2)

    assert read_plan(edited_plan(tmp_path, no_values)).items


# 5. Every file in the inbox is accounted for -----------------------------------------------------


def test_every_file_in_the_inbox_is_accounted_for(cycle, capsys, monkeypatch):
    import toolkit.io.inbox as I

    inbox = cycle["inbox"]
    good = next(inbox.rglob("区编办*.xlsx"))
    (inbox / "二进制.xlsb").write_bytes(b"x")
    (inbox / "模板.xltx").write_bytes(b"x")
    with zipfile.ZipFile(inbox / "附件.zip", "w") as z:
        z.writestr("a.xlsx", "x")
    (inbox / "重复下载.xlsx.1").write_bytes(good.read_bytes())
    (inbox / "~$正在编辑.xlsx").write_bytes(b"lock")
    (inbox / "说明.docx").write_bytes(b"x")
    (inbox / "锁住的文件夹").mkdir()
    (inbox / "锁住的文件夹" / "看不到.xlsx").write_bytes(b"x")
    trailing = inbox / "区房管局_带空格.xlsx "
    os.rename(next(inbox.glob("区房管局*.xlsx")), trailing)
    walk = os.walk

    def walk_denied(top, onerror=None, **kw):  # simulated: root can read any folder
        for root, dirs, names in walk(top, onerror=onerror, **kw):
            if Path(root).name == "锁住的文件夹":
                onerror(PermissionError(errno.EACCES, "Permission denied", root))
                dirs[:], names[:] = [], []
                continue
            yield root, dirs, names

    monkeypatch.setattr(I.os, "walk", walk_denied)
    before = sha(inbox)
    out = cycle["tmp"] / "汇总.xlsx"
    assert cli(capsys, *rollup_args(cycle, cycle["tmp"] / "历史.sqlite"))[0] == 0
    assert sha(inbox) == before
    problems = {p["报送文件"]: p["问题及处理办法"] for p in table(out, PROBLEMS)}
    assert "另存为 .xlsx" in problems["二进制.xlsb"] and "模板" in problems["模板.xltx"]
    assert "压缩包，请解压后放回" in problems["附件.zip"]
    assert "改名为以 .xlsx 结尾" in problems["重复下载.xlsx.1"]
    assert "临时锁定文件" in problems["~$正在编辑.xlsx"] and "不是 Excel 工作簿" in problems["说明.docx"]
    assert "没有读取权限" in problems["锁住的文件夹"]
    detail = {(r["编号"], r["责任单位"]): r for r in table(out, DETAIL_SHEET)}
    assert detail["2-1", "区房管局"]["完成状态"] == "推进中"  # 「x.xlsx 」 is read
    overview = {r[0]: r[1] for r in load_sheet(out, "总览")}
    assert overview["收到文件数"] == 4 + 6  # four returns and six other files (the folder is not a file)


def load_sheet(path: Path, name: str) -> list[list]:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def test_an_unreadable_return_is_listed(cycle, monkeypatch):
    import toolkit.io.returns as R

    real = R.check_office

    def denied(path, *args, **kwargs):
        if "区政务办" in Path(path).name:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(R, "check_office", denied)
    from test_rollup import run

    result = run(cycle)
    assert any("没有权限读取" in p.message for p in result.problems)


def test_a_big_file_that_is_no_workbook_is_refused_without_being_read_whole(cycle, tmp_path):
    """A video renamed .xlsx among the returns: named and refused; only its first bytes are read."""
    from toolkit.io.sniff import office_bytes
    from toolkit.model.errors import UnsupportedFileError
    from toolkit.validate import validate

    video = tmp_path / "区政务办_会议录像.xlsx"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 5_000_000)
    assert office_bytes(video) == video.read_bytes()[:8]
    workbook = cycle["sent"]["区编办"]
    assert office_bytes(workbook) == workbook.read_bytes()
    with pytest.raises(UnsupportedFileError, match="区政务办_会议录像.xlsx.*不是Excel 工作簿"):
        validate(video)


# 6. Trust in returns -----------------------------------------------------------------------------


def set_meta(path: Path, key: str, value: str, save_as: Path) -> Path:
    wb = load_workbook(path)
    ws = wb[S.META_SHEET]
    for row in ws.iter_rows():
        if row[0].value == key:
            row[1].value = value
    wb.save(save_as)
    return save_as


def test_a_return_naming_another_unit_never_replaces_that_units_return(cycle):
    from test_rollup import run

    inbox = cycle["inbox"]
    forged = set_meta(next(inbox.glob("区政务办*.xlsx")), "unit", "区编办", inbox / "伪造.xlsx")
    os.utime(forged, (time.time() + 3600, time.time() + 3600))  # newer than 区编办's own return
    result = run(cycle)
    detail = {(r["编号"], r["责任单位"]): r for r in table(result.output, DETAIL_SHEET)}
    assert detail["1-1", "区编办"]["完成状态"] == "已完成"  # 区编办's own return is still the one used
    conflict = [p for p in result.problems if p.code == "identity_conflict"]
    assert conflict and conflict[0].file == "伪造.xlsx" and "未汇总" in conflict[0].message


def test_second_sheet_formulas_without_values_and_caps(cycle, tmp_path):
    plan = cycle["plan"]
    sent = cycle["sent"]["区编办"]

    def copy_sheet(ws, col, rows):
        copy = ws.parent.copy_worksheet(ws)
        copy.title = "任务台账（更新）"
        copy.cell(rows["1-1"], col[S.STATUS]).value = "已完成"

    extra = fill(sent, {}, edit=copy_sheet, save_as=tmp_path / "两个表.xlsx")
    found = [p for p in validate(extra, plan).problems if p.code == "other_sheet"]
    assert found and "任务台账（更新）" in found[0].message

    def formulas(ws, col, rows):
        ws.cell(rows["1-1"], col[S.STATUS]).value = '="已"&"完成"'
        ws.cell(rows["1-1"], col[S.PROGRESS]).value = "=1/1"

    formula = fill(sent, {}, edit=formulas, save_as=tmp_path / "公式.xlsx")
    found = [p for p in validate(formula, plan).problems if p.code == "formula_no_value"]
    assert found and "公式没有保存计算结果，请在 Excel/WPS 中打开并保存后再报送" in found[0].message

    def many_rows(ws, col, rows):
        for r in range(ws.max_row + 1, ws.max_row + 3001):
            ws.cell(r, 1).value = f"99-{r}"

    big = fill(sent, {}, edit=many_rows, save_as=tmp_path / "三千行.xlsx")
    problems = validate(big, plan).problems
    added = [p for p in problems if p.code == "row_added"]
    assert len(added) == 51 and "另有 2950 个同类问题" in added[-1].message


def test_formula_scan_names_exactly_the_cells_without_values(tmp_path):
    """Only cells holding an <f> count: conditional formatting's <formula>, <col> and other <c…>
    tags around them do not, a saved (or empty text) result is a value, rows above first_row are skipped."""
    from toolkit.io.xlsxparts import formulas_without_values

    sheet = (
        b'<worksheet><cols><col min="1" max="3"/></cols><sheetData>'
        b'<row r="1"><c r="A1"><f>1+1</f></c></row>'
        b'<row r="5"><c r="A5"/><c r="B5"><f>SUM(A1)</f></c><c r="C5"><f>1</f><v>1</v></c>'
        b'<c r="D5" t="str"><f>""</f><v></v></c><c\nr="E5"\ns="2"><f t="shared" si="0"/></c>'
        b'<c r="F5" t="inlineStr"><is><t>&lt;f&gt; in text</t></is></c></row>'
        b'</sheetData><conditionalFormatting sqref="A5"><cfRule type="expression"><formula>$A5=1</formula>'
        b"</cfRule></conditionalFormatting></worksheet>"
    )
    for method in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):  # parts are inflated by ISA-L, not zipfile
        path = tmp_path / f"f{method}.xlsx"
        with zipfile.ZipFile(path, "w", method) as zf:
            zf.writestr("xl/workbook.xml", b'<workbook><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>')
            zf.writestr(
                "xl/_rels/workbook.xml.rels",
                b'<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
            )
            zf.writestr("xl/worksheets/sheet1.xml", sheet)
        assert formulas_without_values(path, "S", 5) == ["B5", "E5"]
        assert formulas_without_values(io.BytesIO(path.read_bytes()), "S") == ["A1", "B5", "E5"]
    data = bytearray(path.read_bytes())  # deflated: damage the sheet's compressed bytes
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode())
    data[start : start + 8] = b"\xff" * 8
    assert formulas_without_values(io.BytesIO(bytes(data)), "S") == []  # not looked into, no exception


def test_text_cut_to_excels_cell_limit_is_reported(tmp_path):
    plan = small_plan()
    plan.items[0].requirement = "很长的要求。" * 40000  # 240,000 characters
    path = write_plan(plan, tmp_path / "方案.xlsx")
    wb = load_workbook(path)
    assert len(wb["方案"]["C2"].value) <= 32767
    notes = [r for r in wb["导入问题"].iter_rows(values_only=True) if r[0] == "方案!C2"]
    assert notes and "超过 Excel 单元格 32767 字的上限" in notes[0][1]


# 7. Text stays text ------------------------------------------------------------------------------


def formulas_in(path: Path) -> list[str]:
    """Every formula cell of an .xlsx, as 「sheet!cell」."""
    wb = load_workbook(path)
    return [
        f"{ws.title}!{c.coordinate}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]


def test_text_from_a_plan_a_unit_or_a_carried_field_stays_text_in_every_workbook(tmp_path, capsys):
    hostile = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]
    plan = Plan(
        title='=HYPERLINK("http://evil","方案")',
        doc_number="越府办〔2016〕70号",
        issuer="区政务办",
        year=2016,
        items=[item(f"{n}-1", text, text, [f"=单位{n}" if n else "=SUM(1,2)"], []) for n, text in enumerate(hostile)],
    )
    plan_path = write_plan(plan, tmp_path / "方案.xlsx")
    assert formulas_in(plan_path) == []
    sent = distribute(read_plan(plan_path), tmp_path / "上期", "2016-10")
    first = sent.files[0].path
    inbox = tmp_path / "收件"
    inbox.mkdir()
    fill(
        first,
        {"0-1": {S.STATUS: "推进中", S.PROGRESS_TEXT: '=HYPERLINK("http://evil","点我")'}},
        edit=lambda ws, col, rows: (
            setattr(ws.cell(S.FILLER_ROW, 2), "value", '=HYPERLINK("x","张三")')
            or setattr(ws.cell(S.FILLER_ROW, 2), "data_type", "s")
        ),
        save_as=inbox / first.name,
    )
    again = distribute(read_plan(plan_path), tmp_path / "本期", "2016-10", carry_from=inbox)
    assert again.files[0].carried
    stats = f"{S.TABLE_SHEET}!H2"  # 本表统计, the workbook's own formula
    for f in [*again.files, *sent.files]:
        assert set(formulas_in(f.path)) <= {stats}, f.path
    assert load_workbook(again.files[0].path)[S.TABLE_SHEET].cell(S.FILLER_ROW, 2).value.startswith("=HYPERLINK")
    assert formulas_in(again.outdir / MANIFEST) == []
    assert (
        cli(capsys, "rollup", inbox, "--plan", plan_path, "-o", tmp_path / "汇总.xlsx", "--period", "2016-10")[0] == 0
    )
    assert formulas_in(tmp_path / "汇总.xlsx") == []


# 8. OS faults ------------------------------------------------------------------------------------


def test_distribute_all_or_nothing_on_a_full_disk(cycle, capsys, monkeypatch):
    import toolkit.io.unitbook as U

    real, calls = U.build_unit_workbook, []

    def third_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(U, "build_unit_workbook", third_fails)
    new, old = cycle["tmp"] / "新分发", cycle["tmp"] / "out"
    before = sha(old)
    refused(capsys, "distribute", cycle["plan_path"], "-o", new, "--period", "2016-12", words="磁盘空间不足")
    assert not new.exists()
    calls.clear()
    refused(capsys, "distribute", cycle["plan_path"], "-o", old, "--period", "2016-12", words="磁盘空间不足")
    assert sha(old) == before
    assert not [p for p in cycle["tmp"].iterdir() if p.name.startswith(".~fengong-")]


def test_distribute_into_an_existing_outbox_is_all_or_nothing_when_a_file_is_open(cycle, capsys, monkeypatch):
    """Re-distributing into last time's outbox replaces its workbooks one rename each; the third
    rename fails (Windows: the file is open in Excel) — every earlier one is put back."""
    import toolkit.io.atomic as A

    old = cycle["tmp"] / "out"
    before = sha(old)
    real, into = os.replace, []

    def third_into_outbox_fails(src, dst):
        if Path(dst).parent == old:
            into.append(dst)
            if len(into) == 3:
                raise PermissionError(errno.EACCES, "Permission denied", str(src), None, str(dst))
        return real(src, dst)

    monkeypatch.setattr(A.os, "replace", third_into_outbox_fails)
    err = refused(
        capsys, "distribute", cycle["plan_path"], "-o", old, "--period", "2016-12", words="正在 Excel/WPS 中打开"
    )
    assert f"“{into[-1]}”" in err  # the file that could not be replaced is named
    assert len(into) == 3 and sha(old) == before  # nothing replaced, nothing added
    assert not [p for p in cycle["tmp"].iterdir() if p.name.startswith(".~fengong-")]


def test_only_temps_of_runs_that_are_gone_or_old_are_cleared(tmp_path):
    from toolkit.io.atomic import STALE_SECONDS, TEMP_PREFIX, clean_stale

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    names = {
        "dead": f"{TEMP_PREFIX}{dead.pid}-a",
        "mine": f"{TEMP_PREFIX}{os.getpid()}-b",
        "parent": f"{TEMP_PREFIX}{os.getppid()}-c",
        "old": f"{TEMP_PREFIX}{os.getppid()}-d",
        "other": "用户的文件.xlsx",
    }
    for key, name in names.items():
        (tmp_path / name).mkdir() if key != "other" else (tmp_path / name).write_bytes(b"x")
    hour_ago = time.time() - STALE_SECONDS - 60
    os.utime(tmp_path / names["old"], (hour_ago, hour_ago))
    clean_stale(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[k] for k in ("mine", "parent", "other"))


def test_a_read_only_folder_gets_a_chinese_message(cycle, capsys, monkeypatch):
    import tempfile

    real = tempfile.mkstemp, tempfile.mkdtemp

    def denied(make):
        def in_output(*args, **kwargs):  # simulated: root ignores chmod; only the output folder is read-only
            if kwargs.get("dir") == cycle["tmp"]:
                raise PermissionError(errno.EACCES, "Permission denied")
            return make(*args, **kwargs)

        return in_output

    monkeypatch.setattr(tempfile, "mkstemp", denied(real[0]))
    monkeypatch.setattr(tempfile, "mkdtemp", denied(real[1]))
    refused(capsys, *rollup_args(cycle, cycle["tmp"] / "历史.sqlite"), words="没有权限")
    refused(
        capsys, "distribute", cycle["plan_path"], "-o", cycle["tmp"] / "新", "--period", "2016-12", words="没有权限"
    )
    refused(capsys, "gantt", cycle["plan_path"], "-o", cycle["tmp"] / "图.pdf", words="没有权限")
    assert not (cycle["tmp"] / "历史.sqlite").exists()


def test_long_names_stay_within_150_bytes_and_unique(tmp_path):
    long_unit = "广州市越秀区人民政府办公室政务公开和政府信息与政务服务管理科室甲乙丙丁戊己庚辛壬癸子"
    assert len(long_unit) == 42
    plan = Plan(
        title="关于印发越秀区贯彻落实国务院办公厅二〇一六年政务公开工作要点及相关重点任务分工方案的通知" * 2,
        doc_number="",
        year=2016,
        items=[item("1-1", "任务", "要求", [long_unit + "一", long_unit + "二"])],
    )
    sent = distribute(plan, tmp_path / "分发", "2016-11")
    names = [f.path.name for f in sent.files]
    assert len(set(names)) == 2 and all(len(n.encode()) <= NAME_BYTES for n in names)
    assert all(f.path.is_file() for f in sent.files)


# 9. Interrupted at any moment --------------------------------------------------------------------


def test_kill_9_during_distribute_leaves_old_or_complete_output(tmp_path):
    units = [f"单位{n:02d}" for n in range(60)]
    plan = Plan(
        title="越秀区政务公开分工方案",
        doc_number="越府办〔2016〕1号",
        year=2016,
        items=[item(f"{n}-1", "任务", "要求", [u]) for n, u in enumerate(units)],
    )
    plan_path = write_plan(plan, tmp_path / "方案.xlsx")
    out = tmp_path / "分发"
    cmd = [sys.executable, "-m", "toolkit", "distribute", str(plan_path), "-o", str(out), "--period", "2016-11"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and not any(tmp_path.glob(".~fengong-*/*.xlsx")):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not out.exists() or len(list(out.glob("*.xlsx"))) == len(units) + 1
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".~fengong-")]  # the killed run's temp folder
    assert main(["distribute", str(plan_path), "-o", str(out), "--period", "2016-11"]) == 0
    assert len(list(out.glob("*.xlsx"))) == len(units) + 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~fengong-")]  # cleaned up


def test_stray_temp_files_of_an_earlier_run_are_cleaned_up(cycle, capsys):
    tmp = cycle["tmp"]
    stray = tmp / ".~fengong-999999-abc.xlsx"  # pid 999999: no such process
    stray.write_bytes(b"half a workbook")
    old = tmp / ".~fengong-1-old.xlsx"
    old.write_bytes(b"x")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert cli(capsys, *rollup_args(cycle, tmp / "历史.sqlite"))[0] == 0
    assert not stray.exists() and not old.exists()


def test_a_sheet_pasted_full_is_read_only_up_to_the_row_limit(cycle, tmp_path, monkeypatch):
    """A return with far more rows than a unit workbook has keeps memory bounded: only the first
    MAX_SHEET_ROWS rows are read, the rest is counted and said (measured on a real 8.5 MB return of
    250,000 rows: validate peak RSS 402 → 223 MB; docs/promises.md)."""
    from toolkit.io import returns
    from toolkit.validate import checks

    monkeypatch.setattr(returns, "MAX_SHEET_ROWS", 40)
    monkeypatch.setattr(checks, "MAX_SHEET_ROWS", 40)

    def pasted(ws, col, rows):
        for r in range(ws.max_row + 1, ws.max_row + 101):
            ws.cell(r, 1).value = f"99-{r}"

    big = fill(cycle["sent"]["区编办"], {}, edit=pasted, save_as=tmp_path / "误粘贴.xlsx")
    total = load_workbook(big)[S.TABLE_SHEET].max_row
    report = validate(big, cycle["plan"])
    found = [p for p in report.problems if p.code == "too_many_rows"]
    assert len(found) == 1 and found[0].severity == "错误"
    assert f"有 {total} 行" in found[0].message and f"其余 {total - 40} 行未读取" in found[0].message
    assert len(returns.read_return(big).rows) < 40  # the roll-up reads the same way (check_read)
