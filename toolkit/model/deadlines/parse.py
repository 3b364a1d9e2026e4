"""Understand 完成时限 text: 「2016年12月底前完成」「全年工作」「每月25日前」「待省文件出台后」 ….

Pure rules, no I/O; the standard library plus `chinese-calendar` (working days only).
Conventions (docs/deadlines.md has the full list):

- 「X月底(前)」 and bare 「X月」 → last day of month X; 「X月前」 → last day of month X−1;
  「年底」「年内」 → 12-31; 「第N季度」 → quarter end; 「3月31日前」 → that day; no year → plan year.
- A cell with several dates (or 「全年」 beside dates) is `multi`, due = the latest date.
- A single date followed by an addition stays `date`; the addition is the `note`.
- Recurring work (每月/按月/每季度 …) has no single due date (`due` is None).
- 「长期推进」「长期坚持」「常态化推进」「持续推进」 are `year_round` (due 12-31) with note 「长期」.
- Conditional deadlines keep the trigger text and an offset (「20日内」「3个工作日内」「24小时内」 = 1 day).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from functools import lru_cache

from toolkit.model import Deadline, Offset
from toolkit.model.errors import UsageError
from toolkit.model.numerals import cn_int
from toolkit.model.period import month_end

MIN_YEAR, MAX_YEAR = 1900, 2199

WEEKDAY_NAMES = "一二三四五六日"

# --- normalisation -----------------------------------------------------------------------

_TRANSLATE: dict[int, int | str] = {0xFF10 + i: ord("0") + i for i in range(10)}
_TRANSLATE.update({0xFF21 + i: ord("A") + i for i in range(26)})
_TRANSLATE.update({0xFF41 + i: ord("a") + i for i in range(26)})
_TRANSLATE.update({ord(a): b for a, b in zip(",;:()!?", "，；：（）！？")})
_TRANSLATE.update({ord(c): "-" for c in "－—–~～〜"})
_TRANSLATE.update({0xFF0E: "."})
# Traditional-character copies (mirror sites, Hong Kong/Taiwan reposts) read like simplified text: the
# traditional forms of the characters the rules below use (「30個工作日內」「會後7日內」「從2023年…起」).
_TRANSLATE.update(
    str.maketrans(
        "個內後週從時開規發實長態堅進當視審議廢執續結達過於臺運線訂復預條遲",
        "个内后周从时开规发实长态坚进当视审议废执续结达过于台运线订复预条迟",
    )
)
_NEEDS_TRANSLATE = re.compile("[" + re.escape("".join(map(chr, _TRANSLATE))) + "]")
_TAG = re.compile(r"<\s*/?\s*(?:p|br|div|li)\b[^>]*>", re.IGNORECASE)
_PARAGRAPH = re.compile(r"\n[^\S\n]*\n")
_SPACE = re.compile(r"[\s\u200b\ufeff]+")
_SEPARATORS = re.compile(r"；{2,}")

_SPECIAL = re.compile("[" + re.escape("".join(map(chr, _TRANSLATE))) + "<；\\s\u200b\ufeff〇零一二两三四五六七八九十]")
_CN_NUMBER = re.compile(
    r"(?<![统同唯单逐专万之任某划合])[〇零一二两三四五六七八九十]+(?=年|月|日|号|季度|个|天|小时|周|次)"
)


def _arabic(m: re.Match[str]) -> str:
    n = cn_int(m.group())
    return m.group() if n is None else str(n)


def _clean(text: str) -> str:
    """One line without spaces: full-width digits made ASCII, paragraphs and `<p>` tags → 「；」."""
    if not _SPECIAL.search(text):
        return text
    s = text.translate(_TRANSLATE) if _NEEDS_TRANSLATE.search(text) else text
    if "<" in s:
        s = _TAG.sub("；", s)
    if "\n" in s:
        s = _PARAGRAPH.sub("；", s)
    s = "".join(s.split())  # the whitespace of regex \s
    if "\u200b" in s or "\ufeff" in s:
        s = s.replace("\u200b", "").replace("\ufeff", "")
    if "；；" in s:
        s = _SEPARATORS.sub("；", s)
    if _CN_NUMBER.search(s):
        s = _CN_NUMBER.sub(_arabic, s)
    return s.strip("；")


# --- dates -------------------------------------------------------------------------------

_DATE = re.compile(
    r"(?=[\d第上下年次明翌当本今])(?:"
    r"(?P<iy>\d{4})[-./](?P<im>\d{1,2})[-./](?P<id>\d{1,2})(?:\d{1,2}：\d{2}(?:：\d{2})?)?(?!\d)"
    r"|(?:(?P<y>\d{4}|[次明翌当本今])年)?(?:"
    r"(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})[日号]|份?(?P<part>底|末|上旬|中旬|下旬)?)"
    r"|第?(?P<q>[1-4])季度(?P<qend>底|末)?"
    r"|(?P<half>上|下)半年(?:底|末)?"
    r"|(?(y)年?(?P<yend>底|末|内)|(?<![\d个半全每多近])年(?P<yend2>底|末|内))"
    r"|(?(y)(?=完成|$|，)|(?!))))"
    r"(?P<before>前|之前|以前)?"
)
_RELATIVE_YEAR = {"次": 1, "明": 1, "翌": 1, "当": 0, "本": 0, "今": 0}  # 「次年3月底前」「当年完成」
_DATE_HINT = re.compile(r"\d[年月季./-]|半年|年[底末内]|[次明翌当本今]年")  # in every _DATE match
_NOT_PLAIN_TAIL = re.compile(r"[年月季./\-每按]|规定|法定")
_RECURRING_CONTEXT = ("每年", "每月", "每季度", "每季", "每半年", "每周")


def _match_date(m: re.Match[str], year: int) -> tuple[date, int] | None:
    """The date a match names and the year it used (None if it is no valid date)."""
    iy, im, iday, y, month, day, part, q, qend, half, _, _, before = m.groups()
    y = year + _RELATIVE_YEAR[y] if y in _RELATIVE_YEAR else int(y or iy or year)
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    month = month or im
    if month:
        month, day = int(month), int(day or iday or 0)
        if not 1 <= month <= 12:
            return None
        if day:
            return date(y, month, min(day, month_end(y, month).day)), y
        if part == "上旬":
            return date(y, month, 10), y
        if part == "中旬":
            return date(y, month, 20), y
        if not part and before:  # 「X月前」: before month X begins
            return date(y, month, 1) - timedelta(days=1), y
        return month_end(y, month), y
    if q:
        if not qend and before:  # 「第N季度前」: before the quarter begins
            return date(y, 3 * int(q) - 2, 1) - timedelta(days=1), y
        return month_end(y, 3 * int(q)), y
    if half:
        return (date(y, 6, 30) if half == "上" else date(y, 12, 31)), y
    return date(y, 12, 31), y


def _find_dates(
    s: str, year: int, skip: tuple[int, int] | None = None, recurring: bool = False
) -> list[tuple[re.Match[str], date]]:
    """Every absolute date in `s`, in order; a year written once carries to later dates.

    In a cell with a frequency (`recurring`), a date followed by 「起」 is where the recurrence starts
    (「从2022年3月起，每月25日前」), and after 「每年」 a date without a year of its own is the
    recurrence's (「每年2月底前…，3月底前…」): neither is a one-off date.
    """
    found = []
    yearly = s.find("每年") if recurring else -1
    for m in _DATE.finditer(s):
        start = m.start()
        if skip and start < skip[1] and m.end() > skip[0]:
            continue
        if start and s[max(0, start - 3) : start].endswith(_RECURRING_CONTEXT):
            continue
        if 0 <= yearly < start and not (m.group("y") or m.group("iy")):
            continue
        hit = _match_date(m, year)
        if hit:
            year = hit[1]
            if not (recurring and s.startswith("起", m.end())):
                found.append((m, hit[0]))
    return found


# --- recurring, conditional, statutory -----------------------------------------------------

_FREQUENCY = re.compile(  # the group name is the frequency
    r"(?P<daily>每个?(?:工作)?日|每天|按日)|(?P<weekly>每周|每星期|按周)|(?P<monthly>每个?月|按月)"
    r"|(?P<quarterly>每个?季度?|按季度?)|(?P<semiannual>每半年)|(?P<yearly>每年度?|按年度?)"
)
_WINDOW = re.compile(r"(\d{1,2})月?[-至到](\d{1,2})月")
_MONTH_DAY = re.compile(r"每个?月(\d{1,2})[日号]")
_WEEK_DAY = re.compile(r"每(?:周|星期)([1-7一二三四五六日天])")
_START_YEAR = re.compile(r"(?:自|从)(\d{4})年|(\d{4})年起")
_STATUTORY = re.compile(r"预算法》?的?规定|法定时限|(?:法|条例)》?规定的?时限")
_YEAR_ROUND = re.compile(r"全年(?:工作|完成|推进|实施|开展)?")
# Work without an end: 长期推进/长期坚持/常态化推进/持续推进 (and 长期, 常态化 on their own).
_LONG_TERM = re.compile(
    r"(?:(?:长期|常态化)(?:推进|坚持|开展|实施|落实|执行|抓好)?|持续(?:推进|坚持|开展|实施|落实|执行|抓好))(?:工作)?"
)
_OFFSET = re.compile(r"(?:不超过|不得超过|最迟)?(?<![月\d])(\d+)(个)?(工作日|小时|天|日|周)(内|以内|之内)?")
_MARKER = re.compile(
    r"待(?!遇)|收到|视[^，。；]*?而定|视情|之日起|日起|(?:使用|运行|上线|出台|实施)前"
    r"|(?:出台|印发|发布|公布|公开|下发|实施|修订|通过|批复|发生|审议|作出|废止|失效|结束|到位)(?:后|之后)"
    r"|后的时间要求|部署"
)
_CLAUSE_END = "，。；！？（）："
_SENTENCE = re.compile(r"[。；！？]")
_CLAUSE = re.compile(f"[{_CLAUSE_END}]")
_UP_TO_CLAUSE = re.compile(f"(?s:.*)[{_CLAUSE_END}]")  # up to the last clause mark
_NUMBERING = re.compile(r"^(?:\d+[.、]|（\d+）)")
_LEAD_FILLER = re.compile(r"^(?:\d+[.、]|（\d+）)?(?:并在|并于|应当?在|应当?于|须在|要在|在|于)?")
_TAIL_FILLER = re.compile(r"[，、]?(?:并|应当?|须|要|需)?(?:在|于|最迟)$")
_NOTE_HEAD = re.compile(r"^[，。；、：.]*(?:完成|为止|止)?[，。；、：.]*")
_NOTE_TAIL = re.compile(r"[，。；、：]*(?:应当?|须|要|需|并|最迟|力争|截至|截止)?(?:在|于|到|至)?[，。；、：]*$")


def _frequency(s: str) -> tuple[str, re.Match[str]] | None:
    m = _FREQUENCY.search(s)
    if not m:
        return None
    return m.lastgroup or "", m


def _offset(s: str) -> tuple[Offset, re.Match[str]] | None:
    for m in _OFFSET.finditer(s):
        n, ge, unit, within = int(m.group(1)), m.group(2), m.group(3), m.group(4)
        if not (within or ge or unit in ("工作日", "小时") or m.group().startswith(("不", "最"))):
            continue
        if unit == "工作日":
            return Offset(n, True), m
        if unit == "小时":
            return Offset(-(-n // 24)), m
        return Offset(n * 7 if unit == "周" else n), m
    return None


def _clause_start(s: str, pos: int) -> int:
    m = _UP_TO_CLAUSE.match(s, 0, pos)
    return m.end() if m else 0


def _clause_end(s: str, pos: int) -> int:
    m = _CLAUSE.search(s, pos)
    return m.start() if m else len(s)


def _strip_fillers(text: str) -> str:
    text = _LEAD_FILLER.sub("", text.strip(_CLAUSE_END + "、"))
    return _TAIL_FILLER.sub("", text).strip(_CLAUSE_END + "、")


def _trigger(s: str, off: re.Match[str] | None) -> str | None:
    """The event text: the clause holding the last event marker before the offset, if any."""
    head = s[: off.start()] if off else s
    markers = list(_MARKER.finditer(head))
    if markers:
        m = markers[-1]
        start = _clause_start(head, m.start())
        end = len(head) if off else _clause_end(head, m.end())
        return _strip_fillers(head[start:end]) or None
    clauses = [c for c in map(_strip_fillers, _CLAUSE.split(head)) if c]
    return clauses[-1] if clauses else None


_NO_NOTE = {"", "完成", "。", "完成。"}


def _note(before: str, after: str) -> str | None:
    """What a cell says besides its date: the text before it and the addition after it."""
    if not before and after in _NO_NOTE:
        return None
    if before.endswith("（") and after.startswith("）"):  # 「（2016年12月底前）」
        before, after = before[:-1], after[1:]
    if before:
        before = _NOTE_TAIL.sub("", _NUMBERING.sub("", before))
    after = _NOTE_HEAD.sub("", after).rstrip("，。；！？：")
    if after.startswith("（") and after.endswith("）") and after.count("（") == 1:
        after = after[1:-1]
    return "，".join(p for p in (before, after) if p) or None


# --- the parser --------------------------------------------------------------------------


def parse(text: str, year: int) -> Deadline:
    """Parse one 完成时限 text for a plan of `year` (used where the text names no year).

    Never fails on text: what it cannot read is kind `none` with the cleaned text as note.
    Results are cached per (text, year); `Deadline` is immutable, so sharing is safe.
    """
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise UsageError(f"方案年度“{year}”无效：请给出 {MIN_YEAR}–{MAX_YEAR} 之间的四位年份，例如 --year 2016。")
    return _parse(text if isinstance(text, str) else ("" if text is None else str(text)), year)


def parse_stated(text: str, year: int, due: date | None) -> Deadline:
    """`parse`, with the 截止日期 a workbook states taking precedence (staff may correct it)."""
    deadline = parse(text, year)
    return replace(deadline, due=due) if due and due != deadline.due else deadline


@lru_cache(maxsize=16384)
def _parse(text: str, year: int) -> Deadline:
    s = _clean(text)
    if not s:
        return Deadline(text)
    # Fast paths for the commonest cells, same results as the general rules below: one date
    # first, then nothing that could be another date, a frequency or a law (「2016年12月底前完成」
    # 「…完成，后续定期进行目录调整」); 「全年(工作)」.
    m = _DATE.match(s)
    if m:
        rest = s[m.end() :]
        hit = None if _NOT_PLAIN_TAIL.search(rest) else _match_date(m, year)
        if hit:
            return Deadline(text, "date", hit[0], (hit[0],), note=_note("", rest))
    elif s[0] == "全" and _YEAR_ROUND.fullmatch(s):
        return Deadline(text, "year_round", date(year, 12, 31), (date(year, 12, 31),))
    if ("规定" in s or "法定" in s) and _STATUTORY.search(s):
        return _statutory(text, s, year)
    freq = _frequency(s) if "每" in s or "按" in s else None
    window = _WINDOW.search(s) if freq else None
    found = _find_dates(s, year, window.span() if window else None, bool(freq)) if _DATE_HINT.search(s) else []
    year_round = _YEAR_ROUND.search(s) if "全年" in s else None
    if len(found) > 1 or (found and year_round):
        dates = [d for _, d in found]
        if year_round:
            dates.insert(0 if year_round.start() < found[0][0].start() else len(dates), date(year, 12, 31))
        unique = tuple(dict.fromkeys(dates))
        if len(unique) == 1:  # 「<p>全年工作</p><p>2016年12月底前完成</p>」: one date after all
            return Deadline(text, "date", unique[0], unique)
        return Deadline(text, "multi", max(unique), unique)
    if found:
        m, due = found[0]
        return Deadline(text, "date", due, (due,), note=_note(s[: m.start()], s[m.end() :]))
    if freq:
        return _recurring(text, s, freq, window)
    if year_round:
        return Deadline(
            text,
            "year_round",
            date(year, 12, 31),
            (date(year, 12, 31),),
            note=_note(s[: year_round.start()], s[year_round.end() :]),
        )
    long_term = _LONG_TERM.search(s) if ("长期" in s or "常态" in s or "持续" in s) else None
    if long_term:  # 「长期坚持」「常态化推进」: worked on all year, every year; tracked like 全年
        extra = _note(s[: long_term.start()], s[long_term.end() :])
        return Deadline(
            text,
            "year_round",
            date(year, 12, 31),
            (date(year, 12, 31),),
            note="，".join(p for p in ("长期", extra) if p),
        )
    off = _offset(s)
    if off or _MARKER.search(s):
        offset, m = off if off else (None, None)
        return Deadline(text, "conditional", offset=offset, trigger=_trigger(s, m))
    return Deadline(text, note=s)


def _statutory(text: str, s: str, year: int) -> Deadline:
    found = _find_dates(s, year)
    dates = tuple(dict.fromkeys(d for _, d in found))
    rest = [p for p in _SENTENCE.split(s) if p and not _STATUTORY.search(p)]
    return Deadline(text, "statutory", max(dates) if dates else None, dates, note="；".join(rest) or None)


def _recurring(text: str, s: str, freq: tuple[str, re.Match[str]], window: re.Match[str] | None) -> Deadline:
    frequency, fm = freq
    day = None
    if frequency == "monthly":
        m = _MONTH_DAY.search(s, fm.start())
        day = int(m.group(1)) if m and 1 <= int(m.group(1)) <= 31 else None
    elif frequency == "weekly":
        m = _WEEK_DAY.search(s, fm.start())
        if m:
            c = m.group(1)
            day = int(c) if c.isdigit() else (WEEKDAY_NAMES + "天").index(c) % 7 + 1
    win = None
    if window:
        first, last = int(window.group(1)), int(window.group(2))
        win = (first, last) if 1 <= first <= last <= 12 else None
    start = _START_YEAR.search(s)
    start_year = int(start.group(1) or start.group(2)) if start else None
    off = _offset(s)
    return Deadline(
        text,
        "recurring",
        frequency=frequency,
        window=win,
        day=day,
        offset=off[0] if off else None,
        start_year=start_year,
    )


def clean_display(text: str) -> str:
    """The text of a cell on one line: tags and runs of white space as one space."""
    return " ".join(_SPACE.split(_TAG.sub(" ", text))).strip()
