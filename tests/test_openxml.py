"""Every workbook fengong writes is valid Office Open XML as Microsoft's Open XML SDK validator
(2.8.1, Office 2013 rules, under mono: tests/oxval.py) sees it: all that `fengong demo` writes (plan
workbook, unit workbooks, distribution list, the units' filled returns, summaries, city roll-up),
the committed templates, and the add-in with its ribbon part. No finding is tolerated.

Two deliberately broken files go through the same run, so the check is seen to work: a workbook
saved by plain openpyxl (its <font> children in an order the schema does not allow, which
io.cells.save_workbook fixes) and a copy of the add-in with an invalid ribbon attribute.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from oxval import Report, Unavailable, build, on_ci, validate

from toolkit.cli import main

ROOT = Path(__file__).resolve().parents[1]
ADDIN = ROOT / "macros" / "fengong.xlam"
TEMPLATES = sorted((ROOT / "workbook_templates").glob("*.xls[xm]"))
RIBBON = "customUI/customUI14.xml"
OOXML = {".xlsx", ".xlsm", ".xlam"}


@pytest.fixture(scope="module")
def oxval() -> Path:
    try:
        return build()
    except Unavailable as exc:
        if on_ci():
            pytest.fail(f"Open XML SDK validator unavailable: {exc}")
        pytest.skip(f"Open XML SDK validator unavailable: {exc}")


def demo_workbooks(out: Path) -> list[Path]:
    """The workbooks the demo wrote, less the two it breaks on purpose in the inbox (toolkit/demo.py):
    an Excel lock file `~$…` (empty) and `…_损坏.xlsx` (cut off after 3000 bytes)."""
    files = sorted(p for p in out.rglob("*") if p.suffix in OOXML)
    broken = [p for p in files if p.name.startswith("~$") or p.stem.endswith("_损坏")]
    assert len(broken) == 2 and all(p.stat().st_size <= 3000 for p in broken), broken
    return [p for p in files if p not in broken]


def bad_font_order(tmp: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.styles.fonts import Font as FontClass

    from toolkit.io.cells import FONT_CHILDREN

    wb = Workbook()
    wb.active["A1"] = "仿宋"
    wb.active["A1"].font = Font(name="仿宋", size=11, charset=134)
    order = FontClass.__elements__
    FontClass.__elements__ = (
        "name",
        "charset",
        "family",
        "b",
        "i",
        "strike",
        "outline",
        "shadow",
        "condense",
        "color",
        "extend",
        "sz",
        "u",
        "vertAlign",
        "scheme",
    )  # openpyxl 3.1's own order
    try:
        wb.save(tmp / "openpyxl_order.xlsx")
    finally:
        FontClass.__elements__ = order
    assert sorted(order) == sorted(FONT_CHILDREN)
    return tmp / "openpyxl_order.xlsx"


def bad_ribbon(tmp: Path) -> Path:
    out = tmp / "bad_ribbon.xlam"
    with zipfile.ZipFile(ADDIN) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == RIBBON:
                assert data.count(b'size="large"') == 6  # every button of the ribbon
                data = data.replace(b'size="large"', b'size="huge"', 1)
            zout.writestr(info, data)
    return out


@pytest.fixture(scope="module")
def report(oxval, tmp_path_factory) -> tuple[Report, list[Path], Path, Path]:
    out = tmp_path_factory.mktemp("demo") / "演示"
    assert main(["demo", str(out)]) == 0
    files = demo_workbooks(out) + TEMPLATES + [ADDIN]
    tmp = tmp_path_factory.mktemp("broken")
    fonts, ribbon = bad_font_order(tmp), bad_ribbon(tmp)
    return validate(oxval, [*files, fonts, ribbon]), files, fonts, ribbon


def test_demo_writes_each_kind_of_workbook(report):
    _, files, _, _ = report
    names = [p.name for p in files]
    units = [p for p in files if "分发" in p.parts and p.name != "分发清单.xlsx"]
    returns = [p for p in files if "收件" in p.parts]
    assert {
        "方案.xlsx",
        "分发清单.xlsx",
        "汇总_2016年11月.xlsx",
        "汇总_2016年12月.xlsx",
        "市汇总_2016年12月.xlsx",
        "市方案.xlsx",
        "fengong.xlam",
        "方案模板.xlsm",
        "任务台账模板_A3.xlsx",
        "任务台账模板_A4.xlsx",
    } <= set(names)
    assert (
        len(units) >= 75 and len(returns) > 45
    )  # 25 units × 3 distributions (the 单位名录 merged 29 names), filled in
    assert len(files) > 130


def test_every_workbook_written_is_valid_open_xml(report):
    result, files, _, _ = report
    assert result.unopened == {}
    assert {p: result.checked.get(str(p)) for p in files} == dict.fromkeys(files, 0), "\n".join(
        str(f) for p in files for f in result.of(p)
    )


def test_validator_sees_openpyxl_font_order(report):
    result, _, fonts, _ = report
    found = result.of(fonts)
    assert found and all(f.part == "/xl/styles.xml" and "/x:font[" in f.xpath for f in found), found
    assert any(f.id == "Sch_UnexpectedElementContentExpectingComplex" for f in found)


def test_validator_checks_the_ribbon_part(report):
    result, _, _, ribbon = report
    found = result.of(ribbon)
    assert [f.part for f in found] == [f"/{RIBBON}"], found
    assert "huge" in found[0].description
