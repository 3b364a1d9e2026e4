"""The .docx and .xlsx readers, and Word/Excel renditions of the seeds importing like the text."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import docx
import pytest
from conftest import seed
from docx.oxml import OxmlElement, parse_xml
from fixtures_build import (
    HEADER_000,
    TABLE_SEEDS,
    Layout,
    build_seed,
    write_docx,
    write_xlsx,
)
from openpyxl import Workbook, load_workbook

from toolkit.io import docx as docx_reader
from toolkit.io import sheet_tables
from toolkit.model.errors import (
    NoPlanFoundError,
    UnreadableFileError,
    UnsupportedFileError,
)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# --------------------------------------------------------------------------- seeds


def _items(plan) -> list[tuple]:
    return [
        (
            i.id,
            i.task,
            i.requirement,
            tuple(i.lead_units),
            tuple(i.co_units),
            i.deadline_text,
            i.notes,
            i.context,
            i.deadline.to_dict(),
        )
        for i in plan.items
    ]


def _metadata(plan) -> tuple:
    return plan.title, plan.doc_number, plan.issuer, plan.issue_date, plan.year


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
@pytest.mark.parametrize("prefix", TABLE_SEEDS)
def test_seed_rendition_imports_like_the_text(prefix, kind, tmp_path):
    from toolkit.importers import import_plan

    path = build_seed(seed(prefix), tmp_path, kind)
    expected = _items(import_plan(seed(prefix)))
    got = _items(import_plan(path))
    assert expected, "the text import found no items"
    assert [g[0] for g in got] == [e[0] for e in expected]
    for e, g in zip(expected, got):
        assert g == e, f"{prefix} {kind} item {e[0]}"
    assert _metadata(import_plan(path)) == _metadata(import_plan(seed(prefix)))


def test_prose_seed_docx_imports_like_the_text(tmp_path):
    from toolkit.importers import import_plan

    path = build_seed(seed("002"), tmp_path, "docx")
    expected = _items(import_plan(seed("002")))
    assert expected
    assert _items(import_plan(path)) == expected


def test_seed_000_docx_has_real_merges_and_repeated_headers(tmp_path):
    """The fixture is what the test claims: merged cells, header rows marked and repeated."""
    path = build_seed(seed("000"), tmp_path, "docx")
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert xml.count('<w:gridSpan w:val="2"/>') == 2  # 国务院办公厅要求, in both header copies
    assert xml.count("<w:vMerge/>") > 100
    assert xml.count("<w:tblHeader/>") == 2
    assert "<w:numPr>" in xml
    grid = next(b for b in docx_reader.read_blocks(path) if isinstance(b, list))
    header = [
        "序号",
        "国务院办公厅要求",
        "国务院办公厅要求",
        "广州市分工方案",
        "越秀区分工方案",
        "牵头单位",
        "完成时限",
        "备注",
    ]
    assert [i for i, row in enumerate(grid) if row == header] == [0, grid.index(header, 1)]
    assert grid.index(header, 1) > 20
    assert grid[2][:2] == ["1", "进一步推进权力清单和责任清单公开"]
    assert grid[3][:3] == ["", "", ""] and grid[3][4].startswith("2．区政府门户网站")


def test_seed_000_xlsx_has_merged_ranges_and_title_rows(tmp_path):
    path = build_seed(seed("000"), tmp_path, "xlsx")
    ws = load_workbook(path).active
    assert "B10:C10" in {str(r) for r in ws.merged_cells.ranges}
    assert len(ws.merged_cells.ranges) > 50
    blocks = sheet_tables.read_blocks(path)
    assert blocks[0] == "越府办〔2016〕70号"
    assert any(isinstance(b, list) for b in blocks)


# --------------------------------------------------------------------------- .docx reader


def test_docx_paragraphs_and_tables_keep_document_order(tmp_path):
    path = write_docx(
        ["标题", [["序号", "任务"], ["1", "甲"]], "中间段落", [["a", "b"]], "抄送：区委办"],
        tmp_path / "o.docx",
        [Layout(repeat_header=False), Layout(header_rows=0, repeat_header=False)],
    )
    assert docx_reader.read_blocks(path) == [
        "标题",
        [["序号", "任务"], ["1", "甲"]],
        "中间段落",
        [["a", "b"]],
        "抄送：区委办",
    ]


def test_docx_vertical_and_horizontal_merges(tmp_path):
    grid = [
        ["序号", "任务", "具体要求", "牵头单位", "完成时限"],
        ["1", "任务一", "要求甲", "区编办", "2016年12月底前"],
        ["", "", "要求乙", "", ""],
        ["", "", "要求丙", "区政务办", "全年工作"],
    ]
    path = write_docx([grid], tmp_path / "m.docx", [Layout(repeat_header=False, numbering=False)])
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert xml.count("<w:vMerge/>") == 6  # 序号×2, 任务×2, 牵头单位×1, 完成时限×1
    assert docx_reader.read_blocks(path) == [grid]
    document = docx.Document(str(path))
    table = document.tables[0]
    continuation = table.rows[2]._tr.tc_lst[0]  # Word hides text left in a continuation cell
    continuation.p_lst[0].append(parse_xml(f'<w:r xmlns:w="{W_NS}"><w:t>隐藏</w:t></w:r>'))
    table.cell(0, 0).merge(table.cell(0, 1))  # a header cell spanning two columns
    document.save(str(path))
    assert docx_reader.read_blocks(path)[0][0][:3] == ["序号\n任务", "序号\n任务", "具体要求"]
    assert docx_reader.read_blocks(path)[0][2] == grid[2]


def test_docx_two_level_header_reads_as_repeated_group(tmp_path):
    grid = [HEADER_000[0], HEADER_000[1], ["1", "任务", "要求", "市", "区", "区编办", "全年工作", ""]]
    path = write_docx([grid], tmp_path / "h.docx", [Layout(header_rows=2, header=HEADER_000, repeat_header=False)])
    rows = docx_reader.read_blocks(path)[0]
    assert rows[0][1:3] == ["国务院办公厅要求", "国务院办公厅要求"]
    assert rows[1] == ["", "任务", "具体要求", "", "", "", "", ""]


def test_docx_header_row_marked_repeat_is_kept_once_and_a_physical_repeat_kept(tmp_path):
    grid = [["序号", "任务"]] + [[str(n), f"任务{n}"] for n in range(1, 7)]
    path = write_docx([grid], tmp_path / "r.docx", [Layout(numbering=False)])
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert xml.count("<w:tblHeader/>") == 1
    rows = docx_reader.read_blocks(path)[0]
    assert rows.count(["序号", "任务"]) == 2
    assert [r for r in rows if r != ["序号", "任务"]] == grid[1:]


def _numbered_doc(tmp_path, cells: list[list[str]], restart: bool) -> Path:
    """One table row; each cell holds paragraphs numbered by one shared or per-cell list."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="77"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1．"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>'
    )
    numbering.findall(f"{{{W_NS}}}abstractNum")[-1].addnext(abstract)
    table = document.add_table(rows=1, cols=len(cells))
    for c, paragraphs in enumerate(cells):
        num_id = 700 + (c if restart else 0)
        if c == 0 or restart:
            override = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>' if restart else ""
            numbering.append(
                parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}"><w:abstractNumId w:val="77"/>{override}</w:num>')
            )
        for i, text in enumerate(paragraphs):
            level = 1 if text.startswith(">") else 0
            p = table.cell(0, c).paragraphs[0] if i == 0 else table.cell(0, c).add_paragraph()
            p.add_run(text.lstrip(">"))
            numpr = p._p.get_or_add_pPr().get_or_add_numPr()
            numpr.get_or_add_ilvl().val = level
            numpr.get_or_add_numId().val = num_id
    path = tmp_path / "n.docx"
    document.save(str(path))
    return path


def test_docx_automatic_numbering_in_cells_is_rendered(tmp_path):
    path = _numbered_doc(tmp_path, [["公开权责清单", "优化栏目"], ["公开结果"]], restart=True)
    assert docx_reader.read_blocks(path) == [[["1．公开权责清单\n2．优化栏目", "1．公开结果"]]]


def test_docx_numbering_continues_across_cells_sharing_a_list(tmp_path):
    """Word continues a list into the next cell unless it is restarted: so does the reader."""
    path = _numbered_doc(tmp_path, [["甲", ">细则", ">细则二", "乙"], ["丙"]], restart=False)
    assert docx_reader.read_blocks(path) == [[["1．甲\n（一）细则\n（二）细则二\n2．乙", "3．丙"]]]


def test_docx_line_breaks_tabs_nested_tables_and_content_controls(tmp_path):
    document = docx.Document()
    p = document.add_paragraph("第一行")
    p.add_run().add_break()
    p.add_run("第二行\t尾")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "区府办"
    inner = table.cell(0, 1).add_table(rows=2, cols=2)
    for r, c, text in ((0, 0, "区教育局"), (0, 1, "区卫计局"), (1, 0, "区民政局")):
        inner.cell(r, c).text = text
    sdt = OxmlElement("w:sdt")
    content = OxmlElement("w:sdtContent")
    sdt.append(content)
    document.element.body.insert(0, sdt)
    content.append(document.add_paragraph("控件中的文号")._p)
    path = tmp_path / "x.docx"
    document.save(str(path))
    assert docx_reader.read_blocks(path) == [
        "控件中的文号",
        "第一行\n第二行\t尾",
        [["区府办", "区教育局 区卫计局\n区民政局"]],
    ]


def test_docx_text_box_read_once_before_its_paragraph(tmp_path):
    """A red-header 文号 in a floating text box; the VML fallback copy is not read again."""
    box = "<w:txbxContent><w:p><w:r><w:t>越府办〔2016〕70号</w:t></w:r></w:p></w:txbxContent>"
    document = docx.Document()
    p = document.add_paragraph("关于印发分工方案的通知")
    p._p.insert(
        1,
        parse_xml(
            f'<w:r xmlns:w="{W_NS}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
            'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
            f"{box}</w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>{box}</v:textbox></w:pict>"
            "</mc:Fallback></mc:AlternateContent></w:r>"
        ),
    )
    path = tmp_path / "box.docx"
    document.save(str(path))
    assert docx_reader.read_blocks(path) == ["越府办〔2016〕70号", "关于印发分工方案的通知"]


def test_docx_alt_chunk_is_reported_not_dropped(tmp_path):
    document = docx.Document()
    document.add_paragraph("前言")
    document.element.body.insert(
        1,
        parse_xml(
            f'<w:altChunk xmlns:w="{W_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
            'r:id="rId99"/>'
        ),
    )
    path = tmp_path / "chunk.docx"
    document.save(str(path))
    with pytest.raises(UnsupportedFileError, match="chunk.docx.*另存为"):
        docx_reader.read_blocks(path)


def test_docx_tracked_deletions_are_not_text(tmp_path):
    document = docx.Document()
    p = document.add_paragraph("保留")
    p._p.append(
        parse_xml(f'<w:del xmlns:w="{W_NS}" w:id="1" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del>')
    )
    path = tmp_path / "d.docx"
    document.save(str(path))
    assert docx_reader.read_blocks(path) == ["保留"]


# --------------------------------------------------------------------------- .xlsx reader


def test_xlsx_title_rows_merges_and_trailing_notes(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "某区2016年政务公开工作要点分工方案"
    ws.merge_cells("A1:D1")
    ws.append(["序号", "工作任务", "具体要求", "牵头单位"])
    ws.append([1, "推进决策公开", "1.预公开", "区府办"])
    ws.append([None, None, "2.公开议定事项", None])
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells("D3:D4")
    ws.append([2, "推进执行公开", "公开审计结果", "区审计局"])
    ws["C6"] = "注：跨列说明"
    ws.merge_cells("A7:D7")
    ws["A7"] = "抄送：区委办"
    path = tmp_path / "t.xlsx"
    wb.save(path)
    assert sheet_tables.read_blocks(path) == [
        "某区2016年政务公开工作要点分工方案",
        [
            ["序号", "工作任务", "具体要求", "牵头单位"],
            ["1", "推进决策公开", "1.预公开", "区府办"],
            ["", "", "2.公开议定事项", ""],
            ["2", "推进执行公开", "公开审计结果", "区审计局"],
            ["", "", "注：跨列说明", ""],
        ],
        "抄送：区委办",
    ]


def test_xlsx_horizontal_merge_repeats_and_values_read_as_text(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "国务院办公厅要求", None, "完成时限", "比例"])
    ws.merge_cells("B1:C1")
    ws.append([1.0, "任务", "要求", datetime(2016, 12, 31), 0.25])
    ws.append([2, "任务二", "要求二", date(2016, 9, 30), 3.5])
    ws["E2"].number_format = "0%"
    ws["D3"].number_format = 'yyyy"年"m"月"'
    path = tmp_path / "v.xlsx"
    wb.save(path)
    assert sheet_tables.read_blocks(path) == [
        [
            ["序号", "国务院办公厅要求", "国务院办公厅要求", "完成时限", "比例"],
            ["1", "任务", "要求", "2016年12月31日", "25%"],
            ["2", "任务二", "要求二", "2016年9月", "3.5"],
        ]
    ]


def test_xlsx_reads_every_visible_sheet_and_skips_hidden(tmp_path):
    wb = Workbook()
    wb.active.append(["序号", "任务"])
    wb.active.append([1, "甲"])
    hidden = wb.create_sheet("旧版")
    hidden.append(["序号", "任务"])
    hidden.sheet_state = "hidden"
    units = wb.create_sheet("附件")
    units.append(["市财政局", "市教育局"])
    path = tmp_path / "s.xlsx"
    wb.save(path)
    assert sheet_tables.read_blocks(path) == [[["序号", "任务"], ["1", "甲"]], [["市财政局", "市教育局"]]]


def _rewrite_part(path: Path, part: str, edit) -> None:
    """Rewrite one part of a zip in place (test input only)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, edit(data) if info.filename == part else data)
    path.write_bytes(buf.getvalue())


def test_xlsx_huge_stated_dimension_reads_only_rows_with_data(tmp_path):
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    for row in (["序号", "任务"], [1, "甲"], [2, "乙"]):
        ws.append(row)
    ws.cell(1048576, 16384).font = Font(bold=True)  # a styled empty cell at XFD1048576
    path = tmp_path / "big.xlsx"
    wb.save(path)
    assert b'ref="A1:XFD1048576"' in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert sheet_tables.read_blocks(path) == [[["序号", "任务"], ["1", "甲"], ["2", "乙"]]]


def test_xlsx_absurd_merged_range_is_refused(tmp_path):
    wb = Workbook()
    wb.active.append(["序号", "任务"])
    wb.active.merge_cells("A2:B3")
    path = tmp_path / "merge.xlsx"
    wb.save(path)
    _rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"A2:B3", b"A2:XFD1048576"))
    with pytest.raises(UnreadableFileError, match="合并单元格的范围异常巨大"):
        sheet_tables.read_blocks(path)


def test_xlsx_formula_without_cached_value_is_reported(tmp_path):
    wb = Workbook()
    wb.active.append(["序号", "任务"])
    wb.active.append(["=1+1", "甲"])
    path = tmp_path / "f.xlsx"
    wb.save(path)  # openpyxl stores no cached result
    with pytest.raises(UnreadableFileError, match="A2 是公式"):
        sheet_tables.read_blocks(path)


def test_xlsx_formula_with_empty_text_result_is_fine(tmp_path):
    wb = Workbook()
    wb.active.append(["序号", "任务", "备注"])
    wb.active.append([1, "甲", '=""'])
    path = tmp_path / "e.xlsx"
    wb.save(path)
    _rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b'<c r="C2">', b'<c r="C2" t="str">'))
    assert sheet_tables.read_blocks(path) == [[["序号", "任务", "备注"], ["1", "甲", ""]]]


# --------------------------------------------------------------------------- bad input


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


@pytest.mark.parametrize("reader", [docx_reader.read_blocks, sheet_tables.read_blocks])
def test_old_binary_office_file_under_new_name(reader, tmp_path):
    path = tmp_path / "旧格式方案.docx"
    path.write_bytes(OLE2 + "WordDocument".encode("utf-16-le") + b"\0" * 512)
    with pytest.raises(UnsupportedFileError, match="另存为"):
        reader(path)


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_password_protected_file(kind, tmp_path):
    """A real encrypted file (as Excel/Word save it with an open password)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = build_seed(seed("004"), tmp_path, kind)
    path = tmp_path / f"加密.{kind}"
    with plain.open("rb") as fh, path.open("wb") as out:
        OOXMLFile(fh).encrypt("密码123", out)
    reader = docx_reader.read_blocks if kind == "docx" else sheet_tables.read_blocks
    with pytest.raises(UnreadableFileError, match=f"加密.{kind}.*密码"):
        reader(path)


@pytest.mark.parametrize("reader,suffix", [(docx_reader.read_blocks, ".docx"), (sheet_tables.read_blocks, ".xlsx")])
def test_empty_file(reader, suffix, tmp_path):
    path = tmp_path / f"空{suffix}"
    path.write_bytes(b"")
    with pytest.raises(UnreadableFileError, match="空文件"):
        reader(path)


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_truncated_zip(kind, tmp_path):
    path = build_seed(seed("004"), tmp_path, kind)
    path.write_bytes(path.read_bytes()[:3000])
    reader = docx_reader.read_blocks if kind == "docx" else sheet_tables.read_blocks
    with pytest.raises(UnreadableFileError, match="损坏"):
        reader(path)


@pytest.mark.parametrize("kind,part", [("docx", "word/document.xml"), ("xlsx", "xl/worksheets/sheet1.xml")])
def test_damaged_xml_inside_a_whole_zip(kind, part, tmp_path):
    path = build_seed(seed("004"), tmp_path, kind)
    _rewrite_part(path, part, lambda xml: xml[: len(xml) // 2])
    reader = docx_reader.read_blocks if kind == "docx" else sheet_tables.read_blocks
    with pytest.raises(UnreadableFileError, match=f"{path.name}.*损坏"):
        reader(path)


BOMB = (
    '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY a{i} "{("&a%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    + "]>"
)


@pytest.mark.parametrize(
    "kind,part,text",
    [
        ("docx", "word/document.xml", b"<w:t>1</w:t>"),
        ("xlsx", "xl/worksheets/sheet1.xml", b"<t>1</t>"),
    ],
)
def test_xml_entity_bomb_is_refused(kind, part, text, tmp_path):
    path = tmp_path / f"bomb.{kind}"
    if kind == "docx":
        write_docx([[["1", "2"]]], path, [Layout(header_rows=0, repeat_header=False, numbering=False)])
    else:
        wb = Workbook()
        wb.active["A1"] = "1"
        wb.save(path)

    def arm(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[-1].replace(text, text.replace(b"1", b"&a9;"), 1)
        assert b"&a9;" in body
        return BOMB.encode() + body

    _rewrite_part(path, part, arm)
    reader = docx_reader.read_blocks if kind == "docx" else sheet_tables.read_blocks
    with pytest.raises(UnreadableFileError, match="损坏"):
        reader(path)


def test_docx_without_a_plan(tmp_path):
    from toolkit.importers import import_plan

    path = write_docx(["会议通知", "定于下周一召开全体会议，请准时参加。"], tmp_path / "通知.docx")
    with pytest.raises(NoPlanFoundError):
        import_plan(path)


def test_chinese_file_name_in_messages(tmp_path):
    path = tmp_path / "越秀区分工方案（定稿）.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(UnreadableFileError, match="越秀区分工方案（定稿）.docx"):
        docx_reader.read_blocks(path)


def test_xlsx_stray_value_far_away_does_not_widen_the_table(tmp_path):
    wb = Workbook()
    ws = wb.active
    for row in (["序号", "任务"], [1, "甲"]):
        ws.append(row)
    ws.cell(1048576, 16384, "孤立单元格")
    path = tmp_path / "far.xlsx"
    wb.save(path)
    assert sheet_tables.read_blocks(path) == [[["序号", "任务"], ["1", "甲"]], [["孤立单元格"]]]


def test_docx_list_style_numbering_is_rendered(tmp_path):
    document = docx.Document()
    document.add_paragraph("工作要求如下：")
    for text in ("公开权责清单", "公开审计结果"):
        document.add_paragraph(text, style="List Number")
    path = tmp_path / "style.docx"
    document.save(str(path))
    assert docx_reader.read_blocks(path) == ["工作要求如下：", "1.公开权责清单", "2.公开审计结果"]


def test_xlsx_and_docx_renditions_read_to_the_same_blocks(tmp_path):
    """Title rows, a two-level merged header, a repeated header, merged task/unit cells."""
    grid = [HEADER_000[0], HEADER_000[1]] + [
        [
            str(n) if r == 0 else "",
            f"任务{n}" if r == 0 else "",
            "要求" if r == 0 else "",
            f"{r + 1}．市",
            f"{r + 1}．区",
            "区编办" if r == 0 else "",
            "全年工作" if r == 0 else "",
            "",
        ]
        for n in range(1, 5)
        for r in range(2)
    ]
    blocks = ["越府办〔2016〕70号", "分工方案", grid, "抄送：区委办"]
    layout = [Layout(header_rows=2, header=HEADER_000)]
    from_xlsx = sheet_tables.read_blocks(write_xlsx(blocks, tmp_path / "s.xlsx", layout))
    from_docx = docx_reader.read_blocks(write_docx(blocks, tmp_path / "s.docx", layout))
    assert from_xlsx == from_docx
    assert from_xlsx[:2] == blocks[:2] and from_xlsx[3] == blocks[3]
    table = from_xlsx[2]
    assert table[0][1:3] == ["国务院办公厅要求"] * 2 and table.count(table[0]) == 2
    assert [row for row in table if row[0] != "序号" and row[1] != "任务"] == grid[2:]


def test_a_paragraph_of_an_undefined_list_is_not_numbered_by_an_unnamed_one(tmp_path):
    """A w:abstractNum without w:abstractNumId (hostile or hand-made) is named by no w:num: a paragraph
    whose w:numId is not defined shows no number in Word, and none here (it once took that list's)."""
    document = docx.Document()
    document.part.numbering_part.element.insert(
        0,
        parse_xml(
            f'<w:abstractNum xmlns:w="{W_NS}"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
            '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1．"/></w:lvl></w:abstractNum>'
        ),
    )
    paragraph = document.add_paragraph("加强政策解读")
    ppr = paragraph._p.get_or_add_pPr()
    ppr.get_or_add_numPr().get_or_add_numId().val = 77
    ppr.get_or_add_numPr().get_or_add_ilvl().val = 0
    path = tmp_path / "n.docx"
    document.save(str(path))
    assert docx_reader.read_blocks(path) == ["加强政策解读"]
