"""Columns beyond the header vocabulary: `--columns`, roles decided by content, sub-headers.

- `parse_columns("要求=具体内容,牵头=责任科室")`: header names → roles, the staff's own mapping
  (role names in Chinese, `COLUMN_ROLES`); it wins over the vocabulary in `headers`.
- `resolve_by_content`: a column named only 「单位」 holds either units of measure (亿元、%、个)
  or responsible units (区财政局); its cells decide.
- `sub_header`: a header row followed by a row of short labels (绝对值 | 增长%) that text
  extraction shows once under the merged cells above (2021年完成 | 2022年计划).
- `suggest_columns`: the `--columns` option to offer when no requirement or units column is found.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from toolkit.model.errors import UsageError
from toolkit.model.units import looks_like_units

# Role names staff write after --columns, and the role each means.
COLUMN_ROLES = {
    "序号": "seq",
    "任务": "task",
    "要求": "req",
    "牵头": "lead",
    "配合": "co",
    "时限": "deadline",
    "备注": "notes",
    "领导": "leader",
    "分类": "category",
    "其他": "other",
}
ROLE_WORDS = {role: word for word, role in COLUMN_ROLES.items()}
# Header names that are a leaf even when their role is not known (never a merged parent).
LEAF_NAMES = ("单位", "计量单位", "单位名称", "部门")
MEASURE_RE = re.compile(
    r"^(?:[万亿千百十]?(?:元|美元|个|项|件|人|人次|户|家|所|座|张|台|辆|套|吨|亩|公顷|公里|千米|米"
    r"|平方米|平方公里|立方米|千瓦时?|千瓦|兆瓦|吨标准煤|标准煤|次|天|小时|篇|本|册|批|场|例|床)"
    r"|%|‰|％|百分点|个百分点|[^\s]{0,3}/[^\s]{1,4}|倍|岁|年)$"
)
PLACEHOLDER = ("", "-", "—", "/", "无")
_SPLIT_RE = re.compile(r"[,，;；]")


def norm_name(name: str) -> str:
    """A header name as compared: no spaces, no brackets (「责任(牵头)部门」 → 「责任牵头部门」)."""
    return re.sub(r"[\s（）()〔〕\[\]【】]", "", name or "")


def parse_columns(spec: str | dict[str, str] | None) -> dict[str, str]:
    """`要求=具体内容,牵头=责任科室` (or a dict role word → header) → {normalised header: role}.

    Raises `UsageError` in Chinese for a role word that is not one of `COLUMN_ROLES`.
    """
    if not spec:
        return {}
    pairs: list[tuple[str, str]]
    if isinstance(spec, dict):
        pairs = list(spec.items())
    else:
        pairs = []
        for part in _SPLIT_RE.split(spec):
            if not part.strip():
                continue
            word, sep, header = part.replace("＝", "=").partition("=")
            if not sep or not header.strip():
                raise UsageError(
                    f"--columns 中的“{part.strip()}”看不懂：请写成 列=表头，"
                    "例如 --columns 要求=具体内容,牵头=责任科室。"
                )
            pairs.append((word.strip(), header.strip()))
    out = {}
    for word, header in pairs:
        role = COLUMN_ROLES.get(word.strip())
        if role is None:
            raise UsageError(
                f"--columns 中的列名“{word}”不认识：可用的列名有 {'、'.join(COLUMN_ROLES)}（例如 要求={header}）。"
            )
        out[norm_name(header)] = role
    return out


def is_measure(text: str) -> bool:
    return bool(MEASURE_RE.match(re.sub(r"\s+", "", text)))


def resolve_by_content(names: list[str], roles: list[str | None], data: list[list[str]]) -> list[str | None]:
    """Roles for 「单位」-named columns from what their cells hold: measure words or unit names."""
    out = list(roles)
    for i, (name, role) in enumerate(zip(names, roles)):
        if role is not None or norm_name(name) not in LEAF_NAMES:
            continue
        cells = [r[i].strip() for r in data if i < len(r) and r[i].strip() not in PLACEHOLDER]
        if not cells:
            continue
        if sum(map(is_measure, cells)) * 2 >= len(cells):
            out[i] = "measure"
        elif sum(map(looks_like_units, cells)) * 2 >= len(cells):
            out[i] = "lead"
    return out


def looks_like_sub_header(row: list[str]) -> bool:
    """Short labels only (绝对值 | 增长% | 其中：…), nothing like data: no number, unit or date."""
    cells = [re.sub(r"\s+", "", c) for c in row if c.strip()]
    if len(cells) < 2:
        return False
    for c in cells:
        if len(c) > 8 or re.fullmatch(r"[\d.,%\-]+", c) or looks_like_units(c):
            return False
        if re.search(r"\d{1,2}月|年底|年内|前$", c):
            return False
    return True


def sub_header(
    top: list[str], sub: list[str], width: int, role_of: Callable[[str], str | None]
) -> list[tuple[str, str]] | None:
    """(name, parent) per column when `sub` labels the merged cells of `top`, else None.

    Same length: a docx grid (merged cells repeated, blanks under vertical merges). Shorter: text
    shows each merged cell once, so the labels divide evenly over the top cells that have no role
    (and are no 「单位」 leaf); `width` — the widest data row — must then equal the columns made.
    """
    top = [c.strip() for c in top]
    sub = [c.strip() for c in sub if c.strip()] if len(sub) < len(top) else [c.strip() for c in sub]
    if len(sub) >= len(top):
        # a docx grid repeats a merged cell over its span: labels only under such repeats
        merged = {
            i for i in range(len(top)) if top[i] and (top[i - 1 : i] == [top[i]] or top[i + 1 : i + 2] == [top[i]])
        }
        if len(sub) > len(top) or any(s and s != top[i] and i not in merged for i, s in enumerate(sub)):
            return None
        return [(f"{t}·{s}" if s and s != t else t, t if s and s != t else "") for t, s in zip(top, sub)]
    parents = [i for i, t in enumerate(top) if t and role_of(t) is None and norm_name(t) not in LEAF_NAMES]
    if not parents or len(sub) % len(parents):
        return None
    span = len(sub) // len(parents)
    if len(top) + len(sub) - len(parents) != width:
        return None
    out: list[tuple[str, str]] = []
    labels = iter(sub)
    for i, t in enumerate(top):
        if i in parents:
            out.extend((f"{t}·{next(labels)}", t) for _ in range(span))
        else:
            out.append((t, ""))
    return out


def suggest_columns(headers: list[str], data: list[list[str]], missing: list[str]) -> str:
    """The --columns option for the `missing` roles ("req", "lead"): among the columns no role
    fits, the longest text as 要求 and the most unit-like cells as 牵头 (「表头名」 if none)."""
    from toolkit.importers.headers import role_of

    picks: dict[str, str] = {}
    scores = {"req": 0.0, "lead": 0.0}
    for i, name in enumerate(headers):
        cells = [r[i] for r in data if i < len(r) and r[i].strip()]
        if not name.strip() or not cells or role_of(name) is not None:
            continue
        units = sum(map(looks_like_units, cells)) / len(cells)
        mean = sum(len(c) for c in cells) / len(cells)
        role, score = ("lead", units) if units >= 0.5 else ("req", mean)
        if score > scores[role]:
            picks[role], scores[role] = re.sub(r"\s+", "", name), score
    return "--columns " + ",".join(f"{ROLE_WORDS[r]}={picks.get(r, '表头名')}" for r in missing)
