"""The one place that knows matplotlib's PDF backend internals: writing text the fast way.

matplotlib 3.11's `RendererPdf.draw_text` shapes and loads every glyph of every string; a chart
is mostly short table texts, so `PdfTextWriter` writes them from cached glyph data with the same
operators, glyph tracking and font subsets. On any other matplotlib version, renderer or font
setting `open` returns None and callers use the public `draw_text` (tests/test_gantt.py checks
both, and fails when a matplotlib upgrade silently loses the fast path).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import matplotlib

from toolkit.fonts import font_path

if TYPE_CHECKING:
    from matplotlib.backend_bases import GraphicsContextBase, RendererBase
    from matplotlib.backends._backend_pdf_ps import CharacterTracker
    from matplotlib.backends.backend_pdf import Name, Op, PdfFile, RendererPdf
    from matplotlib.font_manager import FontPath, FontProperties
    from matplotlib.ft2font import FT2Font, GlyphIndexType


class Glyphs(Protocol):
    def glyph(self, c: str) -> tuple[GlyphIndexType, float]: ...


class PdfOutput(Protocol):
    """What `PdfTextWriter.draw` calls of matplotlib's `PdfFile`, whose methods are unannotated:
    assigning a `PdfFile` to it checks that they are still there."""

    def output(self, *data: object) -> None: ...
    def fontName(self, fontprop: FontPath, subset: int = ...) -> Name: ...


class PdfTextWriter:
    """Writes a line of text into matplotlib's PDF the way its `draw_text` does for Type 3
    fonts (same glyph tracking, subsets and operators) but from cached glyph data, without
    shaping and loading every glyph again: text is most of a chart's drawing time.

    Relies on internals of matplotlib 3.11's PDF backend; `open` returns None (and the
    public `draw_text` is used) on any other version or renderer.
    """

    @classmethod
    def open(cls, renderer: RendererBase, prop: FontProperties, advances: Glyphs) -> PdfTextWriter | None:
        from matplotlib.backends import backend_pdf
        from matplotlib.font_manager import FontPath

        base = getattr(renderer, "_renderer", renderer)  # savefig wraps it in a MixedModeRenderer
        if (
            not isinstance(base, backend_pdf.RendererPdf)
            or not matplotlib.__version__.startswith("3.11.")
            or matplotlib.rcParams["pdf.fonttype"] != 3
            or matplotlib.rcParams["pdf.use14corefonts"]
        ):
            return None
        # The unannotated helper `draw_text` itself gets the font from: an FT2Font sized to `prop`.
        font: FT2Font = base._get_font_ttf(prop)  # type: ignore[no-untyped-call]
        fname = os.fsdecode(font.fname)
        if Path(fname) != font_path():
            return None
        return cls(base, font, prop.get_size_in_points(), FontPath(fname, font.face_index), advances)

    def __init__(self, base: RendererPdf, font: FT2Font, size: float, path: FontPath, advances: Glyphs) -> None:
        from matplotlib.backends import backend_pdf

        self.base, self.advances = base, advances
        file: PdfFile = base.file
        self.file: PdfOutput = file
        self.font, self.size, self.font_path = font, size, path
        self.op: type[Op] = backend_pdf.Op
        tracker: CharacterTracker = file._character_tracker
        self.track = tracker.track_glyph

    def draw(self, gc: GraphicsContextBase, x: float, y: float, line: str) -> bool:
        """Write `line` with its baseline starting at (x, y); False if the font lacks a glyph."""
        glyphs = [self.advances.glyph(c) for c in line]
        if any(index == 0 for index, _ in glyphs):
            return False
        op, out, size = self.op, self.file.output, self.size
        self.base.check_gc(gc, gc.get_rgb())  # type: ignore[no-untyped-call]  # unannotated: sets colour, width, dashes
        out(op.gsave)
        out(1, 0, 0, 1, x, y, op.concat_matrix)
        out(op.begin_text)
        chunk, subset_now, start, pos = bytearray(), None, 0.0, 0.0
        for c, (index, advance) in zip(line, glyphs):
            subset, charcode = self.track(self.font, c, index)
            if subset != subset_now:
                if chunk:
                    out([bytes(chunk)], op.showkern)
                    chunk.clear()
                out(self.file.fontName(self.font_path, subset), size, op.selectfont)
                out(pos - start, 0, op.textpos)
                subset_now, start = subset, pos
            chunk.append(charcode)
            pos += advance * size
        if chunk:
            out([bytes(chunk)], op.showkern)
        out(op.end_text)
        out(op.grestore)
        return True
