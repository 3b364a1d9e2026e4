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


# Held-out plans the importer does not read, and why (docs/importing.md, 「Measuring on real plans」).
UNREAD = {"028_zhonglou.txt": "a document site's PDF text: the table's cells run together, no separators"}


def test_corpus_no_crash_and_no_regression():
    results, rates = _bench().run()
    assert not [r.name for r in results if "CRASH" in r.error]
    # the targets (bench/import_corpus.py TARGETS); measured 97.8% each (bench/import_corpus_after.txt)
    assert rates["items"] >= 0.95 and rates["units"] >= 0.90 and rates["deadlines"] >= 0.90
    assert not [r.name for r in results if r.found < r.gold and r.name not in UNREAD], "a corpus file lost items"


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
        ("工作标准", "req"),
        ("验收标准", "req"),
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
        ("区司法局等有关部门", ["区司法局"], []),
        ("区政府办公室、区司法局等相关单位", ["区政府办公室"], ["区司法局"]),
    ],
)
def test_unit_joiners_and_etc(text, lead, co):
    units = parse_units(text)
    assert (units.lead, units.co) == (lead, co)


REFUSED_TEXTS = [
    pytest.param(
        # 咸阳市 2022 放管服要点 as found, a page its site converted to traditional characters: its
        # 牽頭 / 單位 match no header or unit clause
        "鹹陽市2022年深化“放管服”改革最佳化營商環境工作要點\n"
        "1.全面實施行政許可事項清單管理。依據國家和省行政許可事項清單,2022年10月底前編制並公布市、縣兩級"
        "行政許可事項清單。(市政府辦公室、市行政審批制度改革工作領導小組辦公室牽頭,市級各有關部門及各縣市區政府"
        "按職責分工負責)\n"
        "2.持續深化相對集中行政許可權改革。依託行政許可事項清單,按程式在市、縣兩級政府入口網站公布。"
        "(市政府辦公室、市行政審批服務局牽頭,市級各有關部門及各縣市區政府按職責分工負責)\n",
        "是繁体字文本.*繁转简",
        id="traditional characters",
    ),
    pytest.param(
        # 钟楼区 2021 民生实事 as a document site shows it: the table's cells run together
        "2021年重大民生实事项目目标任务责任分解表\n"
        "1、2021年重大民生实事项目目标任务责任分解表序号项目名称主要内容区政府分管领导牵头单位配合单位"
        "1增加教育资源供给实施新建、改扩建学校重点建设项目12个。何海平教育局经开区各街道\n",
        "各格连在了一起（如“序号项目名称主要内容”）",
        id="table cells run together",
    ),
]


@pytest.mark.parametrize("text, message", REFUSED_TEXTS)
def test_text_that_cannot_be_read_as_a_plan_says_why(tmp_path, text, message):
    """Real texts the importer cannot read: the message names what is wrong and how to fix it."""
    from toolkit.importers import import_plan
    from toolkit.model.errors import NoPlanFoundError

    source = tmp_path / "方案.txt"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(NoPlanFoundError, match=message):
        import_plan(source)


def test_a_units_line_of_its_own_closes_the_points_above_it():
    """运城 2017 应急体系责任分解: 「1.task」, points (1)…(n) on their own lines, one (责任单位:…) for all."""
    drafts = read_prose(
        [
            "（一）“一案三制”建设",
            "1.完善应急预案体系",
            "(1)加强应急预案管理。",
            "(2)加强应急预案演练。",
            "(责任单位:市直各有关单位、各开发区管委会)",
        ]
    )
    assert [(d.id, d.task, d.requirement, d.lead, d.co) for d in drafts] == [
        ("1-1-1", "完善应急预案体系", "加强应急预案管理。", ["市直各有关单位"], ["各开发区管委会"]),
        ("1-1-2", "完善应急预案体系", "加强应急预案演练。", ["市直各有关单位"], ["各开发区管委会"]),
    ]


def test_a_units_line_of_its_own_closes_the_sentence_left_after_the_last_clause():
    """德清 2022 政务公开要点: clauses inside a paragraph, its last sentence closed on the next line."""
    drafts = read_prose(
        [
            "（一）提升公开水平。做好信息公开。(牵头单位:县发改局)推进预算信息公开。",
            "(牵头单位:县财政局)",
            "（二）优化营商环境。完善反馈机制。(牵头单位:县发改局、县建设局)",
        ]
    )
    assert [(d.task, d.requirement, d.lead) for d in drafts] == [
        ("提升公开水平", "做好信息公开。", ["县发改局"]),
        ("提升公开水平", "推进预算信息公开。", ["县财政局"]),
        ("优化营商环境", "完善反馈机制。", ["县发改局", "县建设局"]),
    ]


def test_one_cell_per_line_header_name_broken_over_two_lines_and_unit_lists_with_etc():
    """咸宁 2020 公报: 「主要」「任务」 is one header; 「A等,各县、市、区政府,B」 cells are units; a 备注
    takes a date; a numbered measure after a row's units starts the next row."""
    text = (
        "重点工作\n主要\n任务\n工作措施\n责任单位\n备注\n"
        "一、加大支持力度\n(一)加强财税支持\n市税务局等,各县、市、区政府,高新区管委会\n2020年12月\n"
        "2.纳入补贴的重点企业,给予配套补贴。\n市经信局、市财政局等,各县、市、区政府\n"
        "3.由政府兜底采购收储,省财政落实资金。\n市财政局等,各县、市、区政府\n"
    )
    grid = _grid(text)
    assert grid[0] == ["重点工作", "主要任务", "工作措施", "责任单位", "备注"]
    assert [row[2:] for row in grid[1:]] == [
        ["(一)加强财税支持", "市税务局等,各县、市、区政府,高新区管委会", "2020年12月"],
        ["2.纳入补贴的重点企业,给予配套补贴。", "市经信局、市财政局等,各县、市、区政府", ""],
        ["3.由政府兜底采购收储,省财政落实资金。", "市财政局等,各县、市、区政府", ""],
    ]


@pytest.mark.parametrize(
    "text, units",
    [
        ("市税务局等,各县、市、区政府,咸宁高新区管委会", True),
        ("办公室牵头,各科室配合", True),
        ("新(改)建村卫生室", True),
        ("建成县残疾人综合服务中心。", False),
        ("积极推进本中心预算、决算及相关报表公开", False),
    ],
)
def test_looks_like_units_reads_names_as_the_import_does(text, units):
    from toolkit.model.units import looks_like_units

    assert looks_like_units(text) is units


def test_a_table_without_any_units_column_is_imported_with_empty_leads():
    """常州 2014 项目表: 类别|序号|项目名称|工作标准, every header known, none for units."""
    from toolkit.importers import plan_from_blocks

    grid = [
        ["类别", "序号", "项目名称", "工作标准"],
        ["省市重点类", "1", "路网完善工程", "年内通车,完成投资3.36亿元。"],
    ]
    plan = plan_from_blocks([grid], source="x.txt")
    item = plan.items[0]
    assert (item.task, item.requirement, item.lead_units) == ("路网完善工程", "年内通车,完成投资3.36亿元。", [])
    assert any("没有牵头单位（责任单位）列" in p.message for p in plan.problems)
