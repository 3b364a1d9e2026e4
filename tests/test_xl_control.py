"""The add-in's entry points and the value converter without Excel, on real workbooks read the
way xlwings delivers them (openpyxl values: numbers as float, dates as datetime, empty as None);
the worksheet functions as plain functions; the `xl` command without Excel."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from toolkit import cli
from toolkit.actions import RESULT_COLUMNS, report_rows
from toolkit.demo import sample_path
from toolkit.model.errors import PeriodError, SettingsError, UsageError
from toolkit.xl import control as C
from toolkit.xl import convert


def as_xlwings(path: Path) -> dict[str, list[list]]:
    """Every sheet from A1 to its last used cell, as `range.options(ndim=2).value` gives it."""
    from openpyxl import load_workbook

    wb = load_workbook(path, data_only=True)

    def value(v):
        if isinstance(v, bool) or v is None or isinstance(v, (str, datetime)):
            return v
        if isinstance(v, (int, float)):
            return float(v)
        if isinstance(v, date):
            return datetime(v.year, v.month, v.day)
        return v

    out = {
        ws.title: [
            [value(c) for c in row]
            for row in ws.iter_rows(min_row=1, min_col=1, max_row=ws.max_row, max_col=ws.max_column, values_only=True)
        ]
        for ws in wb.worksheets
    }
    wb.close()
    return out


def active(path: Path, saved: bool = True, fullname: str | None = None) -> C.ActiveBook:
    sheets = as_xlwings(path)
    return C.ActiveBook(fullname=fullname or str(path), sheets=list(sheets), load=sheets.__getitem__, saved=saved)


class Ask:
    """Stands in for Excel's dialogs: answers given up front, questions recorded."""

    def __init__(self, folder=None, text=None):
        self.answers, self.asked = {"folder": folder, "text": text}, []

    def folder(self, title):
        self.asked.append(title)
        return self.answers["folder"]

    def text(self, prompt, default):
        self.asked.append(prompt)
        return self.answers["text"]


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """A plan workbook, the unit workbooks distributed from it, one filled in with mistakes."""
    from toolkit.distribute import distribute
    from toolkit.importers import import_plan
    from toolkit.io.planbook import write_plan
    from toolkit.io.unitbook import fill_copy

    base = tmp_path_factory.mktemp("办公室")
    plan = import_plan(sample_path())
    plan_path = write_plan(plan, base / "方案.xlsx")
    sent = distribute(plan, base / "发件", "2016-11")
    first = max(sent.files, key=lambda f: f.lead + f.co)
    ids = [i.id for i in plan.items_for(first.unit)]
    entries = {i: {"完成状态": "推进中", "完成进度": 0.5, "进展情况": "已部署。"} for i in ids}
    entries[ids[0]] = {"完成状态": "完成了", "完成进度": "八成", "完成日期": "2016.11.30"}
    entries[ids[1]] = {"完成状态": "已完成", "完成进度": 150, "具体要求": "（被改写的方案内容）"}
    bad = fill_copy(
        first.path,
        base / f"填错_{first.path.name}",
        entries,
        {"填报人": "张三", "联系电话": "83000000", "填报日期": date(2016, 11, 30)},
    )
    inbox = base / "报送2016-11"
    inbox.mkdir()
    for f in sent.files[:3]:
        shutil.copy(f.path, inbox / f.path.name)
    return {"base": base, "plan": plan, "plan_path": plan_path, "sent": sent, "bad": bad, "inbox": inbox}


def with_config(office, tmp_path, **rows) -> Path:
    """A copy of the plan workbook with setting rows added to its 方案信息 sheet."""
    from openpyxl import load_workbook

    path = tmp_path / "方案.xlsx"
    wb = load_workbook(office["plan_path"])
    for label, value in rows.items():
        wb[C.INFO_SHEET].append([label, value])
    wb.save(path)
    return path


# --- the converter -------------------------------------------------------------------------


def test_grid_takes_every_shape_xlwings_returns():
    assert convert.grid("a") == [["a"]]
    assert convert.grid(None) == [[""]]
    assert convert.grid(["a", None, 2.0]) == [["a", "", 2.0]]
    assert convert.grid([[datetime(2016, 11, 30), datetime(2016, 11, 30, 9, 5)]]) == [
        [date(2016, 11, 30), datetime(2016, 11, 30, 9, 5)]
    ]


def test_settings_as_excel_types_them():
    assert str(convert.period(datetime(2016, 11, 1))) == "2016-11"
    assert str(convert.period("2016年3月")) == "2016-03"
    assert convert.period(None) is None
    assert convert.day("2016/12/5") == date(2016, 12, 5)
    assert convert.day(datetime(2016, 12, 5)) == date(2016, 12, 5)
    assert convert.text(2016.0) == "2016"
    assert convert.paper("ａ４") == "A4" and convert.paper(None) == "A3"
    assert convert.year(2016.0) == 2016
    for parse, raw, words in (
        (convert.day, "12月5日", "2016-12-05"),
        (convert.paper, "B5", "A3 或 A4"),
        (convert.year, "16年", "四位数字"),
    ):
        with pytest.raises(ValueError, match=words):
            parse(raw)
    with pytest.raises(PeriodError, match="没有写年份"):
        convert.period("十一月")


def test_unit_workbook_values_read_like_the_file_reader(office):
    """The open workbook's values through the converter give the same return as the file."""
    from toolkit.io.returns import parse_return, read_return

    book = active(office["bad"])
    via_excel = parse_return(office["bad"], book.sheets, lambda n: convert.grid(book.load(n)))
    from_file = read_return(office["bad"])
    assert via_excel.rows == from_file.rows
    assert (via_excel.meta, via_excel.block, via_excel.columns) == (from_file.meta, from_file.block, from_file.columns)
    assert via_excel.meta_items == from_file.meta_items


# --- 校验本表 -------------------------------------------------------------------------------


def test_check_lists_what_validate_finds_and_selects_the_first_bad_cell(office):
    from toolkit.validate import validate

    outcome = C.run_entry("check", active(office["bad"], saved=False), Ask())
    report = validate(office["bad"])
    assert report.errors and report.warnings
    assert outcome.table == [list(RESULT_COLUMNS), *report_rows(office["bad"].name, report)]
    assert report.period and {row[2] for row in outcome.table[1:]} == {report.period.label}
    assert all(isinstance(c, str) for row in outcome.table for c in row)  # what COM can put in a cell
    first = next(p for p in report.errors if p.cell)
    assert outcome.select == f"{first.sheet}!{first.cell}"
    assert outcome.text == (
        f"校验完成：{len(report.errors)} 个错误，{len(report.warnings)} 个提醒（明细见“校验结果”工作表，已选中第一处）"
    )
    assert outcome.open_path is None


def test_check_sees_edits_not_yet_saved(office):
    book = active(office["sent"].files[0].path)
    clean = C.run_entry("check", book, Ask())
    assert [row[3] for row in clean.table[1:]].count("错误") == 0
    sheets = {name: [list(r) for r in book.load(name)] for name in book.sheets}
    table = sheets["任务台账"]
    header = next(r for r, row in enumerate(table) if "完成状态" in row)
    status = table[header].index("完成状态")
    table[header + 1][status] = "做完了"  # typed in Excel, not saved
    edited = C.run_entry("check", C.ActiveBook(book.fullname, book.sheets, sheets.__getitem__, saved=False), Ask())
    cell = f"任务台账!{chr(ord('A') + status)}{header + 2}"
    assert [row[4] for row in edited.table if row[3] == "错误"] == [cell]
    assert edited.select == cell


def test_check_on_a_workbook_that_is_no_unit_workbook(office):
    from toolkit.model.errors import TemplateError

    with pytest.raises(UsageError, match="是方案工作簿，不是单位台账"):
        C.run_entry("check", active(office["plan_path"]), Ask())
    blank = C.ActiveBook("/d/工作簿1.xlsx", ["Sheet1"], {"Sheet1": [["备忘", None], [None, 3.0]]}.__getitem__)
    with pytest.raises(TemplateError, match="“工作簿1.xlsx”中找不到任务台账"):
        C.run_entry("check", blank, Ask())


# --- 汇总文件夹 -----------------------------------------------------------------------------


def test_rollup_takes_the_folder_from_the_config_row(office, tmp_path):
    plan = with_config(office, tmp_path, 报送文件夹=str(office["inbox"]), 报送期="2016-11")
    ask = Ask()
    outcome = C.run_entry("rollup", active(plan), ask)
    assert ask.asked == []
    assert outcome.open_path == tmp_path / "汇总_2016-11.xlsx" and outcome.open_path.stat().st_size > 0
    assert outcome.text.startswith("汇总完成：3 个文件，")


def test_rollup_asks_for_the_folder_when_there_is_no_config_row(office, tmp_path):
    plan = tmp_path / "方案.xlsx"
    shutil.copy(office["plan_path"], plan)
    ask = Ask(folder=str(office["inbox"]))
    outcome = C.run_entry("rollup", active(plan, saved=False), ask)
    assert ask.asked == ["选择报送文件夹（各单位报回的台账）"]
    assert outcome.open_path == tmp_path / "汇总_报送2016-11.xlsx" and outcome.open_path.exists()
    assert outcome.text.endswith("（按已保存的文件处理：未保存的修改不包括在内）")
    assert C.run_entry("rollup", active(plan), Ask(folder=None)).text == "已取消：没有选择报送文件夹。"


def test_config_rows_that_are_wrong_name_their_cell(office, tmp_path):
    plan = with_config(office, tmp_path, 报送文件夹="没有这个文件夹")
    book = active(plan)
    row = convert.labelled(convert.grid(book.load(C.INFO_SHEET)), "报送文件夹")[0] + 1
    with pytest.raises(SettingsError) as err:
        C.run_entry("rollup", book, Ask())
    assert str(err.value).startswith(f"方案信息!B{row}（报送文件夹）填写的文件夹“{tmp_path / '没有这个文件夹'}”不存在")
    with pytest.raises(SettingsError, match=r"^方案信息!B\d+（报送期）：报送期次“十一月”没有写年份"):
        C.run_entry("distribute", active(with_config(office, tmp_path, 报送期="十一月")), Ask())


# --- 分发台账 and 生成甘特图 ------------------------------------------------------------------


def test_distribute_asks_for_the_period_and_writes_beside_the_plan(office, tmp_path):
    plan = tmp_path / "方案.xlsx"
    shutil.copy(office["plan_path"], plan)
    outcome = C.run_entry("distribute", active(plan), Ask(text="2016年12月"))
    outbox = tmp_path / "分发_2016-12"
    assert outcome.open_path == outbox
    sent = [f for f in outbox.glob("*.xlsx") if f.name != "分发清单.xlsx"]
    assert len(sent) == len(office["plan"].units)
    assert outcome.text.startswith(f"分发完成：{len(sent)} 个单位的台账")
    assert C.run_entry("distribute", active(plan), Ask(text=None)).text == "已取消：没有输入报送期次。"
    with pytest.raises(UsageError, match="报送期次“下个月”无法识别"):
        C.run_entry("distribute", active(plan), Ask(text="下个月"))


def test_gantt_draws_the_active_workbook_beside_it(office):
    outcome = C.run_entry("gantt", active(office["bad"]), Ask())
    assert outcome.open_path == office["bad"].with_name(f"{office['bad'].stem}_甘特图.pdf")
    assert outcome.open_path.read_bytes().startswith(b"%PDF")


def test_report_and_remind_write_beside_the_active_summary(office, tmp_path):
    from docx import Document

    plan = with_config(office, tmp_path, 报送文件夹=str(office["inbox"]), 报送期="2016-11")
    summary = C.run_entry("rollup", active(plan), Ask()).open_path
    report = C.run_entry("report", active(summary), Ask())
    assert report.open_path == tmp_path / "通报_汇总_2016-11.docx"
    assert "督查通报" in "".join(p.text for p in Document(str(report.open_path)).paragraphs)
    remind = C.run_entry("remind", active(summary), Ask())
    assert remind.open_path == tmp_path / "通知_汇总_2016-11"
    silent = len(office["plan"].units) - 3  # the inbox holds three units' workbooks
    assert len([f for f in remind.open_path.glob("*催报*.docx")]) == silent


def test_entries_refuse_unsaved_cloud_and_non_plan_workbooks(office):
    with pytest.raises(UsageError, match="还没有保存为文件"):
        C.run_entry("gantt", active(office["plan_path"], fullname="工作簿1"), Ask())
    with pytest.raises(UsageError, match="复制到本机文件夹"):
        C.run_entry("rollup", active(office["plan_path"], fullname="https://x.sharepoint.com/方案.xlsx"), Ask())
    with pytest.raises(UsageError, match="不是方案工作簿（没有“方案”工作表）.*再点“分发台账”"):
        C.run_entry("distribute", active(office["bad"]), Ask(text="2016-11"))
    with pytest.raises(UsageError, match="未知的操作"):
        C.entry_for("print")


# --- worksheet functions and the command -----------------------------------------------------

UDFS = ("FG_DEADLINE", "FG_DEADLINE_KIND", "FG_WORKDAYS")


@pytest.mark.parametrize("name", UDFS)
def test_udfs_carry_no_type_hint_xlwings_cannot_convert(name):
    """xlwings' `@xw.func` on Windows takes each annotation's top-level type as the converter of that
    argument / the result (xlwings/udfs.py, `xlfunc`); one it has not registered (`date | str`)
    fails in every cell. Build the pipelines it would build."""
    import typing

    conversion = pytest.importorskip("xlwings.conversion")  # the extra `excel`; .ci/setup installs it

    from toolkit.xl import udfs

    f = getattr(udfs, name)
    for key, hint in typing.get_type_hints(f).items():
        top = typing.get_origin(hint) or hint
        if key == "return":
            conversion.accessors.get(top, top).router(date(2016, 1, 1), None, {}).writer({})
        else:
            conversion.accessors.get(top, top).reader({})


def test_udfs_as_excel_calls_them():
    xlwings = pytest.importorskip("xlwings")

    from toolkit.xl import udfs

    assert xlwings.func(len) is len  # the decorator xlwings gives on this platform leaves functions as they are
    assert udfs.FG_DEADLINE("2016年12月底前完成", 2016.0) == date(2016, 12, 31)
    assert udfs.FG_DEADLINE(datetime(2016, 12, 31), 2016.0) == date(2016, 12, 31)  # a date cell
    assert udfs.FG_DEADLINE("视情况而定", 2016.0) == ""
    assert udfs.FG_DEADLINE(None, 2016.0) == ""  # an empty cell
    assert udfs.FG_DEADLINE_KIND("全年工作", 2016.0) == "全年工作"
    assert udfs.FG_DEADLINE_KIND("每季度末", "2016") == "定期工作"
    assert udfs.FG_DEADLINE_KIND(None, 2016.0) == "未定"
    assert udfs.FG_WORKDAYS(datetime(2016, 9, 30), 1.0) == date(2016, 10, 8)  # National Day week
    assert udfs.FG_WORKDAYS(datetime(2016, 10, 8), -1.0) == date(2016, 9, 30)
    assert udfs.FG_WORKDAYS("2016-09-30", "1") == date(2016, 10, 8)
    for f, args, words in (
        (udfs.FG_DEADLINE, ("2016年底前", "明年"), "不是年份"),
        (udfs.FG_DEADLINE_KIND, ("2016年底前", None), "缺少年份"),
        (udfs.FG_WORKDAYS, (datetime(2016, 9, 30), 1.5), "应为 -3660 到 3660 之间的整数"),
        (udfs.FG_WORKDAYS, (datetime(2016, 9, 30), None), "工作日数“”应为"),
        (udfs.FG_WORKDAYS, (datetime(2016, 9, 30), "十"), "工作日数“十”应为"),
        (udfs.FG_WORKDAYS, (datetime(2016, 9, 30), 1e9), "应为 -3660 到 3660"),
        (udfs.FG_WORKDAYS, (None, 1.0), "请给出开始日期"),
        (udfs.FG_WORKDAYS, ("下周一", 1.0), "日期“下周一”无法识别"),
    ):
        with pytest.raises(ValueError, match=f"^FG：.*{words}"):
            f(*args)


def test_xl_command_accepts_xlwings_arguments_and_refuses_a_direct_call(capsys):
    assert cli.main(["xl", "rollup"]) == 2
    assert "只能由 Excel 加载项 fengong.xlam" in capsys.readouterr().err
    code = cli.main(
        [
            "xl",
            "check",
            "--wb=fengong.xlam",
            "--from_xl=1",
            r"--app=C:\Program Files\Microsoft Office\EXCEL.EXE",
            "--hwnd=1234",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("错误：")  # no Excel here: a Chinese error, not a traceback
    assert "Traceback" not in err


def test_stderr_for_the_addin_log_is_in_the_ansi_code_page(monkeypatch):
    """The frozen program runs in UTF-8 mode; xlwings' VBA reads the stderr log in the ANSI code page."""
    import io
    import locale
    import sys

    from toolkit.xl import stderr_for_vba

    log = io.BytesIO()
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(log, encoding="utf-8"))
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(locale, "getencoding", lambda: "cp936")
    stderr_for_vba()
    print("错误：无法连接调用本程序的 Excel", file=sys.stderr, flush=True)
    assert log.getvalue().decode("gbk") == "错误：无法连接调用本程序的 Excel\n"


class FakeExcel:
    """The calling Excel as `toolkit.xl.run` sees it through xlwings: an active workbook (or none)
    whose sheets cannot be changed, as when COM refuses; `alerts` records the message boxes."""

    class Sheets(list):
        def __getitem__(self, name):
            raise RuntimeError("(-2147352567, '发生意外。')")  # a COM error

        add = __getitem__

    def __init__(self, fullname=None):
        from types import SimpleNamespace

        self.alerts, self.status_bar = [], None
        book = SimpleNamespace(fullname=fullname, sheets=self.Sheets(), api=SimpleNamespace(Saved=True))
        self.api = SimpleNamespace(ActiveWorkbook=book if fullname else None)
        self.books = SimpleNamespace(active=book)

    def alert(self, text, title, mode):
        self.alerts.append((mode, text))


def test_run_ends_every_failure_in_a_message_box(monkeypatch, office):
    from types import SimpleNamespace

    xlwings = pytest.importorskip("xlwings")
    excel = FakeExcel()
    monkeypatch.setattr(xlwings.Book, "caller", classmethod(lambda cls: SimpleNamespace(app=excel)))
    from toolkit.xl import run

    assert run("gantt", from_xl=True) == 0  # no workbook open
    assert excel.alerts == [("critical", "错误：没有打开的工作簿。请先打开要处理的工作簿，再点“生成甘特图”。")]
    excel = FakeExcel(str(office["bad"]))
    monkeypatch.setattr(C, "run_entry", lambda *a: C.Outcome("校验完成", table=[["文件"]]))
    assert run("check", from_xl=True) == 0  # writing 校验结果 fails: said, not a traceback
    assert excel.alerts == [
        ("critical", "程序内部错误（RuntimeError：(-2147352567, '发生意外。')）。请把所用文件发给维护人员。")
    ]
    assert excel.status_bar is False
