"""The shared validator's findings on every unit workbook the roll-up uses, found as each file is read."""

from __future__ import annotations

from pathlib import Path
from sys import intern
from typing import Any

from toolkit.io import schema as S
from toolkit.io.inbox import Return, identify, read_file
from toolkit.model import Plan
from toolkit.model.problems import WARNING, Problem
from toolkit.rollup.entry import filled_in


def read_checked(path: Path, inbox: Path, plan: Plan) -> Return:
    """Read one file of the inbox and `examine` it."""
    ret = read_file(path, inbox)
    examine(ret, plan)
    return ret


def examine(ret: Return, plan: Plan) -> None:
    """Identify a file just read (unit, period; an alias of a unit filed under its name) and
    validate it (`check_read`)."""
    directory = plan.directory
    identify(ret, directory.names if directory else lambda: plan.units)
    if directory and (note := directory.alias_note(ret.unit, "汇总")):  # filed under another spelling
        ret.problem(WARNING, "alias", note)
        ret.unit = directory.canonical(ret.unit)
    ret.findings = check_read(ret, plan)


def check_read(ret: Return, plan: Plan) -> list[Problem]:
    """Validate one unit workbook just read (identified), then keep only what the roll-up uses of
    it: each row's fill-in, read (`entry.filled_in`), and the reader's metadata. Run on every file
    as it arrives, while the other files are still parsed, instead of holding every file's reader
    data until the returns are chosen (200 returns held 66 MiB); the findings count only if the
    file is chosen (`check_chosen`). Summaries are checked while matched ([] here)."""
    if ret.kind != S.KIND or ret.data is None:
        return []
    from toolkit import validate

    try:
        found = [
            p.in_file(ret.name) for p in validate.check_return(ret.data, plan, period=ret.period or None, unit=ret.unit)
        ]
    except Exception as exc:  # one odd file must not stop the roll-up; its rows are still used
        found = [
            Problem(
                f"无法逐项检查此文件（{type(exc).__name__}: {exc}），其内容已照常汇总，请人工核对。",
                WARNING,
                "not_validated",
                ret.name,
            )
        ]
    ret.data.rows = []  # the reader's full rows; its metadata and header block stay for choose's identity check
    for row in ret.rows:
        row.filled, row.values = _interned(filled_in(row.values)), {}
    return found


def check_chosen(chosen: dict[str, Return]) -> list[Problem]:
    """The findings of `check_read` on the chosen returns, in their order."""
    return [p for ret in chosen.values() for p in ret.findings]


def shared(ret: Return) -> Return:
    """A return a worker process sent back, its rows' 编号 and fill-in texts interned again in
    this process: unpickled, each chunk of returns has its own copies (interned in the worker, a
    text repeated within a chunk arrives as one object), and the entries keep the fill-ins until
    the summary is written — without this, 5,000 returns peaked at 1,018 MB instead of ≈ 966."""
    if ret.kind == S.KIND:
        for row in ret.rows:
            row.item_id, row.filled = intern(row.item_id), _interned(row.filled)
    return ret


def _interned(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row's fill-in, texts interned: 推进中, 暂无 … repeat in every return, and thousands of
    returns are held until the summary is written."""
    return tuple([intern(v) if v.__class__ is str else v for v in values])
