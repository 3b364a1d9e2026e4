"""The committed blank templates equal what the code generates (content, not zip bytes).

If this fails after a deliberate layout change, regenerate them:
    .venv/bin/python -c "from toolkit.io.unitbook import write_templates; write_templates('workbook_templates')"
"""

from pathlib import Path

import pytest
from openpyxl import load_workbook

from toolkit.io.schema import PAPERS
from toolkit.io.unitbook import TEMPLATE_NAME, write_templates

COMMITTED = Path(__file__).resolve().parent.parent / "workbook_templates"


def signature(path: Path) -> dict:
    """Everything a person or a reader depends on, sheet by sheet."""
    wb = load_workbook(path)
    out = {"sheets": [(ws.title, ws.sheet_state) for ws in wb.worksheets]}
    for ws in wb.worksheets:
        out[ws.title] = {
            "cells": [
                (
                    c.coordinate,
                    c.value,
                    c.data_type,
                    c.number_format,
                    c.font.name,
                    c.protection.locked,
                    c.alignment.wrap_text,
                    c.fill.fgColor.rgb,
                )
                for row in ws.iter_rows()
                for c in row
            ],
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "validations": sorted(
                (dv.type, dv.formula1, dv.formula2, str(dv.sqref), dv.prompt, dv.error)
                for dv in ws.data_validations.dataValidation
            ),
            "conditional": sorted(
                (str(cf.sqref), r.formula[0], r.dxf.fill.fgColor.rgb if r.dxf.fill else None)
                for cf in ws.conditional_formatting
                for r in cf.rules
            ),
            "protection": (
                ws.protection.sheet,
                ws.protection.password,
                ws.protection.sort,
                ws.protection.autoFilter,
                ws.protection.formatColumns,
            ),
            "print": (
                ws.page_setup.paperSize,
                ws.page_setup.orientation,
                ws.page_setup.fitToWidth,
                ws.page_setup.fitToHeight,
                ws.print_title_rows,
                ws.oddFooter.center.text,
            ),
            "view": (ws.freeze_panes, ws.auto_filter.ref),
            "widths": {k: v.width for k, v in ws.column_dimensions.items()},
            "heights": {k: v.height for k, v in ws.row_dimensions.items()},
        }
    return out


@pytest.mark.parametrize("paper", PAPERS)
def test_committed_template_matches_code(tmp_path, paper):
    committed = COMMITTED / TEMPLATE_NAME.format(paper=paper)
    assert committed.is_file(), f"missing {committed}; regenerate (see module docstring)"
    write_templates(tmp_path)
    fresh = signature(tmp_path / committed.name)
    assert signature(committed) == fresh
    assert fresh["任务台账"]["print"][0] == {"A3": 8, "A4": 9}[paper]


def test_signature_sees_a_change(tmp_path):
    """The comparison is able to fail: one edited cell changes the signature."""
    path = write_templates(tmp_path)[0]
    before = signature(path)
    wb = load_workbook(path)
    wb["任务台账"]["C5"] = "改动"
    wb.save(path)
    assert signature(path) != before
