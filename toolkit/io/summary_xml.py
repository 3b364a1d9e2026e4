"""The big tables of the summary workbook as sheet XML spliced into the package XlsxWriter saved:
the rows are written as plain XML (one value conversion shared with XlsxWriter's path, `cell_value`)
and their texts appended to the shared strings — much faster than a cell call per value."""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from itertools import chain, islice
from pathlib import Path
from typing import Any

from toolkit.io.cells import column_letter
from toolkit.io.summary import (
    EXCEL_EPOCH,
    EXCEL_ESCAPE,
    FIRST_DATA_ROW,
    Column,
    Row,
    Table,
    cell_value,
    clean_text,
    row_heights,
)

SST_PART = "xl/sharedStrings.xml"
SST_COUNTS = re.compile(r'count="(\d+)" uniqueCount="(\d+)"')
DIMENSION = re.compile(r'<dimension ref="[^"]*"/>')


class _Strings:
    """Shared strings appended after the ones XlsxWriter wrote: each text stored once,
    cleaned and escaped as XlsxWriter escapes its own. `index` maps a text to its position
    (-1: nothing of it can be stored, a blank cell); callers add to `count` per cell."""

    def __init__(self, xml: str):
        m = SST_COUNTS.search(xml)
        if not m or "</sst>" not in xml:
            raise RuntimeError("unexpected sharedStrings.xml from XlsxWriter: cannot append rows")
        self.xml = xml
        self.count, self.start = int(m.group(1)), int(m.group(2))
        self.index: dict[str, int] = {}
        self.added: list[str] = []

    def add(self, text: str) -> int:
        """Store a text not yet in `index`; its position, or -1 when it cleans to nothing."""
        clean = clean_text(text)
        if not clean:
            self.index[text] = -1
            return -1
        if "&" in clean or "<" in clean or ">" in clean:
            clean = clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if "_x" in clean or "_X" in clean:
            clean = EXCEL_ESCAPE.sub(r"_x005F\1", clean)
        found = self.index[text] = self.start + len(self.added)
        self.added.append(f'<si><t xml:space="preserve">{clean}</t></si>')
        return found

    def to_xml(self) -> str:
        head, _, tail = self.xml.rpartition("</sst>")
        head = SST_COUNTS.sub(f'count="{self.count}" uniqueCount="{self.start + len(self.added)}"', head, count=1)
        return head + "".join(self.added) + "</sst>" + tail


def _other_cell(value: Any) -> tuple[bool, object]:
    """(is a number, serial text) for a date Excel can show, else (False, cell_value(value))."""
    value = cell_value(value)
    if value.__class__ is datetime:
        days = value - EXCEL_EPOCH
        return True, str(days.days) if not days.seconds and not days.microseconds else f"{days / ONE_DAY:.16G}"
    return False, value


ONE_DAY = timedelta(days=1)


MADE_LIMIT = 4096  # cells remembered per column (the texts of a plan item repeat in its units' rows)
ROW_MARK = "\x00"  # stands for the row number in a cached cell (XML text can never hold it)


def _rows_xml(
    rows: Sequence[Row],
    first_row: int,
    columns: tuple[Column, ...],
    styles: list[int],
    letters: list[str],
    strings: _Strings,
) -> Iterable[str]:
    """Sheet XML `<row>` elements for `rows`, the first at 1-based row `first_row`; each value
    becomes what `cell_value` makes of it. A cell's XML depends only on its column, its value and
    the row number: made once per distinct value of a column (texts repeat in every unit's row),
    with ROW_MARK for the row number, put in once per row."""
    index, add, isfinite = strings.index, strings.add, math.isfinite

    def cell(c: int, value: Any) -> str:
        start = f'<c r="{letters[c]}{ROW_MARK}" s="{styles[c]}"'
        kind = value.__class__
        if kind is not str and kind is not float and kind is not int and value is not None:
            is_number, value = _other_cell(value)
            if is_number:
                return f"{start}><v>{value}</v></c>"
            kind = value.__class__
        if kind is str:
            i = index.get(value)
            if i is None:
                i = add(value)
            return start + "/>" if i < 0 else f'{start} t="s"><v>{i}</v></c>'
        if (kind is float or kind is int) and isfinite(value):
            return f"{start}><v>{value:.16G}</v></c>"  # as XlsxWriter writes
        return start + "/>"

    # column → text, or (type, value) → the cell's XML: 1, 1.0 and True are equal keys
    made: list[dict[Any, str]] = [{} for _ in columns]
    for r, (row, height) in enumerate(zip(rows, row_heights(columns, rows)), start=first_row):
        cells = [f'<row r="{ROW_MARK}" ht="{height}" customHeight="1">']
        for c, value in enumerate(row):
            key = value if value.__class__ is str else (value.__class__, value)
            try:
                xml = made[c][key]
            except KeyError:
                known = made[c]
                if len(known) >= MADE_LIMIT:  # texts that never repeat (进展情况) must not fill the memory
                    known.clear()
                xml = known[key] = cell(c, value)
            except TypeError:  # unhashable
                xml = cell(c, value)
            cells.append(xml)
        cells.append("</row>")
        xml = "".join(cells).replace(ROW_MARK, str(r))
        strings.count += xml.count(' t="s"')
        yield xml


BATCH_ROWS = 2000  # rows of XML encoded and written at a time


def _batches(rows: Iterable[str]) -> Iterator[str]:
    """The rows' XML joined BATCH_ROWS at a time."""
    rows = iter(rows)
    while batch := "".join(islice(rows, BATCH_ROWS)):
        yield batch


def splice(path: Path, pending: list[tuple[str, Table, list[int]]]) -> None:
    """Append rows 2… of each pending table to its sheet XML inside the saved package; their
    texts go to the shared strings (written last, after every sheet is known)."""
    parts = {part: (table, styles) for part, table, styles in pending}
    src = path.with_name(path.name + ".src")
    path.replace(src)
    try:
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
            names = set(zin.namelist())
            if SST_PART not in names or not names >= parts.keys():
                raise RuntimeError("unexpected package from XlsxWriter: cannot append rows")
            strings = _Strings(zin.read(SST_PART).decode("utf-8"))
            for info in zin.infolist():
                if info.filename == SST_PART:
                    continue
                data = zin.read(info)
                if info.filename not in parts:
                    zout.writestr(info, data)
                    continue
                table, styles = parts[info.filename]
                letters = [column_letter(c) for c in range(1, len(table.columns) + 1)]
                last_row = FIRST_DATA_ROW + len(table.rows)  # 1-based number of the last row
                head, end, tail = data.decode("utf-8").partition("</sheetData>")
                head, found = DIMENSION.subn(f'<dimension ref="A1:{letters[-1]}{last_row}"/>', head, count=1)
                if not end or not found:
                    raise RuntimeError(f"unexpected {info.filename} from XlsxWriter: cannot append rows")
                rows = _rows_xml(table.rows[1:], FIRST_DATA_ROW + 2, table.columns, styles, letters, strings)
                with zout.open(info.filename, "w") as out:
                    for chunk in chain([head], _batches(rows), [end + tail]):
                        out.write(chunk.encode("utf-8"))
            zout.writestr(zin.getinfo(SST_PART), strings.to_xml().encode("utf-8"))
    finally:
        src.unlink(missing_ok=True)


# --- reading a summary one level up -------------------------------------------------
