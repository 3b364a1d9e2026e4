"""The summary writer's fast path (rows spliced in as sheet XML) against hostile values.

Every table is written twice — spliced, and cell by cell through XlsxWriter — and both are
read back with openpyxl and python-calamine: same values, types, styles and row heights, every
XML part well-formed, the shared-string table consistent with the cells that use it.
"""

from __future__ import annotations

import random
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from toolkit.io import summary, summary_xml
from toolkit.io.summary import (
    DETAIL_SHEET,
    FIRST_DATA_ROW,
    MAX_TEXT,
    Column,
    SummaryBook,
    Table,
    write_summary,
)
from toolkit.model.errors import OutputError
from toolkit.model.vocabulary import Role, Severity

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
COLUMNS = (
    Column("编号", 8, "center"),
    Column("进展情况", 30, "wrap"),
    Column("报送文件", 20, "clip"),
    Column("完成进度", 9, "pct"),
    Column("截止日期", 11, "date"),
    Column("备注", 12, "text"),
)
HOSTILE = [
    "a & b < c > d \" ' ]]> <![CDATA[ &amp;",
    "  前后有空格  ",
    " ",
    "\t制表符开头",
    "=1+1",
    "+86 020",
    "-每月检查",
    "@人员不足",
    '=HYPERLINK("http://evil","点我")',
    "_x0041_ 不是 A",
    "_X004a_",
    "控制\x00字\x01符\x08\x0b\x0c\x1f",
    "回车\r\n换行\r单独回车\n",
    "\ufffe\uffff非字符",
    "孤立\ud800代理\udfff项",
    "𠀀𠀁扩展B区",
    "\u2028行分隔",
    "x" * 40000,
    "𠀀" * 20000,
    "中" * MAX_TEXT,
    "\x01\x02",
]


def expected_text(value: str) -> str | None:
    """What a cell shows for `value`: illegal characters removed, CR as LF, capped at Excel's limit."""
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text or None


def write_both(tmp_path: Path, rows: list[tuple], columns=COLUMNS) -> tuple[Path, Path]:
    """The same table written with splicing and without."""

    def book():
        return SummaryBook(
            "标题 & <测试>", "副标题", [("项目", "=值")], [Table(DETAIL_SHEET, columns, rows)], {"k": "v"}
        )

    spliced = write_summary(book(), tmp_path / "spliced.xlsx")
    direct_limit = summary.SPLICE_MIN_ROWS
    summary.SPLICE_MIN_ROWS = 10**9
    try:
        direct = write_summary(book(), tmp_path / "direct.xlsx")
    finally:
        summary.SPLICE_MIN_ROWS = direct_limit
    return spliced, direct


def check_package(path: Path) -> None:
    """Every XML part parses; sharedStrings' count/uniqueCount match the cells using it."""
    refs = 0
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(z.read(name))  # raises on any XML error
        sst = etree.fromstring(z.read("xl/sharedStrings.xml"))
        unique = len(sst.findall("m:si", NS))
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                sheet = etree.fromstring(z.read(name))
                for c in sheet.iterfind(".//m:c[@t='s']", NS):
                    refs += 1
                    assert 0 <= int(c.findtext("m:v", namespaces=NS)) < unique
                rows = [int(r.get("r")) for r in sheet.iterfind(".//m:row", NS)]
                assert rows == sorted(set(rows))
                for row in sheet.iterfind(".//m:row", NS):
                    assert 0 < float(row.get("ht", "15")) <= 409
        for t in sst.iterfind(".//m:t", NS):
            assert len((t.text or "").encode("utf-16-le")) // 2 <= MAX_TEXT
            if t.text and t.text != t.text.strip():
                assert t.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    assert int(sst.get("uniqueCount")) == unique
    assert int(sst.get("count")) == refs


def read_openpyxl(path: Path) -> list[tuple]:
    ws = load_workbook(path)[DETAIL_SHEET]
    return [
        tuple((c.value, c.data_type, c.style_id) for c in row) + (ws.row_dimensions[row[0].row].height,)
        for row in ws.iter_rows(min_row=FIRST_DATA_ROW + 1, max_col=len(COLUMNS))
    ]


def read_calamine(path: Path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(DETAIL_SHEET).to_python()[FIRST_DATA_ROW:]


def test_hostile_text_is_kept_as_text_and_both_paths_agree(tmp_path):
    rows = [(f"{i}-1", text, text, None, None, text) for i, text in enumerate(HOSTILE * 12)]
    spliced, direct = write_both(tmp_path, rows)
    for path in (spliced, direct):
        check_package(path)
    assert read_openpyxl(spliced) == read_openpyxl(direct)
    assert read_calamine(spliced) == read_calamine(direct)
    for path in (spliced, direct):
        by_openpyxl = read_openpyxl(path)
        by_calamine = read_calamine(path)
        for (_, text, *_), cells, values in zip(rows, by_openpyxl, by_calamine):
            want = expected_text(text)
            got, kind = cells[1][0], cells[1][1]
            if want is None:
                assert got is None and values[1] == "", repr(text[:20])
                continue
            assert kind == "s", repr(text[:20])  # text, never a formula
            if len(want.encode("utf-16-le")) // 2 <= MAX_TEXT:
                assert got == want and values[1] == want, repr(text[:20])
            else:  # cut at Excel's limit, and says so
                assert len(got.encode("utf-16-le")) // 2 <= MAX_TEXT and got.endswith(summary.TRUNCATED)
                assert want.startswith(got[: -len(summary.TRUNCATED)]) and values[1] == got


def test_numbers_dates_and_odd_values(tmp_path):
    odd = [
        (0.5, 0.5),
        (1, 1),
        (-1.5e-7, -1.5e-7),
        (123456, 123456),
        (float("nan"), None),
        (float("inf"), None),
        (True, "是"),
        (False, "否"),
        (None, None),
        ("", None),
        (date(2016, 12, 31), datetime(2016, 12, 31)),
        (datetime(2016, 11, 30, 13, 5), datetime(2016, 11, 30, 13, 5)),
        (date(1899, 1, 1), "1899-01-01"),
        (date(1900, 2, 28), "1900-02-28"),
        (Path("a/b"), "a/b"),
        (["列表"], "['列表']"),
        (Role.LEAD, "牵头"),  # a StrEnum: the text, in both paths (spliced, it was once a blank cell)
        (Severity.WARNING, "提醒"),
    ]
    rows = [(f"{i}-1", "文本", "文件", value, value, value) for i, (value, _) in enumerate(odd * 20)]
    spliced, direct = write_both(tmp_path, rows)
    for path in (spliced, direct):
        check_package(path)
    assert read_openpyxl(spliced) == read_openpyxl(direct)
    assert read_calamine(spliced) == read_calamine(direct)
    got = read_openpyxl(spliced)
    for (value, want), (_, _, _, pct, day, plain, _) in zip(odd * 20, got):
        cells = (
            (day,)
            if isinstance(value, date)
            else (pct, day, plain)
            if isinstance(value, (str, Path, list))
            else (pct, plain)
        )
        assert all(cell[0] == pytest.approx(want) if isinstance(want, float) else cell[0] == want for cell in cells), (
            value
        )


def test_shared_string_count_told_by_column_types(tmp_path):
    """sharedStrings' count is told from each column's types: a column of yes/no only (text
    cells), of numbers only (none), of texts with blank texts among them."""
    rows = [
        (f"{i}-1", "" if i % 3 else "文本", "\x01" if i % 7 == 0 else "文件", i % 2 == 0, 1.5, None) for i in range(300)
    ]
    spliced, direct = write_both(tmp_path, rows)
    for path in (spliced, direct):
        check_package(path)
    assert read_openpyxl(spliced) == read_openpyxl(direct)
    # many distinct texts that clean to nothing (a hostile file): counted in the XML instead
    rows = [(f"{i}-1", "\x01" * (i % 40 + 1), "文件", i % 2 == 0, 1.5, None) for i in range(300)]
    (tmp_path / "many").mkdir()
    spliced, direct = write_both(tmp_path / "many", rows)
    check_package(spliced)
    assert read_openpyxl(spliced) == read_openpyxl(direct)


@pytest.mark.parametrize(("remembered", "batch"), [(summary_xml.MEMO_LIMIT, summary_xml.BATCH_ROWS), (3, 7)])
def test_random_rows_round_trip_identically(tmp_path, monkeypatch, remembered, batch):
    """Also in batches of a few rows, the cells remembered per column forgotten between them (a
    column of texts that never repeat)."""
    monkeypatch.setattr(summary_xml, "MEMO_LIMIT", remembered)
    monkeypatch.setattr(summary_xml, "BATCH_ROWS", batch)
    rng = random.Random(4)
    alphabet = "政务公开 &<>\"'=+-@_x0041_\n\t\r\x01\ud800𠀀" + "".join(map(chr, range(0x20, 0x7F)))

    def value():
        kind = rng.randrange(6)
        if kind == 0:
            return None
        if kind == 1:
            return rng.random()
        if kind == 2:
            return date(2016, 1, 1).fromordinal(date(2016, 1, 1).toordinal() + rng.randrange(400))
        return "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 60)))

    rows = [tuple(value() for _ in COLUMNS) for _ in range(500)]
    spliced, direct = write_both(tmp_path, rows)
    check_package(spliced)
    assert read_openpyxl(spliced) == read_openpyxl(direct)
    assert read_calamine(spliced) == read_calamine(direct)


def test_an_existing_summary_survives_a_failed_write(tmp_path, monkeypatch):
    target = tmp_path / "汇总.xlsx"
    target.write_bytes(b"previous summary")

    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(summary_xml, "splice", broken)
    rows = [(f"{i}-1", "文本", "", None, None, "") for i in range(300)]
    with pytest.raises(OutputError, match="无法写入"):  # an OS fault is said in Chinese (toolkit.io.atomic)
        write_summary(SummaryBook("标题", "副标题", [], [Table(DETAIL_SHEET, COLUMNS, rows)], {}), target)
    assert target.read_bytes() == b"previous summary"
    assert [p.name for p in tmp_path.iterdir()] == ["汇总.xlsx"]  # no temp files left behind


def test_a_table_longer_than_an_excel_sheet_is_refused_before_writing(tmp_path, monkeypatch):
    from toolkit.io import summary

    monkeypatch.setattr(summary, "EXCEL_ROWS", 300)  # a sheet of 300 rows: title, subtitle, header and 297 rows
    rows = [(f"{i}-1", "文本", "", None, None, "") for i in range(298)]
    target = tmp_path / "汇总.xlsx"
    with pytest.raises(OutputError, match="超过 Excel 工作表 300 行的上限"):
        write_summary(SummaryBook("标题", "副标题", [], [Table(DETAIL_SHEET, COLUMNS, rows)], {}), target)
    assert list(tmp_path.iterdir()) == []
    write_summary(SummaryBook("标题", "副标题", [], [Table(DETAIL_SHEET, COLUMNS, rows[:-1])], {}), target)
    assert len(CalamineWorkbook.from_path(str(target)).get_sheet_by_name(DETAIL_SHEET).to_python()) == 300
