"""The real-plan corpus (tests/data/corpus, hand gold) and the text forms and clauses it taught."""

import importlib.util
import sys
from pathlib import Path

import pytest

from toolkit.importers.headers import role_of
from toolkit.importers.prose import clause_units, read_prose
from toolkit.importers.text import blocks_from_text
from toolkit.model.units import parse_units

BENCH = Path(__file__).resolve().parent.parent / "bench" / "import_corpus.py"


def _bench():
    spec = importlib.util.spec_from_file_location("import_corpus", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_corpus_no_crash_and_no_regression():
    results, rates = _bench().run()
    assert not [r.name for r in results if "CRASH" in r.error]
    # the targets (bench/import_corpus.py TARGETS); measured 100% each
    assert rates["items"] >= 0.95 and rates["units"] >= 0.90 and rates["deadlines"] >= 0.90
    assert not [r.name for r in results if r.found < r.gold], "a corpus file lost items"


@pytest.mark.parametrize(
    "name, role",
    [
        ("具 体 要 求", "req"),
        ("牵头落实单位", "lead"),
        ("责任(牵头)部门", "lead"),
        ("责任科室", "lead"),
        ("责任处室", "lead"),
        ("具体内容", "req"),
        ("细化分工", "req"),
        ("民生实事", "task"),
        ("协同单位", "co"),
        ("责任领导", "leader"),
        ("时间节点", "deadline"),
        ("事项分类", "category"),
        ("单位", None),
    ],
)
def test_header_vocabulary(name, role):
    assert role_of(name) == role


def _grid(text):
    return next(b for b in blocks_from_text(text) if isinstance(b, list))


def test_pipe_rows_and_markdown():
    grid = _grid("| 序号 | 工作任务 | 牵头单位 | 完成时限 |\n|---|---|---|---|\n| 1 | 做好公开 | 区政府办 | 年底前 |\n")
    assert grid == [["序号", "工作任务", "牵头单位", "完成时限"], ["1", "做好公开", "区政府办", "年底前"]]


def test_one_cell_per_line_with_blank_lines_and_merged_number():
    text = "序号\n\n民生实事\n\n责任单位\n\n完成时限\n\n5\n\n开工建设县老年养护楼。\n\n县民政局\n\n5月底前动工\n\n开工建设老年大学。\n\n12月底前\n\n分享到:\n"
    grid = _grid(text)
    assert grid[1:] == [
        ["5", "开工建设县老年养护楼。", "县民政局", "5月底前动工"],
        ["", "开工建设老年大学。", "", "12月底前"],
    ]


def test_one_cell_per_line_with_bar_lines_and_units_over_lines():
    text = "序号\n|\n重点工作\n|\n责任单位\n|\n完成时限\n|\n1\n|\n全力推进开发区空间再造。\n|\n改革办\n|\n全年\n|\n"
    assert _grid(text)[1] == ["1", "全力推进开发区空间再造。", "改革办", "全年"]


def test_html_table_fragment():
    text = "<table><tr><td>序号</td><td>工作任务</td><td>责任单位</td></tr><tr><td>1</td><td>做好公开</td><td>区政府办<br>区财政局</td></tr></table>"
    assert _grid(text)[1] == ["1", "做好公开", "区政府办、区财政局"]


@pytest.mark.parametrize(
    "inner, lead, co",
    [
        ("牵头单位:县发展和改革局", ["县发展和改革局"], []),
        ("责任领导:张三;牵头单位:区发改局;责任单位:区财政局", ["区发改局"], ["区财政局"]),
        ("牵头单位:区卫健局,责任单位:各街办(新区)", ["区卫健局"], ["各街办（新区）"]),
        ("市发展改革委、市教委分别负责落实", ["市发展改革委", "市教委"], []),
        ("区发改局牵头，区财政局配合", ["区发改局"], ["区财政局"]),
    ],
)
def test_units_clauses(inner, lead, co):
    units = clause_units(inner)
    assert (units.lead, units.co) == (lead, co)


def test_units_on_lines_below_and_several_clauses_in_a_paragraph():
    drafts = read_prose(
        [
            "一、目标",
            "1.地区生产总值增长6%。",
            "牵头单位:区发改局",
            "责任单位:区统计局,各街道",
            "2.做好公开。(区政府办负责落实)推进审批公开。(区政务服务中心负责落实)",
        ]
    )
    assert [(d.lead, d.co) for d in drafts] == [
        (["区发改局"], ["区统计局", "各街道"]),
        (["区政府办"], []),
        (["区政务服务中心"], []),
    ]


@pytest.mark.parametrize(
    "text, lead, co",
    [
        ("宣传处会办公室", ["宣传处"], ["办公室"]),
        ("市财政局会同市发改局", ["市财政局"], ["市发改局"]),
        ("市卫生健康委等,各县、市、区政府", ["市卫生健康委"], ["各县、市、区政府"]),
        ("西塞山园区管委会等有关部门配合", [], ["西塞山园区管委会"]),
    ],
)
def test_unit_joiners_and_etc(text, lead, co):
    units = parse_units(text)
    assert (units.lead, units.co) == (lead, co)


def test_a_plan_in_traditional_characters_is_named_as_such(tmp_path):
    """Text copied from a page a web site converted to traditional characters (咸阳市 2022 放管服要点,
    as found): its 牽頭 / 單位 match no header or unit clause, and the message says how to fix it."""
    from toolkit.importers import import_plan
    from toolkit.model.errors import NoPlanFoundError

    source = tmp_path / "要點.txt"
    source.write_text(
        "鹹陽市2022年深化“放管服”改革最佳化營商環境工作要點\n"
        "1.全面實施行政許可事項清單管理。依據國家和省行政許可事項清單,2022年10月底前編制並公布市、縣兩級"
        "行政許可事項清單。(市政府辦公室、市行政審批制度改革工作領導小組辦公室牽頭,市級各有關部門及各縣市區政府"
        "按職責分工負責)\n"
        "2.持續深化相對集中行政許可權改革。依託行政許可事項清單,按程式在市、縣兩級政府入口網站公布。"
        "(市政府辦公室、市行政審批服務局牽頭,市級各有關部門及各縣市區政府按職責分工負責)\n",
        encoding="utf-8",
    )
    with pytest.raises(NoPlanFoundError, match="是繁体字文本.*繁转简"):
        import_plan(source)
