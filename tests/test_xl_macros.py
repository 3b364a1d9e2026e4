"""The control workbook built on Linux: VBA modules round-trip through oletools' olevba unchanged,
the ribbon part and its root relationship are there, the sheet is what the xl layer reads."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from toolkit.xl import control as C

ROOT = Path(__file__).resolve().parents[1]
MACROS = ROOT / "macros"
COMMITTED = MACROS / "fengong_控制台.xlsm"

pytest.importorskip("pyopenvba")
olevba = pytest.importorskip("oletools.olevba")


def _build(out: Path) -> Path:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_workbook", MACROS / "build_workbook.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.build(out)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("xlsm") / "控制台.xlsm")


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


def test_committed_workbook_has_the_same_modules_as_a_rebuild(built):
    fresh, committed = extracted(built), extracted(COMMITTED)
    assert set(committed) == {"ThisWorkbook", "Sheet1", "Fengong", "xlwings"}
    assert committed == fresh


def test_ribbon_part_relationship_and_macro_content_type(built):
    with zipfile.ZipFile(built) as z:
        rels = etree.fromstring(z.read("_rels/.rels"))
        types = etree.fromstring(z.read("[Content_Types].xml"))
        ribbon = etree.fromstring(z.read("customUI/customUI14.xml"))
        assert z.read("customUI/customUI14.xml") == (MACROS / "customUI14.xml").read_bytes()
    targets = {r.get("Type"): r.get("Target") for r in rels}
    assert targets["http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"] == "customUI/customUI14.xml"
    overrides = {o.get("PartName"): o.get("ContentType") for o in types if o.get("PartName")}
    assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    ns = {"c": "http://schemas.microsoft.com/office/2009/07/customui"}
    buttons = ribbon.findall(".//c:button", ns)
    assert [(b.get("tag"), b.get("label"), b.get("onAction")) for b in buttons] == [
        (a.key, a.label, "FgRibbon") for a in C.ACTIONS]
    assert ribbon.find(".//c:tab", ns).get("label") == "分工台账"


def test_every_action_has_its_macro_and_the_ribbon_callback():
    source = (MACROS / "Fengong.bas").read_text("ascii")
    for a in C.ACTIONS:
        assert re.search(rf'Public Sub {a.macro}\(\)\n    RunAction "{a.key}"\nEnd Sub', source), a.macro
    assert "Public Sub FgRibbon(control As Object)" in source
    assert 'RunFrozenPython exe, "xl " & action' in source
    assert re.search(r"Public Function RunFrozenPython\(", (MACROS / "xlwings.bas").read_text("ascii"))


def test_chinese_text_in_vba_decodes_as_intended():
    source = (MACROS / "Fengong.bas").read_text("ascii")
    decoded = ["".join(chr(int(h, 16)) for h in codes.split()) for codes in re.findall(r'Zh\("([0-9A-F ]+)"\)', source)]
    assert decoded[:4] == ["找不到", "程序：", "请在“控制台”表的“程序位置”一栏填写", "的位置（默认放在本工作簿旁的"]
    assert "正在运行" in decoded


def test_shipped_xlwings_module_is_the_installed_xlwings_one():
    xlwings = pytest.importorskip("xlwings")
    shipped = (MACROS / "xlwings.bas").read_bytes()
    assert shipped == (Path(xlwings.__file__).parent / "xlwings.bas").read_bytes()
    assert b"'xlwings is distributed under a BSD 3-clause license." in shipped


def test_sheet_is_what_the_xl_layer_reads(built, tmp_path):
    """Values read back from the real workbook (as xlwings would see them) parse as settings."""
    from openpyxl import load_workbook

    wb = load_workbook(built, keep_vba=True)
    ws = wb[C.SHEET]
    grid = [[c.value for c in row] for row in ws["A1:D40"]]
    assert [tuple(v for v in row[:3] if v is not None) for row in grid[:len(C.layout())]] == [
        tuple(v for v in r if v not in ("", None)) for r in C.layout()]
    settings = C.read_settings(grid, tmp_path)
    assert settings.values["paper"] == "A3" and settings.values["open_after"] is True
    assert settings.path("plan") == tmp_path / "方案.xlsx"
    exe_row = C.find_row(grid, "程序位置", C.SETTINGS_HEADER) + 1
    assert wb.defined_names["FG_EXE"].attr_text == f"'{C.SHEET}'!$B${exe_row}"
    assert ws[f"B{C.find_row(grid, '报送期', C.SETTINGS_HEADER) + 1}"].number_format == "@"
