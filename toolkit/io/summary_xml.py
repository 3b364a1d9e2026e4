"""The big tables of the summary workbook as sheet XML spliced into the package XlsxWriter saved:
the rows are written as plain XML (one value conversion shared with XlsxWriter's path, `cell_value`)
and their texts appended to the shared strings — much faster than a cell call per value."""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Any

from toolkit.io.cells import column_letter
from toolkit.io.summary import (
    EXCEL_EPOCH,
    EXCEL_ESCAPE,
    FIRST_DATA_ROW,
    MEMO_LIMIT,
    Column,
    Memo,
    Row,
    RowHeights,
    Table,
    cell_value,
    clean_text,
)
from toolkit.io.zipout import ZipOut

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
        self.blanks: set[str] = set()  # texts in `index` that clean to nothing ("", control characters)

    def add(self, text: str) -> int:
        """Store a text not yet in `index`; its position, or -1 when it cleans to nothing."""
        clean = clean_text(text)
        if not clean:
            self.index[text] = -1
            self.blanks.add(text)
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
BATCH_ROWS = 2000  # rows of XML made, encoded and written at a time
# Columns holding only these are remembered by value: equal values of them (1 and 1.0) make the same cell.
# Others by (type, value): True == 1, and a StrEnum equals its text.
BY_VALUE = frozenset({str, int, float, date, datetime, type(None)})


def _cell_xml(style: int, tail: str, strings: _Strings, value: Any) -> str:
    """One cell's XML after its row number (`<c r="A` and the number come before it), then `tail`:
    the next cell's `<c r="B`, or the row's end."""
    start = f'" s="{style}"'
    kind = value.__class__
    if kind is not str and kind is not float and kind is not int and value is not None:
        is_number, value = _other_cell(value)
        if is_number:
            return f"{start}><v>{value}</v></c>{tail}"
        kind = value.__class__
    if kind is str:
        i = strings.index.get(value)
        if i is None:
            i = strings.add(value)
        return f"{start}/>{tail}" if i < 0 else f'{start} t="s"><v>{i}</v></c>{tail}'
    if (kind is float or kind is int) and math.isfinite(value):
        return f"{start}><v>{value:.16G}</v></c>{tail}"  # as XlsxWriter writes
    return f"{start}/>{tail}"


def _of_value(make: Callable[[Any], str], typed: tuple[type, Any]) -> str:
    return make(typed[1])


def _rows_xml(
    rows: Sequence[Row],
    first_row: int,
    columns: tuple[Column, ...],
    styles: list[int],
    letters: list[str],
    strings: _Strings,
) -> Iterator[str]:
    """Sheet XML of the `<row>` elements for `rows`, the first at 1-based row `first_row`,
    BATCH_ROWS rows to a string; each value becomes what `cell_value` makes of it. Made a column
    at a time: what follows a cell's row number depends only on its column and value, so it is
    made once per distinct value of a column (texts repeat in every unit's row), and a batch is
    one join of those pieces with the row numbers between them, looped over in C."""
    tails = [f'<c r="{letter}' for letter in letters[1:]] + ["</row>"]
    makers = [partial(_cell_xml, style, tail, strings) for style, tail in zip(styles, tails)]
    made = [Memo(make) for make in makers]
    typed = [Memo(partial(_of_value, make)) for make in makers]
    heads = Memo(lambda height: f'" ht="{height}" customHeight="1"><c r="A')
    heights = RowHeights(columns)
    width = 3 + 2 * len(columns)  # pieces a row: <row r=", its number, its head, then a number and a cell each
    for start in range(0, len(rows), BATCH_ROWS):
        batch = rows[start : start + BATCH_ROWS]
        numbers = list(map(str, range(first_row + start, first_row + start + len(batch))))
        pieces = ['<row r="'] * (width * len(batch))
        pieces[1::width] = numbers
        by_column = list(zip(*batch, strict=True))
        pieces[2::width] = map(heads.__getitem__, heights.of_columns(by_column, len(batch)))
        for c, values in enumerate(by_column):
            for remembered in (made[c], typed[c]):
                if len(remembered) >= MEMO_LIMIT:  # texts that never repeat must not fill the memory
                    remembered.clear()
            pieces[3 + 2 * c :: width] = numbers
            types = set(map(type, values))
            if types <= BY_VALUE:
                pieces[4 + 2 * c :: width] = map(made[c].__getitem__, values)
            else:
                try:
                    pieces[4 + 2 * c :: width] = map(typed[c].__getitem__, zip(map(type, values), values))
                except TypeError:  # an unhashable value (a list): each cell made anew
                    pieces[4 + 2 * c :: width] = map(makers[c], values)
            strings.count += _text_cells(values, types, pieces[4 + 2 * c :: width], strings)
        yield "".join(pieces)


def _text_cells(values: tuple[Any, ...], types: set[type], pieces: list[str], strings: _Strings) -> int:
    """How many of a column's cells (`values`, made into `pieces`) refer to a shared string: told
    by the values' types when they are only numbers, or texts and blanks and few texts cleaning to
    nothing have been seen (one count of the column each); else counted in the XML."""
    if types <= NUMBERS:
        return 0
    if types <= PLAIN_TEXT and len(strings.blanks) <= FEW_BLANKS:
        return len(values) - values.count(None) - sum(map(values.count, strings.blanks))
    return "".join(pieces).count(' t="s"')


NUMBERS = frozenset({int, float, type(None)})
PLAIN_TEXT = frozenset({str, type(None)})
FEW_BLANKS = 8  # "" and a few control-character texts; a hostile file with thousands is counted in its XML


def splice(path: Path, pending: list[tuple[str, Table, list[int]]]) -> None:
    """Append rows 2… of each pending table to its sheet XML inside the saved package; their
    texts go to the shared strings (written last, after every sheet is known). The other parts
    are copied as XlsxWriter compressed them (`zipout`)."""
    parts = {part: (table, styles) for part, table, styles in pending}
    src = path.with_name(path.name + ".src")
    path.replace(src)
    try:
        with zipfile.ZipFile(src) as zin, open(src, "rb") as raw, open(path, "wb") as fh:
            names = set(zin.namelist())
            if SST_PART not in names or not names >= parts.keys():
                raise RuntimeError("unexpected package from XlsxWriter: cannot append rows")
            strings = _Strings(zin.read(SST_PART).decode("utf-8"))
            zout = ZipOut(fh)
            for info in zin.infolist():
                if info.filename == SST_PART:
                    continue
                if info.filename not in parts:
                    zout.copy(raw, info)
                    continue
                table, styles = parts[info.filename]
                letters = [column_letter(c) for c in range(1, len(table.columns) + 1)]
                last_row = FIRST_DATA_ROW + len(table.rows)  # 1-based number of the last row
                head, end, tail = zin.read(info).decode("utf-8").partition("</sheetData>")
                head, found = DIMENSION.subn(f'<dimension ref="A1:{letters[-1]}{last_row}"/>', head, count=1)
                if not end or not found:
                    raise RuntimeError(f"unexpected {info.filename} from XlsxWriter: cannot append rows")
                rows = _rows_xml(table.rows[1:], FIRST_DATA_ROW + 2, table.columns, styles, letters, strings)
                zout.write(info, (chunk.encode("utf-8") for chunk in chain([head], rows, [end + tail])))
            zout.write(zin.getinfo(SST_PART), [strings.to_xml().encode("utf-8")])
            zout.close()
    finally:
        src.unlink(missing_ok=True)


# --- reading a summary one level up -------------------------------------------------
