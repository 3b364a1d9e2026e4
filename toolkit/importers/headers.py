"""Recognise a plan table's header: column names and their synonyms, two-row headers."""

from __future__ import annotations

import re
from dataclasses import dataclass

ROLES = {
    "seq": ("序号", "编号", "序"),
    "task": ("工作任务", "工作要点", "任务", "重点任务", "主要任务", "任务名称", "工作事项", "任务事项"),
    "req": ("具体要求", "任务内容", "工作措施", "具体措施", "工作内容", "主要内容", "具体任务", "工作要求"),
    "lead": ("牵头单位", "牵头落实单位", "责任单位", "牵头部门", "责任部门", "落实单位", "责任主体", "牵头责任单位"),
    "co": ("配合单位", "协办单位", "配合部门", "参与单位"),
    "deadline": ("完成时限", "时间要求", "完成时间", "时限", "时限要求", "完成期限", "时间节点"),
    "notes": ("备注", "说明"),
}
SYNONYM_ROLE = {name: role for role, names in ROLES.items() for name in names}
# Columns of one level of a multi-level plan: 国务院办公厅要求, 广州市分工方案, 越秀区分工方案.
LEVEL_RE = re.compile(r"(国务院|省|市|区|县|镇|街道?).*(要求|方案|要点|任务|措施)$")


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


def role_of(name: str) -> str | None:
    name = norm(name)
    if name in SYNONYM_ROLE:
        return SYNONYM_ROLE[name]
    if LEVEL_RE.search(name) and len(name) <= 20:
        return "level"
    return None


def is_header_row(row: list[str]) -> bool:
    """Two or more cells are known column names and none is long text."""
    cells = [norm(c) for c in row if norm(c)]
    known = sum(1 for c in cells if role_of(c))
    return known >= 2 and all(len(c) <= 20 for c in cells)


def find_header(grid: list[list[str]], look: int = 6) -> tuple[int, list[Column]] | None:
    """Where the data starts and the columns, or None if no header row is recognised."""
    for i, row in enumerate(grid[:look]):
        if not is_header_row(row):
            continue
        first = [norm(c) for c in row]
        nxt = [norm(c) for c in grid[i + 1]] if i + 1 < len(grid) else []
        if nxt and is_header_row(nxt) and not any(c.isdigit() for c in nxt):
            return i + 2, _two_rows(first, nxt)
        return i + 1, [Column(c, "", role_of(c)) for c in first]
    return None


def _two_rows(top: list[str], sub: list[str]) -> list[Column]:
    """Combine a header with its sub-header (「国务院办公厅要求」 over 「任务」「具体要求」).

    Text extraction shows a horizontally merged header cell once; a run of filled
    sub-header cells under it tells how many columns it spans.
    """
    if len(top) < len(sub):
        top = _spread(top, sub)
    columns = []
    for i, name in enumerate(top):
        child = sub[i] if i < len(sub) else ""
        if child and role_of(child):
            columns.append(Column(child, name, role_of(child)))
        else:
            columns.append(Column(name, "", role_of(name)))
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
