"""Blocks → Plan: find the plan (task tables first, prose otherwise), its metadata, the
appendix unit lists, and parse every deadline. See `toolkit.model.blocks`."""

from __future__ import annotations

import re
from pathlib import Path

from toolkit.importers.cells import snippet
from toolkit.importers.columns import COLUMN_ROLES, parse_columns, suggest_columns
from toolkit.importers.headers import role_of, run_together_header
from toolkit.importers.metadata import read_metadata
from toolkit.importers.prose import read_prose
from toolkit.importers.rows import Draft
from toolkit.importers.table import TableResult, read_table
from toolkit.model import Item, Plan, deadlines
from toolkit.model.blocks import Block, Grid, is_table
from toolkit.model.directory import propose
from toolkit.model.errors import HeaderNotRecognisedError, NoPlanFoundError
from toolkit.model.problems import Problem
from toolkit.model.units import appendix_ref, normalise, unlisted_refs

APPENDIX_RE = re.compile(r"^附\s*件\s*\d*\s*[:：]?$")


def plan_from_blocks(
    blocks: list[Block], *, source: str, year: int | None = None, columns: str | dict[str, str] | None = None
) -> Plan:
    """Build a plan from a document's blocks. `year` overrides the plan year found in the text;
    `columns` maps header names to roles (`--columns 要求=具体内容,牵头=责任科室`, see `columns`).

    Raises `NoPlanFoundError` when no task table or prose items are found (saying what the
    document holds) and `HeaderNotRecognisedError` when a table looks like a plan but no
    requirement or units column can be placed (showing the `--columns` option to use).
    """
    name = Path(source).name
    overrides = parse_columns(columns)
    paragraphs = [b for b in blocks if isinstance(b, str)]
    problems: list[Problem] = []
    drafts: list[Draft] = []
    first_plan_block = None
    tables = [b for b in blocks if not isinstance(b, str)]
    used: list[tuple[int, TableResult]] = []
    others: list[int] = []
    for t, grid in enumerate(tables, start=1):
        label = f"{name} 表{t} " if len(tables) > 1 else f"{name} 表格"
        result = read_table(grid, label, overrides)
        if result is None:
            others.append(t)
            continue
        if first_plan_block is None:
            first_plan_block = blocks.index(grid)
        used.append((t, result))
        drafts.extend(result.drafts)
        problems.extend(result.problems)
    if (
        used
        and not any(d.lead or d.co for d in drafts)
        and not any(c.role in ("lead", "co") for _, r in used for c in r.columns)
    ):
        unknown = [(t, c.name) for t, r in used for c in r.columns if c.role is None]
        if unknown:  # a column under a name not known may hold the units
            raise HeaderNotRecognisedError(
                _columns_help(name, tables[unknown[0][0] - 1], "没有找到牵头单位（责任单位）列")
            )
        problems.append(
            Problem.at(
                name, f"任务表没有牵头单位（责任单位）列，{len(drafts)} 项任务的牵头单位均为空，请在计划表中补填。"
            )
        )
    if used and others:
        took = "、".join(f"第{t}个表格（表头：{_headers(tables[t - 1])}）" for t, _ in used)
        rest = "；".join(f"第{t}个（表头：{_headers(tables[t - 1]) or '无'}）" for t in others)
        problems.append(
            Problem.at(name, f"文件中有 {len(tables)} 个表格，采用{took}作为任务表；其余表格{rest}不是任务表，未导入。")
        )
    prose = read_prose(paragraphs)
    title_before = None
    if drafts:
        title_before = sum(1 for b in blocks[:first_plan_block] if not is_table(b))
        if prose:
            problems.append(
                Problem.at(
                    name,
                    f"正文中另有 {len(prose)} 段带责任单位的文字（如“{snippet(prose[0].requirement)}”），"
                    "已以任务表为准，未作为单独事项导入。",
                )
            )
    elif prose:
        drafts = prose
        title_before = _index_of_paragraph(paragraphs, prose[0].where)
    if not drafts:
        plan_like = [g for g in tables if _looks_like_task_table(g)]
        if plan_like:
            raise HeaderNotRecognisedError(_columns_help(name, max(plan_like, key=len), "表头无法识别"))
        found = "；".join(f"第{t}个表头：{_headers(g) or '无'}" for t, g in enumerate(tables[:5], start=1))
        tables_said = f"{len(tables)} 个表格（{found}）" if tables else "0 个表格"
        run_together = next(filter(None, map(run_together_header, paragraphs)), None)
        if run_together:
            raise NoPlanFoundError(
                f"“{name}”中表格的各格连在了一起（如“{run_together}”），像是从 PDF 复制时丢了分隔，"
                "无法分出各列和各项任务。请改用原 Word/Excel 文件，或先把 PDF 另存为 Word 后再导入。"
            )
        if _traditional(paragraphs, tables):
            raise NoPlanFoundError(
                f"“{name}”是繁体字文本（如“牽頭”“單位”），无法识别其中的表头和责任单位。"
                "请先在 Word/WPS 中用“繁转简”转换为简体后再导入。"
            )
        raise NoPlanFoundError(
            f"“{name}”中没有找到分工方案，不像是方案文件：文件中有 {tables_said}、{len(paragraphs)} 段文字，"
            "但既没有带“工作任务/具体要求/牵头单位/完成时限”表头的任务表，"
            "也没有以“（责任单位：…）”或“（…牵头落实）”结尾的条目。请确认选择了正确的文件"
            "（如是方案的通知正文，请选择附件中的任务分工表）。"
        )
    meta = read_metadata(paragraphs, title_before)
    plan = Plan(
        title=meta.title,
        doc_number=meta.doc_number,
        issuer=meta.issuer,
        issue_date=meta.issue_date,
        year=year or meta.year,
        source=str(source),
    )
    if plan.year is None:
        plan.year = _fallback_year(drafts)
        problems.append(
            Problem.at(name, f"未能从标题、文号或日期识别方案年度，已按 {plan.year} 年处理；可用 --year 指定。")
        )
    groups = appendix_groups(blocks)
    for d in drafts:
        lead = list(dict.fromkeys(appendix_ref(u)[0] for u in d.lead))  # 「市有关单位」 as the plan says
        co = [u for u in dict.fromkeys(appendix_ref(u)[0] for u in d.co) if u not in lead]
        for ref in unlisted_refs([*d.lead, *d.co], groups):
            problems.append(Problem.at(d.where, f"“{ref}”引用了附件，但文件中没有找到该附件名单，已按原文保留。"))
        deadline = deadlines.parse(d.deadline_text, plan.year)
        if d.deadline_text and deadline.kind == "none":
            problems.append(Problem.at(d.where, f"{d.id} 的完成时限“{d.deadline_text}”未能识别，请核对。"))
        if not lead and not co:
            problems.append(Problem.at(d.where, f"{d.id} 没有责任单位，请补上。"))
        plan.items.append(
            Item(
                id=d.id,
                task=d.task,
                requirement=d.requirement,
                lead_units=lead,
                co_units=co,
                deadline_text=d.deadline_text,
                deadline=deadline,
                notes=d.notes,
                context=d.context,
            )
        )
    directory, proposed = propose(plan, groups, f"{name} 单位名录")
    directory.resolve_plan(plan)  # collectives an appendix lists → their members, as reading the workbook does
    plan.problems = problems + proposed
    return plan


TRADITIONAL_RE = re.compile("[牽頭責單門區縣辦務關發實與會員這對]")  # common in plans, never in simplified text


def _traditional(paragraphs: list[str], tables: list[Grid]) -> bool:
    """Whether the text is in traditional characters (a page converted by a web site)."""
    text = "".join(paragraphs[:50]) + "".join(str(c) for g in tables[:3] for row in g[:20] for c in row)
    return len(TRADITIONAL_RE.findall(text)) >= 10


def appendix_groups(blocks: list[Block]) -> dict[str, list[str]]:
    """Unit lists in appendices: 「附件」, a heading such as 「市有关单位」, then a table or lines."""
    groups: dict[str, list[str]] = {}
    for i, block in enumerate(blocks):
        if not isinstance(block, str) or not APPENDIX_RE.match(block.strip()):
            continue
        j = i + 1
        while j < len(blocks) and isinstance(blocks[j], str):
            heading = normalise(str(blocks[j]))
            if heading.endswith(("单位", "部门", "名单")) and len(heading) <= 20:
                members = _members(blocks[j + 1 :])
                if members:
                    groups[heading.removesuffix("名单")] = members
                break
            j += 1
    return groups


def _members(rest: list[Block]) -> list[str]:
    """Unit names from the table after a group heading (column by column) or from its lines."""
    if rest and not isinstance(rest[0], str):
        grid = rest[0]
        width = max(len(r) for r in grid)
        cols = [[normalise(r[c]) for r in grid if c < len(r) and r[c].strip()] for c in range(width)]
        return [u for col in cols for u in col]
    members = []
    for block in rest:
        if not isinstance(block, str) or len(normalise(block)) > 25 or APPENDIX_RE.match(block.strip()):
            break
        members.append(normalise(block))
    return members


def _headers(grid: list[list[str]], limit: int = 8) -> str:
    """The first non-empty row of a table, merged repeats once: 「序号、工作任务、牵头单位」."""
    row = next((r for r in grid if any(c.strip() for c in r)), [])
    names = list(dict.fromkeys(snippet(c, 12) for c in row if c.strip()))
    return "、".join(names[:limit]) + ("…" if len(names) > limit else "")


def _looks_like_task_table(grid: list[list[str]]) -> bool:
    """A plan whose header is not known: a header naming one known column (项目, 责任单位), or
    three or more rows and columns with one column of sentences."""
    header_row = next((r for r in grid if any(c.strip() for c in r)), [])
    if len(grid) >= 2 and len(header_row) >= 2 and any(role_of(c) for c in header_row):
        return True
    if len(grid) < 3 or max(len(r) for r in grid) < 3:
        return False
    width = max(len(r) for r in grid)
    for c in range(width):
        cells = [r[c] for r in grid[1:] if c < len(r) and r[c].strip()]
        if cells and sum(len(x) for x in cells) / len(cells) >= 15:
            return True
    return False


def _columns_help(name: str, grid: list[list[str]], what: str) -> str:
    """The error text when columns cannot be placed: the headers found and the --columns to use."""
    header_row = next((r for r in grid if any(c.strip() for c in r)), [])
    at = grid.index(header_row) if header_row else 0
    roles = {role_of(c) for c in header_row}
    missing = [r for r, names in (("req", {"req", "task", "level"}), ("lead", {"lead", "co"})) if not roles & names]
    option = suggest_columns(header_row, grid[at + 1 : at + 21], missing or ["req", "lead"])
    return (
        f"“{name}”的表格{what}。找到的表头：{_headers(grid, 12) or '无'}。"
        f"请用 --columns 指明各列，例如：fengong import {name} {option}"
        f"（可用的列名：{'、'.join(COLUMN_ROLES)}；写法为 列名=表头，多个用逗号分隔）。"
    )


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
