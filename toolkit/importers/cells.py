"""Cell text: clean what extraction did to it, split numbered requirements and <p> paragraphs."""

from __future__ import annotations

import re

CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》（）、"
SPACE_NEAR_CJK_RE = re.compile(rf"(?<=[{CJK}])\s+|\s+(?=[{CJK}])")
P_TAG_RE = re.compile(r"<p>(.*?)</p>", re.DOTALL)
TAG_RE = re.compile(r"</?p>")
# 「1．」「2.」「3、」 at the start of the text or after a sentence end / whitespace.
MARKER_RE = re.compile(r"(?:^|(?<=[\s。；;！!]))(\d{1,2})\s*[.．、](?!\d)")
DIGITS_RE = re.compile(r"^\s*(\d{1,3})\s*[.．、]?\s*$")


def clean(text: str) -> str:
    """One line of text: line breaks and spaces next to Chinese characters removed."""
    text = TAG_RE.sub(" ", text or "")
    text = SPACE_NEAR_CJK_RE.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def clean_title(text: str) -> str:
    """A task title; a title repeated on two lines of its cell (「强化考核监督\\n强化考核监督」) once."""
    lines = [clean(line) for line in (text or "").split("\n") if line.strip()]
    if lines and all(line == lines[0] for line in lines):
        return lines[0]
    return clean(text)


def paragraphs(text: str) -> list[str]:
    """The `<p>…</p>` paragraphs of a cell, or the whole cell as one paragraph."""
    found = [p for p in P_TAG_RE.findall(text or "") if p.strip()]
    return found or ([text] if (text or "").strip() else [])


def split_numbered(text: str) -> list[tuple[int | None, str]]:
    """Split 「1．… 2．…」 (or `<p>` paragraphs) into (number, text) parts.

    Only a run of markers counting up from the one at the very start splits the text, so
    「每年不少于1次」 or 「2016.12」 never do. An unnumbered text is one part with number None.
    """
    parts: list[tuple[int | None, str]] = []
    for para in paragraphs(text):
        parts.extend(_split_one(para.strip()))
    return parts


def _split_one(text: str) -> list[tuple[int | None, str]]:
    markers = list(MARKER_RE.finditer(text))
    if not markers or markers[0].start() != 0:
        return [(None, clean(text))] if clean(text) else []
    chain = [markers[0]]
    for m in markers[1:]:
        if int(m[1]) == int(chain[-1][1]) + 1:
            chain.append(m)
    parts: list[tuple[int | None, str]] = []
    for i, m in enumerate(chain):
        end = chain[i + 1].start() if i + 1 < len(chain) else len(text)
        parts.append((int(m[1]), clean(text[m.end() : end])))
    return parts


def number(cell: str) -> str:
    """The task number in a 序号 cell (「3」「3.」「 3 」), or "" if the cell holds none."""
    m = DIGITS_RE.match(cell or "")
    return m[1] if m else ""


def snippet(text: str, width: int = 24) -> str:
    """The start of a text, for messages."""
    text = clean(text)
    return text if len(text) <= width else text[:width] + "…"
