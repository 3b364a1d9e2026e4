"""Text drawn by the batch on the Gantt pages: many short texts in one matplotlib artist, laid
out from the shipped font's cached glyph advances (a matplotlib Text per table cell, with its own
layout pass, made text most of a chart's drawing time)."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, cast

from matplotlib.artist import Artist
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font, LoadFlags

from toolkit.charts.pdf_text import PdfTextWriter
from toolkit.fonts import font_path

if TYPE_CHECKING:
    from matplotlib.backend_bases import RendererBase
    from matplotlib.ft2font import GlyphIndexType
    from matplotlib.transforms import Transform

LINE_SPACING = 1.22
CENTRE = 0.38  # the middle of a CJK glyph's ink, in em above the baseline


class Advances:
    """Glyph indices and advances (em) of the shipped font, cached per character."""

    def __init__(self) -> None:
        self.font = FT2Font(str(font_path()))  # its own instance: sizes set here must not touch the renderer's
        self.font.set_size(100, 72)
        self.cache: dict[str, tuple[GlyphIndexType, float]] = {}

    def glyph(self, c: str) -> tuple[GlyphIndexType, float]:
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

    def __init__(self, size: float, transform: Transform, advances: Advances, zorder: float = 6) -> None:
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

    def draw(self, renderer: RendererBase) -> None:
        if not self.items or not self.get_visible():
            return
        px = cast(float, renderer.points_to_pixels(self.size))  # typed for arrays: a float in is a float out
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
