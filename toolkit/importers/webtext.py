"""Tables in text copied from web pages, PDFs and OCR: `|` rows and one cell per line.

- **`|` rows** (web tables, Markdown): one row per line, cells between `|`; Markdown
  separator rows (`|---|`) are skipped; trailing empty cells are dropped, so a row shifted
  left by a merged cell is short and `table._align` places it by its content.
- **one cell per line**: a header of known column names, one per line (a name broken over two
  lines, 「主要」「任务」, is joined), then the cells, one per line, separated by blank lines or by
  lines holding only `|` (or ending with ` |`).
  Rows are rebuilt from the column roles and what each cell looks like (a number, unit
  names, a deadline, text): see `rows_from_cells`.
"""

from __future__ import annotations

import re

from toolkit.importers.cells import number
from toolkit.importers.headers import known_name, role_of
from toolkit.model.blocks import Grid
from toolkit.model.units import looks_like_units, split_units

MD_RULE_RE = re.compile(r"^:?-{3,}:?$")
DEADLINE_WORD_RE = re.compile(r"(\d{1,2}月|年底|年内|全年|前$|底前|持续|长期|常态|每[月季年周]|季度|\d{4}年)")
TEXT_ROLES = ("task", "req", "level", "category", "notes", None)
PLACEHOLDERS = ("/", "-", "—", "无", "")
ITEM_START_RE = re.compile(r"^\s*(?:\d{1,2}\s*[.．、](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[）)])")


def pipe_cells(line: str) -> list[str] | None:
    """The cells of a `|` row, or None if the line is not one (fewer than two cells)."""
    if "|" not in line:
        return None
    text = line.strip()
    text = text.removeprefix("|")
    text = text.removesuffix("|")
    cells = [c.strip() for c in text.split("|")]
    if sum(1 for c in cells if c) < 2 or all(MD_RULE_RE.match(c) or not c for c in cells):
        return None if sum(1 for c in cells if c) < 2 else []
    while cells and not cells[-1]:
        cells.pop()
    return cells


def pipe_table(lines: list[str], i: int) -> tuple[Grid, int]:
    """`|` rows from line i; a one-text row between rows (「一、创新驱动 | ||||」) stays a row."""
    grid: Grid = []
    while i < len(lines):
        cells = pipe_cells(lines[i])
        if cells is None:
            if not lines[i].strip() and i + 1 < len(lines) and pipe_cells(lines[i + 1]) is not None:
                i += 1
                continue
            lone = _lone_cell(lines[i])
            if grid and lone and i + 1 < len(lines) and pipe_cells(lines[i + 1]):
                grid.append([lone])
                i += 1
                continue
            break
        if cells:
            grid.append(cells)
        i += 1
    return grid, i


def _lone_cell(line: str) -> str:
    """The one text of a `|` row whose other cells are empty, or ""."""
    if "|" not in line.strip().strip("|"):
        return ""
    texts = [c.strip() for c in line.split("|") if c.strip()]
    return texts[0] if len(texts) == 1 else ""


def _cell_line(line: str) -> str:
    return line.strip().removesuffix("|").strip()


def header_names(lines: list[str], i: int) -> tuple[list[str], int] | None:
    """Known column names one per line from line i (blank and `|` lines between), or None."""
    names: list[str] = []
    j = i
    while j < len(lines):
        text = _cell_line(lines[j])
        if not text:
            j += 1
            continue
        if len(text) > 12:
            break
        if known_name(text):
            names.append(text)
            j += 1
            continue
        rest = _next_text(lines, j + 1)
        if rest is None or not known_name(text + rest[0]):
            break
        names.append(text + rest[0])  # a name broken over two lines: 「主要」「任务」
        j = rest[1] + 1
    roles = {role_of(n) for n in names}
    if j < len(lines) and "\t" in lines[j]:
        return None  # tab-separated cells: `toolkit.importers.text` reads those
    if len(names) < 3 or not roles & {"task", "req"} or not roles & {"lead", "co", "deadline"}:
        return None
    return names, j


def _next_text(lines: list[str], j: int) -> tuple[str, int] | None:
    """The next non-blank cell text from line j and its line, or None."""
    while j < len(lines):
        text = _cell_line(lines[j])
        if text:
            return text, j
        j += 1
    return None


def cell_stream(lines: list[str], j: int) -> tuple[list[str], int]:
    """Cells after a one-per-line header: `|` lines separate cells (a cell may span lines);
    otherwise every non-blank line is a cell."""
    piped = any(ln.strip() == "|" or ln.rstrip().endswith(" |") for ln in lines[j : j + 12])
    cells: list[str] = []
    current: list[str] = []
    while j < len(lines):
        raw = lines[j]
        text = _cell_line(raw)
        if piped:
            if raw.strip() == "|" or raw.rstrip().endswith("|"):
                if text:
                    current.append(text)
                cells.append("\n".join(current))
                current = []
            elif text:
                current.append(text)
        elif text:
            cells.append(text)
        j += 1
    if current:
        cells.append("\n".join(current))
    return cells, j


def kind(cell: str) -> str:
    text = cell.strip()
    if text in PLACEHOLDERS:
        return "empty"
    if number(text) and len(text) <= 4:
        return "num"
    if len(text) <= 20 and DEADLINE_WORD_RE.search(text) and not looks_like_units(text):
        return "deadline"
    if looks_like_units(text):
        return "units"
    if len(text) <= 4:
        return "short"
    return "text"


def _task_name_like(cell: str, following: str) -> bool:
    """Whether a unit-like cell before a text cell is a task's name (「新(改)建村卫生室」): one
    name, and the text after it does not start a numbered item (「3.在疫情防控…」 begins a row)."""
    return len(split_units(cell)) == 1 and not ITEM_START_RE.match(following)


def _accepts(role: str | None, k: str) -> bool:
    if k == "num":
        return role == "seq"
    if k == "units":
        return role in ("lead", "co")
    if k == "deadline":
        return role in ("deadline", "notes")  # a 备注 column may hold a date
    if k == "short":
        return role in ("leader",) + TEXT_ROLES
    return role in TEXT_ROLES


def rows_from_cells(names: list[str], cells: list[str]) -> Grid:
    """Rebuild rows: each cell goes to the next column that takes its kind; a cell no later
    column takes starts a new row (leading merged cells are then empty); the surplus unit
    cells of a row join its last units column; a run of text cells fills the last text columns."""
    roles = [role_of(n) for n in names]
    kinds = [kind(c) for c in cells]
    for n in range(len(kinds) - 1):
        if kinds[n] == "units" and kinds[n + 1] == "text" and _task_name_like(cells[n], cells[n + 1]):
            kinds[n] = "text"  # text columns come before unit columns: 「新(改)建村卫生室」 is a name of a task
    if "seq" not in roles and "num" in kinds:
        at = roles.index("task") + 1 if "task" in roles and "req" in roles else 0
        names, roles = names[:at] + ["序号"] + names[at:], roles[:at] + ["seq"] + roles[at:]
    width = len(names)
    rows: Grid = [list(names)]
    row: list[str] = [""] * width
    col = -1
    unit_cols = [c for c, r in enumerate(roles) if r in ("lead", "co")]
    for n, (cell, k) in enumerate(zip(cells, kinds)):
        if k == "empty":
            if col + 1 < width and roles[col + 1] in ("lead", "co"):
                col += 1
            continue
        if k == "units" and col in unit_cols and (col == unit_cols[-1] or not any(c > col for c in unit_cols)):
            row[col] += "\n" + cell
            continue
        starts_item = ITEM_START_RE.match(cell) is not None
        target = _target(roles, kinds, n, col, starts_item)
        if target is None:
            if any(row):
                rows.append(row)
            row, col = [""] * width, -1
            target = _target(roles, kinds, n, col, starts_item)
            if target is None:
                continue
        row[target] = cell
        col = target
    if any(row):
        rows.append(row)
    while len(rows) > 1 and not _has_data(rows[-1], roles):
        rows.pop()  # page text after the table (「分享到:」)
    return rows


def _has_data(row: list[str], roles: list[str | None]) -> bool:
    return any(row[c] for c, r in enumerate(roles) if r in ("seq", "lead", "co", "deadline"))


def _target(roles: list[str | None], kinds: list[str], n: int, col: int, starts_item: bool) -> int | None:
    """The column for cell n after column col; a numbered text (「3.在…」) is no 备注 of the row before."""
    k = kinds[n]
    free = [
        c for c in range(col + 1, len(roles)) if _accepts(roles[c], k) and not (starts_item and roles[c] == "notes")
    ]
    if not free:
        return None
    if k in ("text", "short") and roles[free[0]] in TEXT_ROLES:
        run = 1
        while n + run < len(kinds) and kinds[n + run] == "text":
            run += 1
        texts, c = [], free[0]
        while c < len(roles) and roles[c] in TEXT_ROLES:
            texts.append(c)
            c += 1
        if len(texts) > run:
            return texts[len(texts) - run]
    return free[0]
