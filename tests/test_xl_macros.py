"""The add-in fengong.xlam and the plan template 方案模板.xlsm built on Linux: VBA modules
round-trip through oletools' olevba unchanged, the package parts are well formed (content types,
ribbon part, buttons' drawing/VML/control parts), a rebuild is byte-identical to the committed file,
the template's buttons run add-in macros that exist, and the template is a plan workbook that
openpyxl, read_plan and LibreOffice open."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import xlwings
from lxml import etree
from oletools import olevba

from toolkit.xl import control as C

ROOT = Path(__file__).resolve().parents[1]
MACROS = ROOT / "macros"
COMMITTED = MACROS / "fengong.xlam"
ADDIN_TYPE = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
MACRO_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
TEMPLATE = ROOT / "workbook_templates" / "方案模板.xlsm"
BUTTON_MACROS = {"distribute": "FgDistribute", "rollup": "FgRollup", "gantt": "FgGantt"}  # ribbon tag → macro
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RIBBON_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
CUSTOMUI = {"c": "http://schemas.microsoft.com/office/2009/07/customui"}


def _build(out: Path, script: str = "build_addin") -> Path:
    import importlib.util

    spec = importlib.util.spec_from_file_location(script, MACROS / f"{script}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.build(out)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("xlam") / "fengong.xlam")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("xlsm") / "方案模板.xlsm", "build_plan_template")


def extracted(path: Path) -> dict[str, str]:
    """module name → source as olevba extracts it from the file."""
    parser = olevba.VBA_Parser(str(path))
    try:
        return {Path(name).stem: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def without_attributes(text: str) -> str:
    """olevba drops the `Attribute VB_…` lines the VBA editor hides too; compare the rest."""
    lines = text.replace("\r\n", "\n").split("\n")
    return "\n".join(line for line in lines if not line.startswith("Attribute VB_")).strip("\n")


# [MS-OVBA] 2.3.4.1: a writer sets _VBA_PROJECT Version 0xFFFF and writes no PerformanceCache, so Office
# compiles the project from source (it cannot run compiled code another VBA version left behind).
VBA_PROJECT_AS_WRITTEN = b"\xcc\x61\xff\xff\x00\x00\x00"


def vba_layout(path: Path) -> tuple[bytes, dict[str, tuple[int, bytes]]]:
    """The _VBA_PROJECT stream, and module name → (MODULEOFFSET, module stream) as the dir stream says."""
    import io
    import struct

    import olefile

    with zipfile.ZipFile(path) as z:
        ole = olefile.OleFileIO(io.BytesIO(z.read("xl/vbaProject.bin")))
    try:
        project = ole.openstream("VBA/_VBA_PROJECT").read()
        records = olevba.decompress_stream(bytearray(ole.openstream("VBA/dir").read()))
        modules: dict[str, tuple[int, bytes]] = {}
        at, name, stream = 0, "", ""
        while at + 6 <= len(records):
            rid, size = struct.unpack_from("<HI", records, at)
            size = 6 if rid == 0x0009 else size  # PROJECTVERSION: its Size field is "Reserved", 6 bytes follow
            data = bytes(records[at + 6 : at + 6 + size])
            if rid == 0x0019:  # MODULENAME
                name = data.decode("cp1252")
            elif rid == 0x001A:  # MODULESTREAMNAME
                stream = data.decode("cp1252")
            elif rid == 0x0031:  # MODULEOFFSET
                modules[name] = (struct.unpack("<I", data)[0], ole.openstream(f"VBA/{stream}").read())
            at += 6 + size
        return project, modules
    finally:
        ole.close()


@pytest.mark.parametrize("which", ["add-in built", "add-in committed", "template built", "template committed"])
def test_vba_projects_are_source_only(built, template, which):
    path = {
        "add-in built": built,
        "add-in committed": COMMITTED,
        "template built": template,
        "template committed": TEMPLATE,
    }[which]
    project, modules = vba_layout(path)
    assert project == VBA_PROJECT_AS_WRITTEN  # Version 0xFFFF, no performance cache
    names = (
        {"ThisWorkbook", "Sheet1", "Fengong", "xlwings"}
        if which.startswith("add-in")
        else {"ThisWorkbook", "Sheet1", "Sheet2", "Sheet3", "Sheet4", "Sheet5", "PlanButtons"}
    )
    assert set(modules) == names
    sources = extracted(path)
    for name, (offset, stream) in modules.items():
        assert offset == 0 and stream[0] == 0x01, name  # the CompressedContainer's signature byte at the start
        source = olevba.decompress_stream(bytearray(stream)).decode("cp1252")  # the whole stream is source
        assert without_attributes(source) == without_attributes(sources[name]), name
        if (MACROS / f"{name}.bas").is_file():
            assert source == module_source(name), name


def module_source(name: str) -> str:
    return (MACROS / f"{name}.bas").read_text("ascii").replace("\r\n", "\n").replace("\n", "\r\n")


def test_pyopenvba_alone_leaves_compiled_code(tmp_path):
    """What build_addin.source_only undoes: pyOpenVBA's project keeps its template's Version 0x00B5, a
    zeroed performance cache, and compiled code before the source of ThisWorkbook and Sheet1."""
    from pyopenvba import ExcelFile

    path = tmp_path / "plain.xlsm"
    with ExcelFile.create_new(str(path)) as wb:
        wb.vba_project().add_module("Fengong", module_source("Fengong"))
        wb.save()
    project, modules = vba_layout(path)
    assert project[:5] == b"\xcc\x61\xb5\x00\x00" and len(project) > 7
    assert modules["ThisWorkbook"][0] > 0 and modules["Sheet1"][0] > 0 and modules["Fengong"][0] == 0


@pytest.mark.parametrize("name", ["Fengong", "xlwings"])
def test_modules_round_trip_unchanged(built, name):
    source = (MACROS / f"{name}.bas").read_bytes()
    source.decode("ascii")  # VBA source is code page 1252: ASCII only
    assert without_attributes(extracted(built)[name]) == without_attributes(source.decode("ascii"))


def test_committed_addin_has_the_same_modules_as_a_rebuild(built):
    assert built.read_bytes() == COMMITTED.read_bytes()  # the build is byte-reproducible
    fresh, committed = extracted(built), extracted(COMMITTED)
    assert set(committed) == {"ThisWorkbook", "Sheet1", "Fengong", "xlwings"}
    assert committed == fresh


@pytest.mark.parametrize("which", ["built", "committed"])
def test_package_parts_are_well_formed(built, which):
    path = built if which == "built" else COMMITTED
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        names = set(z.namelist())
        parts = {n: etree.fromstring(z.read(n)) for n in names if n.endswith((".xml", ".rels"))}  # all parse
        ribbon_bytes = z.read("customUI/customUI14.xml")
    types = parts["[Content_Types].xml"]
    overrides = {o.get("PartName"): o.get("ContentType") for o in types if o.get("PartName")}
    defaults = {d.get("Extension"): d.get("ContentType") for d in types if d.get("Extension")}
    assert overrides["/xl/workbook.xml"] == ADDIN_TYPE
    assert defaults["bin"] == "application/vnd.ms-office.vbaProject"
    for part in overrides:  # every declared part exists
        assert part.lstrip("/") in names
    root_rels = {r.get("Type"): r.get("Target") for r in parts["_rels/.rels"]}
    assert root_rels[RIBBON_REL] == "customUI/customUI14.xml"
    wb_rels = {r.get("Target") for r in parts["xl/_rels/workbook.xml.rels"]}
    assert "vbaProject.bin" in wb_rels
    assert ribbon_bytes == (MACROS / "customUI14.xml").read_bytes()


def test_ribbon_has_the_four_entry_points_on_the_fengong_tab():
    ribbon = etree.parse(str(MACROS / "customUI14.xml")).getroot()
    assert ribbon.find(".//c:tab", CUSTOMUI).get("label") == "分工台账"
    buttons = ribbon.findall(".//c:button", CUSTOMUI)
    assert [(b.get("tag"), b.get("label"), b.get("onAction")) for b in buttons] == [
        (e.key, e.label, "FgRibbon") for e in C.ENTRIES
    ]
    assert [e.label for e in C.ENTRIES] == ["校验本表", "汇总文件夹", "生成甘特图", "分发台账"]


def test_callback_runs_the_exe_next_to_the_addin():
    source = (MACROS / "Fengong.bas").read_text("ascii")
    assert "Public Sub FgRibbon(control As Object)\n    FgRun control.Tag\nEnd Sub" in source
    for macro, key in (("FgDistribute", "distribute"), ("FgRollup", "rollup"), ("FgGantt", "gantt")):
        assert f'Public Sub {macro}()\n    FgRun "{key}"\nEnd Sub' in source
        assert key in C.ENTRY_KEYS
    assert 'exe = ThisWorkbook.Path & "\\fengong.exe"' in source
    assert 'RunFrozenPython exe, "xl " & entry' in source
    assert re.search(r"Public Function RunFrozenPython\(", (MACROS / "xlwings.bas").read_text("ascii"))


def test_chinese_text_in_vba_decodes_as_intended():
    source = (MACROS / "Fengong.bas").read_text("ascii")
    decoded = ["".join(chr(int(h, 16)) for h in codes.split()) for codes in re.findall(r'Zh\("([0-9A-F ]+)"\)', source)]
    assert decoded == ["找不到", "程序：", "请把", "与", "放在同一个文件夹中。", "正在运行", "……"]


def test_shipped_xlwings_module_is_the_installed_xlwings_one():
    shipped = (MACROS / "xlwings.bas").read_bytes()
    assert shipped == (Path(xlwings.__file__).parent / "xlwings.bas").read_bytes()
    assert b"'xlwings is distributed under a BSD 3-clause license." in shipped


# --- the plan template workbook_templates/方案模板.xlsm ---------------------------------------


def public_subs(source: str) -> dict[str, list[str]]:
    """Public Sub name → its body lines."""
    return {
        m[0]: [line.strip() for line in m[1].strip("\n").split("\n")]
        for m in re.findall(r"^Public Sub (\w+)\(\)\n(.*?)^End Sub", source.replace("\r\n", "\n"), re.M | re.S)
    }


def test_plan_template_rebuild_is_byte_identical(template):
    assert template.read_bytes() == TEMPLATE.read_bytes()


def test_plan_template_vba_is_one_line_wrappers_round_tripped(template):
    source = (MACROS / "PlanButtons.bas").read_bytes().decode("ascii")
    modules = extracted(template)
    assert set(modules) == {"ThisWorkbook", "Sheet1", "Sheet2", "Sheet3", "Sheet4", "Sheet5", "PlanButtons"}
    assert without_attributes(modules["PlanButtons"]) == without_attributes(source)
    assert all(not without_attributes(code) for name, code in modules.items() if name != "PlanButtons")
    addin = public_subs((MACROS / "Fengong.bas").read_text("ascii"))
    wrappers = public_subs(source)
    assert sorted(wrappers) == sorted(BUTTON_MACROS.values())
    for macro, body in wrappers.items():
        assert body == [f'Application.Run "fengong.xlam!{macro}"'] and macro in addin


def test_plan_template_parts_and_buttons(template):
    with zipfile.ZipFile(template) as z:
        assert z.testzip() is None
        names = z.namelist()
        assert names[0] == "[Content_Types].xml"
        parts = {n: etree.fromstring(z.read(n)) for n in names if n.endswith((".xml", ".rels", ".vml"))}  # all parse
    types = parts["[Content_Types].xml"]
    overrides = {o.get("PartName"): o.get("ContentType") for o in types if o.get("PartName")}
    defaults = {d.get("Extension"): d.get("ContentType") for d in types if d.get("Extension")}
    assert overrides["/xl/workbook.xml"] == MACRO_TYPE
    assert defaults["bin"] == "application/vnd.ms-office.vbaProject"
    assert defaults["vml"] == "application/vnd.openxmlformats-officedocument.vmlDrawing"
    assert all(part.lstrip("/") in names for part in overrides)
    for rels in [n for n in parts if n.endswith(".rels")]:  # every relationship target exists
        assert all(_target(rels, r.get("Target")) in names for r in parts[rels]), rels
    assert "vbaProject.bin" in {r.get("Target") for r in parts["xl/_rels/workbook.xml.rels"]}

    book = parts["xl/workbook.xml"]
    sheets = book.findall("{*}sheets/{*}sheet")
    assert [s.get("name") for s in sheets] == ["操作", "方案", "单位名录", "方案信息", "导入问题"]
    ops = parts["xl/worksheets/sheet1.xml"]
    rels = {r.get("Id"): r.get("Target") for r in parts["xl/worksheets/_rels/sheet1.xml.rels"]}
    legacy = ops.find("{*}legacyDrawing").get(f"{{{REL_NS}}}id")
    vml = parts[_target("xl/worksheets/_rels/sheet1.xml.rels", rels[legacy])]
    shapes = vml.findall("{urn:schemas-microsoft-com:vml}shape")
    x = "{urn:schemas-microsoft-com:office:excel}"
    buttons = {
        s.find(f"{x}ClientData/{x}FmlaMacro").text: "".join(s.find("{*}textbox").itertext())
        for s in shapes
        if s.find(f"{x}ClientData").get("ObjectType") == "Button"
    }
    labels = {
        b.get("tag"): b.get("label")
        for b in etree.parse(str(MACROS / "customUI14.xml")).getroot().findall(".//c:button", CUSTOMUI)
    }
    assert buttons == {f"[0]!{macro}": labels[tag] for tag, macro in BUTTON_MACROS.items()}
    controls = ops.findall(".//{*}control")
    assert {c.find("{*}controlPr").get("macro") for c in controls} == set(buttons)
    for c in controls:  # each control's properties part says it is a button
        props = parts[_target("xl/worksheets/_rels/sheet1.xml.rels", rels[c.get(f"{{{REL_NS}}}id")])]
        assert props.get("objectType") == "Button"
    addin = public_subs((MACROS / "Fengong.bas").read_text("ascii"))
    assert all(macro.removeprefix("[0]!") in addin for macro in buttons)


def _target(rels: str, target: str) -> str:
    """The part a relationship in part `rels` (DIR/_rels/NAME.rels) points at."""
    if target.startswith("/"):
        return target[1:]
    out: list[str] = []
    for part in f"{rels.split('_rels/')[0]}{target}".split("/"):
        if part == "..":
            out.pop()
        elif part not in ("", "."):
            out.append(part)
    return "/".join(out)


def test_plan_template_is_the_plan_workbook_layout(tmp_path):
    from openpyxl import load_workbook

    from toolkit.io.planbook import read_plan, write_plan
    from toolkit.model import Plan

    plan = read_plan(TEMPLATE)
    assert (plan.items, plan.problems, plan.title) == ([], [], "")
    fresh = load_workbook(write_plan(Plan(), tmp_path / "empty.xlsx"))
    ours = load_workbook(TEMPLATE, keep_vba=True)
    for ws in fresh.worksheets:
        mine = ours[ws.title]
        if ws.title == "方案信息":
            assert ws["A9"].value == "方案指纹" and ws["B9"].value and mine["B9"].value is None
            ws["B9"] = None  # the only difference: the template leaves 方案指纹 empty
        assert _cells(mine) == _cells(ws), ws.title
        assert {k: d.width for k, d in mine.column_dimensions.items()} == {
            k: d.width for k, d in ws.column_dimensions.items()
        }
        assert (mine.freeze_panes, mine.auto_filter.ref) == (ws.freeze_panes, ws.auto_filter.ref)

    ours["方案"].append(["1", "完善制度", "年底前印发", "发改委", "财政局、统计局", "2016年12月底前完成"])
    ours["方案信息"]["B2"], ours["方案信息"]["B6"] = "测试方案", 2016
    ours.save(tmp_path / "filled.xlsm")
    filled = read_plan(tmp_path / "filled.xlsm")
    assert filled.title == "测试方案" and [(i.id, i.co_units, str(i.deadline.due)) for i in filled.items] == [
        ("1", ["财政局", "统计局"], "2016-12-31")
    ]


def _cells(ws) -> list[tuple]:
    return [(c.coordinate, c.value, c.font.name, c.font.b) for row in ws.iter_rows() for c in row]


def test_libreoffice_opens_plan_template_with_its_buttons(tmp_path):
    from render import convert, have_tools, pdf_text

    assert have_tools(), "LibreOffice (soffice) is needed: .ci/run installs it"
    assert "分工方案工作簿（带按钮）" in pdf_text(convert(TEMPLATE, "pdf", tmp_path))
    with zipfile.ZipFile(convert(TEMPLATE, "ods", tmp_path)) as ods:
        content = ods.read("content.xml").decode()
        basic = etree.fromstring(ods.read("Basic/VBAProject/PlanButtons.xml"))  # the module, from its source
    assert 'Application.Run "fengong.xlam!FgDistribute"' in basic.text
    found = re.findall(
        r'<form:button form:name="(\w+)".*?form:label="([^"]*)".*?'
        r"vnd\.sun\.star\.script:VBAProject\.PlanButtons\.(\w+)\?",
        content,
    )
    labels = {e.key: e.label for e in C.ENTRIES}
    assert found == [(m, labels[k], m) for k, m in BUTTON_MACROS.items()]
