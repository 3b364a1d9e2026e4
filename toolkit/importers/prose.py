"""Prose plans: numbered headings and paragraphs that end with the responsible units.

An item is a paragraph ending with 「（责任单位：…）」 or 「（…牵头落实）」「（…分别落实）」; the
nearest headings 「一、…」 and 「（一）…」 give its task and its id (一（二）3 → 1-2-3).
Paragraphs without such an ending (cover letter, preamble) are not items.
"""

from __future__ import annotations

import re

from toolkit.importers.cells import clean
from toolkit.importers.table import Draft
from toolkit.model.numerals import cn_int
from toolkit.model.units import parse_units

H1_RE = re.compile(r"^([一二三四五六七八九十]+)[、.．]\s*(.+)$")
H1_DIGIT_RE = re.compile(r"^(\d{1,2})、\s*(.{2,30})$")
H2_RE = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]\s*(.*)$")
ITEM_NUM_RE = re.compile(r"^(\d{1,2})\s*[.．、](?!\d)\s*")
TAIL_RE = re.compile(r"[（(]((?:[^（）()]|[（(][^（）()]*[）)])+)[）)][。.]?$")
UNIT_MARK_RE = re.compile(r"^责任(?:单位|部门)[:：]\s*(.+)$")
DUTY_END_RE = re.compile(r"(牵头|落实|负责|配合)$")


def units_tail(paragraph: str) -> tuple[str, str] | None:
    """(text before, units text) if a paragraph ends with a responsible-units parenthesis."""
    m = TAIL_RE.search(paragraph.strip())
    if not m:
        return None
    inner = m[1].strip()
    marked = UNIT_MARK_RE.match(inner)
    if marked:
        return paragraph.strip()[: m.start()].strip(), marked[1]
    if DUTY_END_RE.search(inner) and len(inner) <= 120:
        return paragraph.strip()[: m.start()].strip(), inner
    return None


def read_prose(paragraphs: list[str]) -> list[Draft]:
    """Draft items of a prose plan, in order."""
    drafts: list[Draft] = []
    section = sub = None
    section_title = sub_title = ""
    index = 0
    for n, para in enumerate(paragraphs, start=1):
        text = clean(para)
        tail = units_tail(text)
        h1 = H1_RE.match(text) or H1_DIGIT_RE.match(text)
        h2 = H2_RE.match(text)
        if h1 and not tail:
            section, section_title, sub, sub_title, index = cn_int(h1[1]), clean(h1[2]), None, "", 0
            continue
        if h2:
            sub, index = cn_int(h2[1]), 0
            body = h2[2]
            if not tail:
                sub_title = body.rstrip("。.")
                continue
            head, _, rest = body.partition("。")
            sub_title = head
            text = rest if rest.strip() and units_tail(rest) else body
            tail = units_tail(text)
        if not tail:
            continue
        body, units_text = tail
        m = ITEM_NUM_RE.match(body)
        index = int(m[1]) if m and int(m[1]) > index else index + 1
        body = body[m.end():] if m else body
        units = parse_units(units_text)
        ids = [str(x) for x in (section, sub) if x is not None] + [str(index)]
        context = {"所属部分": section_title} if sub is not None and section_title else {}
        drafts.append(Draft("-".join(ids), sub_title or section_title, body, units.lead, units.co,
                            "", "", context, f"第{n}段"))
    return drafts
