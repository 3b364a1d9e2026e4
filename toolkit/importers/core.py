"""Blocks → Plan: find the plan (task tables first, prose otherwise), its metadata, the
appendix unit lists, and parse every deadline. See `toolkit.model.blocks`."""

from __future__ import annotations

import re
from pathlib import Path

from toolkit.importers.cells import snippet
from toolkit.importers.metadata import read_metadata
from toolkit.importers.prose import read_prose
from toolkit.importers.table import Draft, read_table
from toolkit.model import Item, Plan, deadlines
from toolkit.model.blocks import Block, is_table
from toolkit.model.directory import propose
from toolkit.model.errors import HeaderNotRecognisedError, NoPlanFoundError
from toolkit.model.problems import Problem
from toolkit.model.units import expand_groups, normalise

APPENDIX_RE = re.compile(r"^附\s*件\s*\d*\s*[:：]?$")


def plan_from_blocks(blocks: list[Block], *, source: str, year: int | None = None) -> Plan:
    """Build a plan from a document's blocks. `year` overrides the plan year found in the text.

    Raises `NoPlanFoundError` when no task table or prose items are found and
    `HeaderNotRecognisedError` when the only tables have headers the importer does not know.
    """
    name = Path(source).name
    paragraphs = [b for b in blocks if not is_table(b)]
    problems: list[Problem] = []
    drafts: list[Draft] = []
    first_plan_block = None
    unknown_headers: list[list[str]] = []
    tables = [b for b in blocks if is_table(b)]
    for t, grid in enumerate(tables, start=1):
        label = f"{name} 表{t} " if len(tables) > 1 else f"{name} 表格"
        result = read_table(grid, label)
        if result is None:
            if grid and len(grid[0]) > 1:
                unknown_headers.append([c for c in grid[0] if c.strip()])
            continue
        if first_plan_block is None:
            first_plan_block = blocks.index(grid)
        drafts.extend(result.drafts)
        problems.extend(result.problems)
    prose = read_prose(paragraphs)
    title_before = None
    if drafts:
        title_before = sum(1 for b in blocks[:first_plan_block] if not is_table(b))
        if prose:
            problems.append(Problem.at(name, f"正文中另有 {len(prose)} 段带责任单位的文字（如“{snippet(prose[0].requirement)}”），"
                                          "已以任务表为准，未作为单独事项导入。"))
    elif prose:
        drafts = prose
        title_before = _index_of_paragraph(paragraphs, prose[0].where)
    if not drafts:
        if unknown_headers:
            found = "；".join("、".join(h) for h in unknown_headers[:3])
            raise HeaderNotRecognisedError(
                f"“{name}”中的表格表头无法识别，找到的表头：{found}。"
                "请把表头改为“序号、工作任务、具体要求、牵头单位、完成时限”等常用名称后重新导入。"
            )
        raise NoPlanFoundError(
            f"“{name}”中没有找到分工方案：既没有带“工作任务/具体要求/牵头单位/完成时限”表头的表格，"
            "也没有以“（责任单位：…）”或“（…牵头落实）”结尾的条目。请确认选择了正确的文件。"
        )
    meta = read_metadata(paragraphs, title_before)
    plan = Plan(title=meta.title, doc_number=meta.doc_number, issuer=meta.issuer,
                issue_date=meta.issue_date, year=year or meta.year, source=str(source))
    if plan.year is None:
        plan.year = _fallback_year(drafts)
        problems.append(Problem.at(name, f"未能从标题、文号或日期识别方案年度，已按 {plan.year} 年处理；"
                                      "可用 --year 指定。"))
    groups = appendix_groups(blocks)
    for d in drafts:
        lead, missing = expand_groups(d.lead, groups)
        co, missing_co = expand_groups(d.co, groups)
        for ref in missing + missing_co:
            problems.append(Problem.at(d.where, f"“{ref}”引用了附件，但文件中没有找到该附件名单，已按原文保留。"))
        deadline = deadlines.parse(d.deadline_text, plan.year)
        if d.deadline_text and deadline.kind == "none":
            problems.append(Problem.at(d.where, f"{d.id} 的完成时限“{d.deadline_text}”未能识别，请核对。"))
        if not lead and not co:
            problems.append(Problem.at(d.where, f"{d.id} 没有责任单位，请补上。"))
        plan.items.append(Item(id=d.id, task=d.task, requirement=d.requirement, lead_units=lead,
                               co_units=[u for u in co if u not in lead], deadline_text=d.deadline_text,
                               deadline=deadline, notes=d.notes, context=d.context))
    plan.directory, proposed = propose(plan, groups, f"{name} 单位名录")
    plan.problems = problems + proposed
    return plan


def appendix_groups(blocks: list[Block]) -> dict[str, list[str]]:
    """Unit lists in appendices: 「附件」, a heading such as 「市有关单位」, then a table or lines."""
    groups: dict[str, list[str]] = {}
    for i, block in enumerate(blocks):
        if is_table(block) or not APPENDIX_RE.match(block.strip()):
            continue
        j = i + 1
        while j < len(blocks) and not is_table(blocks[j]):
            heading = normalise(blocks[j])
            if heading.endswith(("单位", "部门", "名单")) and len(heading) <= 20:
                members = _members(blocks[j + 1:])
                if members:
                    groups[heading.removesuffix("名单")] = members
                break
            j += 1
    return groups


def _members(rest: list[Block]) -> list[str]:
    """Unit names from the table after a group heading (column by column) or from its lines."""
    if rest and is_table(rest[0]):
        grid = rest[0]
        width = max(len(r) for r in grid)
        cols = [[normalise(r[c]) for r in grid if c < len(r) and r[c].strip()] for c in range(width)]
        return [u for col in cols for u in col]
    members = []
    for block in rest:
        if is_table(block) or len(normalise(block)) > 25 or APPENDIX_RE.match(block.strip()):
            break
        members.append(normalise(block))
    return members


def _index_of_paragraph(paragraphs: list[str], where: str) -> int:
    m = re.search(r"\d+", where)
    return int(m.group()) - 1 if m else 0


def _fallback_year(drafts: list[Draft]) -> int:
    from datetime import date

    for d in drafts:
        m = re.search(r"(20\d\d)\s*年", d.deadline_text + d.requirement)
        if m:
            return int(m[1])
    return date.today().year
