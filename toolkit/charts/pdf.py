"""Drawing the Gantt pages with matplotlib (imported only when a chart is drawn).

One figure serves every page. The frame (title, month header, legend, grid) is built once;
per page only collections (bars, progress fills, milestones, bands, grid lines) and text
batches get new data. Text is the dominant cost, so table cells and labels are drawn by a
`TextBatch` artist: one artist per kind of text, laid out here from cached glyph
advances instead of one matplotlib Text (with its own layout pass) per cell.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import TypeAlias, TypeVar

import matplotlib

matplotlib.use("Agg")

import numpy as np
from matplotlib import transforms
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import Collection, LineCollection, PathCollection, PolyCollection
from matplotlib.figure import Figure

from toolkit.charts.layout import COLUMNS, MARGIN, Line, Paper, rect, wrap
from toolkit.charts.pdf_legend import RED, draw_legend
from toolkit.charts.textbatch import LINE_SPACING, Advances, TextBatch
from toolkit.charts.timeline import (
    DONE,
    STYLES,
    Row,
    add_months,
    month_label,
)
from toolkit.fonts import use_in_matplotlib
from toolkit.model.schedule import LIGHT_COLOURS
from toolkit.model.text import em_width

TOP, HEADER, STRIP, FOOTER = 0.85, 0.42, 0.2, 0.55  # title block, month header, date strip, footer

Point: TypeAlias = tuple[float, float]
Polygon: TypeAlias = list[Point]  # the corners of a box (`layout.rect`), a polyline's two ends


class PageDrawer:
    """Draws pages of `Line`s on one reused figure into a PDF (and PNGs on request)."""

    def __init__(
        self,
        paper: Paper,
        lo: date,
        hi: date,
        status_date: date,
        title: str,
        subtitle: str,
        styles: list[str],
        progress: bool = True,
    ) -> None:
        """`styles`: the STYLES the pages draw, the ones the legend lists (with the progress fill
        when `progress`)."""
        use_in_matplotlib()
        self.styles, self.progress = styles or ["plan"], progress
        self.paper, self.n = paper, paper.rows
        self.lo, self.hi, self.today = lo, hi, status_date
        self.x0, self.x1 = lo.toordinal(), hi.toordinal() + 1
        self.title = title
        self.advances = Advances()
        self._frame(title, subtitle)

    # -- the frame, built once

    def _frame(self, title: str, subtitle: str) -> None:
        p = self.paper
        W, H = p.size
        self.fig = fig = Figure(figsize=p.size)
        self.col_x = [MARGIN]
        for w in p.columns:
            self.col_x.append(self.col_x[-1] + w)
        left = self.col_x[-1]
        rows_top = TOP + HEADER + STRIP
        rows_h = H - rows_top - FOOTER
        self.row_pt = rows_h / self.n * 72
        self.font = fs = min(p.font, self.row_pt / (2 * LINE_SPACING + 0.4))  # two lines fit a row
        self.time_w_pt = (W - MARGIN - left) * 72
        ax = self.ax = fig.add_axes((left / W, FOOTER / H, (W - MARGIN - left) / W, rows_h / H))
        ax.set_xlim(self.x0, self.x1)
        ax.set_ylim(self.n, 0)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.patch.set_visible(False)
        for s in ax.spines.values():
            s.set_linewidth(0.6)
        self.tr_rows = transforms.blended_transform_factory(fig.transFigure, ax.transData)
        self.tr_head = transforms.blended_transform_factory(ax.transData, fig.transFigure)
        adv = self.advances
        self.static = TextBatch(fs, fig.transFigure, adv)
        self.big = TextBatch(15, fig.transFigure, adv)
        self.big.add(MARGIN / W, 1 - 0.38 / H, title)
        self.static.add(MARGIN / W, 1 - 0.66 / H, subtitle, "#333333")
        # Its ASCII 「|」 also keeps text extractable: poppler takes a Type 3 font's descent from its
        # glyphs, and a subset of digits alone (no descender) makes pdftotext split 「2016年」 apart.
        self.static.add(
            1 - MARGIN / W, 1 - 0.38 / H, f"制表日期 {date.today().isoformat()} | 会议用", "#9e9e9e", ha="right"
        )
        head_top, head_bot = 1 - TOP / H, 1 - (TOP + HEADER) / H
        fig.add_artist(
            PolyCollection(
                [rect(MARGIN / W, (W - MARGIN) / W, (head_top + head_bot) / 2, head_top - head_bot)],
                facecolors="#eceff1",
                edgecolors="#90a4ae",
                linewidths=0.6,
                transform=fig.transFigure,
                zorder=0,
            )
        )
        for i, name in enumerate(COLUMNS):
            self.static.add((self.col_x[i] + 0.05) / W, (head_top + head_bot) / 2, name)
        fig.add_artist(
            LineCollection(
                [[(x / W, 0), (x / W, self.n)] for x in self.col_x[:-1]],
                colors="#b0bec5",
                linewidths=0.5,
                transform=self.tr_rows,
            )
        )
        self._months(head_top, head_bot)
        self._status_line(head_bot)
        draw_legend(self.fig, self.paper, self.font, self.advances, self.styles, self.progress)
        # per page
        self.bands = _added(
            fig,
            PolyCollection(
                [],
                facecolors="#e3f2fd",
                edgecolors="none",  # over column lines
                transform=self.tr_rows,
                zorder=2.5,
            ),
        )
        self.grid = _added(fig, LineCollection([], colors="#cfd8dc", linewidths=0.4, transform=self.tr_rows))
        self.bars: dict[str, PolyCollection] = {}
        self.fills: dict[str, PolyCollection] = {}
        for key, (_, light, dark, hatch) in STYLES.items():
            bar = PolyCollection([], facecolors=light, edgecolors=dark, hatch=hatch or None, linewidths=0.6, zorder=3)
            bar.set_hatchcolor(dark)
            self.bars[key] = _added(ax, bar)
            self.fills[key] = _added(ax, PolyCollection([], facecolors=dark, edgecolors=dark, linewidths=0.6, zorder=4))
        self.spans = _added(ax, LineCollection([], linewidths=1.4, zorder=3))
        self.marks = {m: self._markers(m) for m in ("D", "<", ">")}
        self.backings = _added(
            ax, PolyCollection([], facecolors="white", edgecolors="none", alpha=0.85, zorder=7.5)
        )  # under labels drawn over a bar or across the status-date line (zorder 7)
        self.backings.set_clip_on(False)
        self.cells = _added(fig, TextBatch(fs, self.tr_rows, adv))
        self.heads = _added(fig, TextBatch(fs + 1, self.tr_rows, adv))
        self.labels = _added(ax, TextBatch(fs - 0.5, ax.transData, adv, zorder=8))
        self.labels.set_clip_on(False)
        self.page_no = _added(fig, TextBatch(fs + 1.5, fig.transFigure, adv))
        fig.add_artist(self.static)
        fig.add_artist(self.big)

    def _markers(self, marker: str) -> PathCollection:
        coll = self.ax.scatter(
            np.empty(0),
            np.empty(0),
            marker=marker,
            s=24 if marker == "D" else 28,
            zorder=5,
            linewidths=0.5,
            edgecolors="black" if marker == "D" else "none",
            color="#455a64",
        )
        coll.set_clip_on(False)
        return coll

    def _months(self, head_top: float, head_bot: float) -> None:
        ax, fs = self.ax, self.font
        starts, m = [], self.lo.replace(day=1)
        while m <= self.hi:
            starts.append(m)
            m = add_months(m, 1)
        per_month_pt = self.time_w_pt / len(starts)
        full = em_width("2016年11月") * fs + 6 <= per_month_pt
        step = max(1, math.ceil((em_width("11月") * fs + 4) / per_month_pt))
        edges = [d.toordinal() for d in starts] + [self.x1]
        shade = [rect(a, b, self.n / 2, self.n) for i, (a, b) in enumerate(pairwise(edges)) if i % 2]
        ax.add_collection(PolyCollection(shade, facecolors="#f3f5f6", edgecolors="none", zorder=0))
        ax.add_collection(
            LineCollection([[(x, 0), (x, self.n)] for x in edges[1:-1]], colors="#b0bec5", linewidths=0.5, zorder=1)
        )
        months = _added(self.fig, TextBatch(fs, self.tr_head, self.advances))
        mid, span = (head_top + head_bot) / 2, head_top - head_bot
        for i, d in enumerate(starts):
            x = (edges[i] + edges[i + 1]) / 2
            if full:
                months.add(x, mid, month_label(d), ha="center")
                continue
            if i % step == 0:
                months.add(x, head_bot + span * 0.28, f"{d.month}月", ha="center")
            if d.month == 1 or i == 0:
                months.add(edges[i] + 2, head_bot + span * 0.72, f"{d.year}年")

    def _status_line(self, head_bot: float) -> None:
        """The status-date line, labelled in its own strip between month header and rows."""
        x = self.today.toordinal()
        if not self.x0 <= x <= self.x1:
            return
        H = self.paper.size[1]
        self.ax.add_collection(
            LineCollection([[(x, 0), (x, self.n)]], colors=RED, linewidths=1.0, linestyles=[(0, (4, 2))], zorder=7)
        )
        self.fig.add_artist(
            LineCollection(
                [[(x, head_bot), (x, head_bot - STRIP / H)]], colors=RED, linewidths=1.0, transform=self.tr_head
            )
        )
        label = f"统计日期 {self.today.year}年{self.today.month}月{self.today.day}日"
        pad = 4 * (self.x1 - self.x0) / self.time_w_pt  # 4 pt in days
        width = self.advances.width(label) * self.font * (self.x1 - self.x0) / self.time_w_pt
        right = x + pad + width > self.x1  # no room right of the line: the label ends at it
        strip = TextBatch(self.font, self.tr_head, self.advances, zorder=7)
        strip.add(x - pad if right else x + pad, head_bot - STRIP / 2 / H, label, RED, ha="right" if right else "left")
        self.fig.add_artist(strip)

    # -- pages

    def save(self, pages: list[list[Line]], pdf_path: Path, png_for: Callable[[int], Path] | None = None) -> None:
        """Draw every page into one PDF (and page i also into the PNG file `png_for(i)`)."""
        from matplotlib.backends.backend_pdf import PdfPages

        with PdfPages(pdf_path, metadata={"Title": self.title, "Creator": "fengong"}) as pdf:
            for i, page in enumerate(pages, start=1):
                self.draw_page(page, i, len(pages))
                pdf.savefig(self.fig)
                if png_for is not None:
                    self.fig.savefig(png_for(i), dpi=110, format="png")

    def draw_page(self, page: list[Line], number: int, total: int) -> None:
        W = self.paper.size[0]
        fs = self.font
        col_x = self.col_x
        widths = [(w - 0.1) * 72 / fs for w in self.paper.columns]  # column widths in em
        x_left, x_right = col_x[0] / W, (W - MARGIN) / W
        self.page = _PageData()
        pd = self.page
        for batch in (self.cells, self.heads, self.labels, self.page_no):
            batch.items = []
        for slot, line in enumerate(page[: self.n]):
            y = slot + 0.5
            if slot:
                pd.grid.append([(x_left, slot), (x_right, slot)])
            if line.row is None and line.header is None:  # the slot of an empty group
                self.cells.add((col_x[1] + 0.05) / W, y, "（没有事项）", "#616161")
                continue
            if line.row is None:
                pd.bands.append(rect(x_left, x_right, y, 1))
                head = wrap(line.header or "", (W - 2 * MARGIN) * 72 / (fs + 1), 1)[0]
                self.heads.add((col_x[0] + 0.05) / W, y, head, "#0d47a1")
                continue
            r = line.row
            texts = (
                wrap(r.item_id, widths[0], 2),
                wrap(r.text, widths[1], 2),
                wrap(r.unit + ("（配合）" if r.co_unit else ""), widths[2], 2),
                wrap(r.due_label, widths[3], 2),
                self._status_lines(r, widths[4]),
            )
            for i, lines in enumerate(texts):
                ink = LIGHT_COLOURS[r.light][1] if i == 4 and r.light in LIGHT_COLOURS else "black"
                self.cells.add((col_x[i] + 0.05) / W, y, "\n".join(lines), ink)
            self._bar(r, y)
        if not page:  # never a blank page: say why
            self.heads.add((col_x[0] + 0.05) / W, 0.5, "（本页没有事项）")
        self.grid.set_segments(pd.grid)
        self.bands.set_verts(pd.bands)
        for k in STYLES:
            self.bars[k].set_verts(pd.bars[k])
            self.fills[k].set_verts(pd.fills[k])
        self.backings.set_verts(pd.backings)
        self.spans.set_segments(pd.spans)
        self.spans.set_color(pd.span_colors or "black")
        for m, coll in self.marks.items():
            coll.set_offsets(np.array(pd.marks[m], dtype=float).reshape(-1, 2))
            coll.set_visible(bool(pd.marks[m]))  # an empty PathCollection would paint its bare path
        self.marks["D"].set_facecolor(pd.diamond_colors or "black")
        self.page_no.add(1 - MARGIN / W, 0.22 / self.paper.size[1], f"第{number}页/共{total}页", ha="right")
        self.fig.stale = True

    @staticmethod
    def _status_lines(r: Row, width: float) -> list[str]:
        first = r.state_label
        if r.progress is not None and r.status not in (DONE, ""):
            first += f" {r.progress:.0%}"
        return wrap(first, width, 1) + wrap(r.pace_label, width, 1)

    def _bar(self, r: Row, y: float) -> None:
        pd = self.page
        style = r.style
        light, dark = STYLES[style][1], STYLES[style][2]
        lo, hi = self.x0, self.x1
        span = hi - lo
        label = ""
        lx: float | None = None
        if r.start and (r.end or r.open_end):
            a = r.start.toordinal()
            b = hi if r.open_end or r.end is None else r.end.toordinal() + 1
            ca, cb = max(a, lo), min(b, hi)
            if r.kind == "recurring" and r.milestones:
                if cb > ca:
                    pd.spans.append([(ca, y), (cb, y)])
                    pd.span_colors.append(dark)
                    lx = cb
            elif cb > ca:
                h = 0.3 if r.kind == "recurring" else 0.5
                pd.bars[style].append(rect(ca, cb, y, h))
                if r.progress:
                    pb = min(a + (b - a) * r.progress, hi)
                    if pb > ca:
                        pd.fills[style].append(rect(ca, pb, y, h))
                lx = cb
            if b <= lo:
                pd.marks["<"].append((lo, y))
                label, lx = f"截止{r.due_label}", lo + span * 0.01
            elif a >= hi:
                pd.marks[">"].append((hi, y))
                label, lx = f"{r.start.isoformat()}起", hi
            elif r.open_end or b > hi:  # open-ended, or running on past the range
                pd.marks[">"].append((hi, y))
        for m in r.milestones:
            x = m.toordinal() + 0.5
            if lo <= x <= hi:
                pd.marks["D"].append((x, y))
                pd.diamond_colors.append(light)
        if not label:
            parts = []
            if r.progress is not None and r.status != DONE and r.kind not in ("recurring", "year_round"):
                parts.append(f"{r.progress:.0%}")
            if r.overdue_days:
                parts.append(f"逾期{r.overdue_days}天")
            if r.note:
                parts.append(r.note)
            if not (r.start and (r.end or r.open_end)):
                parts.append("未定时限" if r.kind == "none" else r.due_label)
            label = " ".join(parts)
        if not label:
            return
        in_open_bar = bool(r.open_end and r.start and r.start.toordinal() < hi)  # the trigger text
        if in_open_bar and r.start:
            lx = max(r.start.toordinal(), lo)
        elif lx is None:
            lx = lo
        size = self.labels.size
        pad = span * 3 / self.time_w_pt
        label = wrap(label, self.time_w_pt / size - 1, 1)[0]
        width = self.advances.width(label) * size * span / self.time_w_pt
        colour = RED if r.overdue_days else "#263238"
        over_bar = in_open_bar or lx + pad + width > hi
        at = (lx + pad if in_open_bar else max(lx - pad - width, lo)) if over_bar else lx + pad
        if over_bar or at <= self.today.toordinal() <= at + width:  # on a light backing, over the status line too
            pd.backings.append(rect(at - pad / 2, at + width + pad / 2, y, size * 1.5 / self.row_pt))
        self.labels.add(at, y, label, colour)


class _PageData:
    """The geometry of one page, collected row by row, then handed to the collections."""

    def __init__(self) -> None:
        self.grid: list[Polygon] = []  # row separators
        self.bands: list[Polygon] = []  # group header rows
        self.spans: list[Polygon] = []  # recurring work's lines
        self.span_colors: list[str] = []
        self.diamond_colors: list[str] = []
        self.backings: list[Polygon] = []  # under labels
        self.bars: dict[str, list[Polygon]] = {k: [] for k in STYLES}
        self.fills: dict[str, list[Polygon]] = {k: [] for k in STYLES}
        self.marks: dict[str, list[Point]] = {"D": [], "<": [], ">": []}


A = TypeVar("A", bound=Artist)


def _added(parent: Figure | Axes, artist: A) -> A:
    """`artist`, added to a figure or axes (collections on axes as collections, for clipping)."""
    if isinstance(parent, Axes) and isinstance(artist, Collection):
        parent.add_collection(artist)
    else:
        parent.add_artist(artist)
    return artist
