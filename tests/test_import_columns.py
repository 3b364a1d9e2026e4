"""Issue 11: no column dropped, --columns, section rows and sub-headers, several tables, not a plan."""

import pytest

from toolkit.cli import main
from toolkit.importers import import_plan, plan_from_blocks
from toolkit.importers.columns import parse_columns
from toolkit.model.errors import HeaderNotRecognisedError, NoPlanFoundError, UsageError

REQ = "推进政务公开标准化规范化建设，按要求公开相关信息。"


def _messages(plan):
    return [p.message for p in plan.problems]


def test_unknown_leader_and_category_columns_are_kept_in_context_and_named():
    grid = [
        ["序号", "工作任务", "具体要求", "牵头单位", "责任领导", "事项分类", "资金来源"],
        ["1", "做好公开", REQ, "区政府办", "张副区长", "政务公开", "区财政"],
    ]
    plan = plan_from_blocks(["2022年工作方案", grid], source="方案.docx")
    item = plan.items[0]
    assert item.context == {"责任领导": "张副区长", "事项分类": "政务公开", "资金来源": "区财政"}
    said = [m for m in _messages(plan) if "不是方案的固定列" in m]
    assert said and "“责任领导”“事项分类”“资金来源”" in said[0] and "--columns" in said[0]


def test_cells_beyond_the_header_are_kept():
    grid = [["序号", "工作任务", "具体要求", "牵头单位"], ["1", "做好公开", REQ, "区政府办", "另附说明"]]
    plan = plan_from_blocks(["2022年工作方案", grid], source="方案.docx")
    assert plan.items[0].context == {"第5列": "另附说明"}
    assert any("多出 1 个单元格" in m for m in _messages(plan))


def test_columns_option_maps_headers_to_roles(tmp_path):
    path = tmp_path / "方案.txt"
    path.write_text(
        f"2022年工作方案\n| 序号 | 工作内容描述 | 主管处室 | 办结日期 |\n| 1 | {REQ} | 区政府办 | 6月底前 |\n",
        encoding="utf-8",
    )
    with pytest.raises(HeaderNotRecognisedError) as exc:
        import_plan(path)
    message = str(exc.value)
    assert "序号、工作内容描述、主管处室、办结日期" in message
    assert "--columns 要求=工作内容描述,牵头=主管处室" in message
    plan = import_plan(path, columns="要求=工作内容描述,牵头=主管处室,时限=办结日期")
    item = plan.items[0]
    assert (item.requirement, item.lead_units, item.deadline.due.isoformat()) == (REQ, ["区政府办"], "2022-06-30")
    plan = import_plan(path, columns={"要求": "工作内容描述", "牵头": "主管处室"})
    assert plan.items[0].context == {"办结日期": "6月底前"}


def test_columns_option_on_the_command_line(tmp_path, capsys):
    path = tmp_path / "方案.txt"
    path.write_text(f"2022年工作方案\n| 序号 | 内容 | 科室 |\n| 1 | {REQ} | 办公室 |\n", encoding="utf-8")
    assert main(["import", str(path), "--columns", "要求=内容，牵头=科室", "--json"]) == 0
    import json

    assert json.loads(capsys.readouterr().out)["items"][0]["lead_units"] == ["办公室"]
    assert main(["import", str(path), "--columns", "内容要求=内容"]) != 0
    assert "列名“内容要求”不认识" in capsys.readouterr().err


def test_parse_columns_refuses_in_chinese():
    assert parse_columns("要求=具 体 内 容, 牵头=责任(牵头)科室") == {"具体内容": "req", "责任牵头科室": "lead"}
    with pytest.raises(UsageError, match="列=表头"):
        parse_columns("要求")


def test_no_units_column_says_which_option_to_use():
    grid = [["序号", "工作任务", "完成时限", "部门"], ["1", REQ, "年底前", "区政府办、区财政局"]]
    assert plan_from_blocks(["2022年方案", grid], source="x.docx").items[0].lead_units == ["区政府办"]
    grid = [["序号", "工作任务", "完成时限", "经办"], ["1", REQ, "年底前", "张三"]]
    with pytest.raises(HeaderNotRecognisedError, match="没有找到牵头单位.*--columns 牵头="):
        plan_from_blocks(["2022年方案", grid], source="x.docx")


def test_two_row_header_with_sub_labels_section_rows_and_measure_column():
    text = (
        "2022年计划指标\n"
        "指 标 名 称 | 单位 | 2021年完成 | 2022年计划 | 责任(牵头)部门 | ||||\n"
        "绝对值 | 增长% | 绝对值 | 增长% | ||||||\n"
        "一、创新驱动 | ||||||||\n"
        "研发经费投入增长 | % | - | - | - | 10 | 区科技局 | |||\n"
        "孵化载体总数 | 个 | 16 | - | 17 | - | |||||\n"
        "二、开放合作 | ||||||||\n"
        "进出口贸易总额 | 亿元 | 8.71 | -2 | 10.2 | 15 | 区自贸办 区商务局 | ||\n"
    )
    from toolkit.importers.text import blocks_from_text

    plan = plan_from_blocks(blocks_from_text(text), source="指标.txt")
    got = [(i.id, i.task, i.requirement, i.lead_units, i.co_units) for i in plan.items]
    assert got == [
        ("1", "创新驱动", "研发经费投入增长", ["区科技局"], []),
        ("2", "创新驱动", "孵化载体总数", ["区科技局"], []),
        ("3", "开放合作", "进出口贸易总额", ["区自贸办"], ["区商务局"]),
    ]
    assert plan.items[1].context == {
        "分类": "一、创新驱动",
        "计量单位": "个",
        "2021年完成·绝对值": "16",
        "2021年完成·增长%": "-",
        "2022年计划·绝对值": "17",
        "2022年计划·增长%": "-",
    }


def test_unit_column_holding_unit_names_is_the_lead_column():
    grid = [["序号", "工作任务", "单位"], ["1", REQ, "区政府办"], ["2", REQ + "二", "区财政局"]]
    plan = plan_from_blocks(["2022年方案", grid], source="x.docx")
    assert [i.lead_units for i in plan.items] == [["区政府办"], ["区财政局"]]


def test_merged_number_over_sub_rows_without_requirement_column_gives_unique_ids():
    grid = [
        ["序号", "工作任务", "牵头单位", "完成时限"],
        ["1", "开工建设县老年养护楼", "县民政局", "5月底前"],
        ["", "开工建设老年大学", "县教育局", "12月底前"],
        ["", "", "", "次年3月底前"],
        ["2", "改造老旧小区", "县住建局", "年底前"],
    ]
    plan = plan_from_blocks(["2022年民生实事", grid], source="x.docx")
    assert [(i.id, i.requirement) for i in plan.items] == [
        ("1-1", "开工建设县老年养护楼"),
        ("1-2", "开工建设老年大学"),
        ("1-3", "开工建设县老年养护楼"),
        ("2", "改造老旧小区"),
    ]
    assert not any("重复" in m for m in _messages(plan))


def test_several_tables_the_task_table_is_taken_and_said():
    notice = [["联系人", "电话"], ["张三", "12345"]]
    tasks = [["序号", "工作任务", "牵头单位", "完成时限"], ["1", REQ, "区政府办", "年底前"]]
    plan = plan_from_blocks(["关于印发2022年工作方案的通知", notice, "附件", "2022年工作方案", tasks], source="x.docx")
    assert len(plan.items) == 1
    said = [m for m in _messages(plan) if "采用" in m]
    assert (
        said
        and "采用第2个表格（表头：序号、工作任务、牵头单位、完成时限）" in said[0]
        and "第1个（表头：联系人、电话）" in said[0]
    )


def test_a_letter_is_not_a_plan_and_says_what_it_holds():
    blocks = ["关于报送材料的函", "各单位：", "请于3月底前报送。", [["姓名", "电话"], ["张三", "123"]]]
    with pytest.raises(NoPlanFoundError) as exc:
        plan_from_blocks(blocks, source="函.docx")
    message = str(exc.value)
    assert "没有找到分工方案" in message and "1 个表格（第1个表头：姓名、电话）" in message and "3 段文字" in message


def test_long_term_deadline_in_a_plan_and_missing_year_warned():
    grid = [["序号", "工作任务", "牵头单位", "完成时限"], ["1", REQ, "区政府办", "长期坚持"]]
    plan = plan_from_blocks(["工作方案", grid], source="x.docx")
    assert plan.items[0].deadline.kind == "year_round" and plan.items[0].deadline.note == "长期"
    assert any(f"已按 {plan.year} 年处理" in m and "--year" in m for m in _messages(plan))
