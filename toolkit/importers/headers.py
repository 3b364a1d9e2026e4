"""Recognise a plan table's header: column names and their synonyms, two-row headers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.importers.columns import (
    looks_like_sub_header,
    resolve_by_content,
    sub_header,
)

# Header names by role. Names are matched without spaces and brackets (「具 体 要 求」,
# 「责任(牵头)部门」); a name not listed is matched by the keywords in `_KEYWORDS`.
ROLES = {
    "seq": ("序号", "编号", "序"),
    "task": (
        "工作任务",
        "工作要点",
        "任务",
        "重点任务",
        "主要任务",
        "目标任务",
        "任务名称",
        "工作事项",
        "任务事项",
        "工作内容",
        "项目",
        "项目名称",
        "事项",
        "事项名称",
        "民生实事",
        "重点工作",
        "指标",
        "指标名称",
        "工作项目",
    ),
    "req": (
        "具体要求",
        "任务内容",
        "工作措施",
        "具体措施",
        "主要内容",
        "具体任务",
        "工作要求",
        "具体内容",
        "细化分工",
        "任务分解",
        "目标要求",
        "工作目标",
        "项目内容",
        "建设内容",
        "主要措施",
        "推进措施",
        "具体工作",
        "工作标准",
    ),
    "lead": (
        "牵头单位",
        "牵头落实单位",
        "责任单位",
        "牵头部门",
        "责任部门",
        "落实单位",
        "责任主体",
        "牵头责任单位",
        "责任科室",
        "责任处室",
        "承办单位",
        "主办单位",
        "牵头科室",
        "牵头处室",
        "主责单位",
        "主要责任单位",
    ),
    "co": ("配合单位", "协办单位", "配合部门", "参与单位", "协同单位", "协同责任单位", "协作单位", "配合科室"),
    "leader": ("责任领导", "分管领导", "牵头领导", "牵头负责领导", "包抓领导", "责任人"),
    "deadline": (
        "完成时限",
        "时间要求",
        "完成时间",
        "时限",
        "时限要求",
        "完成期限",
        "时间节点",
        "时间安排",
        "进度安排",
        "完成时间节点",
    ),
    "notes": ("备注", "说明"),
    "category": ("分类", "类别", "事项分类", "项目分类", "领域"),
}
SYNONYM_ROLE = {name: role for role, names in ROLES.items() for name in names}
# Keywords for names not in the lists (「牵头落实单位」「2022年预期目标」「县级责任单位」), first match wins.
_KEYWORDS = (
    ("leader", re.compile(r"领导|责任人$")),
    ("co", re.compile(r"(配合|协办|协同|协作|参与)(单位|部门|科室|处室)")),
    ("lead", re.compile(r"(牵头|责任|负责|承办|主办|落实|主责)\w{0,4}(单位|部门|科室|处室|主体)")),
    ("deadline", re.compile(r"时限|期限|时间|节点|进度")),
    ("req", re.compile(r"(要求|措施|内容|目标|分工|标准)$")),
    ("task", re.compile(r"(任务|事项|实事|工作)$")),
    ("category", re.compile(r"(分类|类别)$")),
)
BRACKETS_RE = re.compile(r"[（）()〔〕\[\]【】]")
# Column names with nothing between them: a table whose cells ran together when copied from a
# PDF (「序号项目名称主要内容区政府分管领导牵头单位配合单位1增加…」).
NAME_ALT = "(?:" + "|".join(sorted(map(re.escape, SYNONYM_ROLE), key=len, reverse=True)) + ")"
NAME_RE = re.compile(NAME_ALT)
RUN_TOGETHER_RE = re.compile(NAME_ALT + "{3,}")
# Columns of one level of a multi-level plan: 国务院办公厅要求, 广州市分工方案, 越秀区分工方案.
LEVEL_RE = re.compile(r"(国务院|省|市|区|县|镇|街道?).*(要求|方案|要点|任务|措施)$")
# Roles the plan reads into its own fields; a column of any other role (leader, category,
# measure, other) or of none is carried into the item's context under its header.
READ_ROLES = ("seq", "task", "req", "level", "lead", "co", "deadline", "notes")


@dataclass
class Column:
    """One column: its header text, the text of a header cell spanning it, and its role."""

    name: str
    parent: str
    role: str | None

    @property
    def label(self) -> str:
        """The name to show for a level column: 「国务院办公厅要求」 rather than 「具体要求」."""
        return self.parent or self.name


def norm(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def role_of(name: str, overrides: dict[str, str] | None = None) -> str | None:
    """The role of a header name, or None for a name that is not a known column.

    `overrides` (normalised header → role, from `columns.parse_columns`) win over the vocabulary.
    """
    name = BRACKETS_RE.sub("", norm(name))
    if overrides and name in overrides:
        return overrides[name]
    if name in SYNONYM_ROLE:
        return SYNONYM_ROLE[name]
    if not name or len(name) > 12 or name.isdigit():
        return None
    if LEVEL_RE.search(name) and len(name) <= 20:
        return "level"
    for role, pattern in _KEYWORDS:
        if pattern.search(name):
            return role
    return None


def run_together_header(text: str) -> str | None:
    """Column names of three roles run together in a text (「序号项目名称主要内容」), or None;
    a title's 「民生实事项目目标任务」 names one role only."""
    for m in RUN_TOGETHER_RE.finditer(text):
        if len({SYNONYM_ROLE[n] for n in NAME_RE.findall(m[0])}) >= 3:
            return m[0]
    return None


def known_name(name: str) -> bool:
    """Whether a header name is in the vocabulary itself (not only matched by keywords)."""
    return BRACKETS_RE.sub("", norm(name)) in SYNONYM_ROLE


def assign_roles(columns: list[Column]) -> list[Column]:
    """With a 牵头 column beside 责任单位 columns, the 责任单位 columns are the co-units."""
    leads = [c for c in columns if c.role == "lead"]
    if len(leads) > 1 and any("牵头" in c.name for c in leads):
        for c in leads:
            if "牵头" not in c.name:
                c.role = "co"
    return columns


def is_header_row(row: list[str], overrides: dict[str, str] | None = None) -> bool:
    """Two or more cells are known column names (one will do if named by --columns), none long."""
    cells = [norm(c) for c in row if norm(c)]
    known = sum(1 for c in cells if role_of(c, overrides))
    named = overrides and any(BRACKETS_RE.sub("", c) in overrides for c in cells)
    return (known >= 2 or bool(named)) and all(len(c) <= 20 for c in cells)


def find_header(
    grid: list[list[str]], look: int = 6, overrides: dict[str, str] | None = None
) -> tuple[int, list[Column]] | None:
    """Where the data starts and the columns, or None if no header row is recognised.

    Columns no role fits stay in the list with role None: `table` carries them into context.
    """
    for i, row in enumerate(grid[:look]):
        if not is_header_row(row, overrides):
            continue
        first = [norm(c) for c in row]
        nxt = [norm(c) for c in grid[i + 1]] if i + 1 < len(grid) else []
        data = grid[i + 2 : i + 12]
        if nxt and is_header_row(nxt, overrides) and not any(c.isdigit() for c in nxt):
            columns = _two_rows(first, nxt, overrides)
        elif (
            nxt
            and looks_like_sub_header(nxt)
            and (
                named := sub_header(first, nxt, max((len(r) for r in data), default=0), lambda n: role_of(n, overrides))
            )
        ):
            columns = [Column(n, parent, None if parent else role_of(n, overrides)) for n, parent in named]
        else:
            data = grid[i + 1 : i + 11]
            columns = [Column(c, "", role_of(c, overrides)) for c in first]
            roles = resolve_by_content(first, [c.role for c in columns], data)
            for c, role in zip(columns, roles):
                c.role = role
            return i + 1, assign_roles(columns)
        roles = resolve_by_content([c.name for c in columns], [c.role for c in columns], data)
        for c, role in zip(columns, roles):
            c.role = role
        return i + 2, assign_roles(columns)
    return None


def _two_rows(top: list[str], sub: list[str], overrides: dict[str, str] | None = None) -> list[Column]:
    """Combine a header with its sub-header (「国务院办公厅要求」 over 「任务」「具体要求」).

    Text extraction shows a horizontally merged header cell once; a run of filled
    sub-header cells under it tells how many columns it spans.
    """
    if len(top) < len(sub):
        top = _spread(top, sub)
    columns = []
    for i, name in enumerate(top):
        child = sub[i] if i < len(sub) else ""
        if child and role_of(child, overrides):
            columns.append(Column(child, name, role_of(child, overrides)))
        else:
            columns.append(Column(name, "", role_of(name, overrides)))
    return columns


def _spread(top: list[str], sub: list[str]) -> list[str]:
    """Repeat each merged top cell over the run of sub-header cells beneath it."""
    out: list[str] = []
    extra = len(sub) - len(top)
    t = 0
    i = 0
    while i < len(sub) and t < len(top):
        run = 1
        while extra and sub[i] and i + run < len(sub) and sub[i + run] and run <= extra:
            run += 1
        out.extend([top[t]] * run)
        extra -= run - 1
        i += run
        t += 1
    out.extend(top[t:])
    return out + [""] * (len(sub) - len(out))
