"""Build real .docx/.xlsx renditions of plan blocks (paragraphs and grids) for the tests.

What a coordinating office's Word or Excel file really looks like: title and 文号 paragraphs
above the table, "same as above" blanks of the task, unit and deadline columns as real
vertical merges, a two-level header with a horizontally merged group cell (seed 000),
header rows marked "repeat on every page" and the header physically repeated mid-table,
numbered requirements as Word automatic numbering. Read back, each table must give the
grid it was built from (the merged continuation cells reading as "").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NUMBER_PREFIX = re.compile(r"^(\d+)([．.])")
# Header words of the columns whose blanks mean "same as above" (merged in the original).
MERGED_HEADERS = ("序号", "任务", "工作要点", "国务院办公厅要求", "单位", "时限", "时间")


@dataclass
class Layout:
    """How to lay out one grid: header rows, a replacement header with spans, merges."""

    header_rows: int = 1
    # Replacement header: per row, cells as text, (text, colspan) or None (= vertically
    # merged with the cell above).
    header: list[list] | None = None
    merge_cols: tuple[int, ...] | None = None  # default: columns named by MERGED_HEADERS
    repeat_header: bool = True  # physically repeat the header before a mid-table task
    numbering: bool = True  # render consecutive "1．" "2．" cell paragraphs as Word lists
    # Short rows whose leading cells the text extraction lost: first-cell prefix -> the
    # column that cell stands in (other short rows are padded on the right).
    shift: dict[str, int] = field(default_factory=dict)


HEADER_000 = [
    ["序号", ("国务院办公厅要求", 2), "广州市分工方案", "越秀区分工方案", "牵头单位", "完成时限", "备注"],
    [None, "任务", "具体要求", None, None, None, None, None],
]


@dataclass
class _Table:
    """A grid ready to write: rows of texts, merges and header rows resolved."""

    rows: list[list[str]]
    header_rows: list[int]
    vmerged: set[tuple[int, int]] = field(default_factory=set)  # continuation cells
    hspans: dict[tuple[int, int], int] = field(default_factory=dict)  # first cell -> colspan


def plan_table(grid: list[list[str]], layout: Layout) -> _Table:
    """Resolve a grid and its layout into rows, header rows and merges."""
    width = max(len(r) for r in grid)
    body = [_place(list(r), width, layout.shift) for r in grid[layout.header_rows :]]
    header, header_v, header_h = _header(grid, layout, width)
    merge_cols = layout.merge_cols
    if merge_cols is None:
        names = ["".join(h[c] for h in header) for c in range(width)]
        merge_cols = tuple(c for c, n in enumerate(names) if any(k in n for k in MERGED_HEADERS))
    split = _repeat_point(body) if layout.repeat_header and header else None
    segments = [body] if split is None else [body[:split], body[split:]]
    rows, header_rows, vmerged, hspans = [], [], set(), {}
    for segment in segments:
        top = len(rows)
        rows.extend([list(h) for h in header])
        if top == 0:  # only the header at the top repeats on every page
            header_rows.extend(range(len(header)))
        vmerged |= {(top + r, c) for r, c in header_v}
        hspans |= {(top + r, c): s for (r, c), s in header_h.items()}
        first_body = len(rows)
        rows.extend(segment)
        copies = {r for r in range(first_body, len(rows)) if _squeeze(rows[r]) in map(_squeeze, header)}
        for c in merge_cols:
            for r in range(first_body + 1, len(rows)):
                if r in copies or r - 1 in copies:
                    continue  # a merge never crosses a header row the text repeats
                if rows[r][c] == "" and (rows[r - 1][c] or (r - 1, c) in vmerged):
                    vmerged.add((r, c))
    return _Table(rows, header_rows, vmerged, hspans)


def _place(row: list[str], width: int, shift: dict[str, int]) -> list[str]:
    """A row padded to `width`, a short row shifted to the column its first cell belongs in."""
    offset = next((col for prefix, col in shift.items() if row and row[0].startswith(prefix)), 0)
    offset = min(offset, width - len(row))
    return [""] * offset + row + [""] * (width - len(row) - offset)


def _header(grid, layout: Layout, width: int):
    """Header rows as texts (spans repeated), continuation cells and spans."""
    if layout.header is None:
        rows = [list(r) + [""] * (width - len(r)) for r in grid[: layout.header_rows]]
        return rows, set(), {}
    rows, vmerged, hspans = [], set(), {}
    for r, spec in enumerate(layout.header):
        row = []
        for cell in spec:
            text, span = cell if isinstance(cell, tuple) else (cell, 1)
            if text is None:
                vmerged.add((r, len(row)))
                text = ""
            if span > 1:
                hspans[(r, len(row))] = span
            row.extend([text] * span)
        rows.append(row)
    return rows, vmerged, hspans


def _squeeze(row: list[str]) -> list[str]:
    return ["".join(cell.split()) for cell in row]


def _repeat_point(body: list[list[str]]) -> int | None:
    """A body row near the middle that starts a new task (number and task title)."""
    starts = [i for i, row in enumerate(body) if i > 0 and row[0].strip() and row[1].strip()]
    if not starts:
        return None
    return min(starts, key=lambda i: abs(i - len(body) // 2))


# --------------------------------------------------------------------------- .docx


def write_docx(blocks, path: Path, layouts: list[Layout] | None = None) -> Path:
    """Write `blocks` as a .docx: paragraphs, and each grid as a real Word table.

    `layouts` gives one Layout per grid, in order (default Layout() for each).
    """
    import docx

    document = docx.Document()
    numbering = _NumberingWriter(document)
    grids = iter(layouts or [])
    for block in blocks:
        if isinstance(block, str):
            _add_text(document.add_paragraph(), block)
            continue
        layout = next(grids, None) or Layout()
        table = plan_table(block, layout)
        _write_docx_table(document, table, numbering if layout.numbering else None)
    document.save(str(path))
    return path


def _add_text(paragraph, text: str) -> None:
    """Text with "\\n" written as line breaks (w:br) inside one paragraph."""
    for i, line in enumerate(text.split("\n")):
        run = paragraph.add_run(line)
        if i:
            run._r.insert(0, run._r.makeelement(f"{{{W_NS}}}br", {}))


def _write_docx_table(document, table: _Table, numbering) -> None:
    from docx.oxml import OxmlElement

    width = len(table.rows[0])
    word = document.add_table(rows=len(table.rows), cols=width)
    word.style = "Table Grid"
    for r, row in enumerate(table.rows):
        for c, text in enumerate(row):
            if (r, c) in table.vmerged or _inside_span(table, r, c):
                continue
            _fill_cell(word.cell(r, c), text, numbering)
    for (r, c), span in table.hspans.items():
        word.cell(r, c).merge(word.cell(r, c + span - 1))
    for r, c in sorted(table.vmerged):
        top = r
        while (top, c) in table.vmerged:
            top -= 1
        word.cell(top, c).merge(word.cell(r, c))
    for r in table.header_rows:
        trpr = word.rows[r]._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:tblHeader"))


def _inside_span(table: _Table, r: int, c: int) -> bool:
    return any(r == sr and sc < c < sc + s for (sr, sc), s in table.hspans.items())


def _fill_cell(cell, text: str, numbering) -> None:
    """Cell text: "<p>…</p>" parts and consecutively numbered lines as paragraphs (the
    numbers as Word list numbering), other line breaks as w:br."""
    paragraphs = cell_paragraphs(text)
    numbers = [NUMBER_PREFIX.match(p) for p in paragraphs]
    num_id = None
    if numbering is not None and _consecutive(numbers):
        num_id = numbering.new_list(int(numbers[0].group(1)), numbers[0].group(2))
        paragraphs = [p[m.end() :] for p, m in zip(paragraphs, numbers)]
    for i, para_text in enumerate(paragraphs):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        _add_text(paragraph, para_text)
        if num_id is not None:
            numbering.apply(paragraph, num_id)


def cell_paragraphs(text: str) -> list[str]:
    """The paragraphs a cell's text stands for: its <p> parts, or its numbered lines,
    or one paragraph (blank lines dropped, other line breaks kept)."""
    if "<p>" in text:
        return [p.strip() for p in re.split(r"</?p>", text) if p.strip()]
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) > 1 and _consecutive([NUMBER_PREFIX.match(line) for line in lines]):
        return lines
    return ["\n".join(lines)]


def _consecutive(numbers) -> bool:
    """Whether every paragraph starts with a number, counting up by one, same separator."""
    if not numbers or not all(numbers):
        return False
    first = int(numbers[0].group(1))
    return [int(m.group(1)) for m in numbers] == list(range(first, first + len(numbers))) and (
        len({m.group(2) for m in numbers}) == 1
    )


class _NumberingWriter:
    """Adds one abstract list per separator ("．" or ".") and one w:num per numbered cell."""

    def __init__(self, document) -> None:
        self.root = document.part.numbering_part.element
        self.abstract: dict[str, int] = {}
        self.next_id = 900

    def new_list(self, start: int, separator: str) -> str:
        from docx.oxml import parse_xml

        if separator not in self.abstract:
            aid = self.next_id
            self.next_id += 1
            abstract = parse_xml(
                f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{aid}">'
                '<w:multiLevelType w:val="singleLevel"/>'
                f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
                f'<w:suff w:val="nothing"/><w:lvlText w:val="%1{separator}"/><w:lvlJc w:val="left"/></w:lvl>'
                "</w:abstractNum>"
            )
            existing = self.root.findall(f"{{{W_NS}}}abstractNum")
            if existing:
                existing[-1].addnext(abstract)
            else:
                self.root.insert(0, abstract)
            self.abstract[separator] = aid
        num_id = self.next_id
        self.next_id += 1
        self.root.append(
            parse_xml(
                f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}"><w:abstractNumId w:val="{self.abstract[separator]}"/>'
                f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>'
            )
        )
        return str(num_id)

    @staticmethod
    def apply(paragraph, num_id: str) -> None:
        ppr = paragraph._p.get_or_add_pPr()
        ppr.get_or_add_numPr().get_or_add_numId().val = int(num_id)
        ppr.get_or_add_numPr().get_or_add_ilvl().val = 0


# --------------------------------------------------------------------------- .xlsx


def write_xlsx(blocks, path: Path, layouts: list[Layout] | None = None) -> Path:
    """Write `blocks` on one sheet: paragraphs as title rows merged across the table width,
    grids with real merged ranges; a blank row after each table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    grids = iter(layouts or [])
    tables = [plan_table(b, next(grids, None) or Layout()) if not isinstance(b, str) else b for b in blocks]
    width = max((len(t.rows[0]) for t in tables if isinstance(t, _Table)), default=1)
    wb = Workbook()
    ws = wb.active
    ws.title = "分工方案"
    r = 1
    previous_was_table = False
    for item in tables:
        if isinstance(item, str):
            ws.cell(r, 1, item)
            if width > 1:
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
            r += 1
            previous_was_table = False
            continue
        if previous_was_table:
            r += 1
        top = r
        for row in item.rows:
            for c, text in enumerate(row):
                if (r - top, c) in item.vmerged or _inside_span(item, r - top, c):
                    continue
                if text.strip():
                    ws.cell(r, c + 1, _cell_value("\n".join(cell_paragraphs(text)))).alignment = Alignment(
                        wrap_text=True, vertical="top"
                    )
            r += 1
        for (tr, tc), span in item.hspans.items():
            ws.merge_cells(start_row=top + tr, start_column=tc + 1, end_row=top + tr, end_column=tc + span)
        for tr, tc in sorted(item.vmerged):
            if (tr + 1, tc) in item.vmerged:
                continue  # merge each run once, from its last cell
            first = tr
            while (first - 1, tc) in item.vmerged:
                first -= 1
            ws.merge_cells(start_row=top + first - 1, start_column=tc + 1, end_row=top + tr, end_column=tc + 1)
        r += 1
        previous_was_table = True
    wb.save(str(path))
    return path


def _cell_value(text: str):
    """Digits-only cells (序号) as numbers, as people type them into Excel."""
    return int(text) if text.strip().isdigit() else text


# --------------------------------------------------------------------------- seeds

# One Layout per grid the text importer finds in each seed, in order.
SEED_LAYOUTS: dict[str, list[Layout]] = {
    "000": [Layout(header_rows=2, header=HEADER_000, shift={"各地区各部门要高度重视": 2, "政务公开工作尚未纳入": 2})],
    "001": [Layout(), Layout(header_rows=0, merge_cols=(), repeat_header=False, numbering=False)],  # 附件 unit list
    "002": [],
    "003": [Layout()],
    "004": [Layout()],
}
TABLE_SEEDS = ("000", "001", "003", "004")


def seed_blocks(seed_path: Path) -> list:
    """The blocks the text importer reads from a seed: the content every rendition shares."""
    from toolkit.importers.text import blocks_from_text
    from toolkit.io.text import read_text

    return blocks_from_text(read_text(seed_path))


def build_seed(seed_path: Path, out_dir: Path, kind: str) -> Path:
    """Write seed `seed_path` as a real `kind` ("docx" or "xlsx") file named in Chinese."""
    prefix = Path(seed_path).name[:3]
    blocks = seed_blocks(seed_path)
    grids = sum(1 for b in blocks if not isinstance(b, str))
    assert grids == len(SEED_LAYOUTS[prefix]), f"seed {prefix}: {grids} tables now, update SEED_LAYOUTS"
    out = Path(out_dir) / f"{prefix}_分工方案.{kind}"
    writer = write_docx if kind == "docx" else write_xlsx
    return writer(blocks, out, SEED_LAYOUTS[prefix])
