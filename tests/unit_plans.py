"""A small plan built from model objects, and helpers to distribute and edit unit workbooks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from toolkit.model import Item, Plan, deadlines

TODAY = date(2016, 12, 5)  # the day tests pretend to validate on
LONG = (
    "区编办要在全面公开本级“政府部门权责清单”的基础上，完善政府部门权责清单动态管理制度机制，"
    "根据各政府部门取消、合并、分拆权责清单情况，及时更新区政府网站内容，确保公开内容全面准确。"
)


def item(item_id, task, requirement, lead, co=(), deadline="2016年12月底前"):
    return Item(item_id, task, requirement, list(lead), list(co), deadline, deadlines.parse(deadline, 2016))


def small_plan() -> Plan:
    """Five items; 区编办 leads 1-1, 2-1 and 3-1 and co-operates on 1-2."""
    return Plan(
        title="越秀区贯彻落实国务院办公厅2016年政务公开工作要点分工方案",
        doc_number="越府办〔2016〕70号",
        issuer="区政务办",
        year=2016,
        items=[
            item("1-1", "进一步推进权力清单和责任清单公开", LONG, ["区编办"], deadline="2016年11月30日前"),
            item(
                "1-2",
                "进一步推进权力清单和责任清单公开",
                "区政府门户网站要优化“政府部门权责清单”栏目。",
                ["区政务办"],
                ["区编办"],
                deadline="2016年12月15日前",
            ),
            item(
                "2-1",
                "推进市场监管公开透明",
                "=及时发布全区住房保障信息并定期检查。",
                ["区编办", "区房管局"],
                deadline="全年",
            ),
            item("3-1", "推进政府部门预决算公开", "做好部门预决算公开工作。", ["区编办"], deadline="2016年12月底前"),
            item("4-1", "推进国有企业信息公开", "督促区属国有企业公开信息。", ["区国资局"], ["区财政局"]),
        ],
    )


def distribute_one(tmp_path: Path, unit: str = "区编办", period: str = "2016-11", **kw) -> Path:
    """Distribute `small_plan` for one unit into tmp_path/out and return its workbook."""
    from toolkit.distribute import distribute

    result = distribute(small_plan(), tmp_path / "out", period, units=[unit], **kw)
    return result.files[0].path


def rows_by_id(ws, header_row: int = 4) -> dict[str, int]:
    """编号 → row number in an openpyxl worksheet."""
    return {ws.cell(r, 1).value: r for r in range(header_row + 1, ws.max_row + 1) if ws.cell(r, 1).value}


def as_version_1(path: Path, dst: Path) -> Path:
    """`path` rewritten with openpyxl into the schema-1 layout (the item table inside the
    metadata sheet, below the keys and a blank row; no item sheet), saved at `dst`."""
    from openpyxl import load_workbook

    from toolkit.io import schema as S
    from toolkit.io.cells import put

    wb = load_workbook(path)
    meta, items = wb[S.META_SHEET], wb[S.ITEMS_SHEET]
    meta["B1"] = "1"
    assert meta["A1"].value == "schema_version"
    start = meta.max_row + 2
    for r, line in enumerate(items.iter_rows(values_only=True), start=start):
        for c, value in enumerate(line, start=1):
            put(meta, r, c, value)  # text stays text (a requirement starting with =)
    del wb[S.ITEMS_SHEET]
    wb.save(dst)
    return dst
