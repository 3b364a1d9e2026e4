"""`fengong distribute`: one unit workbook per responsible unit, plus 分发清单.xlsx.

With `carry_from`, last period's returned workbooks are read and their fill-ins carried
into the new workbooks (matched by unit and 编号), so staff update instead of retyping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.io import schema as S
from toolkit.model import Plan
from toolkit.model.directory import chosen_units
from toolkit.model.errors import OutputError, ToolkitError, UsageError
from toolkit.model.normalise import text
from toolkit.model.period import Period

if TYPE_CHECKING:
    from toolkit.io.returns import UnitReturn

Carry = tuple[dict[str, dict[str, Any]], dict[str, Any], str]
"""One unit's carried fill-ins: item id → fill values, 填报人/联系电话 → value, the files read."""

MANIFEST = "分发清单.xlsx"
WINDOWS_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
NAME_PART_LIMIT = 40  # characters per file-name part, keeps paths well under Windows' 260
CARRY_SUFFIXES = (".xlsx", ".xlsm", ".xls")  # read_return reads .xls (BIFF8) too


@dataclass
class Sent:
    """One distributed workbook."""

    unit: str
    path: Path
    lead: int
    co: int
    carried: int = 0  # rows holding last period's fill-ins
    carried_from: str = ""
    kept: bool = False  # a filled-in workbook already in the outbox, left alone


@dataclass
class Distribution:
    """What `distribute` wrote, and notes about returns it could not carry from."""

    outdir: Path
    period: Period
    files: list[Sent] = field(default_factory=list)
    manifest: Path | None = None
    notes: list[str] = field(default_factory=list)


def safe_part(text: str, limit: int = NAME_PART_LIMIT) -> str:
    """A piece of a file name valid on Windows: no <>:"/\\|?* or control characters,
    no trailing dots or spaces, at most `limit` characters."""
    cleaned = WINDOWS_BAD.sub("_", text).strip(" .")
    return cleaned[:limit].rstrip(" .") or "未命名"


NAME_BYTES = 150  # a file name's UTF-8 bytes: within every file system's 255, room for "(2)" and copies


def file_name(unit: str, plan: Plan, period: Period, *, budget: int = NAME_BYTES) -> str:
    """「{单位}_{方案简称}_{2016年11月}.xlsx」, safe on Windows, at most `budget` UTF-8 bytes
    (the plan's title is shortened first, then the unit's name)."""
    unit_part, title = safe_part(unit), safe_part(plan.short_title)
    tail = f"_{period.label}.xlsx"

    def size(u: str, t: str) -> int:
        return len(f"{u}_{t}{tail}".encode())

    while size(unit_part, title) > budget and len(title) > 6:
        title = title[:-1].rstrip(" .")
    while size(unit_part, title) > budget and len(unit_part) > 6:
        unit_part = unit_part[:-1].rstrip(" .")
    return f"{unit_part or '未命名'}_{title or '方案'}{tail}"


@dataclass
class _Existing:
    """What an outbox already holds under one file name."""

    filled: bool  # a unit (or someone) worked on it: never replaced
    reason: str = ""


def distribute(
    plan: Plan,
    outdir: str | Path,
    period: Period | str,
    *,
    units: list[str] | None = None,
    carry_from: str | Path | None = None,
    paper: str = "A3",
    contact: str = "",
    return_by: date | None = None,
    plan_book: str | Path | None = None,
) -> Distribution:
    """Write one workbook per unit (all units of the plan, or `units`) into `outdir`.

    All workbooks and 分发清单 are built in a temp folder beside `outdir` and moved into place
    only when every one is written (a failure or an interruption leaves `outdir` as it was).
    A workbook already in `outdir` that a unit has filled in is left alone (said in `notes`).

    Units are the plan's after the 单位名录 resolved them: one workbook per real unit, a
    collective's items in each member's. 填报人 / 联系电话 are filled in from last period's
    return (`carry_from`) or else from the 单位名录; with `plan_book` (the plan workbook the plan
    was read from) the carried ones are written back into its 单位名录.
    """
    from toolkit.io.atomic import MAX_PATH, guard_output, staged_folder
    from toolkit.io.unitbook import write_unit_workbook

    period = Period.parse(period, year=plan.year)
    chosen = _choose_units(plan, units)
    outdir = guard_output(
        outdir, inputs=[("方案工作簿", plan.source or None)], folders=[("上期回收文件夹", carry_from)], kind="folder"
    )
    result = Distribution(outdir=outdir, period=period)
    carried = _collect_carry(plan, Path(carry_from), chosen, period, result.notes) if carry_from else {}
    room = MAX_PATH - len(str(outdir.resolve())) - 1 - len("(99)")
    if room < 40:
        raise OutputError(
            f"分发文件夹路径“{outdir}”太长（Windows 的路径不能超过 260 个字符），放不下台账文件名。"
            "请选一个层级更浅、名称更短的文件夹。"
        )
    used: set[str] = set()
    with staged_folder(outdir, last=MANIFEST) as staging:
        for unit in chosen:
            budget, n, suffix = min(NAME_BYTES, room * 3), 1, ""
            while True:
                name = file_name(unit, plan, period, budget=budget - len(suffix))
                while len(name) + len(suffix) > room:  # a deep folder: fewer characters still
                    name = file_name(unit, plan, period, budget=len(name.encode()) - 3)
                name = f"{name[:-5]}{suffix}.xlsx"
                if name.lower() not in used:
                    break
                n += 1
                suffix = f"({n})"  # two units cut to the same name stay apart
            used.add(name.lower())
            items = plan.items_for(unit)
            lead = sum(1 for i in items if unit in i.lead_units)
            existing = _existing(outdir / name)
            if existing and existing.filled:
                result.notes.append(f"保留了 {name}：{existing.reason}，未替换。如需重新分发，请先把该文件移走。")
                result.files.append(Sent(unit, outdir / name, lead, len(items) - lead, kept=True))
                continue
            carry, filler, source = carried.get(unit, ({}, {}, ""))
            filler = filler or _directory_filler(plan, unit)
            write_unit_workbook(
                staging / name,
                plan,
                unit,
                period,
                paper=paper,
                carry=carry,
                filler=filler,
                contact=contact,
                return_by=return_by,
            )
            result.files.append(
                Sent(unit, outdir / name, lead, len(items) - lead, sum(1 for i in items if i.id in carry), source)
            )
        _write_manifest(result, plan, staging / MANIFEST)
    result.manifest = outdir / MANIFEST
    if plan_book and carried:
        from toolkit.io.directory import update_contacts

        who, phone = S.FILLER_LABELS[:2]
        try:
            changed = update_contacts(
                plan_book, {u: (text(f.get(who)), text(f.get(phone))) for u, (_, f, _) in carried.items()}
            )
        except (ToolkitError, OSError) as exc:  # the plan workbook open in Excel, read-only …
            changed = []
            result.notes.append(f"上期的填报人、联系电话未能写入方案工作簿的单位名录（{exc}），台账中已填入。")
        if changed:
            result.notes.append(
                f"已把 {len(changed)} 个单位上期填写的填报人、联系电话写入单位名录：{'、'.join(changed)}。"
            )
    return result


def _directory_filler(plan: Plan, unit: str) -> dict[str, str]:
    """填报人 / 联系电话 of `unit` from the 单位名录, as the workbook's header pre-fills them."""
    who, phone = plan.directory.contact(unit) if plan.directory else ("", "")
    return {k: v for k, v in zip(S.FILLER_LABELS[:2], (who, phone)) if v}


def _existing(path: Path) -> _Existing | None:
    """None when nothing is at `path`; else whether it must be kept (filled in, or not ours)."""
    from toolkit.io.returns import read_return

    if not path.exists():
        return None
    try:
        ret = read_return(path)
    except ToolkitError:
        return _Existing(True, "已有同名文件，且不是未填写的台账")
    except Exception:  # a hostile file: keep it, whatever it is
        return _Existing(True, "已有同名文件，无法读取")
    if ret.meta.get("kind", S.KIND) != S.KIND:
        return _Existing(True, "已有同名文件，不是单位台账")
    if any(row.values.get(c) not in (None, "") for row in ret.rows for c in S.FILL_COLUMNS):
        return _Existing(True, "单位已在其中填报")
    if any(ret.block.get(label, ("", None))[1] not in (None, "") for label in S.FILLER_LABELS):
        return _Existing(True, "单位已在其中填写填报人信息")
    return _Existing(False)


def _choose_units(plan: Plan, units: list[str] | None) -> list[str]:
    known = plan.units
    if not known:
        raise UsageError("方案中没有任何责任单位，无法分发。请先在方案工作簿中填写牵头单位、配合单位。")
    return chosen_units(plan, units) if units else known


def _collect_carry(plan: Plan, folder: Path, units: list[str], period: Period, notes: list[str]) -> dict[str, Carry]:
    """unit → (item id → fill values, 填报人/联系电话, source file name), from the newest return
    of this plan with a period not later than `period`."""
    from toolkit.io.returns import read_return
    from toolkit.validate import clean_values

    if not folder.is_dir():
        raise UsageError(f"上期回收文件夹不存在：{folder}。请检查 --carry-from 的路径。")
    best: dict[str, list[tuple[tuple[Period, str, float], UnitReturn]]] = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in CARRY_SUFFIXES or path.name.startswith(("~$", ".~")) or not path.is_file():
            continue
        try:
            ret = read_return(path)
        except ToolkitError as exc:
            notes.append(f"未沿用 {path.name}：{exc}")
            continue
        if ret.meta.get("plan_hash") != plan.content_hash and ret.meta.get("plan_id") != plan.plan_id:
            notes.append(f"未沿用 {path.name}：不是本方案的台账。")
            continue
        unit = plan.directory.canonical(ret.unit) if plan.directory else ret.unit  # filed under an alias
        if unit not in units or not ret.period or ret.period > period:
            continue
        key = (ret.period, ret.meta.get("generated_at", ""), path.stat().st_mtime)
        best.setdefault(unit, []).append((key, ret))
    carried: dict[str, Carry] = {}
    for unit, found in best.items():
        found.sort(key=lambda f: f[0], reverse=True)
        newest = found[0][0][0]
        rets = [r for k, r in found if k[0] == newest]  # the newest period; one unit's spellings merged
        rows: dict[str, dict[str, Any]] = {}
        for ret in rets:
            for row in ret.rows:
                values = clean_values(row)
                fill = {c: values.get(c) for c in S.FILL_COLUMNS if values.get(c) is not None}
                if row.item_id and fill:
                    rows.setdefault(row.item_id, fill)  # a copied row: the first copy counts, as in validate
        ret = rets[0]
        filler = {
            label: ret.block[label][1]
            for label in S.FILLER_LABELS[:2]
            if label in ret.block and ret.block[label][1] not in (None, "")
        }
        carried[unit] = (rows, filler, "、".join(r.path.name for r in rets))
    return carried


def _write_manifest(result: Distribution, plan: Plan, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from toolkit.io.cells import put, save_workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "分发清单"
    rows: list[tuple[object, ...]] = [("序号", "单位", "牵头事项", "配合事项", "合计", "沿用上期填报", "文件名")]
    for n, sent in enumerate(result.files, start=1):
        carried = (
            "已有单位填报的同名文件，未替换"
            if sent.kept
            else (f"{sent.carried} 项（{sent.carried_from}）" if sent.carried_from else "")
        )
        rows.append((n, sent.unit, sent.lead, sent.co, sent.lead + sent.co, carried, sent.path.name))
    rows += [(), ("", f"方案：{plan.title}；报送期次：{result.period.label}；共 {len(result.files)} 个单位。")]
    for r, row in enumerate(rows, start=1):  # put: a unit named 「=…」 stays text
        for c, value in enumerate(row, start=1):
            put(ws, r, c, value)
    for cell in ws[1]:
        cell.font = Font(name="黑体")
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(vertical="top", wrap_text=cell.column == 7)
    for letter, width in zip("ABCDEFG", (6, 24, 10, 10, 8, 30, 60)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0
    save_workbook(wb, path)
    return path
