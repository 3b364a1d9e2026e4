"""The shapes a plan table passes through: data rows, tasks, draft items."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Row:
    """One data row: its place, its cells by role, and the upper-level texts (context)."""

    where: str
    cells: dict[str, str]
    context: dict[str, str]
    seq: str = ""
    title: str = ""
    section: str = ""  # the section row (一、创新驱动) above, without its number
    parts: list[tuple[int | None, str]] = field(default_factory=list)


@dataclass
class Task:
    number: str
    title: str
    rows: list[Row] = field(default_factory=list)

    @property
    def last_number(self) -> int:
        nums = [n for row in self.rows for n, _ in row.parts if n is not None]
        return nums[-1] if nums else 0


@dataclass
class Draft:
    """An item before units are expanded and the deadline parsed."""

    id: str
    task: str
    requirement: str
    lead: list[str]
    co: list[str]
    deadline_text: str
    notes: str
    context: dict[str, str]
    where: str
