"""Responsible-unit names: split a cell into units, normalise each name. Stdlib only.

- `split_units` splits 「市财政局、市发改局」 and keeps collective names such as
  「各县（市、区）人民政府（管委会）」 whole; a line break separates two units only when the
  text before it is a complete name (「区教育局\\n区卫计局」), otherwise it is a stray break
  inside one name (「区食品药品\\n监督管理局」).
- `parse_units` also reads who leads: 「区发改局牵头，区教育局配合」, 「…分别落实」.
- `unlisted_refs` finds 「市有关单位（见附件，下同）」 whose appendix list is missing (the directory
  resolves listed ones to their members).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SEPARATORS = "、，,；;/"
OPEN, CLOSE = "（(〔[【", "）)〕]】"
SPACE_RE = re.compile(r"\s+")
# How a complete unit name ends (used to tell a separating line break from a stray one).
NAME_END_RE = re.compile(
    r"(局|办|委|室|会|院|中心|政府|部门|单位|街道|处|所|队|站|馆|社|厅|部|组|校|学院|团|行|司|"
    r"公司|园区|分局|支队|大队|海关|银行|法院|检察院|镇|乡|集团|专班|联|协|[）)])$"
)
LEVEL_PREFIX_RE = re.compile(r"^(市|区|县|镇|省|各|中央|国家)")
SHORT_ORGAN_RE = re.compile(r"^[\u4e00-\u9fff]{1,4}(局|办|委)$")
APPENDIX_REF_RE = re.compile(r"[（(]\s*见附件[^）)]*[）)]")
# 「X牵头，Y配合」, 「X、Y分别落实」 and the like, at the end of a units text.
LEAD_RE = re.compile(r"^(?P<lead>.+?)(?:按职责分工)?(?:分别)?牵头(?:落实|负责)?(?:[，,、；;]\s*(?P<co>.+?))?$")
CO_TAIL_RE = re.compile(r"(?:等(?:有关|相关)?(?:部门|单位))?(?:按职责分工)?(?:配合|协助|参与)(?:落实)?$")
JOINT_TAIL_RE = re.compile(r"(?:等)?(?:按职责分工)?(?:分别|共同|负责)?(?:负责)?(?:落实|负责)$")
# 「宣传处会办公室」「市财政局会同市发改局」「A联合B」: joiners between two unit names.
JOINER_RE = re.compile(
    r"(?<=[局办委室处院心府部队站所])(?:会同|联合)(?=[\u4e00-\u9fff]{2})"
    r"|(?<=[局办室处科])会(?![等议])(?=[\u4e00-\u9fff]{2})"
)
# A bracketed remark after the names: 「（除标注“分别牵头”外，列第一位为牵头或汇总单位，下同）」.
REMARK_RE = re.compile(r"[（(][^（）()]*(?:下同|为准|列第一位|汇总单位)[^（）()]*[）)]")
SPACE_BETWEEN_NAMES_RE = re.compile(r"(?<=[局办委室处院心府部队站所])[ \u3000]+(?=[\u4e00-\u9fff])")
ETC_RE = re.compile(r"等(?:(?:有关|相关)?(?:部门|单位))?(?=[、，,；;]|$)")  # 「A等」「A等有关部门」


def normalise(name: str) -> str:
    """One unit name without stray spaces and line breaks, ASCII brackets made full-width."""
    name = SPACE_RE.sub("", name)
    return name.replace("(", "（").replace(")", "）").strip("、，,；;。.：:")


def _join_broken_lines(text: str) -> str:
    """Turn line breaks into separators where they separate names, drop them inside a name."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    out = ""
    for line in lines:
        if not out:
            out = line
        elif out[-1] in SEPARATORS or line[0] in SEPARATORS:
            out += line
        elif NAME_END_RE.search(out) and line[0] not in CLOSE + "（(":
            out += "、" + line
        else:
            out += line
    return out


def split_units(cell: str) -> list[str]:
    """Split 「市财政局、市发改局」 into units; keep 「各县（市、区）人民政府」 whole.

    Separators inside brackets do not split. Duplicates are dropped, order kept.
    """
    units: list[str] = []
    depth, start = 0, 0
    text = _join_broken_lines(cell or "")
    for i, ch in enumerate(text + "、"):
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(depth - 1, 0)
        elif ch in SEPARATORS and depth == 0:
            name = normalise(text[start:i])
            if (
                units
                and units[-1].startswith("各")
                and len(units[-1].split("、")[-1]) <= 2
                and name[:1] in "市区县镇乡"
                and (len(name) == 1 or (name.endswith("政府") and len(name) <= 5))
            ):
                units[-1] += "、" + name  # 「各县、市、区政府」 is one collective name
            elif name and name not in units:
                units.append(name)
            start = i + 1
    return units


@dataclass
class Units:
    """Units read from one cell or parenthesis: who leads, who helps, and what was guessed."""

    lead: list[str] = field(default_factory=list)
    co: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def parse_units(text: str) -> Units:
    """Read a units text: first unit leads unless the text marks 牵头/配合/分别落实.

    「区编办、区人社局分别落实」 → both lead; 「区发改局牵头、区城建局…等有关部门配合」 → one
    lead, the rest co-units. A unit missing its level prefix after one that has it
    (「市电子政务办、法制局」) gets the prefix, noted in `notes`.
    """
    text, notes = _prepare(text)
    match = LEAD_RE.match(text)
    if match:
        lead = _fill_prefixes(split_units(match["lead"]), [])
        co_text = CO_TAIL_RE.sub("", match["co"] or "")
        co = _fill_prefixes(split_units(co_text), [])
        return Units(lead, [u for u in co if u not in lead], notes)
    if CO_TAIL_RE.search(text):  # 「X、Y配合」 with no lead named: all co-units
        return Units([], split_units(CO_TAIL_RE.sub("", text)), notes)
    joint = JOINT_TAIL_RE.search(text)
    units = _fill_prefixes(split_units(JOINT_TAIL_RE.sub("", text) if joint else text), notes)
    if joint and ("分别" in joint.group(0) or "共同" in joint.group(0)):
        return Units(units, [], notes)
    return Units(units[:1], units[1:], notes)


def _prepare(text: str) -> tuple[str, list[str]]:
    """Joiners and spaces between names made 「、」, remarks and a trailing 「等」 dropped (noted)."""
    notes: list[str] = []
    text = SPACE_BETWEEN_NAMES_RE.sub("、", (text or "").strip())
    text = normalise_spaces(text)
    remark = REMARK_RE.search(text)
    if remark:
        notes.append(f"单位后的说明“{remark.group()}”不是单位，已略去。")
        text = REMARK_RE.sub("", text)
    if JOINER_RE.search(text):
        text = JOINER_RE.sub("、", text)
    if ETC_RE.search(text):
        notes.append("单位名单中的“等”已略去，请核对是否还有其他单位。")
        text = ETC_RE.sub("", text)
    if text in ("/", "-", "—", "无"):
        text = ""
    return text, notes


def looks_like_units(text: str) -> bool:
    """Whether a short text is a list of unit names (「区教体局」「办公室牵头，各科室配合」)."""
    text = normalise_spaces(text.replace("\n", "、"))
    if not text or len(text) > 150 or text.endswith(("。", "；")):  # a sentence, not a list of names
        return False
    units = parse_units(text)  # the names as the import reads them: 「市税务局等」「各县、市、区政府」
    names = units.lead + units.co
    return bool(names) and all(len(n) <= 25 and (NAME_END_RE.search(n) or n.startswith("各")) for n in names)


def normalise_spaces(text: str) -> str:
    """Drop spaces and line breaks between Chinese characters, keep those between names."""
    return re.sub(r"[ \t\u3000]+", "", text or "").strip()


def _fill_prefixes(units: list[str], notes: list[str]) -> list[str]:
    out: list[str] = []
    for unit in units:
        prev = out[-1] if out else ""
        prefix = LEVEL_PREFIX_RE.match(prev)
        if prefix and prefix[1] in "市区县镇省" and SHORT_ORGAN_RE.match(unit) and not LEVEL_PREFIX_RE.match(unit):
            notes.append(f"“{unit}”按前一单位补全为“{prefix[1]}{unit}”")
            unit = prefix[1] + unit
        out.append(unit)
    return out


def appendix_ref(name: str) -> tuple[str, bool]:
    """「市有关单位（见附件，下同）」 → ("市有关单位", True); other names → (name, False)."""
    stripped = APPENDIX_REF_RE.sub("", name)
    return stripped, stripped != name


def unlisted_refs(units: list[str], groups: dict[str, list[str]]) -> list[str]:
    """The names that refer to an appendix (「市有关单位（见附件）」) no group in `groups` matches."""
    return [u for u in units if appendix_ref(u)[1] and not groups.get(appendix_ref(u)[0])]
