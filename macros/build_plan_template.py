"""Build the macro-enabled plan template workbook_templates/方案模板.xlsm, on any OS (no Office needed).

    .venv/bin/python macros/build_plan_template.py [OUT.xlsm]

1. `toolkit.io.planbook.write_plan` writes an empty plan workbook (方案 / 单位名录 / 方案信息 / 导入问题 with
   their headers), so the template never drifts from what `fengong import` writes; its 方案指纹 is
   left empty (the hash of no items means nothing once staff fill the sheet).
2. openpyxl puts a first sheet 操作 in front: how to use the template, and one row per button
   whose text is the ribbon button's label and description (macros/customUI14.xml).
3. pyOpenVBA (MIT) draws the Forms buttons on 操作 (drawing, VML and control-properties parts),
   each running the macro of the same name in PlanButtons.bas, then gives the workbook a VBA
   project holding that module: one `Application.Run "fengong.xlam!…"` line per button; the
   project is made source only (`build_addin.source_only`: no compiled code, `_VBA_PROJECT`
   Version 0xFFFF), so Excel compiles it from source.
4. The package is copied ([Content_Types].xml first) with the macro-enabled workbook content
   type, the relationship namespace declared on every sheet (pyOpenVBA writes r:id into
   openpyxl's sheets, which lack it), each button caption wrapped in a <font> as Excel writes
   it, fixed document and zip entry dates: a rebuild is byte-identical.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # build_addin beside this file

from build_addin import FIXED_TIME, MACRO_TYPE, VBA_PART, module_source, source_only  # noqa: E402

OUT = HERE.parent / "workbook_templates" / "方案模板.xlsm"
MODULE = "PlanButtons"  # macros/PlanButtons.bas
OPS_SHEET = "操作"
# ribbon button tag (the entry point) → the add-in macro its template button runs
BUTTONS = (("distribute", "FgDistribute"), ("rollup", "FgRollup"), ("gantt", "FgGantt"))
PLAN_ONLY = "在方案工作簿中点："  # the ribbon descriptions' prefix, needless on the plan itself
SHEET_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
REL_NS = b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
FIXED_DATE = "2016-01-01T00:00:00Z"
CAPTION_FONT = b'<font face="SimSun" size="220" color="auto">'  # 11 pt; without it LibreOffice shows no caption
BUTTON_ROW, BUTTON_HEIGHT = 4, 40  # first button row; row height in points
COL_A = 18  # characters: the buttons sit over column A


def ribbon_buttons() -> dict[str, tuple[str, str]]:
    """tag → (label, description) from the add-in's ribbon."""
    from lxml import etree

    ns = {"c": "http://schemas.microsoft.com/office/2009/07/customui"}
    root = etree.parse(str(HERE / "customUI14.xml")).getroot()
    return {
        b.get("tag"): (b.get("label"), b.get("supertip").removeprefix(PLAN_ONLY))
        for b in root.findall(".//c:button", ns)
    }


def _plan_workbook(path: Path) -> None:
    """The empty plan workbook with the sheet 操作 in front."""
    from openpyxl import load_workbook
    from openpyxl.styles import Alignment, Font

    from toolkit.io.cells import save_workbook
    from toolkit.io.planbook import INFO_SHEET, PLAN_SHEET, write_plan
    from toolkit.model import Plan
    from toolkit.xl.control import CONFIG

    write_plan(Plan(), path)
    wb = load_workbook(path)
    info = wb[INFO_SHEET]
    (fingerprint,) = [row[1] for row in info.iter_rows(min_row=2) if row[0].value == "方案指纹"]
    fingerprint.value = None
    wb[PLAN_SHEET].sheet_view.tabSelected = False
    ops = wb.create_sheet(OPS_SHEET, 0)
    wb.active = 0
    ops.sheet_view.tabSelected = True
    wrap = Alignment(wrap_text=True, vertical="center")
    ops["A1"] = "分工方案工作簿（带按钮）"
    ops["A1"].font = Font(name="黑体", size=14, bold=True)
    ops["A2"] = (
        f"用法：把本文件另存为自己的 .xlsm 文件（如“2016年方案.xlsm”），在“{PLAN_SHEET}”表逐行填写任务"
        f"（或从 fengong 导入生成的方案工作簿复制过来），在“{INFO_SHEET}”表填写方案标题、方案年度等，"
        "保存后点下面的按钮。按钮调用已安装的 Excel 加载项 fengong.xlam（见《安装指南》）；没有加载项时"
        "按钮不能运行，可改用 fengong 窗口。"
    )
    tips = ribbon_buttons()
    for row, (tag, _) in enumerate(BUTTONS, start=BUTTON_ROW):
        label, tip = tips[tag]
        ops.cell(row, 2, f"{label}：{tip}")
        ops.row_dimensions[row].height = BUTTON_HEIGHT
    after = BUTTON_ROW + len(BUTTONS) + 1
    ops.cell(
        after,
        1,
        (
            f"设置（可选）：在“{INFO_SHEET}”表下方加行，A 列写名称、B 列写值——"
            f"{'、'.join(CONFIG)}。不填的，点按钮时会询问。"
        ),
    )
    ops.cell(after + 1, 1, "校验各单位报回的台账：打开该台账，点功能区“分工台账”选项卡上的“校验本表”。")
    for r in (2, after, after + 1):
        ops.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
        ops.row_dimensions[r].height = 48
    for row in ops.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    ops.row_dimensions[1].height = 28
    ops.row_dimensions[3].height = 8
    ops.column_dimensions["A"].width = COL_A
    ops.column_dimensions["B"].width = 90
    ops.page_setup.orientation = "landscape"
    ops.sheet_properties.pageSetUpPr.fitToPage = True
    ops.page_setup.fitToHeight = 0
    save_workbook(wb, path)


def _buttons(src: Path, dst: Path) -> None:
    from pyopenvba import ExcelFile
    from pyopenvba.apps.excel import ExcelApplication

    app = ExcelApplication.open(src, with_vba=False)
    sheet = app.sheet(OPS_SHEET)
    top = 28 + 48 + 8  # rows 1-3
    tips = ribbon_buttons()
    for tag, macro in BUTTONS:
        sheet.add_button(
            name=macro,
            left=6,
            top=top + 5,
            width=COL_A * 4.5,
            height=BUTTON_HEIGHT - 10,
            text=tips[tag][0],
            macro=macro,
        )
        top += BUTTON_HEIGHT
    app.save(dst)
    with ExcelFile(str(dst)) as wb:
        wb.add_vba_project().add_module(MODULE, module_source(MODULE))
        wb.save()


def _fixed(data: bytes, name: str) -> bytes:
    if name == VBA_PART:
        return source_only(data)
    if name == "[Content_Types].xml":
        assert data.count(SHEET_TYPE) == 1, "the workbook content type changed"
        return data.replace(SHEET_TYPE, MACRO_TYPE)
    if name.startswith("xl/worksheets/sheet"):
        root = re.search(rb"<worksheet\b[^>]*>", data)
        if REL_NS not in root.group(0):
            return data[: root.start()] + b"<worksheet " + REL_NS + data[root.start() + len(b"<worksheet") :]
    if name.startswith("xl/drawings/vmlDrawing"):  # the caption in a <font>, as Excel writes it
        return re.sub(
            rb"(<div style='text-align:center'>)([^<]+)(</div>)", rb"\1" + CAPTION_FONT + rb"\2</font>\3", data
        )
    if name == "docProps/core.xml":
        return re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + FIXED_DATE.encode(), data)
    return data


def build(out: str | Path = OUT) -> Path:
    out = Path(out)
    with tempfile.TemporaryDirectory() as tmp:
        plan, buttons, done = Path(tmp) / "plan.xlsx", Path(tmp) / "buttons.xlsm", Path(tmp) / "out.xlsm"
        _plan_workbook(plan)
        _buttons(plan, buttons)
        with zipfile.ZipFile(buttons) as zin, zipfile.ZipFile(done, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in sorted(
                zin.infolist(), key=lambda i: i.filename != "[Content_Types].xml"
            ):  # first, as Excel writes it
                data = _fixed(zin.read(info.filename), info.filename)
                zout.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), data, zipfile.ZIP_DEFLATED)
        shutil.move(done, out)
    return out


if __name__ == "__main__":
    print(build(sys.argv[1] if len(sys.argv) > 1 else OUT))
