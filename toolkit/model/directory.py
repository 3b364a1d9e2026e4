"""The 单位名录: which names are one unit, which are collectives, whom to call. Stdlib only.

One `Entry` per row of the 单位名录 sheet of the plan workbook:

- 单位: the one name used everywhere (file names, the summary); 别名: other spellings of it;
- 属于: the collectives the unit belongs to (「区属各部门」「市有关单位」). A collective is a row
  that other rows name in 属于; its items go to each member, with the role the plan gave it;
- 联系人 / 电话 / 备注;
- 状态: 「待确认」 marks what the import only guessed. A 待确认 row's 别名 are NOT merged into it and,
  for a collective, its members do NOT receive its items, until the clerk clears the mark: the
  names stay units of their own, exactly as without a directory. Never a silent merge.

`propose` builds the directory at import (every unit, the guessed merges and collectives, and the
problems that list them); `Directory.resolve_plan` rewrites a plan's items through it once after
reading (aliases → the unit's name, collectives → their members), keeping the names as written
in `Item.written` for display.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from toolkit.model.errors import TemplateError, UsageError
from toolkit.model.problems import Problem
from toolkit.model.units import OPEN, SEPARATORS, appendix_ref, split_units

if TYPE_CHECKING:
    from toolkit.model.plan import Plan

PENDING = "待确认"
COLLECTIVE_NOTE = "统称"
NAME_SEP = "、"
COLLECTIVE_RE = re.compile(r"^各|各(?:有关|相关)?(?:部门|单位)|(?:有关|相关)(?:单位|部门)|见附件")
# Collectives of lower-level governments (towns, districts …): a plan never lists them among its units.
SUBORDINATE_RE = re.compile(r"县|镇|街|乡|园区|人民政府|管委会")
LEVELS = "市区县镇省"
BRACKET_RE = re.compile(r"^(?P<base>.+?)（(?P<inner>[^（）]+)）$")


class DirectoryError(TemplateError):
    """A 单位名录 row that contradicts another (a name twice, an alias that is a unit, a cycle …)."""


@dataclass
class Entry:
    """One row of the 单位名录. `cells` maps a column name to its cell (「B5」) for messages."""

    unit: str
    aliases: list[str] = field(default_factory=list)
    member_of: list[str] = field(default_factory=list)
    contact: str = ""
    phone: str = ""
    note: str = ""
    pending: bool = False
    cells: dict[str, str] = field(default_factory=dict)

    def cell(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class Directory:
    """The rows of a 单位名录, checked on construction (`DirectoryError` names the cell)."""

    entries: list[Entry] = field(default_factory=list)
    sheet: str = "单位名录"

    def __post_init__(self) -> None:
        self._check()

    # --- lookups -----------------------------------------------------------------------------

    def entry(self, name: str) -> Entry | None:
        """The row whose 单位 is `name`, or whose confirmed 别名 includes it."""
        unit = self.canonical(name)
        return self._by_unit.get(unit)

    def canonical(self, name: str) -> str:
        """The unit `name` is another spelling of (confirmed aliases only), else `name` itself."""
        return self._alias.get(name, name)

    def alias_note(self, name: str, done: str) -> str:
        """The warning for a workbook that spells its unit `name` as a confirmed alias ("" if not);
        `done` is what was done as that unit (汇总, 校验)."""
        found = self.canonical(name)
        return f"“{name}”按单位名录即“{found}”，已按后者{done}。" if found != name else ""

    def members(self, name: str) -> list[str]:
        """The units a confirmed collective stands for (collectives inside it expanded), else []."""
        out: list[str] = []
        for member in self._members.get(name, ()):
            for unit in self.members(member) or [member]:
                if unit not in out:
                    out.append(unit)
        return out

    def is_collective(self, name: str) -> bool:
        return bool(self._members.get(self.canonical(name)))

    def resolve(self, names: list[str]) -> list[str]:
        """Names as a plan writes them → the units they mean: aliases to 单位, collectives to members."""
        out: dict[str, None] = {}  # in order, each once (a plan of 7,500 items × 20 units)
        for name in names:
            unit = self.canonical(name)
            for u in self.members(unit) or (unit,):
                out[u] = None
        return list(out)

    def names(self) -> list[str]:
        """Every name a unit may be written as (units and confirmed aliases), longest first."""
        return sorted({*self._by_unit, *self._alias}, key=len, reverse=True)

    def contact(self, unit: str) -> tuple[str, str]:
        """(联系人, 电话) of a unit, ("", "") when the directory has none."""
        e = self.entry(unit)
        return (e.contact, e.phone) if e else ("", "")

    def pending(self) -> list[Entry]:
        return [e for e in self.entries if e.pending]

    def resolve_plan(self, plan: Plan) -> None:
        """Rewrite each item's units through the directory (once, after reading); `Item.written`
        keeps the names as the plan wrote them. A unit that both leads and helps leads."""
        for item in plan.items:
            written = item.written or (list(item.lead_units), list(item.co_units))
            lead = self.resolve(written[0])
            co = [u for u in self.resolve(written[1]) if u not in lead]
            if (lead, co) != (item.lead_units, item.co_units):
                item.written = written
            item.lead_units, item.co_units = lead, co
        plan.directory = self

    def set_contact(self, unit: str, contact: str, phone: str) -> bool:
        """Record what a unit filled in as 填报人 / 联系电话; True when that changed the row."""
        e = self.entry(unit)
        if e is None:
            e = Entry(unit)
            self.entries.append(e)
            self._by_unit[unit] = e
        changed = False
        if contact and contact != e.contact:
            e.contact, changed = contact, True
        if phone and phone != e.phone:
            e.phone, changed = phone, True
        return changed

    # --- the checks ----------------------------------------------------------------------------

    def _where(self, e: Entry, column: str) -> str:
        return f"工作表“{self.sheet}”{e.cell(column) or '第 ? 行'}"

    def _check(self) -> None:
        by_unit: dict[str, Entry] = {}
        for e in self.entries:
            if not e.unit:
                raise DirectoryError(
                    f"{self._where(e, '单位')}的“单位”为空，但该行填了其他内容。请填上单位名称，或删除整行。"
                )
            if e.unit in by_unit:
                raise DirectoryError(
                    f"{self._where(e, '单位')}：单位“{e.unit}”在名录中出现了两次"
                    f"（另见 {by_unit[e.unit].cell('单位')}）。请合并为一行，其他写法填入“别名”。"
                )
            by_unit[e.unit] = e
        alias: dict[str, str] = {}
        alias_at: dict[str, Entry] = {}
        for e in self.entries:
            for a in e.aliases:
                if a in by_unit and a != e.unit:
                    raise DirectoryError(
                        f"{self._where(e, '别名')}：别名“{a}”同时是名录中单独的一个单位"
                        f"（{by_unit[a].cell('单位')}）。如是同一单位，请删除那一行；如不是，请从别名中删去。"
                    )
                if a in alias_at and alias_at[a] is not e:
                    raise DirectoryError(
                        f"{self._where(e, '别名')}：别名“{a}”也是“{alias_at[a].unit}”的别名"
                        f"（{alias_at[a].cell('别名')}）。一个名称只能属于一个单位，请删去其中一处。"
                    )
                alias_at[a] = e
                if not e.pending and a != e.unit:
                    alias[a] = e.unit
        members: dict[str, list[str]] = {}
        for e in self.entries:
            for group in e.member_of:
                target = by_unit.get(alias.get(group, group))
                if target is None:
                    raise DirectoryError(
                        f"{self._where(e, '属于')}：“{e.unit}”属于“{group}”，但名录中没有“{group}”这一行。"
                        f"请为“{group}”加一行（单位填“{group}”），或改正“属于”中的名称。"
                    )
                if target is e:
                    raise DirectoryError(f"{self._where(e, '属于')}：“{e.unit}”不能属于它自己。请删去。")
                if not target.pending:
                    members.setdefault(target.unit, []).append(e.unit)
        self._by_unit, self._alias, self._members = by_unit, alias, members
        for name in members:
            self._no_cycle(name, [])

    def _no_cycle(self, name: str, path: list[str]) -> None:
        if name in path:
            loop = "→".join([*path[path.index(name) :], name])
            e = self._by_unit[path[-1]]
            raise DirectoryError(
                f"{self._where(e, '属于')}：统称互相包含（{loop}），无法确定成员。请删去其中一处“属于”。"
            )
        for member in self._members.get(name, ()):
            self._no_cycle(member, [*path, name])


# --- what the import proposes ----------------------------------------------------------------


def looks_collective(name: str) -> bool:
    """「各有关单位」「区属各部门」「市有关单位（见附件）」「各镇（街、园区）」: a name for many units."""
    return bool(COLLECTIVE_RE.search(name))


def chosen_units(plan: Plan, names: list[str]) -> list[str]:
    """The units `names` mean («、» lists split; another spelling or a collective through the
    plan's directory), for `distribute --units` and `gantt --units`; UsageError naming any the
    plan does not have."""
    wanted = [u for text in names for u in split_units(text)]
    if plan.directory:
        wanted = plan.directory.resolve(wanted)
    unknown = [u for u in wanted if u not in plan.units]
    if unknown:
        listed = "、".join(plan.units[:30]) + ("等" if len(plan.units) > 30 else "")
        raise UsageError(
            f"以下单位不在方案“{plan.title or plan.source}”中：{'、'.join(unknown)}。方案中的单位有：{listed}。"
        )
    return wanted


def plain(plan: Plan) -> Directory:
    """The directory of a plan workbook without a 单位名录 sheet: every unit, nothing merged."""
    return Directory([Entry(u) for u in plan.units])


def propose(
    plan: Plan, groups: dict[str, list[str]] | None = None, where: str = "单位名录"
) -> tuple[Directory, list[Problem]]:
    """The directory import writes: every unit of `plan`; merges it guesses (待确认); collectives
    with the members an appendix lists (`groups`, confirmed) or else the plan's units (待确认).
    Returns it with one problem per guess, for 导入问题."""
    units = plan.units
    count = {u: len(plan.items_for(u)) for u in units}
    problems: list[Problem] = []
    groups = {appendix_ref(k)[0]: v for k, v in (groups or {}).items()}
    collectives = [u for u in units if looks_collective(u)]
    collectives += [g for g in groups if g not in collectives]
    singles = [u for u in units if u not in collectives]
    for members in groups.values():
        singles += [m for m in members if m not in singles and m not in collectives]
    parent = {u: u for u in singles}

    def root(u: str) -> str:
        while parent[u] != u:
            u = parent[u]
        return u

    reasons: dict[str, list[str]] = {}
    for a, b, why in _pairs(singles):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[rb] = ra
            reasons.setdefault(ra, []).append(why)
    clusters: dict[str, list[str]] = {}
    for u in singles:
        clusters.setdefault(root(u), []).append(u)
    entries: dict[str, Entry] = {}
    for names in clusters.values():
        first = {u: i for i, u in enumerate(singles)}
        unit = max(names, key=lambda u: (not BRACKET_RE.match(u), bool(u[:1] in LEVELS), count.get(u, 0), -first[u]))
        others = [n for n in names if n != unit]
        entry = Entry(unit, aliases=others, pending=bool(others))
        if others:
            why = "；".join(dict.fromkeys(r for n in names for r in reasons.get(n, ())))
            entry.note = f"可能是同一单位：{why}"
            problems.append(
                Problem.at(
                    where,
                    f"“{unit}”与“{'”“'.join(others)}”可能是同一单位（{why}），"
                    f"已在单位名录中列为别名并标“{PENDING}”。确认是同一单位后请删去“{PENDING}”，"
                    "否则请把别名移到单独的一行；确认前仍按不同单位分发。",
                )
            )
        entries[unit] = entry
    alias_of = {a: e.unit for e in entries.values() for a in e.aliases}
    for c in collectives:
        listed = groups.get(appendix_ref(c)[0])
        if listed:
            members = list(dict.fromkeys(alias_of.get(m, m) for m in listed))
            pending, note = False, f"{COLLECTIVE_NOTE}：方案附件列出的 {len(members)} 个单位"
        else:
            members = _guess_members(c, [e.unit for e in entries.values()])
            pending = bool(members)
            note = (
                f"{COLLECTIVE_NOTE}：成员按方案中的单位推定，请核对"
                if members
                else f"{COLLECTIVE_NOTE}：方案未列出成员，暂按一个单位分发"
            )
        for m in members:
            entries[m].member_of.append(c)
        collective = Entry(c, note=note, pending=pending)
        entries[c] = collective
        if pending:
            problems.append(
                Problem.at(
                    where,
                    f"“{c}”是统称，已推定其成员为方案中的 {len(members)} 个单位（单位名录“属于”列），"
                    f"标“{PENDING}”。请核对成员后删去“{PENDING}”；确认前“{c}”仍作为一个单位单独分发。",
                )
            )
        elif not members:
            problems.append(
                Problem.at(
                    where,
                    f"“{c}”是统称，但方案中没有列出其成员。请在单位名录中为每个成员加一行，"
                    f"“属于”填“{c}”；否则“{c}”作为一个单位单独分发。",
                )
            )
    order = [u for u in units if u in entries] + [u for u in entries if u not in units]
    return Directory([entries[u] for u in order]), problems


def _guess_members(collective: str, units: list[str]) -> list[str]:
    """Members of a collective the plan gives no list for: the plan's units of its level
    (「区属各部门」 → the 区… units), none for lower governments (「各镇（街、园区）」)."""
    if SUBORDINATE_RE.search(appendix_ref(collective)[0]):
        return []
    singles = [u for u in units if not looks_collective(u)]
    level = collective.removeprefix("各")[:1]
    if level in LEVELS:
        same = [u for u in singles if u.startswith(level)]
        if same:
            return same
    return singles


def _pairs(names: list[str]) -> Iterator[tuple[str, str, str]]:
    """(a, b, why) for names that may be one unit: 「区财政局（区国资局）」 and 「区财政局」; names
    that differ by a character or two; 「区编办」 and 「编办」."""
    known = set(names)
    for n in names:
        m = BRACKET_RE.match(n)
        if m and m["base"] in known and not any(s in m["inner"] for s in SEPARATORS):
            yield m["base"], n, f"“{n}”是“{m['base']}”加括号中的另一名称"
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if (a[:1] in LEVELS and a[1:] == b) or (b[:1] in LEVELS and b[1:] == a):
                yield a, b, f"“{a}”“{b}”只差层级前缀"
            elif _near(a, b):
                yield a, b, f"“{a}”“{b}”只差一两个字"


def _near(a: str, b: str) -> bool:
    """Whether one name is the other with one or two characters added (「市安监局」「市安全监管局」),
    or, for long names, one character changed; same first and last character."""
    if any(c in OPEN for c in a + b) or a[:1] != b[:1] or a[-1:] != b[-1:]:
        return False
    short, long_ = sorted((a, b), key=len)
    if len(short) < 3:
        return False
    if 1 <= len(long_) - len(short) <= 2:
        it = iter(long_)
        return all(ch in it for ch in short)
    return len(a) == len(b) >= 6 and sum(x != y for x, y in zip(a, b)) == 1
