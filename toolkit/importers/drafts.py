"""Tasks of a plan table → draft items: units and deadlines carried down ("same as above"),
numbered parts matched with their units and deadline paragraphs, ids made unique."""

from __future__ import annotations

import re

from toolkit.importers.cells import clean, paragraphs, split_numbered
from toolkit.importers.rows import Draft, Task
from toolkit.model.problems import Problem
from toolkit.model.units import parse_units

LIST_IN_BRACKETS_RE = re.compile(r"（[^（）]*、[^（）]*）")


def drafts_of(tasks: list[Task], has_req: bool, problems: list[Problem]) -> list[Draft]:
    drafts: list[Draft] = []
    prev_units: tuple[str, list[str], list[str]] | None = None
    prev_deadline = ""
    prev_task = None
    seen: set[str] = set()
    for task in tasks:
        index = 0
        context: dict[str, str] = {}
        for row in task.rows:
            context = {k: v or context.get(k, "") for k, v in row.context.items()}
            lead_cell, deadline_cell = row.cells["lead"], row.cells["deadline"]
            if lead_cell.strip() or row.cells["co"].strip():
                units = parse_units_cell(lead_cell)
                co_extra = parse_units_cell(row.cells["co"])
                prev_units = (
                    lead_cell,
                    units[1],
                    units[2] + [u for u in co_extra[1] + co_extra[2] if u not in units[2]],
                )
                for note in units[0]:
                    problems.append(Problem.at(row.where, note))
            elif prev_units is not None and prev_task is not task:
                problems.append(
                    Problem.at(
                        row.where,
                        f"任务 {task.number} 的牵头单位为空，已沿用上一行的"
                        f"“{'、'.join(prev_units[1] + prev_units[2])}”，请核对。",
                    )
                )
            if deadline_cell.strip():
                prev_deadline = deadline_cell
            elif prev_deadline and prev_task is not task:
                problems.append(
                    Problem.at(
                        row.where,
                        f"任务 {task.number} 的完成时限为空，已沿用上一行的“{clean(prev_deadline)}”，请核对。",
                    )
                )
            prev_task = task
            parts = row.parts or [(None, "")]
            unit_paras = _pieces(lead_cell) if prev_units and lead_cell.strip() else []
            deadline_paras = _pieces(deadline_cell)
            if len(parts) > 1 and len(deadline_paras) > 1 and len(deadline_paras) != len(parts):
                problems.append(
                    Problem.at(
                        row.where,
                        f"具体要求有 {len(parts)} 项，完成时限有 {len(deadline_paras)} 段，"
                        "无法一一对应，每项都按整格时限处理，请核对。",
                    )
                )
            for k, (_, text) in enumerate(parts):
                index += 1
                lead, co = (prev_units[1], prev_units[2]) if prev_units else ([], [])
                if len(unit_paras) == len(parts) > 1:
                    _, lead, co = parse_units_cell(unit_paras[k])
                deadline = prev_deadline
                if len(deadline_paras) == len(parts) > 1:
                    deadline = deadline_paras[k]
                item_id = f"{task.number}-{index}" if has_req or len(task.rows) > 1 else task.number
                if item_id in seen:
                    problems.append(Problem.at(row.where, f"编号 {item_id} 重复，已改为 {item_id}a。"))
                    item_id += "a"
                seen.add(item_id)
                title = task.title if has_req else row.section or task.title
                drafts.append(
                    Draft(
                        item_id,
                        title,
                        text if has_req else row.title or task.title,
                        list(lead),
                        list(co),
                        deadline_text(deadline),
                        clean(row.cells["notes"]),
                        _part_context(context, k, len(parts)),
                        row.where,
                    )
                )
                if not text and has_req:
                    problems.append(Problem.at(row.where, f"{item_id} 的具体要求为空。"))
    return drafts


def _pieces(cell: str) -> list[str]:
    """A cell's `<p>` paragraphs, or its lines (Word cells join paragraphs with line breaks)."""
    paras = paragraphs(cell)
    if len(paras) > 1:
        return paras
    return [line for line in (cell or "").split("\n") if line.strip()]


def deadline_text(cell: str) -> str:
    """A 完成时限 cell as one text; its `<p>` paragraphs on separate lines."""
    return "\n".join(clean(line) for p in paragraphs(cell) for line in p.split("\n") if line.strip())


def _part_context(context: dict[str, str], k: int, count: int) -> dict[str, str]:
    """The upper-level texts of part k: its own numbered part when the cell has as many.

    Empty texts are left out (a kept column with nothing on this row says nothing)."""
    out = {}
    for label, text in context.items():
        if not text.strip():
            continue
        parts = split_numbered(text)
        out[label] = parts[k][1] if count > 1 and len(parts) == count else clean(text)
    return out


def parse_units_cell(text: str) -> tuple[list[str], list[str], list[str]]:
    """(notes, lead, co) of a units cell; `<p>` paragraphs are read together.

    A name whose brackets hold a list (「市食品药品监督管理局（市、区政府）（管委会）」) is not an
    alias but text that extraction garbled; it is kept as written and noted.
    """
    units = parse_units("、".join(clean_lines(p) for p in paragraphs(text)))
    notes = units.notes + [
        f"单位“{u}”括号中是一串名称而不是别称，可能是两个单位（如某局和“各县（市、区）人民政府"
        "（管委会）”）在提取时粘连、残缺，已按原文保留，请核对。"
        for u in units.lead + units.co
        if LIST_IN_BRACKETS_RE.search(u) and not u.startswith("各")
    ]
    return notes, units.lead, units.co


def clean_lines(text: str) -> str:
    """A units text with <p> tags gone and line breaks kept (they may separate units)."""
    return text.replace("<p>", "").replace("</p>", "").strip()
