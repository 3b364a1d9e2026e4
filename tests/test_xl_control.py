"""The Excel control workbook's logic without Excel: settings, actions, result lines, the `xl` command."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from toolkit import cli
from toolkit.demo import sample_path
from toolkit.errors import SettingsError, UsageError
from toolkit.xl import control as C


def grid_with(**values) -> list[list]:
    """The control sheet as xlwings reads it (A1:D40, None for empty cells), settings filled in."""
    rows = [list(r) + [None] * (4 - len(r)) for r in C.layout()]
    rows += [[None] * 4 for _ in range(40 - len(rows))]
    for r, row in enumerate(rows):
        for s in C.SETTINGS:
            if row[0] == s.label:
                row[1] = values.get(s.key, s.default) or None
    return rows


def row_of(grid, label):
    return C.find_row(grid, label, C.SETTINGS_HEADER) + 1


def test_layout_holds_every_setting_and_action_once_inside_the_grid():
    grid = grid_with()
    labels = [r[0] for r in grid if r[0]]
    assert len(labels) == len(set(labels))
    assert len(C.layout()) <= 40  # GRID is A1:D40
    for a in C.ACTIONS:
        assert grid[C.find_row(grid, a.label, C.ACTIONS_HEADER)][0] == a.label
    assert C.ACTION_KEYS == ("import", "distribute", "validate", "rollup", "gantt")


def test_values_as_excel_gives_them(tmp_path):
    grid = grid_with(year=2016.0, period=datetime(2016, 11, 1), return_by=datetime(2016, 12, 5, 0, 0),
                     paper="ａ４", open_after="否", plan="sub/方案.xlsx")
    s = C.read_settings(grid, tmp_path)
    assert s.values["year"] == 2016
    assert s.values["period"] == "2016-11"
    assert s.values["return_by"].isoformat() == "2016-12-05"
    assert s.values["paper"] == "A4"
    assert s.values["open_after"] is False
    assert s.path("plan") == tmp_path / "sub" / "方案.xlsx"
    assert s.path("carry_from") is None
    assert C.read_settings(grid_with(period="2016年3月"), tmp_path).values["period"] == "2016-03"


@pytest.mark.parametrize("key, value, label, words", [
    ("period", "十一月", "报送期", "2016-11"),
    ("paper", "B5", "纸张", "A3 或 A4"),
    ("year", "16年", "方案年度", "四位数字"),
    ("return_by", "12月5日", "报送截止日期", "2016-12-05"),
    ("open_after", "好", "完成后打开", "“是”或“否”"),
])
def test_bad_setting_names_its_cell_and_the_fix(tmp_path, key, value, label, words):
    grid = grid_with(**{key: value})
    with pytest.raises(SettingsError) as err:
        C.read_settings(grid, tmp_path)
    msg = str(err.value)
    assert msg.startswith(f"控制台!B{row_of(grid, label)}（{label}）")
    assert words in msg


def test_missing_label_and_unknown_action(tmp_path):
    grid = grid_with()
    grid[row_of(grid, "报送期") - 1][0] = "期次"
    with pytest.raises(SettingsError, match="A 列找不到“报送期”"):
        C.read_settings(grid, tmp_path)
    with pytest.raises(UsageError, match="未知的操作"):
        C.run_action("print", grid_with(), tmp_path)


def test_action_says_which_empty_or_missing_setting_it_needs(tmp_path):
    grid = grid_with()
    with pytest.raises(SettingsError) as err:
        C.run_action("import", grid, tmp_path)
    assert str(err.value).startswith(f"控制台!B{row_of(grid, '方案来源')}（方案来源）未填写")
    with pytest.raises(SettingsError) as err:
        C.run_action("distribute", grid_with(period="2016-11"), tmp_path)
    assert f"B{row_of(grid, '方案工作簿')}（方案工作簿）指向的方案工作簿" in str(err.value)
    assert "请先点“导入方案”" in str(err.value)


def test_failure_lines_and_base_folder():
    assert C.failure_line(UsageError("报送期不对")) == "错误：报送期不对"
    assert C.failure_line(KeyError("x")).startswith("程序内部错误（KeyError：")
    assert C.base_folder("/d/分工/控制台.xlsm") == Path("/d/分工")
    with pytest.raises(SettingsError, match="复制到本机"):
        C.base_folder("https://example-my.sharepoint.com/personal/x/控制台.xlsm")
    assert C.stamp(datetime(2016, 11, 30, 9, 5, 7)) == "2016-11-30 09:05"


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    """The five actions in order, as the office would press them, on the bundled sample plan."""
    base = tmp_path_factory.mktemp("控制台")
    shutil.copy(sample_path(), base / "方案.txt")
    grid = grid_with(source="方案.txt", period="2016-11", year=2016.0)
    out = {"base": base, "grid": grid}
    out["import"] = C.run_action("import", grid, base)
    out["distribute"] = C.run_action("distribute", grid, base)
    inbox = base / "报送"
    inbox.mkdir()
    sent = sorted(f for f in (base / "分发").glob("*.xlsx") if f.name != "分发清单.xlsx")
    for f in sent[:3]:
        shutil.copy(f, inbox / f.name)
    (inbox / "坏文件.xlsx").write_bytes(b"")
    (inbox / "旧格式.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    out["sent"] = sent
    out["validate"] = C.run_action("validate", grid, base)
    (inbox / "坏文件.xlsx").unlink()
    (inbox / "旧格式.xls").unlink()
    out["rollup"] = C.run_action("rollup", grid, base)
    out["gantt"] = C.run_action("gantt", grid, base)
    return out


def test_import_writes_the_plan_workbook_beside_the_control_workbook(cycle):
    from toolkit.io.planbook import read_plan

    o = cycle["import"]
    plan = read_plan(cycle["base"] / "方案.xlsx")
    assert o.open_path == cycle["base"] / "方案.xlsx"
    assert o.text.startswith("导入完成：")
    assert f"{len(plan.items)} 项要求，{len(plan.units)} 个责任单位" in o.text


def test_distribute_writes_one_workbook_per_unit(cycle):
    from toolkit.io.planbook import read_plan

    units = read_plan(cycle["base"] / "方案.xlsx").units
    assert len(cycle["sent"]) == len(units)
    assert cycle["distribute"].text.startswith(f"分发完成：{len(units)} 个单位的台账")
    assert cycle["distribute"].open_path == cycle["base"] / "分发"


def test_validate_lists_every_file_and_every_problem(cycle):
    o = cycle["validate"]
    assert o.text.startswith("校验完成：5 个文件，")
    assert o.text.endswith("（明细见“校验结果”工作表）")
    assert o.table[0] == list(C.RESULT_COLUMNS)
    files = {row[0] for row in o.table[1:]}
    assert files == {f.name for f in cycle["sent"][:3]} | {"坏文件.xlsx", "旧格式.xls"}
    bad = [row for row in o.table if row[0] == "坏文件.xlsx"]
    assert bad[0][3] == "错误" and "空" in bad[0][6]
    assert [row[3] for row in o.table if row[0] == "旧格式.xls"] == ["错误"]
    for f in cycle["sent"][:3]:  # blank returns: each row of theirs names a cell
        rows = [row for row in o.table if row[0] == f.name]
        assert rows and all(row[1] and row[2] == "2016-11" for row in rows)
    assert o.open_path is None


def test_rollup_and_gantt(cycle):
    base = cycle["base"]
    assert (base / "汇总.xlsx").stat().st_size > 0
    assert cycle["rollup"].text.startswith("汇总完成：3 个文件，")
    assert cycle["rollup"].open_path == base / "汇总.xlsx"
    assert (base / "甘特图.pdf").read_bytes().startswith(b"%PDF")
    assert "（数据：汇总.xlsx）" in cycle["gantt"].text  # the summary, once it exists


def test_open_after_no_opens_nothing(cycle):
    grid = [list(r) for r in cycle["grid"]]
    grid[row_of(grid, "完成后打开") - 1][1] = "否"
    assert C.run_action("gantt", grid, cycle["base"]).open_path is None


def test_xl_command_accepts_xlwings_arguments_and_refuses_a_direct_call(capsys):
    assert cli.main(["xl", "rollup"]) == 2
    assert "只能由控制台工作簿" in capsys.readouterr().err
    code = cli.main(["xl", "rollup", "--wb=fengong_控制台.xlsm", "--from_xl=1",
                     r"--app=C:\Program Files\Microsoft Office\EXCEL.EXE", "--hwnd=1234"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("错误：")  # no Excel here: a Chinese error, not a traceback
    assert "Traceback" not in err
