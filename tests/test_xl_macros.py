"""The add-in fengong.xlam built on Linux: VBA modules round-trip through oletools' olevba
unchanged, the package parts are well formed (add-in content type, ribbon part and its root
relationship), a rebuild holds the same modules as the committed file."""

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
RIBBON_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
CUSTOMUI = {"c": "http://schemas.microsoft.com/office/2009/07/customui"}


def _build(out: Path) -> Path:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_addin", MACROS / "build_addin.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.build(out)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("xlam") / "fengong.xlam")


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
    return "\n".join(l for l in lines if not l.startswith("Attribute VB_")).strip("\n")


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
        (e.key, e.label, "FgRibbon") for e in C.ENTRIES]
    assert [e.label for e in C.ENTRIES] == ["校验本表", "汇总文件夹", "生成甘特图", "分发台账"]


def test_callback_runs_the_exe_next_to_the_addin():
    source = (MACROS / "Fengong.bas").read_text("ascii")
    assert "Public Sub FgRibbon(control As Object)" in source
    assert 'exe = ThisWorkbook.Path & "\\fengong.exe"' in source
    assert 'RunFrozenPython exe, "xl " & control.Tag' in source
    assert re.search(r"Public Function RunFrozenPython\(", (MACROS / "xlwings.bas").read_text("ascii"))


def test_chinese_text_in_vba_decodes_as_intended():
    source = (MACROS / "Fengong.bas").read_text("ascii")
    decoded = ["".join(chr(int(h, 16)) for h in codes.split()) for codes in re.findall(r'Zh\("([0-9A-F ]+)"\)', source)]
    assert decoded == ["找不到", "程序：", "请把", "与", "放在同一个文件夹中。", "正在运行", "……"]


def test_shipped_xlwings_module_is_the_installed_xlwings_one():
    shipped = (MACROS / "xlwings.bas").read_bytes()
    assert shipped == (Path(xlwings.__file__).parent / "xlwings.bas").read_bytes()
    assert b"'xlwings is distributed under a BSD 3-clause license." in shipped
