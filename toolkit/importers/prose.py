"""Prose plans: numbered headings and paragraphs that end with the responsible units.

An item is a paragraph ending with a units clause — 「（责任单位：…）」「（…牵头落实）」
「（…分别负责落实）」「[牵头单位:…;责任单位:…]」「〔牵头单位:…,责任单位:…〕」「（责任领导:…;牵头单位:…）」 —
or a numbered paragraph (or 「（一）…」 heading) followed by lines of units such as
「牵头单位：…」「责任单位：…」「协同责任单位：…」「牵头负责领导：…」 (a person, kept in context).
A paragraph with several clauses inside is several items. A units clause on a line of its own
closes the paragraphs above it that have none, back to the last 「1.…」 or 「（一）…。…」: points
「(1)…」「(2)…」 under 「1.…」 become one item each, with 「1.…」 as their task; otherwise the text
(such as the sentence left after a paragraph's last clause) is one item. The nearest headings 「一、…」 and
「（一）…」 give its task and its id (一（二）3 → 1-2-3). Paragraphs without units are not items.
"""

from __future__ import annotations

import re

from toolkit.importers.cells import clean
from toolkit.importers.headers import role_of
from toolkit.importers.rows import Draft
from toolkit.model.numerals import cn_int
from toolkit.model.units import Units, parse_units

H1_RE = re.compile(r"^([一二三四五六七八九十]+)[、.．]\s*(.+)$")
H1_DIGIT_RE = re.compile(r"^(\d{1,2})、\s*(.{2,30})$")
H2_RE = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]\s*(.*)$")
ITEM_NUM_RE = re.compile(r"^(\d{1,2})\s*[.．、](?!\d)\s*")
SUB_POINT_RE = re.compile(r"^[（(]\d{1,2}[）)]\s*")
TAIL_RE = re.compile(r"[（(〔\[【]((?:[^（）()〔〕\[\]【】]|[（(][^（）()]*[）)])+)[）)〕\]】][。.；;]?$")
CLAUSE_RE = re.compile(r"[（(〔\[【]((?:[^（）()〔〕\[\]【】]|[（(][^（）()]*[）)])+)[）)〕\]】][。.；;]?")
LABEL_RE = re.compile(r"^\s*([\u4e00-\u9fff]{2,8})\s*[:：]\s*(.*)$", re.DOTALL)
LABEL_SPLIT_RE = re.compile(r"[;；,，、]\s*(?=[\u4e00-\u9fff]{2,8}\s*[:：])")
DUTY_END_RE = re.compile(r"(牵头|落实|负责|配合)$")
UNIT_ROLES = ("lead", "co", "leader")


def labelled(text: str) -> list[tuple[str, str, str]] | None:
    """「牵头单位:X;责任单位:Y」 → [(role, label, X), …]; None unless every part is labelled."""
    parts = [p for p in LABEL_SPLIT_RE.split(text.strip()) if p.strip()]
    out = []
    for part in parts:
        m = LABEL_RE.match(part)
        role = role_of(m[1]) if m else None
        if m is None or role not in UNIT_ROLES:
            return None
        out.append((role, m[1], m[2].strip().rstrip("。.；;")))
    return out or None


def clause_units(inner: str) -> Units | None:
    """The units of a clause's inner text, or None if it is not a units clause."""
    inner = inner.strip()
    parts = labelled(inner)
    if parts:
        return units_of(parts)
    if DUTY_END_RE.search(inner) and len(inner) <= 120:
        return parse_units(inner)
    return None


def units_of(parts: list[tuple[str, str, str]]) -> Units:
    """Units from labelled parts: 牵头… leads; 责任单位 leads unless a 牵头 label is there too."""
    has_lead_label = any(role == "lead" and "牵头" in label for role, label, _ in parts)
    out = Units()
    for role, label, value in parts:
        if role == "leader":
            out.notes.append(f"{label}：{value}")
            continue
        units = parse_units(value)
        if role == "co" or (has_lead_label and "牵头" not in label):
            out.co += [u for u in units.lead + units.co if u not in out.co]
        elif "牵头" in label:
            out.lead += [u for u in units.lead + units.co if u not in out.lead]
        else:
            out.lead += units.lead
            out.co += units.co
    out.co = [u for u in out.co if u not in out.lead]
    return out


def units_tail(paragraph: str) -> tuple[str, Units] | None:
    """(text before, units) if a paragraph ends with a responsible-units clause."""
    m = TAIL_RE.search(paragraph.strip())
    if not m:
        return None
    units = clause_units(m[1])
    return (paragraph.strip()[: m.start()].strip(), units) if units else None


def split_clauses(text: str) -> list[tuple[str, Units]]:
    """A paragraph with several units clauses inside → (text, units) per clause."""
    out, start = [], 0
    for m in CLAUSE_RE.finditer(text):
        units = clause_units(m[1])
        if units is None:
            continue
        out.append((text[start : m.start()].strip(), units))
        start = m.end()
    if len(out) < 2 or text[start:].strip():
        return []
    return out


def closing_run(open_paras: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The paragraphs a units clause standing on its own line closes: back to the last one that
    opens an item (「1.…」 or 「（一）…。…」), or only the paragraph right above."""
    starts = [i for i, (_, text) in enumerate(open_paras) if ITEM_NUM_RE.match(text) or H2_RE.match(text)]
    return open_paras[starts[-1] :] if starts else open_paras[-1:]


def read_prose(paragraphs: list[str]) -> list[Draft]:
    """Draft items of a prose plan, in order."""
    drafts: list[Draft] = []
    section: int | None = None
    sub: int | None = None
    section_title = sub_title = ""
    index = 0
    last: tuple[int, str, bool] | None = None  # a paragraph that may take the unit lines below it
    pending: Draft | None = None  # the item the unit lines below attach to
    open_paras: list[tuple[int, str]] = []  # paragraphs without units since the last item or heading
    for n, para in enumerate(paragraphs, start=1):
        text = clean(para)
        line = labelled(text) if len(text) <= 300 else None
        if line:
            if pending is None and last is not None:
                pn, body, is_heading = last
                if is_heading:
                    ids = [str(x) for x in (section, sub) if x is not None]
                    pending = _draft(ids, section_title, body, Units(), section_title if sub else "", pn)
                else:
                    m = ITEM_NUM_RE.match(body)
                    index = int(m[1]) if m and int(m[1]) > index else index + 1
                    ids = [str(x) for x in (section, sub) if x is not None] + [str(index)]
                    pending = _draft(
                        ids,
                        sub_title or section_title,
                        body[m.end() :] if m else body,
                        Units(),
                        section_title if sub is not None else "",
                        pn,
                    )
                drafts.append(pending)
                last = None
            if pending is not None:
                _attach(pending, line)
            open_paras = []
            continue
        pending, last = None, None
        tail = units_tail(text)
        if tail and not tail[0] and open_paras:
            run, open_paras = closing_run(open_paras), []
            (head_n, head), points = run[0], run[1:]
            m = ITEM_NUM_RE.match(head)
            if m and len(points) >= 2 and all(SUB_POINT_RE.match(p) for _, p in points):
                # 「1.完善应急预案体系」 (1)… (2)… (责任单位：…): one item per point, the heading their task
                index = int(m[1]) if int(m[1]) > index else index + 1
                ids = [str(x) for x in (section, sub) if x is not None] + [str(index)]
                for k, (pn, point) in enumerate(points, start=1):
                    body = SUB_POINT_RE.sub("", point)
                    drafts.append(
                        _draft([*ids, str(k)], head[m.end() :], body, tail[1], sub_title or section_title, pn)
                    )
                continue
            n, text = head_n, "".join(p for _, p in run) + text
            tail = units_tail(text)
        h1 = H1_RE.match(text) or H1_DIGIT_RE.match(text)
        h2 = H2_RE.match(text)
        if h1 and not tail:
            section, section_title, sub, sub_title, index = cn_int(h1[1]), clean(h1[2]), None, "", 0
            open_paras = []
            continue
        if h2:
            sub, index = cn_int(h2[1]), 0
            body = h2[2]
            several = split_clauses(body)
            if not tail and not several:
                sub_title = body.rstrip("。.")
                last = (n, body, True)
                # a heading with sentences after it may be the item a units line below closes
                open_paras = [(n, text)] if body.partition("。")[2].strip() else []
                continue
            head, _, rest = body.partition("。")
            sub_title = head
            text = rest if rest.strip() and (units_tail(rest) or split_clauses(rest)) else body
            tail = units_tail(text)
        pieces = split_clauses(text) or ([tail] if tail else [])
        if not pieces:
            if ITEM_NUM_RE.match(text):
                last = (n, text, False)
            open_paras.append((n, text))
            continue
        open_paras = []
        for body, units in pieces:
            m = ITEM_NUM_RE.match(body)
            index = int(m[1]) if m and int(m[1]) > index else index + 1
            body = body[m.end() :] if m else body
            ids = [str(x) for x in (section, sub) if x is not None] + [str(index)]
            drafts.append(
                _draft(ids, sub_title or section_title, body, units, section_title if sub is not None else "", n)
            )
    return drafts


def _draft(ids: list[str], task: str, body: str, units: Units, part: str, n: int) -> Draft:
    context = {"所属部分": part} if part else {}
    for note in units.notes:
        label, _, value = note.partition("：")
        if value and role_of(label) == "leader":
            context[label] = value
    return Draft("-".join(ids) or "1", task, body, list(units.lead), list(units.co), "", "", context, f"第{n}段")


def _attach(draft: Draft, parts: list[tuple[str, str, str]]) -> None:
    """Unit lines below an item: 牵头… leads, 协同/配合 help, 责任单位 leads unless a lead is there."""
    for role, label, value in parts:
        if role == "leader":
            draft.context[label] = value
            continue
        units = parse_units(value)
        names = units.lead + units.co
        if role == "co" or (draft.lead and "牵头" not in label):
            draft.co += [u for u in names if u not in draft.co and u not in draft.lead]
        elif "牵头" in label:
            draft.lead += [u for u in names if u not in draft.lead]
            draft.co = [u for u in draft.co if u not in draft.lead]
        else:
            draft.lead += [u for u in units.lead if u not in draft.lead]
            draft.co += [u for u in units.co if u not in draft.co and u not in draft.lead]
