"""Build the control workbook macros/fengong_控制台.xlsm from the text sources, on any OS.

    .venv/bin/python macros/build_workbook.py [OUT.xlsm]

1. pyOpenVBA creates a macro-enabled workbook and puts Fengong.bas and xlwings.bas in its
   VBA project (modules are ASCII: VBA source is code page 1252).
2. openpyxl (keep_vba) lays out the 控制台 sheet from `toolkit.xl.control.layout()`, with
   the defined name FG_EXE on the 程序位置 cell that the VBA reads.
3. The ribbon (customUI14.xml) is added as a package part with its root relationship.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from toolkit.xl import control as C  # noqa: E402

OUT = HERE / "fengong_控制台.xlsm"
MODULES = ("Fengong", "xlwings")  # macros/NAME.bas → VBA module NAME
RIBBON_PART = "customUI/customUI14.xml"
RIBBON_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
FIXED_TIME = (2016, 1, 1, 0, 0, 0)  # zip entry dates, so rebuilding changes nothing but content


def module_source(name: str) -> str:
    """A module's source as VBA stores it (CRLF), refusing anything outside ASCII."""
    text = (HERE / f"{name}.bas").read_bytes().decode("ascii")
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def _vba_workbook(path: Path) -> None:
    from pyopenvba import ExcelFile

    with ExcelFile.create_new(str(path)) as wb:
        project = wb.vba_project()
        project.delete_module("Module1")
        for name in MODULES:
            project.add_module(name, module_source(name))
        wb.save()


def _lay_out(src: Path, dst: Path) -> None:
    from openpyxl import load_workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = load_workbook(src, keep_vba=True)
    ws = wb.worksheets[0]
    ws.title = C.SHEET
    for r, row in enumerate(C.layout(), start=1):
        for c, value in enumerate(row, start=1):
            ws.cell(r, c, value if value != "" else None)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    input_fill = PatternFill("solid", fgColor="FFF2CC")
    ws["A1"].font = Font(bold=True, size=16)
    ws.merge_cells("A2:C2")
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = 48
    for r in range(1, ws.max_row + 1):
        label = ws.cell(r, 1).value
        if label in (C.SETTINGS_HEADER[0], C.ACTIONS_HEADER[0]):
            for c in range(1, 4):
                ws.cell(r, c).font = Font(bold=True)
                ws.cell(r, c).fill = head_fill
        setting = next((s for s in C.SETTINGS if s.label == label), None)
        if setting:
            ws.cell(r, 2).fill = input_fill
            ws.cell(r, 2).number_format = "@"  # keep 2016-11 as text, not a date
            ws.cell(r, 3).font = Font(color="666666")
            if setting.name:
                wb.defined_names[setting.name] = DefinedName(setting.name, attr_text=f"'{C.SHEET}'!$B${r}")
            choices = {"paper": "A3,A4", "open_after": f"{C.YES},{C.NO}"}.get(setting.key)
            if choices:
                dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
                ws.add_data_validation(dv)
                dv.add(ws.cell(r, 2))
    for col, width in zip("ABCD", (16, 48, 60, 4)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = None
    wb.save(dst)


def _add_ribbon(src: Path, dst: Path) -> None:
    """Copy the package adding customUI14.xml and its root relationship; fixed entry dates."""
    ribbon = (HERE / "customUI14.xml").read_bytes()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "_rels/.rels":
                rel = (f'<Relationship Id="fgRibbon" Type="{RIBBON_REL}" Target="{RIBBON_PART}"/>').encode()
                data = data.replace(b"</Relationships>", rel + b"</Relationships>")
            zout.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), data, zipfile.ZIP_DEFLATED)
        zout.writestr(zipfile.ZipInfo(RIBBON_PART, FIXED_TIME), ribbon, zipfile.ZIP_DEFLATED)


def build(out: str | Path = OUT) -> Path:
    out = Path(out)
    with tempfile.TemporaryDirectory() as tmp:
        vba, laid = Path(tmp) / "vba.xlsm", Path(tmp) / "laid.xlsm"
        _vba_workbook(vba)
        _lay_out(vba, laid)
        _add_ribbon(laid, Path(tmp) / "out.xlsm")
        shutil.move(Path(tmp) / "out.xlsm", out)
    return out


if __name__ == "__main__":
    print(build(sys.argv[1] if len(sys.argv) > 1 else OUT))
