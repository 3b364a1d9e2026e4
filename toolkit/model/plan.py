"""Plain data of a plan: deadlines, items, metadata. No I/O, stdlib only."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from toolkit.model.problems import Problem

if TYPE_CHECKING:
    from toolkit.model.directory import Directory


@dataclass(frozen=True)
class Offset:
    """A delay after a trigger event: N calendar days, or N working days."""

    days: int
    working: bool = False


@dataclass(frozen=True)
class Deadline:
    """A parsed 完成时限 cell. `due` is the one date to track against (None if open)."""

    text: str
    kind: str = "none"
    due: date | None = None
    dates: tuple[date, ...] = ()
    frequency: str | None = None
    window: tuple[int, int] | None = None
    day: int | None = None
    offset: Offset | None = None
    trigger: str | None = None
    note: str | None = None
    start_year: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape of `fengong deadline --json` (and of plan items)."""
        return {
            "text": self.text,
            "kind": self.kind,
            "due": self.due.isoformat() if self.due else None,
            "dates": [d.isoformat() for d in self.dates],
            "frequency": self.frequency,
            "window": list(self.window) if self.window else None,
            "day": self.day,
            "offset": {"days": self.offset.days, "working": self.offset.working} if self.offset else None,
            "trigger": self.trigger,
            "note": self.note,
        }


@dataclass
class Item:
    """One requirement a unit reports on. `id` is stable, e.g. "3-2" (task 3, requirement 2)."""

    id: str
    task: str
    requirement: str
    lead_units: list[str] = field(default_factory=list)
    co_units: list[str] = field(default_factory=list)
    deadline_text: str = ""
    deadline: Deadline = field(default_factory=lambda: Deadline(""))
    notes: str = ""
    context: dict[str, str] = field(default_factory=dict)
    parent_id: str | None = None
    # (lead, co) as the plan wrote them, when the 单位名录 resolved them to other names (aliases,
    # collectives); None when they are the names written
    written: tuple[list[str], list[str]] | None = None

    @property
    def lead_text(self) -> str:
        """The 牵头单位 cell as the plan wrote it."""
        return "、".join(self.written[0] if self.written else self.lead_units)

    @property
    def co_text(self) -> str:
        """The 配合单位 cell as the plan wrote it."""
        return "、".join(self.written[1] if self.written else self.co_units)

    @property
    def units(self) -> list[str]:
        """Every responsible unit, lead units first."""
        return self.lead_units + [u for u in self.co_units if u not in self.lead_units]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "task": self.task,
            "requirement": self.requirement,
            "lead_units": list(self.lead_units),
            "co_units": list(self.co_units),
            "deadline_text": self.deadline_text,
            "deadline": self.deadline.to_dict(),
            "notes": self.notes,
            "context": dict(self.context),
        }


@dataclass
class Plan:
    """An issued plan: metadata and items, plus what the importer was unsure about."""

    title: str = ""
    doc_number: str = ""
    issuer: str = ""
    issue_date: date | None = None
    year: int | None = None
    level: str = ""
    items: list[Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    source: str = ""
    directory: Directory | None = None  # the 单位名录 the items were resolved through (model.directory)

    @property
    def units(self) -> list[str]:
        """Every responsible unit in order of first appearance."""
        seen: dict[str, None] = {}
        for item in self.items:
            for unit in item.units:
                seen.setdefault(unit, None)
        return list(seen)

    def items_for(self, unit: str) -> list[Item]:
        """The items a unit reports on: where it is lead or co-unit."""
        return [i for i in self.items if unit in i.lead_units or unit in i.co_units]

    def ids_for(self, unit: str) -> frozenset[str]:
        """The ids of the items a unit reports on."""
        return frozenset(i.id for i in self.items_for(unit))

    @property
    def content_hash(self) -> str:
        """A hash of what units report against (ids, texts, units, deadlines): 12 hex digits."""
        rows = [[i.id, i.task, i.requirement, i.lead_units, i.co_units, i.deadline_text] for i in self.items]
        blob = json.dumps([self.title, self.year, rows], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]

    @property
    def plan_id(self) -> str:
        """The name a workbook records to tell which plan it belongs to: the 文号, else the short title."""
        return self.doc_number or self.short_title

    @property
    def short_title(self) -> str:
        """A short name for file names: the title without the issuing-office preamble."""
        title = self.title or "分工方案"
        for cut in ("关于印发", "关于"):
            if cut in title:
                title = title.split(cut, 1)[1]
        return title.removesuffix("的通知")

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape of `fengong import --json`."""
        return {
            "title": self.title,
            "doc_number": self.doc_number,
            "issuer": self.issuer,
            "issue_date": self.issue_date.isoformat() if self.issue_date else None,
            "year": self.year,
            "items": [i.to_dict() for i in self.items],
        }
