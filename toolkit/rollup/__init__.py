"""The monthly roll-up: returned workbooks (or district summaries) → one summary workbook.

Nothing is lost: every plan item × responsible unit gets a row in 任务明细 (filled in,
or marked 未报送), every row of every accepted file lands there exactly once or is listed
in 校验问题 with its cell, and every file that is not used says why.

Modules, each depending only on those listed after it: `job` (the entry point `rollup`),
`collect` (reading the inbox), `choose` (the return per unit), `checks` (the validator on
the returns used), `tables` (the summary's sheets), `changes` (history), `match` (rows → plan
items), `entry` (one judged row of 任务明细).
"""

from toolkit.rollup.job import RollupResult, rollup

__all__ = ["RollupResult", "rollup"]
