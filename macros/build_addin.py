"""Build the Excel add-in macros/fengong.xlam from the text sources, on any OS (no Office needed).

    .venv/bin/python macros/build_addin.py [OUT.xlam]

1. pyOpenVBA (MIT) creates a macro-enabled workbook and puts Fengong.bas and xlwings.bas in
   its VBA project (modules are ASCII: VBA source is code page 1252).
2. The VBA project is made source only, as [MS-OVBA] 2.3.4.1 says a writer writes it, so Excel
   compiles the modules from their source: the `_VBA_PROJECT` stream is its 7-byte header with
   Version 0xFFFF and no performance cache (pyOpenVBA keeps the Version 0x00B5 of its template
   and a zeroed 2.5 kB cache), and each module stream is its compressed source alone at
   MODULEOFFSET 0 (the template's ThisWorkbook and Sheet1 carry compiled code before it).
3. The package is copied with the workbook content type of an add-in, the ribbon part
   customUI/customUI14.xml and its root relationship, and fixed zip entry dates.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "fengong.xlam"
MODULES = ("Fengong", "xlwings")  # macros/NAME.bas → VBA module NAME
RIBBON_PART = "customUI/customUI14.xml"
RIBBON_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
MACRO_TYPE = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
ADDIN_TYPE = b"application/vnd.ms-excel.addin.macroEnabled.main+xml"
FIXED_TIME = (2016, 1, 1, 0, 0, 0)
VBA_PART = "xl/vbaProject.bin"
# [MS-OVBA] 2.3.4.1 _VBA_PROJECT as written: Reserved1 0x61CC, Version 0xFFFF, Reserved2 0x00,
# Reserved3 0x0000, and no PerformanceCache.
VBA_PROJECT_STREAM = b"\xcc\x61\xff\xff\x00\x00\x00"


def module_source(name: str) -> str:
    """A module's source as VBA stores it (CRLF), refusing anything outside ASCII."""
    text = (HERE / f"{name}.bas").read_bytes().decode("ascii")
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def source_only(project_bin: bytes) -> bytes:
    """vbaProject.bin without compiled code: every module stream its compressed source only
    (MODULEOFFSET 0 in the dir stream) and `_VBA_PROJECT` without a performance cache."""
    from pyopenvba.cfb import CFB
    from pyopenvba.vba import (
        compress,
        parse_vba_project,
        serialize_dir_stream,
        write_back_modules,
    )

    cfb = CFB.from_bytes(project_bin)
    project = parse_vba_project(cfb)
    for module in project.modules:
        module.dirty = True  # rewritten from its source, at offset 0
    write_back_modules(cfb, project)
    if project.dir_structure_dirty:  # some MODULEOFFSET was not 0
        cfb.write_stream_in_storage("VBA", "dir", compress(serialize_dir_stream(project)))
    cfb.write_stream_in_storage("VBA", "_VBA_PROJECT", VBA_PROJECT_STREAM)
    return cfb.to_bytes()


def _vba_workbook(path: Path) -> None:
    from pyopenvba import ExcelFile

    with ExcelFile.create_new(str(path)) as wb:
        project = wb.vba_project()
        project.delete_module("Module1")
        for name in MODULES:
            project.add_module(name, module_source(name))
        wb.save()


def _as_addin(src: Path, dst: Path) -> None:
    """Copy the package as an add-in with the ribbon; fixed entry dates."""
    ribbon = (HERE / "customUI14.xml").read_bytes()
    rel = f'<Relationship Id="fgRibbon" Type="{RIBBON_REL}" Target="{RIBBON_PART}"/></Relationships>'.encode()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                assert data.count(MACRO_TYPE) == 1, "pyOpenVBA's workbook content type changed"
                data = data.replace(MACRO_TYPE, ADDIN_TYPE)
            elif info.filename == VBA_PART:
                data = source_only(data)
            elif info.filename == "_rels/.rels":
                data = data.replace(b"</Relationships>", rel)
            zout.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), data, zipfile.ZIP_DEFLATED)
        zout.writestr(zipfile.ZipInfo(RIBBON_PART, FIXED_TIME), ribbon, zipfile.ZIP_DEFLATED)


def build(out: str | Path = OUT) -> Path:
    out = Path(out)
    with tempfile.TemporaryDirectory() as tmp:
        vba, addin = Path(tmp) / "vba.xlsm", Path(tmp) / "out.xlam"
        _vba_workbook(vba)
        _as_addin(vba, addin)
        shutil.move(addin, out)
    return out


if __name__ == "__main__":
    print(build(sys.argv[1] if len(sys.argv) > 1 else OUT))
