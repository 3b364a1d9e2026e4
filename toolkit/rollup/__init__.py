"""The monthly roll-up: returned workbooks (or district summaries) → one summary workbook.

Nothing is lost: every plan item × responsible unit gets a row in 任务明细 (filled in,
or marked 未报送), every row of every accepted file lands there exactly once or is listed
in 校验问题 with its cell, and every file that is not used says why.

Modules, each depending only on those listed after it: `job` (the entry point `rollup`),
`collect` (reading the inbox), `choose` (the return per unit), `checks` (the validator on
the returns used), `tables` (the summary's sheets), `changes` (history), `match` (rows → plan
items), `entry` (one judged row of 任务明细).
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.rollup.job import RollupResult, rollup

__all__ = ["RollupResult", "rollup"]


def __getattr__(name: str) -> Any:
    """`rollup` and `RollupResult`, imported on first use: a worker process (`workers`) imports
    only what reading a return needs."""
    if name in __all__:
        from toolkit.rollup import job

        return getattr(job, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
