"""Collect the returned workbooks of one roll-up: find them, read each one, never abort.

Every .xlsx/.xlsm/.xls under the inbox (recursively; staff save mail attachments into
subfolders) becomes a `Return`: who sent it, for which period, its rows, and the problems
found while reading. A file that cannot be read is a `Return` with no rows and an error,
so the roll-up lists it instead of stopping. Inputs are only ever opened for reading.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.io import schema as S
from toolkit.io.summary import SUMMARY_KIND
from toolkit.model.errors import ToolkitError
from toolkit.model.normalise import item_id, text, to_date
from toolkit.model.period import Period
from toolkit.model.problems import ERROR, WARNING, Problem
from toolkit.model.vocabulary import Severity

if TYPE_CHECKING:
    from toolkit.io.returns import UnitReturn

READ_SUFFIXES = (".xlsx", ".xlsm", ".xls")
RESAVE_SUFFIXES = (".et", ".ods", ".csv", ".numbers", ".wps")  # spreadsheets we ask to resave
LOCK_PREFIXES = ("~$", ".~lock", ".~fengong-")
PERIOD_IN_NAME = re.compile(r"(20\d{2})\s*(?:年|[-_.])\s*(\d{1,2})\s*月?")


@dataclass
class ReturnRow:
    """One filled-in row: item id, where it sits, and its values by column name."""

    item_id: str
    row: int
    values: dict[str, Any]
    sub_unit: str = ""  # one level up: the district's unit that filled the row
    reported: bool = True  # one level up: False when that unit did not report to the district
    filled: tuple[Any, ...] = ()  # the roll-up's reading of `values` once checked (rollup.entry.filled_in)

    def __reduce__(self) -> tuple[type[ReturnRow], tuple[Any, ...]]:
        """Pickled as its fields (a roll-up's worker sends 150,000 of them): a quarter of the time
        to load in the parent, and a third smaller, than the default's state dict."""
        return ReturnRow, _row_fields(self)


_row_fields = attrgetter(*(f.name for f in fields(ReturnRow)))  # in __init__'s order


@dataclass
class Return:
    """What one file holds. `kind`: unit (a unit workbook), summary (one level down), or
    unknown (unreadable / not a fengong workbook)."""

    path: Path
    name: str
    kind: str = "unknown"
    unit: str = ""
    period: Period | None = None
    plan_hash: str = ""
    plan_id: str = ""
    filled_at: datetime | None = None
    filler: tuple[str, str] = ("", "")  # 填报人, 联系电话 as filled in
    mtime: float = 0.0
    sheet: str = ""
    rows: list[ReturnRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    data: UnitReturn | None = None  # a unit workbook as read, for validation (None for a summary)
    findings: list[Problem] = field(default_factory=list)  # the validator's: they count if it is chosen

    @property
    def readable(self) -> bool:
        return self.kind != "unknown"

    def problem(self, severity: Severity, code: str, message: str, **where: str) -> None:
        self.problems.append(Problem(message, severity, code, self.name, **where))


ARCHIVE_SUFFIXES = (".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz")
SYSTEM_NAMES = ("thumbs.db", "desktop.ini", ".ds_store")
# Excel formats we do not read, and what to tell the sender.
OTHER_EXCEL = {
    ".xlsb": "是 Excel 二进制工作簿（.xlsb）",
    ".xltx": "是 Excel 模板（.xltx）",
    ".xltm": "是 Excel 模板（.xltm）",
    ".xlt": "是 Excel 模板（.xlt）",
}


@dataclass
class Skipped:
    """A file or folder under the inbox that is not rolled up, and why (for 校验问题)."""

    path: Path
    reason: str
    severity: Severity = WARNING
    code: str = "skipped"


@dataclass
class Inventory:
    """Everything under an inbox: spreadsheets to read, to be resaved, and everything else."""

    found: list[Path] = field(default_factory=list)
    resave: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def survey(inbox: str | Path) -> Inventory:
    """Every file under `inbox`, accounted for: to read, to resave, or skipped with a reason
    (lock files, archives, other kinds of file, folders that cannot be opened)."""
    inbox = Path(inbox)
    inv = Inventory()

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else inbox
        why = "没有读取权限" if isinstance(exc, PermissionError) else (exc.strerror or str(exc))
        inv.skipped.append(
            Skipped(
                where,
                f"文件夹无法打开（{why}），其中的文件未汇总。请检查该文件夹的权限，"
                "或把其中的文件复制到报送文件夹后重试。",
                ERROR,
                "folder_unreadable",
            )
        )

    for root, dirs, names in os.walk(inbox, onerror=unreadable):
        for d in sorted(dirs):
            if d.startswith("."):
                inv.skipped.append(
                    Skipped(Path(root) / d, "隐藏文件夹，其中的文件未汇总。如有报送文件，请移到报送文件夹中。")
                )
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            path = Path(root) / name
            kind = classify(name)
            if kind == "read":
                inv.found.append(path)
            elif kind == "resave":
                inv.resave.append(path)
            else:
                inv.skipped.append(Skipped(path, *kind) if isinstance(kind, tuple) else Skipped(path, kind))
    inv.found.sort()
    inv.resave.sort()
    inv.skipped.sort(key=lambda s: s.path)
    return inv


def classify(name: str) -> str | tuple[str, Severity, str]:
    """ "read", "resave", or why a file of this name is not rolled up (reason, severity, code)."""
    lower = name.lower().rstrip(" .")  # 「x.xlsx 」: Windows drops trailing spaces and dots
    if name.startswith(LOCK_PREFIXES):
        return (
            (
                "Excel/WPS 打开文件时生成的临时锁定文件（或中断运行留下的临时文件），已跳过；"
                "如果原文件仍在编辑，请保存并关闭后再汇总。"
            ),
            WARNING,
            "lock_file",
        )
    suffix = Path(lower).suffix
    if suffix in READ_SUFFIXES:
        return "read"
    if suffix in RESAVE_SUFFIXES:
        return "resave"
    if suffix in ARCHIVE_SUFFIXES:
        return ("压缩包，请解压后放回报送文件夹（其中的文件未汇总）。", ERROR, "archive")
    if suffix in OTHER_EXCEL:
        return (f"{OTHER_EXCEL[suffix]}，未汇总。请在 Excel/WPS 中另存为 .xlsx 后放回。", ERROR, "format")
    if lower in SYSTEM_NAMES:
        return ("系统文件，已忽略。", WARNING, "system_file")
    stem_suffix = next((s for s in READ_SUFFIXES if f"{s}." in lower), "")
    if stem_suffix:
        tail = name[lower.rindex(stem_suffix) + len(stem_suffix) :]
        return (
            (
                f"文件名以“{tail}”结尾，不是 {stem_suffix} 文件名（可能是重复下载的副本），未汇总。"
                f"请改名为以 {stem_suffix} 结尾后放回。"
            ),
            ERROR,
            "file_name",
        )
    return ("不是 Excel 工作簿，未汇总。", WARNING, "not_workbook")


def find_files(inbox: str | Path) -> tuple[list[Path], list[Path]]:
    """(spreadsheets to read, spreadsheets to be resaved) under `inbox`, sorted; see `survey`."""
    inv = survey(inbox)
    return inv.found, inv.resave


def period_from_name(name: str) -> Period | None:
    """「区编办_要点_2016年11月.xlsx」 → 2016-11 (None when the name holds no month)."""
    m = PERIOD_IN_NAME.search(name)
    return Period.read(f"{m.group(1)}-{m.group(2)}") if m else None


def unit_from_name(name: str, units: list[str]) -> str:
    """The longest plan unit named in a file name, else the part before the first 「_」."""
    stem = Path(name).stem
    named = [u for u in units if u and u in stem]
    if named:
        return max(named, key=len)
    return stem.split("_", 1)[0].strip() if "_" in stem else ""


def read_file(path: Path, inbox: Path) -> Return:
    """Read one file into a `Return`; every failure becomes an error problem on it."""
    name = path.relative_to(inbox).as_posix() if path.is_relative_to(inbox) else path.name
    ret = Return(path=path, name=name)
    try:
        ret.mtime = path.stat().st_mtime
        _read_unit(path, ret)
        if ret.kind == SUMMARY_KIND:
            _read_summary(path, ret)
    except ToolkitError as exc:
        _fail(ret, str(exc))
    except PermissionError:
        _fail(
            ret,
            f"没有权限读取文件“{path.name}”（或文件正被其他程序独占打开），未汇总。请关闭该文件或检查文件权限后重试。",
        )
    except OSError as exc:
        _fail(ret, f"无法读取文件“{path.name}”（{exc.strerror or exc}），未汇总。请检查该文件后重试。")
    except Exception as exc:  # a parser's own error on a hostile file: report it, go on
        _fail(
            ret,
            f"无法读取文件“{path.name}”：{type(exc).__name__}: {exc}。"
            "请让对方在 Excel/WPS 中打开并重新保存为 .xlsx 后发送。",
        )
    return ret


def identify(ret: Return, units: Callable[[], list[str]]) -> None:
    """Unit and period from the file name when the workbook does not say; `units()` gives the
    names a unit may be written as (asked only then: it sorts a directory's names)."""
    if not ret.readable:
        return
    if not ret.unit:
        ret.unit = unit_from_name(ret.path.name, units())
        if ret.unit:
            ret.problem(WARNING, "unit_from_name", f"文件中没有填报单位信息，按文件名认定为“{ret.unit}”。")
    if not ret.period:
        ret.period = period_from_name(ret.path.name)


def _fail(ret: Return, message: str) -> None:
    ret.kind, ret.rows, ret.data = "unknown", [], None
    ret.problem(ERROR, "unreadable", message)


def _read_unit(path: Path, ret: Return) -> None:
    """A unit workbook through the shared reader (toolkit.io.returns)."""
    from toolkit.io.returns import read_return

    data = read_return(path)
    ret.data = data
    ret.kind = data.meta.get("kind") or S.KIND
    ret.unit, ret.period, ret.sheet = data.unit, data.period, data.sheet
    ret.plan_hash, ret.plan_id = data.meta.get("plan_hash", ""), data.meta.get("plan_id", "")
    ret.filler = (
        text(data.block.get(S.FILLER_LABELS[0], ("", None))[1]),
        text(data.block.get(S.FILLER_LABELS[1], ("", None))[1]),
    )
    filled = data.block.get(S.FILLER_LABELS[2], ("", None))[1]
    filled = to_date(filled).value
    ret.filled_at = datetime(filled.year, filled.month, filled.day) if filled else None
    ret.rows = [ReturnRow(r.item_id, r.row, r.values) for r in data.rows]
    if not data.standard and ret.kind != SUMMARY_KIND:
        found = "、".join(f"“{alias}”作“{name}”" for name, alias in data.renamed.items())
        missing = "、".join(data.missing_columns)
        ret.problem(
            WARNING,
            "layout",
            "不是标准台账格式，已按表头匹配列读取"
            + (f"（{found}）" if found else "")
            + (f"；缺少列：{missing}" if missing else "")
            + "。请下次使用分发的台账填报。",
            sheet=data.sheet,
        )


def _read_summary(path: Path, ret: Return) -> None:
    """A summary workbook one level down: its 任务明细 rows, the district as reporting unit."""
    from toolkit.io.summary import (
        DETAIL_SHEET,
        PARENT_COLUMN,
        STATE_COLUMN,
        STATE_MISSING,
        SUB_UNIT_COLUMN,
        UNIT_COLUMN,
        read_summary,
    )

    data = read_summary(path, (S.ID, UNIT_COLUMN, S.STATUS))
    meta = data.meta
    ret.data = None
    ret.unit, ret.period, ret.sheet = meta.get("unit", ""), Period.read(meta.get("period")), DETAIL_SHEET
    ret.plan_hash, ret.plan_id = meta.get("plan_hash", ""), meta.get("plan_id", "")
    try:
        ret.filled_at = datetime.fromisoformat(meta.get("generated_at", ""))
    except ValueError:
        ret.filled_at = None
    ret.rows = []
    for r, values in data.rows:
        unit, sub = text(values.get(UNIT_COLUMN)), text(values.get(SUB_UNIT_COLUMN))
        ident = item_id(values.get(PARENT_COLUMN)) or item_id(values.get(S.ID))
        ret.rows.append(
            ReturnRow(
                ident,
                r,
                values,
                sub_unit=f"{unit}／{sub}" if sub else unit,
                reported=text(values.get(STATE_COLUMN)) != STATE_MISSING,
            )
        )
