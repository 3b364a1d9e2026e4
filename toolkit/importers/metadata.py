"""Plan metadata from a document's paragraphs: title, 文号, issuing office, issue date, year."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from toolkit.importers.cells import clean

DOC_NUMBER_RE = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*\d+\s*号$")
DATE_RE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
YEAR_RE = re.compile(r"(20\d\d)年")
PLAN_TITLE_RE = re.compile(r"(方案|清单|要点|计划|任务表|分工表)$")
ISSUER_END_RE = re.compile(r"(办公室|人民政府|委员会|管委会|办公厅)$")
END_PUNCT = "。：:；;，,！？"


@dataclass
class Metadata:
    title: str = ""
    notice_title: str = ""
    doc_number: str = ""
    issuer: str = ""
    issue_date: date | None = None
    year: int | None = None


def read_metadata(paragraphs: list[str], title_before: int | None) -> Metadata:
    """Metadata of a document. `title_before`: index of the first paragraph after the plan
    begins (the plan title is the heading nearest before it), or None for no hint."""
    paras = [clean(p) for p in paragraphs]
    meta = Metadata()
    for p in paras:
        if DOC_NUMBER_RE.match(p):
            meta.doc_number = p
            break
    notice_at = _notice_title(paras, meta)
    for p in paras[notice_at + 1 if notice_at is not None else 0 :]:
        m = DATE_RE.match(p)
        if m:
            try:
                meta.issue_date = date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                continue
            break
    meta.title = _plan_title(paras, title_before) or _inner_title(meta.notice_title)
    for source in (meta.title, meta.doc_number and _doc_year(meta.doc_number), meta.notice_title):
        found = YEAR_RE.search(str(source) + ("年" if isinstance(source, int) else "")) if source else None
        if found:
            meta.year = int(found[1])
            break
    if meta.year is None and meta.issue_date:
        meta.year = meta.issue_date.year
    return meta


def _doc_year(doc_number: str) -> int:
    m = DOC_NUMBER_RE.match(doc_number)
    return int(m[1]) if m else 0


def _notice_title(paras: list[str], meta: Metadata) -> int | None:
    """The 「…关于…的通知」 title, joined over the lines it is broken into; returns its last index."""
    for i, p in enumerate(paras):
        if "关于" not in p or len(p) > 80 or p.endswith(tuple(END_PUNCT)) or p.startswith(("《", "根据")):
            continue
        parts, j = [p], i
        while not parts[-1].endswith(("通知", "意见", "函")) and j + 1 < len(paras) and len(parts) < 4:
            j += 1
            parts.append(paras[j])
        if not parts[-1].endswith(("通知", "意见", "函")):
            continue
        title = "".join(parts)
        if p.startswith("关于") and i and ISSUER_END_RE.search(paras[i - 1]):
            meta.issuer = paras[i - 1]
            title = paras[i - 1] + title
        elif not title.startswith("关于"):
            meta.issuer = title.split("关于", 1)[0]
        meta.notice_title = title
        return j
    return None


def _plan_title(paras: list[str], before: int | None) -> str:
    end = len(paras) if before is None else before
    for i in range(end - 1, -1, -1):
        p = paras[i]
        if PLAN_TITLE_RE.search(p) and len(p) <= 60 and "附件" not in p and "关于" not in p and not p.startswith("《"):
            prev = paras[i - 1] if i else ""
            if (
                prev
                and len(prev) <= 30
                and not prev.endswith(tuple(END_PUNCT))
                and "附件" not in prev
                and not DATE_RE.match(prev)
                and not DOC_NUMBER_RE.match(prev)
                and len(p) <= 12
            ):
                return prev + p
            return p
    return ""


def _inner_title(notice: str) -> str:
    """「…关于印发X的通知」 → X."""
    m = re.search(r"关于印发(.+)的通知$", notice)
    return m[1].strip("《》") if m else notice
