"""Plain text as extracted from Word/PDF → blocks (paragraphs and table grids).

Two table forms occur in extracted text:

- **cell lines**: every cell starts a line with a tab; a line without a leading tab continues
  the cell above (a line break inside the cell); rows are separated by blank lines, or by a
  line starting with spaces and a tab. Blank lines also occur inside a row, so segments are
  joined back into rows of the table's usual width.
- **tab-separated lines**: one row per line, cells separated by tabs.

Every other non-blank line is a paragraph.
"""

from __future__ import annotations

import re
from collections import Counter

from toolkit.importers.webtext import (
    cell_stream,
    header_names,
    pipe_cells,
    pipe_table,
    rows_from_cells,
)
from toolkit.model.blocks import Block, Grid

ROW_BREAK_RE = re.compile(r"^ +\t")
TR_RE = re.compile(r"</tr\s*>", re.IGNORECASE)
TD_RE = re.compile(r"<t[dh]\b[^>]*>", re.IGNORECASE)
BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
OTHER_TAG_RE = re.compile(r"</?(?:table|tbody|thead|tr|td|th|span|div|font|strong|b)\b[^>]*>", re.IGNORECASE)


def _html_rows(text: str) -> str:
    """An HTML table fragment (<tr><td>…) as `|` rows; <br> inside a cell → 「、」."""
    if not TD_RE.search(text):
        return text
    text = BR_RE.sub("、", text.replace("\n", ""))
    text = TR_RE.sub("\n", TD_RE.sub(" | ", text))
    return OTHER_TAG_RE.sub("", text)


def blocks_from_text(text: str) -> list[Block]:
    """Split extracted text into paragraphs and tables, in document order."""
    lines = _html_rows(text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        header = None if "\t" in line else header_names(lines, i)
        if header:
            cells, i = cell_stream(lines, header[1])
            blocks.append(rows_from_cells(header[0], cells))
        elif "\t" not in line and pipe_cells(line) is not None:
            grid, i = pipe_table(lines, i)
            blocks.append(grid)
        elif _is_cell_line(line):
            grid, i = _cell_table(lines, i)
            blocks.append(grid)
        elif "\t" in line.strip(" "):
            grid, i = _tsv_table(lines, i)
            blocks.append(grid)
        else:
            if line.strip():
                blocks.append(line.strip())
            i += 1
    return blocks


def _is_blank(line: str) -> bool:
    """A line with nothing on it (a line holding only a tab is an empty cell, not blank)."""
    return not line.strip(" \u3000")


def _is_cell_line(line: str) -> bool:
    """A line holding one cell: a leading tab (after optional spaces) and no other tab."""
    stripped = line.lstrip(" ")
    return stripped.startswith("\t") and "\t" not in stripped[1:]


def _is_tsv_line(line: str) -> bool:
    return "\t" in line.strip(" ") and not _is_cell_line(line)


def _tsv_table(lines: list[str], i: int) -> tuple[Grid, int]:
    """Rows of tab-separated cells; blank lines between such rows stay inside the table."""
    grid: Grid = []
    while i < len(lines):
        line = lines[i]
        if _is_tsv_line(line):
            grid.append([c.strip() for c in line.split("\t")])
            i += 1
            continue
        if _is_blank(line):
            j = i
            while j < len(lines) and _is_blank(lines[j]):
                j += 1
            if j < len(lines) and _is_tsv_line(lines[j]):
                i = j
                continue
        break
    return grid, i


def _cell_table(lines: list[str], i: int) -> tuple[Grid, int]:
    """Cells one per line, rows split by blank lines, joined back to the usual row width."""
    segments: list[list[str]] = [[]]
    header_width = 0
    blank = False
    while i < len(lines):
        line = lines[i]
        if _is_blank(line):
            blank = True
            i += 1
            continue
        if _is_cell_line(line):
            if (ROW_BREAK_RE.match(line) or blank) and segments[-1]:
                header_width = header_width or len(segments[-1])
                segments.append([])
            segments[-1].append(line.lstrip(" ")[1:])
        elif segments[-1] and (not blank or len(segments[-1]) < (header_width or 2) or _tail_of_cell(lines, i)):
            segments[-1][-1] += "\n" + line  # a line break (or blank line) inside a cell
        else:
            break
        blank = False
        i += 1
    rows = _join_segments([s for s in segments if s])
    return [[cell.strip() for cell in row] for row in rows], i


def _tail_of_cell(lines: list[str], i: int) -> bool:
    """A short line after a blank line, followed by more cells: the end of the cell above."""
    j = i + 1
    while j < len(lines) and _is_blank(lines[j]):
        j += 1
    return len(lines[i].strip()) <= 20 and j < len(lines) and _is_cell_line(lines[j])


def _join_segments(segments: list[list[str]]) -> list[list[str]]:
    """Join segments that a blank line split out of one row, up to the usual row width."""
    if not segments:
        return []
    width = Counter(len(s) for s in segments).most_common(1)[0][0]
    rows: list[list[str]] = []
    for segment in segments:
        if rows and len(rows[-1]) < width and len(rows[-1]) + len(segment) <= width and _continues(rows[-1], width):
            rows[-1] = rows[-1] + segment
        else:
            rows.append(list(segment))
    return rows


def _continues(row: list[str], width: int) -> bool:
    """Whether a short row can be the first part of a row (not a complete short row)."""
    return len(row) < width - 1 or not row[-1].strip()
