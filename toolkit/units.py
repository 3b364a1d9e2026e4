"""Responsible-unit names: split a cell into units, normalise each name. Stdlib only."""

from __future__ import annotations

import re

SEPARATORS = "、，,；;/\n"
OPEN, CLOSE = "（(〔[", "）)〕]"
SPACE_RE = re.compile(r"\s+")


def normalise(name: str) -> str:
    """One unit name without stray spaces and line breaks, ASCII brackets made full-width."""
    name = SPACE_RE.sub("", name)
    return name.replace("(", "（").replace(")", "）").strip("、，,；;。.")


def split_units(cell: str) -> list[str]:
    """Split 「市财政局、市发改局」 into units; keep 「各县（市、区）人民政府」 whole.

    Separators inside brackets do not split. Duplicates are dropped, order kept.
    """
    units: list[str] = []
    depth, start = 0, 0
    text = cell or ""
    for i, ch in enumerate(text + "、"):
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(depth - 1, 0)
        elif ch in SEPARATORS and depth == 0:
            name = normalise(text[start:i])
            if name and name not in units:
                units.append(name)
            start = i + 1
    return units
