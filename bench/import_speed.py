"""Time importing a 1,500-item plan (docx and xlsx); target ≤ 1 s each. Median of 3 runs."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from docx import Document
from openpyxl import Workbook

from toolkit.importers import import_plan

HEADER = ["序号", "工作任务", "具体内容", "责任科室", "配合单位", "完成时限"]


def rows(n: int = 1500) -> list[list[str]]:
    return [
        [
            str(k // 3 + 1) if k % 3 == 0 else "",
            f"任务{k // 3 + 1}" if k % 3 == 0 else "",
            f"{k % 3 + 1}.推进第{k}项工作，按要求公开相关信息并接受社会监督。",
            "区政府办",
            "区财政局、区发改局",
            f"2024年{k % 12 + 1}月底前",
        ]
        for k in range(n)
    ]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        doc = Document()
        table = doc.add_table(rows=1, cols=len(HEADER))
        for c, name in enumerate(HEADER):
            table.cell(0, c).text = name
        for row in rows():
            cells = table.add_row().cells
            for c, text in enumerate(row):
                cells[c].text = text
        docx = Path(tmp) / "plan.docx"
        doc.save(docx)
        wb = Workbook()
        ws = wb.active
        ws.append(HEADER)
        for row in rows():
            ws.append(row)
        xlsx = Path(tmp) / "plan.xlsx"
        wb.save(xlsx)
        for path in (docx, xlsx):
            times = []
            for _ in range(3):
                t = time.perf_counter()
                plan = import_plan(path)
                times.append(time.perf_counter() - t)
            print(f"{path.suffix}: {len(plan.items)} items, median {statistics.median(times):.2f} s")


if __name__ == "__main__":
    main()
