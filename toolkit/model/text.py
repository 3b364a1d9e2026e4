"""How wide text is — the one rule for terminals, chart labels and row heights — and plain-text
tables for the terminal. Stdlib only."""

from __future__ import annotations

import re
from collections.abc import Sequence

# East Asian Wide and Fullwidth characters (Unicode's east_asian_width W/F) of the blocks office
# text uses: CJK, kana, Hangul, full-width forms, CJK punctuation, emoji; as one regex because
# it runs per cell of a 30,000-row summary (tests compare it with unicodedata).
_WIDE = re.compile(
    "[\u1100-\u115f\u231a\u231b\u2329\u232a\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe\u2614\u2615"
    "\u2e80-\u303e\u3041-\u3247\u3250-\u4dbf\u4e00-\ua4cf\ua960-\ua97f\uac00-\ud7a3"
    "\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6"
    "\U0001f300-\U0001f64f\U0001f900-\U0001f9ff\U00020000-\U0003fffd]"
)
NARROW_EM = 0.55  # a Latin letter or digit of the shipped font, in em (a CJK character is 1)


def wide_count(text: str) -> int:
    """How many characters of `text` are wide (CJK, full-width)."""
    return 0 if text.isascii() else len(_WIDE.findall(text))


def display_width(text: str) -> int:
    """Columns a terminal gives `text`: wide characters take two."""
    return len(text) + wide_count(text)


def em_width(text: str) -> float:
    """Printed width in em of a CJK font: wide characters 1, others `NARROW_EM`."""
    wide = wide_count(text)
    return wide + NARROW_EM * (len(text) - wide)


def em_prefix(text: str, limit: float, room: float = 0.0) -> int:
    """Length of the longest prefix of `text` whose `em_width` + `room` is at most `limit`, in one
    pass: the width is kept as counts of wide and narrow characters, so each step compares exactly
    what `em_width` of that prefix gives (the same floats) instead of re-measuring the prefix."""
    wide = 0
    for n, ch in enumerate(text):
        w = wide + (not ch.isascii() and _WIDE.match(ch) is not None)
        if w + NARROW_EM * (n + 1 - w) + room > limit:
            return n
        wide = w
    return len(text)


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
