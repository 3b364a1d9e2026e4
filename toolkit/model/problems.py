"""The one kind of finding: import, validation, the inbox and the roll-up all report a `Problem`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.model.vocabulary import Severity

ERROR, WARNING = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Problem:
    """What is wrong, how bad, where (file, sheet, cell, item id — or `place` when the spot is not
    a cell: 「表格1第5行」「第12段」), and in `message` how to fix it. `code` is stable, for JSON."""

    message: str
    severity: Severity = WARNING
    code: str = ""
    file: str = ""
    sheet: str = ""
    cell: str = ""
    item_id: str = ""
    place: str = ""

    @classmethod
    def at(cls, place: str, message: str, severity: Severity = WARNING, code: str = "") -> Problem:
        """A problem at a place that is not a cell (an importer's source line or paragraph)."""
        return cls(message, severity, code, place=place)

    @property
    def where(self) -> str:
        """The place as staff read it: 「任务台账!I7」, a sheet, a source place, or 工作簿 for the whole file."""
        if self.cell:
            return f"{self.sheet}!{self.cell}" if self.sheet else self.cell
        return self.sheet or self.place or "工作簿"

    def in_file(self, file: str) -> Problem:
        """The same problem, said of `file` (the roll-up lists findings of many files)."""
        return Problem(**{**vars(self), "file": file})  # as dataclasses.replace does, in half its time

    def to_dict(self) -> dict[str, str]:
        """The JSON shape of `fengong validate --json` (severity is the list it sits in)."""
        return {
            "sheet": self.sheet,
            "cell": self.cell,
            "item_id": self.item_id,
            "code": self.code,
            "message": self.message,
        }


PER_CODE = 50  # problems of one kind kept per file: enough to act on, a sheet Excel can show


def cap(problems: Iterable[Problem], per_code: int = PER_CODE) -> list[Problem]:
    """The first `per_code` problems of each code (in order), then one 「另有 M 个同类问题」 per code
    cut short. Consumes an iterator lazily, so a hostile file's million findings are never held."""
    kept: list[Problem] = []
    counts: dict[str, int] = {}
    last: dict[str, Problem] = {}
    for p in problems:
        n = counts[p.code] = counts.get(p.code, 0) + 1
        if n <= per_code:
            kept.append(p)
            last[p.code] = p
    for code, n in counts.items():
        if n > per_code:
            first = last[code]
            kept.append(
                Problem(
                    f"另有 {n - per_code} 个同类问题（{code}）未逐一列出，请按上面的提示一并改正。",
                    first.severity,
                    code,
                    first.file,
                    first.sheet,
                )
            )
    return kept
