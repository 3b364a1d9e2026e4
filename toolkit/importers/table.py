"""A plan table (a Grid with a recognised header) → rows grouped into tasks → draft items.

Blank cells mean "same as above"; header rows repeated mid-table are skipped; a 序号 column
that also carries a second running number (seed 003) is read through the requirement
numbering; rows shorter than the header are aligned by their content; requirement numbering
that breaks at a task boundary is repaired by moving rows or task labels (`_pull_back`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.importers.cells import (
    clean,
    clean_title,
    number,
    snippet,
    split_numbered,
)
from toolkit.importers.drafts import drafts_of
from toolkit.importers.headers import Column, find_header, is_header_row
from toolkit.importers.rows import Draft, Row, Task
from toolkit.model.problems import Problem
from toolkit.model.units import looks_like_units

FIELDS = ("seq", "task", "req", "lead", "co", "deadline", "notes")
PLACEHOLDERS = ("", "-", "—", "/")
# A section row: 「一、创新驱动」「（二）产业发展」「第三部分 …」 alone on its row.
SECTION_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+(?:部分|章|篇))\s*"
)
# The cells that go with a task's label rather than with its requirement text.
LABEL_FIELDS = ("seq", "task", "lead", "co")


@dataclass
class TableResult:
    drafts: list[Draft]
    problems: list[Problem]
    has_deadline: bool
    columns: list[Column]


def header_of(grid: list[list[str]], overrides: dict[str, str] | None = None) -> tuple[int, list[Column]] | None:
    """The recognised header of a grid that is a plan table, or None."""
    found = find_header(grid, overrides=overrides)
    if not found:
        return None
    roles = {c.role for c in found[1]}
    if not roles & {"task", "req", "level"} or not roles & {"lead", "deadline", "seq"}:
        return None
    return found


def read_table(grid: list[list[str]], name: str, overrides: dict[str, str] | None = None) -> TableResult | None:
    """Draft items of one plan table, or None if its header is not a plan header."""
    found = header_of(grid, overrides)
    if not found:
        return None
    start, columns = found
    problems: list[Problem] = []
    rows = _rows(grid, start, columns, name, problems)
    kept = [_kept_name(c) for c in columns if c.role not in FIELDS and c.name and c.role != "level"]
    if kept:
        example = next((c.name for c in columns if c.role is None and c.name), "列名")
        problems.append(
            Problem.at(
                name,
                f"表头中的“{'”“'.join(dict.fromkeys(kept))}”不是方案的固定列，"
                "各行内容已保留在方案工作簿的“上级要求”栏（【列名】内容）。"
                "如其中有应作为具体要求、牵头单位等读入的列，请用 --columns 指定，"
                f"例如 --columns 要求={example}。",
            )
        )
    has_req = any(c.role in ("req", "level") for c in columns)
    tasks = _group(rows, has_req, any(c.role == "seq" for c in columns), problems)
    if any(c.role == "level" for c in columns):
        tasks = _split_gaps(tasks, problems)
    tasks = _pull_back(tasks, problems)
    drafts = drafts_of(tasks, has_req, problems)
    return TableResult(drafts, problems, any(c.role == "deadline" for c in columns), columns)


def _rows(grid: list[list[str]], start: int, columns: list[Column], name: str, problems: list[Problem]) -> list[Row]:
    width = len(columns)
    req_cols = [i for i, c in enumerate(columns) if c.role in ("req", "level")]
    plan_col = req_cols[-1] if req_cols else None
    rows = []
    section = ""
    for r, raw in enumerate(grid[start:], start=start + 1):
        where = f"{name}第{r}行"
        if not any(c.strip() for c in raw) or is_header_row(raw):
            continue
        heading = section_heading(raw)
        if heading:
            section = heading
            continue
        cells = list(raw)
        if len(cells) < width:
            cells, offset = _align(cells, columns)
            if offset:
                problems.append(
                    Problem.at(
                        where,
                        f"该行只有 {len(raw)} 个单元格（表头 {width} 列），"
                        f"已按内容对齐到第 {offset + 1} 列起，请核对：{snippet(' '.join(raw))}",
                    )
                )
        by_role = {f: "" for f in FIELDS}
        context = {"分类": section} if section else {}
        for i, text in enumerate(c.strip() for c in cells):
            col = columns[i] if i < width else None
            if i == plan_col:
                by_role["req"] = text
            elif i in req_cols and col:
                context[col.label] = text
            elif col and col.role in by_role and not (by_role[col.role] and text):
                by_role[col.role] = by_role[col.role] or text
            elif (text and text not in PLACEHOLDERS) or (col and col.name):
                # a column the plan has no field for (领导, 分类, 单位, 2021年完成…): kept, never dropped
                context[_kept_name(col) if col and col.name else f"第{i + 1}列"] = text
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            problems.append(
                Problem.at(
                    where,
                    f"该行比表头多出 {len(cells) - width} 个单元格，内容已保留在"
                    f"“上级要求”栏：{snippet(' '.join(c for c in cells[width:] if c.strip()))}",
                )
            )
        row = Row(
            where,
            by_role,
            context,
            seq=number(by_role["seq"]),
            title=clean_title(by_role["task"]),
            section=SECTION_RE.sub("", section),
        )
        row.parts = split_numbered(by_role["req"]) if plan_col is not None else [(None, row.title)]
        rows.append(row)
    return rows


def _kept_name(col: Column) -> str:
    """The context key of a column kept as it is: its header (「计量单位」 for a 单位 of measure)."""
    return "计量单位" if col.role == "measure" else col.name


def section_heading(raw: list[str]) -> str:
    """The text of a section row (one text, maybe merged across the row, with a 一、 number), or ""."""
    texts = {c.strip() for c in raw if c.strip()}
    if len(texts) != 1:
        return ""
    (text,) = texts
    return text if SECTION_RE.match(text) and len(text) <= 40 and not number(raw[0]) else ""


def _align(cells: list[str], columns: list[Column]) -> tuple[list[str], int]:
    """Place a short row where its cells fit the columns best (units under 牵头单位 …)."""
    width = len(columns)
    best, best_score = 0, None
    for offset in range(width - len(cells) + 1):
        score = sum(_fit(cells[i], columns[offset + i].role) for i in range(len(cells)))
        if best_score is None or score > best_score:
            best, best_score = offset, score
    return [""] * best + cells + [""] * (width - len(cells) - best), best


def _fit(text: str, role: str | None) -> int:
    text = clean(text)
    if not text:
        return 0
    looks_unit = len(text) <= 40 and (text[-1] in "局办委室会院心府门位处队站所）" or looks_like_units(text))
    looks_deadline = any(k in text for k in ("年", "月", "全年", "前", "后", "每"))
    if role == "seq":
        return 2 if number(text) else -2
    if role in ("lead", "co"):
        return 2 if looks_unit else -1
    if role == "deadline":
        return 2 if looks_deadline and len(text) <= 40 else -1
    if role in ("req", "level", "task"):
        return 1 if len(text) > 15 else 0
    return 0


def _group(rows: list[Row], has_req: bool, has_seq: bool, problems: list[Problem]) -> list[Task]:
    """Rows → tasks. A new 序号 starts a task unless the requirement numbering continues.

    Without a requirement column, a row without 序号 under a (merged) 序号 is a sub-row of
    that task; without a 序号 column, every row with a task text is a task.
    """
    tasks: list[Task] = []
    running_noted = False
    for row in rows:
        cur = tasks[-1] if tasks else None
        first = row.parts[0][0] if row.parts else None
        continues = cur is not None and first is not None and first == cur.last_number + 1 and first > 1
        if not has_req:
            if row.seq or (row.title and (cur is None or not has_seq)):
                tasks.append(Task(row.seq or _next_number(tasks), row.title))
            elif cur is None:
                continue
        elif cur is None:
            tasks.append(Task(row.seq or "1", row.title))
        elif row.seq and row.title:
            if row.seq != cur.number:
                tasks.append(Task(row.seq, row.title))
        elif row.seq:
            if continues and row.seq != cur.number:
                if not running_noted:
                    problems.append(
                        Problem.at(
                            row.where, f"序号列中有另一套流水号（如“{row.seq}”），已按具体要求的编号归入所在任务。"
                        )
                    )
                    running_noted = True
            elif row.seq != cur.number:
                tasks.append(Task(row.seq, ""))
                problems.append(Problem.at(row.where, f"任务 {row.seq} 的工作任务栏为空，请补上任务名称。"))
        elif row.title and row.title != cur.title and not continues:
            tasks.append(Task(_next_number(tasks), row.title))
            problems.append(Problem.at(row.where, f"任务“{snippet(row.title)}”没有序号，已编为 {tasks[-1].number}。"))
        tasks[-1].rows.append(row)
        if not tasks[-1].title and row.title:
            tasks[-1].title = row.title
    return tasks


def _next_number(tasks: list[Task]) -> str:
    nums = [int(t.number) for t in tasks if t.number.isdigit()]
    return str(max(nums, default=0) + 1)


def _split_gaps(tasks: list[Task], problems: list[Problem]) -> list[Task]:
    """序号 23 then 26 with two new upper-level requirements in between: those are 24 and 25."""
    out: list[Task] = []
    for i, task in enumerate(tasks):
        nxt = tasks[i + 1].number if i + 1 < len(tasks) else ""
        gap = int(nxt) - int(task.number) - 1 if nxt.isdigit() and task.number.isdigit() else 0
        starts = [
            j
            for j, row in enumerate(task.rows)
            if j
            and not row.seq
            and not row.title
            and any(row.context.values())
            and (not row.parts or row.parts[0][0] in (None, 1))
        ]
        if gap <= 0 or len(starts) < gap:
            if gap > 0:
                problems.append(
                    Problem.at(task.rows[-1].where, f"序号从 {task.number} 跳到 {nxt}，请核对是否漏了任务。")
                )
            out.append(task)
            continue
        cuts = starts[-gap:]
        out.append(Task(task.number, task.title, task.rows[: cuts[0]]))
        for k, cut in enumerate(cuts):
            end = cuts[k + 1] if k + 1 < len(cuts) else len(task.rows)
            num = str(int(task.number) + k + 1)
            out.append(Task(num, "", task.rows[cut:end]))
            problems.append(
                Problem.at(
                    task.rows[cut].where,
                    f"该行没有序号和任务名称，按序号空缺（{task.number} 之后是 {nxt}）"
                    f"判为任务 {num}，请核对并补上任务名称。",
                )
            )
    return out


def _pull_back(tasks: list[Task], problems: list[Problem]) -> list[Task]:
    """A task whose requirements start at 「2．」 takes 「1．」 from the end of the task above.

    Text from PDFs puts a merged 序号 cell in the middle of its rows, so the first row of a
    task can sit under the previous 序号 (seed 001: 「1．推动国有企业改制…」 above 「11」).
    When that 「1．」 is the only row of the task above, the labels are shifted instead
    (`_shift_labels`); otherwise the gap is reported.
    """
    for i in range(1, len(tasks)):
        task, prev = tasks[i], tasks[i - 1]
        first = task.rows[0].parts[0][0] if task.rows and task.rows[0].parts else None
        if not first or first <= 1:
            continue
        moved: list[Row] = []
        want = first - 1
        for row in reversed(prev.rows[1:]):
            nums = [n for n, _ in row.parts]
            if row.seq or not nums or nums[-1] != want or None in nums:
                break
            moved.insert(0, row)
            want = (nums[0] or 0) - 1
            if want == 0:
                break
        if moved and want == 0:
            prev.rows = prev.rows[: len(prev.rows) - len(moved)]
            task.rows = moved + task.rows
            problems.append(
                Problem.at(
                    moved[0].where,
                    f"该行（{snippet(moved[0].cells['req'])}）没有序号，"
                    f"按编号接续判为任务 {task.number} 的第 1 项，请核对。",
                )
            )
        elif i < 2 or not _shift_labels(tasks[i - 2], prev, task, first, problems):
            problems.append(
                Problem.at(
                    task.rows[0].where,
                    f"任务 {task.number} 的具体要求从第 {first} 项开始编号，前面的要求可能错位到了上一任务，请核对。",
                )
            )
    return tasks


def _shift_labels(above: Task, prev: Task, task: Task, first: int, problems: list[Problem]) -> bool:
    """Labels one row below their requirements: realign them, or return False.

    Task `task` starts at 「first．」 and its 「1．…」 is the only row of `prev`, so pulling it
    back would leave `prev` without a requirement. If `above` ends with an unnumbered row that
    trails its numbered requirements and has no 序号, task or units of its own, the 序号, task
    and units cells of `prev` and `task` sit one row below their requirement and deadline
    cells (seed 001: 「公布进城务工人员随迁子女…」 is task 17 推进教育信息公开, 「1．创新医疗机构…」
    is task 18 推进卫生…). Those cells move up one row; requirements and deadlines stay.
    """
    if len(prev.rows) != 1 or len(above.rows) < 2:
        return False
    tail, lone, head = above.rows[-1], prev.rows[0], task.rows[0]
    if [n for n, _ in lone.parts] != list(range(1, first)) or above.last_number < 1:
        return False
    if len(tail.parts) != 1 or tail.parts[0][0] is not None or any(tail.cells[f].strip() for f in LABEL_FIELDS):
        return False
    for upper, lower in ((tail, lone), (lone, head)):
        upper.cells.update({f: lower.cells[f] for f in LABEL_FIELDS})
        upper.seq, upper.title = lower.seq, lower.title
    head.cells.update({f: "" for f in LABEL_FIELDS})
    head.seq, head.title = "", ""
    above.rows.pop()
    prev.rows = [tail]
    task.rows.insert(0, lone)
    problems.append(
        Problem.at(
            tail.where,
            f"任务 {task.number} 的具体要求从第 {first} 项开始编号，第 1 项在任务 {prev.number} 的行上，而任务 "
            f"{above.number} 末尾有一行没有编号：判断任务 {prev.number}、{task.number} 的序号、工作任务和牵头单位"
            f"比具体要求和完成时限低了一行，已上移一行对齐：“{snippet(tail.cells['req'])}”归任务 {prev.number}，"
            f"“{snippet(lone.cells['req'])}”归任务 {task.number}，请核对。",
        )
    )
    return True
