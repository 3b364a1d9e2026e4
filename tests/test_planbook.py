"""The plan workbook round trip, and the atomic writer under it."""

import os
import stat
import subprocess
import sys

import pytest
from conftest import seed
from openpyxl import load_workbook

from toolkit.io.atomic import atomic_path
from toolkit.io.planbook import read_plan, write_plan
from toolkit.model import Item, Plan, deadlines
from toolkit.model.errors import OutputError


def sample_plan() -> Plan:
    items = [
        Item(
            "1-1",
            "推进权责清单公开",
            "=及时发布全区住房保障信息",
            ["区编办"],
            ["区政务办"],
            "2016年12月底前完成",
            deadlines.parse("2016年12月底前完成", 2016),
            context={"国务院办公厅要求": "大力推动…", "广州市分工方案": "1．市、区编办…"},
        ),
        Item(
            "1-2",
            "推进权责清单公开",
            "+@-开头的文字",
            ["各县（市、区）人民政府（管委会）"],
            [],
            "全年工作",
            deadlines.parse("全年工作", 2016),
        ),
    ]
    return Plan(title="示例方案", doc_number="越府办〔2016〕70号", year=2016, items=items)


def test_round_trip_keeps_text_that_looks_like_a_formula(tmp_path):
    path = write_plan(sample_plan(), tmp_path / "方案.xlsx")
    ws = load_workbook(path)["方案"]
    assert ws["C2"].data_type == "s" and ws["C2"].value == "=及时发布全区住房保障信息"
    plan = read_plan(path)
    assert [i.requirement for i in plan.items] == ["=及时发布全区住房保障信息", "+@-开头的文字"]
    assert plan.items[1].lead_units == ["各县（市、区）人民政府（管委会）"]
    assert plan.items[0].co_units == ["区政务办"]
    assert plan.items[0].context == sample_plan().items[0].context
    assert plan.items[0].deadline.due.isoformat() == "2016-12-31"
    assert plan.doc_number == "越府办〔2016〕70号" and plan.year == 2016


def test_staff_edit_of_due_date_is_respected(tmp_path):
    from datetime import datetime

    path = write_plan(sample_plan(), tmp_path / "方案.xlsx")
    wb = load_workbook(path)
    wb["方案"]["G2"] = datetime(2016, 11, 15)
    wb.save(path)
    assert read_plan(path).items[0].deadline.due.isoformat() == "2016-11-15"


def test_seed_plan_round_trips(tmp_path):
    from toolkit.importers import import_plan

    plan = import_plan(seed("000"))
    back = read_plan(write_plan(plan, tmp_path / "越秀.xlsx"))
    assert [i.to_dict() for i in back.items] == [i.to_dict() for i in plan.items]
    assert back.content_hash == plan.content_hash


def test_atomic_output_is_readable_by_others_and_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "汇总.xlsx"
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"x")
    assert stat.S_IMODE(os.stat(target).st_mode) & 0o044  # group/other may read
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("boom")
    assert target.read_bytes() == b"x"
    assert [p.name for p in tmp_path.iterdir()] == ["汇总.xlsx"]
    with pytest.raises(OutputError, match="输出文件夹不存在"), atomic_path(tmp_path / "没有的文件夹" / "a.xlsx"):
        pass


def test_broken_pipe_is_quiet():
    cmd = f"{sys.executable} -m toolkit.cli import {seed('000')} --json | head -c 10"
    out = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    assert "Traceback" not in out.stderr and "BrokenPipe" not in out.stderr


def test_import_never_overwrites_its_source_and_writes_only_xlsx(tmp_path):
    from fixtures_build import build_seed

    from toolkit.cli import main
    from toolkit.importers import import_plan

    source = build_seed(seed("001"), tmp_path, "xlsx")
    text = tmp_path / "方案.txt"
    text.write_bytes(seed("001").read_bytes())
    before = {p: p.read_bytes() for p in (source, text)}
    for src, out in ((source, source), (text, text), (text, tmp_path / "方案.csv")):
        with pytest.raises(OutputError, match="原文件|不是 .xlsx"):
            write_plan(import_plan(src), out)
        assert main(["import", str(src), "-o", str(out)]) == 2
    assert {p: p.read_bytes() for p in before} == before
    assert not (tmp_path / "方案.csv").exists()
    assert read_plan(write_plan(import_plan(text), tmp_path / "方案.XLSX")).items


def test_numbers_typed_by_staff_and_a_missing_id(tmp_path):
    from toolkit.model.errors import TemplateError

    path = write_plan(sample_plan(), tmp_path / "方案.xlsx")
    wb = load_workbook(path)
    wb["方案"]["A2"] = 7  # staff renumbered with a number, not text
    wb.save(path)
    assert [i.id for i in read_plan(path).items] == ["7", "1-2"]
    wb["方案"]["A3"] = None
    wb.save(path)
    with pytest.raises(TemplateError, match="单元格 A3 缺少编号"):
        read_plan(path)


def test_wrong_kind_of_file_is_named_in_chinese(tmp_path):
    from toolkit.model.errors import UnsupportedFileError

    fake = tmp_path / "方案.xlsx"
    fake.write_text("这是文字", encoding="utf-8")
    with pytest.raises(UnsupportedFileError) as exc:
        read_plan(fake)
    assert "不是Excel 工作簿（.xlsx），实际是纯文本" in str(exc.value)


def test_a_damaged_workbook_is_said_plainly(tmp_path):
    from toolkit.model.errors import UnreadableFileError

    good = write_plan(sample_plan(), tmp_path / "方案.xlsx")
    cut = tmp_path / "不完整.xlsx"
    cut.write_bytes(good.read_bytes()[:500])
    with pytest.raises(UnreadableFileError) as exc:
        read_plan(cut)
    assert "文件“不完整.xlsx”已损坏或不完整" in str(exc.value) and "压缩包" not in str(exc.value)


def test_plan_prints_landscape_fitted_to_width_with_header_and_page_numbers(tmp_path):
    """The sample plan (97 items) as LibreOffice prints it: A4 landscape, every column on the page,
    the header row on every page, 第 X 页，共 Y 页; not 17 portrait pages with cut columns."""
    from render import cjk_text_sizes, have_tools, is_paper, pdf_pages, pdf_text, to_pdf

    from toolkit.demo import sample_path
    from toolkit.importers import import_plan

    if not have_tools():
        pytest.fail("LibreOffice and poppler are required for render tests")
    path = write_plan(import_plan(sample_path()), tmp_path / "方案.xlsx")
    pdf = to_pdf(path, tmp_path)
    pages = pdf_pages(pdf)
    sheet_pages = [p for p in pdf_text(pdf).split("\f") if "具体要求" in p]
    assert all(is_paper(p, "A4", landscape=True) for p in pages[: len(sheet_pages)])
    assert 4 <= len(sheet_pages) <= 10, len(sheet_pages)
    for i, text in enumerate(sheet_pages, start=1):
        assert all(h in text for h in ("编号", "工作任务", "牵头单位", "截止日期", "备注")), i  # repeated, not cut
        assert f"第 {i} 页，共 {len(pages)} 页" in text  # LibreOffice counts the pages of every sheet
    assert "上级要求" not in "".join(sheet_pages)  # on screen only
    assert min(cjk_text_sizes(pdf, 1)) >= 7.5
