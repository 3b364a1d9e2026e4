"""Plain-text tables for the terminal, aligned by display width (CJK counts two). Stdlib only."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def display_width(text: str) -> int:
    """Columns a terminal gives `text`: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def text_table(rows: Sequence[Sequence[str]], right: frozenset[int] = frozenset()) -> str:
    """`rows` (the first is the header) as columns two spaces apart with a rule under the header.

    Columns in `right` are right-aligned; the last column is left unpadded.
    """
    count = max(len(r) for r in rows)
    rows = [list(r) + [""] * (count - len(r)) for r in rows]
    widths = [max(display_width(r[i]) for r in rows) for i in range(count)]

    def line(cells: Sequence[str]) -> str:
        out = []
        for i, (cell, width) in enumerate(zip(cells, widths)):
            gap = " " * (width - display_width(cell)) if i < count - 1 or i in right else ""
            out.append(gap + cell if i in right else cell + gap)
        return "  ".join(out).rstrip()

    return "\n".join([line(rows[0]), "  ".join("-" * w for w in widths), *(line(r) for r in rows[1:])])
