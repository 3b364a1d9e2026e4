"""Roll-up on real workbooks: distributed, filled with openpyxl as staff do, rolled up, read back."""

from __future__ import annotations

import gc
import hashlib
import json
import random
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
import render
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook
from unit_plans import item, small_plan

from toolkit.cli import main
from toolkit.distribute import distribute
from toolkit.io import schema as S
from toolkit.io.planbook import write_plan
from toolkit.io.summary import (
    DETAIL_SHEET,
    FIRST_DATA_ROW,
    Column,
    SummaryBook,
    Table,
    write_summary,
)
from toolkit.model import Plan
from toolkit.model.errors import NoMatchingReturnsError
from toolkit.model.normalise import text, to_date
from toolkit.rollup import rollup

SHEETS = ["总览", "分单位统计", "任务明细", "逾期事项", "临期事项", "未报送单位", "校验问题", "本月变化"]
AS_OF = date(2016, 11, 30)


def fill(
    path: Path,
    values: dict[str, dict[str, object]],
    *,
    filled_on: date | None = date(2016, 11, 28),
    edit=None,
    save_as: Path | None = None,
) -> Path:
    """Fill a distributed workbook: item id → {column name → value}; `edit(ws, col, rows)` breaks it."""
    wb = load_workbook(path)
    ws = wb[S.TABLE_SHEET]
    col = {ws.cell(S.HEADER_ROW, c).value: c for c in range(1, ws.max_column + 1)}
    rows = {ws.cell(r, 1).value: r for r in range(S.FIRST_DATA_ROW, ws.max_row + 1) if ws.cell(r, 1).value}
    for item_id, cells in values.items():
        for name, value in cells.items():
            cell = ws.cell(rows[item_id], col[name])
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # typed as text (openpyxl would store "=…" as a formula)
    if filled_on:
        ws.cell(S.FILLER_ROW, 8).value = filled_on
    if edit:
        edit(ws, col, rows)
    target = save_as or path
    wb.save(target)
    return target


def sheet(path: Path, name: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def table(path: Path, name: str) -> list[dict]:
    """Data rows of a summary sheet as dicts by header."""
    rows = sheet(path, name)
    header = rows[FIRST_DATA_ROW - 1]
    return [dict(zip(header, r)) for r in rows[FIRST_DATA_ROW:] if any(v not in ("", None) for v in r)]


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def cycle(tmp_path):
    """A plan workbook and an inbox of filled returns (区国资局 does not report)."""
    return make_cycle(tmp_path)


def make_cycle(tmp_path: Path) -> dict:
    """The `cycle` fixture's files (also used by tests/test_hostile.py)."""
    plan = small_plan()
    plan_path = write_plan(plan, tmp_path / "方案.xlsx")
    sent = distribute(plan, tmp_path / "out", "2016-11")
    inbox = tmp_path / "inbox"
    (inbox / "邮件附件").mkdir(parents=True)
    files = {f.unit: f.path for f in sent.files}
    fill(
        files["区编办"],
        {
            "1-1": {
                S.STATUS: "已完成",
                S.PROGRESS: 1,
                S.DONE_DATE: datetime(2016, 11, 20),
                S.EVIDENCE: "http://www.yuexiu.gov.cn/qd",
                S.PROGRESS_TEXT: '=HYPERLINK("http://evil","点我")',
            },
            "1-2": {S.STATUS: "推进中", S.PROGRESS: 0.5, S.PROGRESS_TEXT: "+配合更新栏目"},
            "2-1": {S.STATUS: "持续推进", S.PROGRESS_TEXT: "-每月检查一次"},
            "3-1": {S.STATUS: "推进中", S.PROGRESS: "80%", S.ISSUES: "@人员不足"},
        },
        save_as=inbox / "邮件附件" / files["区编办"].name,
    )

    def sort_and_filter(ws, col, rows):  # staff sorted rows backwards and hid one with the filter
        first, last = S.FIRST_DATA_ROW, max(rows.values())
        values = [[ws.cell(r, c).value for c in range(1, ws.max_column + 1)] for r in range(first, last + 1)]
        for r, line in zip(range(first, last + 1), reversed(values)):
            for c, v in enumerate(line, start=1):
                ws.cell(r, c).value = v
        ws.row_dimensions[first].hidden = True

    fill(
        files["区政务办"],
        {"1-2": {S.STATUS: "已完成", S.PROGRESS: 1, S.DONE_DATE: date(2016, 11, 1), S.EVIDENCE: "公开网址见门户网站"}},
        edit=sort_and_filter,
        save_as=inbox / files["区政务办"].name,
    )

    def insert_row(ws, col, rows):  # a row inserted above the table's first row, without id
        ws.insert_rows(S.FIRST_DATA_ROW)
        ws.cell(S.FIRST_DATA_ROW, col[S.PROGRESS_TEXT]).value = "另外补充的工作情况"

    fill(
        files["区房管局"],
        {"2-1": {S.STATUS: "推进中", S.PROGRESS: 0.3}},
        edit=insert_row,
        save_as=inbox / files["区房管局"].name,
    )
    fill(files["区财政局"], {"4-1": {S.STATUS: "未启动"}}, save_as=inbox / files["区财政局"].name)
    return {"plan": plan, "plan_path": plan_path, "inbox": inbox, "sent": files, "tmp": tmp_path}


def run(cycle, name="汇总.xlsx", **kw):
    kw.setdefault("as_of", AS_OF)
    kw.setdefault("history", cycle["tmp"] / "历史.sqlite")
    return rollup(cycle["inbox"], cycle["plan_path"], cycle["tmp"] / name, **kw)


def test_every_valid_row_appears_exactly_once(cycle):
    before = digest(cycle["inbox"])
    result = run(cycle)
    out = result.output
    assert digest(cycle["inbox"]) == before  # inputs untouched
    detail = table(out, DETAIL_SHEET)
    # Every plan item × responsible unit once, in plan order.
    keys = [(r["编号"], r["责任单位"]) for r in detail]
    expected = [(i.id, u) for i in cycle["plan"].items for u in i.units]
    assert keys == expected
    # Every filled row of every input exactly once, with its values.
    for unit, path in cycle["sent"].items():
        returned = next(cycle["inbox"].rglob(path.name), None)
        if returned is None:
            continue
        wb = load_workbook(returned, read_only=True)
        ws = wb[S.TABLE_SHEET]
        rows = list(ws.iter_rows(values_only=True))
        header = rows[S.HEADER_ROW - 1]
        for line in rows[S.HEADER_ROW :]:
            values = dict(zip(header, line))
            if not values["编号"]:
                continue
            hits = [r for r in detail if r["编号"] == values["编号"] and r["责任单位"] == unit]
            assert len(hits) == 1, (unit, values["编号"])
            assert hits[0]["完成状态"] == (values["完成状态"] or "")
            assert hits[0]["进展情况"] == (values["进展情况"] or "")
            assert hits[0]["报送文件"].endswith(path.name)
        wb.close()
    by = {(r["编号"], r["责任单位"]): r for r in detail}
    assert by["3-1", "区编办"]["完成进度"] == pytest.approx(0.8)  # 「80%」 typed as text, understood
    assert by["4-1", "区国资局"]["状态判断"] == "未报送"
    assert result.missing == ["区国资局"]
    # The inserted row without id is not silently dropped: it is listed with its cell.
    problems = table(out, "校验问题")
    assert any(
        p["报送文件"].endswith(cycle["sent"]["区房管局"].name) and p["单元格"] == f"A{S.FIRST_DATA_ROW}"
        for p in problems
    )


def test_summary_sheets_headers_and_counts(cycle):
    result = run(cycle)
    out = result.output
    wb = CalamineWorkbook.from_path(str(out))
    assert wb.sheet_names[: len(SHEETS)] == SHEETS
    overview = {r["项目"]: r["数值"] for r in table(out, "总览")}
    assert overview["报送期次"] == "2016年11月"
    assert overview["应报单位数"] == 5 and overview["已报送单位数"] == 4
    assert overview["未报送单位"] == "区国资局"
    assert overview["任务条目数（事项×单位）"] == 8
    assert overview["已完成"] == 2
    assert overview["完成率"] == pytest.approx(2 / 8, abs=1e-4)
    units = {r["单位"]: r for r in table(out, "分单位统计")}
    assert units["区编办"]["事项数"] == 4 and units["区编办"]["已完成"] == 1
    assert units["区国资局"]["报送情况"] == "未报送"
    # 1-1 is due 2016-11-30 (done); 1-2 due 12-15: due soon for 区编办, done by 区政务办;
    # 3-1 due 12-31 is 31 days away (outside 30).
    soon = table(out, "临期事项")
    assert {(r["编号"], r["责任单位"]) for r in soon} == {("1-2", "区编办")}
    assert table(out, "未报送单位")[0]["单位"] == "区国资局"
    assert result.sheet_counts[DETAIL_SHEET] == 8
    # Print setup: A3 landscape, footer, header row repeated, fonts.
    with zipfile.ZipFile(out) as z:
        xml = z.read("xl/worksheets/sheet3.xml").decode()
        workbook = z.read("xl/workbook.xml").decode()
        styles = z.read("xl/styles.xml").decode()
    assert 'paperSize="8"' in xml and 'orientation="landscape"' in xml
    assert "第 &amp;P 页，共 &amp;N 页" in xml
    assert "_xlnm.Print_Titles" in workbook and "黑体" in styles and "仿宋" in styles
    assert 'state="veryHidden"' in workbook
    assert "甘特图" in wb.sheet_names  # cell-drawn chart sheet, and the status chart on 总览
    with zipfile.ZipFile(out) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]  # native chart, figures on _chart
        assert len(charts) == 1 and "<c:barChart>" in z.read(charts[0]).decode()
        assert "../charts/chart1.xml" in z.read("xl/drawings/_rels/drawing1.xml.rels").decode()


def test_formula_injection_written_as_text(cycle, tmp_path):
    out = run(cycle).output
    wb = load_workbook(out)
    ws = wb[DETAIL_SHEET]
    texts = [c for row in ws.iter_rows(min_row=FIRST_DATA_ROW + 1) for c in row if isinstance(c.value, str)]
    risky = [c for c in texts if c.value[:1] in "=+-@"]
    assert {c.value[:1] for c in risky} >= {"=", "+", "-", "@"}
    assert all(c.data_type == "s" for c in risky)
    # The fast path (big tables spliced as XML) keeps text as text too.
    cols = (Column("编号", 8, "center"), Column("进展情况", 30, "wrap"), Column("截止日期", 11, "date"))
    rows = [(f"{i}-1", "=1+1" if i % 2 else "@A1 <&>", date(2016, 12, 31)) for i in range(300)]
    path = write_summary(
        SummaryBook("标题", "副标题", [], [Table(DETAIL_SHEET, cols, rows)], {}), tmp_path / "big.xlsx"
    )
    ws = load_workbook(path)[DETAIL_SHEET]
    got = [
        (ws.cell(r, 1).value, ws.cell(r, 2).value, ws.cell(r, 2).data_type, ws.cell(r, 3).value)
        for r in range(FIRST_DATA_ROW + 1, FIRST_DATA_ROW + 301)
    ]
    assert got == [(a, b, "s", datetime(2016, 12, 31)) for a, b, _ in rows]
    assert ws.auto_filter.ref == f"A{FIRST_DATA_ROW}:C{FIRST_DATA_ROW + 300}"


def test_two_versions_of_one_unit_newest_taken(cycle):
    files = cycle["sent"]
    older = cycle["inbox"] / "邮件附件" / files["区编办"].name
    newer = fill(
        files["区编办"],
        {"3-1": {S.STATUS: "已完成", S.PROGRESS: 1, S.DONE_DATE: date(2016, 11, 29), S.EVIDENCE: "预决算公开专栏"}},
        filled_on=date(2016, 11, 29),
        save_as=cycle["inbox"] / "区编办_修改后.xlsx",
    )
    result = run(cycle)
    detail = {(r["编号"], r["责任单位"]): r for r in table(result.output, DETAIL_SHEET)}
    assert detail["3-1", "区编办"]["完成状态"] == "已完成"
    assert detail["3-1", "区编办"]["报送文件"] == newer.name
    problems = table(result.output, "校验问题")
    assert any(
        p["报送文件"] == older.relative_to(cycle["inbox"]).as_posix() and "较早" in p["问题及处理办法"]
        for p in problems
    )


def _bad_files(cycle) -> dict[str, str]:
    """Write one file per bad-input class into the inbox; name → expected words in its problem."""
    inbox, tmp = cycle["inbox"], cycle["tmp"]
    own = rollup(
        inbox, cycle["plan_path"], tmp / "本级汇总.xlsx", period="2016-11", as_of=AS_OF, history=tmp / "本级历史.sqlite"
    )
    (inbox / "坏文件").mkdir()
    (inbox / "坏文件" / "损坏.xlsx").write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50)
    (inbox / "坏文件" / "空文件.xlsx").write_bytes(b"")
    ole = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    ole += "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512
    (inbox / "坏文件" / "加密.xlsx").write_bytes(bytes(ole))
    (inbox / "坏文件" / "旧格式.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048)
    (inbox / "~$区编办_锁定.xlsx").write_bytes(b"lock")
    other_period = distribute(cycle["plan"], tmp / "oct", "2016-10", units=["区国资局"]).files[0].path
    shutil.copy(other_period, inbox / other_period.name)
    other = Plan(
        title="另一个方案",
        doc_number="其他〔2016〕1号",
        year=2016,
        items=[item("1-1", "别的任务", "别的要求", ["区编办"])],
    )
    other_file = distribute(other, tmp / "other", "2016-11").files[0].path
    shutil.copy(other_file, inbox / "另一方案_区编办.xlsx")
    stranger = Plan(
        title=cycle["plan"].title,
        doc_number=cycle["plan"].doc_number,
        year=2016,
        items=[item("9-9", "任务", "要求", ["区外单位"])],
    )
    shutil.copy(distribute(stranger, tmp / "stranger", "2016-11").files[0].path, inbox / "区外单位.xlsx")

    def duplicate(ws, col, rows):
        ws.cell(rows["4-1"], 1).value = "4-1"
        r = ws.max_row + 1
        ws.cell(r, 1).value = "4-1"
        ws.cell(r, col[S.STATUS]).value = "已完成"

    dup = fill(
        distribute(cycle["plan"], tmp / "dup", "2016-11", units=["区国资局"]).files[0].path,
        {"4-1": {S.STATUS: "推进中"}},
        edit=duplicate,
        save_as=inbox / "区国资局_重复编号.xlsx",
    )
    shutil.copy(own.output, inbox / "本级汇总.xlsx")
    (inbox / "说明.et").write_bytes(b"x")
    return {
        "坏文件/损坏.xlsx": "损坏",
        "坏文件/空文件.xlsx": "空文件",
        "坏文件/加密.xlsx": "密码",
        "坏文件/旧格式.xls": "另存为",
        other_period.name: "2016年10月",
        "另一方案_区编办.xlsx": "另一个方案",
        "区外单位.xlsx": "不是本方案的责任单位",
        dup.name: "重复",
        "本级汇总.xlsx": "本级",
        "说明.et": "另存为",
    }


def test_each_bad_input_is_listed_and_never_aborts(cycle):
    expected = _bad_files(cycle)
    before = digest(cycle["inbox"])
    result = run(cycle)
    assert digest(cycle["inbox"]) == before
    problems = table(result.output, "校验问题")
    for name, words in expected.items():
        found = [p for p in problems if p["报送文件"] == name]
        assert found, name
        assert any(words in p["问题及处理办法"] for p in found), (name, found)
    lock = [p for p in problems if "锁定" in p["报送文件"]]  # ~$ lock files are skipped, and said so
    assert lock and "临时锁定文件" in lock[0]["问题及处理办法"]
    detail = {(r["编号"], r["责任单位"]): r for r in table(result.output, DETAIL_SHEET)}
    assert detail["4-1", "区国资局"]["完成状态"] == "推进中"  # duplicated id: first row taken …
    assert detail["1-1", "区编办"]["完成状态"] == "已完成"  # … and good files still rolled up
    assert len(detail) == 8


def city_rollup(cycle, tmp_path):
    """The district (越秀区) summary rolled up by the city (越秀区 and 海珠区, which does not report)."""
    district = run(cycle, unit="越秀区").output
    city = Plan(
        title="广州市2016年政务公开工作要点分工方案",
        doc_number="穗府办〔2016〕1号",
        year=2016,
        items=[
            item(i.id, i.task, i.requirement, ["越秀区", "海珠区"], deadline=i.deadline_text)
            for i in cycle["plan"].items
        ],
    )
    city_plan = write_plan(city, tmp_path / "市方案.xlsx")
    city_inbox = tmp_path / "市收件"
    city_inbox.mkdir()
    shutil.copy(district, city_inbox / "越秀区汇总.xlsx")
    result = rollup(
        city_inbox, city_plan, tmp_path / "市汇总.xlsx", as_of=AS_OF, unit="广州市", history=tmp_path / "市历史.sqlite"
    )
    return table(district, DETAIL_SHEET), result


def test_two_level_rollup_district_summaries_into_city(cycle, tmp_path):
    district_rows, result = city_rollup(cycle, tmp_path)
    assert result.reported == ["越秀区"] and result.missing == ["海珠区"]
    detail = table(result.output, DETAIL_SHEET)
    from_district = [r for r in detail if r["责任单位"] == "越秀区"]
    # Every row of the district summary once, its unit kept as sub-unit.
    assert sorted((r["编号"], r["下级单位"]) for r in from_district) == sorted(
        (r["编号"], r["责任单位"]) for r in district_rows
    )
    by = {(r["编号"], r["下级单位"]): r for r in from_district}
    assert by["1-1", "区编办"]["完成状态"] == "已完成"
    assert by["1-1", "区编办"]["报送文件"] == "越秀区汇总.xlsx"
    units = {r["单位"]: r for r in table(result.output, "分单位统计")}
    assert units["越秀区"]["事项数"] == len(district_rows)
    # The city summary in turn names its level for the province.
    meta = {r[0]: r[1] for r in sheet(result.output, S.META_SHEET) if r and r[0]}
    assert meta["kind"] == "summary" and meta["unit"] == "广州市"
    # A summary of the level above, put into the district's inbox by mistake, is refused.
    shutil.copy(result.output, cycle["inbox"] / "市汇总.xlsx")
    again = run(cycle, name="区汇总2.xlsx", unit="越秀区")
    refused = [p for p in again.problems if p.file == "市汇总.xlsx"]
    assert refused and "其他层级" in refused[0].message
    assert again.sheet_counts[DETAIL_SHEET] == len(district_rows)


def test_one_level_up_a_district_unit_that_did_not_report_stays_未报送(cycle, tmp_path):
    district_rows, result = city_rollup(cycle, tmp_path)
    assert [(r["编号"], r["状态判断"]) for r in district_rows if r["责任单位"] == "区国资局"] == [("4-1", "未报送")]
    detail = {(r["编号"], r["责任单位"], r["下级单位"]): r for r in table(result.output, DETAIL_SHEET)}
    assert detail["4-1", "越秀区", "区国资局"]["状态判断"] == "未报送"
    assert detail["4-1", "越秀区", "区财政局"]["状态判断"] == "按期推进"  # reported 未启动, due in 31 days
    overview = {r["项目"]: r["数值"] for r in table(result.output, "总览")}
    reported_blank = sum(r["完成状态"] == "" and r["状态判断"] != "未报送" for r in district_rows)
    assert overview["未报送"] == 5 + 1  # 海珠区's five items and the district's 区国资局 row
    assert overview["未填状态"] == reported_blank
    units = {r["单位"]: r for r in table(result.output, "分单位统计")}
    assert units["越秀区"]["未报送"] == 1 and units["越秀区"]["未填状态"] == reported_blank
    assert units["海珠区"]["未报送"] == 5 and units["海珠区"]["未填状态"] == 0


def test_history_idempotent_and_changes(cycle, capsys):
    db = cycle["tmp"] / "历史.sqlite"
    # An October run over November files refuses (naming the period the files carry) and records nothing.
    with pytest.raises(NoMatchingReturnsError, match="2016年11月"):
        run(cycle, period="2016-10", as_of=date(2016, 10, 31))
    assert not db.exists()
    first = run(cycle)
    assert first.sheet_counts["本月变化"] == 0
    run(cycle)  # re-running a period replaces it
    import sqlite3

    con = sqlite3.connect(db)
    counts = dict(con.execute("SELECT period, COUNT(*) FROM rows GROUP BY period"))
    con.close()
    assert counts == {"2016-11": 8}
    # December: 区财政局 finishes 4-1.
    files = cycle["sent"]
    dec = distribute(cycle["plan"], cycle["tmp"] / "dec", "2016-12", units=["区财政局"]).files[0].path
    december = cycle["tmp"] / "dec_inbox"
    december.mkdir()
    fill(
        dec,
        {"4-1": {S.STATUS: "已完成", S.PROGRESS: 1, S.DONE_DATE: date(2016, 12, 10), S.EVIDENCE: "网址"}},
        filled_on=date(2016, 12, 20),
        save_as=december / dec.name,
    )
    shutil.copy(next(cycle["inbox"].rglob(files["区编办"].name)), december / "区编办_上月.xlsx")
    result = rollup(
        december,
        cycle["plan_path"],
        cycle["tmp"] / "十二月.xlsx",
        period="2016-12",
        history=db,
        as_of=date(2016, 12, 31),
    )
    changes = table(result.output, "本月变化")
    assert any(c["变化"] == "新完成" and c["编号"] == "4-1" and c["责任单位"] == "区财政局" for c in changes)
    assert main(["history", str(db)]) == 0
    out = capsys.readouterr().out
    assert "2016-11" in out and "2016-12" in out and "区财政局" in out
    assert main(["history", str(db), "--json"]) == 0
    periods = json.loads(capsys.readouterr().out)
    assert [p["period"] for p in periods] == ["2016-11", "2016-12"]
    assert periods[1]["units"]["区财政局"] == {"done": 1, "items": 1, "reported": True}


def test_history_says_未报送_for_a_unit_that_did_not_report(cycle, capsys):
    db = cycle["tmp"] / "历史.sqlite"
    run(cycle)  # 区国资局 does not report; 区财政局 reports 4-1 as 未启动 (nothing done)
    assert main(["history", str(db), "--json"]) == 0
    units = json.loads(capsys.readouterr().out)[0]["units"]
    assert units["区国资局"] == {"done": None, "items": 1, "reported": False}
    assert units["区财政局"] == {"done": 0, "items": 1, "reported": True}
    assert main(["history", str(db)]) == 0
    lines = {
        line.split()[0]: line.split()[1:] for line in capsys.readouterr().out.splitlines() if line.startswith("区")
    }
    assert lines["区国资局"] == ["未报送"]
    assert lines["区财政局"] == ["0/1", "0%"]


def test_cli_rollup_json_and_closing_line(cycle, capsys):
    args = [
        "rollup",
        str(cycle["inbox"]),
        "--plan",
        str(cycle["plan_path"]),
        "-o",
        str(cycle["tmp"] / "s.xlsx"),
        "--period",
        "2016-11",
        "--as-of",
        "2016-11-30",
        "--due-days",
        "10",
    ]
    assert main(args) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("汇总完成：4 个文件，4/5 个单位已报送") and line.endswith("s.xlsx")
    assert main(args + ["--json", "--return-by", "2016-11-27"]) == 0  # returns are dated 11-28
    data = json.loads(capsys.readouterr().out)
    on_time = {u["单位"]: u["按时报送"] for u in data["units"]}
    assert on_time["区编办"] == "否" and on_time["区国资局"] == "—"
    assert data["overview"]["已报送单位数"] == 4 and data["sheets"]["任务明细"] == 8
    assert {u["单位"] for u in data["units"]} == set(cycle["plan"].units)
    assert "临期（10天内到期）" in data["overview"]
    assert (cycle["plan_path"].parent / "方案_历史.sqlite").is_file()  # default history beside the plan
    assert main(["rollup", str(cycle["tmp"] / "没有"), "--plan", str(cycle["plan_path"]), "-o", "x.xlsx"]) == 2
    assert "错误：" in capsys.readouterr().err
    assert gc.isenabled()  # the command pauses collection only while it runs, even when it fails


def test_many_files_read_in_threads(tmp_path):
    """≥ 16 files are read in threads; every row and every validator finding still arrives."""
    units = [f"区第{n}局" for n in range(18)]
    plan = Plan(
        title="并行测试方案",
        doc_number="测试〔2016〕2号",
        year=2016,
        items=[item(f"{n + 1}-1", "任务", f"要求{n}", [u]) for n, u in enumerate(units)],
    )
    plan_path = write_plan(plan, tmp_path / "方案.xlsx")
    sent = distribute(plan, tmp_path / "out", "2016-11")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n, f in enumerate(sent.files):

        def rewrite(ws, col, rows):
            ws.cell(rows["1-1"], col["具体要求"]).value = "被改写的要求"

        fill(
            f.path,
            {plan.items_for(f.unit)[0].id: {S.STATUS: "推进中", S.PROGRESS: n / 100}},
            edit=rewrite if f.unit == "区第0局" else None,
            save_as=inbox / f.path.name,
        )
    result = rollup(inbox, plan_path, tmp_path / "汇总.xlsx", as_of=AS_OF)
    detail = table(result.output, DETAIL_SHEET)
    assert sorted((r["责任单位"], r["完成进度"]) for r in detail) == sorted((u, n / 100) for n, u in enumerate(units))
    locked = [p for p in result.problems if p.code == "locked_changed"]
    assert [(p.file, p.cell) for p in locked] == [(sent.files[0].path.name, f"C{S.FIRST_DATA_ROW}")]


@pytest.mark.skipif(not render.have_tools(), reason="LibreOffice/poppler not installed (.ci/run installs them)")
def test_summary_renders_in_libreoffice(cycle, tmp_path):
    """LibreOffice opens the summary (spliced rows included), prints A3 landscape with the footer."""
    out = run(cycle).output
    pdf = render.to_pdf(out, tmp_path / "pdf")
    sizes = render.pdf_pages(pdf)
    assert sizes and all(render.is_paper(s, "A3", landscape=True) for s in sizes)
    text = render.pdf_text(pdf)
    assert "落实情况汇总" in text
    assert "第 1 页，共" in text and "区国资局" in text
    assert all(f.startswith("NotoSansSC") for f in render.pdf_fonts(pdf))  # the shipped font, no tofu
    cols = (Column("编号", 8, "center"), Column("进展情况", 30, "wrap"), Column("完成进度", 9, "pct"))
    rows = [(f"{i}-1", f"第{i}行 <&> 进展", i / 1000) for i in range(600)]
    big = write_summary(SummaryBook("标题", "副标题", [], [Table(DETAIL_SHEET, cols, rows)], {}), tmp_path / "big.xlsx")
    back = load_workbook(render.recalc(big, tmp_path / "lo"), read_only=True)[DETAIL_SHEET]
    got = [r for r in back.iter_rows(min_row=FIRST_DATA_ROW + 1, values_only=True) if r[0]]
    assert got == [(a, b, pytest.approx(c)) for a, b, c in rows]


def test_non_standard_layout_matched_by_header_with_warning(cycle):
    """A unit's own sheet (no metadata, table lower down, 序号/状态/进度 headers) still counts."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "工作进展"
    ws.append(["区编办2016年11月工作进展（自制表）"])
    ws.append([])
    ws.append(["序号", "工作任务", "具体要求", "牵头单位", "状态", "进度", "完成情况", "完成日期"])
    ws.append(["1-1", "权责清单", "（略）", "区编办", "已完成", 1, "已公开", datetime(2016, 11, 20)])
    ws.append(["3-1", "预决算公开", "（略）", "区编办", "推进中", 0.6, "正在整理", None])
    (cycle["inbox"] / "邮件附件" / cycle["sent"]["区编办"].name).unlink()
    wb.save(cycle["inbox"] / "区编办_自制表_2016年11月.xlsx")
    result = run(cycle)
    detail = {(r["编号"], r["责任单位"]): r for r in table(result.output, DETAIL_SHEET)}
    assert detail["3-1", "区编办"]["完成状态"] == "推进中"
    assert detail["3-1", "区编办"]["完成进度"] == pytest.approx(0.6)
    assert detail["1-1", "区编办"]["进展情况"] == "已公开"
    assert detail["1-1", "区编办"]["报送文件"] == "区编办_自制表_2016年11月.xlsx"
    mine = [p for p in result.problems if p.file == "区编办_自制表_2016年11月.xlsx"]
    assert any("不是标准台账格式" in p.message and p.severity == "提醒" for p in mine)
    assert any(p.code == "unit_from_name" for p in mine)


def test_demo_runs_two_periods_with_history_and_a_city_rollup(tmp_path):
    from toolkit.demo import run_demo
    from toolkit.io.history import overview

    lines = list(run_demo(tmp_path))
    text = "\n".join(lines)
    assert "汇总 2016年11月" in text and "汇总 2016年12月" in text and "本月变化" in text
    assert any(line.startswith("7. 市级汇总") for line in lines)
    assert [p.period for p in overview(tmp_path / "方案_历史.sqlite")] == ["2016-11", "2016-12"]
    november = {p["报送文件"] for p in table(tmp_path / "汇总_2016年11月.xlsx", "校验问题")}
    assert any("损坏" in name for name in november)
    city = table(tmp_path / "市汇总_2016年12月.xlsx", DETAIL_SHEET)
    assert {r["责任单位"] for r in city} == {"越秀区", "海珠区"}
    assert len([r for r in city if r["责任单位"] == "越秀区"]) == len(
        table(tmp_path / "汇总_2016年12月.xlsx", DETAIL_SHEET)
    )


def test_a_file_the_validator_cannot_check_is_still_rolled_up(cycle, monkeypatch):
    from toolkit import validate

    real = validate.check_return

    def flaky(ret, plan=None, **kw):
        if ret.unit == "区财政局":
            raise ValueError("模拟的校验故障")
        return real(ret, plan, **kw)

    monkeypatch.setattr(validate, "check_return", flaky)
    result = run(cycle)
    assert [p.code for p in result.problems if p.file == cycle["sent"]["区财政局"].name] == ["not_validated"]
    detail = {(r["编号"], r["责任单位"]): r for r in table(result.output, DETAIL_SHEET)}
    assert detail["4-1", "区财政局"]["完成状态"] == "未启动"


FILL_TEXTS = ["已部署", "  前后空格  ", "=SUM(A1:A2)", "+86", "-每月", "@某人", "a & b <c>", "多行\n第二行", "𠀀扩展"]


def _random_fill(rng, ids: list[str]) -> dict[str, dict[str, object]]:
    """Random fill-ins of every fill column for some of `ids`."""
    values = {}
    for item_id in ids:
        if rng.random() < 0.2:
            continue  # left empty
        status = rng.choice(S.STATUS_VALUES)
        values[item_id] = {
            S.STATUS: status,
            S.PROGRESS: round(rng.random(), 2),
            S.PROGRESS_TEXT: f"{rng.choice(FILL_TEXTS)}{rng.randrange(10**6)}",
            S.EVIDENCE: rng.choice(["", f"http://x.gov.cn/{rng.randrange(999)}"]),
            S.DONE_DATE: datetime(2016, 11, rng.randint(1, 28)) if status == S.DONE else None,
            S.ISSUES: rng.choice(FILL_TEXTS),
            S.NOTES: rng.choice(["", "备注", "=1"]),
        }
    return values


def _random_edit(rng):
    """Staff's edits that must not lose a row: sort, filter (hide), insert rows with or without 编号."""
    kind = rng.choice(["none", "reverse", "hide", "insert", "insert_top"])

    def edit(ws, col, rows):
        first, last = S.FIRST_DATA_ROW, max(rows.values())
        if kind == "reverse":
            values = [
                [(ws.cell(r, c).value, ws.cell(r, c).data_type) for c in range(1, ws.max_column + 1)]
                for r in range(first, last + 1)
            ]
            for r, line in zip(range(first, last + 1), reversed(values)):
                for c, (v, data_type) in enumerate(line, start=1):
                    ws.cell(r, c).value = v
                    ws.cell(r, c).data_type = data_type  # text stays text, as when Excel sorts
        elif kind == "hide":
            ws.row_dimensions[rng.randint(first, last)].hidden = True
        elif kind in ("insert", "insert_top"):
            at = first if kind == "insert_top" else rng.randint(first + 1, last + 1)
            ws.insert_rows(at)
            ws.cell(at, col[S.PROGRESS_TEXT]).value = "插入的说明行"

    return edit


@pytest.mark.parametrize("seed", range(4))
def test_nothing_lost_over_random_returns(tmp_path, seed):
    """Every filled row of the newest version of every unit lands in 任务明细 exactly once, with
    every fill column; older versions, sorting, filtering and inserted rows change nothing."""
    rng = random.Random(seed)
    units = rng.sample(["区编办", "区政务办", "区房管局", "区财政局", "区国资局", "区民政局"], rng.randint(3, 5))
    items = []
    for k in range(rng.randint(5, 9)):
        chosen = rng.sample(units, rng.randint(1, min(3, len(units))))
        items.append(
            item(
                f"{k // 3 + 1}-{k % 3 + 1}",
                f"任务{k}",
                f"要求{k}",
                chosen[:1],
                chosen[1:],
                deadline=rng.choice(["2016年11月15日前", "2016年12月底前", "全年"]),
            )
        )
    plan = Plan(title="随机方案", doc_number="随〔2016〕1号", issuer="区政务办", year=2016, items=items)
    plan_path = write_plan(plan, tmp_path / "方案.xlsx")
    sent = distribute(plan, tmp_path / "out", "2016-11")
    inbox = tmp_path / "inbox"
    (inbox / "旧版本").mkdir(parents=True)
    expected: dict[tuple[str, str], dict] = {}
    used_file: dict[str, str] = {}
    for f in sent.files:
        if rng.random() < 0.2:
            continue  # does not report
        ids = [i.id for i in plan.items_for(f.unit)]
        if rng.random() < 0.4:  # an older version, filled differently, in a subfolder
            fill(
                f.path,
                _random_fill(rng, ids),
                filled_on=date(2016, 11, 20),
                save_as=inbox / "旧版本" / f"{f.unit}_旧.xlsx",
            )
        values = _random_fill(rng, ids)
        target = fill(f.path, values, filled_on=date(2016, 11, 28), edit=_random_edit(rng), save_as=inbox / f.path.name)
        used_file[f.unit] = target.name
        for item_id in ids:
            expected[item_id, f.unit] = values.get(item_id, {})
    before = digest(inbox)
    result = rollup(inbox, plan_path, tmp_path / "汇总.xlsx", as_of=AS_OF, history=tmp_path / "h.sqlite")
    assert digest(inbox) == before
    detail = table(result.output, DETAIL_SHEET)
    keys = [(r[S.ID], r["责任单位"]) for r in detail]
    assert sorted(keys) == sorted((i.id, u) for i in plan.items for u in i.units)  # each exactly once
    for r in detail:
        key = (r[S.ID], r["责任单位"])
        if key[1] not in used_file:
            assert r["状态判断"] == "未报送" and r[S.STATUS] == "", key
            continue
        want = expected[key]
        assert r["报送文件"] == used_file[key[1]], key
        for column in (S.STATUS, S.PROGRESS_TEXT, S.EVIDENCE, S.ISSUES, S.NOTES):
            assert r[column] == text(want.get(column)), (key, column)
        assert (r[S.PROGRESS] if r[S.PROGRESS] != "" else None) == want.get(S.PROGRESS), key
        assert to_date(r[S.DONE_DATE]).value == to_date(want.get(S.DONE_DATE)).value, key


def test_a_missing_output_folder_stops_before_anything_is_written(cycle):
    from toolkit.model.errors import OutputError

    db = cycle["tmp"] / "历史.sqlite"
    with pytest.raises(OutputError):
        run(cycle, name="没有的文件夹/汇总.xlsx")
    assert not db.exists()  # the history does not record a roll-up whose summary was never written


EXCEL_FILLS = {
    1: "solid",
    6: "darkVertical",
    11: "lightHorizontal",
    12: "lightVertical",
    13: "lightDown",
    14: "lightUp",
}
EXCEL_FILLS |= {15: "lightGrid", 16: "lightTrellis", 17: "gray125"}  # what openpyxl reads back


@pytest.mark.parametrize("as_of,due_days", [(date(2016, 11, 30), 30), (date(2016, 11, 1), 61), (date(2017, 1, 5), 30)])
def test_the_sheet_and_the_pdf_draw_every_item_the_same(cycle, monkeypatch, as_of, due_days, tmp_path):
    """The 甘特图 sheet (drawn from the roll-up's entries), a PDF drawn from the written summary and
    the summary's 任务明细 give every item × unit the same 序时进度 and 亮灯: 未报送 on its own,
    逾期 once late, reported or not; the sheet's 状态 cells and bars, and the PDF's text, say it."""
    from openpyxl import load_workbook

    from toolkit.charts import sheet
    from toolkit.charts.gantt import ChartOptions, chart
    from toolkit.charts.timeline import STYLES, build_rows
    from toolkit.io.chartsource import read_source
    from toolkit.model.schedule import LIGHT_COLOURS

    drawn = {}
    real = sheet.write_gantt_sheet

    def spy(wb, plan, statuses, **kw):
        rows = build_rows(plan, statuses, status_date=kw["status_date"], due_days=kw["due_days"])
        drawn.update({(r.item_id, r.unit): r for r in rows})
        return real(wb, plan, statuses, **kw)

    monkeypatch.setattr(sheet, "write_gantt_sheet", spy)
    result = run(cycle, as_of=as_of, due_days=due_days)
    source = read_source(result.output)
    assert (source.status_date, source.due_days) == (as_of, due_days)  # `fengong gantt` judges as the summary did
    from_pdf = build_rows(source.plan, source.statuses, status_date=source.status_date, due_days=source.due_days)

    def state(r):
        return (r.style, r.state_label, r.pace, r.light, r.pace_label)

    assert drawn and {k: state(r) for k, r in drawn.items()} == {(r.item_id, r.unit): state(r) for r in from_pdf}
    detail = {(r["编号"], r["责任单位"]): (r["序时进度"], r["亮灯"] or "") for r in table(result.output, "任务明细")}
    assert {k: (r.pace, r.light) for k, r in drawn.items()} == {k: detail[k] for k in drawn}
    assert {r.pace for r in drawn.values()} >= (
        {"欠序时", "未报送"} if as_of < date(2016, 12, 31) else {"已完成", "逾期"}
    )
    assert ("黄灯" in {r.light for r in drawn.values()}) == (due_days == 61)  # 3-1: due 60 days on, 达序时
    missing = drawn[("4-1", "区国资局")]
    assert (missing.style, missing.state_label) == (
        ("missing", "未报送") if as_of < date(2016, 12, 31) else ("overdue", "未报送")
    )
    ws = load_workbook(result.output)["甘特图"]
    first = next(r for r in range(1, 10) if ws.cell(r, 1).value == "编号")
    months = {ws.cell(first, c).value: c for c in range(7, ws.max_column + 1)}
    for cells in ws.iter_rows(min_row=first + 1):
        row = drawn.get((cells[0].value, (cells[2].value or "").removesuffix("（配合）")))
        if row is None:
            continue
        assert cells[4].value == "\n".join(x for x in (row.state_label, row.pace_label) if x)
        fill = cells[4].fill
        assert (fill.fgColor.rgb[-6:] if fill.patternType else "") == LIGHT_COLOURS.get(row.light, "#")[0][1:]
        if row.kind == "date" and row.due and row.due.year == 2016 and (row.progress or 0) < 0.8:
            bar = cells[months[f"{row.due.month}月"] - 1]  # the due month's cell: the bar, not its progress
            assert bar.fill.patternType == EXCEL_FILLS[sheet.PATTERNS[STYLES[row.style][3]]], row
    pdf = tmp_path / "图.pdf"
    chart(result.output, pdf, ChartOptions())
    above_legend = ["-x", "0", "-y", "0", "-W", "1200", "-H", "800"]  # A3 landscape: 1191 × 842 pt
    text = subprocess.run(["pdftotext", *above_legend, str(pdf), "-"], capture_output=True, text=True, check=True)
    lines = [line.replace(" ", "") for line in text.stdout.splitlines()]
    for label in {r.pace_label for r in drawn.values() if r.pace_label}:
        assert lines.count(label) == sum(r.pace_label == label for r in drawn.values()), label


def test_problems_name_the_unit_that_sent_the_file(cycle):
    result = run(cycle)
    rows = table(result.output, "校验问题")
    by_name = {path.name: unit for unit, path in cycle["sent"].items()}
    named = [r for r in rows if r["报送文件"].split("/")[-1] in by_name]
    assert named, rows
    assert all(r["单位"] == by_name[r["报送文件"].split("/")[-1]] for r in named)


def test_a_units_chart_row_shows_its_least_advanced_sub_unit():
    """One level up the charts draw a unit's row from one sub-unit's: a red one (逾期 before 欠序时)
    before any other not done, 已完成 only when every sub-unit is done."""
    from toolkit.model import Item
    from toolkit.rollup.entry import Entry
    from toolkit.rollup.tables import chart_statuses

    it = Item(id="1-1", task="t", requirement="r")

    def entry(sub, status, pace, unit="越秀区"):
        return Entry(it, unit, S.ROLE_LEAD, sub, status=status, state="按期推进", pace=pace)

    entries = [
        entry("区编办", "已完成", "已完成"),
        entry("区政务办", "持续推进", "达序时"),
        entry("区房管局", "推进中", "欠序时"),
        entry("区财政局", "未启动", "欠序时"),
        entry("区编办", "已完成", "已完成", unit="海珠区"),
        entry("区政务办", "持续推进", "达序时", unit="荔湾区"),
        entry("区编办", "推进中", "逾期", unit="荔湾区"),
    ]
    got = {unit: r.status for (_, unit), r in chart_statuses(entries).items()}
    assert got == {"越秀区": "推进中", "海珠区": "已完成", "荔湾区": "推进中"}
    assert chart_statuses(entries[:2])[("1-1", "越秀区")].status == "持续推进"


@pytest.mark.parametrize("as_of", [date(2016, 11, 30), date(2016, 12, 20), date(2017, 1, 10)])
def test_match_judges_every_entry_as_judge_alone_would(as_of):
    """`match` asks `judge` once per item, status and reported; every entry must still carry the
    days and state `judge` gives it alone, whatever its status, for units reported or not."""
    from dataclasses import replace

    from toolkit.io.inbox import Return, ReturnRow
    from toolkit.rollup.entry import filled_in, judge
    from toolkit.rollup.match import match

    units = [f"单位{i}" for i in range(12)]
    plan = Plan(
        title="t",
        year=2016,
        items=[
            item("1-1", "任务一", "要求", units[:6], units[6:], deadline="2016年12月15日前"),
            item("1-2", "任务二", "要求", units[:3], deadline="全年"),
            item("2-1", "任务三", "要求", units, deadline="2016年11月30日前"),
        ],
    )
    statuses = [*S.STATUS_VALUES, "", "看不懂的状态"]
    chosen = {}
    for n, unit in enumerate(units[:-2]):  # the last two did not report
        rows = [
            ReturnRow(it.id, 5 + k, {S.STATUS: statuses[(n + k) % len(statuses)]})
            for k, it in enumerate(plan.items_for(unit))
            if (n + k) % 5  # some reported without the item's row
        ]
        for r in rows:
            r.filled = filled_in(r.values)
        chosen[unit] = Return(Path(f"{unit}.xlsx"), f"{unit}.xlsx", kind=S.KIND, unit=unit, rows=rows)
    entries = match(plan, chosen, as_of, due_days=10)
    assert len(entries) == sum(len(it.units) for it in plan.items)
    assert len({(e.status, e.state) for e in entries}) >= 6  # the memo is really shared
    for e in entries:
        reported = e.unit in chosen
        alone = judge(replace(e, state="", days=-999), as_of, 10, reported)
        assert (e.days, e.state) == (alone.days, alone.state), (e.item.id, e.unit, e.status)
