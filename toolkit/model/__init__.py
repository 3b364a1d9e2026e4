"""The model layer: plain data and rules, no I/O (stdlib, plus chinese-calendar for working days).

plan (Plan, Item, Deadline), vocabulary (statuses, roles, kinds, frequencies, severities), period,
problems, errors, units, numerals, normalise (fill-in values), text (display width), blocks (a
document as paragraphs and tables), deadlines (the 完成时限 parser).
"""

from toolkit.model.plan import Deadline, Item, Offset, Plan

__all__ = ["Deadline", "Item", "Offset", "Plan"]
