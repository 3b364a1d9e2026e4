"""Page layout of a printed chart, shared by the pager and the PDF renderer: paper geometry,
the slots of a page, text wrapped by display width."""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.charts.timeline import Row
from toolkit.model.text import em_width

COLUMNS = ("编号", "任务", "责任单位", "截止日期", "状态")
MARGIN = 0.4  # inches round a printed page


@dataclass(frozen=True)
class Paper:
    """Page geometry in inches: size (landscape), rows per page, body font, table column widths."""

    size: tuple[float, float]
    rows: int
    font: float
    columns: tuple[float, ...]


PAPERS = {
    "A3": Paper((16.54, 11.69), 30, 7.5, (0.55, 3.8, 1.4, 0.95, 0.95)),
    "A4": Paper((11.69, 8.27), 18, 6.8, (0.45, 2.45, 1.05, 0.82, 0.8)),
}


@dataclass
class Line:
    """One slot of a page: a group header (row is None) or a chart row (header is None)."""

    row: Row | None = None
    header: str | None = None


def rect(a: float, b: float, y: float, h: float) -> list[tuple[float, float]]:
    """The corners of a box from x `a` to `b`, `h` high, centred on `y`."""
    return [(a, y - h / 2), (a, y + h / 2), (b, y + h / 2), (b, y - h / 2)]


# ---------------------------------------------------------------- text

TOKEN_RE = re.compile(r"[A-Za-z0-9０-９][A-Za-z0-9０-９.．:/_%％\-]*|\s+|.", re.S)
NO_LINE_START = set("，。、；：？！）》」』】〕,.;:?!)%％")


def wrap(text: str, width: float, max_lines: int) -> list[str]:
    """Wrap by display width; numbers and codes (2016年 → "2016", "3-2", URLs) stay whole.

    Closing punctuation never starts a line. Overflow ends the last line with "…".
    """
    text = " ".join(text.split())
    lines: list[str] = []
    cur, cur_w = "", 0.0
    for tok in TOKEN_RE.findall(text):
        w = em_width(tok)
        if cur_w + w > width and cur and not (tok in NO_LINE_START and cur_w + w <= width + 1):
            lines.append(cur.rstrip())
            cur, cur_w = "", 0.0
            if tok.isspace():
                continue
        while w > width:  # a code longer than a whole line: the only place it may split
            cut = _fit(tok, width - cur_w)
            lines.append(cur + tok[:cut])
            tok, cur, cur_w = tok[cut:], "", 0.0
            w = em_width(tok)
        cur += tok
        cur_w += w
    if cur.strip():
        lines.append(cur.rstrip())
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and em_width(last) + 1 > width:
            last = last[:-1]
        lines = lines[: max_lines - 1] + [last + "…"]
    return lines


def _fit(text: str, width: float) -> int:
    w = 0.0
    for i, c in enumerate(text):
        w += em_width(c)
        if w > width:
            return max(i, 1)
    return len(text)


# ---------------------------------------------------------------- pages


def paginate(groups: list[tuple[str, list[Row]]], per_page: int) -> list[list[Line]]:
    """Fixed slots per page. A group that fits on a fresh page moves there when the current
    page is at least half full; longer groups are split with a 「（续）」 header."""
    per_page = max(per_page, 3)
    pages: list[list[Line]] = []
    cur: list[Line] = []
    for title, rows in groups:
        pending: list[Row | None] = list(rows) or [None]
        first = True
        while pending:
            free = per_page - len(cur)
            need = 1 + len(pending)
            moves = first and need > free and need <= per_page and len(cur) >= per_page // 2
            if cur and (free < 2 or moves):
                pages.append(cur)
                cur = []
                continue
            take = min(len(pending), free - 1)
            cur.append(Line(header=title if first else f"{title}（续）"))
            cur.extend(Line(row=r) for r in pending[:take])
            pending = pending[take:]
            first = False
            if len(cur) >= per_page:
                pages.append(cur)
                cur = []
    if cur:
        pages.append(cur)
    return pages


# ---------------------------------------------------------------- job
