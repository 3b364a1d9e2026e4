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


# Line breaking as Excel and WPS do it for Chinese (禁则): a closing mark never starts a line and an
# opening mark never ends one, so each stays with its neighbour; a run of ASCII (a word, a URL, a
# number) breaks only where it must.
OPENING = "（([｛{〔【《〈「『“‘"
CLOSING = "）)]｝}〕】》〉」』”’，。、；：！？,.;:!?…%"
_UNBREAKABLE = re.compile(
    rf"[{re.escape(OPENING)}]*(?:[!-~]+|[^\s{re.escape(OPENING + CLOSING)}]|\s+)[{re.escape(CLOSING)}]*"
    rf"|[{re.escape(OPENING + CLOSING)}]+"
)


def line_count(text: str, per_line: float) -> int:
    """Lines `text` takes when wrapped at `per_line` em (at least 1): pieces that may not be broken
    (a character with its punctuation, a Latin word) are laid greedily, as many as fit on a line;
    a piece wider than a line starts a line and is broken where it must; "\n" starts a line."""
    lines = 0
    for part in text.split("\n"):
        lines += 1
        if em_width(part) <= per_line:
            continue
        used = 0.0
        for piece in _UNBREAKABLE.findall(part):
            width = em_width(piece)
            if used + width <= per_line or (used and piece.isspace()):
                used += width
                continue
            lines += used > 0  # the piece starts a new line
            if width <= per_line:
                used = width
                continue
            full, used = divmod(width, per_line)  # a long URL or number, broken across lines
            lines += int(full) - 1
            if not used:
                used = per_line
            else:
                lines += 1
    return lines


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
