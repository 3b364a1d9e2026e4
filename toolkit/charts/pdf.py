"""Drawing the Gantt pages with matplotlib (imported only when a chart is drawn).

One figure serves every page. The frame (title, month header, legend, grid) is built once;
per page only collections (bars, progress fills, milestones, bands, grid lines) and text
batches get new data. Text is the dominant cost, so table cells and labels are drawn by a
`TextBatch` artist: one artist per kind of text, laid out here from cached glyph
advances instead of one matplotlib Text (with its own layout pass) per cell.
"""

from __future__ import annotations

import math
import warnings
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import TypeVar

import matplotlib

matplotlib.use("Agg")

import numpy as np
from matplotlib import transforms
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import Collection, LineCollection, PathCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import (
    FT2Font,
    LoadFlags,
)
from matplotlib.markers import MarkerStyle

from toolkit.charts.layout import COLUMNS, Line, Paper, wrap
from toolkit.charts.pdf_text import PdfTextWriter
from toolkit.charts.timeline import (
    DONE,
    STYLES,
    Row,
    add_months,
    month_label,
)
from toolkit.fonts import font_path, use_in_matplotlib
from toolkit.model.schedule import LIGHT_COLOURS
from toolkit.model.text import em_width

MARGIN = 0.4  # inches
TOP, HEADER, STRIP, FOOTER = 0.85, 0.42, 0.2, 0.55  # title block, month header, date strip, footer
LINE_SPACING = 1.22
CENTRE = 0.38  # the middle of a CJK glyph's ink, in em above the baseline
RED = STYLES["overdue"][2]


class Advances:
    """Glyph indices and advances (em) of the shipped font, cached per character."""

    def __init__(self):
        self.font = FT2Font(str(font_path()))  # its own instance: sizes set here must not touch the renderer's
        self.font.set_size(100, 72)
        self.cache: dict[str, tuple[int, float]] = {}

    def glyph(self, c: str) -> tuple[int, float]:
        """(glyph index, advance in em); index 0 means the font lacks the character."""
        g = self.cache.get(c)
        if g is None:
            index = self.font.get_char_index(ord(c))
            advance = 1.0  # a character the font lacks: drawn by a fallback font, about 1 em
            if not index:  # TextBatch skips matplotlib's text metrics, which would warn
                name = c.encode("ascii", "namereplace").decode("ascii")
                warnings.warn(
                    f"Glyph {ord(c)} ({name}) missing from font(s) {self.font.family_name}.", UserWarning, stacklevel=2
                )
            else:
                advance = self.font.load_char(ord(c), flags=LoadFlags.NO_HINTING).linearHoriAdvance / 65536 / 100
            g = self.cache[c] = (index, advance)
        return g

    def width(self, text: str) -> float:
        return sum(self.glyph(c)[1] for c in text)


class TextBatch(Artist):
    """Many short texts in one artist: (x, y, text, colour, ha) with va centred, one font size.

    Lines of a multi-line text are `LINE_SPACING` em apart, centred together on y. Into a
    PDF, lines are written with the glyph indices and advances cached in `Advances` (see
    `toolkit.charts.pdf_text`); elsewhere, and for any line with a character the font lacks, through the
    renderer's own `draw_text` (which handles fallback fonts and warns of missing glyphs).
    """

    def __init__(self, size: float, transform, advances: Advances, zorder: float = 6):
        super().__init__()
        self.size = size
        self.prop = FontProperties(size=size)
        self.items: list[tuple[float, float, str, str, str]] = []
        self.advances = advances
        self.set_transform(transform)
        self.set_zorder(zorder)

    def add(self, x: float, y: float, text: str, color: str = "black", ha: str = "left") -> None:
        if text:
            self.items.append((x, y, text, color, ha))

    def draw(self, renderer) -> None:
        if not self.items or not self.get_visible():
            return
        px = renderer.points_to_pixels(self.size)
        pitch = px * LINE_SPACING
        gc = renderer.new_gc()
        fast = PdfTextWriter.open(renderer, self.prop, self.advances)
        flip, height = renderer.flipy(), renderer.get_canvas_width_height()[1]
        xy = self.get_transform().transform([(x, y) for x, y, *_ in self.items])
        for (x, y), (_, _, text, color, ha) in zip(xy, self.items):
            gc.set_foreground(color)
            lines = text.split("\n")
            base = y - CENTRE * px + pitch * (len(lines) - 1) / 2
            for line in lines:
                dx = 0.0 if ha == "left" else self.advances.width(line) * px * (0.5 if ha == "center" else 1)
                if flip:  # raster renderers count y from the top
                    renderer.draw_text(gc, x - dx, height - base, line, self.prop, 0)
                elif not (fast and fast.draw(gc, x - dx, base, line)):
                    renderer.draw_text(gc, x - dx, base, line, self.prop, 0)
                base -= pitch
        gc.restore()
        self.stale = False


class PageDrawer:
    """Draws pages of `Line`s on one reused figure into a PDF (and PNGs on request)."""

    def __init__(
        self, paper: Paper, lo: date, hi: date, status_date: date, title: str, subtitle: str, styles: list[str]
    ):
        """`styles`: the STYLES the pages draw, the ones the legend lists."""
        use_in_matplotlib()
        self.styles = styles or ["plan"]
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
                [_rect(MARGIN / W, (W - MARGIN) / W, (head_top + head_bot) / 2, head_top - head_bot)],
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
        self._legend()
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
            ax, PolyCollection([], facecolors="white", edgecolors="none", alpha=0.85, zorder=5.5)
        )  # under labels drawn over a bar
        self.backings.set_clip_on(False)
        self.cells = _added(fig, TextBatch(fs, self.tr_rows, adv))
        self.heads = _added(fig, TextBatch(fs + 1, self.tr_rows, adv))
        self.labels = _added(ax, TextBatch(fs - 0.5, ax.transData, adv))
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
        shade = [_rect(a, b, self.n / 2, self.n) for i, (a, b) in enumerate(pairwise(edges)) if i % 2]
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

    def _legend(self) -> None:
        """Swatches (same hatches as the bars) and labels along the bottom, wrapped into a
        second line on narrow paper, clear of the page number at the right."""
        W, H = self.paper.size
        fs, fig = self.font, self.fig
        sw, sh = 0.3 / W, 0.13 / H
        entries: list[tuple[tuple[str, ...], str]] = [
            (("bar", *STYLES[key][1:]), STYLES[key][0]) for key in self.styles
        ]
        entries += [
            (("progress", *STYLES[self.styles[0]][1:3]), "实心部分为完成进度"),
            (("diamond",), "时点 / 定期工作的每次节点"),
            (("line",), "统计日期"),
            (("open",), "视情况而定（不定期限）"),
        ]
        labels = TextBatch(fs, fig.transFigure, self.advances)
        limit = (W - MARGIN - 1.3) / W  # the page number sits right of this
        x, y = MARGIN / W, 0.3 / H
        polys, faces, edges, hatches = [], [], [], []
        for swatch, label in entries:
            step = sw + (self.advances.width(label) * fs / 72 + 0.35) / W
            if x + step > limit and x > MARGIN / W:
                x, y = MARGIN / W, 0.12 / H
            kind = swatch[0]
            if kind == "bar":
                polys.append(_rect(x, x + sw, y, sh))
                faces.append(swatch[1])
                edges.append(swatch[2])
                hatches.append(swatch[3])
            elif kind == "progress":
                polys += [_rect(x, x + sw * 0.6, y, sh), _rect(x + sw * 0.6, x + sw, y, sh)]
                faces += [swatch[2], swatch[1]]
                edges += [swatch[2], swatch[2]]
                hatches += ["", ""]
            elif kind == "diamond":
                fig.add_artist(_marker("D", (x + sw / 2, y), fig.transFigure, STYLES[self.styles[0]][1], "black"))
            elif kind == "line":
                fig.add_artist(
                    LineCollection(
                        [[(x, y), (x + sw, y)]],
                        colors=RED,
                        linewidths=1.0,
                        linestyles=[(0, (4, 2))],
                        transform=fig.transFigure,
                    )
                )
            else:
                polys.append(_rect(x, x + sw, y, sh))
                faces.append("white")  # the shape, not a state: the bar is drawn in its row's state
                edges.append("#455a64")
                hatches.append("")
                fig.add_artist(_marker(">", (x + sw, y), fig.transFigure, "#455a64", "none"))
            labels.add(x + sw + 0.06 / W, y, label)
            x += step
        for poly, face, edge, hatch in zip(polys, faces, edges, hatches):  # one per hatch: few, static
            patch = PolyCollection(
                [poly], facecolors=face, edgecolors=edge, hatch=hatch or None, linewidths=0.6, transform=fig.transFigure
            )
            patch.set_hatchcolor(edge)
            fig.add_artist(patch)
        fig.add_artist(labels)

    # -- pages

    def save(self, pages: list[list[Line]], pdf_path: Path, png_stem: Path | None = None) -> list[Path]:
        """Draw every page into one PDF (and one PNG per page when png_stem is given)."""
        from matplotlib.backends.backend_pdf import PdfPages

        pngs = []
        with PdfPages(pdf_path, metadata={"Title": self.title, "Creator": "fengong"}) as pdf:
            for i, page in enumerate(pages, start=1):
                self.draw_page(page, i, len(pages))
                pdf.savefig(self.fig)
                if png_stem is not None:
                    png = png_stem.parent / f"{png_stem.name}-{i}.png"
                    self.fig.savefig(png, dpi=110)
                    pngs.append(png)
        return pngs

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
                pd.bands.append(_rect(x_left, x_right, y, 1))
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
                pd.bars[style].append(_rect(ca, cb, y, h))
                if r.progress:
                    pb = min(a + (b - a) * r.progress, hi)
                    if pb > ca:
                        pd.fills[style].append(_rect(ca, pb, y, h))
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
        if in_open_bar or lx + pad + width > hi:  # over the bar: on a light backing
            at = lx + pad if in_open_bar else max(lx - pad - width, lo)
            pd.backings.append(_rect(at - pad / 2, at + width + pad / 2, y, size * 1.5 / self.row_pt))
            self.labels.add(at, y, label, colour)
        else:
            self.labels.add(lx + pad, y, label, colour)


class _PageData:
    """The geometry of one page, collected row by row, then handed to the collections."""

    def __init__(self):
        self.grid, self.bands, self.spans, self.span_colors, self.diamond_colors, self.backings = [], [], [], [], [], []
        self.bars = {k: [] for k in STYLES}
        self.fills = {k: [] for k in STYLES}
        self.marks = {"D": [], "<": [], ">": []}


def _marker(marker: str, xy: tuple[float, float], transform, face: str, edge: str) -> PathCollection:
    """One marker at a point given in `transform` coordinates (for the legend)."""
    style = MarkerStyle(marker)
    return PathCollection(
        [style.get_path().transformed(style.get_transform())],
        sizes=[26],
        offsets=[xy],
        offset_transform=transform,
        transform=transforms.IdentityTransform(),
        facecolors=face,
        edgecolors=edge,
        linewidths=0.5,
    )


def _rect(a: float, b: float, y: float, h: float):
    return [(a, y - h / 2), (a, y + h / 2), (b, y + h / 2), (b, y - h / 2)]


A = TypeVar("A", bound=Artist)


def _added(parent: Figure | Axes, artist: A) -> A:
    """`artist`, added to a figure or axes (collections on axes as collections, for clipping)."""
    if isinstance(parent, Axes) and isinstance(artist, Collection):
        parent.add_collection(artist)
    else:
        parent.add_artist(artist)
    return artist
