"""fengong: tools for a 分工方案 (division-of-labour work plan).

Layers (dependencies point down only): interfaces (cli, xl) → jobs (importers,
distribute, validate, rollup, gantt) → io (every byte of Excel/Word in or out)
→ model (plain data and rules: model, deadlines, units, errors).
"""

__version__ = "0.1.0"
WORKER_ENV = "FENGONG_WORKER"  # set: this program was started by a roll-up as a worker of that role (rollup.workers)
