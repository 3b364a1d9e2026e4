"""Plan import from the five seed documents (text extracted from issued plans), the CLI, bad input.

Each seed's expectations are a careful reading of that document, pinned item by item.
"""

import json
import zipfile
from datetime import date

import pytest
from conftest import seed

from toolkit.cli import main
from toolkit.demo import sample_path
from toolkit.importers import import_plan
from toolkit.importers.text import blocks_from_text
from toolkit.io.planbook import read_plan
from toolkit.model.errors import (
    HeaderNotRecognisedError,
    NoPlanFoundError,
    ToolkitError,
)


@pytest.fixture(scope="module")
def plans(seeds_dir):
    return {p: import_plan(seed(p)) for p in ("000", "001", "002", "003", "004")}


def by_id(plan):
    return {i.id: i for i in plan.items}


def check(item, task, req, lead, co, kind, due):
    assert item.task.startswith(task), item.task
    assert item.requirement.startswith(req), item.requirement
    assert item.lead_units == lead
    assert item.co_units == co
    assert item.deadline.kind == kind
    assert item.deadline.due == (date.fromisoformat(due) if due else None)


# --- seed 000: 越秀区, three-level table (国务院 → 广州市 → 越秀区) -------------------------


def test_000_metadata(plans):
    p = plans["000"]
    assert p.title == "越秀区贯彻落实国务院办公厅2016年政务公开工作要点分工方案"
    assert p.doc_number == "越府办〔2016〕70号"
    assert p.issuer == "广州市越秀区人民政府办公室"
    assert p.issue_date == date(2016, 12, 6)
    assert p.year == 2016


def test_000_items(plans):
    p = plans["000"]
    assert len(p.items) == 92
    items = by_id(p)
    # the lowest level (越秀区) is the requirement; 国务院 and 广州市 texts are context
    check(
        items["1-1"], "进一步推进权力清单和责任清单公开", "区编办要在全面公开本级", ["区编办"], [], "date", "2016-12-31"
    )
    assert items["1-1"].context["国务院办公厅要求"].startswith("要在全面公开省级政府工作部门")
    assert items["1-1"].context["广州市分工方案"].startswith("1．市、区编办")
    # blank cells = same as above (merged cells): units and deadline
    check(items["2-4"], "推进市场监管公开透明", "参照市质监局做法", ["区市场和质量监管局"], [], "date", "2016-12-31")
    check(
        items["2-10"],
        "推进市场监管公开透明",
        "区知识产权部门",
        ["区科工信局（区知识产权局）"],
        [],
        "year_round",
        "2016-12-31",
    )
    # unnumbered rows under a new 国务院 paragraph continue the task
    check(
        items["2-14"],
        "推进市场监管公开透明",
        "加快推进越秀区企业信息公示系统",
        ["区工商局"],
        [],
        "year_round",
        "2016-12-31",
    )
    # one cell holding 「1．… 2．…」 is two items; numbering restarting in the task keeps counting
    check(
        items["14-2"],
        "推进教育、卫生和食品药品安全信息公开",
        "公布来穗人员随迁子女",
        ["区教育局"],
        [],
        "year_round",
        "2016-12-31",
    )
    check(
        items["14-3"],
        "推进教育、卫生和食品药品安全信息公开",
        "创新医疗机构院务公开形式",
        ["区卫计局"],
        [],
        "date",
        "2016-12-31",
    )
    check(
        items["8-1"],
        "推进国有企业运营监管信息公开",
        "推动国有企业改制重组",
        ["区财政局（区国资局）"],
        [],
        "date",
        "2016-12-31",
    )
    check(items["18-1"], "主动做好政策解读", "对涉及群众切身利益", ["政策文件起草部门"], [], "year_round", "2016-12-31")
    check(items["18-4"], "主动做好政策解读", "完善区政府门户网站", ["政策起草部门"], ["区政务办"], "date", "2016-12-31")
    check(
        items["23-2"], "提高政务公开队伍", "区政府办公室牵头", ["区府办"], ["区保密局", "区政务办"], "conditional", None
    )
    check(items["17-1"], "深入推进预决算公开", "预算信息公开", ["区财政局"], [], "statutory", "2016-12-31")
    check(
        items["9-4"], "推进扶贫工作信息公开", "公开省、市级对我区精准帮扶", ["区对口支援办"], [], "date", "2017-03-31"
    )
    # rows without 序号 between 23 and 26 are tasks 24 and 25 (reported for checking)
    check(items["24-1"], "", "区级主要负责同志年内至少听取", ["区府办"], [], "date", "2016-12-31")
    check(items["25-1"], "", "将政务公开工作纳入政府部门绩效考核方案", ["区编办"], [], "date", "2016-12-31")
    check(items["26-1"], "", "要结合我区实际", ["区政务办"], [], "date", "2016-09-30")
    assert any("24" in pr.message and "序号空缺" in pr.message for pr in p.problems)


def test_000_noise_is_not_items(plans):
    texts = " ".join(i.requirement + i.deadline_text + i.notes for i in plans["000"].items)
    assert "抄送" not in texts and "公开方式" not in texts and "径向区政务办反映" not in texts


# --- seed 001: 揭阳市, tab-separated table with repeated headers and an appendix -----------


def test_001_metadata(plans):
    p = plans["001"]
    assert p.doc_number == "揭府办函〔2016〕71号"
    assert p.title == "揭阳市2016年政府信息公开工作要点分工作方案"
    assert p.issuer == "揭阳市人民政府办公室"
    assert p.issue_date == date(2016, 6, 23)  # not the 6月21日 of the fragment above it
    assert p.year == 2016


def test_001_items(plans):
    p = plans["001"]
    assert len(p.items) == 89
    items = by_id(p)
    county = "各县（市、区）人民政府（管委会）"
    check(
        items["1-1"],
        "推进权力清单和责任清单公开",
        "在全面公开市级政府部门权责清单",
        ["市编办"],
        [county],
        "date",
        "2016-12-31",
    )
    check(items["1-2"], "推进权力清单和责任清单公开", "做好市有关部门取消", ["市编办"], [county], "date", "2016-12-31")
    # numbering continues after a repeated header row; the task keeps its first title
    check(
        items["2-9"],
        "推进市场透明、公开",
        "做好“双公示”工作",
        ["市科技局（市知识产权局）"],
        [county],
        "year_round",
        "2016-12-31",
    )
    check(
        items["9-2"],
        "推进公共资源配置领域信息公开",
        "制定《揭阳市公共资源交易",
        ["市政管办（市公共资源交易中心）"],
        [],
        "date",
        "2016-12-31",
    )
    # 「1．」 above the row carrying 序号 11 belongs to task 11
    check(
        items["11-1"], "推进国有企业管理信息公开", "推动国有企业改制重组", ["市国资委"], [county], "date", "2016-12-31"
    )
    check(
        items["11-5"],
        "推进国有企业管理信息公开",
        "研究制定国有企业信息公开有关制度",
        ["市国资委"],
        [county],
        "date",
        "2016-12-31",
    )
    # four <p> requirements, three <p> deadlines: not paired, the whole cell is kept
    check(
        items["12-4"],
        "推进扶贫工作信息公开",
        "公开精准扶贫脱贫上年考核结果",
        ["市扶贫办"],
        [county],
        "multi",
        "2017-03-31",
    )
    # three <p> requirements with three <p> unit paragraphs: paired
    check(
        items["25-2"],
        "提高政务公开工作制度化标准化水平",
        "严格落实政府信息公开保密审查制度",
        ["市保密局"],
        [county],
        "year_round",
        "2016-12-31",
    )
    check(
        items["25-3"],
        "提高政务公开工作制度化标准化水平",
        "加强对规范性文件公开的审查",
        ["市法制局"],
        [county],
        "year_round",
        "2016-12-31",
    )
    check(
        items["22-4"],
        "主动做好政策解读",
        "完善市政府门户网站政策解读栏目",
        ["市电子政务办"],
        ["市法制局"],
        "date",
        "2016-12-31",
    )
    check(
        items["6-1"],
        "推进市场准入负面清单公开",
        "贯彻执行《广东省实行市场准入",
        ["市发展改革局"],
        [county],
        "conditional",
        None,
    )
    check(
        items["20-5"],
        "推进政策执行和落实情况公开",
        "公开2016年度对重大政策措施",
        ["市审计局"],
        [],
        "date",
        "2017-02-28",
    )
    # 「市有关单位（见附件，下同）」 is the appendix's 54 units, also where 「下同」 applies; the plan
    # sheet shows the name as written, the directory lists the members (in its own row order)
    members = plans["001"].directory.members("市有关单位")
    assert len(members) == 54 and "市发展改革局" in members and "市扶贫办" in members
    for item_id in ("22-1", "23-1", "24-1"):
        assert items[item_id].lead_units == members
        assert items[item_id].lead_text == "市有关单位"
        assert items[item_id].co_units == [county]


def test_001_labels_one_row_below_their_requirements_are_realigned(plans):
    """Tasks 17–18: 序号, task and units sit one row below their requirement and deadline.

    The text puts 「公布进城务工人员随迁子女参加中考、高考…」 (unnumbered) after 16's 「4．」 and
    「1．创新医疗机构院务公开…」 on the row labelled 17 推进教育信息公开, while 18 starts at 「2．」.
    By numbering and by subject (中考/高考 → 教育; 医疗机构 → 卫生) the first is 17's only
    requirement and the second 18's first.
    """
    p = plans["001"]
    items = by_id(p)
    county = "各县（市、区）人民政府（管委会）"
    check(
        items["16-4"],
        "推进环境保护信息公开",
        "加强环境信用体系建设",
        ["市环境保护局"],
        [county],
        "year_round",
        "2016-12-31",
    )
    assert "16-5" not in items and "17-2" not in items
    check(
        items["17-1"],
        "推进教育信息公开",
        "公布进城务工人员随迁子女参加中考、高考的报考条件",
        ["市教育局"],
        [county],
        "multi",
        "2016-11-30",
    )
    assert items["17-1"].deadline.dates == (date(2016, 3, 31), date(2016, 11, 30))
    check(
        items["18-1"],
        "推进卫生和食品药品安全信息公开",
        "创新医疗机构院务公开形式",
        ["市卫生计生局"],
        [county],
        "date",
        "2016-12-31",
    )
    check(
        items["18-2"],
        "推进卫生和食品药品安全信息公开",
        "加强医疗机构“重点领域信息公开专栏”建设",
        ["市卫生计生局"],
        [county],
        "year_round",
        "2016-12-31",
    )
    check(
        items["18-4"],
        "推进卫生和食品药品安全信息公开",
        "流行季节(4-10月)每月定期发布登革热",
        ["市卫生计生局"],
        [county],
        "year_round",
        "2016-12-31",
    )
    assert items["18-5"].requirement.startswith("做好抽检抽检信息公开工作")
    assert items["18-9"].requirement.startswith("不定期召开新闻发布会") and "18-10" not in items
    realigned = [pr for pr in p.problems if "上移一行" in pr.message]
    assert len(realigned) == 1 and "任务 17、18" in realigned[0].message
    assert not any("从第 2 项开始编号，前面的要求可能错位" in pr.message for pr in p.problems)


def test_001_garbled_unit_name_is_kept_and_reported(plans):
    """「市食品药品监督管理局（市、区政府）（管委会）」: a list in brackets is no alias; say so."""
    p = plans["001"]
    assert by_id(p)["18-5"].lead_units == ["市食品药品监督管理局（市、区政府）（管委会）"]
    noted = [pr for pr in p.problems if "括号中是一串名称" in pr.message]
    assert len(noted) == 1 and "市食品药品监督管理局" in noted[0].message
    assert not any("各县（市、区）人民政府（管委会）”括号" in pr.message for pr in p.problems)


def test_001_fragment_of_other_notice_is_noise(plans):
    texts = " ".join(i.requirement for i in plans["001"].items)
    assert "联席会议" not in texts and "朱锐深" not in texts


# --- seed 002: 高新区, prose plan with （责任单位：…） -------------------------------------


def test_002_prose_plan(plans):
    p = plans["002"]
    assert p.title == "2017年高新区政务信息公开工作要点分工方案"
    assert p.year == 2017 and p.doc_number == "" and p.issue_date is None
    assert len(p.items) == 27
    items = by_id(p)
    check(
        items["1-1-1"], "推进“放管服”改革信息公开", "深化政府工作部门权责清单公开工作", ["区党政办"], [], "none", None
    )
    check(items["1-2-1"], "推进农业供给侧结构性改革信息公开", "公开推进农业供给侧", ["区社区局"], [], "none", None)
    check(items["2-1-1"], "加强预期引导", "科学制定我区经济", ["区纪工委"], ["区发改财政局"], "none", None)
    check(
        items["2-2-3"],
        "推进减税、降费、降低要素成本信息公开",
        "及时公开“三旧”改造信息。",
        ["区社区局"],
        [],
        "none",
        None,
    )
    check(
        items["6-1"],
        "进一步做好扶贫扶贫脱贫和社会救助信息公开",
        "通过高新区政府门户网站",
        ["区社会事业局"],
        ["区社区局"],
        "none",
        None,
    )
    check(items["7-4-1"], "依法规范依申请公开工作", "进一步规范依申请公开答复工作", ["区党政办"], [], "none", None)
    assert items["1-1-1"].context == {"所属部分": "进一步推进深化改革信息公开"}
    assert not any("责任单位" in i.requirement for i in p.items)


# --- seed 003: 东莞市, a second running number in the 序号 column ----------------------------


def test_003_running_numbers(plans):
    p = plans["003"]
    assert p.title == "2017年全市政务信息公开工作重点分工方案" and p.year == 2017
    assert len(p.items) == 127
    items = by_id(p)
    check(
        items["1-1"],
        "推进决策公开",
        "实行重大行政决策预公开",
        ["市政务服务办"],
        ["市各有关单位", "各镇（街、园区）"],
        "year_round",
        "2017-12-31",
    )
    check(items["1-4"], "推进决策公开", "完善政府法律顾问制度", ["市法制局"], [], "year_round", "2017-12-31")
    check(items["3-2"], "推进管理公开", "积极开展市场准入负面清单", ["市发改局"], ["市商务局"], "conditional", None)
    check(items["4-4"], "推进服务公开", "出台第二批清理规范", ["市编办"], ["市发改局"], "conditional", None)
    check(items["18-1"], "推进教育信息公开", "公布进城务工人员随迁子女", ["市教育局"], [], "multi", "2017-11-30")
    check(items["38-1"], "强化考核监督", "把政务信息公开工作作为考评指标", ["市考评办"], [], "date", "2017-12-31")
    check(
        items["32-1"],
        "做好政府信息公开工作年度报告编发工作",
        "各镇街、各部门",
        ["市政务服务办"],
        ["市各有关单位", "各镇（街、园区）"],
        "date",
        "2017-03-31",
    )
    assert "22-1" in items and items["22-1"].requirement.startswith("按照“谁起草")
    assert max(int(i.id.split("-")[0]) for i in p.items) == 39


# --- seed 004: 西塞山区, cover letter + prose 附件1 + task table 附件2 ----------------------


def test_004_table_is_the_plan(plans):
    p = plans["004"]
    assert p.doc_number == "西政办发〔2016〕55号" and p.year == 2016
    assert p.title == "西塞山区2016年政务公开工作任务清单"
    assert len(p.items) == 36 and [i.id for i in p.items[:3]] == ["1", "2", "3"]
    items = by_id(p)
    check(items["1"], "推进权力清单和责任清单公开", "推进权力清单和责任清单公开", ["区编办"], [], "date", "2016-12-31")
    check(items["9"], "做好政府网站与“信用中国”", "做好政府网站", ["区政府办"], ["区发改局"], "date", "2016-12-31")
    check(
        items["25"],
        "推进食品药品安全信息公开",
        "推进食品药品安全信息公开",
        ["区食品药品监督管理局"],
        [],
        "date",
        "2016-12-31",
    )
    check(items["28"], "做好涉农资金", "做好涉农资金", ["区财政局"], ["区农林局", "园区管委会"], "date", "2016-12-31")
    check(items["36"], "提高全区政务公开队伍", "提高全区政务公开队伍", ["区政府办公室"], [], "date", "2016-12-31")
    assert any("已以任务表为准" in pr.message for pr in p.problems)
    assert any("任务 31 的牵头单位为空" in pr.message for pr in p.problems)


# --- the prose importer on its own: seed 004's 附件1 -----------------------------------


def test_004_prose_units_marking(seeds_dir):
    from toolkit.importers.prose import read_prose
    from toolkit.io.text import read_text

    paras = [b for b in blocks_from_text(read_text(seed("004"))) if isinstance(b, str)]
    drafts = {d.id: d for d in read_prose(paras)}
    assert len(drafts) == 22
    assert drafts["1-1-1"].lead == ["区编办", "区人社局"]  # 分别落实: both lead
    assert drafts["2-5-1"].lead == ["区发改局"]
    assert drafts["2-5-1"].co == ["区城建局", "区农林水利局", "区教育局", "区卫计局", "西塞山园区管委会"]
    assert drafts["3-11-1"].co == ["区农林水利局", "区卫计局"]


# --- CLI, plan workbook round trip, --year, the bundled sample ----------------------------


def test_cli_json_shape_and_workbook_round_trip(tmp_path, capsys):
    out = tmp_path / "plan.xlsx"
    assert main(["import", str(seed("001")), "-o", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"title", "doc_number", "issuer", "issue_date", "year", "items"}
    assert data["doc_number"] == "揭府办函〔2016〕71号" and data["issue_date"] == "2016-06-23"
    item = data["items"][0]
    assert set(item) == {
        "id",
        "task",
        "requirement",
        "lead_units",
        "co_units",
        "deadline_text",
        "deadline",
        "notes",
        "context",
    }
    assert set(item["deadline"]) == {
        "text",
        "kind",
        "due",
        "dates",
        "frequency",
        "window",
        "day",
        "offset",
        "trigger",
        "note",
    }
    back = read_plan(out)
    plan = import_plan(seed("001"))
    assert [i.to_dict() for i in back.items] == [i.to_dict() for i in plan.items]
    assert back.title == plan.title and back.year == 2016 and len(back.problems) == len(plan.problems)


def test_cli_context_round_trip_and_year_override(tmp_path, capsys):
    out = tmp_path / "plan.xlsx"
    assert main(["import", str(seed("000")), "-o", str(out), "--year", "2017"]) == 0
    assert "92 项要求" in capsys.readouterr().out
    back = by_id(read_plan(out))
    assert back["1-1"].context["广州市分工方案"].startswith("1．市、区编办")
    assert back["2-5"].deadline.kind == "year_round" and back["2-5"].deadline.due == date(2017, 12, 31)
    assert back["1-1"].deadline.due == date(2016, 12, 31)  # the cell names its year


def test_sample_imports_cleanly():
    plan = import_plan(sample_path())
    assert len(plan.items) == 92 and plan.year == 2016
    assert all(i.lead_units for i in plan.items)


def test_gb18030_text(tmp_path):
    path = tmp_path / "方案.txt"
    path.write_bytes(seed("003").read_text(encoding="utf-8").encode("gb18030"))
    assert len(import_plan(path).items) == 127


# --- bad input: a Chinese message, never a traceback ----------------------------------------


def run_error(tmp_path, capsys, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    assert main(["import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "Traceback" not in err and name in err
    return err


def test_doc_renamed_docx(tmp_path, capsys):
    err = run_error(tmp_path, capsys, "方案.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert "另存为" in err and ".docx" in err


def test_pdf(tmp_path, capsys):
    assert "PDF" in run_error(tmp_path, capsys, "方案.pdf", b"%PDF-1.4\n%...\n")


def test_empty_file(tmp_path, capsys):
    assert "空文件" in run_error(tmp_path, capsys, "方案.txt", b"")


def test_corrupted_zip(tmp_path, capsys):
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>" * 200)
    assert "损坏" in run_error(tmp_path, capsys, "方案.docx", good.read_bytes()[:300])


def test_text_without_plan(tmp_path, capsys):
    err = run_error(tmp_path, capsys, "通知.txt", "关于召开会议的通知\n\n请各单位准时参加。\n".encode())
    assert "没有找到分工方案" in err
    with pytest.raises(NoPlanFoundError):
        import_plan(tmp_path / "通知.txt")


def test_unknown_headers_are_listed(tmp_path):
    path = tmp_path / "表.txt"
    path.write_text("项目\t经办人\t日期\n甲\t张三\t3月\n乙\t李四\t4月\n", encoding="utf-8")
    with pytest.raises(HeaderNotRecognisedError) as exc:
        import_plan(path)
    assert "项目、经办人、日期" in str(exc.value)


def test_binary_text_is_refused(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"\x00\x01\x02" * 50)
    with pytest.raises(ToolkitError):
        import_plan(path)


def _shifted_grid(tail_units: str) -> list[list[str]]:
    header = ["序号", "工作任务", "具体要求", "牵头单位", "完成时限"]
    return [
        header,
        ["1", "任务甲", "1. 甲一。", "区编办", "全年工作"],
        ["", "", "2. 甲二。", "", ""],
        ["", "", "乙的唯一要求。", tail_units, "2016年3月底前"],
        ["2", "任务乙", "1. 丙一。", "区教育局", "2016年6月底前"],
        ["3", "任务丙", "2. 丙二。", "区卫计局", "全年工作"],
        ["", "", "3. 丙三。", "", ""],
    ]


def test_labels_shifted_one_row_are_realigned_in_any_table():
    from toolkit.importers import plan_from_blocks

    items = by_id(plan_from_blocks(["2016年工作方案", _shifted_grid("")], source="t.txt"))
    assert sorted(items) == ["1-1", "1-2", "2-1", "3-1", "3-2", "3-3"]
    check(items["2-1"], "任务乙", "乙的唯一要求", ["区教育局"], [], "date", "2016-03-31")
    check(items["3-1"], "任务丙", "丙一", ["区卫计局"], [], "date", "2016-06-30")
    check(items["3-3"], "任务丙", "丙三", ["区卫计局"], [], "year_round", "2016-12-31")


def test_unnumbered_row_with_its_own_units_is_not_realigned():
    from toolkit.importers import plan_from_blocks

    plan = plan_from_blocks(["2016年工作方案", _shifted_grid("区政务办")], source="t.txt")
    items = by_id(plan)
    assert items["1-3"].lead_units == ["区政务办"] and items["2-1"].requirement.startswith("丙一")
    assert any("任务 3 的具体要求从第 2 项开始编号" in pr.message for pr in plan.problems)
